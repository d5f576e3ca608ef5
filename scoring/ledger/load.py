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
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from ..progress import Progress
from ..reuse import Reuse
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
T = TypeVar("T")


def _rel(path: Path, repo: Path) -> str:
    try:
        return path.relative_to(repo).as_posix()
    except ValueError:
        return path.as_posix()


class _Loader:
    """One load: the repository root, the problems found, the blob id of every file read."""

    def __init__(self, root: Path, progress: Progress | None, reuse: Reuse | None) -> None:
        self.root, self.repo = root, repo_root_of(root)
        self.progress, self.reuse = progress, reuse
        self.problems: list[Problem] = []
        self.blobs: dict[str, str] = {}

    def parsed(self, path: str | Path, rel: str, using: object,
               parse: Callable[[bytes | None], T]) -> T:
        """``parse`` of the bytes of the file at ``path`` (shown as ``rel``; None when
        unreadable), its problems noted.

        Under ``serve`` (a ``reuse``), the last load's parse is taken while the file's
        ``stat`` and ``using`` (what else the parse depends on) are unchanged.
        """
        if self.reuse is None:
            return parse(self.read(path, rel))
        try:
            st = os.stat(path)
        except OSError:
            return parse(self.read(path, rel))  # read() says why

        def make() -> tuple[T, str | None, list[Problem]]:
            start = len(self.problems)
            value = parse(self.read(path, rel))
            found = self.problems[start:]
            del self.problems[start:]
            return value, self.blobs.get(rel), found
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_mode, using)
        value, blob, found = self.reuse.get(("file", rel), stamp, make)
        if blob is not None:
            self.blobs[rel] = blob
        self.problems += found
        return value

    def read(self, path: str | Path, rel: str) -> bytes | None:
        """A file's bytes (its blob id noted), or None with an E101 problem."""
        try:
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode):
                self.problems.append(Problem(rel, 0, "E101", "无法读取文件：不是普通文件。"))
                return None
            if st.st_size > MAX_BYTES:
                self.problems.append(Problem(
                    rel, 0, "E106", f"文件过大（{st.st_size / 1024 / 1024:.1f} MB），未读取："
                    f"台账文件不能超过 {MAX_BYTES // 1024 // 1024} MB（一个单位一个月的台账"
                    "通常只有几 KB）；请检查是否误放或误粘贴了其他内容。"))
                return None
            with open(path, "rb") as fh:
                raw = fh.read()
        except OSError as exc:
            self.problems.append(Problem(rel, 0, "E101", f"无法读取文件：{exc.strerror}"))
            return None
        self.blobs[rel] = blob_id(raw).hex()
        return raw

    def markdown(self, path: Path) -> str:
        def parse(raw: bytes | None) -> str:
            text, found = decode(raw or b"", _rel(path, self.repo))
            self.problems.extend(found)
            return (text or "").replace("\r\n", "\n")
        return self.parsed(path, _rel(path, self.repo), None, parse)

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

    def config(self, raw: bytes | None,
               load: Callable[[bytes, str], tuple[T | None, list[Problem]]], path: str) -> T | None:
        """units.toml or rules.toml loaded (None when unreadable or wrong)."""
        if raw is None:
            return None
        value, found = load(raw, path)
        self.problems += found
        return value

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
        upath, rpath = f"{ypath}/units.toml", f"{ypath}/rules.toml"
        units = self.parsed(folder / "units.toml", upath, None,
                            lambda raw: self.config(raw, config.load_units, upath))
        rules = self.parsed(folder / "rules.toml", rpath, None,
                            lambda raw: self.config(raw, config.load_rules, rpath))
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
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        for entry in entries:
            stem, _, ext = entry.name.rpartition(".")
            path = f"{mpath}/{entry.name}"
            verdict = month_folder_entry(entry.name, is_dir(entry), known)
            if verdict.code:
                self.problems.append(Problem(path, 0, verdict.code, verdict.message))
            if verdict.use and ext == "toml":
                self.files_done += 1
                if self.progress is not None:
                    self.progress.count("读取台账", self.files_done, self.files_total, "文件")
                if stem not in known:
                    self.problems.append(Problem(path, 0, "E103",
                                                 f"{stem} 不是 {year} 年度 units.toml 中的单位 id；"
                                                 "请核对文件名，或先在 units.toml 中登记该单位。"))
                    continue
                found[stem] = self.parsed(entry.path, path, rules, partial(
                    self.unit_month, path=path, stem=stem, year=year, month=month, rules=rules,
                    fields=fields))
        return {u.id: found.get(u.id) or self.missing(mpath, year, month, u) for u in units}

    def unit_month(self, raw: bytes | None, *, path: str, stem: str, year: int, month: int,
                   rules: Rules, fields: dict[str, dict[str, Field]]) -> UnitMonth:
        if raw is None:
            return UnitMonth(stem, year, month, path)
        found, problems = parse_unit_month(raw, path, stem, year, month, rules, fields)
        self.problems += problems
        return found

    def missing(self, mpath: str, year: int, month: int, unit: Unit) -> UnitMonth:
        path = f"{mpath}/{unit.id}.toml"
        self.problems.append(Problem(path, 0, "W101", f"{unit.name}（{unit.id}）本月台账文件缺失，"
                                     "按无记录处理；如确无报送，请提交空文件以示确认。"))
        return UnitMonth(unit.id, year, month, path)


def is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether a folder entry is a folder (a symlink loop is not: reading it says why)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def load_ledger(ledger_root: Path, progress: Progress | None = None,
                reuse: Reuse | None = None) -> tuple[Ledger, list[Problem]]:
    """Every year folder under ``ledger_root``, with every problem found in a single file.

    ``reuse``: parses kept from the last load of the same ledger (``serve``, :mod:`scoring.reuse`).
    """
    root = ledger_root.resolve()
    loader = _Loader(root, progress, reuse)
    if not root.is_dir():
        return Ledger(root, loader.repo, {}), [
            Problem(_rel(root, loader.repo), 0, "E104", "台账文件夹不存在。")]
    years = loader.years()
    return Ledger(root, loader.repo, years, loader.blobs), loader.problems
