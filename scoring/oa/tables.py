"""The three tables of an OA export, told apart by their headers, and the rows under them.

The header row is the first row of a sheet holding every required column of a table (title rows
and blank rows above it are skipped; extra columns are ignored). A header may hold the columns of
more than one table (a 报送 list with its 采用 columns): each row then gives a record of each
table whose own cells it fills. Header texts are compared without spaces, line breaks or the
``*`` that marks a required column; the ``--map`` file renames other layouts' columns.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .cells import Cell, text
from .workbook import Sheet

KEY = "信息编号"


class Table(NamedTuple):
    """One table of SPEC §6: its name, the ledger record it becomes, its columns."""

    name: str
    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)


TABLES = (
    Table("报送", "info", (KEY, "标题", "报送单位", "报送时间"), ("信息类型", "专报类别")),
    Table("采用", "adoption", (KEY, "采用刊物", "采用时间"), ("期数",)),
    Table("批示", "instruction", (KEY, "批示级别", "批示时间"), ("批示领导",)),
)
COLUMNS = tuple(dict.fromkeys(c for t in TABLES for c in t.columns))


class Source(NamedTuple):
    """Where a row came from: the file as given, its name, its sheet, its 1-based row."""

    file: str
    name: str
    sheet: str | None   # named only when the workbook has more than one sheet
    row: int

    def label(self) -> str:
        """``报送清单.xlsx 第12行`` (with the sheet when there are several): the ledger comment."""
        sheet = f" 工作表“{self.sheet}”" if self.sheet else ""
        return f"{self.name}{sheet} 第{self.row}行"


class Row(NamedTuple):
    """One row of one table: the cells under the table's columns present in the header."""

    table: Table
    source: Source
    cells: dict[str, Cell]

    def text(self, column: str) -> str:
        return text(self.cells.get(column))


_HEADER_NOISE = re.compile(r"[\s*＊]+")


def header_name(cell: Cell, renames: dict[str, str]) -> str:
    """A header cell's column name: its text without spaces and ``*``, renamed by the map."""
    name = _HEADER_NOISE.sub("", text(cell))
    return renames.get(name, name)


class Header(NamedTuple):
    """A sheet's header: its 0-based row, the tables it holds, each column's position."""

    at: int
    tables: tuple[Table, ...]
    positions: dict[str, int]


def find_header(sheet: Sheet, renames: dict[str, str]) -> Header | None:
    """The first row holding every required column of a table, or None."""
    for i, row in enumerate(sheet.rows):
        names = [header_name(c, renames) for c in row]
        found = tuple(t for t in TABLES if all(c in names for c in t.required))
        if found:
            positions: dict[str, int] = {}
            for at, name in enumerate(names):
                positions.setdefault(name, at)  # a repeated column name: the first one counts
            return Header(i, found, positions)
    return None


def near_miss(sheet: Sheet, renames: dict[str, str]) -> str | None:
    """For a sheet with no header: the row that comes closest to one, and what it lacks."""
    best: tuple[int, int, Table] | None = None
    for i, row in enumerate(sheet.rows[:50]):
        names = {header_name(c, renames) for c in row}
        for table in TABLES:
            have = sum(c in names for c in table.required)
            if have >= 2 and (best is None or have > best[0]):
                best = (have, i, table)
    if best is None:
        return None
    _, i, table = best
    names = {header_name(c, renames) for c in sheet.rows[i]}
    missing = "、".join(c for c in table.required if c not in names)
    return f"第{i + 1}行像是{table.name}表的表头，但缺少列：{missing}"


def table_rows(sheet: Sheet, header: Header, file: str, name: str,
               sheet_label: str | None) -> list[Row]:
    """The rows under a header, one per table whose cells the row fills.

    A row with every required cell empty is blank (a spacer, a 合计 line) and skipped, as is a
    repetition of the header. Under a header of several tables, a row whose cells of one table
    (other than 信息编号) are all empty has no record of that table.
    """
    rows: list[Row] = []
    wanted = {c: header.positions[c] for t in header.tables for c in t.columns
              if c in header.positions}
    required = {c for t in header.tables for c in t.required}
    top = sheet.rows[header.at]
    header_texts = {c: text(top[at]) for c, at in wanted.items()}
    for i in range(header.at + 1, len(sheet.rows)):
        raw = sheet.rows[i]
        cells = {c: raw[at] if at < len(raw) else None for c, at in wanted.items()}
        if all(not text(cells[c]) for c in required):
            continue
        if all(text(cells[c]) == header_texts[c] for c in required):
            continue  # the header again, as exports repeat it on every printed page
        source = Source(file, name, sheet_label, i + 1)
        for table in header.tables:
            own = [c for c in table.required if c != KEY]
            if len(header.tables) > 1 and all(not text(cells[c]) for c in own):
                continue
            rows.append(Row(table, source, {c: cells[c] for c in table.columns if c in cells}))
    return rows
