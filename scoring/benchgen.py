"""Synthetic ledgers for the benchmark: a district (47 units) or a city (450 units), N years.

The months are written by the demonstration year's generator (:func:`scoring.demo.generate_year`,
deterministic for a seed), so the benchmark measures the same kind of files as the demo year:
about 90 items per unit and year, a third of them adopted, 专报, instructions, commissions,
events, and the quarterly bulletins and annual notice in Markdown. Each year folder gets the 2023
rules.toml and a units.toml: the district's 47 units, or 450 synthetic units spread over the
four categories in the district's proportions.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import tomli

from . import demo

STAMP = "benchgen 2 (scoring.demo)"  # change when the generated ledgers change: bench regenerates
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
