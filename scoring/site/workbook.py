"""The year's Excel workbook (SPEC §5): ``data/<YYYY>.xlsx``, written on every build.

Sheets: one per category with the annual notice's ranking (附件1's columns, and the overall
rank), the monthly figures of every unit, and every scored point with its rule, clause,
source ``file:line`` and commit. Amounts are numbers, exactly (:func:`.export.json_number`
refuses an amount a float cannot carry). Each sheet prints A4 landscape, one page wide, with
its title and header rows repeated on every page and frozen on screen; column widths are
measured from the text (a CJK character counts two units), since Excel's autofit under-sizes
Chinese. While the year is provisional its sheet names and titles carry 暂定.

The bytes depend on the ledger only: XlsxWriter stamps the document's ``created`` date into
the properties and the zip entries, and that date is taken from the ledger (the notice's
成文日期, else the last day of the last month recorded).
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import io
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from ..rulebook.results import YearScore
from .common import Site, category_units
from .export import json_number
from .page_changes import commit_label
from .page_unit import COMPONENT_NAMES, source_text

Cell = str | int | float | None

MAX_WIDTH = 36        # a column wider than this wraps (a point's 事项): A4 landscape at ~70%
A4 = 9                # Excel's paper code for A4
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


@functools.lru_cache(maxsize=4096)
def text_width(text: str) -> int:
    """Display width in Excel's character units: wide and full-width characters count two."""
    if text.isascii():
        return len(text)
    return len(text) + sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def cell_value(value: Decimal | int | str | None) -> Cell:
    """A cell as written: amounts as exact numbers, the rest as it is."""
    if isinstance(value, Decimal):
        return json_number(value)
    return value


def sheet_name(name: str, provisional: bool, taken: set[str]) -> str:
    """A worksheet name Excel accepts (≤31 characters, no ``[]:*?/\\``), unique, with 暂定."""
    suffix = "（暂定）" if provisional else ""
    base = SHEET_NAME_BAD.sub("_", name)[:31 - len(suffix)] + suffix
    found, n = base, 2
    while found.lower() in taken:
        found = f"{base[:31 - len(str(n)) - 1]}_{n}"
        n += 1
    taken.add(found.lower())
    return found


def created_date(site: Site, year_no: int) -> dt.datetime:
    """The document's fixed date: the notice's 成文日期, else the end of the last month."""
    year = site.ledger.years[year_no]
    if year.rules.notice.date is not None:
        day = year.rules.notice.date
    else:
        month = year.through or 12
        day = dt.date(year_no, month, calendar.monthrange(year_no, month)[1])
    return dt.datetime(day.year, day.month, day.day)


class Book:
    """The workbook being written, with its shared formats."""

    def __init__(self, buffer: io.BytesIO, title: str, created: dt.datetime) -> None:
        self.wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
        self.wb.set_properties({"title": title, "created": created,
                                "author": "政务信息工作考评", "comments": "依据台账自动生成"})
        self.title = self.wb.add_format({"bold": True, "font_size": 14})
        self.header = self.wb.add_format({"bold": True, "border": 1, "align": "center",
                                          "valign": "vcenter", "text_wrap": True,
                                          "bg_color": "#EDEDED"})
        self.cell = self.wb.add_format({"border": 1, "valign": "top"})
        self.wrap = self.wb.add_format({"border": 1, "valign": "top", "text_wrap": True})
        self.names: set[str] = set()

    def sheet(self, name: str, title: str, headers: Sequence[str],
              rows: Sequence[Sequence[Cell]], provisional: bool) -> Worksheet:
        """One sheet: a title row, a header row, the rows; printed and frozen as described."""
        ws = self.wb.add_worksheet(sheet_name(name, provisional, self.names))
        ws.write_string(0, 0, title, self.title)
        ws.write_row(1, 0, headers, self.header)
        widths = [text_width(h) for h in headers]
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row):
                width = text_width("" if value is None else str(value))
                widths[c] = max(widths[c], width)
                fmt = self.wrap if width > MAX_WIDTH else self.cell
                if value is None:
                    ws.write_blank(r, c, None, fmt)
                elif isinstance(value, str):
                    ws.write_string(r, c, value, fmt)
                else:
                    ws.write_number(r, c, value, fmt)
        for c, w in enumerate(widths):
            ws.set_column(c, c, min(w, MAX_WIDTH) + 2)
        ws.freeze_panes(2, 0)
        ws.repeat_rows(0, 1)
        ws.set_landscape()
        ws.set_paper(A4)
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_footer("&C第 &P 页，共 &N 页")
        ws.hide_gridlines(0)
        return ws

    def close(self) -> None:
        self.wb.close()


