"""HTML tables as rows of text: the ``.xls`` files many OA systems save (a web page, not BIFF).

Only tables are read (stdlib :mod:`html.parser`); text outside them, scripts and styles are
ignored. Each ``<table>`` is one grid: a cell spanning columns (``colspan``) holds its text in
its first column, the others stay empty, as Excel shows a merged cell; a cell spanning rows
(``rowspan``) holds it in every row it covers, since each of those rows is read as a record of
its own. Whitespace runs collapse to one space, as a browser shows them.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

MAX_SPAN = 1000  # a malformed span must not make a huge grid
_SPACE = re.compile(r"\s+")


class _Grid:
    """One table being read: finished rows, the current row, cells carried down by rowspan."""

    def __init__(self, index: int) -> None:
        self.index = index  # the table's place in the document (nested tables close first)
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None
        self.carried: dict[int, tuple[str, int]] = {}  # column → (text, rows still to fill)
        self.cell: list[str] | None = None
        self.span = (1, 1)

    def start_row(self) -> None:
        self.end_row()
        self.row = []

    def end_row(self) -> None:
        if self.row is None:
            return
        self.end_cell()
        self._fill_carried()
        self.rows.append(self.row)
        self.row = None

    def start_cell(self, colspan: int, rowspan: int) -> None:
        if self.row is None:
            self.start_row()
        self.end_cell()
        self.cell, self.span = [], (colspan, rowspan)

    def end_cell(self) -> None:
        if self.cell is None or self.row is None:
            return
        value = _SPACE.sub(" ", "".join(self.cell)).strip()
        self._fill_carried()
        colspan, rowspan = self.span
        column = len(self.row)
        self.row.extend([value] + [""] * (colspan - 1))
        if rowspan > 1:
            self.carried[column] = (value, rowspan - 1)
        self.cell = None

    def _fill_carried(self) -> None:
        """Put the texts of cells spanning down from above into the columns they cover."""
        assert self.row is not None
        while len(self.row) in self.carried:
            column = len(self.row)
            value, left = self.carried.pop(column)
            self.row.append(value)
            if left > 1:
                self.carried[column] = (value, left - 1)


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[_Grid] = []   # nested tables: the innermost is last
        self.done: list[_Grid] = []
        self.skip = 0                 # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "table":
            self.open.append(_Grid(len(self.open) + len(self.done)))
        elif not self.open:
            return
        elif tag == "tr":
            self.open[-1].start_row()
        elif tag in ("td", "th"):
            values = dict(attrs)
            self.open[-1].start_cell(_span(values.get("colspan")), _span(values.get("rowspan")))
        elif tag == "br" and self.open[-1].cell is not None:
            self.open[-1].cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif not self.open:
            return
        elif tag == "table":
            grid = self.open.pop()
            grid.end_row()
            self.done.append(grid)
        elif tag == "tr":
            self.open[-1].end_row()
        elif tag in ("td", "th"):
            self.open[-1].end_cell()

    def handle_data(self, data: str) -> None:
        if self.open and not self.skip and self.open[-1].cell is not None:
            self.open[-1].cell.append(data)


def _span(value: str | None) -> int:
    try:
        return min(max(int((value or "1").strip()), 1), MAX_SPAN)
    except ValueError:
        return 1


def looks_like_html(text: str) -> bool:
    """Whether decoded text is a web page (or a bare table) rather than CSV."""
    head = text[:4096].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml", "<table", "<meta")) \
        or "<table" in head


def html_tables(text: str) -> list[list[list[str]]]:
    """Every table of an HTML text, in document order, as rows of cell texts."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    while parser.open:  # tables left open by a truncated page
        grid = parser.open.pop()
        grid.end_row()
        parser.done.append(grid)
    return [g.rows for g in sorted(parser.done, key=lambda g: g.index)]
