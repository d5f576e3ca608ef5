"""An export file's bytes as sheets of cells, the format told by the bytes, never by the name.

- a zip archive (``PK``): an ``.xlsx`` (or ``.ods``) workbook;
- an OLE2 compound file: a real BIFF ``.xls`` — both read by python-calamine, which gives
  date-formatted cells as dates and date-times;
- anything else is text, in UTF-8 (with or without a byte-order mark), UTF-16 with its mark,
  or GBK/GB18030: a web page (the HTML table many OA systems save as ``.xls``,
  :mod:`.htmltable`) or CSV (comma or tab separated).

Row ``i`` of :attr:`Sheet.rows` is the sheet's row ``i + 1``, as Excel and WPS number it: leading
blank rows are kept. A merged area spanning rows holds its value in each of its rows (each is a
record of its own); across columns, in its first column only.
"""
from __future__ import annotations

import codecs
import csv
import io
from typing import NamedTuple

import python_calamine

from .cells import Cell
from .htmltable import html_tables, looks_like_html

ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnreadableFile(Exception):
    """The file is none of the formats read here, or is damaged (a Chinese message)."""


class Sheet(NamedTuple):
    """One sheet (or HTML table, or the CSV file): its name (None for CSV) and rows of cells."""

    name: str | None
    rows: list[list[Cell]]


def read_sheets(raw: bytes) -> list[Sheet]:
    """Every sheet of an export file's bytes. Raises :class:`UnreadableFile`."""
    if not raw.strip():
        raise UnreadableFile("文件是空的。")
    if raw.startswith((ZIP, OLE2)):
        return _workbook(raw)
    text = decode_text(raw)
    if looks_like_html(text):
        tables = html_tables(text)
        if not tables:
            raise UnreadableFile("这是一个网页文件，但其中没有表格。")
        return [Sheet(f"表{i}" if len(tables) > 1 else None, [list[Cell](r) for r in rows])
                for i, rows in enumerate(tables, 1)]
    return [Sheet(None, _csv_rows(text))]


def decode_text(raw: bytes) -> str:
    """Text of a CSV or HTML export: a byte-order mark decides, else UTF-8, else GB18030."""
    for mark, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                           (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(mark):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"文件以 {encoding} 标记开头，但内容不是该编码。") from exc
    for encoding in ("utf-8", "gb18030"):  # GB18030 reads all of GBK and GB2312
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise UnreadableFile("无法识别的文件：不是 xlsx、xls（含网页格式）或 CSV（UTF-8 或 GBK 编码）。"
                         "请在 OA 平台重新导出，或用 Excel/WPS 另存为 xlsx。")


def _csv_rows(text: str) -> list[list[Cell]]:
    head = text.splitlines()[:20]
    tabbed = sum("\t" in line for line in head) > sum("," in line for line in head)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""),
                                                delimiter="\t" if tabbed else ",")]
    except csv.Error as exc:
        raise UnreadableFile(f"CSV 格式错误：{exc}。") from exc


def _workbook(raw: bytes) -> list[Sheet]:
    what = "xlsx" if raw.startswith(ZIP) else "xls"
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue  # chart and macro sheets hold no rows
            sheet = book.get_sheet_by_name(meta.name)
            rows: list[list[Cell]] = [list(r) for r in sheet.to_python(skip_empty_area=False)]
            _fill_merged_down(rows, sheet.merged_cell_ranges or [])
            sheets.append(Sheet(meta.name, rows))
        return sheets
    except python_calamine.PasswordError as exc:
        raise UnreadableFile(f"{what} 文件设有密码，请取消密码后重新保存。") from exc
    except Exception as exc:  # calamine's own errors, whatever a damaged file makes it raise
        raise UnreadableFile(f"{what} 文件已损坏或不完整，无法读取（{exc}）。") from exc
    except BaseException as exc:  # a panic in the Rust reader arrives as a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise UnreadableFile(f"{what} 文件已损坏或不完整，无法读取。") from exc


def _fill_merged_down(rows: list[list[Cell]],
                      ranges: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """Copy a merged area's value down its first column, into every row it spans."""
    for (top, left), (bottom, _right) in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        for r in range(top + 1, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            row.extend([""] * (left + 1 - len(row)))
            row[left] = rows[top][left]
