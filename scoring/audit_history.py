"""Replaying the ledger's history: one ``git log --raw`` walk, blobs parsed once each.

:func:`walk` reads the log of the ledger folder (oldest first), fetches every blob it names in a
single ``git cat-file --batch``, and replays the commits on a :class:`Replay`: the map of ledger
files to blob ids at the current commit. Each commit is handed to the consumers (provenance, the
change log) with the unit files it changed, parsed before and after. Parsed files are cached by
blob id, so a file version is parsed once however many commits keep it.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Iterable, NamedTuple, Protocol

from . import config
from .gitlog import LogCommit, log_ledger, read_blobs
from .load import parse_unit_month, record_fields
from .model import Rules, Unit, UnitMonth, YearLedger
from .problems import Problem
from .schema import Field

_UNIT_FILE = re.compile(r"^(\d{4})/(0[1-9]|1[0-2])/([a-z][a-z0-9-]{0,31})\.toml$")
_MONTH_FILE = re.compile(r"^(\d{4})/(0[1-9]|1[0-2])/[^/]+$")
_CONFIG_FILE = re.compile(r"^(\d{4})/(units|rules)\.toml$")


class UnitFile(NamedTuple):
    """What a ledger path names: ``<YYYY>/<MM>/<unit>.toml``."""

    year: int
    month: int
    unit: str


class Changed(NamedTuple):
    """A unit file changed by a commit, parsed before and after (None: absent or unreadable)."""

    path: str
    where: UnitFile
    before: UnitMonth | None
    after: UnitMonth | None


class Consumer(Protocol):
    def commit(self, log: LogCommit, changed: list[Changed], replay: Replay) -> None: ...


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


class Replay:
    """The ledger's files at the current commit of a walk, and their parsed contents."""

    def __init__(self, prefix: str, blobs: dict[str, bytes]) -> None:
        self.prefix = prefix
        self.blobs = blobs
        self.files: dict[str, str] = {}          # path → blob id, every ledger file
        self._in_month: dict[tuple[int, int], int] = {}   # files per month folder
        self._config: dict[int, int] = {}                 # config files per year
        self._configs: dict[tuple[str, str], YearConfig | None] = {}
        self._parsed: dict[tuple[str, str, str], UnitMonth | None] = {}
        self._clean: set[tuple[str, str, str]] = set()    # parsed without any problem

    def local(self, path: str) -> str | None:
        """``path`` relative to the ledger folder, or None when outside it."""
        if not self.prefix:
            return path
        return path[len(self.prefix) + 1:] if path.startswith(self.prefix + "/") else None

    def classify(self, path: str) -> UnitFile | None:
        rel = self.local(path)
        m = _UNIT_FILE.match(rel) if rel else None
        return UnitFile(int(m[1]), int(m[2]), m[3]) if m else None

    def path(self, rel: str) -> str:
        return f"{self.prefix}/{rel}" if self.prefix else rel

    def config(self, year: int) -> YearConfig | None:
        """The year's units and rules at the current commit (None when missing or invalid)."""
        upath, rpath = self.path(f"{year}/units.toml"), self.path(f"{year}/rules.toml")
        key = (self.files.get(upath, ""), self.files.get(rpath, ""))
        if key not in self._configs:
            self._configs[key] = self._load_config(upath, rpath, *key)
        return self._configs[key]

    def _load_config(self, upath: str, rpath: str, ublob: str, rblob: str) -> YearConfig | None:
        if not ublob or not rblob:
            return None
        with tempfile.TemporaryDirectory(prefix="kaoping-config-") as tmp:
            (Path(tmp) / "u.toml").write_bytes(self.blobs.get(ublob, b""))
            (Path(tmp) / "r.toml").write_bytes(self.blobs.get(rblob, b""))
            units, _ = config.load_units(Path(tmp) / "u.toml", upath)
            rules, _ = config.load_rules(Path(tmp) / "r.toml", rpath)
        if not units or rules is None:
            return None
        return YearConfig.of(units, rules)

    def parse(self, path: str, blob: str | None, base: str | None = None) -> UnitMonth | None:
        """The unit file ``path`` with content ``blob``, parsed under its year's current rules.

        ``base``: the file's previous blob. When the new version only appends records to a
        cleanly parsed previous one (the usual commit), only the appended text is parsed.
        """
        where = self.classify(path)
        cfg = self.config(where.year) if where else None
        if where is None or cfg is None or blob is None:
            return None
        rules_blob = self.files.get(self.path(f"{where.year}/rules.toml"), "")
        key = (blob, path, rules_blob)
        if key in self._parsed:
            return self._parsed[key]
        raw = self.blobs.get(blob, b"")
        um = None
        if base is not None and (base, path, rules_blob) in self._clean:
            um = _parse_appended(self.blobs.get(base, b""), self._parsed[(base, path, rules_blob)],
                                 raw, cfg)
        if um is None:
            um, problems = cfg.parse(raw, path, where.unit, where.year, where.month)
            if not problems:
                self._clean.add(key)
        else:
            self._clean.add(key)
        self._parsed[key] = um
        return um

    def years(self) -> list[int]:
        """Years with a units.toml or rules.toml at the current commit."""
        return sorted(self._config)

    def months(self, year: int) -> list[int]:
        """Month folders present in ``year`` (a folder exists in git when it holds a file)."""
        return sorted(m for (y, m) in self._in_month if y == year)

    def unit_month(self, year: int, month: int, unit: str) -> UnitMonth:
        """A unit's file at the current commit; an empty month when the file is missing."""
        path = self.path(f"{year}/{month:02d}/{unit}.toml")
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
        for change in log.changes:
            rel = self.local(change.path)
            known = change.path in self.files
            if change.new is None:
                self.files.pop(change.path, None)
            else:
                self.files[change.path] = change.new
            if rel is None or known == (change.new is not None):
                continue
            step = 1 if change.new is not None else -1
            counts, key = _counter(self, rel)
            if counts is not None:
                counts[key] = counts.get(key, 0) + step
                if counts[key] == 0:
                    del counts[key]


