"""The change log: every commit that touched the ledger, with the score changes it caused.

Scores are computed incrementally while the history is replayed (:mod:`scoring.audit_history`):
a commit re-scores only the units whose files it changed, in the years it touched (all units of
a year when its configuration or its set of month folders changed, since quarters and the final
year depend on them), then re-ranks those years. Parsed files are shared by blob id.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import Mapping, NamedTuple, Protocol

from .audit_history import Changed, walk
from .audit_replay import Known, Replay, YearConfig
from .audit_score import rank_totals, score_unit, unit_items
from .audit_tally import ZERO, Tally, unit_result
from .closing import ClosedMonth, Correction, closed_months, find_corrections
from .gitlog import CommitInfo, GitError, LogCommit, ledger_prefix, repo_toplevel
from .model import Record, Rules, Unit, UnitMonth
from .rank import competition_ranks
from .provenance import ProvenanceTracker, RecordDelta, diff_records
from .results import UnitScore

_new = tuple.__new__  # a NamedTuple from a tuple, without its keyword-parsing __new__
_total = attrgetter("total")


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


class RecordChange(NamedTuple):
    """A record a commit added, removed or changed, with its points before and after."""

    path: str
    delta: RecordDelta
    points_before: Decimal | None
    points_after: Decimal | None


class ChangeEntry(NamedTuple):
    """One commit of the change log; ``corrections``: the closed months it corrected.

    ``records`` may be the first of more (see ``keep_records`` of :func:`read_audit_log`):
    ``record_count`` tells how many records the commit changed in all.
    """

    commit: CommitInfo
    files: tuple[str, ...]
    scores: tuple[ScoreChange, ...]
    records: tuple[RecordChange, ...]
    corrections: tuple[Correction, ...] = ()
    records_total: int | None = None   # None: ``records`` holds them all

    @property
    def record_count(self) -> int:
        return len(self.records) if self.records_total is None else self.records_total


class _Year(NamedTuple):
    key: tuple[object, ...]                     # config blobs and month folders present
    units: dict[str, UnitTotal]            # id → its score
    ranks: dict[str, int]


class UnitTotal(Protocol):
    """What the tracker keeps of a unit's score: its total, and the points of its records."""

    unit: Unit
    total: Decimal

    def points(self, rec: Record) -> Decimal: ...

    def points_each(self, records: Iterable[Record]) -> list[Decimal]: ...


class ExactTotal:
    """A unit scored by the scorer itself (:func:`scoring.audit_score.score_unit`)."""

    __slots__ = ("score", "unit", "total")

    def __init__(self, score: UnitScore) -> None:
        self.score, self.unit, self.total = score, score.unit, score.total

    def points(self, rec: Record) -> Decimal:
        return sum((p.points for p in self.score.points if p.record == rec), Decimal(0))

    def points_each(self, records: Iterable[Record]) -> list[Decimal]:
        return [self.points(rec) for rec in records]


class _Frame(NamedTuple):
    units: dict[str, Unit]               # id → unit
    categories: dict[int, list[str]]     # category → its units' ids, in registry order


