"""Properties of the scorer over generated ledgers (hypothesis), built directly as records.

The generated ledgers are valid by construction: unique OA numbers, adoptions and instructions
of the unit's own earlier items, at most once per channel and level, channels fitting the kind.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.config import load_rules, load_units
from scoring.model import (Adoption, Commission, Event, Info, Instruction, UnitMonth,
                           YearLedger)
from scoring.score import score_year

CONFIG = Path(__file__).resolve().parent.parent / "ledger" / "2023"
RULES = load_rules(CONFIG / "rules.toml", "ledger/2023/rules.toml")[0]
UNITS = load_units(CONFIG / "units.toml", "ledger/2023/units.toml")[0]
assert RULES is not None and UNITS is not None
ACTIVE = [u.id for u in UNITS if u.id in ("fgw", "gxj", "kjj", "khz", "gafj", "jgdd")]
SETTINGS = settings(max_examples=50, deadline=None)


def build_year(data: st.DataObject) -> tuple[YearLedger, dict[str, Info]]:
    """A 2023 ledger with random month folders and records for a few units."""
    months = sorted(data.draw(st.sets(st.integers(1, 12), min_size=1, max_size=12)))
    items: dict[str, Info] = {}
    used: set[tuple[str, str]] = set()
    folders: dict[int, dict[str, UnitMonth]] = {}
    for month in months:
        folder = folders[month] = {}
        for uid in (u.id for u in UNITS):
            path, line = f"ledger/2023/{month:02d}/{uid}.toml", iter(range(1, 10_000, 4))
            if uid not in ACTIVE or not data.draw(st.booleans()):
                folder[uid] = UnitMonth(uid, 2023, month, path)
                continue
            day = dt.date(2023, month, 1)
            info = []
            for _ in range(data.draw(st.integers(0, 5))):
                kind = data.draw(st.sampled_from(RULES.kinds))
                oa = f"KDL-{len(items):05d}"
                items[oa] = item = Info(oa, f"标题{oa}", day, kind,
                                        RULES.topics[0] if kind == RULES.special_kind else None,
                                        None, uid, path, next(line))
                info.append(item)
            own = [i for i in items.values() if i.unit == uid]
            adoptions, instructions = [], []
            for _ in range(data.draw(st.integers(0, 4)) if own else 0):
                item = data.draw(st.sampled_from(own))
                if data.draw(st.booleans()):
                    by = data.draw(st.sampled_from(RULES.channels_for(item.kind)))
                    if (item.oa, by) not in used:
                        used.add((item.oa, by))
                        adoptions.append(Adoption(item.oa, by, day.replace(day=15), None, None,
                                                  uid, path, next(line)))
                else:
                    level = data.draw(st.sampled_from(sorted(RULES.levels)))
                    if (item.oa, "@" + level) not in used:
                        used.add((item.oa, "@" + level))
                        instructions.append(Instruction(item.oa, level, day.replace(day=20),
                                                        None, None, uid, path, next(line)))
            commissions = [Commission("约稿", day.replace(day=10),
                                      data.draw(st.sampled_from([None, day, day.replace(day=20)])),
                                      None, uid, path, next(line))
                           for _ in range(data.draw(st.integers(0, 1)))]
            events = [Event(data.draw(st.sampled_from(sorted(RULES.events))), day, None, uid,
                            path, next(line)) for _ in range(data.draw(st.integers(0, 2)))]
            folder[uid] = UnitMonth(uid, 2023, month, path, tuple(info), tuple(adoptions),
                                    tuple(instructions), tuple(commissions), tuple(events))
    return YearLedger(2023, "ledger/2023", UNITS, RULES, folders, None, {}), items


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
        assert s.penalty_points in (0, base * RULES.penalty_percent / 100)
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
