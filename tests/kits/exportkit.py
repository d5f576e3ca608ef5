"""OA export files for the import tests, written by real writers (no tests here).

    write_xlsx(tmp_path / "报送.xlsx", [["2023年5月报送清单"], [], HEADER, *rows], merge="A1:D1")
    write_csv(tmp_path / "采用.csv", rows, encoding="gbk")
    write_html_xls(tmp_path / "批示.xls", rows, encoding="gbk")
    write_xls(tmp_path / "报送.xls", rows)                # real BIFF, by xlwt

A row is a list of cells: text, numbers, dates and date-times as the writer stores them.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import xlwt

Cell = str | int | float | dt.date | None
Rows = Sequence[Sequence[Cell]]


def write_xlsx(path: Path, rows: Rows, merge: Sequence[str] = (), sheet: str = "Sheet1",
               more: dict[str, Rows] | None = None) -> Path:
    """An xlsx workbook (openpyxl): ``rows`` on its first sheet, ``more`` sheets after it."""
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for name, sheet_rows in {sheet: rows, **(more or {})}.items():
        if name != sheet:
            ws = book.create_sheet(name)
        for row in sheet_rows:
            ws.append(list(row))
        if name == sheet:
            for area in merge:
                ws.merge_cells(area)
    book.save(path)
    return path


def write_xls(path: Path, rows: Rows, merge: Sequence[tuple[int, int, int, int]] = ()) -> Path:
    """A real BIFF8 .xls (xlwt); dates get a date format, as Excel stores them.

    ``merge``: (first row, last row, first column, last column), 0-based; the top-left cell's
    value is the one in ``rows``."""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Sheet1")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    time_style = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    merged = {(r0, c0): (r1, c1) for r0, r1, c0, c1 in merge}
    covered = {(r, c) for r0, r1, c0, c1 in merge for r in range(r0, r1 + 1)
               for c in range(c0, c1 + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or ((r, c) in covered and (r, c) not in merged):
                continue
            style = (time_style if isinstance(value, dt.datetime) else
                     date_style if isinstance(value, dt.date) else xlwt.Style.default_style)
            if (r, c) in merged:
                r1, c1 = merged[(r, c)]
                ws.write_merge(r, r1, c, c1, value, style)
            else:
                ws.write(r, c, value, style)
    book.save(str(path))
    return path


def write_csv(path: Path, rows: Rows, encoding: str = "utf-8") -> Path:
    """A CSV file as Excel or WPS saves it (``utf-8-sig`` for UTF-8 with a BOM)."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(
        [["" if c is None else str(c) for c in row] for row in rows])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_html_xls(path: Path, rows: Rows, encoding: str = "utf-8",
                   spans: dict[tuple[int, int], str] | None = None) -> Path:
    """An HTML table saved as .xls, as OA systems export it; ``spans`` adds attributes such as
    ``colspan="4"`` to the cell at (row, column)."""
    charset = "gb2312" if encoding.lower() in ("gbk", "gb2312", "gb18030") else encoding
    lines = ['<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>',
             f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
             "<style>td { mso-number-format:\\@; }</style></head><body><table border=1>"]
    for r, row in enumerate(rows):
        cells = "".join(f"<td {(spans or {}).get((r, c), '')}>"
                        f"{'' if v is None else html.escape(str(v))}</td>"
                        for c, v in enumerate(row))
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</table></body></html>")
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the SHA-256 of its bytes (to show nothing changed)."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}
