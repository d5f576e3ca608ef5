"""Ranking (rulebook 四, SPEC §3): standard competition ranking ("1224") on the total, descending.

``rank_in_category`` is the official ranking (分类考评); ``rank_overall`` runs across all units.
Tied units share a rank; the next rank skips as many places as were shared. Among tied units the
registry order (``Unit.order``) decides the order of listing, never the rank.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .results import UnitScore


def competition_ranks(values: Sequence[Decimal]) -> list[int]:
    """Rank of each value, highest first: 1 + how many values are strictly greater.

    >>> competition_ranks([Decimal(5), Decimal(9), Decimal(5), Decimal(5), Decimal(1)])
    [2, 1, 2, 2, 5]
    """
    # the last of equal values in ascending order has all the greater ones after it
    rank = {v: len(values) - i for i, v in enumerate(sorted(values))}
    return [rank[v] for v in values]


def rank_units(units: Sequence[UnitScore]) -> tuple[UnitScore, ...]:
    """The same units (same order) with ``rank_overall`` and ``rank_in_category`` filled in."""
    overall = competition_ranks([u.total for u in units])
    in_category: dict[int, int] = {}
    for category in {u.unit.category for u in units}:
        members = [i for i, u in enumerate(units) if u.unit.category == category]
        ranks = competition_ranks([units[i].total for i in members])
        in_category.update(zip(members, ranks, strict=True))
    return tuple(u._replace(rank_overall=overall[i], rank_in_category=in_category[i])
                 for i, u in enumerate(units))


def in_rank_order(units: Sequence[UnitScore], within_category: bool = False) -> list[UnitScore]:
    """Units as a ranking lists them: by rank, ties in registry order.

    With ``within_category`` the list runs category by category, by ``rank_in_category``.
    """
    if within_category:
        return sorted(units, key=lambda u: (u.unit.category, u.rank_in_category, u.unit.order))
    return sorted(units, key=lambda u: (u.rank_overall, u.unit.order))
