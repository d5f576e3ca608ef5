"""Loading the ledger folder: years, their configuration, month folders and unit files.

``load_ledger`` walks ``<ledger>/<YYYY>/<MM>/<unit>.toml`` and returns the ledger with every
problem found in a single file (schema, dates, allowed values). Checks between records, across
files and years, are in :mod:`scoring.validate`.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, Callable

from . import config
from .model import (Adoption, Commission, Event, Info, Instruction, Ledger, Rules, Unit,
                    UnitMonth, YearLedger)
from .problems import Problem
from .schema import Field, check_array, check_table
from .source import Locator, decode, header_lines, parse_toml

YEAR_DIR = re.compile(r"^\d{4}$")
MONTH_DIR = re.compile(r"^(0[1-9]|1[0-2])$")
YEAR_FILES = {"units.toml", "rules.toml", "notice.md"}
RECORD_KINDS = ("info", "adoption", "instruction", "commission", "event")
# Which key's date must fall inside the file's month, per record kind.
MONTH_DATE = {"info": "date", "adoption": "date", "instruction": "date",
              "commission": "due", "event": "date"}


def record_fields(rules: Rules) -> dict[str, dict[str, Field]]:
    """The schema of the five record kinds, with allowed values taken from the rules."""
    def kinds() -> tuple[str, ...]:
        return rules.kinds
    return {
        "info": {"oa": Field(str, True), "title": Field(str, True), "date": Field(dt.date, True),
                 "kind": Field(str, False, kinds), "topic": Field(str, False, lambda: rules.topics),
                 "note": Field(str)},
        "adoption": {"oa": Field(str, True),
                     "by": Field(str, True, lambda: tuple(dict.fromkeys(b for _, b in rules.channels))),
                     "date": Field(dt.date, True), "issue": Field(str), "note": Field(str)},
        "instruction": {"oa": Field(str, True),
                        "level": Field(str, True, lambda: tuple(rules.levels)),
                        "date": Field(dt.date, True), "leader": Field(str), "note": Field(str)},
        "commission": {"title": Field(str, True), "due": Field(dt.date, True),
                       "delivered": Field(dt.date), "note": Field(str)},
        "event": {"kind": Field(str, True, lambda: tuple(rules.events)),
                  "date": Field(dt.date, True), "note": Field(str)},
    }


def repo_root_of(ledger_root: Path) -> Path:
    """The git work tree holding the ledger, else the ledger folder's parent."""
    for folder in (ledger_root, *ledger_root.parents):
        if (folder / ".git").exists():
            return folder
    return ledger_root.parent


def load_ledger(ledger_root: Path,
                progress: Callable[[str], None] | None = None) -> tuple[Ledger, list[Problem]]:
    """Load every year folder under ``ledger_root``."""
    root = ledger_root.resolve()
    repo = repo_root_of(root)
    problems: list[Problem] = []
    years: dict[int, YearLedger] = {}
    if not root.is_dir():
        return Ledger(root, repo, {}), [Problem(_rel(root, repo), 0, "E104", "台账文件夹不存在。")]
    for entry in sorted(os.listdir(root)):
        if YEAR_DIR.match(entry) and (root / entry).is_dir():
            if progress:
                progress(f"读取 {entry} 年度台账")
            year, found = load_year(root / entry, repo)
            problems += found
            if year is not None:
                years[year.year] = year
    return Ledger(root, repo, years), problems


def _rel(path: Path, repo: Path) -> str:
    try:
        return path.relative_to(repo).as_posix()
    except ValueError:
        return path.as_posix()


