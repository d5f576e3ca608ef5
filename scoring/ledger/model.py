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
    """A category of units with its annual targets (三(一)); a target of 0 is none."""

    id: int
    name: str
    submitted: int
    adopted: int
    special_submitted: int
    special_adopted: int
    clause: str

    @property
    def has_targets(self) -> bool:
        return any((self.submitted, self.adopted, self.special_submitted, self.special_adopted))


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


class PenaltyRule(NamedTuple):
    """三(三)6: a percentage of the year's positive sum, deducted once for a penalty event."""

    percent: int
    clause: str


class Document(NamedTuple):
    """The rulebook itself, as pages cite it: 《title》（number）."""

    title: str = ""
    number: str = ""
    issuer: str = ""
    date: dt.date | None = None


class Notice(NamedTuple):
    """The annual notice's 版头, 主送, 落款 and 版记 (GB/T 9704-2012); empty when not given.

    issuer: 发文机关 (its 版头 reads “<issuer>文件”); number: 发文字号; recipients: 主送机关;
    signer: 落款 (the issuer when empty); date: 成文日期; copy_to: 抄送机关;
    printed_by: 印发机关; printed_on: 印发日期.
    """

    issuer: str = ""
    number: str = ""
    recipients: str = ""
    signer: str = ""
    date: dt.date | None = None
    copy_to: str = ""
    printed_by: str = ""
    printed_on: dt.date | None = None


class Wording(NamedTuple):
    """How a year's pages name things, from the rulebook (``[wording]`` of rules.toml).

    The defaults name nothing local: an office's rulebook gives its own words and clauses.
    Titles are formats of ``{year}`` (and ``{month}``).
    """

    site_title: str = "政务信息工作考评"
    bulletin_title: str = "{year}年{month}月政务信息报送采用情况通报"
    notice_title: tuple[str, ...] = ("关于{year}年度政务信息工作", "考评结果的通报")
    scope: str = ""             # who is scored, as sentences name it: 全区政府系统
    area: str = ""              # where, in short: 全区（全区排名、全区共报送）
    categories: str = "各类别"   # the categories together: 各类信息网点
    rulebook: str = "考评办法"   # the rulebook in short, before its clauses
    adoption_clause: str = ""       # the rulebook's section on adoption points: 三(二)
    comprehensive_clause: str = ""  # on 综合考评: 三(三)
    accumulation_clause: str = ""   # on scoring month by month: 三
    results_clause: str = ""        # on the results and what follows them: 四
    accumulation: str = ""      # how points add up across channels, in the rulebook's words
    below_target: str = ""      # what follows for a unit short of a target: …将约谈…


class Rules(NamedTuple):
    """Everything of the rulebook in force for one year (``rules.toml``).

    commission, penalty and shortfall are None where the rulebook has no such rule; levels and
    events may be empty.
    """

    path: str
    document: Document
    notice: Notice
    wording: Wording
    categories: dict[int, Category]
    info_kind: str
    special_kind: str
    topics: tuple[str, ...]
    channels: dict[tuple[str, str], Channel]
    levels: dict[str, InstructionLevel]
    commission: CommissionRule | None
    events: dict[str, EventRule]
    penalty: PenaltyRule | None
    shortfall: ShortfallRule | None

    @property
    def kinds(self) -> tuple[str, str]:
        return (self.info_kind, self.special_kind)

    @property
    def has_targets(self) -> bool:
        return any(c.has_targets for c in self.categories.values())

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
    # OA numbers of [[info]] tables left out for a problem already reported: an adoption or
    # instruction of one is not reported again as "not found" (one cause, one error).
    unusable_oa: tuple[str, ...] = ()

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
