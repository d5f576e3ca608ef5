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
from typing import Any, NamedTuple

from ..ledger.model import Adoption, Commission, Event, Info, Instruction, Record, UnitMonth
from .history import Changed

Identity = tuple[Any, ...]
UNCOMMITTED = "未提交"


def record_key(rec: Record) -> tuple[Any, ...]:
    """The identity of a record within its file, before the ordinal."""
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
    ident: Identity = (*record_key(rec), 0)
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


def ident_key(ident: Identity) -> str:
    """An identity as text (the commit cache keeps it in JSON)."""
    return "\x1f".join(map(str, ident))


# What one commit did to the provenance of one file: for each record of its new version, its
# identity and whether this commit changed it; None when the commit removed the file.
FileDelta = tuple[str, list[tuple[str, bool]] | None]


class Provenance:
    """For every file: each record's identity → the commit that last changed it.

    Fed commit by commit in history order, by :meth:`commit` (from the parses before and after)
    or :meth:`replay` (what an earlier build noted of the same commit, from the commit cache).
    """

    def __init__(self) -> None:
        self.maps: dict[str, dict[str, str]] = {}   # path → identity → commit sha

    def commit(self, sha: str, changed: Iterable[Changed]) -> list[FileDelta]:
        """Note what commit ``sha`` changed; returns it as deltas, for :meth:`replay`."""
        deltas: list[FileDelta] = []
        for ch in changed:
            if ch.after is None:
                deltas.append((ch.path, None))
                continue
            before = identities(ch.before.records()) if ch.before is not None else {}
            marks = []
            for ident, rec in identities(ch.after.records()).items():
                old = before.get(ident)
                marks.append((ident_key(ident), old is None or content(old) != content(rec)))
            deltas.append((ch.path, marks))
        self.replay(sha, deltas)
        return deltas

    def replay(self, sha: str, deltas: Iterable[FileDelta]) -> None:
        for path, marks in deltas:
            if marks is None:
                self.maps.pop(path, None)
                continue
            prev = self.maps.get(path, {})
            self.maps[path] = {key: sha if changed or key not in prev else prev[key]
                               for key, changed in marks}

    def lookup(self, um: UnitMonth, head: UnitMonth | None,
               out: dict[tuple[str, int], str | None]) -> None:
        """The commits of a working-tree file's records, into ``out`` by (path, line).

        ``head``: the file as committed, when ``um`` differs from it (None when they are the
        same, or the file is not committed): a record not committed as it stands maps to None.
        """
        known = self.maps.get(um.path, {})
        committed = identities(head.records()) if head is not None else None
        for ident, rec in identities(um.records()).items():
            sha = known.get(ident_key(ident))
            if committed is not None:
                old = committed.get(ident)
                if old is None or content(old) != content(rec):
                    sha = None
            out[(rec.path, rec.line)] = sha
