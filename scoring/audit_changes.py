"""The change log: every commit that touched the ledger, with the score changes it caused.

Scores are computed incrementally while the history is replayed (:mod:`scoring.audit_history`):
a commit re-scores only the units whose files it changed, in the years it touched (all units of
a year when its configuration or its set of month folders changed, since quarters and the final
year depend on them), then re-ranks those years. Parsed files are shared by blob id.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from .audit_history import Changed, Replay, walk
from .audit_score import rank_totals, score_unit, unit_items
from .closing import Correction, closed_months, find_corrections
from .gitlog import CommitInfo, GitError, LogCommit, ledger_prefix, repo_toplevel
from .model import Record, UnitMonth
from .provenance import ProvenanceTracker, RecordDelta, diff_records
from .results import UnitScore


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
    """One commit of the change log; ``corrections``: the closed months it corrected."""

    commit: CommitInfo
    files: tuple[str, ...]
    scores: tuple[ScoreChange, ...]
    records: tuple[RecordChange, ...]
    corrections: tuple[Correction, ...] = ()


class _Year(NamedTuple):
    key: tuple[object, ...]                     # config blobs and month folders present
    units: dict[str, tuple[tuple[object, ...], UnitScore]]   # id → (its input key, score)
    ranks: dict[str, int]


class ScoreTracker:
    """A walk consumer that keeps every year's scores current and logs what each commit did."""

    def __init__(self) -> None:
        self.years: dict[int, _Year] = {}
        self.entries: list[ChangeEntry] = []

    def commit(self, log: LogCommit, changed: list[Changed], replay: Replay) -> None:
        touched = {(c.where.year, c.where.unit) for c in changed}
        years = set(replay.years()) | set(self.years)
        affected = {y for y in years if any(p.startswith(replay.path(f"{y}/"))
                                            for p in (c.path for c in log.changes))}
        if touched:  # items of a year are referenced by adoptions of later years
            first = min(y for y, _ in touched)
            affected |= {y for y in years if y > first}
        old_years = dict(self.years)
        scores: list[ScoreChange] = []
        for year in sorted(affected):
            scores += self._update_year(year, replay, touched, old_years.get(year))
        records = self._record_changes(changed, old_years)
        files = tuple(c.path for c in log.changes)
        self.entries.append(ChangeEntry(log.info, files, tuple(scores), tuple(records)))

    def _update_year(self, year: int, replay: Replay, touched: set[tuple[int, str]],
                     old: _Year | None) -> list[ScoreChange]:
        frame = replay.year_ledger(year, files=False)
        if frame is None:
            self.years.pop(year, None)
            return _compare(year, old, None, {})
        upto = [y for y in replay.years() if y <= year]
        months = {y: replay.months(y) for y in upto}
        key = (replay.files.get(replay.path(f"{year}/units.toml")),
               replay.files.get(replay.path(f"{year}/rules.toml")), tuple(months[year]))
        units: dict[str, tuple[tuple[object, ...], UnitScore]] = {}
        for unit in frame.units:
            prev = old.units.get(unit.id) if old is not None and old.key == key else None
            if prev is not None and not any((y, unit.id) in touched for y in upto):
                units[unit.id] = prev
                continue
            blobs = tuple(replay.files.get(replay.path(f"{y}/{m:02d}/{unit.id}.toml"))
                          for y in upto for m in months[y])
            if prev is not None and prev[0] == blobs:
                units[unit.id] = prev
                continue
            files = {m: replay.unit_month(year, m, unit.id) for m in months[year]}
            history: list[UnitMonth] = [replay.unit_month(y, m, unit.id) for y in upto
                                        if y < year for m in months[y]]
            items = unit_items([*history, *files.values()])
            units[unit.id] = (blobs, score_unit(frame, unit, files, items))
        ranks = rank_totals(frame.units, {u: s.total for u, (_, s) in units.items()})
        new = _Year(key, units, ranks)
        self.years[year] = new
        return _compare(year, old, new, {u.id: u.name for u in frame.units})

    def _record_changes(self, changed: list[Changed],
                        old_years: dict[int, _Year]) -> list[RecordChange]:
        out: list[RecordChange] = []
        for ch in changed:
            before = ch.before.records() if ch.before else ()
            after = ch.after.records() if ch.after else ()
            old, new = old_years.get(ch.where.year), self.years.get(ch.where.year)
            for delta in diff_records(before, after):
                out.append(RecordChange(ch.path, delta, _points(old, delta.before),
                                        _points(new, delta.after)))
        return out


def _points(year: _Year | None, rec: Record | None) -> Decimal | None:
    """The points a record earns in a scored year (None when the record is absent)."""
    if rec is None:
        return None
    if year is None or rec.unit not in year.units:
        return Decimal(0)
    score = year.units[rec.unit][1]
    return sum((p.points for p in score.points if p.record == rec), Decimal(0))


def _compare(year: int, old: _Year | None, new: _Year | None,
             names: dict[str, str]) -> list[ScoreChange]:
    def table(y: _Year | None) -> dict[str, tuple[Decimal, int]]:
        return {u: (s.total, y.ranks[u]) for u, (_, s) in y.units.items()} if y else {}
    if old is not None:
        names = {**{u: s.unit.name for u, (_, s) in old.units.items()}, **names}
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


def read_audit_log(ledger_dir: Path, rev: str = "HEAD") -> AuditLog:
    """Walk the ledger's history once, for the change log page, unit pages and bulletins."""
    repo = repo_toplevel(Path(ledger_dir).resolve())
    scores, prov = ScoreTracker(), ProvenanceTracker()
    if repo is None:
        return AuditLog([], prov, [])
    prefix = ledger_prefix(repo, Path(ledger_dir))
    try:
        commits, _ = walk(repo, prefix, [prov, scores], rev)
        closed = closed_months(repo, rev)
        found = find_corrections(repo, prefix, commits, rev, closed)
    except GitError as exc:
        return AuditLog([], ProvenanceTracker(), [], error=f"无法读取 git 历史：{exc}")
    effects = {e.commit.sha: e.scores for e in scores.entries}
    found = [c._replace(scores=effects.get(c.commit.sha, ())) for c in found]
    by_commit: dict[str, list[Correction]] = {}
    for c in found:
        by_commit.setdefault(c.commit.sha, []).append(c)
    entries = [e._replace(corrections=tuple(by_commit.get(e.commit.sha, ())))
               for e in reversed(scores.entries)]
    return AuditLog(entries, prov, found, tuple((c.year, c.month) for c in closed))


def changelog(ledger_dir: Path) -> list[ChangeEntry]:
    """Every commit that touched the ledger, newest first, with its score changes."""
    return read_audit_log(ledger_dir).entries