def load_year(folder: Path, repo: Path) -> tuple[YearLedger | None, list[Problem]]:
    """One year: configuration first (without it nothing else can be checked), then months."""
    year, ypath = int(folder.name), _rel(folder, repo)
    problems: list[Problem] = []
    for name in ("units.toml", "rules.toml"):
        if not (folder / name).is_file():
            problems.append(Problem(f"{ypath}/{name}", 0, "E401",
                                    f"{year} 年度缺少 {name}：请从上一年度复制一份（或运行 "
                                    f"python build.py new-month {year}-01 --copy-config）后按当年情况修改。"))
    if problems:
        return None, problems
    units, found = config.load_units(folder / "units.toml", f"{ypath}/units.toml")
    problems += found
    rules, found = config.load_rules(folder / "rules.toml", f"{ypath}/rules.toml")
    problems += found
    if units is None or rules is None:
        return None, problems
    problems += config.check_unit_categories(units, rules, f"{ypath}/units.toml")
    fields = record_fields(rules)
    months: dict[int, dict[str, UnitMonth]] = {}
    bulletins: dict[int, str] = {}
    for entry in sorted(os.listdir(folder)):
        path = folder / entry
        if MONTH_DIR.match(entry) and path.is_dir():
            month, found = load_month(path, year, int(entry), units, rules, fields, repo)
            months[int(entry)] = month
            problems += found
            if (path / "bulletin.md").is_file():
                bulletins[int(entry)] = _read_markdown(path / "bulletin.md", repo, problems)
        elif entry not in YEAR_FILES and not entry.startswith("."):
            problems.append(Problem(f"{ypath}/{entry}", 0, "W102",
                                    "无法识别的文件或文件夹，已忽略（月份文件夹应为 01–12）。"))
    notice = (_read_markdown(folder / "notice.md", repo, problems)
              if (folder / "notice.md").is_file() else None)
    return YearLedger(year, ypath, units, rules, months, notice, bulletins), problems


def _read_markdown(path: Path, repo: Path, problems: list[Problem]) -> str:
    text, found = decode(path.read_bytes(), _rel(path, repo))
    problems += found
    return (text or "").replace("\r\n", "\n")


def load_month(folder: Path, year: int, month: int, units: tuple[Unit, ...], rules: Rules,
               fields: dict[str, dict[str, Field]],
               repo: Path) -> tuple[dict[str, UnitMonth], list[Problem]]:
    """Every unit's file of one month folder; a missing file is an empty month (W101)."""
    mpath = _rel(folder, repo)
    problems: list[Problem] = []
    known = {u.id for u in units}
    result: dict[str, UnitMonth] = {}
    for entry in sorted(os.listdir(folder)):
        stem, dot, ext = entry.rpartition(".")
        if ext == "toml" and dot:
            if stem not in known:
                problems.append(Problem(f"{mpath}/{entry}", 0, "E103",
                                        f"{stem} 不是 {year} 年度 units.toml 中的单位 id；"
                                        "请核对文件名，或先在 units.toml 中登记该单位。"))
                continue
            raw = (folder / entry).read_bytes()
            um, found = parse_unit_month(raw, f"{mpath}/{entry}", stem, year, month, rules,
                                         fields)
            result[stem] = um
            problems += found
        elif entry != "bulletin.md" and not entry.startswith("."):
            problems.append(Problem(f"{mpath}/{entry}", 0, "W102",
                                    "无法识别的文件，已忽略（台账文件应为 <单位id>.toml）。"))
    for unit in units:
        if unit.id not in result:
            path = f"{mpath}/{unit.id}.toml"
            result[unit.id] = UnitMonth(unit.id, year, month, path)
            problems.append(Problem(path, 0, "W101", f"{unit.name}（{unit.id}）本月台账文件缺失，"
                                    "按无记录处理；如确无报送，请提交空文件以示确认。"))
    return {u.id: result[u.id] for u in units}, problems


