"""The ledger at each commit of its history: files, folders, configuration and parses.

A :class:`LedgerState` is the ledger's file map (path → git blob id) at one commit, moved from
commit to commit by :meth:`LedgerState.apply`. Files are parsed only when asked for, exactly
as the loader parses them (:func:`scoring.ledger.unitfile.parse_unit_month`), and each file
version once: parses are kept by (blob id, path, rules blob). A file version the loader has
already parsed (the working tree's, recognised by its blob id) is not parsed again.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from ..ledger import config
from ..ledger.model import Ledger, Rules, Unit, UnitMonth, YearLedger
from ..ledger.schema import Field, record_fields
from ..ledger.unitfile import parse_unit_month
from .git import FileChange, LogCommit

_UNIT_FILE = re.compile(r"^([0-9]{4})/(0[1-9]|1[0-2])/([a-z][a-z0-9-]{0,31})\.toml$")
_MONTH_FILE = re.compile(r"^([0-9]{4})/(0[1-9]|1[0-2])/[^/]+$")
_CONFIG_FILE = re.compile(r"^([0-9]{4})/(units|rules)\.toml$")


class UnitFile(NamedTuple):
    """What a ledger path names: ``<YYYY>/<MM>/<unit>.toml``."""

    year: int
    month: int
    unit: str


class PathKind(NamedTuple):
    """What a repository path is to the ledger.

    unit: a unit file's year, month and unit; month: the (year, month) folder a file lies in;
    config: the year of a units.toml or rules.toml. All None for a path outside the ledger.
    """

    unit: UnitFile | None
    month: tuple[int, int] | None
    config: int | None


class YearConfig(NamedTuple):
    """A year's units and rules, and the record schema derived from the rules."""

    units: tuple[Unit, ...]
    rules: Rules
    fields: dict[str, dict[str, Field]]


class Changed(NamedTuple):
    """A unit file changed by a commit, parsed before and after (None: absent or its year
    has no usable configuration)."""

    path: str
    where: UnitFile
    before: UnitMonth | None
    after: UnitMonth | None


Known = dict[tuple[str, str], UnitMonth]   # (path, blob id) → the loader's parse


def known_parses(ledger: Ledger) -> tuple[Known, dict[int, str]]:
    """The working tree's parses by (path, blob id), and each year's rules.toml blob id: the
    parses stand for those blobs wherever the year's rules are the same."""
    known = {(um.path, ledger.blobs[um.path]): um for um in ledger.unit_months()
             if um.path in ledger.blobs}
    rules = {y: ledger.blobs.get(year.rules.path, "") for y, year in ledger.years.items()}
    return known, rules


