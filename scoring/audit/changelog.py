"""The change log: every commit that touched the ledger, with the score changes it caused.

Each commit's ledger is scored by the rulebook itself (:func:`scoring.rulebook.score.score_unit`),
unit by unit: a unit's score depends only on its own records, its year's rules and which month
folders exist. A commit scores again the units whose files it changed (in their year and the
later years, whose adoptions may name their items), or every unit of a year whose configuration
or month folders it changed; then each such year is ranked again and compared.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from ..ledger.model import Info, Record, Rules, Unit, UnitMonth
from ..rulebook.rank import competition_ranks
from ..rulebook.results import UnitScore, YearScore
from ..rulebook.score import score_unit
from .git import CommitInfo, LogCommit
from .history import Changed, LedgerState
from .provenance import RecordDelta, describe_record, diff_records

LIST_LIMIT = 50   # records listed per commit; `build.py diff` lists them all
ZERO = Decimal(0)


class ScoreChange(NamedTuple):
    """A unit whose total or rank in category changed (None: the unit or year absent)."""

    year: int
    id: str
    name: str
    before: Decimal | None
    after: Decimal | None
    rank_before: int | None
    rank_after: int | None

    @property
    def delta(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


class RecordLine(NamedTuple):
    """A record added (新增), removed (删除) or changed (修改), with its points before and after
    (None on the side where it is absent)."""

    status: str
    path: str
    line: int
    text: str
    points_before: Decimal | None
    points_after: Decimal | None


class ChangeEntry(NamedTuple):
    """One commit of the change log. ``records``: the first :data:`LIST_LIMIT` of the
    ``record_count`` records it changed."""

    commit: CommitInfo
    files: tuple[str, ...]
    scores: tuple[ScoreChange, ...]
    records: tuple[RecordLine, ...]
    record_count: int


class UnitTotal(NamedTuple):
    """What the change log keeps of a unit's score: its total, and each record's points."""

    unit: Unit
    total: Decimal
    points: dict[tuple[str, int], Decimal]   # (path, line) → points


class YearTable(NamedTuple):
    """A year scored at one commit: config and month folders, units' totals, their ranks."""

    key: tuple[object, ...]
    units: dict[str, UnitTotal]
    ranks: dict[str, int]


def record_lines(path: str, before: Sequence[Record], after: Sequence[Record],
                 points_before: Mapping[tuple[str, int], Decimal],
                 points_after: Mapping[tuple[str, int], Decimal],
                 limit: int | None = None) -> tuple[list[RecordLine], int]:
    """The records of one file that differ between two versions, with their points
    (``points_*``: the points of each record, by (path, line), on each side): the first
    ``limit`` of them (all when None), and how many there are."""
    def worth(rec: Record | None, points: Mapping[tuple[str, int], Decimal]) -> Decimal | None:
        return None if rec is None else points.get((rec.path, rec.line), ZERO)
    deltas = diff_records(before, after) if before else [RecordDelta(None, r) for r in after]
    out = []
    for d in deltas[:limit]:
        rec = d.after or d.before
        assert rec is not None
        out.append(RecordLine(d.status, path, rec.line, describe_record(rec),
                              worth(d.before, points_before), worth(d.after, points_after)))
    return out, len(deltas)


def scorable(um: UnitMonth, items: dict[str, Info], rules: Rules,
             seen: set[tuple[str, str]]) -> UnitMonth:
    """Drop the references the validator rejects, so that any commit of the history scores.

    A committed ledger may have had errors at some commit (an adoption of an unknown item, a
    channel that does not fit the item's kind, a duplicate); the change log still shows what
    the valid records of that commit were worth. ``seen`` collects the (item, channel or
    level) pairs of earlier months, so a duplicate is dropped after its first.
    """
    def keep(oa: str, on: str, date: object, channel: bool) -> bool:
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


