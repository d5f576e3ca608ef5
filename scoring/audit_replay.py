"""The ledger at one commit of its history, replayed: files, folders, configuration, parses.

A :class:`Replay` is the state :func:`scoring.audit_history.walk` moves from commit to commit:
the map of ledger files to git blob ids, the month folders and configuration years present,
and every file version parsed so far, cached by (blob id, path, rules blob): a file version is
parsed once however many commits keep it. When a new version only appends whole records to the
previous one (the usual commit), only the appended text is parsed (:func:`_parse_appended`).
What a path is (unit file, month folder file, configuration) is worked out once per path.
"""
from __future__ import annotations

import re
import tempfile
from bisect import insort
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from . import config, fastunit
from .gitlog import LogCommit
from .load import parse_unit_month, record_fields
from .model import Rules, Unit, UnitMonth, YearLedger
from .problems import Problem
from .schema import Field

_UNIT_FILE = re.compile(r"^(\d{4})/(0[1-9]|1[0-2])/([a-z][a-z0-9-]{0,31})\.toml$")
_MONTH_FILE = re.compile(r"^(\d{4})/(0[1-9]|1[0-2])/[^/]+$")
_CONFIG_FILE = re.compile(r"^(\d{4})/(units|rules)\.toml$")
_new = tuple.__new__  # a NamedTuple from a tuple, without its keyword-parsing __new__

# (ledger-relative path, blob id) → the working tree's parse of that content; see
# :func:`scoring.audit_history.walk`
Known = Mapping[tuple[str, str], UnitMonth]


class UnitFile(NamedTuple):
    """What a ledger path names: ``<YYYY>/<MM>/<unit>.toml``."""

    year: int
    month: int
    unit: str


class YearConfig(NamedTuple):
    """A year's units and rules, and the record schema derived from the rules."""

    units: tuple[Unit, ...]
    rules: Rules
    fields: dict[str, dict[str, Field]]

    @classmethod
    def of(cls, units: tuple[Unit, ...], rules: Rules) -> YearConfig:
        return cls(units, rules, record_fields(rules))

    def parse(self, raw: bytes, path: str, unit: str, year: int,
              month: int) -> tuple[UnitMonth, list[Problem]]:
        """One unit file, parsed and checked exactly as the loader does."""
        return parse_unit_month(raw, path, unit, year, month, self.rules, self.fields)


class PathKind(NamedTuple):
    """What a repository path is to the replay, worked out once per path.

    rel: relative to the ledger folder (None outside it); unit: a unit file's year, month and
    unit; month: the (year, month) folder a file lies in; config: the year of a units.toml or
    rules.toml.
    """

    rel: str | None
    unit: UnitFile | None
    month: tuple[int, int] | None
    config: int | None


class Changed(NamedTuple):
    """A unit file changed by a commit, parsed before and after (None: absent or unreadable).

    tail: when ``after`` is ``before`` with records appended (before None counting as empty),
    those records, as a UnitMonth: ``after.info == before.info + tail.info`` and so on for each
    record kind, the records of ``before`` being the very same objects. None otherwise.
    """

    path: str
    where: UnitFile
    before: UnitMonth | None
    after: UnitMonth | None
    tail: UnitMonth | None = None


_MISSING = object()
_NO_MONTHS: list[int] = []


