"""Ranking (rulebook 四, SPEC §3): standard competition ranking ("1224") on the total, descending.

``rank_in_category`` is the official ranking (分类考评); ``rank_overall`` runs across all units.
Tied units share a rank; the next rank skips as many places as were shared. Among tied units the
registry order (``Unit.order``) decides the order of listing, never the rank.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .results import UnitScore

# where a UnitScore's ranks are: rank_units puts them in by slicing, cheaper than _replace
_RANKS = UnitScore._fields.index("rank_in_category")
assert UnitScore._fields[_RANKS + 1] == "rank_overall"
_new = tuple.__new__


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
    categories: dict[int, list[int]] = {}
    for i, u in enumerate(units):
        categories.setdefault(u.unit.category, []).append(i)
    in_category: dict[int, int] = {}
    for members in categories.values():
        ranks = competition_ranks([units[i].total for i in members])
        in_category.update(zip(members, ranks, strict=True))
    return tuple(_new(UnitScore, (*u[:_RANKS], in_category[i], overall[i], *u[_RANKS + 2:]))
                 for i, u in enumerate(units))


def in_rank_order(units: Sequence[UnitScore], within_category: bool = False) -> list[UnitScore]:
    """Units as a ranking lists them: by rank, ties in registry order.

    With ``within_category`` the list runs category by category, by ``rank_in_category``.
    """
    if within_category:
        return sorted(units, key=lambda u: (u.unit.category, u.rank_in_category, u.unit.order))
    return sorted(units, key=lambda u: (u.rank_overall, u.unit.order))
