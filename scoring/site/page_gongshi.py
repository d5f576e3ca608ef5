"""The 公示 sheet: every category's ranking on one landscape page, posted in the building.

Rulebook 四 (所有排名情况将在党政大楼1号楼一楼公示): 名次, 单位 and 总积分 of every unit, by
category, in type large enough to read from two metres. The categories are set in columns and
the type is as large as the sheet allows: every size on the page is a share of the sheet's
height (``vh`` in print, where it is the page's), so that the one layout fills A3 landscape
(the ``@page`` default) and A4 landscape alike, which have the same proportions.

The layout is chosen here, not in the browser: for each number of columns, the fewest lines
per column that hold every category (whole, or split where a part keeps at least three rows),
then the font that fits both the line height and the column width. Whole categories are
preferred unless splitting gives clearly larger type.
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
from typing import NamedTuple, TypedDict

from ..ledger.model import Category
from ..rulebook.results import UnitScore, format_points
from .common import Site, category_units, page_base
from .env import PageBase, cn_date

# The sheet in shares of its height (100): its width on a landscape A page inside 10 mm
# margins, the height left to the columns under the heading and above the signature, the
# gap between columns.
SHEET_WIDTH = 144.0
BODY_HEIGHT = 70.0
COLUMN_GAP = 4.0
MAX_COLUMNS = 6
MIN_PART = 3            # a category split over two columns keeps three rows in each part
LINE_FILL = 0.72        # the font's share of a line's height
MAX_FONT = 5.0          # names no taller than this on a sparse sheet
SPLIT_GAIN = 1.1        # splitting must make the type this much larger to be chosen
CELL_PAD = 0.7          # a cell's padding, left and right together, in em


class Part(TypedDict):
    """A category, or a part of one, in a column: a caption line, a header line, its rows."""

    category: Category
    continued: bool
    rows: list[UnitScore]


class Layout(NamedTuple):
    """Columns of ``lines`` lines each, and the font size (shares of the sheet's height)."""

    columns: list[list[tuple[int, int, int]]]   # (category index, first row, end row)
    lines: int
    font: float


class GongshiContext(PageBase):
    """Context of ``gongshi.html``; sizes are CSS numbers in hundredths of the sheet's height."""

    heading: str
    period: str
    provisional: str | None
    basis: str
    columns: list[list[Part]]
    line: str
    font: str
    widths: dict[str, str]   # rank, total: column widths in em
    office: str
    date: str
    marks: list[str]


def pack(sizes: list[int], lines: int, split: bool) -> list[list[tuple[int, int, int]]] | None:
    """Categories of ``sizes`` rows in order into columns of ``lines`` lines (each part
    takes two lines more: its caption and its header); None when one will not go."""
    columns: list[list[tuple[int, int, int]]] = [[]]
    free = lines
    for ci, n in enumerate(sizes):
        start = 0
        while start < n:
            left = n - start
            if left + 2 <= free:
                columns[-1].append((ci, start, n))
                free -= left + 2
                break
            take = min(free - 2, left - MIN_PART)
            if split and take >= MIN_PART:
                columns[-1].append((ci, start, start + take))
                start += take
            elif free == lines:       # an empty column and still too long
                return None
            columns.append([])
            free = lines
    return [c for c in columns if c]


def font_size(columns: int, lines: int, ems: float) -> float:
    """The font that fits a line of ``BODY_HEIGHT / lines`` and a row of ``ems`` em."""
    width = (SHEET_WIDTH - COLUMN_GAP * (columns - 1)) / columns
    return min(LINE_FILL * BODY_HEIGHT / lines, width / ems, MAX_FONT)


def choose_layout(sizes: list[int], ems: float) -> Layout:
    """The layout with the largest type (whole categories unless splitting gains
    ``SPLIT_GAIN``; fewer columns on a tie)."""
    total = sum(n + 2 for n in sizes)
    best: dict[bool, Layout] = {}
    for split in (False, True):
        for k in range(1, MAX_COLUMNS + 1):
            for lines in range(max(1, math.ceil(total / k)), total + 1):
                columns = pack(sizes, lines, split)
                if columns is not None and len(columns) <= k:
                    break
            else:
                continue
            found = Layout(columns, lines, font_size(len(columns), lines, ems))
            if split not in best or found.font > best[split].font:
                best[split] = found
    whole, parted = best[False], best.get(True, best[False])
    return parted if parted.font > whole.font * SPLIT_GAIN else whole


def text_ems(text: str) -> float:
    """A text's width in em: ideographs one, digits and signs about half."""
    return sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in text)


def stands_at(year: int, through: int) -> dt.date:
    return dt.date(year, through, calendar.monthrange(year, through)[1])


def gongshi_page(site: Site, year_no: int) -> GongshiContext:
    """The 公示 sheet of ``year_no``, from the year scored through its last month."""
    year = site.ledger.years[year_no]
    score = site.scores[year_no]
    rules = year.rules
    ranked = [(cat, units) for cat, units in category_units(site, score) if units]
    rank_em = max(text_ems("名次"), *(text_ems(str(s.rank_in_category))
                                     for _, us in ranked for s in us)) + CELL_PAD
    total_em = max(text_ems("总积分"), *(text_ems(format_points(s.total))
                                      for _, us in ranked for s in us)) + CELL_PAD
    name_em = max(text_ems(s.unit.name) for _, us in ranked for s in us) + CELL_PAD
    layout = choose_layout([len(us) for _, us in ranked], rank_em + name_em + total_em)
    columns = [[Part(category=ranked[ci][0], continued=start > 0,
                     rows=ranked[ci][1][start:end]) for ci, start, end in column]
               for column in layout.columns]
    period = (f"{year_no}年度" if score.final
              else f"{year_no}年1—{score.through}月" if score.through > 1
              else f"{year_no}年1月")
    doc, notice = rules.document, rules.notice
    source = (f"《{doc.title}》" + (f"（{doc.number}）" if doc.number else "")
              if doc.title else rules.wording.rulebook)
    basis = (f"按照{source}规定，现将{period}各单位"
             f"{'考评结果' if score.final else '累计总积分'}分类排名予以公示。")
    if score.final and notice.date is not None:
        date = cn_date(notice.date)
    else:
        date = f"数据截至{cn_date(stands_at(year_no, score.through))}"
    base = page_base(site, f"{year_no}年度{rules.wording.site_title}排名公示", "../", year_no)
    marks = [m for m, on in (("草稿", base["draft"]), ("示例数据", base["demo"])) if on]
    return GongshiContext(
        **base, heading=f"{year_no}年度{rules.wording.site_title}排名公示", period=period,
        provisional=None if score.final else f"暂定（数据截至{score.through}月）",
        basis=basis, columns=columns, line=f"{BODY_HEIGHT / layout.lines:.3f}",
        font=f"{layout.font:.3f}",
        widths={"rank": f"{rank_em:.2f}", "total": f"{total_em:.2f}"},
        office=notice.signer or notice.issuer or doc.issuer, date=date, marks=marks)
