"""Properties of the scorer over generated ledgers (hypothesis), built directly as records.

The generated ledgers are valid by construction: unique OA numbers, adoptions and instructions
of the unit's own earlier items, at most once per channel and level, channels fitting the kind.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from scorekit import RULES, SETTINGS, UNITS, build_year

from scoring.ledger.model import (
    Adoption,
)
from scoring.rulebook.score import score_year


@SETTINGS
@given(st.data())
def test_total_and_monthly_sums(data):
    year, items = build_year(data)
    through = data.draw(st.integers(1, 12))
    score = score_year(year, items, through)
    assert score.through == through and score.final == (through == 12 and 12 in year.months)
    for s in score.units:
        assert s.total == s.adoption_points + s.comprehensive_points - s.penalty_points
        assert sorted(s.months) == list(range(1, through + 1))
        assert sum((f.adoption_points for f in s.months.values()), Decimal(0)) == s.adoption_points
        assert sum((f.comprehensive_points for f in s.months.values()),
                   Decimal(0)) == s.comprehensive_points
        assert sum((p.points for p in s.points), Decimal(0)) == s.total
        base = s.adoption_points + s.comprehensive_points
        assert s.penalty_points in (0, base * RULES.penalty.percent / 100)
        assert s.penalty_points >= 0
        assert all(p.clause and p.detail and p.rule for p in s.points)
        assert all(p.path is not None for p in s.points if p.record is not None)


@SETTINGS
@given(st.data())
def test_ranks_are_a_competition_ranking(data):
    year, items = build_year(data)
    score = score_year(year, items)
    for s in score.units:
        peers = [o for o in score.units if o.unit.category == s.unit.category]
        assert s.rank_overall == 1 + sum(o.total > s.total for o in score.units)
        assert s.rank_in_category == 1 + sum(o.total > s.total for o in peers)
    assert [s.unit.order for s in score.units] == list(range(len(UNITS)))


@SETTINGS
@given(st.data())
def test_adding_an_adoption_never_lowers_adoption_points(data):
    year, items = build_year(data)
    last = max(year.months)
    free = [(i, by) for i in items.values() for by in RULES.channels_for(i.kind)
            if i.date.month <= last and not any(
                a.oa == i.oa and a.by == by for f in year.months.values()
                for um in f.values() for a in um.adoptions)]
    if not free:
        return
    item, by = data.draw(st.sampled_from(free))
    um = year.months[last][item.unit]
    extra = Adoption(item.oa, by, dt.date(2023, last, 28), None, None, item.unit, um.path, 9999)
    months = {m: dict(f) for m, f in year.months.items()}
    months[last][item.unit] = um._replace(adoptions=(*um.adoptions, extra))
    before = score_year(year, items).unit(item.unit)
    after = score_year(year._replace(months=months), items).unit(item.unit)
    assert after.adoption_points == before.adoption_points + RULES.channels[(item.kind, by)].points
    assert after.counts.adopted == before.counts.adopted + 1
    assert after.adoption_points >= before.adoption_points
