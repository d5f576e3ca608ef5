"""The monthly bulletin (月度通报): the month's and the year-to-date figures of every unit.

One table per category ranked by the year-to-date total, the month's adoptions per channel,
the quarter's progress against ⌈T/4⌉, the units that submitted nothing, the month's
criticisms, the catalogue of adopted items and a bar chart of the year-to-date scores.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple, TypedDict

from markupsafe import Markup

from ..ledger.model import Adoption, Category, Rules, Unit, YearLedger
from ..rulebook.charges import quarter_target
from ..rulebook.results import Criticism, UnitScore, YearScore
from .charts import Bar, bar_chart
from .common import Site, category_units, cite, pace_target, page_base, unit_links
from .env import PageBase, cn_number
from .page_changes import correction_dict


class QuarterProgress(NamedTuple):
    """A quarter's progress: ``done`` of ``target`` (⌈T/4⌉), ``behind`` the monthly pace (▼)."""

    done: int
    target: int
    behind: bool
    what: str


class BulletinRow(NamedTuple):
    """One unit's line in its category table; ``progress``: 报送, then 采用."""

    rank: int
    unit: Unit
    month_submitted: int
    month_by_channel: list[int]
    month_adopted: int
    month_points: Decimal
    ytd_submitted: int
    ytd_adopted: int
    total: Decimal
    progress: list[QuarterProgress]


class CategoryTable(TypedDict):
    category: Category
    rows: list[BulletinRow]
    chart: Markup


class AdoptedItem(NamedTuple):
    """An entry of the 采用信息目录 (``no``: its 序号)."""

    no: int
    title: str
    unit: Unit
    kind: str
    by: str
    issue: str | None
    date: str


class BulletinContext(PageBase):
    """Context of ``bulletin.html``."""

    heading: str
    links: dict[str, Markup]
    month: int
    quarter_name: str
    commentary: str | None
    summary: str
    channels: list[str]
    tables: list[CategoryTable]
    zero_units: list[Unit]
    criticisms: list[tuple[Unit, Criticism]]
    adopted: list[AdoptedItem]
    paced: bool          # the categories have quarterly targets: progress columns
    shortfall_ref: str   # the clause of the shortfall charges (empty: no such rule)
    prev_month: int | None
    next_month: int | None
    corrections: list[dict[str, Any]]
    corrected_later: list[dict[str, Any]]  # corrections of this very month, made after closing


def bulletin_title(rules: Rules, year: int, month: int) -> str:
    return rules.wording.bulletin_title.format(year=year, month=month)


def channel_names(year: YearLedger) -> list[str]:
    """The adoption channels (``by``) in rulebook order, 信息 and 专报 channels merged."""
    return list(dict.fromkeys(by for _, by in year.rules.channels))