class ScoreTracker:
    """A walk consumer that keeps every year's scores current and logs what each commit did.

    Which units it scores again after a commit, and which scores it keeps, is decided as
    before; a unit is scored by the lean :mod:`scoring.audit_tally`, or with ``exact`` by the
    scorer itself (slower; the tests compare the two).
    """

    def __init__(self, exact: bool = False, keep: int | None = None) -> None:
        self.years: dict[int, _Year] = {}
        self.entries: list[ChangeEntry] = []
        self.exact = exact
        self.keep = keep   # record changes kept per commit (None: all), the others counted
        self.tally = Tally()
        self._frames: dict[int, tuple[tuple[Unit, ...], _Frame]] = {}
        # year → (replay generation, config, years up to it, key), while the generation lasts
        self._shapes: dict[int, tuple[int, YearConfig | None, list[int], tuple[object, ...]]]
        self._shapes = {}

    def commit(self, log: LogCommit, changed: list[Changed], replay: Replay) -> None:
        touched = {(c.where.year, c.where.unit) for c in changed}
        years = {*replay.years(), *self.years}
        if len(changed) == len(log.changes):  # unit files only (the usual commit)
            config = False
            first = min([c.where.year for c in changed])
            affected = {y for y in years if y >= first}
        else:
            found, kind = replay.kinds, replay.kind
            kinds = [found.get(c.path) or kind(c.path) for c in log.changes]
            config = any(k.config is not None for k in kinds)
            folders = {head for k in kinds if k.rel is not None
                       for head, sep, _ in (k.rel.partition("/"),) if sep}
            affected = {y for y in years if str(y) in folders}
            if touched:  # items of a year are referenced by adoptions of later years
                first = min(y for y, _ in touched)
                affected |= {y for y in years if y > first}
        if not self.exact:
            self._tally(changed, replay, config)
        old_years = dict(self.years)
        scores: list[ScoreChange] = []
        for year in sorted(affected):
            scores += self._update_year(year, replay, touched, old_years.get(year))
        records, total = self._record_changes(changed, old_years)
        files = tuple([c.path for c in log.changes])
        self.entries.append(_new(ChangeEntry, (log.info, files, tuple(scores), tuple(records),
                                               (), None if total == len(records) else total)))

    def _tally(self, changed: list[Changed], replay: Replay, config: bool) -> None:
        """Bring the folds up to date: the changed files, or everything after a config change
        (every file of a year is parsed again under new rules, items of all years may change)."""
        if config:
            self.tally = Tally()
            change = self.tally.change
            for where, um in replay.parsed_units():
                change(where.unit, where.year, where.month, None, um, um)
        else:
            change = self.tally.change
            for c in changed:
                change(c.where.unit, c.where.year, c.where.month, c.before, c.after, c.tail)

        def rules(year: int) -> Rules | None:
            cfg = replay.config(year)
            return cfg.rules if cfg is not None else None
        self.tally.settle(rules)

    def _update_year(self, year: int, replay: Replay, touched: set[tuple[int, str]],
                     old: _Year | None) -> list[ScoreChange]:
        found = self._shapes.get(year)
        if found is None or found[0] != replay.generation:
            cfg = replay.config(year)
            found = self._shapes[year] = (
                replay.generation, cfg, [y for y in replay.years() if y <= year],
                (*replay.config_blobs(year), tuple(replay.months(year))))
        _, cfg, upto, key = found
        if cfg is None:
            self.years.pop(year, None)
            return _compare(year, old, None, {})
        if old is not None and old.key == key:
            return self._update_units(year, replay, touched, old, upto, cfg)
        units = {u.id: self._score(replay, year, u, upto) for u in cfg.units}
        ranks = rank_totals(cfg.units, {u: s.total for u, s in units.items()})
        new = _Year(key, units, ranks)
        self.years[year] = new
        return _compare(year, old, new, {u.id: u.name for u in cfg.units})

    def _update_units(self, year: int, replay: Replay, touched: set[tuple[int, str]],
                      old: _Year, upto: list[int], cfg: YearConfig) -> list[ScoreChange]:
        """Same configuration and month folders: only the touched units can change, and the
        ranks of their categories' other units."""
        frame = self._frame(cfg)
        by_id = frame.units
        if len(touched) == 1:  # the usual commit
            (y, uid), = touched
            ids = [uid] if y in upto and uid in by_id else []
        else:
            ids = sorted({u for y, u in touched if y in upto and u in by_id},
                         key=lambda u: by_id[u].order)
        if not ids:
            return []
        units = dict(old.units)
        moved: dict[int, list[str]] = {}   # category → its units whose total changed
        months = replay.months(year)
        books, rules = self.tally.books, cfg.rules
        for uid in ids:
            unit = by_id[uid]
            prev = units.get(uid)
            if self.exact:
                score = self._score(replay, year, unit, upto)
            else:
                book = books.get(uid)
                score = unit_result(unit, book.years.get(year) if book is not None else None,
                                    rules, months)
            units[uid] = score
            if prev is None or prev.total != score.total:
                found = moved.get(unit.category)
                if found is None:
                    moved[unit.category] = [uid]
                else:
                    found.append(uid)
        if not moved:
            self.years[year] = _Year(old.key, units, old.ranks)
            return []
        ranks = dict(old.ranks)
        out: list[ScoreChange] = []
        for category in sorted(moved):
            members, uids = frame.categories[category], moved[category]
            prev = old.units.get(uids[0])
            if len(uids) == 1 and prev is not None:  # the usual commit
                out += rerank_one(year, frame, members, units, ranks, uids[0], prev.total)
                continue
            totals = list(map(_total, map(units.__getitem__, members)))
            new = competition_ranks(totals)
            ranks.update(zip(members, new))
            for uid, total, rank, prev, was in zip(members, totals, new,
                                                   map(old.units.get, members),
                                                   map(old.ranks.get, members)):
                if rank != was or prev is None or total != prev.total:
                    b = prev.total if prev is not None else None
                    out.append(_new(ScoreChange, (year, uid, frame.units[uid].name, b, total,
                                                  was, rank)))
        self.years[year] = _Year(old.key, units, ranks)
        if len(moved) > 1:
            out.sort(key=lambda c: frame.units[c.id].order)
        return out

    def _frame(self, cfg: YearConfig) -> _Frame:
        """The year's units by id and by category (kept while the configuration is the same)."""
        found = self._frames.get(id(cfg.units))
        if found is None or found[0] is not cfg.units:
            by_category: dict[int, list[str]] = {}
            for u in cfg.units:
                by_category.setdefault(u.category, []).append(u.id)
            found = self._frames[id(cfg.units)] = (
                cfg.units, _Frame({u.id: u for u in cfg.units}, by_category))
        return found[1]

    def _score(self, replay: Replay, year: int, unit: Unit, upto: list[int]) -> UnitTotal:
        cfg = replay.config(year)
        assert cfg is not None
        months = replay.months(year)
        if not self.exact:
            return unit_result(unit, self.tally.year(unit.id, year), cfg.rules, months)
        frame = replay.year_ledger(year, files=False)
        assert frame is not None
        files = {m: replay.unit_month(year, m, unit.id) for m in months}
        history: list[UnitMonth] = [replay.unit_month(y, m, unit.id) for y in upto
                                    if y < year for m in replay.months(y)]
        items = unit_items([*history, *files.values()])
        return ExactTotal(score_unit(frame, unit, files, items))

    def _record_changes(self, changed: list[Changed],
                        old_years: dict[int, _Year]) -> tuple[list[RecordChange], int]:
        """The records the commit changed with their points (the first ``keep``), and how
        many it changed."""
        out: list[RecordChange] = []
        total, keep = 0, self.keep
        for ch in changed:
            tail = ch.tail
            if tail is not None:
                count = tail.record_count()
                room = count if keep is None else min(count, max(keep - total, 0))
                total += count
                if not room:
                    continue
                records = tail.records()
                if room < count:
                    records = records[:room]
                # the records of one unit's file: their unit's result, looked up once
                new = self.years.get(ch.where.year)
                found = new.units.get(ch.where.unit) if new is not None else None
                path = ch.path
                if found is None:
                    out += [_new(RecordChange, (path, _new(RecordDelta, (None, rec)), None, ZERO))
                            for rec in records]
                else:
                    out += [_new(RecordChange, (path, _new(RecordDelta, (None, rec)), None, p))
                            for rec, p in zip(records, found.points_each(records))]
                continue
            old, new = old_years.get(ch.where.year), self.years.get(ch.where.year)
            before = ch.before.records() if ch.before else ()
            after = ch.after.records() if ch.after else ()
            for delta in diff_records(before, after):
                total += 1
                if keep is None or total <= keep:
                    out.append(RecordChange(ch.path, delta, _points(old, delta.before),
                                            _points(new, delta.after)))
        return out, total


