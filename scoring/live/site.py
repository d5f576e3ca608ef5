"""The live site: rendered in memory, rebuilt on save, written only where bytes changed.

A rebuild validates the ledger again, scores it and renders every page into memory (on the
demo repository that is fast enough, see ``tools/bench_serve.py``), then compares each file
with the last good build: only the files whose bytes changed are written, and files no longer
produced are removed. The output folder therefore always equals a clean build's, byte for
byte (except the change log and provenance, below).

The git trail (change log, the 提交 column of unit pages) is read once when the session
starts and reused: commits made during the session show after ``serve`` is restarted.

While the ledger has errors, nothing is written: the last good files stay, and ``problems``
holds the errors for the server's banner.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..audit.git import source_stamp
from ..audit.trail import Trail, read_trail
from ..cache import Cache
from ..ledger.check import check_ledger
from ..ledger.problems import Problem, errors_in
from ..site.common import Source
from ..site.render import render_site, score_site
from ..site.writer import SiteWriter


@dataclass
class Rebuilt:
    """What one rebuild did: files written and removed, the problems, and its time."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not errors_in(self.problems)


class LiveSite:
    """The site of ``ledger_dir`` kept in memory and mirrored into ``out_dir``."""

    def __init__(self, ledger_dir: Path, out_dir: Path, cache: Cache | None = None,
                 trail: bool = True) -> None:
        self.ledger_dir = ledger_dir
        self.out_dir = out_dir
        self.cache = cache
        self.read_history = trail
        self.trail: Trail | None = None
        self.trail_read = False
        self.files: dict[str, bytes] | None = None  # the last good build
        self.problems: list[Problem] = []

    def render(self) -> tuple[dict[str, bytes] | None, list[Problem]]:
        """Every file of the site as the ledger is now (None while it has errors)."""
        ledger, problems = check_ledger(self.ledger_dir)
        if errors_in(problems):
            return None, problems
        source = Source(*source_stamp(self.ledger_dir))
        site = score_site(ledger, source)
        if self.read_history and not self.trail_read:
            self.trail = read_trail(ledger, self.cache, None if source.dirty else site.scores)
            self.trail_read = True
        writer = SiteWriter()
        render_site(site._replace(trail=self.trail), writer)
        return writer.files, problems

    def rebuild(self) -> Rebuilt:
        """Render again; write the files that changed and remove those no longer made."""
        start = time.perf_counter()
        files, problems = self.render()
        self.problems = problems
        done = Rebuilt(problems=problems)
        if files is not None:
            old = self.files if self.files is not None else self.on_disk()
            for rel, data in sorted(files.items()):
                if old.get(rel) != data:
                    write_atomic(self.out_dir / rel, data)
                    done.written.append(rel)
            for rel in sorted(old.keys() - files.keys()):
                (self.out_dir / rel).unlink(missing_ok=True)
                done.removed.append(rel)
            self.files = files
        done.seconds = time.perf_counter() - start
        return done

    def on_disk(self) -> dict[str, bytes]:
        """The files already in the output folder (the first rebuild writes only changes)."""
        if not self.out_dir.is_dir():
            return {}
        return {p.relative_to(self.out_dir).as_posix(): p.read_bytes()
                for p in sorted(self.out_dir.rglob("*")) if p.is_file()}


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` through a temporary file and a rename (a reader never sees half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temp.write_bytes(data)
    os.replace(temp, path)
