"""Deterministic generator of the demonstration year (示例数据): ``ledger/<YYYY>/<MM>/<unit>.toml``.

The repository ships a complete, clearly labelled demonstration year so that a new user's first
build shows a full site. Everything here is a pure function of ``(year, units, seed)``: one
``random.Random`` seeded from ``seed`` and ``year`` is consumed in a fixed order (units in
registry order, months in calendar order, never a set or dict of unknown order), there is no
wall-clock time, and the TOML text is written by hand, so a rerun reproduces every file byte for
byte. The whole year is always simulated; ``months`` only selects which folders are written, so a
partial year is a prefix of the full one. OA numbers are ``KDL-<YYYY>-<NNNNN>``, numbered in date
order per year, hence unique across years and units (a benchmark can call :func:`generate_year`
for many years and many synthetic units; unknown unit names get a generic vocabulary).

    python -m scoring.demo [--ledger DIR] [--year 2023] [--seed 2023]
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import tomli

from .simulate import UnitPlan, count_records, short_units, simulate, tally
from .texts import bulletin, notice, render_unit_month
from .vocabulary import DEFAULT_DOCUMENT


def _read_toml(path: Path) -> dict[str, Any]:
    return tomli.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def generate_year(ledger_root: Path, year: int, *, seed: int = 2023,
                  units: list[dict[str, Any]] | None = None, months: range = range(1, 13),
                  label: bool = True) -> None:
    """Write ``<ledger_root>/<year>/<MM>/<unit>.toml`` for ``months``, every unit a file.

    ``units`` (dicts with id, name, category) defaults to the year's units.toml; targets and the
    rulebook's title come from its rules.toml when present. With ``label`` (the default) every
    file starts with the 示例数据 comment and the quarter-end months get a ``bulletin.md`` and
    December the year's ``notice.md``; without it only the bare records are written (benchmarks).
    """
    _generate(Path(ledger_root), year, seed, units, months, label)


def _generate(ledger_root: Path, year: int, seed: int, units: list[dict[str, Any]] | None,
              months: Any,
              label: bool) -> list[UnitPlan]:
    folder = ledger_root / f"{year:04d}"
    if units is None:
        units = _read_toml(folder / "units.toml")["unit"]
    rules = _read_toml(folder / "rules.toml")
    doc = rules.get("document", {})
    document = (doc.get("title", DEFAULT_DOCUMENT[0]), doc.get("number", DEFAULT_DOCUMENT[1]))
    plans = simulate(year, units, rules, seed)
    for month in months:
        for plan in plans:
            _write(folder / f"{month:02d}" / f"{plan.unit['id']}.toml",
                   render_unit_month(plan, year, month, label))
        if label and month % 3 == 0:
            _write(folder / f"{month:02d}" / "bulletin.md", bulletin(plans, year, month, document))
    if label and 12 in months:
        _write(folder / "notice.md", notice(year, document))
    return plans


def summary(plans: list[UnitPlan]) -> list[str]:
    """Human-readable totals of a simulated year (printed by :func:`main`)."""
    y, counts = range(1, 13), tally(plans)
    lines = [(f"info {count_records(plans, y, 'info')} (专报 {count_records(plans, y, 'info', 'kind', ('专报',))}), "
              f"adoptions {count_records(plans, y, 'adoption')}, instructions {count_records(plans, y, 'instruction')}, "
              f"commissions {count_records(plans, y, 'commission')}, events {count_records(plans, y, 'event')}")]
    for cat in sorted({p.unit["category"] for p in plans}):
        group = [p for p in plans if p.unit["category"] == cat]
        sub = sum(sum(r[0] for r in counts[p.index]) for p in group) / len(group)
        ado = sum(sum(r[1] for r in counts[p.index]) for p in group) / len(group)
        lines.append(f"category {cat}: {len(group)} units, average submitted {sub:.1f}, "
                     f"adopted {ado:.1f} (targets {group[0].targets[0]}/{group[0].targets[1]})")
    lines.append("below annual target: " + "、".join(short_units(plans, y, annual=True)))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring.demo",
                                     description="生成演示年度台账（示例数据）")
    parser.add_argument("--ledger", type=Path,
                        default=Path(__file__).resolve().parents[2] / "ledger")
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args(argv)
    plans = _generate(args.ledger, args.year, args.seed, None, range(1, 13), True)
    print(f"wrote {args.ledger / str(args.year)}: {len(plans)} units × 12 months")
    for line in summary(plans):
        print(line)
    return 0