def rerank_one(year: int, frame: _Frame, members: list[str], units: Mapping[str, UnitTotal],
               ranks: dict[str, int], uid: str, before: Decimal) -> list[ScoreChange]:
    """The score changes of a category (``members``) where only ``uid``'s total moved, from
    ``before`` to its total in ``units``; ``ranks`` (the old ones) brought up to date.

    A competition rank is 1 + the number of strictly greater totals, so only the units whose
    total lies in [lower, higher) of the two move, by one place (the unit passed them, or they
    passed it), and the unit's own rank is counted afresh: no sorting.
    """
    after = units[uid].total
    low, high, step = (before, after, 1) if before < after else (after, before, -1)
    out: list[ScoreChange] = []
    above, at = 1, 0
    for other in members:
        if other == uid:
            at = len(out)
            continue
        total = units[other].total
        if total > after:
            above += 1
        if low <= total < high:
            was = ranks[other]
            ranks[other] = was + step
            out.append(_new(ScoreChange, (year, other, frame.units[other].name, total, total,
                                          was, was + step)))
    out.insert(at, _new(ScoreChange, (year, uid, frame.units[uid].name, before, after,
                                      ranks[uid], above)))
    ranks[uid] = above
    return out


def _points(year: _Year | None, rec: Record | None) -> Decimal | None:
    """The points a record earns in a scored year (None when the record is absent)."""
    if rec is None:
        return None
    if year is None or rec.unit not in year.units:
        return ZERO
    return year.units[rec.unit].points(rec)