def parse_unit_month(raw: bytes, path: str, unit: str, year: int, month: int, rules: Rules,
                     fields: dict[str, dict[str, Field]]) -> tuple[UnitMonth, list[Problem]]:
    """Parse and check one unit file. Invalid records are left out, with their problems."""
    empty = UnitMonth(unit, year, month, path)
    text, problems = decode(raw, path)
    if text is None:
        return empty, problems
    data, problems = parse_toml(text, path)
    if data is None:
        return empty, problems
    if not data:
        return empty, []
    loc: Locator | None = None
    headers = header_lines(text)
    records: dict[str, list[Any]] = {}
    for key in data:
        if key not in RECORD_KINDS:
            loc = loc or Locator(text)
            problems.append(Problem(path, loc.line(key), "E201",
                                    f"未知的表 {key}：台账只有 [[info]]、[[adoption]]、[[instruction]]、"
                                    "[[commission]]、[[event]] 五种记录；请检查拼写。"))
    for kind in RECORD_KINDS:
        if kind not in data:
            continue
        tables, found = check_array(data, kind, path, loc or Locator(text))
        problems += found
        lines = headers.get(kind, [])
        out = records[kind] = []
        for i, table in enumerate(tables):
            values, found = _fast_check(table, fields[kind])
            if found:
                loc = loc or Locator(text)
                values, found = check_table(table, fields[kind], (kind, i), f"[[{kind}]]", loc, path)
                problems += found
            line = lines[i] if i < len(lines) else 1
            when = table.get(MONTH_DATE[kind]) if isinstance(table, dict) else None
            if type(when) is dt.date and (when.year, when.month) != (year, month):
                loc = loc or Locator(text)
                problems.append(Problem(path, loc.line(kind, i, MONTH_DATE[kind]), "E207",
                                        f"{MONTH_DATE[kind]} = {when} 不在本文件所属的 {year} 年 {month} 月；"
                                        "记录应写在其日期所在月份的台账中。"))
                continue
            if values is None:
                continue
            if kind == "info":
                values.setdefault("kind", rules.info_kind)
                found = _check_topic(values, rules, path, line,
                                     lambda: (loc or Locator(text)).line(kind, i, "topic"))
                if found:
                    problems += found
                    continue
            out.append(_build(kind, values, unit, path, line))
    return UnitMonth(unit, year, month, path, *(tuple(records.get(k, ())) for k in RECORD_KINDS)), problems


def _check_topic(values: dict[str, Any], rules: Rules, path: str, line: int,
                 topic_line: Callable[[], int]) -> list[Problem]:
    """A 专报 names its topic (E208); any other item has none (E209)."""
    topics = "、".join(rules.topics)
    if values["kind"] == rules.special_kind and not values.get("topic"):
        return [Problem(path, line, "E208", f"{rules.special_kind}必须填写 topic（{topics}）。")]
    if values["kind"] != rules.special_kind and values.get("topic"):
        return [Problem(path, topic_line(), "E209",
                        f"只有{rules.special_kind}填写 topic；本条为{values['kind']}，请删除 topic，"
                        f'或改为 kind = "{rules.special_kind}"。')]
    return []


def _fast_check(table: Any, fields: dict[str, Field]) -> tuple[dict[str, Any] | None, bool]:
    """The common case without building a Locator: True in second place means 'look closer'."""
    if not isinstance(table, dict):
        return None, True
    for key, value in table.items():
        field = fields.get(key)
        if field is None or not isinstance(value, field.type) or isinstance(value, dt.datetime) \
                or (field.type is str and not value.strip()) \
                or (field.choices is not None and value not in field.choices()):
            return None, True
    for name, field in fields.items():
        if field.required and name not in table:
            return None, True
    return table, False


def _build(kind: str, v: dict[str, Any], unit: str, path: str, line: int) -> Any:
    g = v.get
    if kind == "info":
        return Info(v["oa"].strip(), v["title"].strip(), v["date"], v["kind"],
                    g("topic"), g("note"), unit, path, line)
    if kind == "adoption":
        return Adoption(v["oa"].strip(), v["by"], v["date"], g("issue"), g("note"), unit, path, line)
    if kind == "instruction":
        return Instruction(v["oa"].strip(), v["level"], v["date"], g("leader"), g("note"), unit,
                           path, line)
    if kind == "commission":
        return Commission(v["title"].strip(), v["due"], g("delivered"), g("note"), unit, path, line)
    return Event(v["kind"], v["date"], g("note"), unit, path, line)