def _counter(replay: Replay, rel: str) -> tuple[dict, object] | tuple[None, None]:  # type: ignore[type-arg]
    """Which count a ledger-relative path adds to: its month folder, or its year's config."""
    if _MONTH_FILE.match(rel):
        return replay._in_month, (int(rel[:4]), int(rel[5:7]))
    if _CONFIG_FILE.match(rel):
        return replay._config, int(rel[:4])
    return None, None


_RECORD_HEADER = re.compile(rb"[ \t]*\[\[[ \t]*(info|adoption|instruction|commission|event)"
                            rb"[ \t]*\]\][ \t]*(#.*)?")


def _parse_appended(old: bytes, base: UnitMonth | None, new: bytes,
                    cfg: YearConfig) -> UnitMonth | None:
    """``new`` = ``old`` + whole records: parse only those (None when that is not the case).

    Safe because a unit file's records are independent tables: appending ``[[kind]]`` tables
    to a file without problems yields the old records plus the appended ones, each checked on
    its own. Anything else (an edit, a key continuing the last table, a plain ``[table]``, a
    problem in the appended text) is parsed whole by the caller.
    """
    if base is None or not new.startswith(old) or (old and not old.endswith(b"\n")):
        return None
    tail = new[len(old):]
    first = True
    for line in tail.split(b"\n"):
        s = line.strip()
        if s.startswith(b"["):
            if not _RECORD_HEADER.fullmatch(line):
                return None
            first = False
        elif first and s and not s.startswith(b"#"):
            return None  # a key before any header would belong to the old file's last table
    um, problems = cfg.parse(tail, base.path, base.unit, base.year, base.month)
    if problems:
        return None
    shift = old.count(b"\n")
    return base._replace(**{name: (*getattr(base, name),
                                   *(r._replace(line=r.line + shift) for r in getattr(um, name)))
                            for name in ("info", "adoptions", "instructions", "commissions",
                                         "events")})


def _wanted(prefix: str, path: str) -> bool:
    rel = path[len(prefix) + 1:] if prefix else path
    return bool(_UNIT_FILE.match(rel) or _CONFIG_FILE.match(rel))


def walk(repo: Path, prefix: str, consumers: Iterable[Consumer],
         rev: str = "HEAD") -> tuple[list[LogCommit], Replay]:
    """Replay every commit up to ``rev`` that touched the ledger, feeding each consumer."""
    commits = log_ledger(repo, prefix, rev)
    ids = [c.new for log in commits for c in log.changes if c.new and _wanted(prefix, c.path)]
    replay = Replay(prefix, read_blobs(repo, ids))
    consumers = list(consumers)
    for log in commits:
        before = [(c, replay.classify(c.path)) for c in log.changes]
        olds = {c.path: replay.parse(c.path, c.old) for c, w in before if w}
        replay.apply(log)
        changed = [Changed(c.path, w, olds[c.path], replay.parse(c.path, c.new, c.old))
                   for c, w in before if w]
        for consumer in consumers:
            consumer.commit(log, changed, replay)
    return commits, replay