class Replay:
    """The ledger's files at the current commit of a walk, and their parsed contents.

    ``fetch`` reads blobs not in ``blobs`` (the walk fetches ahead what it will need; this is
    the safety net). ``known`` and ``known_rules``: see :func:`walk`.
    """

    def __init__(self, prefix: str, blobs: dict[str, bytes],
                 fetch: Callable[[list[str]], dict[str, bytes]] | None = None,
                 known: Known | None = None, known_rules: Mapping[int, str] | None = None) -> None:
        self.prefix = prefix
        self.blobs = blobs
        self.files: dict[str, str] = {}          # path → blob id, every ledger file
        self._fetch = fetch
        self._known = known or {}
        self._known_rules = known_rules or {}
        self._lead = prefix + "/" if prefix else ""
        # path → what it is, for every path seen (:meth:`kind`); callers on a hot path look a
        # path up here first, and call :meth:`kind` when it is missing
        self.kinds: dict[str, PathKind] = {}
        self._in_month: dict[tuple[int, int], int] = {}   # files per month folder
        self._months: dict[int, list[int]] = {}           # month folders per year, sorted
        self._config: dict[int, int] = {}                 # config files per year
        self._years: list[int] | None = []                # sorted(self._config), when known
        self._configs: dict[tuple[str, str], YearConfig | None] = {}
        # year → (config, rules blob or "", (units blob, rules blob)), until they change
        self._year_config: dict[int, tuple[YearConfig | None, str,
                                           tuple[str | None, str | None]]] = {}
        self._parsed: dict[tuple[str, str, str], UnitMonth | None] = {}
        self._clean: set[tuple[str, str, str]] = set()    # parsed without any problem
        # (blob, path, rules blob) → (the parse it appends records to, those records)
        self._tails: dict[tuple[str, str, str], tuple[UnitMonth, UnitMonth]] = {}
        self._paths: dict[tuple[int, int, str], str] = {}
        self._dates = fastunit.Dates()   # the records' dates, each made once
        # counts the commits that changed a configuration or the set of month folders: what
        # is worked out from those may be kept while it stays the same
        self.generation = 0

    def kind(self, path: str) -> PathKind:
        """What ``path`` is (cached: a history names the same paths again and again)."""
        found = self.kinds.get(path)
        if found is None:
            rel = self.local(path)
            unit = month = year = None
            if rel is not None:
                # a unit file lies in a month folder; configuration lies outside any
                m = _MONTH_FILE.match(rel)
                if m is not None:
                    month = (int(m[1]), int(m[2]))
                    u = _UNIT_FILE.match(rel)
                    if u is not None:
                        unit = _new(UnitFile, (*month, u[3]))
                else:
                    m = _CONFIG_FILE.match(rel)
                    year = int(m[1]) if m else None
            found = self.kinds[path] = _new(PathKind, (rel, unit, month, year))
        return found

    def local(self, path: str) -> str | None:
        """``path`` relative to the ledger folder, or None when outside it."""
        lead = self._lead
        if not lead:
            return path
        return path[len(lead):] if path.startswith(lead) else None

    def classify(self, path: str) -> UnitFile | None:
        return self.kind(path).unit

    def path(self, rel: str) -> str:
        return f"{self.prefix}/{rel}" if self.prefix else rel

    def unit_path(self, year: int, month: int, unit: str) -> str:
        """The repository path of a unit's file (cached)."""
        key = (year, month, unit)
        found = self._paths.get(key)
        if found is None:
            found = self._paths[key] = self.path(f"{year}/{month:02d}/{unit}.toml")
        return found

    def config_blobs(self, year: int) -> tuple[str | None, str | None]:
        """The blob ids of the year's units.toml and rules.toml (None when missing)."""
        return self._config_of(year)[2]

    def config(self, year: int) -> YearConfig | None:
        """The year's units and rules at the current commit (None when missing or invalid)."""
        return self._config_of(year)[0]

    def _config_of(self, year: int) -> tuple[YearConfig | None, str,
                                              tuple[str | None, str | None]]:
        found = self._year_config.get(year)
        if found is None:
            upath, rpath = self.path(f"{year}/units.toml"), self.path(f"{year}/rules.toml")
            blobs = (self.files.get(upath), self.files.get(rpath))
            key = (blobs[0] or "", blobs[1] or "")
            if key not in self._configs:
                self._configs[key] = self._load_config(upath, rpath, *key)
            found = self._year_config[year] = (self._configs[key], key[1], blobs)
        return found

    def _load_config(self, upath: str, rpath: str, ublob: str, rblob: str) -> YearConfig | None:
        if not ublob or not rblob:
            return None
        with tempfile.TemporaryDirectory(prefix="kaoping-config-") as tmp:
            (Path(tmp) / "u.toml").write_bytes(self.raw(ublob))
            (Path(tmp) / "r.toml").write_bytes(self.raw(rblob))
            units, _ = config.load_units(Path(tmp) / "u.toml", upath)
            rules, _ = config.load_rules(Path(tmp) / "r.toml", rpath)
        if not units or rules is None:
            return None
        return YearConfig.of(units, rules)

    def raw(self, blob: str) -> bytes:
        """A blob's content (empty when git does not have it)."""
        found = self.blobs.get(blob)
        if found is None:
            if self._fetch is not None and blob not in self.blobs:
                self.blobs.update(self._fetch([blob]))
            found = self.blobs.setdefault(blob, b"")
        return found

    def parse(self, path: str, blob: str | None, base: str | None = None) -> UnitMonth | None:
        """The unit file ``path`` with content ``blob``, parsed under its year's current rules.

        ``base``: the file's previous blob. When the new version only appends records to a
        cleanly parsed previous one (the usual commit), only the appended text is parsed.
        """
        where = self.kind(path).unit
        if where is None or blob is None:
            return None
        cfg, rules_blob, _ = self._config_of(where.year)
        if cfg is None:
            return None
        key = (blob, path, rules_blob)
        um = self._parsed.get(key, _MISSING)
        if um is not _MISSING:
            return um  # type: ignore[return-value]
        return self._parse_new(key, path, where, base, cfg)

    def advance(self, log: LogCommit) -> list[Changed]:
        """Move to the next commit (:meth:`apply`); the unit files it changed, parsed before
        (under the rules before it) and after, with the records it appended: the walk's step.

        ``before`` and ``after`` are what :meth:`parse` gives for the file's old and new blob.
        When the new version only appends records to the old one, parsed cleanly under the same
        rules (the usual commit), only the appended text is parsed, and it is the ``tail``.
        """
        kinds, version = self.kinds, self._version
        units: list[tuple[str, UnitFile, str | None, str | None, UnitMonth | None]] = []
        for c in log.changes:
            path = c.path
            where = (kinds.get(path) or self.kind(path)).unit
            if where is None:
                continue
            old = c.old
            before = version(old, path, where, None)[0] if old is not None else None
            units.append((path, where, c.new, old, before))
        self.apply(log)
        out: list[Changed] = []
        tails = self._tails
        for path, where, blob, base, before in units:
            um = tail = None
            if blob is not None:
                um, key = version(blob, path, where, base)
                if key is not None:
                    if before is None:
                        tail = um
                    elif um is not None:
                        found = tails.get(key)
                        if found is not None and found[0] is before:
                            tail = found[1]
            out.append(_new(Changed, (path, where, before, um, tail)))
        return out

    def _version(self, blob: str, path: str, where: UnitFile, base: str | None
                 ) -> tuple[UnitMonth | None, tuple[str, str, str] | None]:
        """The unit file ``path`` at ``blob``, parsed under its year's current rules (as
        :meth:`parse`; ``base``: its previous blob), and its key; (None, None) when the year has
        no configuration."""
        cfg, rules_blob, _ = self._year_config.get(where.year) or self._config_of(where.year)
        if cfg is None:
            return None, None
        key = (blob, path, rules_blob)
        um = self._parsed.get(key, _MISSING)
        if um is _MISSING:
            um = self._parse_new(key, path, where, base, cfg)
        return um, key  # type: ignore[return-value]

    def _parse_new(self, key: tuple[str, str, str], path: str, where: UnitFile,
                   base: str | None, cfg: YearConfig) -> UnitMonth | None:
        """Parse (blob, path, rules blob) ``key``, not parsed yet; see :meth:`parse`."""
        blob, _, rules_blob = key
        um = self._known_parse(path, blob, where, rules_blob) if self._known else None
        if um is None:
            base_key = (base, path, rules_blob) if base is not None else None
            if base_key in self._clean:
                start = self._parsed[base_key]  # type: ignore[index]
                found = _parse_appended(self.raw(base), start,  # type: ignore[arg-type]
                                        self.raw(blob), cfg, self._dates)
                if found is not None:
                    um, tail = found
                    self._tails[key] = (start, tail)  # type: ignore[assignment]
                    self._clean.add(key)
            if um is None:
                raw = self.raw(blob)
                um = fastunit.parse(raw, path, where.unit, where.year, where.month, cfg.rules,
                                    1, self._dates)
                if um is None:
                    um, problems = cfg.parse(raw, path, where.unit, where.year, where.month)
                    if problems:
                        self._parsed[key] = um
                        return um
                self._clean.add(key)
        self._parsed[key] = um
        return um

    def _known_parse(self, path: str, blob: str, where: UnitFile,
                     rules_blob: str) -> UnitMonth | None:
        if not self._known or self._known_rules.get(where.year) != rules_blob:
            return None
        um = self._known.get(((self.kinds.get(path) or self.kind(path)).rel or "", blob))
        if um is None or um.path != path or um.unit != where.unit or um.year != where.year \
                or um.month != where.month:
            return None
        return um

    def parsed_units(self) -> Iterator[tuple[UnitFile, UnitMonth]]:
        """Every unit file at the current commit with its parse (as :meth:`parse`; files of a
        year without configuration left out)."""
        kinds = self.kinds
        for path, blob in self.files.items():
            where = (kinds.get(path) or self.kind(path)).unit
            if where is not None:
                um = self._version(blob, path, where, None)[0]
                if um is not None:
                    yield where, um

    def tail(self, path: str, blob: str | None, base: str | None,
             before: UnitMonth | None, after: UnitMonth | None) -> UnitMonth | None:
        """The records ``after`` appends to ``before`` (see :attr:`Changed.tail`), or None."""
        if after is None:
            return None
        if before is None:
            return after
        rules_blob = self._config_of(after.year)[1]
        found = self._tails.get((blob, path, rules_blob))  # type: ignore[arg-type]
        return found[1] if found is not None and found[0] is before else None

    def years(self) -> list[int]:
        """Years with a units.toml or rules.toml at the current commit."""
        if self._years is None:
            self._years = sorted(self._config)
        return self._years

    def months(self, year: int) -> list[int]:
        """Month folders present in ``year`` (a folder exists in git when it holds a file)."""
        return self._months.get(year, _NO_MONTHS)

    def unit_month(self, year: int, month: int, unit: str) -> UnitMonth:
        """A unit's file at the current commit; an empty month when the file is missing."""
        path = self.unit_path(year, month, unit)
        return self.parse(path, self.files.get(path)) or UnitMonth(unit, year, month, path)

    def year_ledger(self, year: int, files: bool = True) -> YearLedger | None:
        """The year at the current commit, every unit of every month present.

        With ``files=False`` the months are empty dicts: the frame the scorer needs to score
        units one at a time (:func:`scoring.audit_score.score_unit`).
        """
        cfg = self.config(year)
        if cfg is None:
            return None
        months = {m: {u.id: self.unit_month(year, m, u.id) for u in cfg.units} if files else {}
                  for m in self.months(year)}
        return YearLedger(year, self.path(str(year)), cfg.units, cfg.rules, months, None, {})

    def apply(self, log: LogCommit) -> None:
        """Move to the next commit: update the file map and the folder counts."""
        files, kinds = self.files, self.kinds
        for change in log.changes:
            path, new = change.path, change.new
            known = path in files
            if new is None:
                files.pop(path, None)
            else:
                files[path] = new
            kind = kinds.get(path) or self.kind(path)
            if kind.config is not None:
                self._year_config.pop(kind.config, None)
                self.generation += 1
            if kind.rel is None or known == (new is not None):
                continue
            step = 1 if new is not None else -1
            if kind.month is not None:
                self._count_month(kind.month, step)
            elif kind.config is not None:
                year = kind.config
                count = self._config[year] = self._config.get(year, 0) + step
                if count == 0:
                    del self._config[year]
                if count in (0, 1):
                    self._years = None

    def _count_month(self, key: tuple[int, int], step: int) -> None:
        count = self._in_month[key] = self._in_month.get(key, 0) + step
        year, month = key
        if count == 0 or (count == 1 and step == 1):
            self.generation += 1
        if count == 0:
            del self._in_month[key]
            months = self._months[year] = [m for m in self._months[year] if m != month]
            if not months:
                del self._months[year]
        elif count == 1 and step == 1:
            months = list(self._months.get(year, ()))  # a new list: callers may hold the old
            insort(months, month)
            self._months[year] = months


