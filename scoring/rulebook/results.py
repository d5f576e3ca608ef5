"""What scoring produces: figures per unit and month, every point with its provenance.

These types are the contract between the scorer (:mod:`.score`, :mod:`.rank`) and
everything that shows or exports scores (pages, data files, diff, change log). Amounts are
``Decimal``; they become JSON numbers only in the export.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from ..ledger.model import Record, Unit

ADOPTION = "adoption"            # 信息采用积分 三(二)
COMPREHENSIVE = "comprehensive"  # 综合考评积分 三(三)
PENALTY = "penalty"              # 工作失误 20% 三(三)6


class Counts(NamedTuple):
    """SPEC §3 counts for a period. A 专报 counts in ``submitted`` too."""

    submitted: int = 0
    adopted: int = 0
    special_submitted: int = 0
    special_adopted: int = 0

    def __add__(self, other: tuple[int, ...]) -> Counts:  # type: ignore[override]
        """Counts add up field by field (a tuple's ``+`` would concatenate)."""
        a, b, c, d = other
        return Counts(self.submitted + a, self.adopted + b, self.special_submitted + c,
                      self.special_adopted + d)


class Point(NamedTuple):
    """One contribution to a unit's score, and why.

    month: the month it counts in (a record's file month; a quarter's last month for a
        quarterly shortfall; 12 for the annual 专报 shortfall; the last month for the penalty).
    component: ADOPTION, COMPREHENSIVE or PENALTY.
    points: signed amount (deductions negative; the penalty is stored negative too).
    rule: short Chinese name of the rule (``区政府刊物采用``), clause: ``三(二)2``.
    detail: Chinese sentence naming the record (``《…》被区刊采用（第18期）``).
    record: the ledger record, or None for computed charges (shortfalls, penalty).
    path, line: the record's source file and line (None for computed charges).
    """

    unit: str
    month: int
    component: str
    points: Decimal
    rule: str
    clause: str
    detail: str
    record: Record | None
    path: str | None
    line: int | None


class Criticism(NamedTuple):
    """An 通报批评 entry: its date (record date, or last day of the quarter / year), reason."""

    unit: str
    date: dt.date
    month: int
    reason: str
    clause: str
    path: str | None
    line: int | None


class MonthFigures(NamedTuple):
    """One unit's figures for one month.

    by_channel: adoptions this month per channel ``by`` (信息 and 专报 together, e.g. 市刊).
    instructions: instructions this month per level.
    """

    counts: Counts
    adoption_points: Decimal
    comprehensive_points: Decimal
    by_channel: dict[str, int]
    instructions: dict[str, int]


class UnitScore(NamedTuple):
    """A unit's year (or year to date) as SPEC §3 and §5 define it.

    months: every month of the period (1..through), zero figures where nothing happened.
    quarters: quarter number → Counts for the quarters that have at least begun.
    points: every Point, in month, then source order. total = adoption + comprehensive − penalty.
    below_target: 未达标 (final years only): short of any of the four annual targets.
    """

    unit: Unit
    counts: Counts
    adoption_points: Decimal
    comprehensive_points: Decimal
    penalty_points: Decimal
    total: Decimal
    rank_in_category: int
    rank_overall: int
    criticisms: tuple[Criticism, ...]
    below_target: bool
    months: dict[int, MonthFigures]
    quarters: dict[int, Counts]
    points: tuple[Point, ...]


class YearScore(NamedTuple):
    """Scores of every unit of a year through month ``through`` (final when 12)."""

    year: int
    through: int
    final: bool
    units: tuple[UnitScore, ...]  # registry order

    def unit(self, unit_id: str) -> UnitScore:
        return next(s for s in self.units if s.unit.id == unit_id)


def format_points(amount: Decimal) -> str:
    """``97.4``, ``100``, ``-30``: an amount as pages and messages write it (no exponent, no
    trailing zeros, no negative zero)."""
    text = format((amount + 0).normalize(), "f")
    return "0" if text == "-0" else text
