"""The change log's result for each commit, kept by commit id: history does not change.

Scoring a commit means parsing the files it changed and scoring again the units they belong
to (:mod:`.changelog`); over a history of a thousand commits that is seconds of work, the same
at every build. A commit's id names its whole history, so its change-log entry and what it did
to the records' provenance are kept in the cache folder under that id
(:class:`scoring.cache.Cache`, which starts afresh when the code changes); a build then
scores only the commits made since the last one. (Measured with ``tools/bench_history.py``:
a 1,000-commit history takes seconds cold and a small multiple of ``git log --raw`` warm; the
figures are in the README.)
"""
from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from ..cache import Cache
from .changelog import ChangeEntry, RecordLine, ScoreChange
from .git import CommitInfo
from .provenance import FileDelta

Kept = tuple[ChangeEntry, list[FileDelta]]


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


class CommitCache:
    """The kept commits of one ledger folder (``prefix``) in ``cache``."""

    def __init__(self, cache: Cache, prefix: str) -> None:
        self.cache = cache
        self.name = "history-" + hashlib.sha1(prefix.encode()).hexdigest()[:12]
        found = cache.load(self.name)
        self.kept: dict[str, Any] = found if isinstance(found, dict) else {}
        self.added = False

    def get(self, commit: CommitInfo, files: tuple[str, ...]) -> Kept | None:
        """The entry and provenance deltas kept for ``commit``, or None."""
        found = self.kept.get(commit.sha)
        if found is None:
            return None
        try:
            scores = tuple(ScoreChange(y, u, n, _decimal(b), _decimal(a), rb, ra)
                           for y, u, n, b, a, rb, ra in found["scores"])
            records = tuple(RecordLine(s, p, ln, t, _decimal(b), _decimal(a))
                            for s, p, ln, t, b, a in found["records"])
            deltas = [(path, None if marks is None else [(k, bool(c)) for k, c in marks])
                      for path, marks in found["provenance"]]
            return ChangeEntry(commit, files, scores, records, found["count"]), deltas
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, entry: ChangeEntry, deltas: list[FileDelta]) -> None:
        self.kept[entry.commit.sha] = {
            "scores": [[s.year, s.id, s.name, _amount(s.before), _amount(s.after),
                        s.rank_before, s.rank_after] for s in entry.scores],
            "records": [[r.status, r.path, r.line, r.text, _amount(r.points_before),
                         _amount(r.points_after)] for r in entry.records],
            "count": entry.record_count,
            "provenance": [[path, None if marks is None else [[k, int(c)] for k, c in marks]]
                           for path, marks in deltas]}
        self.added = True

    def save(self, commits: list[str]) -> None:
        """Write the cache if anything was added, keeping only ``commits`` (a rewritten
        branch leaves commits no longer in the history)."""
        if self.added:
            wanted = set(commits)
            self.cache.save(self.name, {k: v for k, v in self.kept.items() if k in wanted})