def _row(s: UnitScore, month: int, channels: list[str],
         paces: list[tuple[int, int]]) -> BulletinRow:
    """``paces``: the quarterly target and the pace by ``month`` of 报送, then 采用."""
    f = s.months[month]
    quarter = s.quarters[(month - 1) // 3 + 1]
    done = (quarter.submitted, quarter.adopted)
    progress = [QuarterProgress(d, target, d < pace, what)
                for d, (target, pace), what in zip(done, paces, ("报送", "采用"), strict=True)]
    return BulletinRow(s.rank_in_category, s.unit, f.counts.submitted,
                       [f.by_channel.get(by, 0) for by in channels], f.counts.adopted,
                       f.adoption_points + f.comprehensive_points, s.counts.submitted,
                       s.counts.adopted, s.total, progress)


def summary_text(year: YearLedger, score: YearScore, month: int) -> str:
    """(全区)共报送信息X条，采用Y条（次），其中要情…；领导批示…: the month in one paragraph."""
    rules, month_figs = year.rules, [s.months[month] for s in score.units]
    submitted = sum(f.counts.submitted for f in month_figs)
    special = sum(f.counts.special_submitted for f in month_figs)
    adopted = sum(f.counts.adopted for f in month_figs)
    info_channels = set(rules.channels_for(rules.info_kind))
    parts = []
    for by in channel_names(year):
        n = sum(f.by_channel.get(by, 0) for f in month_figs)
        parts.append(f"{by}{n}条（次）" if by in info_channels
                     else f"{by}{rules.special_kind}{n}篇（次）")
    levels = [(lv.level, sum(f.instructions.get(lv.level, 0) for f in month_figs))
              for lv in rules.levels.values()]
    instructed = sum(n for _, n in levels)
    text = (f"{month}月，{rules.wording.area}共报送信息{submitted}条（其中{rules.special_kind}"
            f"{special}篇），采用{adopted}条（次），其中{'、'.join(parts)}")
    if not rules.levels:  # a rulebook without leader instructions
        return text + "。"
    if instructed:
        return text + (f"；领导批示{instructed}件（"
                       + "、".join(f"{lv}级{n}件" for lv, n in levels if n) + "）。")
    return text + "；本月无领导批示。"


def bulletin_page(site: Site, year_no: int, month: int) -> BulletinContext:
    """The bulletin of ``month``: figures from the year scored through that month."""
    year = site.ledger.years[year_no]
    score = site.monthly[year_no][month]
    channels = channel_names(year)
    tables: list[CategoryTable] = []
    for cat, units in category_units(site, score):
        paces = [(quarter_target(annual), pace_target(annual, month))
                 for annual in (cat.submitted, cat.adopted)]
        rows = [_row(s, month, channels, paces) for s in units]
        chart = bar_chart(f"chart-c{cat.id}", f"{cat.name}累计得分（截至{month}月）",
                          [Bar(s.unit.name, s.total) for s in units])
        tables.append(CategoryTable(category=cat, rows=rows, chart=chart))
    criticisms = [(s.unit, c) for s in score.units for c in s.criticisms if c.month == month]
    criticisms.sort(key=lambda uc: (uc[1].date, uc[0].order))
    months = sorted(year.months)
    pos = months.index(month)
    title, root = bulletin_title(year.rules, year_no, month), "../"
    rules = year.rules
    return BulletinContext(
        **page_base(site, title, root, year_no), heading=title,
        links=unit_links(root, year_no, year.units), month=month,
        quarter_name=f"第{cn_number((month - 1) // 3 + 1)}季度",
        commentary=year.bulletins_md.get(month), summary=summary_text(year, score, month),
        channels=channels, tables=tables,
        zero_units=[s.unit for s in score.units if s.months[month].counts.submitted == 0],
        criticisms=criticisms, adopted=adopted_items(site, year, month),
        paced=any(c.submitted or c.adopted for c in rules.categories.values()),
        shortfall_ref=cite(rules, rules.shortfall.clause) if rules.shortfall else "",
        prev_month=months[pos - 1] if pos > 0 else None,
        next_month=months[pos + 1] if pos + 1 < len(months) else None,
        corrections=[correction_dict(c) for c in site.trail.listed_in(site.ledger, year_no, month)]
        if site.trail is not None else [],
        corrected_later=corrected_later(site, year_no, month))


def corrected_later(site: Site, year: int, month: int) -> list[dict[str, Any]]:
    """The corrections of ``year``-``month`` itself, one per commit, oldest first."""
    found = [c for c in site.trail.corrections if (c.year, c.month) == (year, month)
             ] if site.trail is not None else []
    return [correction_dict(c) for c in {c.commit.sha: c for c in found}.values()]


def adopted_items(site: Site, year: YearLedger, month: int) -> list[AdoptedItem]:
    """Every adoption recorded in ``month``, by date, then registry order and source line."""
    folder = year.months.get(month, {})
    found: list[tuple[tuple[dt.date, int, int], Adoption, Unit]] = []
    for unit in year.units:
        um = folder.get(unit.id)
        if um is not None and um.adoptions:
            order = unit.order
            found += [((a.date, order, a.line), a, unit) for a in um.adoptions]
    found.sort(key=lambda entry: entry[0])
    out: list[AdoptedItem] = []
    for no, (_, a, unit) in enumerate(found, 1):
        item = site.items[a.oa]
        out.append(AdoptedItem(no, item.title, unit, item.kind, a.by, a.issue,
                               f"{a.date.month}月{a.date.day}日"))
    return out
