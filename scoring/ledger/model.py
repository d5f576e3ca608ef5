"""The ledger as frozen values: the year's configuration and the monthly unit records.

Records are NamedTuples (light and immutable; fields documented here). Every record
carries ``path`` and ``line``: the file relative to the repository root and the line of its
``[[table]]`` header — the provenance of every point computed from it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

# --- the year's configuration (units.toml, rules.toml) -------------------------------------

class Unit(NamedTuple):
    """A scored unit. ``order`` is its registry position: the display order among ties."""

    id: str
    name: str
    category: int
    order: int
    line: int


class Category(NamedTuple):
    """A 信息网点 category with its annual targets (三(一))."""

    id: int
    name: str
    submitted: int
    adopted: int
    special_submitted: int
    special_adopted: int
    clause: str


class Channel(NamedTuple):
    """Points for one adoption of an item of ``kind`` by channel ``by`` (三(二))."""

    kind: str
    by: str
    name: str
    points: int
    clause: str


class InstructionLevel(NamedTuple):
    """Points for one leader instruction at ``level`` (三(二)5)."""

    level: str
    name: str
    points: int
    clause: str


class CommissionRule(NamedTuple):
    """上级约稿: points on time (三(二)4), deduction when missed or late (三(三)4)."""

    on_time_name: str
    on_time_points: int
    on_time_clause: str
    missed_points: int
    missed_clause: str
    missed_reason: str


class EventRule(NamedTuple):
    """A 综合考评 event kind: its points, whether it counts once a year, criticism, penalty."""

    kind: str
    name: str
    points: int
    once_per_year: bool
    criticism: bool
    penalty: bool
    clause: str


class ShortfallRule(NamedTuple):
    """三(三)7: points per missing item, quarterly for 信息, annually for 专报 (negative)."""

    submitted_points: int
    adopted_points: int
    special_submitted_points: int
    special_adopted_points: int
    clause: str


class Rules(NamedTuple):
    """Everything of the rulebook in force for one year (``rules.toml``)."""

    path: str
    document: dict[str, object]
    notice: dict[str, object]
    categories: dict[int, Category]
    info_kind: str
    special_kind: str
    topics: tuple[str, ...]
    channels: dict[tuple[str, str], Channel]
    levels: dict[str, InstructionLevel]
    commission: CommissionRule
    events: dict[str, EventRule]
    penalty_percent: int
    penalty_clause: str
    shortfall: ShortfallRule

    @property
    def kinds(self) -> tuple[str, str]:
        return (self.info_kind, self.special_kind)

    def channels_for(self, kind: str) -> list[str]:
        return [by for (k, by) in self.channels if k == kind]


# --- the monthly records ---------------------------------------------------------------------

class Info(NamedTuple):
    """[[info]] 报送信息: an item submitted through the OA platform."""

    oa: str
    title: str
    date: dt.date
    kind: str
    topic: str | None
    note: str | None
    unit: str
    path: str
    line: int


class Adoption(NamedTuple):
    """[[adoption]] 采用: one use of an item by one channel."""

    oa: str
    by: str
    date: dt.date
    issue: str | None
    note: str | None
    unit: str
    path: str
    line: int


class Instruction(NamedTuple):
    """[[instruction]] 领导批示 on an item."""

    oa: str
    level: str
    date: dt.date
    leader: str | None
    note: str | None
    unit: str
    path: str
    line: int


class Commission(NamedTuple):
    """[[commission]] 上级约稿, recorded in the month of its due date."""

    title: str
    due: dt.date
    delivered: dt.date | None
    note: str | None
    unit: str
    path: str
    line: int

    @property
    def on_time(self) -> bool:
        return self.delivered is not None and self.delivered <= self.due


class Event(NamedTuple):
    """[[event]] 综合考评事项."""

    kind: str
    date: dt.date
    note: str | None
    unit: str
    path: str
    line: int


Record = Info | Adoption | Instruction | Commission | Event


class UnitMonth(NamedTuple):
    """One unit's ledger file for one month (empty tuples when nothing was recorded)."""

    unit: str
    year: int
    month: int
    path: str
    info: tuple[Info, ...] = ()
    adoptions: tuple[Adoption, ...] = ()
    instructions: tuple[Instruction, ...] = ()
    commissions: tuple[Commission, ...] = ()
    events: tuple[Event, ...] = ()

    def records(self) -> tuple[Record, ...]:
        return (*self.info, *self.adoptions, *self.instructions, *self.commissions, *self.events)

    def record_count(self) -> int:
        return len(self.records())


class YearLedger(NamedTuple):
    """A self-contained year: its units, rules, months of unit files and Markdown texts.

    ``months`` maps month number → unit id → UnitMonth, for every month folder present; a unit
    whose file is missing gets an empty UnitMonth (the loader warns).
    """

    year: int
    path: str
    units: tuple[Unit, ...]
    rules: Rules
    months: dict[int, dict[str, UnitMonth]]
    notice_md: str | None
    bulletins_md: dict[int, str]

    @property
    def through(self) -> int:
        """The last month present (0 when the year has no month yet)."""
        return max(self.months, default=0)

    @property
    def final(self) -> bool:
        return 12 in self.months

    def unit(self, unit_id: str) -> Unit:
        return next(u for u in self.units if u.id == unit_id)


class Ledger(NamedTuple):
    """Every year under the ledger folder. ``repo_root`` is where displayed paths start.

    ``blobs``: the git blob id (hex) of every file read, by displayed path: the history walk
    recognises the working tree's files by it (:mod:`scoring.audit.history`).
    """

    root: Path
    repo_root: Path
    years: dict[int, YearLedger]
    blobs: dict[str, str] = {}

    def unit_months(self) -> Iterator[UnitMonth]:
        """Every unit file, in year, month and registry order (the order 'first' refers to)."""
        for year in sorted(self.years):
            months = self.years[year].months
            for month in sorted(months):
                yield from months[month].values()

    def record_count(self) -> int:
        return sum(um.record_count() for um in self.unit_months())
