"""Loading the ledger folder: years, their configuration, month folders and unit files.

``load_ledger`` walks ``<ledger>/<YYYY>/<MM>/<unit>.toml`` in two steps: ``plan_ledger`` reads
each year's configuration and lists its files; :func:`scoring.parsefiles.parse_files` parses
them (from the cache, on one core or two). It returns the ledger with every problem found in a
single file (schema, dates, allowed values). Checks between records, across files and years,
are in :mod:`scoring.validate`; the per-file parser is :mod:`scoring.unitfile`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import config
from .model import Ledger, Rules, Unit, UnitMonth, YearLedger
from .problems import Problem
from .schema import Field
from .source import decode
from .unitfile import MONTH_DATE, RECORD_KINDS, Schema, compile_schema, header_lines
from .unitfile import parse_unit_month as parse_with_schema

if TYPE_CHECKING:
    from .cache import ParseCache

__all__ = ["MONTH_DATE", "RECORD_KINDS", "header_lines", "load_ledger", "parse_unit_month",
           "plan_ledger", "record_fields"]

YEAR_DIR = re.compile(r"^\d{4}$")
MONTH_DIR = re.compile(r"^(0[1-9]|1[0-2])$")
YEAR_FILES = {"units.toml", "rules.toml", "notice.md"}


class UnitFile(NamedTuple):
    """A unit's month file to parse: absolute and displayed path, unit, year, month."""

    abs: str
    path: str
    unit: str
    year: int
    month: int


class YearPlan(NamedTuple):
    """A year whose configuration loaded, with the unit files of each month folder.

    config_digest: hash of units.toml and rules.toml, part of every cached file's key.
    """

    year: int
    path: str
    units: tuple[Unit, ...]
    rules: Rules
    schema: Schema
    config_digest: bytes
    months: dict[int, list[UnitFile]]
    notice_md: str | None
    bulletins_md: dict[int, str]
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


def load_ledger(ledger_root: Path, progress: Callable[[str], None] | None = None,
                cache: ParseCache | None = None,
                digests: dict[str, bytes] | None = None) -> tuple[Ledger, list[Problem]]:
    """Load every year folder under ``ledger_root``.

    ``cache`` keeps parsed files between builds; ``digests`` are the SHA-1 of files already
    hashed (absolute path → digest), so they need not be read when the cache has them.
    """
    from .parsefiles import parse_files
    root = ledger_root.resolve()
    repo = repo_root_of(root)
    if not root.is_dir():
        return Ledger(root, repo, {}), [Problem(_rel(root, repo), 0, "E104", "台账文件夹不存在。")]
    plans, problems = plan_ledger(root, repo)
    files = [f for plan in plans for found in plan.months.values() for f in found]
    parsed = parse_files(files, {p.year: p for p in plans}, cache, progress, digests=digests)
    years: dict[int, YearLedger] = {}
    for plan in plans:
        months: dict[int, dict[str, UnitMonth]] = {}
        for month, found in plan.months.items():
            by_unit: dict[str, UnitMonth] = {}
            for f in found:
                by_unit[f.unit], more = parsed[f.path]
                problems += more
            months[month] = {u.id: by_unit.get(u.id) or _missing(plan, month, u, problems)
                             for u in plan.units}
        years[plan.year] = YearLedger(plan.year, plan.path, plan.units, plan.rules, months,
                                      plan.notice_md, plan.bulletins_md)
    return Ledger(root, repo, years), problems


def _missing(plan: YearPlan, month: int, unit: Unit, problems: list[Problem]) -> UnitMonth:
    path = f"{plan.path}/{month:02d}/{unit.id}.toml"
    problems.append(Problem(path, 0, "W101", f"{unit.name}（{unit.id}）本月台账文件缺失，"
                            "按无记录处理；如确无报送，请提交空文件以示确认。"))
    return UnitMonth(unit.id, plan.year, month, path)