# A tail of whole records: blank and comment lines, then [[record]] tables whose other lines do
# not start with "[" (a [table] or [[kind.sub]] would change what the previous lines mean).
_TAIL = re.compile(
    rb"(?:[ \t]*(?:#[^\n]*)?\n)*"
    rb"(?:[ \t]*\[\[[ \t]*(?:info|adoption|instruction|commission|event)[ \t]*\]\]"
    rb"[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:[^\s\[][^\n]*)?\n)*)*")
_KINDS = ("info", "adoptions", "instructions", "commissions", "events")


def _parse_appended(old: bytes, base: UnitMonth | None, new: bytes, cfg: YearConfig,
                    dates: fastunit.Dates | None = None) -> tuple[UnitMonth, UnitMonth] | None:
    """``new`` = ``old`` + whole records: parse only those (None when that is not the case).

    Returns the whole file and the appended records (lines counted from the file's start).
    Safe because a unit file's records are independent tables: appending ``[[kind]]`` tables
    to a file without problems yields the old records plus the appended ones, each checked on
    its own. Anything else (an edit, a key continuing the last table, a plain ``[table]``, a
    problem in the appended text) is parsed whole by the caller.
    """
    if base is None or not new.startswith(old) or (old and not old.endswith(b"\n")):
        return None
    tail = new[len(old):]
    shift = old.count(b"\n")
    # fastunit reads nothing but blank and comment lines and whole [[kind]] tables
    um = fastunit.parse(tail, base.path, base.unit, base.year, base.month, cfg.rules, shift + 1,
                        dates)
    if um is None:
        if _TAIL.fullmatch(tail if tail.endswith(b"\n") or not tail else tail + b"\n") is None:
            return None
        um, problems = cfg.parse(tail, base.path, base.unit, base.year, base.month)
        if problems:
            return None
        if shift:
            um = _new(UnitMonth, (*um[:4], *(tuple(_new(type(r), (*r[:-1], r[-1] + shift))
                                                    for r in records) for records in um[4:])))
    unit, year, month, path, info, adoptions, instructions, commissions, events = base
    _, _, _, _, info2, adoptions2, instructions2, commissions2, events2 = um
    whole = _new(UnitMonth, (unit, year, month, path, info + info2 if info2 else info,
                             adoptions + adoptions2 if adoptions2 else adoptions,
                             instructions + instructions2 if instructions2 else instructions,
                             commissions + commissions2 if commissions2 else commissions,
                             events + events2 if events2 else events))
    return whole, um
