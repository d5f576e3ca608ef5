"""The text the import appends to each unit file, in the ledger's documented layout.

Each record is a ``[[table]]`` with its keys in SPEC §2 order, dates unquoted, and above it a
comment naming the export row it came from (``# 导入：报送清单.xlsx 第12行``), so that the audit
trail reaches back to the OA export. Records are appended after what a file holds (its line
endings kept); a file that does not exist yet starts as ``new-month`` would make it (taplo's
``#:schema`` line, then the commented template), and a new month folder gets such a file for
every unit of the year, as ``new-month`` does, so the import leaves no file missing (W101) that
``new-month`` would have made. A file that exists keeps its first lines as they are.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

import tomli

from ..ledger.model import Ledger
from ..ledger.scaffold import new_file_text
from .records import NewRecord

KIND_ORDER = {"info": 0, "adoption": 1, "instruction": 2}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


class FileEdit(NamedTuple):
    """One unit file the import writes.

    path: where (absolute); shown: as problems name it (relative to the repository root);
    before: its bytes now (None for a new file); after: its bytes once imported; spans: the
    first and last line of each new record, to trace a problem back to its export row.
    """

    path: Path
    shown: str
    before: bytes | None
    after: bytes
    spans: tuple[tuple[int, int, NewRecord], ...]

    def source_of(self, line: int) -> NewRecord | None:
        return next((rec for first, last, rec in self.spans if first <= line <= last), None)


def toml_string(value: str) -> str:
    """A TOML basic string (quoted, with escapes)."""
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m[0], f"\\u{ord(m[0]):04x}"),
                                   value) + '"'


def record_text(rec: NewRecord) -> str:
    """One record as TOML: the provenance comment, the header, one line per key."""
    label = _CONTROL.sub("?", rec.source.label())
    lines = [f"# 导入：{label}", f"[[{rec.kind}]]"]
    for key, value in rec.fields.items():
        shown = toml_string(value) if isinstance(value, str) else value.isoformat()
        lines.append(f"{key} = {shown}")
    return "\n".join(lines) + "\n"


def _section(records: list[NewRecord], first_line: int) -> tuple[str, list[tuple[int, int]]]:
    """The appended text and each record's lines, checked to parse back to the records."""
    texts, spans, line = [], [], first_line
    for rec in records:
        text = record_text(rec)
        n = text.count("\n")
        spans.append((line, line + n - 1))
        texts.append(text)
        line += n + 1  # a blank line between records
    section = "\n".join(texts)
    expected: dict[str, list[dict[str, object]]] = defaultdict(list)
    for rec in records:
        expected[rec.kind].append(dict(rec.fields))
    if tomli.loads(section) != dict(expected):
        raise RuntimeError("导入生成的 TOML 无法还原为原记录（程序错误，请报告）：\n" + section)
    return section, spans


def _shown(path: Path, repo: Path) -> str:
    try:
        return path.relative_to(repo).as_posix()
    except ValueError:
        return path.as_posix()


def plan_edits(added: list[NewRecord], ledger: Ledger) -> list[FileEdit]:
    """Every file the records go to (and new month folders' other files), by path."""
    by_file: dict[tuple[int, int, str], list[NewRecord]] = defaultdict(list)
    for rec in added:
        by_file[(rec.date.year, rec.date.month, rec.unit)].append(rec)
    new_months = {(y, m) for y, m, _ in by_file
                  if not (ledger.root / f"{y:04d}" / f"{m:02d}").is_dir()}
    for year, month in new_months:
        for unit in ledger.years[year].units:
            by_file.setdefault((year, month, unit.id), [])
    edits = []
    order = {id(rec): i for i, rec in enumerate(added)}
    for (year, month, unit_id), records in by_file.items():
        # year and month come from checked dates, the unit id from units.toml (a safe name)
        path = ledger.root / f"{year:04d}" / f"{month:02d}" / f"{unit_id}.toml"
        records.sort(key=lambda r: (KIND_ORDER[r.kind], r.date, order[id(r)]))
        edits.append(_edit(path, _shown(path, ledger.repo_root), records, ledger, year, month))
    return sorted(edits, key=lambda e: e.shown)


def _edit(path: Path, shown: str, records: list[NewRecord], ledger: Ledger, year: int,
          month: int) -> FileEdit:
    year_ledger = ledger.years[year]
    before = path.read_bytes() if path.is_file() else None
    if before is None:
        head = new_file_text(year_ledger.unit(path.stem), year_ledger.rules, year, month)
        start = head.encode("utf-8")
    else:
        start = before
    newline = "\r\n" if b"\r\n" in start else "\n"
    if not records:
        return FileEdit(path, shown, before, start, ())
    gap = "" if not start else newline if start.endswith(b"\n") else newline * 2
    prefix = start + gap.encode()
    section, spans = _section(records, prefix.count(b"\n") + 1)
    after = prefix + section.replace("\n", newline).encode("utf-8")
    return FileEdit(path, shown, before, after,
                    tuple((a, b, rec) for (a, b), rec in zip(spans, records, strict=True)))
