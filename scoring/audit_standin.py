"""TEMPORARY stand-in for :mod:`scoring.score` until branch ``score`` is merged.

Implements only what the audit tests need: record points (adoptions, instructions, commissions,
events with once-a-year rules) and category ranks. No shortfalls, no penalty. Deleted once the
real scorer lands.
"""
from __future__ import annotations

from decimal import Decimal

from .model import Info, Ledger, YearLedger
from .results import ADOPTION, COMPREHENSIVE, Counts, Point, UnitScore, YearScore


def item_index(ledger: Ledger) -> dict[str, Info]:
    items: dict[str, Info] = {}
    for year in ledger.years.values():
        for month in year.months.values():
            for um in month.values():
                for item in um.info:
                    items.setdefault(item.oa, item)
    return items


def score_year(year: YearLedger, items: dict[str, Info], through: int | None = None) -> YearScore:
    rules = year.rules
    through = year.through if through is None else through
    scores = []
    for unit in year.units:
        points: list[Point] = []
        once: set[str] = set()

        def add(m: int, comp: str, pts: int, rule: str, clause: str, rec: object) -> None:
            points.append(Point(unit.id, m, comp, Decimal(pts), rule, clause, rule, rec,  # type: ignore[arg-type]
                                rec.path, rec.line))  # type: ignore[attr-defined]
        for m in sorted(year.months):
            if m > through:
                continue
            um = year.months[m].get(unit.id)
            if um is None:
                continue
            for a in um.adoptions:
                ch = rules.channels.get((items[a.oa].kind, a.by))
                if ch:
                    add(m, ADOPTION, ch.points, ch.name, ch.clause, a)
            for i in um.instructions:
                lv = rules.levels[i.level]
                add(m, ADOPTION, lv.points, lv.name, lv.clause, i)
            c = rules.commission
            for cm in um.commissions:
                if cm.on_time:
                    add(m, ADOPTION, c.on_time_points, "约稿", c.on_time_clause, cm)
                else:
                    add(m, COMPREHENSIVE, c.missed_points, "约稿", c.missed_clause, cm)
            for e in um.events:
                rule = rules.events[e.kind]
                if rule.once_per_year and e.kind in once:
                    continue
                once.add(e.kind)
                add(m, COMPREHENSIVE, rule.points, rule.name, rule.clause, e)
        adoption = sum((p.points for p in points if p.component == ADOPTION), Decimal(0))
        comp = sum((p.points for p in points if p.component == COMPREHENSIVE), Decimal(0))
        scores.append(UnitScore(unit, Counts(), adoption, comp, Decimal(0), adoption + comp, 0, 0,
                                (), False, {}, {}, tuple(points)))
    ranked = []
    for s in scores:
        rank = 1 + sum(1 for o in scores if o.unit.category == s.unit.category and o.total > s.total)
        overall = 1 + sum(1 for o in scores if o.total > s.total)
        ranked.append(s._replace(rank_in_category=rank, rank_overall=overall))
    return YearScore(year.year, through, year.final, tuple(ranked))


def score_ledger(ledger: Ledger) -> dict[int, YearScore]:
    items = item_index(ledger)
    return {y: score_year(year, items) for y, year in sorted(ledger.years.items())}
