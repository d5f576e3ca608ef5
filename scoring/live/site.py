"""The live site: rebuilt on save from what the last rebuild kept, written only where bytes
changed.

A rebuild runs the build's own sequence (:func:`scoring.pipeline.make_site`, then
:func:`~scoring.site.render.render_site`) with a :class:`~scoring.reuse.Reuse`: files whose
``stat`` is unchanged are not read again, a year is scored and rendered again only when it or
a year before it changed, and the git history is read again only when the ledger's commit
moves. Each file made is compared with the last good build: only the files whose bytes
changed are written, and files no longer produced are removed, so the output folder always
equals a clean build's, byte for byte.

The pages come first: once they are written, ``on_pages`` is told (the server then reloads
open pages), and the workbooks, the slowest files of a year, follow.

While the ledger has errors, nothing is written: the last good files stay, and ``problems``
holds the errors for the server's banner.
"""
from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import Cache
from ..ledger.problems import Problem, errors_in
from ..ledger.repo import repo_root_of
from ..pipeline import make_site
from ..reuse import Reuse
from ..site import SITE_SRC
from ..site.pdf import prints_still_true
from ..site.render import render_site, render_workbooks
from ..site.writer import SiteWriter

# what a template or static file edit keeps: all but what is rendered
KEPT_ACROSS_TEMPLATES = ("file", "items", "scores", "notice", "history", "records")


@dataclass
class Rebuilt:
    """What one rebuild did: files written and removed, the problems, and its times (to the
    pages written, and to the end)."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    made: list[Hashable] = field(default_factory=list)  # what was made again (scoring.reuse)
    pages_seconds: float = 0.0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not errors_in(self.problems)


class LiveSite:
    """The site of ``ledger_dir`` kept in memory and mirrored into ``out_dir``."""

    def __init__(self, ledger_dir: Path, out_dir: Path, cache: Cache | None = None) -> None:
        self.ledger_dir = ledger_dir
        self.out_dir = out_dir
        self.cache = cache
        self.reuse = Reuse()
        self.files: dict[str, bytes] | None = None  # the last good build
        self.problems: list[Problem] = []

    def rebuild(self, changed: Iterable[Path] = (),
                on_pages: Callable[[Rebuilt], None] | None = None) -> Rebuilt:
        """Build again after the saves of ``changed`` (files or folders; any path is
        fine: a file whose ``stat`` changed is read again in any case). Writes the files
        that changed and removes those no longer made."""
        start = time.perf_counter()
        self.forget(changed)
        site, problems = make_site(self.ledger_dir, cache=self.cache, reuse=self.reuse)
        self.problems = problems
        done = Rebuilt(problems=problems)
        if site is None:
            done.made = self.reuse.finish(False)
            done.seconds = done.pages_seconds = time.perf_counter() - start
            return done
        old = self.files if self.files is not None else self.on_disk()
        pages = SiteWriter()
        render_site(site, pages, reuse=self.reuse, workbooks=False)
        self.write(pages.files, old, done)
        done.pages_seconds = time.perf_counter() - start
        if on_pages is not None:
            on_pages(done)
        books = SiteWriter()
        render_workbooks(site, books, self.reuse)
        self.write(books.files, old, done)
        files = pages.files | books.files
        files |= prints_still_true(old, files)  # the PDFs ``pdf`` printed, while true
        for rel in sorted(old.keys() - files.keys()):
            (self.out_dir / rel).unlink(missing_ok=True)
            done.removed.append(rel)
        self.files = files
        done.made = self.reuse.finish(True)
        done.seconds = time.perf_counter() - start
        settle()
        return done

    def forget(self, changed: Iterable[Path]) -> None:
        """Read the saved files again even where ``stat`` looks unchanged (coarse times on
        network shares); render everything again after a template or static file changed."""
        paths = [Path(p).resolve() for p in changed]
        if any(p.is_relative_to(SITE_SRC.resolve()) for p in paths):
            self.reuse.forget(lambda name: isinstance(name, tuple)
                              and name[0] in KEPT_ACROSS_TEMPLATES)
        repo = repo_root_of(self.ledger_dir.resolve())
        saved = {("file", p.relative_to(repo).as_posix()) for p in paths if p.is_relative_to(repo)}
        if saved:
            self.reuse.forget(lambda name: name not in saved)

    def write(self, files: dict[str, bytes], old: dict[str, bytes], done: Rebuilt) -> None:
        for rel, data in sorted(files.items()):
            if old.get(rel) != data:
                write_atomic(self.out_dir / rel, data)
                done.written.append(rel)

    def on_disk(self) -> dict[str, bytes]:
        """The files already in the output folder (the first rebuild writes only changes)."""
        if not self.out_dir.is_dir():
            return {}
        return {p.relative_to(self.out_dir).as_posix(): p.read_bytes()
                for p in sorted(self.out_dir.rglob("*")) if p.is_file()}


def settle() -> None:
    """Collect what the rebuild left, then exempt what lives on (the ledger, the kept
    results) from the collector's later scans. Without it a full collection, due every few
    rebuilds, scans the whole kept site: on the district ledger it added 0.2 to 0.3 s to a
    rebuild, and the pages took 0.37 to 0.75 s instead of 0.37 to 0.43 s (``gc.freeze``,
    measured with ``tools/bench_serve.py``). Runs after the rebuild, off the save's path."""
    gc.collect()
    gc.freeze()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` through a temporary file and a rename (a reader never sees half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temp.write_bytes(data)
    os.replace(temp, path)
