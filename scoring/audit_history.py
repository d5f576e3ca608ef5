"""Replaying the ledger's history: one ``git log --raw`` walk, blobs parsed once each.

:func:`walk` reads the log of the ledger folder (oldest first), fetches the blobs it names in a
single ``git cat-file --batch``, and replays the commits on a
:class:`~scoring.audit_replay.Replay` (the ledger's files at the current commit, and every file
version parsed so far). Each commit is handed to the consumers (provenance, the change log)
with the unit files it changed, parsed before and after (:class:`Changed`): work per commit
follows what the commit changed, not the size of the files, and when a commit only appends
records to a file (the usual commit), the consumers get those records as ``Changed.tail``.

``known`` lets a caller that already parsed the working tree (the site build) pass those parses
in, so that their blobs are neither fetched nor parsed again: see :func:`walk`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol

from .audit_replay import Changed, Known, PathKind, Replay
from .gcpause import gc_paused
from .gitlog import FileChange, LogCommit, log_with_blobs, read_blobs


class Consumer(Protocol):
    def commit(self, log: LogCommit, changed: list[Changed], replay: Replay) -> None: ...


def _needed(commits: list[LogCommit], replay: Replay, known: Known,
            known_rules: Mapping[int, str]) -> list[str]:
    """The blobs the walk will read: configuration, and unit files the loader did not parse.

    A ``known`` parse stands for a blob only where its year's rules.toml is the working tree's;
    when a year's rules change, every file of the year is parsed again under the new rules.
    """
    rules: dict[int, str] = {}
    present: dict[int, dict[str, tuple[str | None, str]]] = {}  # year → path → (rel, blob)
    out: list[str] = []
    kinds, kind = replay.kinds, replay.kind
    for log in commits:
        reparse: set[int] = set()
        units: list[tuple[PathKind, str]] = []  # the unit files given content
        for c in log.changes:
            path, new = c.path, c.new
            k = kinds.get(path) or kind(path)
            if k.config is not None:
                if new:
                    out.append(new)
                if path.endswith("rules.toml"):
                    rules[k.config] = new or ""
                    reparse.add(k.config)
            elif k.unit is not None:
                files = present.get(k.unit.year)
                if files is None:
                    files = present[k.unit.year] = {}
                if new is None:
                    files.pop(path, None)
                else:
                    files[path] = (k.rel, new)
                    if new:
                        units.append((k, new))
        for k, blob in units:
            year = k.unit.year  # type: ignore[union-attr]
            if year not in reparse and (known_rules.get(year) != rules.get(year, "")
                                        or (k.rel, blob) not in known):
                out.append(blob)
        for year in reparse:
            files = present.get(year)
            if not files:
                continue
            if known_rules.get(year) != rules.get(year, ""):
                out += [blob for _, blob in files.values()]
            else:
                out += [blob for rel, blob in files.values() if (rel, blob) not in known]
    return out


def walk(repo: Path, prefix: str, consumers: Iterable[Consumer], rev: str = "HEAD",
         known: Known | None = None,
         known_rules: Mapping[int, str] | None = None) -> tuple[list[LogCommit], Replay]:
    """Replay every commit up to ``rev`` that touched the ledger, feeding each consumer.

    ``known``: parses the caller already has, keyed by (path relative to the ledger folder,
    such as ``2023/05/fgw.toml``, git blob id of the content parsed), with ``known_rules``:
    year → blob id of the rules.toml they were parsed under. A known parse is used, and its
    blob not read from git, wherever the file has that content and its year that rules.toml.
    The parses must be the loader's, of the same bytes (so the same UnitMonth, paths relative
    to the repository root); any other entry is ignored.
    """
    with gc_paused(freeze=True):  # the walk makes no reference cycles (tests/test_audit_history)
        return _walk(repo, prefix, list(consumers), rev, known, known_rules)


def _walk(repo: Path, prefix: str, consumers: list[Consumer], rev: str, known: Known | None,
          known_rules: Mapping[int, str] | None) -> tuple[list[LogCommit], Replay]:
    replay = Replay(prefix, {}, lambda ids: read_blobs(repo, ids), known, known_rules)
    kinds, kind_of = replay.kinds, replay.kind
    if known:
        def wanted(c: FileChange) -> bool:
            kind = kinds.get(c.path) or kind_of(c.path)
            return kind.config is not None or (kind.unit is not None
                                               and (kind.rel, c.new) not in known)
    else:
        def wanted(c: FileChange) -> bool:  # a unit file or a year's configuration
            kind = kinds.get(c.path) or kind_of(c.path)
            return kind.unit is not None or kind.config is not None
    commits, blobs = log_with_blobs(repo, prefix, rev, wanted)
    replay.blobs.update(blobs)
    if known:  # and the files parsed again under other rules than the working tree's
        more = [b for b in _needed(commits, replay, known, known_rules or {}) if b not in blobs]
        replay.blobs.update(read_blobs(repo, more))
    advance = replay.advance
    for log in commits:
        changed = advance(log)
        for consumer in consumers:
            consumer.commit(log, changed, replay)
    return commits, replay
