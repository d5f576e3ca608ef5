"""The audit trail of a ledger: one walk of its git history, for the pages and ``check``.

:func:`read_trail` walks the first-parent history of the ledger folder oldest first, keeping the
ledger's state (:mod:`.history`), each commit's score changes (:mod:`.changelog`) and the
commit that last changed every record (:mod:`.provenance`); commits scored by an earlier build
are taken from the commit cache (:mod:`.commitcache`). It returns a :class:`Trail`: the change
log, the corrections of closed months (:mod:`.closing`), and each working-tree record's commit.
"""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from ..cache import Cache
from ..ledger.model import Ledger, UnitMonth
from ..rulebook.results import YearScore
from .changelog import ChangeEntry, ScoreTracker
from .closing import Correction, closed_months, corrections_for_bulletin, find_corrections
from .commitcache import CommitCache
from .git import (
    CommitInfo,
    GitError,
    LogCommit,
    ledger_prefix,
    log_ledger,
    read_blobs,
    repo_toplevel,
)
from .history import LedgerState, known_parses
from .provenance import Provenance


class Trail(NamedTuple):
    """What git's history says of a ledger.

    entries: the change log, newest first. corrections: every correction of a closed month,
    oldest first, each with the score changes of its commit. closed: the (year, month) closed.
    record_commits: (path, line) of every working-tree record → the commit that last changed
    it (None: not committed as it stands). error: why the history could not be read, if so.
    """

    entries: list[ChangeEntry]
    corrections: list[Correction]
    closed: tuple[tuple[int, int], ...]
    record_commits: dict[tuple[str, int], CommitInfo | None]
    error: str | None = None

    def commit_of(self, path: str, line: int) -> CommitInfo | None:
        return self.record_commits.get((path, line))

    def corrections_of(self, sha: str) -> list[Correction]:
        return [c for c in self.corrections if c.commit.sha == sha]

    def listed_in(self, ledger: Ledger, year: int, month: int) -> list[Correction]:
        """The corrections that the bulletin of ``year``-``month`` lists under 更正."""
        months = [(y, m) for y, yl in ledger.years.items() for m in yl.months]
        return corrections_for_bulletin(self.corrections, year, month, months, set(self.closed))


class History(NamedTuple):
    """The history up to HEAD, as read once: the trail but for the working tree's record
    commits, which :meth:`records` finds (per year, so ``serve`` finds only an edited year's)."""

    entries: list[ChangeEntry]
    corrections: list[Correction]
    closed: tuple[tuple[int, int], ...]
    state: LedgerState | None
    provenance: Provenance
    commits: dict[str, CommitInfo]
    error: str | None = None

    def records(self, ledger: Ledger, year: int | None = None
                ) -> dict[tuple[str, int], CommitInfo | None]:
        """(path, line) → commit of every record of the working tree (of ``year`` only)."""
        if self.state is None:
            return {}
        return _record_commits(ledger, self.state, self.provenance, self.commits, year)

    def trail(self, record_commits: dict[tuple[str, int], CommitInfo | None]) -> Trail:
        return Trail(self.entries, self.corrections, self.closed, record_commits, self.error)


def read_trail(ledger: Ledger, cache: Cache | None = None,
               scored: dict[int, YearScore] | None = None) -> Trail | None:
    """The trail of the ledger's history up to HEAD (None outside a git repository).

    ``cache``: where the commits already scored are kept (:mod:`.commitcache`). ``scored``:
    the ledger's scores when it is exactly HEAD (no uncommitted change): the last commit's
    scores are then taken from them rather than computed again.
    """
    history = read_history(ledger, cache, scored)
    return None if history is None else history.trail(history.records(ledger))