def period(score: YearScore) -> str:
    """``2023年度`` or ``2023年度（暂定，数据截至6月）``."""
    return f"{score.year}年度" + ("" if score.final else f"（暂定，数据截至{score.through}月）")


def ranking_sheets(book: Book, site: Site, score: YearScore) -> None:
    rules = site.ledger.years[score.year].rules
    info, special = rules.kinds
    overall = f"{rules.wording.area}排名" if rules.wording.area else "总排名"
    headers = ["名次", "单位", f"报送{info}", f"采用{info}", f"报送{special}", f"采用{special}",
               "信息采用积分", "综合考评积分", "扣分", "总积分", overall]
    for cat, units in category_units(site, score):
        rows = [[s.rank_in_category, s.unit.name, s.counts.submitted, s.counts.adopted,
                 s.counts.special_submitted, s.counts.special_adopted,
                 cell_value(s.adoption_points), cell_value(s.comprehensive_points),
                 cell_value(s.penalty_points), cell_value(s.total), s.rank_overall]
                for s in units]
        book.sheet(cat.name, f"{period(score)}政务信息工作考评结果　{cat.name}", headers, rows,
                   not score.final)


def monthly_sheet(book: Book, site: Site, score: YearScore) -> None:
    rules = site.ledger.years[score.year].rules
    info, special = rules.kinds
    cats = rules.categories
    headers = ["单位代码", "单位", "类别", "月份", f"报送{info}", f"采用{info}",
               f"报送{special}", f"采用{special}", "信息采用积分", "综合考评积分", "本月得分",
               "累计得分", "累计类别排名", "累计总排名"]
    months = sorted(site.monthly[score.year].items())
    rows: list[list[Cell]] = []
    for position in range(len(score.units)):
        for month, to_date in months:
            s = to_date.units[position]
            f = s.months[month]
            c = f.counts
            rows.append([s.unit.id, s.unit.name, cats[s.unit.category].name, month,
                         c.submitted, c.adopted, c.special_submitted, c.special_adopted,
                         cell_value(f.adoption_points), cell_value(f.comprehensive_points),
                         cell_value(f.adoption_points + f.comprehensive_points),
                         cell_value(s.total), s.rank_in_category, s.rank_overall])
    book.sheet("逐月情况", f"{period(score)}各单位逐月报送采用与得分", headers, rows,
               not score.final)


def points_sheet(book: Book, site: Site, score: YearScore) -> None:
    trail = site.trail
    headers = ["单位代码", "单位", "月份", "事项", "分值", "类别", "规则", "条款", "来源", "提交"]
    rows: list[list[Cell]] = []
    for s in score.units:
        for p in s.points:
            commit = (commit_label(trail.commit_of(p.path, p.line))
                      if trail is not None and p.path and p.line else None)
            rows.append([s.unit.id, s.unit.name, p.month, p.detail, cell_value(p.points),
                         COMPONENT_NAMES.get(p.component, p.component), p.rule, p.clause,
                         source_text(p.path, p.line) or "计算所得", commit])
    book.sheet("计分明细", f"{period(score)}全部计分事项（{len(rows)}项）", headers, rows,
               not score.final)


def year_workbook(site: Site, year_no: int) -> bytes:
    """The workbook of one scored year, as bytes."""
    score = site.scores[year_no]
    buffer = io.BytesIO()
    book = Book(buffer, f"{period(score)}政务信息工作考评结果", created_date(site, year_no))
    ranking_sheets(book, site, score)
    monthly_sheet(book, site, score)
    points_sheet(book, site, score)
    book.close()
    return buffer.getvalue()
