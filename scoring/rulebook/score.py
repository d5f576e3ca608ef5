"""Scoring a validated ledger as the rulebook says (SPEC §3), every point with its provenance.

Pure functions: nothing here reads files or knows a number of the rulebook; every point, name,
clause, event flag, target and percentage comes from the year's
:class:`~scoring.ledger.model.Rules`.
Amounts are exact ``Decimal``. Every record's points belong to the month of its file; computed
charges belong to the month that completes them (a quarter's last month, December for the
annual 专报 shortfall, the last month scored for the penalty).

A unit's records are scored once, month by month (:class:`UnitYear`); its score as of any month
adds the computed charges of that moment (:meth:`UnitYear.result`). A bulletin shows every
month's year-to-date figures, so :func:`score_year_to_date` gives them all in one pass.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial

from ..ledger.model import Commission, Event, Info, Ledger, Record, Unit, UnitMonth, YearLedger
from ..reuse import Reuse, kept
from .charges import quarter_shortfall, special_shortfall
from .rank import rank_units
from .results import (
    ADOPTION,
    COMPREHENSIVE,
    PENALTY,
    Counts,
    Criticism,
    MonthFigures,
    Point,
    UnitScore,
    YearScore,
    format_points,
)

ZERO = Decimal(0)
# what a month's scoring hands to the scorers of commissions and events
Adder = Callable[[str, int | Decimal, str, str, str, Record], None]
Criticizer = Callable[[dt.date, str, str, Record], None]


def item_index(ledger: Ledger, reuse: Reuse | None = None) -> dict[str, Info]:
    """OA number → item, across all years (an adoption may name an item of an earlier year).
    ``reuse``: each year's items kept while the year is unchanged (``serve``)."""
    items: dict[str, Info] = {}
    for y, year in sorted(ledger.years.items()):
        for oa, item in kept(reuse, ("items", y), year, partial(year_items, year)).items():
            items.setdefault(oa, item)
    return items


def year_items(year: YearLedger) -> dict[str, Info]:
    """OA number → the first item of the year with it."""
    items: dict[str, Info] = {}
    for month in sorted(year.months):
        for um in year.months[month].values():
            for item in um.info:
                items.setdefault(item.oa, item)
    return items


def score_ledger(ledger: Ledger) -> dict[int, YearScore]:
    """Every year of the ledger, scored through its last month folder."""
    items = item_index(ledger)
    return {y: score_year(ledger.years[y], items) for y in sorted(ledger.years)}


def period(year: YearLedger, through: int) -> tuple[bool, frozenset[int]]:
    """Whether the year is final as of ``through``, and the last months of its complete
    quarters (a quarter is complete when the folder of its last month exists)."""
    final = through == 12 and 12 in year.months
    return final, frozenset(m for m in (3, 6, 9, 12) if m in year.months and m <= through)


def score_year(year: YearLedger, items: dict[str, Info], through: int | None = None) -> YearScore:
    """Score and rank every unit of ``year`` using only months <= ``through`` (default: the
    last month folder present)."""
    through = year.through if through is None else through
    final, complete = period(year, through)
    scores = [score_unit(year, unit, items, through) for unit in year.units]
    return YearScore(year.year, through, final, rank_units(scores))


def score_unit(year: YearLedger, unit: Unit, items: dict[str, Info],
               through: int | None = None) -> UnitScore:
    """One unit's year through ``through``; its rank fields are 0 (see :func:`rank_units`)."""
    through = year.through if through is None else through
    scorer = UnitYear(year, unit, items)
    scorer.advance(through)
    return scorer.result(through, *period(year, through))


def score_year_to_date(year: YearLedger, items: dict[str, Info]) -> dict[int, YearScore]:
    """``{m: score_year(year, items, m)}`` for every month folder ``m``, in one pass."""
    scorers = [UnitYear(year, unit, items) for unit in year.units]
    out: dict[int, YearScore] = {}
    for month in sorted(year.months):
        final, complete = period(year, month)
        scores = []
        for scorer in scorers:
            scorer.advance(month)
            scores.append(scorer.result(month, final, complete))
        out[month] = YearScore(year.year, month, final, rank_units(scores))
    return out


