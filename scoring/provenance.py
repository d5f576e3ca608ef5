"""Which commit last changed each record: record identities followed through the history.

A record is identified within its file by what it is about, not by its line (a record inserted
above it moves it without changing it):

- ``info``: its OA number; ``adoption``: OA number and channel ``by``;
  ``instruction``: OA number and ``level``; ``commission``: title and due date;
  ``event``: kind and date;
- plus an ordinal among records of the same file with the same key (two 失实滞后 on one day).

Its *content* is every field but unit, path and line, as parsed. The record was last changed by
the newest commit whose version of the file gives that identity a different content than the
parent's version did. Formatting, comments and key order therefore never count as changes.
"""
from __future__ import annotations

from collections.abc import Container, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from .audit_history import Changed, walk
from .gitlog import CommitInfo, LogCommit, ledger_prefix, repo_toplevel
from .model import Adoption, Commission, Event, Info, Instruction, Ledger, Record, UnitMonth

Identity = tuple[Any, ...]
UNCOMMITTED = "未提交"


def record_key(rec: Record) -> tuple[Any, ...]:
    """The identity of a record within its file, before the ordinal."""
    kind = type(rec)  # the exact types first: this runs for every record of the history
    if kind is Info:
        return ("info", rec.oa)
    if kind is Adoption:
        return ("adoption", rec.oa, rec.by)
    if kind is Event:
        return ("event", rec.kind, rec.date)
    if isinstance(rec, Info):
        return ("info", rec.oa)
    if isinstance(rec, Adoption):
        return ("adoption", rec.oa, rec.by)
    if isinstance(rec, Instruction):
        return ("instruction", rec.oa, rec.level)
    if isinstance(rec, Commission):
        return ("commission", rec.title, rec.due)
    assert isinstance(rec, Event)
    return ("event", rec.kind, rec.date)


def content(rec: Record) -> tuple[Any, ...]:
    """Every field but the trailing ``unit, path, line`` (and the record kind)."""
    return (type(rec).__name__, *rec[:-3])


def identity(rec: Record, taken: Container[Identity]) -> Identity:
    """The record's identity in a file whose earlier records' identities are ``taken``."""
    kind = type(rec)
    if kind is Info:  # the exact types first, as record_key
        ident: Identity = ("info", rec[0], 0)
    elif kind is Adoption:
        ident = ("adoption", rec[0], rec[1], 0)
    else:
        ident = (*record_key(rec), 0)
    if ident in taken:  # the ordinal: how many records before it have its key
        key, n = ident[:-1], 1
        while (*key, n) in taken:
            n += 1
        ident = (*key, n)
    return ident


def identities(records: Iterable[Record]) -> dict[Identity, Record]:
    """Records of one file keyed by identity (key plus ordinal among equal keys)."""
    out: dict[Identity, Record] = {}
    for rec in records:
        out[identity(rec, out)] = rec
    return out


class RecordDelta(NamedTuple):
    """A record added (``before`` None), removed (``after`` None) or changed between versions."""

    before: Record | None
    after: Record | None

    @property
    def status(self) -> str:
        return "新增" if self.before is None else "删除" if self.after is None else "修改"


def diff_records(before: Iterable[Record], after: Iterable[Record]) -> list[RecordDelta]:
    """The records of one file that differ between two versions, in the newer file's order."""
    old, new = identities(before), identities(after)
    out = [RecordDelta(old.get(i), rec) for i, rec in new.items()
           if i not in old or content(old[i]) != content(rec)]
    out += [RecordDelta(rec, None) for i, rec in old.items() if i not in new]
    return out


def describe_record(rec: Record) -> str:
    """One line naming a record: ``[[adoption]] A1 区刊 2023-05-20 第18期``."""
    kind = record_key(rec)[0]
    fields = [str(v) for v in rec[:-3] if v is not None and v != ""]
    return f"[[{kind}]] " + " ".join(fields)


