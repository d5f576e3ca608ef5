"""Synthetic ledgers for the benchmark: a district (47 units) or a city (450 units), N years.

Generation is deterministic (one seeded ``random.Random`` per unit-year) and writes plain text,
so a 54,000-file city ledger takes seconds. Density follows the office's real figures: about 90
items per unit and year, about 35% of them adopted, a few 专报, instructions, commissions and
events. When :mod:`scoring.demo` is available its generator writes the months instead, so the
benchmark measures the same kind of files as the demonstration year.
"""
from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path


STAMP = "benchgen 1"  # change when the generated ledgers change, so the bench regenerates them
CATEGORY_SHARE = (13, 14, 15, 5)  # the district's mix of categories, scaled up for a city
CHANNELS = {"信息": ("要情", "区刊", "市刊", "自治区刊"), "专报": ("上报", "市刊", "自治区刊")}
TOPICS = ("问题建议", "经验做法", "调研总结")
EVENTS = ("轮训", "调研配合", "迟漏瞒错报", "失实滞后", "缺席会议", "工作失误")
EVENT_WEIGHTS = (30, 20, 6, 10, 6, 1)
TITLES = ("召开安全生产工作会议", "开展营商环境优化专项行动", "推进老旧小区改造", "举办就业招聘会",
          "部署防汛备汛工作", "开展民生实事督查", "推进数字政府建设", "落实减税降费政策")


def synthetic_units(count: int) -> list[tuple[str, str, int]]:
    """``count`` units (id, name, category) spread over the four categories like the district."""
    total = sum(CATEGORY_SHARE)
    sizes = [count * s // total for s in CATEGORY_SHARE]
    sizes[0] += count - sum(sizes)
    units = []
    for category, size in enumerate(sizes, 1):
        for _ in range(size):
            n = len(units) + 1
            units.append((f"u{n:03d}", f"示例单位{n:03d}", category))
    return units


def units_toml(units: list[tuple[str, str, int]]) -> str:
    lines = ["# 基准测试用的合成单位名录（示例数据）\n"]
    for uid, name, category in units:
        lines.append(f'[[unit]]\nid = "{uid}"\nname = "{name}"\ncategory = {category}\n')
    return "\n".join(lines)


def district_units(config_dir: Path) -> list[tuple[str, str, int]]:
    import tomli
    data = tomli.loads((config_dir / "units.toml").read_text(encoding="utf-8"))
    return [(u["id"], u["name"], u["category"]) for u in data["unit"]]


def generate_ledger(ledger_root: Path, years: range, units: list[tuple[str, str, int]],
                    config_dir: Path, seed: int = 2023) -> int:
    """Write ``years`` of ledger for ``units`` under ``ledger_root``; returns the file count."""
    if ledger_root.exists():
        shutil.rmtree(ledger_root)
    files = 0
    for year in years:
        folder = ledger_root / str(year)
        folder.mkdir(parents=True)
        shutil.copyfile(config_dir / "rules.toml", folder / "rules.toml")
        (folder / "units.toml").write_text(units_toml(units), encoding="utf-8")
        files += write_year(folder, year, units, seed)
    return files


def write_year(folder: Path, year: int, units: list[tuple[str, str, int]], seed: int) -> int:
    """Twelve month folders of one year: one file per unit and month."""
    months: dict[int, dict[str, list[str]]] = {m: {} for m in range(1, 13)}
    for order, (uid, _, category) in enumerate(units):
        rng = random.Random(f"{seed}-{year}-{uid}")
        for month, text in unit_year(rng, year, order, category).items():
            months[month][uid] = text
    for month, texts in months.items():
        mdir = folder / f"{month:02d}"
        mdir.mkdir()
        for uid, _, _ in units:
            (mdir / f"{uid}.toml").write_text("".join(texts.get(uid, ())), encoding="utf-8")
    return 12 * len(units)


def _day(rng: random.Random, year: int, month: int, earliest: int = 1) -> dt.date:
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, rng.randint(min(earliest, last), last))


def unit_year(rng: random.Random, year: int, order: int, category: int) -> dict[int, list[str]]:
    """One unit's records of one year, as TOML text chunks per month."""
    out: dict[int, list[str]] = {m: [f"# 示例单位 {year} 年 {m} 月台账（基准测试合成数据）\n"]
                                 for m in range(1, 13)}
    target = (90, 80, 80, 60)[category - 1]
    count = max(12, int(rng.gauss(target, target * 0.12)))
    seq = 0
    for month in range(1, 13):
        for _ in range(count // 12 + (1 if rng.random() < (count % 12) / 12 else 0)):
            seq += 1
            oa = f"B{year}-{order:03d}-{seq:04d}"
            date = _day(rng, year, month)
            special = rng.random() < 0.06
            kind = "专报" if special else "信息"
            title = f"{rng.choice(TITLES)}（第{seq}条）"
            extra = f'kind = "专报"\ntopic = "{rng.choice(TOPICS)}"\n' if special else ""
            out[month].append(f'\n[[info]]\noa = "{oa}"\ntitle = "{title}"\ndate = {date}\n{extra}')
            if rng.random() < 0.35:
                _adopt(rng, out, year, month, date, oa, kind)
            if rng.random() < 0.02:
                later = min(12, month + rng.randint(0, 1))
                day = _day(rng, year, later, date.day if later == month else 1)
                level = rng.choice(("区", "区", "市", "自治区"))
                out[later].append(f'\n[[instruction]]\noa = "{oa}"\nlevel = "{level}"\n'
                                  f'date = {day}\nleader = "分管领导"\n')
    for _ in range(rng.randint(1, 4)):
        month = rng.randint(1, 12)
        due = _day(rng, year, month)
        late = rng.random() < 0.1
        delivered = "" if late else f"delivered = {due - dt.timedelta(days=rng.randint(0, 3))}\n"
        out[month].append(f'\n[[commission]]\ntitle = "关于重点工作的约稿"\ndue = {due}\n{delivered}')
    for _ in range(rng.randint(0, 4)):
        month = rng.randint(1, 12)
        kind = rng.choices(EVENTS, EVENT_WEIGHTS)[0]
        out[month].append(f'\n[[event]]\nkind = "{kind}"\ndate = {_day(rng, year, month)}\n'
                          f'note = "示例事项"\n')
    return out


def _adopt(rng: random.Random, out: dict[int, list[str]], year: int, month: int,
           date: dt.date, oa: str, kind: str) -> None:
    """One or two channels adopt the item, in its month or the next (never past December)."""
    channels = CHANNELS[kind]
    for by in rng.sample(channels, 2 if rng.random() < 0.15 else 1):
        later = min(12, month + (1 if rng.random() < 0.3 else 0))
        day = _day(rng, year, later, date.day if later == month else 1)
        out[later].append(f'\n[[adoption]]\noa = "{oa}"\nby = "{by}"\ndate = {day}\n'
                          f'issue = "第{rng.randint(1, 60)}期"\n')

