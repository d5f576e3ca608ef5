"""Synthetic ledgers for the benchmark: a district (47 units) or a city (450 units), N years,
in two styles.

The months are written by the demonstration year's generator (:func:`scoring.demo.generate_year`,
deterministic for a seed), so the benchmark measures the same kind of files as the demo year:
about 90 items per unit and year, a third of them adopted, 专报, instructions, commissions,
events, and the quarterly bulletins and annual notice in Markdown. Each year folder gets the 2023
rules.toml and a units.toml: the district's 47 units, or 450 synthetic units spread over the
four categories in the district's proportions.

The ``hand`` style then makes the files look typed by clerks (:func:`hand_edit`): a comment
line on top, comments after values, titles with escaped quotes and backslashes, keys in other
orders, Windows line ends in a third of the files, and some files of months without items left
out (W101): what a real office's ledger looks like, not what the generator writes.
"""
from __future__ import annotations

import random
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import tomli

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scoring import demo

STAMP = "benchgen 3 (scoring.demo, two styles)"  # change when the ledgers change: regenerated
CATEGORY_SHARE = (13, 14, 15, 5)  # the district's mix of categories, scaled up for a city


def synthetic_units(count: int) -> list[dict[str, object]]:
    """``count`` units (id, name, category) spread over the four categories like the district."""
    total = sum(CATEGORY_SHARE)
    sizes = [count * s // total for s in CATEGORY_SHARE]
    sizes[0] += count - sum(sizes)
    units: list[dict[str, object]] = []
    for category, size in enumerate(sizes, 1):
        for _ in range(size):
            n = len(units) + 1
            units.append({"id": f"u{n:03d}", "name": f"示例单位{n:03d}", "category": category})
    return units


def district_units(config_dir: Path) -> list[dict[str, object]]:
    """The units of ``config_dir/units.toml`` (the district's 47)."""
    data = tomli.loads((config_dir / "units.toml").read_text(encoding="utf-8"))
    return [{"id": u["id"], "name": u["name"], "category": u["category"]} for u in data["unit"]]


def units_toml(units: list[dict[str, object]]) -> str:
    lines = ["# 基准测试用的单位名录（示例数据）\n"]
    for u in units:
        lines.append(f'[[unit]]\nid = "{u["id"]}"\nname = "{u["name"]}"\n'
                     f'category = {u["category"]}\n')
    return "\n".join(lines)


def generate_ledger(ledger_root: Path, years: range, units: list[dict[str, object]],
                    config_dir: Path, seed: int = 2023) -> int:
    """Write ``years`` of ledger for ``units`` under ``ledger_root``; returns the file count."""
    if ledger_root.exists():
        shutil.rmtree(ledger_root)
    for year in years:
        folder = ledger_root / str(year)
        folder.mkdir(parents=True)
        shutil.copyfile(config_dir / "rules.toml", folder / "rules.toml")
        (folder / "units.toml").write_text(units_toml(units), encoding="utf-8")
        demo.generate_year(ledger_root, year, seed=seed, units=units)
    return len(years) * 12 * len(units)


_TITLE = re.compile(r'^title = "(.*)"$', re.M)
_INFO_OA = re.compile(r'^\[\[info\]\]\noa = "(.*)"$', re.M)
_REFERENCE = re.compile(r'^\[\[(?:adoption|instruction)\]\]\noa = "(.*)"$', re.M)
_TABLE = re.compile(r"^\[\[(\w+)\]\]\n((?:\w+ = .*\n)+)", re.M)


def hand_edit(ledger_root: Path, seed: int = 7) -> None:
    """Rewrite every unit file of ``ledger_root`` as a clerk's hand might have (see above)."""
    rng = random.Random(seed)
    paths = sorted(ledger_root.glob("*/[01][0-9]/*.toml"))
    named = Counter(m[1] for p in paths for m in _REFERENCE.finditer(p.read_text("utf-8")))
    for path in paths:
        text = path.read_text(encoding="utf-8")
        elsewhere = named - Counter(m[1] for m in _REFERENCE.finditer(text))
        if rng.random() < 0.03 and not any(elsewhere[oa] for oa in _INFO_OA.findall(text)):
            path.unlink()   # a file never made (W101): no item of it is named by another
            continue
        text = _TITLE.sub(lambda m: 'title = "关于\\"' + m[1][:6] + '\\"的情况（见\\\\附件）'
                          + m[1][6:] + '"' if rng.random() < 0.3 else m[0], text)

        def shuffle(m: re.Match[str]) -> str:
            lines = m[2].splitlines(keepends=True)
            rng.shuffle(lines)
            if rng.random() < 0.3:
                lines[-1] = lines[-1].rstrip("\n") + "   # 已核对\n"
            return f"[[{m[1]}]]\n" + "".join(lines)
        text = _TABLE.sub(shuffle, text)
        year, month = path.parent.parent.name, path.parent.name
        text = f"# {year}年{month}月 {path.stem} 台账（信息员录入）\n" + text
        if rng.random() < 0.33:
            text = text.replace("\n", "\r\n")
        path.write_bytes(text.encode("utf-8"))