def read_history(ledger: Ledger, cache: Cache | None = None,
                 scored: dict[int, YearScore] | None = None) -> History | None:
    """:func:`read_trail` without the working tree's record commits."""
    repo = repo_toplevel(ledger.root)
    if repo is None:
        return None
    prefix = ledger_prefix(repo, ledger.root)
    kept = CommitCache(cache, prefix) if cache is not None else None
    try:
        commits = log_ledger(repo, prefix)
        state, provenance, entries = _walk(repo, prefix, commits, ledger, kept, scored)
        closed = closed_months(repo)
        found = find_corrections(repo, prefix, commits, closed=closed)
    except GitError as exc:
        return History([], [], (), None, Provenance(), {}, error=f"无法读取 git 历史：{exc}")
    effects = {e.commit.sha: e.scores for e in entries}
    found = [c._replace(scores=effects.get(c.commit.sha, ())) for c in found]
    return History(entries[::-1], found, tuple((c.year, c.month) for c in closed), state,
                   provenance, {c.info.sha: c.info for c in commits})


def _walk(repo: Path, prefix: str, commits: list[LogCommit], ledger: Ledger,
          cache: CommitCache | None, scored: dict[int, YearScore] | None
          ) -> tuple[LedgerState, Provenance, list[ChangeEntry]]:
    """The ledger's state and its records' provenance at the last commit, and every
    commit's change-log entry, oldest first."""
    known, known_rules = known_parses(ledger)
    state = LedgerState(prefix, {}, lambda ids: read_blobs(repo, ids), known, known_rules)
    provenance = Provenance()
    entries: list[ChangeEntry] = []
    start = 0
    for log in commits:  # the commits kept by an earlier build: no file is read
        kept = cache.get(log.info, tuple(c.path for c in log.changes)) if cache else None
        if kept is None:
            break
        entries.append(kept[0])
        provenance.replay(log.info.sha, kept[1])
        state.apply(log.changes)
        start += 1
    rest = commits[start:]
    state.blobs.update(read_blobs(repo, _needed(state, rest, known, known_rules)))
    tracker = ScoreTracker(state)
    for i, log in enumerate(rest, start):
        if start:  # the walk began after the first commit: score what came before
            tracker.before(log)
        changed = state.advance(log)
        entries.append(tracker.commit(log, changed, scored if i == len(commits) - 1 else None))
        deltas = provenance.commit(log.info.sha, changed)
        if cache is not None:
            cache.put(entries[-1], deltas)
    if cache is not None:
        cache.save([c.info.sha for c in commits])
    return state, provenance, entries


def _needed(state: LedgerState, commits: list[LogCommit], known: dict[tuple[str, str], UnitMonth],
            known_rules: dict[int, str]) -> list[str]:
    """The blobs a walk over ``commits`` from ``state`` will read: every ledger file present
    and every version the commits write, but those the loader parsed (unless their year's
    rules.toml was ever another than the working tree's: then they are parsed again)."""
    other_rules = {k.config for log in commits for c in log.changes
                   if (k := state.kind(c.path)).config is not None and c.path.endswith("rules.toml")
                   and c.new != known_rules.get(k.config)}
    other_rules |= {y for y in state.years() if state.config_blobs(y)[1] != known_rules.get(y)}
    wanted = [*state.files.items(), *((c.path, c.new) for log in commits for c in log.changes
                                      if c.new is not None)]
    out = []
    for path, blob in wanted:
        kind = state.kind(path)
        if kind.config is not None or kind.unit is not None and ((path, blob) not in known
                                        or kind.unit.year in other_rules):
            out.append(blob)
    return out


def _record_commits(ledger: Ledger, state: LedgerState, provenance: Provenance,
                    commits: dict[str, CommitInfo], year: int | None = None
                    ) -> dict[tuple[str, int], CommitInfo | None]:
    """(path, line) → commit for every record of the working tree (None: not committed)."""
    found: dict[tuple[str, int], str | None] = {}
    years = [year] if year is not None else sorted(ledger.years)
    for um in (um for y in years for m in sorted(ledger.years[y].months)
               for um in ledger.years[y].months[m].values()):
        head_blob = state.files.get(um.path)
        if head_blob is not None and head_blob == ledger.blobs.get(um.path):
            provenance.lookup(um, None, found)
        else:  # changed since HEAD, or never committed
            head = state.parse(um.path, head_blob) if head_blob is not None else None
            provenance.lookup(um, head or UnitMonth(um.unit, um.year, um.month, um.path), found)
    return {where: commits.get(sha) if sha else None for where, sha in found.items()}