def _compare(year: int, old: _Year | None, new: _Year | None,
             names: dict[str, str]) -> list[ScoreChange]:
    def table(y: _Year | None) -> dict[str, tuple[Decimal, int]]:
        return {u: (s.total, y.ranks[u]) for u, s in y.units.items()} if y else {}
    if old is not None:
        names = {**{u: s.unit.name for u, s in old.units.items()}, **names}
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


class AuditLog(NamedTuple):
    """One walk of the history: change log (newest first), provenance, corrections."""

    entries: list[ChangeEntry]
    provenance: ProvenanceTracker
    corrections: list[Correction]
    closed: tuple[tuple[int, int], ...] = ()   # (year, month) closed in this history
    error: str | None = None                   # git failed: the pages say so, the build goes on


def read_audit_log(ledger_dir: Path, rev: str = "HEAD", known: Known | None = None,
                   known_rules: Mapping[int, str] | None = None,
                   keep_records: int | None = None) -> AuditLog:
    """Walk the ledger's history once, for the change log page, unit pages and bulletins.

    ``known`` and ``known_rules``: the working tree's parses, so that the walk neither reads
    nor parses those blobs again (see :func:`scoring.audit_history.walk`)::

        known = {("2023/05/fgw.toml", git_blob_id(raw)): unit_month, ...}
        known_rules = {2023: git_blob_id(rules_toml_bytes)}

    ``keep_records``: keep at most that many changed records per commit, with their points
    (the change log page lists no more; a city's first commit adds hundreds of thousands).
    """
    repo = repo_toplevel(Path(ledger_dir).resolve())
    scores, prov = ScoreTracker(keep=keep_records), ProvenanceTracker()
    if repo is None:
        return AuditLog([], prov, [])
    prefix = ledger_prefix(repo, Path(ledger_dir))
    # the closing tags are read aside while the walk runs (a git process costs milliseconds)
    tags: list[list[ClosedMonth]] = []
    reader = threading.Thread(target=lambda: tags.append(closed_months(repo, rev)))
    reader.start()
    try:
        commits, _ = walk(repo, prefix, [prov, scores], rev, known, known_rules)
        reader.join()
        closed = tags[0] if tags else closed_months(repo, rev)
        found = find_corrections(repo, prefix, commits, rev, closed)
    except GitError as exc:
        return AuditLog([], ProvenanceTracker(), [], error=f"无法读取 git 历史：{exc}")
    by_commit: dict[str, list[Correction]] = {}
    if found:
        effects = {e.commit.sha: e.scores for e in scores.entries}
        found = [c._replace(scores=effects.get(c.commit.sha, ())) for c in found]
        for c in found:
            by_commit.setdefault(c.commit.sha, []).append(c)
    # an entry is made without corrections: only those of corrections are made again
    entries = [e if (mine := by_commit.get(e.commit.sha)) is None
               else e._replace(corrections=tuple(mine)) for e in reversed(scores.entries)]
    return AuditLog(entries, prov, found, tuple((c.year, c.month) for c in closed))


def changelog(ledger_dir: Path) -> list[ChangeEntry]:
    """Every commit that touched the ledger, newest first, with its score changes."""
    return read_audit_log(ledger_dir).entries
