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
    members: dict[int, list[int]] = {}
    for i, u in enumerate(units):
        members.setdefault(u.unit.category, []).append(i)
    in_category: dict[int, int] = {}
    for indexes in members.values():
        ranks = competition_ranks([units[i].total for i in indexes])
        in_category.update(zip(indexes, ranks, strict=True))
    return tuple(u._replace(rank_in_category=in_category[i], rank_overall=overall[i])
                 for i, u in enumerate(units))


def by_category(units: Sequence[UnitScore]) -> dict[int, list[UnitScore]]:
    """Category → its units as the ranking lists them: by rank in category, ties in registry
    order (the one order of every category table)."""
    out: dict[int, list[UnitScore]] = {}
    for s in sorted(units, key=lambda s: (s.unit.category, s.rank_in_category, s.unit.order)):
        out.setdefault(s.unit.category, []).append(s)
    return out