class _Month:
    """The scored records of one unit's month: their figures (points summed), the points in
    source order, the criticisms."""

    def __init__(self, figures: MonthFigures, points: list[Point],
                 criticisms: list[Criticism]) -> None:
        self.figures, self.points, self.criticisms = figures, points, criticisms


class UnitYear:
    """One unit's year, its records scored month by month (:meth:`advance`)."""

    def __init__(self, year: YearLedger, unit: Unit, items: dict[str, Info]) -> None:
        self.year, self.unit, self.items, self.rules = year, unit, items, year.rules
        self.channels = tuple(dict.fromkeys(by for _, by in self.rules.channels))
        self.months: list[_Month] = []          # months 1.. scored so far
        self.once: dict[str, Event] = {}        # the first event of each once-a-year kind
        self.penalty_events: list[tuple[int, Event]] = []

    def advance(self, through: int) -> None:
        """Score the records of every month up to ``through`` not scored yet."""
        for month in range(len(self.months) + 1, through + 1):
            folder = self.year.months.get(month, {})
            um = folder.get(self.unit.id) or UnitMonth(self.unit.id, self.year.year, month, "")
            self.months.append(self._month(um))

    def result(self, through: int, final: bool, complete: frozenset[int]) -> UnitScore:
        """The unit's score as of ``through`` (after ``advance(through)``)."""
        rules, unit = self.rules, self.unit
        months = self.months[:through]
        charges: dict[int, tuple[list[Point], list[Criticism]]] = {}
        quarters: dict[int, Counts] = {}
        counts = Counts()
        for m, scored in enumerate(months, 1):
            quarters[(m + 2) // 3] = quarters.get((m + 2) // 3, Counts()) + scored.figures.counts
            counts += scored.figures.counts
        target = rules.categories[unit.category]
        for m in sorted(complete) if rules.shortfall is not None else ():
            charges[m] = quarter_shortfall(rules, unit, self.year.year, m, quarters[m // 3])
        if final and rules.shortfall is not None:
            found = special_shortfall(rules, unit, self.year.year, counts)
            charges[12] = (charges.get(12, ([], []))[0] + found[0],
                           charges.get(12, ([], []))[1] + found[1])
        figures: dict[int, MonthFigures] = {}
        points: list[Point] = []
        criticisms: list[Criticism] = []
        adoption = comprehensive = ZERO
        for m, scored in enumerate(months, 1):
            extra, blamed = charges.get(m, ([], []))
            month_adoption = scored.figures.adoption_points
            month_comprehensive = scored.figures.comprehensive_points \
                + sum((p.points for p in extra), ZERO)  # computed charges: 综合考评
            figures[m] = scored.figures._replace(comprehensive_points=month_comprehensive) \
                if extra else scored.figures
            adoption += month_adoption
            comprehensive += month_comprehensive
            points += scored.points + extra
            criticisms += scored.criticisms + blamed
        penalty = ZERO
        first = next((ev for m, ev in self.penalty_events if m <= through), None)
        if first is not None and adoption + comprehensive > 0:
            point = self._penalty(through, first, adoption, comprehensive)
            penalty = -point.points
            points.append(point)
        below = final and (counts.submitted < target.submitted
                           or counts.adopted < target.adopted
                           or counts.special_submitted < target.special_submitted
                           or counts.special_adopted < target.special_adopted)
        criticisms.sort(key=lambda c: (c.date, c.path is None, c.line or 0))
        return UnitScore(unit, counts, adoption, comprehensive, penalty,
                         adoption + comprehensive - penalty, 0, 0, tuple(criticisms), below,
                         figures, quarters, tuple(points))

    def _month(self, um: UnitMonth) -> _Month:
        """Points and criticisms of one month's records, its counts, adoptions per channel and
        instructions per level."""
        rules, items, m = self.rules, self.items, um.month
        points: list[Point] = []
        criticisms: list[Criticism] = []

        def add(component: str, amount: int | Decimal, rule: str, clause: str, detail: str,
                record: Record) -> None:
            points.append(Point(self.unit.id, m, component, Decimal(amount), rule, clause,
                                detail, record, record.path, record.line))

        def criticize(date: dt.date, reason: str, clause: str, record: Record) -> None:
            criticisms.append(Criticism(self.unit.id, date, date.month, reason, clause,
                                        record.path, record.line))

        by_channel = dict.fromkeys(self.channels, 0)
        adopted_special = 0
        for rec in um.adoptions:
            item = items[rec.oa]
            channel = rules.channels[item.kind, rec.by]
            adopted_special += item.kind == rules.special_kind
            issue = f"（{rec.issue}）" if rec.issue else ""
            add(ADOPTION, channel.points, channel.name, channel.clause,
                f"{item.kind}《{item.title}》被{rec.by}采用{issue}", rec)
            by_channel[rec.by] += 1
        levels = dict.fromkeys(rules.levels, 0)
        for ins in um.instructions:
            lv = rules.levels[ins.level]
            leader = f"（{ins.leader}）" if ins.leader else ""
            add(ADOPTION, lv.points, lv.name, lv.clause,
                f"《{items[ins.oa].title}》获{lv.name}{leader}", ins)
            levels[ins.level] += 1
        for com in um.commissions:
            self._commission(com, add, criticize)
        for ev in um.events:
            self._event(ev, add, criticize)
        points.sort(key=lambda p: p.line or 0)  # within a month, in source order
        counts = Counts(len(um.info), len(um.adoptions),
                        sum(1 for i in um.info if i.kind == rules.special_kind), adopted_special)
        adoption = sum((p.points for p in points if p.component == ADOPTION), ZERO)
        comprehensive = sum((p.points for p in points if p.component == COMPREHENSIVE), ZERO)
        return _Month(MonthFigures(counts, adoption, comprehensive, by_channel, levels), points,
                      criticisms)

    def _commission(self, com: Commission, add: Adder, criticize: Criticizer) -> None:
        rule = self.rules.commission
        assert rule is not None, "[[commission]] records need [commission] (schema)"
        if com.on_time:
            add(ADOPTION, rule.on_time_points, rule.on_time_name, rule.on_time_clause,
                f"约稿《{com.title}》按时完成（{com.due}截止，{com.delivered}交稿）", com)
            return
        how = "未交稿" if com.delivered is None else f"逾期交稿（{com.delivered}交稿）"
        add(COMPREHENSIVE, rule.missed_points, rule.missed_reason, rule.missed_clause,
            f"约稿《{com.title}》{how}，{com.due}截止", com)
        criticize(com.due, f"{rule.missed_reason}：约稿《{com.title}》{how}，{com.due}截止",
                  rule.missed_clause, com)

    def _event(self, ev: Event, add: Adder, criticize: Criticizer) -> None:
        rule = self.rules.events[ev.kind]
        note = f"：{ev.note}" if ev.note else ""
        if rule.once_per_year and ev.kind in self.once:
            first = self.once[ev.kind]
            add(COMPREHENSIVE, 0, rule.name, rule.clause,
                f"{rule.name}{note}（全年只计一次，已于{first.date}计分）", ev)
            return
        if rule.once_per_year:
            self.once[ev.kind] = ev
        detail = f"{rule.name}{note}"
        if rule.penalty:
            assert self.rules.penalty is not None, "a penalty event needs [penalty] (config)"
            detail += f"（扣除年终考评总得分的{self.rules.penalty.percent}%）"
            self.penalty_events.append((ev.date.month, ev))
        add(COMPREHENSIVE, rule.points, rule.name, rule.clause, detail, ev)
        if rule.criticism:
            criticize(ev.date, f"{rule.name}{note}", rule.clause, ev)

    def _penalty(self, through: int, ev: Event, adoption: Decimal,
                 comprehensive: Decimal) -> Point:
        """三(三)6: a percentage of a positive sum, once, when a penalty event was recorded."""
        rules, base = self.rules, adoption + comprehensive
        assert rules.penalty is not None
        percent = rules.penalty.percent
        amount = base * percent / 100
        return Point(self.unit.id, through, PENALTY, -amount,
                     f"扣除年终考评总得分的{percent}%", rules.penalty.clause,
                     f"因“{rules.events[ev.kind].name}”（{ev.date}）：信息采用积分"
                     f"{format_points(adoption)}分与综合考评积分{format_points(comprehensive)}分"
                     f"之和{format_points(base)}分的{percent}%，"
                     f"扣除{format_points(amount)}分", None, None, None)

