"""Scaffolding a month: one commented template per unit, never overwriting a file.

Each template opens with taplo's ``#:schema`` line, naming the year's JSON Schema that
``new-month`` (re)writes beside the month folders, so an editor completes keys and values.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from .config import load_rules, load_units
from .jsonschema import SCHEMA_LINE, write_schemas
from .model import Rules, Unit
from .problems import Problem

MONTH_ARG = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
TABLE_HEADER = re.compile(r"^\s*\[")
# A [notice] key that belongs to one year's notice only: its 发文字号 and dates.
NOTICE_KEY = re.compile(r"^(\s*)(number|date|printed_on)(\s*=\s*)"
                        r"(\"(?:[^\"\\]|\\.)*\"|[^#\s]+)(.*?)(\r?)$")

TEMPLATE = """\
# {name}（{uid}）{year}年{month}月 政务信息工作台账
# 按记录种类填写，每条记录一个表；不需要的部分保持注释即可。本月无记录时保持本文件不变。
# 日期写作 {year}-{mm}-15（不加引号），且必须在本月内。
#
# 报送信息（通过 OA 协同办公平台信息报送模块报送；其他途径报送的不计）：
# [[info]]
# oa = "KDL-{year}-0001"          # OA 编号，必填，全部台账中唯一
# title = "我单位召开……工作会议"  # 标题，必填
# date = {year}-{mm}-15             # 报送日期，必填
# kind = "{info}"                   # 可选：{kinds}，默认“{info}”
# topic = "{topic}"               # 仅{special}填写：{topics}
# note = "……"                     # 可选备注（以下各种记录均可填写）
#
# 采用（本月发生的采用，所采用的信息可以是以前月份报送的）：
# [[adoption]]
# oa = "KDL-{year}-0001"          # 本单位已登记信息的 OA 编号
# by = "区刊"                     # {info}：{info_channels}；{special}：{special_channels}
# date = {year}-{mm}-20
# issue = "第18期"                # 可选：刊物期号
#
# 领导批示：
# [[instruction]]
# oa = "KDL-{year}-0001"
# level = "区"                    # {levels}
# date = {year}-{mm}-25
# leader = "区长"                 # 可选
#
# 上级约稿（记在截止日期所在月份）：
# [[commission]]
# title = "关于……的约稿"
# due = {year}-{mm}-28              # 截止日期，必填
# delivered = {year}-{mm}-26        # 完成日期；未完成或逾期视为未按要求完成
#
# 综合考评事项：
# [[event]]
# kind = "轮训"                   # {events}
# date = {year}-{mm}-10
"""


def render_template(unit: Unit, rules: Rules, year: int, month: int) -> str:
    """The commented template of one unit's month file."""
    info, special = rules.info_kind, rules.special_kind
    return TEMPLATE.format(
        name=unit.name, uid=unit.id, year=year, month=month, mm=f"{month:02d}", info=info,
        special=special, kinds="、".join(rules.kinds), topic=rules.topics[0],
        topics="、".join(rules.topics), levels="、".join(rules.levels),
        info_channels="、".join(rules.channels_for(info)),
        special_channels="、".join(rules.channels_for(special)),
        events="、".join(rules.events))


def new_file_text(unit: Unit, rules: Rules, year: int, month: int) -> str:
    """What a unit's new month file holds: the ``#:schema`` line, then the template."""
    return SCHEMA_LINE + render_template(unit, rules, year, month)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def blank_notice(text: str, year: int) -> str:
    """rules.toml copied from the year before, its ``[notice]`` 发文字号 and dates left empty.

    They were that year's notice's: kept, the new year's notice would carry them (the page
    says 文号待定 and ``check`` warns until the office fills them in). A date key becomes a
    comment, TOML having no empty date.
    """
    lines, inside = text.split("\n"), False
    for i, line in enumerate(lines):
        if TABLE_HEADER.match(line):
            inside = line.strip().startswith("[notice]")
            continue
        m = NOTICE_KEY.match(line) if inside else None
        if m is None:
            continue
        indent, key, eq, _, rest, cr = m.groups()
        if key == "number":
            lines[i] = f'{indent}{key}{eq}""{rest}（印发前填写）{cr}'
        else:
            lines[i] = (f"{indent}# {key}{eq}{rest}（印发前填写，如 {year + 1}-01-15，"
                        f"并去掉行首的 #）{cr}")
    return "\n".join(lines)


def new_month(ledger_dir: Path, arg: str, copy_config: bool = False) -> tuple[list[str], list[str]]:
    """Create ``<YYYY>/<MM>/`` with a template per unit. Returns (created, messages).

    Raises ``ValueError`` with a Chinese message for a bad argument or unusable configuration.
    """
    m = MONTH_ARG.match(arg)
    if not m:
        raise ValueError(f"月份 {arg!r} 格式不对，应写作 YYYY-MM，如 2024-01。")
    year, month = int(m[1]), int(m[2])
    year_dir = ledger_dir / f"{year:04d}"
    messages: list[str] = []
    missing = [n for n in ("units.toml", "rules.toml") if not (year_dir / n).is_file()]
    if missing:
        earlier = sorted(int(p.name) for p in ledger_dir.glob("[0-9][0-9][0-9][0-9]")
                         if int(p.name) < year and (p / "units.toml").is_file()
                         and (p / "rules.toml").is_file())
        if not copy_config or not earlier:
            hint = (f"可加 --copy-config 从 {earlier[-1]} 年度复制" if earlier
                    else "请先编写这两个文件（可参照其他年度）")
            raise ValueError(f"{year} 年度缺少 {'、'.join(missing)}：{hint}，"
                             "并按当年的单位和规则修改。")
        year_dir.mkdir(parents=True, exist_ok=True)
        for name in missing:
            source = ledger_dir / str(earlier[-1]) / name
            raw = source.read_bytes()
            if name == "rules.toml" and _is_utf8(raw):  # (else copied as is: check says E102)
                text = raw.decode("utf-8-sig")
                (year_dir / name).write_bytes(blank_notice(text, year).encode("utf-8"))
                messages.append(f"已从 {earlier[-1]} 年度复制 {name}，其中年度通报的发文字号、"
                                "成文日期、印发日期已清空，待印发时填写；请核对后提交。")
            else:
                shutil.copyfile(source, year_dir / name)
                messages.append(f"已从 {earlier[-1]} 年度复制 {name}，请核对后提交。")
    units, problems = load_units((year_dir / "units.toml").read_bytes(), f"{year}/units.toml")
    rules, more = load_rules((year_dir / "rules.toml").read_bytes(), f"{year}/rules.toml")
    bad: list[Problem] = [p for p in problems + more if p.is_error]
    if units is None or rules is None or bad:
        raise ValueError("年度配置有错误，请先运行 python build.py check 修正：\n"
                         + "\n".join(p.format() for p in bad))
    for rel in write_schemas(ledger_dir, year, rules):
        messages.append(f"已写入编辑器用的 JSON Schema：{rel}。")
    folder = year_dir / f"{month:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    created = []
    for unit in units:
        target = folder / f"{unit.id}.toml"
        if target.exists():
            messages.append(f"{target.relative_to(ledger_dir).as_posix()} 已存在，未覆盖。")
            continue
        target.write_text(new_file_text(unit, rules, year, month), encoding="utf-8")
        created.append(target.relative_to(ledger_dir).as_posix())
    return created, messages
