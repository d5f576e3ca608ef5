"""Scoring a validated ledger as the rulebook says (SPEC §3), every point with its provenance.

Pure functions: nothing here reads files or knows a number of the rulebook; every point, name,
clause, event flag, target and percentage comes from the year's :class:`~scoring.model.Rules`.
Amounts are exact ``Decimal``. Every record's points belong to the month of its file; computed
charges belong to the month that completes them (a quarter's last month, December for the
annual 专报 shortfall, the last month scored for the penalty).
"""
from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from operator import attrgetter

from .model import Commission, Event, Info, Ledger, Record, Unit, UnitMonth, YearLedger
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
)
from .validate import unit_months

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
ZERO = Decimal(0)
_new = tuple.__new__  # a NamedTuple from a tuple, without its keyword-parsing __new__
# a rulebook's points are a few small integers, given tens of thousands of times: each one's
# Decimal is made once (a Decimal is immutable)
_AMOUNTS: dict[int, Decimal] = {}
NO_COUNTS = Counts()
_kind = attrgetter("kind")


def _amount(points: int | Decimal) -> Decimal:
    """``Decimal(points)``, one for each integer (see ``_AMOUNTS``)."""
    amount = _AMOUNTS.get(points) if type(points) is int else None
    if amount is None:
        amount = Decimal(points)
        if type(points) is int:
            _AMOUNTS[points] = amount
    return amount


def format_points(amount: Decimal) -> str:
    """``97.4``, ``100``, ``-30``: a Decimal without exponent or trailing zeros."""
    text = format((amount + 0).normalize(), "f")
    return "0" if text == "-0" else text


def item_index(ledger: Ledger) -> dict[str, Info]:
    """OA number → item, across all years (an adoption may name an item of an earlier year)."""
    items: dict[str, Info] = {}
    for um in unit_months(ledger):
        for item in um.info:
            items.setdefault(item.oa, item)
    return items


def score_ledger(ledger: Ledger) -> dict[int, YearScore]:
    """Every year of the ledger, scored through its last month folder."""
    items = item_index(ledger)
    return {y: score_year(ledger.years[y], items) for y in sorted(ledger.years)}


def score_year(year: YearLedger, items: dict[str, Info], through: int | None = None) -> YearScore:
    """Score and rank every unit of ``year`` using only months <= ``through``.

    ``through`` defaults to the last month folder present. A quarter is complete when the folder
    of its last month exists and is <= ``through``; the year is final when ``through`` is 12 and
    the folder ``12`` exists.
    """
    through = year.through if through is None else through
    final = through == 12 and 12 in year.months
    complete = {3 * q for q in range(1, 5) if 3 * q in year.months and 3 * q <= through}
    scores = [_UnitScorer(year, unit, items, through, final, complete).score()
              for unit in year.units]
    return YearScore(year.year, through, final, rank_units(scores))


def score_year_to_date(year: YearLedger, items: dict[str, Info]) -> dict[int, YearScore]:
    """``{m: score_year(year, items, m)}`` for every month folder ``m``, equal to it.

    A bulletin shows every month's year-to-date figures; scoring each month from January would
    score January twelve times. Here each unit's records are scored once, month by month, and
    each month's result adds only the charges computed for it (:meth:`_UnitScorer.finish`).
    """
    scorers = [_UnitScorer(year, unit, items, 0, False, set()) for unit in year.units]
    out: dict[int, YearScore] = {}
    for month in sorted(year.months):
        final = month == 12 and 12 in year.months
        complete = {3 * q for q in range(1, 5) if 3 * q in year.months and 3 * q <= month}
        scores = []
        for scorer in scorers:
            scorer.advance(month)
            scores.append(scorer.finish(month, final, complete))
        out[month] = YearScore(year.year, month, final, rank_units(scores))
    return out


