"""One unit's year: figures month by month, ranks, criticisms and every scored point.

Each point carries its rule, clause and source ``file:line``, and the commit that last changed
its record when the ledger is in git (the column is omitted otherwise).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple, TypedDict

from markupsafe import Markup

from ..ledger.model import Adoption, Category, Info, Instruction, Unit
from ..rulebook.charges import quarter_target
from ..rulebook.results import ADOPTION, COMPREHENSIVE, PENALTY, Point, UnitScore
from .charts import Series, line_chart
from .common import Site, cite, page_base
from .env import PageBase
from .page_annual import Shortfall, shortfalls
from .page_changes import commit_label

COMPONENT_NAMES = {ADOPTION: "信息采用积分", COMPREHENSIVE: "综合考评积分", PENALTY: "扣分"}


class MonthRow(NamedTuple):
    """One month of the unit's year (its counts), with its year-to-date total and ranks as of
    that month."""

    month: int
    submitted: int
    adopted: int
    special_submitted: int
    special_adopted: int
    adoption_points: Decimal
    comprehensive_points: Decimal
    month_points: Decimal
    total: Decimal
    rank_in_category: int
    rank_overall: int


class PointRow(NamedTuple):
    """One scored point as its row shows it; ``source``: its record's ``file:line`` (None:
    计算所得); ``commit``: the commit of its record (None: computed, or no history);
    ``anchor``: the row's id, on the first row of each OA number (the search links it)."""

    month: int
    detail: str
    points: Decimal
    component: str
    rule: str
    clause: str
    source: str | None
    commit: str | None
    anchor: str | None = None


class CriticismRow(TypedDict):
    """One 通报批评 entry; ``source`` as in :class:`PointRow`."""

    date: dt.date
    reason: str
    clause: str
    source: str | None


class UnitContext(PageBase):
    """Context of ``unit.html``."""

    unit: Unit
    category: Category
    score: UnitScore
    final: bool
    through: int
    units_in_category: int
    months: list[MonthRow]
    targets: list[Shortfall]
    chart_counts: Markup
    chart_total: Markup
    criticisms: list[CriticismRow]
    points: list[PointRow]
    show_commit: bool
    overall: str        # the heading of the rank across all units: 全区排名
    kinds: tuple[str, str]
    targets_ref: str    # the clause of the targets, as cited: 考评办法三(一)
    paced: bool         # the category has quarterly targets: the chart draws their pace
    rulebook: str
    computed: str       # what the rulebook computes rather than records: 季度、年度数量不足…


def source_text(path: str | None, line: int | None) -> str | None:
    """Where a point or criticism comes from: ``path:line``, or None when it was computed."""
    if not path:
        return None
    return f"{path}:{line}" if line else path


ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def oa_anchor(oa: str) -> str:
    """The id of the first point row of an OA number on a unit page: ``oa-KDL-2023-00092``."""
    return "oa-" + ANCHOR_UNSAFE.sub("_", oa)


def month_anchor(month: int) -> str:
    """The id of a month's row in the unit page's 逐月情况: ``m-03``."""
    return f"m-{month:02d}"


def point_anchors(points: Sequence[Point]) -> list[str | None]:
    """Each point's row id: the OA anchor on the first point of each item, else None."""
    seen: set[str] = set()
    anchors: list[str | None] = []
    for p in points:
        oa = p.record.oa if isinstance(p.record, Info | Adoption | Instruction) else None
        anchors.append(None if oa is None or oa in seen else oa_anchor(oa))
        if oa is not None:
            seen.add(oa)
    return anchors


def _month_rows(site: Site, year_no: int, position: int) -> list[MonthRow]:
    """``position``: the unit's place in the registry, and so in every ``YearScore.units``."""
    rows: list[MonthRow] = []
    for month, score in sorted(site.monthly[year_no].items()):
        s = score.units[position]
        f = s.months[month]
        c = f.counts
        rows.append(MonthRow(month, c.submitted, c.adopted, c.special_submitted,
                             c.special_adopted, f.adoption_points, f.comprehensive_points,
                             f.adoption_points + f.comprehensive_points, s.total,
                             s.rank_in_category, s.rank_overall))
    return rows


def _charts(unit: Unit, category: Category, rows: list[MonthRow]) -> tuple[Markup, Markup]:
    """Cumulative counts against the quarterly pace of the targets, and the cumulative total."""
    sub = adopt = 0
    cum_sub, cum_adopt = [], []
    for r in rows:
        sub, adopt = sub + r.submitted, adopt + r.adopted
        cum_sub.append(sub)
        cum_adopt.append(adopt)
    # the pace 三(三)7 enforces: ⌈T/4⌉ per quarter, drawn pro rata over the months
    series = []
    for name, target, actual, css in (("报送", category.submitted, cum_sub, ""),
                                      ("采用", category.adopted, cum_adopt, " alt")):
        if target:
            series.append(Series(f"{name}进度线", [quarter_target(target) * m / 3
                                                   for m in range(1, 13)], "pace" + css))
        series.append(Series(f"累计{name}", actual, "actual" + css))
    paced = category.submitted or category.adopted
    counts = line_chart("chart-counts",
                        f"{unit.name}累计报送、采用" + ("与任务进度" if paced else ""), series,
                        unit="条")
    total = line_chart("chart-total", f"{unit.name}累计得分",
                       [Series("累计得分", [r.total for r in rows], "actual")], unit="分")
    return counts, total


def unit_page(site: Site, year_no: int, unit_id: str) -> UnitContext:
    """The page of one unit for one year, from the year scored through its last month."""
    year = site.ledger.years[year_no]
    rules = year.rules
    score = site.scores[year_no]
    position = next(i for i, s in enumerate(score.units) if s.unit.id == unit_id)
    s = score.units[position]
    category = year.rules.categories[s.unit.category]
    rows = _month_rows(site, year_no, position)
    trail = site.trail
    points = [PointRow(p.month, p.detail, p.points, COMPONENT_NAMES.get(p.component, p.component),
                       p.rule, p.clause, source_text(p.path, p.line),
                       commit_label(trail.commit_of(p.path, p.line))
                       if trail is not None and p.path and p.line else None, anchor)
              for p, anchor in zip(s.points, point_anchors(s.points), strict=True)]
    criticisms: list[CriticismRow] = [
        {"date": c.date, "reason": c.reason, "clause": c.clause,
         "source": source_text(c.path, c.line)} for c in s.criticisms]
    chart_counts, chart_total = _charts(s.unit, category, rows)
    return UnitContext(
        **page_base(site, f"{s.unit.name} {year_no}年度政务信息工作情况", "../../", year_no),
        unit=s.unit, category=category, score=s, final=score.final, through=score.through,
        units_in_category=sum(u.unit.category == category.id for u in score.units),
        months=rows, targets=shortfalls(s, category, year.rules.kinds),
        chart_counts=chart_counts, chart_total=chart_total, criticisms=criticisms,
        points=points, show_commit=trail is not None,
        overall=f"{rules.wording.area}排名" if rules.wording.area else "总排名",
        kinds=rules.kinds, targets_ref=cite(rules, category.clause),
        paced=bool(category.submitted or category.adopted), rulebook=rules.wording.rulebook,
        computed="与".join(([ "季度、年度数量不足"] if rules.shortfall else [])
                          + (["工作失误扣分"] if rules.penalty else [])))