def _rel(path: Path, repo: Path) -> str:
    try:
        return path.relative_to(repo).as_posix()
    except ValueError:
        return path.as_posix()


def plan_ledger(root: Path, repo: Path) -> tuple[list[YearPlan], list[Problem]]:
    """Every year folder whose configuration loads, with its files listed (not yet parsed)."""
    plans: list[YearPlan] = []
    problems: list[Problem] = []
    for entry in sorted(os.listdir(root)):
        if YEAR_DIR.match(entry) and (root / entry).is_dir():
            plan, found = plan_year(root / entry, repo)
            problems += found
            if plan is not None:
                plans.append(plan)
    return plans, problems


def plan_year(folder: Path, repo: Path) -> tuple[YearPlan | None, list[Problem]]:
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
    digest = hashlib.sha1((folder / "units.toml").read_bytes() + b"\0"
                          + (folder / "rules.toml").read_bytes()).digest()
    known = {u.id for u in units}
    months: dict[int, list[UnitFile]] = {}
    bulletins: dict[int, str] = {}
    for entry in sorted(os.listdir(folder)):
        path = folder / entry
        if MONTH_DIR.match(entry) and path.is_dir():
            months[int(entry)] = list_month(path, year, int(entry), known, repo, problems)
            if (path / "bulletin.md").is_file():
                bulletins[int(entry)] = _read_markdown(path / "bulletin.md", repo, problems)
        elif entry not in YEAR_FILES and not entry.startswith("."):
            problems.append(Problem(f"{ypath}/{entry}", 0, "W102",
                                    "无法识别的文件或文件夹，已忽略（月份文件夹应为 01–12）。"))
    notice = (_read_markdown(folder / "notice.md", repo, problems)
              if (folder / "notice.md").is_file() else None)
    schema = compile_schema(record_fields(rules), rules)
    return YearPlan(year, ypath, units, rules, schema, digest, months, notice,
                    bulletins), problems


def _read_markdown(path: Path, repo: Path, problems: list[Problem]) -> str:
    text, found = decode(path.read_bytes(), _rel(path, repo))
    problems += found
    return (text or "").replace("\r\n", "\n")


def list_month(folder: Path, year: int, month: int, known: set[str], repo: Path,
               problems: list[Problem]) -> list[UnitFile]:
    """The unit files of one month folder, in name order; strays are reported (E103, W102)."""
    mpath = _rel(folder, repo)
    found: list[UnitFile] = []
    for entry in sorted(os.listdir(folder)):
        stem, dot, ext = entry.rpartition(".")
        if ext == "toml" and dot:
            if stem not in known:
                problems.append(Problem(f"{mpath}/{entry}", 0, "E103",
                                        f"{stem} 不是 {year} 年度 units.toml 中的单位 id；"
                                        "请核对文件名，或先在 units.toml 中登记该单位。"))
                continue
            found.append(UnitFile(os.path.join(folder, entry), f"{mpath}/{entry}", stem, year,
                                  month))
        elif entry != "bulletin.md" and not entry.startswith("."):
            problems.append(Problem(f"{mpath}/{entry}", 0, "W102",
                                    "无法识别的文件，已忽略（台账文件应为 <单位id>.toml）。"))
    return found


_compiled: dict[int, tuple[dict[str, dict[str, Field]], Schema]] = {}


def parse_unit_month(raw: bytes, path: str, unit: str, year: int, month: int, rules: Rules,
                     fields: dict[str, dict[str, Field]]) -> tuple[UnitMonth, list[Problem]]:
    """Parse and check one unit file, for callers holding a year's rules and record fields.

    The schema is compiled once per ``fields`` object (kept alive here, so its id stays valid).
    """
    entry = _compiled.get(id(fields))
    if entry is None or entry[0] is not fields or entry[1].rules is not rules:
        if len(_compiled) > 64:
            _compiled.clear()
        entry = _compiled[id(fields)] = (fields, compile_schema(fields, rules))
    return parse_with_schema(raw, path, unit, year, month, entry[1])