class LedgerState:
    """The ledger's files at the current commit of a walk, and their parses.

    ``fetch(blob ids)`` reads blobs that ``blobs`` lacks. ``known`` and ``known_rules``: the
    working tree's parses (:func:`known_parses`).
    """

    def __init__(self, prefix: str, blobs: dict[str, bytes],
                 fetch: Callable[[list[str]], dict[str, bytes]], known: Known | None = None,
                 known_rules: dict[int, str] | None = None) -> None:
        self.prefix = prefix
        self.lead = prefix + "/" if prefix else ""
        self.blobs, self.fetch = blobs, fetch
        self.known, self.known_rules = known or {}, known_rules or {}
        self.files: dict[str, str] = {}                     # path → blob id
        self._kinds: dict[str, PathKind] = {}
        self._in_month: dict[tuple[int, int], int] = {}     # files per month folder
        self._in_config: dict[int, int] = {}                # units.toml, rules.toml per year
        self._configs: dict[tuple[str, str], YearConfig | None] = {}
        self._parsed: dict[tuple[str, str, str], UnitMonth | None] = {}

    def kind(self, path: str) -> PathKind:
        """What ``path`` is (kept: a history names the same paths again and again)."""
        found = self._kinds.get(path)
        if found is None:
            rel = path[len(self.lead):] if path.startswith(self.lead) else None
            unit = month = year = None
            if rel is not None:
                m = _MONTH_FILE.match(rel)
                if m is not None:
                    month = (int(m[1]), int(m[2]))
                    u = _UNIT_FILE.match(rel)
                    unit = UnitFile(month[0], month[1], u[3]) if u else None
                elif c := _CONFIG_FILE.match(rel):
                    year = int(c[1])
            found = self._kinds[path] = PathKind(unit, month, year)
        return found

    def path(self, rel: str) -> str:
        return self.lead + rel

    def raw(self, blob: str) -> bytes:
        """A blob's content (empty when git does not have it)."""
        if blob not in self.blobs:
            self.blobs.update(self.fetch([blob]))
        return self.blobs.setdefault(blob, b"")

    # --- the current commit -------------------------------------------------------------

    def years(self) -> list[int]:
        """Years with a units.toml or rules.toml."""
        return sorted(y for y, n in self._in_config.items() if n)

    def months(self, year: int) -> list[int]:
        """Month folders present in ``year`` (a folder exists in git when it holds a file)."""
        return sorted(m for (y, m), n in self._in_month.items() if y == year and n)

    def config_blobs(self, year: int) -> tuple[str, str]:
        return (self.files.get(self.path(f"{year}/units.toml"), ""),
                self.files.get(self.path(f"{year}/rules.toml"), ""))

    def config(self, year: int) -> YearConfig | None:
        """The year's units and rules (None when either is missing or invalid)."""
        key = self.config_blobs(year)
        if key not in self._configs:
            self._configs[key] = self._load_config(year, *key)
        return self._configs[key]

    def _load_config(self, year: int, ublob: str, rblob: str) -> YearConfig | None:
        if not ublob or not rblob:
            return None
        units, _ = config.load_units(self.raw(ublob), self.path(f"{year}/units.toml"))
        rules, _ = config.load_rules(self.raw(rblob), self.path(f"{year}/rules.toml"))
        if not units or rules is None:
            return None
        return YearConfig(units, rules, record_fields(rules))

    def parse(self, path: str, blob: str | None) -> UnitMonth | None:
        """The unit file ``path`` with content ``blob``, under its year's current rules."""
        where = self.kind(path).unit
        cfg = self.config(where.year) if where is not None else None
        if where is None or blob is None or cfg is None:
            return None
        rules_blob = self.config_blobs(where.year)[1]
        key = (blob, path, rules_blob)
        if key not in self._parsed:
            um = self.known.get((path, blob)) \
                if self.known_rules.get(where.year) == rules_blob else None
            if um is None:
                um, _ = parse_unit_month(self.raw(blob), path, where.unit, where.year,
                                         where.month, cfg.rules, cfg.fields)
            self._parsed[key] = um
        return self._parsed[key]

    def unit_month(self, year: int, month: int, unit: str) -> UnitMonth:
        """A unit's file; an empty month when the file is missing."""
        path = self.path(f"{year}/{month:02d}/{unit}.toml")
        return self.parse(path, self.files.get(path)) or UnitMonth(unit, year, month, path)

    def year_ledger(self, year: int, unit: Unit) -> YearLedger | None:
        """The year with only ``unit``'s files in its months: what the scorer needs to score
        that unit (a unit's score depends on its own records alone)."""
        cfg = self.config(year)
        if cfg is None:
            return None
        months = {m: {unit.id: self.unit_month(year, m, unit.id)} for m in self.months(year)}
        return YearLedger(year, self.path(str(year)), cfg.units, cfg.rules, months, None, {})

    # --- moving on ----------------------------------------------------------------------

    def apply(self, changes: Iterable[FileChange]) -> None:
        """Move the file map and the month folders on by a commit's changes."""
        for change in changes:
            present = change.path in self.files
            if change.new is None:
                self.files.pop(change.path, None)
            else:
                self.files[change.path] = change.new
            if present == (change.new is not None):
                continue  # a file changed, none added or removed
            step = -1 if present else 1
            kind = self.kind(change.path)
            if kind.month is not None:
                self._in_month[kind.month] = self._in_month.get(kind.month, 0) + step
            elif kind.config is not None:
                self._in_config[kind.config] = self._in_config.get(kind.config, 0) + step

    def advance(self, log: LogCommit) -> list[Changed]:
        """Move to the next commit; the unit files it changed, parsed before (under the
        rules before it) and after."""
        before = [(c, w, self.parse(c.path, c.old)) for c in log.changes
                  if (w := self.kind(c.path).unit) is not None]
        self.apply(log.changes)
        return [Changed(c.path, w, um, self.parse(c.path, c.new)) for c, w, um in before]
