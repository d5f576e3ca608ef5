"""Generated ledgers for the scorer's property tests (no tests here), built directly as records.

The generated ledgers are valid by construction: unique OA numbers, adoptions and instructions
of the unit's own earlier items, at most once per channel and level, channels fitting the kind.
"""
from __future__ import annotations

import datetime as dt

from hypothesis import settings
from hypothesis import strategies as st
from ledgerkit import DEMO_CONFIG

from scoring.ledger.config import load_rules, load_units
from scoring.ledger.model import (
    Adoption,
    Commission,
    Event,
    Info,
    Instruction,
    UnitMonth,
    YearLedger,
)

RULES = load_rules((DEMO_CONFIG / "rules.toml").read_bytes(), "ledger/2023/rules.toml")[0]
UNITS = load_units((DEMO_CONFIG / "units.toml").read_bytes(), "ledger/2023/units.toml")[0]
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