class ScoreTracker:
    """Every year's scores at the current commit of a walk over ``state``, and what each
    commit changed."""

    def __init__(self, state: LedgerState) -> None:
        self.state = state
        self.tables: dict[int, YearTable | None] = {}

    def commit(self, log: LogCommit, changed: list[Changed],
               scored: dict[int, YearScore] | None = None) -> ChangeEntry:
        """Score the commit ``log`` (``state`` already moved on by it; ``changed`` its unit
        files, as :meth:`LedgerState.advance` gives them). ``scored``: the ledger at this
        commit as the build scored it, when its working tree is this commit (the last)."""
        years, full = self._affected(log)
        touched = {(c.where.year, c.where.unit) for c in changed}
        old = {y: self.tables.get(y) for y in years}
        scores: list[ScoreChange] = []
        for year in sorted(years):
            if scored is not None:
                new = self.tables[year] = self._table(year, scored.get(year))
            else:
                ids = None if year in full else {u for y, u in touched if y <= year}
                new = self.tables[year] = self._score_year(year, old[year], ids)
            scores += compare(year, old[year], new)
        records: list[RecordLine] = []
        count = 0
        for ch in changed:
            before = ch.before.records() if ch.before else ()
            after = ch.after.records() if ch.after else ()
            table_before, table_after = old.get(ch.where.year), self.tables.get(ch.where.year)
            found, n = record_lines(ch.path, before, after, _points(table_before, ch.where.unit),
                                    _points(table_after, ch.where.unit),
                                    max(LIST_LIMIT - len(records), 0))
            records += found
            count += n
        return ChangeEntry(log.info, tuple(c.path for c in log.changes), tuple(scores),
                           tuple(records), count)

    def before(self, log: LogCommit) -> None:
        """Score, at the current commit, the years that ``log`` will change and that are not
        scored yet (a walk that starts after the first commit, see :mod:`.trail`)."""
        years, _ = self._affected(log)
        for year in years:
            if year not in self.tables:
                self.tables[year] = self._score_year(year, None, None)

    def _affected(self, log: LogCommit) -> tuple[set[int], set[int]]:
        """The years a commit may change, and those of them to score again in whole: their
        configuration or month folders changed, or an earlier year's rules (its items are
        parsed under them, and later years' adoptions name them)."""
        state = self.state
        years = set(state.years()) | {y for y, t in self.tables.items() if t is not None}
        first_unit = first_config = 10_000
        for c in log.changes:
            kind = state.kind(c.path)
            if kind.config is not None:
                first_config = min(first_config, kind.config)
            elif kind.unit is not None:
                first_unit = min(first_unit, kind.unit.year)
        full = {y for y in years if y >= first_config}
        for y in years:
            table = self.tables.get(y)
            if table is None or table.key != self._key(y):
                full.add(y)
        return full | {y for y in years if y >= first_unit}, full

    def _key(self, year: int) -> tuple[object, ...]:
        return (*self.state.config_blobs(year), tuple(self.state.months(year)))

    def _score_year(self, year: int, old: YearTable | None,
                    ids: set[str] | None) -> YearTable | None:
        """The year at the current commit: ``ids`` scored again (None: every unit)."""
        cfg = self.state.config(year)
        if cfg is None:
            return None
        units = dict(old.units) if old is not None and ids is not None else {}
        for unit in cfg.units:
            if ids is None or unit.id in ids or unit.id not in units:
                units[unit.id] = self._score_unit(year, unit)
        units = {u.id: units[u.id] for u in cfg.units}
        ranks: dict[str, int] = {}
        for category in sorted({u.category for u in cfg.units}):
            members = [u.id for u in cfg.units if u.category == category]
            ranks.update(zip(members, competition_ranks([units[m].total for m in members]),
                             strict=True))
        return YearTable(self._key(year), units, ranks)

    def _table(self, year: int, score: YearScore | None) -> YearTable | None:
        """The table of a year the build scored (None: a year it does not have)."""
        if score is None:
            return None
        units = {s.unit.id: unit_total(s) for s in score.units}
        return YearTable(self._key(year), units, {s.unit.id: s.rank_in_category
                                                  for s in score.units})

    def _score_unit(self, year: int, unit: Unit) -> UnitTotal:
        state = self.state
        frame = state.year_ledger(year, unit)
        assert frame is not None
        history = [state.unit_month(y, m, unit.id) for y in state.years() if y < year
                   for m in state.months(y)]
        files = [frame.months[m][unit.id] for m in sorted(frame.months)]
        items: dict[str, Info] = {}
        for um in (*history, *files):
            for item in um.info:
                items.setdefault(item.oa, item)
        seen: set[tuple[str, str]] = set()
        for m in sorted(frame.months):
            frame.months[m][unit.id] = scorable(frame.months[m][unit.id], items, frame.rules,
                                                seen)
        return unit_total(score_unit(frame, unit, items))


def unit_total(score: UnitScore) -> UnitTotal:
    """What the change log keeps of a unit's score."""
    points: dict[tuple[str, int], Decimal] = {}
    for p in score.points:
        if p.path is not None and p.line is not None:
            points[(p.path, p.line)] = points.get((p.path, p.line), ZERO) + p.points
    return UnitTotal(score.unit, score.total, points)


def _points(table: YearTable | None, unit: str) -> dict[tuple[str, int], Decimal]:
    """A unit's points by record in a scored year (none when the unit or year is absent)."""
    found = table.units.get(unit) if table is not None else None
    return found.points if found is not None else {}


def compare(year: int, old: YearTable | None, new: YearTable | None) -> list[ScoreChange]:
    """Units whose (total, rank in category) differ; the newer registry order first."""
    def table(t: YearTable | None) -> dict[str, tuple[Decimal, int]]:
        return {u: (s.total, t.ranks[u]) for u, s in t.units.items()} if t else {}
    names = {u: s.unit.name for t in (old, new) if t is not None for u, s in t.units.items()}
    return compare_totals(year, table(old), table(new), names)


def compare_totals(year: int, before: dict[str, tuple[Decimal, int]],
                   after: dict[str, tuple[Decimal, int]],
                   names: dict[str, str]) -> list[ScoreChange]:
    """Units whose (total, rank in category) differ; the newer registry order first."""
    out = []
    for uid in [*after, *(u for u in before if u not in after)]:
        b, a = before.get(uid, (None, None)), after.get(uid, (None, None))
        if a != b:
            out.append(ScoreChange(year, uid, names.get(uid, uid), b[0], a[0], b[1], a[1]))
    return out
