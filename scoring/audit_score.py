"""The scorer as the audit tools use it: whole years, single units, and ranks recomputed.

The change log scores a thousand commits; re-scoring all 47 units for each is wasteful when a
commit touches one file. A unit's total depends only on its own records, its year's rules and
which month folders exist (complete quarters, final year), so :func:`score_unit` scores a unit
alone and :func:`rank_totals` ranks the totals with the scorer's own ranking function.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from .model import Info, Ledger, Rules, Unit, UnitMonth, YearLedger
from .rank import competition_ranks
from .results import UnitScore, YearScore
from .score import item_index, score_ledger, score_year

__all__ = [
    "item_index",
    "rank_totals",
    "scorable_month",
    "score_ledger",
    "score_unit",
    "score_year",
    "unit_items",
]


def unit_items(months: Iterable[UnitMonth]) -> dict[str, Info]:
    """The OA index of one unit's files (an adoption may only name its own unit's items)."""
    items: dict[str, Info] = {}
    for um in months:
        for item in um.info:
            items.setdefault(item.oa, item)
    return items


def scorable_month(um: UnitMonth, items: dict[str, Info], rules: Rules,
                   seen: set[tuple[str, str]]) -> UnitMonth:
    """Drop references the validator would reject, so that any commit of the history scores.

    A committed ledger may have had errors at some commit (an adoption of an unknown item, a
    channel that does not fit the item's kind, a duplicate); the change log still shows what
    the valid records of that commit were worth rather than stopping. ``seen`` collects the
    (item, channel or level) pairs of earlier months, so a duplicate is dropped after its first.
    """
    def keep(oa: str, on: object, date: object, channel: bool) -> bool:
        item = items.get(oa)
        if item is None or item.date > date:  # type: ignore[operator]
            return False
        if channel and (item.kind, on) not in rules.channels:
            return False
        key = (oa, f"{channel}{on}")
        if key in seen:
            return False
        seen.add(key)
        return True
    adoptions = tuple(a for a in um.adoptions if keep(a.oa, a.by, a.date, True))
    instructions = tuple(i for i in um.instructions if keep(i.oa, i.level, i.date, False))
    if len(adoptions) == len(um.adoptions) and len(instructions) == len(um.instructions):
        return um
    return um._replace(adoptions=adoptions, instructions=instructions)


def score_unit(year: YearLedger, unit: Unit, months: dict[int, UnitMonth],
               items: dict[str, Info]) -> UnitScore:
    """One unit's year as it stands (``months``: the unit's file of every month folder).

    Its rank fields are meaningless (a field of one); see :func:`rank_totals`.
    """
    alone = year._replace(units=(unit,), months={}, notice_md=None, bulletins_md={})
    seen: set[tuple[str, str]] = set()
    for m in sorted(months):
        alone.months[m] = {unit.id: scorable_month(months[m], items, year.rules, seen)}
    return score_year(alone, items).units[0]


def rank_totals(units: Iterable[Unit], totals: dict[str, Decimal]) -> dict[str, int]:
    """Rank in category of the units with a total, as :mod:`scoring.rank` ranks them."""
    scored = [u for u in units if u.id in totals]
    ranks: dict[str, int] = {}
    for category in {u.category for u in scored}:
        members = [u.id for u in scored if u.category == category]
        ranks.update(zip(members, competition_ranks([totals[m] for m in members]), strict=True))
    return ranks


def year_totals(score: YearScore) -> dict[str, tuple[Decimal, int]]:
    """unit id → (total, rank in category) of a scored year."""
    return {s.unit.id: (s.total, s.rank_in_category) for s in score.units}


def score_whole(ledger: Ledger) -> dict[int, YearScore]:
    """Every year of a validated ledger, through the scorer's own entry point."""
    return score_ledger(ledger)