class _UnitScorer:
    """One unit's year through ``through``: collects points, criticisms and monthly figures."""

    def __init__(self, year: YearLedger, unit: Unit, items: dict[str, Info], through: int,
                 final: bool, complete: set[int]) -> None:
        self.year, self.unit, self.items, self.rules = year, unit, items, year.rules
        self.through, self.final, self.complete = through, final, complete
        self.points: list[Point] = []
        self.criticisms: list[Criticism] = []
        self.once: dict[str, Event] = {}
        self.penalty_event: Event | None = None
        self.channels = tuple(dict.fromkeys(by for _, by in self.rules.channels))
        # (kind, by) → what an adoption through that channel scores: points, rule, clause
        self.adoption_rules = {key: (_amount(ch.points), ch.name, ch.clause)
                               for key, ch in self.rules.channels.items()}
        # Kept up to date by advance(), over the months scored so far: each month's figures
        # (its record points summed), the record points in month then source order and where
        # each month ends in that list, the sums of the record points per component (added
        # one point at a time), the counts in all and per quarter.
        self.figures: dict[int, MonthFigures] = {}
        self.record_points: list[Point] = []
        self.month_end: dict[int, int] = {}
        self.adoption_total = self.comprehensive_total = ZERO
        self.counts = Counts()
        self.quarters: dict[int, Counts] = {}
        # quarter's last month → its shortfall charges (points, criticisms), see _finish
        self.quarter_charges: dict[int, tuple[list[Point], list[Criticism]]] = {}

    def score(self) -> UnitScore:
        self.advance(self.through)
        return self.finish(self.through, self.final, self.complete)

    def advance(self, through: int) -> None:
        """Score the records of every month up to ``through`` not scored yet."""
        unit_id, folders = self.unit.id, self.year.months
        points, record_points, quarters = self.points, self.record_points, self.quarters
        adoption_total, comprehensive_total = self.adoption_total, self.comprehensive_total
        for month in range(len(self.figures) + 1, through + 1):
            folder = folders.get(month)
            um = folder.get(unit_id) if folder is not None else None
            start = len(points)
            counts, by_channel, levels = self._month(
                um or UnitMonth(unit_id, self.year.year, month, ""))
            scored = points[start:]
            # record points are ADOPTION or COMPREHENSIVE (the penalty is computed by _finish)
            adoption = comprehensive = ZERO
            for p in scored:
                amount = p.points
                if p.component == ADOPTION:
                    adoption += amount
                    adoption_total += amount
                else:
                    comprehensive += amount
                    comprehensive_total += amount
            self.figures[month] = _new(MonthFigures, (counts, adoption, comprehensive,
                                                      by_channel, levels))
            # within a month, records are listed in source order (see _finish)
            if len(scored) > 1:
                scored.sort(key=lambda p: p.line or 0)
            record_points += scored
            self.month_end[month] = len(record_points)
            self.counts += counts
            quarter = (month + 2) // 3
            quarters[quarter] = quarters.get(quarter, NO_COUNTS) + counts
        self.adoption_total, self.comprehensive_total = adoption_total, comprehensive_total

    def finish(self, through: int, final: bool, complete: set[int]) -> UnitScore:
        """The unit's score through ``through``, right after ``advance(through)``.

        The computed charges (shortfalls, penalty) are added for this result only, so that
        scoring can go on to later months (:func:`score_year_to_date`).
        """
        assert through == len(self.figures), "finish(m) follows advance(m)"
        self.through, self.final, self.complete = through, final, complete
        kept_points, kept_criticisms = len(self.points), len(self.criticisms)
        try:
            return self._finish(kept_points)
        finally:
            del self.points[kept_points:], self.criticisms[kept_criticisms:]

    def _finish(self, computed_from: int) -> UnitScore:
        rules = self.rules
        quarters = dict(self.quarters)  # the quarters begun by ``self.through``
        for month in sorted(self.complete):
            # a complete quarter's counts no longer change: its charges are computed once
            charged = self.quarter_charges.get(month)
            if charged is None:
                points, criticisms = len(self.points), len(self.criticisms)
                self._quarter_shortfall(month, quarters[month // 3])
                charged = self.quarter_charges[month] = (self.points[points:],
                                                         self.criticisms[criticisms:])
            else:
                self.points += charged[0]
                self.criticisms += charged[1]
        counts = self.counts
        if self.final:
            self._special_shortfall(counts)
        # Sums are exact (Decimal), so records and computed charges may be added separately.
        adoption, comprehensive = self.adoption_total, self.comprehensive_total
        months = dict(self.figures)
        for p in self.points[computed_from:]:
            f = months[p.month]
            if p.component == ADOPTION:
                adoption += p.points
                months[p.month] = f._replace(adoption_points=f.adoption_points + p.points)
            elif p.component == COMPREHENSIVE:
                comprehensive += p.points
                months[p.month] = f._replace(
                    comprehensive_points=f.comprehensive_points + p.points)
        penalty = self._penalty(adoption, comprehensive)
        target = rules.categories[self.unit.category]
        below = self.final and (counts.submitted < target.submitted
                                or counts.adopted < target.adopted
                                or counts.special_submitted < target.special_submitted
                                or counts.special_adopted < target.special_adopted)
        # month, then source order; computed charges after the month's records, in the order
        # they were computed
        if len(self.points) > computed_from:
            by_month: dict[int, list[Point]] = {}
            for p in self.points[computed_from:]:
                by_month.setdefault(p.month, []).append(p)
            points: list[Point] = []
            start = 0
            for month, charges in sorted(by_month.items()):
                end = self.month_end[month]
                points += self.record_points[start:end]
                points += charges
                start = end
            points += self.record_points[start:]
        else:
            points = self.record_points
        criticisms = tuple(sorted(self.criticisms,
                                  key=lambda c: (c.date, c.path is None, c.line or 0)))
        return _new(UnitScore, (self.unit, counts, adoption, comprehensive, penalty,
                                adoption + comprehensive - penalty, 0, 0, criticisms, below,
                                months, quarters, tuple(points)))

    def _add(self, month: int, component: str, points: int | Decimal, rule: str, clause: str,
             detail: str, record: Record | None = None) -> None:
        path, line = (record.path, record.line) if record is not None else (None, None)
        self.points.append(_new(Point, (self.unit.id, month, component, _amount(points), rule,
                                        clause, detail, record, path, line)))

    def _criticize(self, date: dt.date, reason: str, clause: str,
                   record: Record | None = None) -> None:
        path, line = (record.path, record.line) if record is not None else (None, None)
        self.criticisms.append(Criticism(self.unit.id, date, date.month, reason, clause,
                                         path, line))

    def _month(self, um: UnitMonth) -> tuple[Counts, dict[str, int], dict[str, int]]:
        """Points and criticisms of one month's records; its counts, adoptions per channel and
        instructions per level (points are summed by :meth:`advance`)."""
        rules, items, m = self.rules, self.items, um.month
        special = rules.special_kind
        adopted_special = 0
        by_channel = dict.fromkeys(self.channels, 0)
        if um.adoptions:
            unit_id, append, channels = self.unit.id, self.points.append, self.adoption_rules
            for rec in um.adoptions:
                item = items[rec.oa]
                adopted_special += item.kind == special
                amount, name, clause = channels[item.kind, rec.by]
                issue = f"（{rec.issue}）" if rec.issue else ""
                # what _add appends, for the most frequent record
                append(_new(Point, (unit_id, m, ADOPTION, amount, name, clause,
                                    f"{item.kind}《{item.title}》被{rec.by}采用{issue}", rec,
                                    rec.path, rec.line)))
                by_channel[rec.by] += 1
        levels = dict.fromkeys(rules.levels, 0)
        for ins in um.instructions:
            lv = rules.levels[ins.level]
            leader = f"（{ins.leader}）" if ins.leader else ""
            self._add(m, ADOPTION, lv.points, lv.name, lv.clause,
                      f"《{items[ins.oa].title}》获{lv.name}{leader}", ins)
            levels[ins.level] += 1
        for com in um.commissions:
            self._commission(m, com)
        for ev in um.events:
            self._event(m, ev)
        counts = _new(Counts, (len(um.info), len(um.adoptions),
                               list(map(_kind, um.info)).count(special), adopted_special))
        return counts, by_channel, levels

    def _commission(self, month: int, com: Commission) -> None:
        rule = self.rules.commission
        if com.on_time:
            self._add(month, ADOPTION, rule.on_time_points, rule.on_time_name,
                      rule.on_time_clause,
                      f"约稿《{com.title}》按时完成（{com.due}截止，{com.delivered}交稿）", com)
            return
        how = "未交稿" if com.delivered is None else f"逾期交稿（{com.delivered}交稿）"
        self._add(month, COMPREHENSIVE, rule.missed_points, rule.missed_reason,
                  rule.missed_clause, f"约稿《{com.title}》{how}，{com.due}截止", com)
        self._criticize(com.due, f"{rule.missed_reason}：约稿《{com.title}》{how}，"
                        f"{com.due}截止", rule.missed_clause, com)

    def _event(self, month: int, ev: Event) -> None:
        rule = self.rules.events[ev.kind]
        note = f"：{ev.note}" if ev.note else ""
        if rule.once_per_year and ev.kind in self.once:
            first = self.once[ev.kind]
            self._add(month, COMPREHENSIVE, 0, rule.name, rule.clause,
                      f"{rule.name}{note}（全年只计一次，已于{first.date}计分）", ev)
            return
        if rule.once_per_year:
            self.once[ev.kind] = ev
        detail = f"{rule.name}{note}"
        if rule.penalty:
            detail += f"（扣除年终考评总得分的{self.rules.penalty_percent}%）"
            self.penalty_event = self.penalty_event or ev
        self._add(month, COMPREHENSIVE, rule.points, rule.name, rule.clause, detail, ev)
        if rule.criticism:
            self._criticize(ev.date, f"{rule.name}{note}", rule.clause, ev)

    def _quarter_shortfall(self, month: int, got: Counts) -> None:
        """三(三)7 for a complete quarter: a quarter of the annual info targets, rounded up."""
        rules, sf = self.rules, self.rules.shortfall
        target = rules.categories[self.unit.category]
        need_sub, need_adopt = -(-target.submitted // 4), -(-target.adopted // 4)
        short_sub = max(0, need_sub - got.submitted)
        short_adopt = max(0, need_adopt - got.adopted)
        if not (short_sub or short_adopt):
            return
        name, info = QUARTER_NAMES[month // 3 - 1], rules.info_kind
        if short_sub:
            self._add(month, COMPREHENSIVE, sf.submitted_points * short_sub,
                      f"季度报送{info}数量不足", sf.clause,
                      f"{name}报送{info}{got.submitted}条，季度任务量{need_sub}条，差{short_sub}条")
        if short_adopt:
            self._add(month, COMPREHENSIVE, sf.adopted_points * short_adopt,
                      f"季度采用{info}数量不足", sf.clause,
                      f"{name}采用{info}{got.adopted}条（次），季度任务量{need_adopt}条（次），"
                      f"差{short_adopt}条（次）")
        last = dt.date(self.year.year, month, calendar.monthrange(self.year.year, month)[1])
        self._criticize(last, f"{name}报送{info}{got.submitted}条、采用{info}{got.adopted}条"
                        f"（次），未达到季度任务量（报送{need_sub}条、采用{need_adopt}条（次））",
                        sf.clause)

    def _special_shortfall(self, got: Counts) -> None:
        """三(三)7 at the year's end, for 专报 (the info shortfall is charged per quarter)."""
        rules, sf = self.rules, self.rules.shortfall
        target, sp = rules.categories[self.unit.category], rules.special_kind
        short_sub = max(0, target.special_submitted - got.special_submitted)
        short_adopt = max(0, target.special_adopted - got.special_adopted)
        if not (short_sub or short_adopt):
            return
        if short_sub:
            self._add(12, COMPREHENSIVE, sf.special_submitted_points * short_sub,
                      f"年度报送{sp}数量不足", sf.clause,
                      f"全年报送{sp}{got.special_submitted}篇，年度任务量"
                      f"{target.special_submitted}篇，差{short_sub}篇")
        if short_adopt:
            self._add(12, COMPREHENSIVE, sf.special_adopted_points * short_adopt,
                      f"年度采用{sp}数量不足", sf.clause,
                      f"全年采用{sp}{got.special_adopted}篇（次），年度任务量"
                      f"{target.special_adopted}篇（次），差{short_adopt}篇（次）")
        self._criticize(dt.date(self.year.year, 12, 31),
                        f"全年报送{sp}{got.special_submitted}篇、采用{sp}{got.special_adopted}篇（次），"
                        f"未达到年度任务量（报送{sp}{target.special_submitted}篇、"
                        f"采用{sp}{target.special_adopted}篇（次））", sf.clause)

    def _penalty(self, adoption: Decimal, comprehensive: Decimal) -> Decimal:
        """三(三)6: a percentage of a positive sum, once, when a penalty event was recorded."""
        base = adoption + comprehensive
        ev = self.penalty_event
        if ev is None or base <= 0:
            return ZERO
        rules = self.rules
        amount = base * rules.penalty_percent / 100
        self._add(self.through, PENALTY, -amount, f"扣除年终考评总得分的{rules.penalty_percent}%",
                  rules.penalty_clause,
                  f"因“{rules.events[ev.kind].name}”（{ev.date}）：信息采用积分"
                  f"{format_points(adoption)}分与综合考评积分{format_points(comprehensive)}分"
                  f"之和{format_points(base)}分的{rules.penalty_percent}%，"
                  f"扣除{format_points(amount)}分")
        return amount
