"""Loading the ledger folder: years, their configuration, month folders and unit files.

``load_ledger`` walks ``<ledger>/<YYYY>/<MM>/<unit>.toml``: each year's configuration first
(without it nothing else of the year can be checked), then its month folders, file by file
(:mod:`scoring.ledger.unitfile`). It returns the ledger with every problem found within a
single file (schema, dates, allowed values); checks between records, across files and years,
are in :mod:`scoring.ledger.validate`.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..progress import Progress
from . import config
from .model import Ledger, Rules, Unit, UnitMonth, YearLedger
from .names import MONTH_DIR, Verdict, month_folder_entry, year_entry, year_folder_entry
from .noticetext import check_placeholders
from .problems import Problem
from .repo import repo_root_of
from .schema import Field, record_fields
from .tomlfile import blob_id, decode
from .unitfile import parse_unit_month

MAX_BYTES = 2 * 1024 * 1024  # a ledger file above this is refused before it is read (E106)


def _rel(path: Path, repo: Path) -> str:
    try:
        return path.relative_to(repo).as_posix()
    except ValueError:
        return path.as_posix()


class _Loader:
    """One load: the repository root, the problems found, the blob id of every file read."""

    def __init__(self, root: Path, progress: Progress | None) -> None:
        self.root, self.repo = root, repo_root_of(root)
        self.progress = progress
        self.problems: list[Problem] = []
        self.blobs: dict[str, str] = {}

    def read(self, path: Path) -> bytes | None:
        """A file's bytes (its blob id noted), or None with an E101 problem."""
        rel = _rel(path, self.repo)
        try:
            st = path.stat()
            if not stat.S_ISREG(st.st_mode):
                self.problems.append(Problem(rel, 0, "E101", "无法读取文件：不是普通文件。"))
                return None
            if st.st_size > MAX_BYTES:
                self.problems.append(Problem(
                    rel, 0, "E106", f"文件过大（{st.st_size / 1024 / 1024:.1f} MB），未读取："
                    f"台账文件不能超过 {MAX_BYTES // 1024 // 1024} MB（一个单位一个月的台账"
                    "通常只有几 KB）；请检查是否误放或误粘贴了其他内容。"))
                return None
            raw = path.read_bytes()
        except OSError as exc:
            self.problems.append(Problem(rel, 0, "E101", f"无法读取文件：{exc.strerror}"))
            return None
        self.blobs[rel] = blob_id(raw).hex()
        return raw

    def markdown(self, path: Path) -> str:
        raw = self.read(path)
        text, found = decode(raw or b"", _rel(path, self.repo))
        self.problems.extend(found)
        return (text or "").replace("\r\n", "\n")

    def years(self) -> dict[int, YearLedger]:
        folders = [e for e in sorted(os.listdir(self.root))
                   if self.verdict(self.root / e, year_entry(e, (self.root / e).is_dir()))]
        self.files_done = 0  # for the progress line: files read of all in the month folders
        self.files_total = sum(f.endswith(".toml") for y in folders
                               for m in os.listdir(self.root / y)
                               if MONTH_DIR.fullmatch(m) and (self.root / y / m).is_dir()
                               for f in os.listdir(self.root / y / m))
        years: dict[int, YearLedger] = {}
        for entry in folders:
            year = self.year(self.root / entry)
            if year is not None:
                years[year.year] = year
        return years

    def verdict(self, path: Path, verdict: Verdict) -> bool:
        """Whether to use the entry ``path``; its problem, if any, is noted."""
        if verdict.code:
            self.problems.append(Problem(_rel(path, self.repo), 0, verdict.code, verdict.message))
        return verdict.use

    def year(self, folder: Path) -> YearLedger | None:
        year, ypath = int(folder.name), _rel(folder, self.repo)
        missing = [n for n in ("units.toml", "rules.toml") if not (folder / n).is_file()]
        for name in missing:
            self.problems.append(Problem(
                f"{ypath}/{name}", 0, "E401",
                f"{year} 年度缺少 {name}：请从上一年度复制一份（或运行 "
                f"python build.py new-month {year}-01 --copy-config）后按当年情况修改。"))
        if missing:
            return None
        raw_units, raw_rules = self.read(folder / "units.toml"), self.read(folder / "rules.toml")
        if raw_units is None or raw_rules is None:
            return None
        units, found = config.load_units(raw_units, f"{ypath}/units.toml")
        self.problems += found
        rules, found = config.load_rules(raw_rules, f"{ypath}/rules.toml")
        self.problems += found
        if units is None or rules is None:
            return None
        self.problems += config.check_unit_categories(units, rules, f"{ypath}/units.toml")
        fields = record_fields(rules)
        months: dict[int, dict[str, UnitMonth]] = {}
        bulletins: dict[int, str] = {}
        for entry in sorted(os.listdir(folder)):
            path = folder / entry
            is_dir = path.is_dir()
            if self.verdict(path, year_folder_entry(entry, is_dir)) and is_dir:
                month = int(entry)
                months[month] = self.month(path, year, month, units, rules, fields)
                if (path / "bulletin.md").is_file():
                    bulletins[month] = self.markdown(path / "bulletin.md")
        notice = self.markdown(folder / "notice.md") if (folder / "notice.md").is_file() else None
        if notice is not None:
            self.problems += check_placeholders(f"{ypath}/notice.md", notice, rules)
        return YearLedger(year, ypath, units, rules, months, notice, bulletins)

    def month(self, folder: Path, year: int, month: int, units: tuple[Unit, ...], rules: Rules,
              fields: dict[str, dict[str, Field]]) -> dict[str, UnitMonth]:
        """Every unit's file of one month folder (an empty month where it is missing)."""
        mpath = _rel(folder, self.repo)
        known = {u.id for u in units}
        found: dict[str, UnitMonth] = {}
        for entry in sorted(os.listdir(folder)):
            stem, _, ext = entry.rpartition(".")
            path = f"{mpath}/{entry}"
            use = self.verdict(folder / entry,
                               month_folder_entry(entry, (folder / entry).is_dir(), known))
            if use and ext == "toml":
                self.files_done += 1
                if self.progress is not None:
                    self.progress.count("读取台账", self.files_done, self.files_total, "文件")
                if stem not in known:
                    self.problems.append(Problem(path, 0, "E103",
                                                 f"{stem} 不是 {year} 年度 units.toml 中的单位 id；"
                                                 "请核对文件名，或先在 units.toml 中登记该单位。"))
                    continue
                raw = self.read(folder / entry)
                if raw is None:
                    found[stem] = UnitMonth(stem, year, month, path)
                    continue
                found[stem], problems = parse_unit_month(raw, path, stem, year, month, rules,
                                                         fields)
                self.problems += problems
        return {u.id: found.get(u.id) or self.missing(mpath, year, month, u) for u in units}

    def missing(self, mpath: str, year: int, month: int, unit: Unit) -> UnitMonth:
        path = f"{mpath}/{unit.id}.toml"
        self.problems.append(Problem(path, 0, "W101", f"{unit.name}（{unit.id}）本月台账文件缺失，"
                                     "按无记录处理；如确无报送，请提交空文件以示确认。"))
        return UnitMonth(unit.id, year, month, path)


def load_ledger(ledger_root: Path,
                progress: Progress | None = None) -> tuple[Ledger, list[Problem]]:
    """Every year folder under ``ledger_root``, with every problem found in a single file."""
    root = ledger_root.resolve()
    loader = _Loader(root, progress)
    if not root.is_dir():
        return Ledger(root, loader.repo, {}), [
            Problem(_rel(root, loader.repo), 0, "E104", "台账文件夹不存在。")]
    years = loader.years()
    return Ledger(root, loader.repo, years, loader.blobs), loader.problems