class ProvenanceTracker:
    """A walk consumer: for every file, identity → (content, commit that last changed it).

    A commit that only appends records to a file (``Changed.tail``) notes them with its commit;
    their identities are worked out only when needed (by a later change that is not an append,
    or a lookup of a file that is not the version last seen): a history is mostly appends, and
    the working tree mostly its last commit. Any other change compares the whole file with the
    map.
    """

    def __init__(self) -> None:
        # the identity map of every file, without its records appended since (``_appended``)
        self._maps: dict[str, dict[Identity, tuple[tuple[Any, ...], CommitInfo]]] = {}
        # path → (appended records, as a UnitMonth of them; the commit appending them)
        self._appended: dict[str, list[tuple[UnitMonth, CommitInfo]]] = {}
        self._source: dict[str, UnitMonth] = {}  # the parse each file's map was made from

    @property
    def state(self) -> dict[str, dict[Identity, tuple[tuple[Any, ...], CommitInfo]]]:
        """path → identity → (content, commit), for every file."""
        for path in list(self._appended):
            self._settled(path)
        return self._maps

    def __getstate__(self) -> dict[str, Any]:
        return {"state": self.state}  # the parses stay behind (the site sends the tracker)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._maps, self._appended, self._source = state["state"], {}, {}

    def _settled(self, path: str) -> dict[Identity, tuple[tuple[Any, ...], CommitInfo]]:
        """The file's whole identity map: its appended records entered, in order."""
        found = self._maps.get(path)
        if found is None:
            found = self._maps[path] = {}
        for tail, info in self._appended.pop(path, ()):
            for rec in tail.records():
                found[identity(rec, found)] = ((type(rec).__name__,) + rec[:-3], info)
        return found

    def commit(self, log: LogCommit, changed: list[Changed], replay: object) -> None:
        maps, appended, source, info = self._maps, self._appended, self._source, log.info
        for ch in changed:
            path, tail = ch.path, ch.tail
            if ch.after is None:
                maps.pop(path, None)
                appended.pop(path, None)
                source.pop(path, None)
                continue
            old = maps.get(path)
            if tail is not None and source.get(path) is ch.before \
                    and (old is None) == (ch.before is None):
                if old is None:
                    maps[path] = {}
                if tail.record_count():
                    batches = appended.get(path)
                    if batches is None:
                        appended[path] = [(tail, info)]
                    else:
                        batches.append((tail, info))
            else:
                old = self._settled(path) if old is not None else {}
                new: dict[Identity, tuple[tuple[Any, ...], CommitInfo]] = {}
                for ident, rec in identities(ch.after.records()).items():
                    body = content(rec)
                    prev = old.get(ident)
                    new[ident] = prev if prev is not None and prev[0] == body \
                        else (body, info)
                maps[path] = new
            source[path] = ch.after

    def sole_commit(self, um: UnitMonth) -> CommitInfo | None:
        """The commit that appended every record of a working-tree file at once, when one did
        (the usual file: written in one commit and not touched since); else None (ask
        :meth:`lookup`)."""
        path = um.path
        batches = self._appended.get(path)
        if batches is None or len(batches) != 1 or self._maps.get(path) \
                or um != self._source.get(path):
            return None
        tail, info = batches[0]
        return info if tail is um or tail.record_count() == um.record_count() else None

    def lookup(self, um: UnitMonth) -> dict[tuple[str, int], CommitInfo | None]:
        """(path, line) → commit for the records of a working-tree file; None if uncommitted."""
        out: dict[tuple[str, int], CommitInfo | None] = {}
        self.lookup_into(um, out)
        return out

    def lookup_into(self, um: UnitMonth, out: dict[tuple[str, int], CommitInfo | None]) -> None:
        """:meth:`lookup`, written into ``out``."""
        path = um.path
        if um == self._source.get(path):
            # the file as the map was made from (the usual case: the working tree is HEAD)
            if not self._maps.get(path) and path in self._appended:
                # appended records only: each was last changed by the commit appending it
                n = 0
                for tail, info in self._appended[path]:
                    records = tail.records()
                    for rec in records:
                        out[(rec.path, rec.line)] = info
                    n += len(records)
                if n == um.record_count():
                    return
            # every identity is in the map with this very content
            known = self._settled(path)
            for ident, rec in identities(um.records()).items():
                out[(rec.path, rec.line)] = known[ident][1]
            return
        known = self._settled(path) if path in self._maps else {}
        for ident, rec in identities(um.records()).items():
            hit = known.get(ident)
            out[(rec.path, rec.line)] = hit[1] if hit is not None and hit[0] == content(rec) \
                else None


def unit_months(ledger: Ledger) -> Iterable[UnitMonth]:
    for year in ledger.years.values():
        for month in year.months.values():
            yield from month.values()


def provenance(ledger: Ledger,
               tracker: ProvenanceTracker | None = None) -> dict[tuple[str, int],
                                                                 CommitInfo | None]:
    """``(path, line) → CommitInfo`` for every record of the working tree's ledger.

    Records not committed as they stand (new or edited since HEAD) map to None; pages show
    :data:`UNCOMMITTED`. Outside a git repository every record maps to None. Pass ``tracker``
    when the history was already walked (the site walks it once for the change log too).
    """
    if tracker is None:
        tracker = ProvenanceTracker()
        repo = repo_toplevel(Path(ledger.root))
        if repo is not None:
            walk(repo, ledger_prefix(repo, Path(ledger.root)), [tracker])
    out: dict[tuple[str, int], CommitInfo | None] = {}
    into = tracker.lookup_into
    for year in ledger.years.values():
        for month in year.months.values():
            for um in month.values():
                into(um, out)
    return out


def describe(commit: CommitInfo | None) -> str:
    """A one-line label for a page: ``a1b2c3d 张三 2023-05-12 补录区刊采用``."""
    if commit is None:
        return UNCOMMITTED
    return f"{commit.short} {commit.author} {commit.date[:10]} {commit.subject}"
