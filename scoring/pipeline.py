"""The stages in order: load, validate, then (when there are no errors) build the site.

Everything is gathered in memory first and written last, through :class:`SiteWriter`, so that a
ledger with errors leaves the output folder exactly as it was.
"""
from __future__ import annotations

import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .audit_changes import AuditLog
from .audit_page import bulletin_corrections, changes_page
from .auditjob import AuditJob, SharedYears
from .cache import DIRNAME, Cache, ParseCache
from .gcpause import gc_paused
from .gitlog import start_source_stamp
from .load import load_ledger, repo_root_of
from .memo import BuildMemo
from .model import Ledger
from .problems import Problem, errors_in, sort_problems
from .results import Point
from .validate import validate
from .writer import SiteWriter
from .yearjobs import YearCache, YearQueue


def open_cache(ledger_dir: Path) -> Cache:
    """The build cache of the repository holding ``ledger_dir`` (``.kaoping-cache/``)."""
    return Cache(repo_root_of(ledger_dir.resolve()) / DIRNAME)


# Above this many records the parse cache is written here rather than by a forked helper. A
# forked process shares the parsed ledger's memory only until it touches an object (reference
# counts are written into the objects), so it ends up holding a copy of what it reads: for a
# city's ten years (about 600,000 records) one more process would take the build past 1 GB.
# The build itself decides before loading, by ONE_PROCESS_FILES (about the same size).
ONE_PROCESS_RECORDS = 250_000


def check_ledger(ledger_dir: Path, progress: Callable[[str], None] | None = None,
                 cache: Cache | None = None, digests: dict[str, bytes] | None = None,
                 wait: bool = True,
                 loaded: Callable[[Ledger], None] | None = None) -> tuple[Ledger, list[Problem]]:
    """Load and validate; every problem found, sorted by path and line.

    The parse cache is written in the background; ``wait=False`` leaves the waiting (before
    the process ends) to the caller, so that it overlaps with the caller's work. ``loaded``
    is called with the ledger before the checks across files when every file was read
    without error (the build starts reading the git history then).
    """
    parse_cache = ParseCache(cache) if cache is not None else None
    with gc_paused():
        ledger, problems = load_ledger(ledger_dir, progress, parse_cache, digests)
        if parse_cache is not None:
            parse_cache.save(fork=ledger.record_count() <= ONE_PROCESS_RECORDS)
        if loaded is not None and not errors_in(problems):
            loaded(ledger)
        if progress:
            progress("交叉校验（OA 编号、采用与批示引用）")
        problems += validate(ledger, problems)
    if cache is not None and wait:
        cache.wait()
    return ledger, sort_problems(problems)


def build_site(ledger_dir: Path, out_dir: Path, progress: Callable[[str], None] | None = None,
               cache: Cache | None = None, remove_later: bool = False) -> list[Problem]:
    """Validate, render every page and data file, and swap the new site into ``out_dir``.

    With a ``cache``, a build whose inputs and output are unchanged since the last one does
    nothing (:mod:`scoring.memo`), and parsed files are reused (:class:`ParseCache`).
    ``remove_later``: the site replaced is removed by a detached process (the command line's
    choice, :func:`scoring.writer.swap_in`).
    """
    memo = None
    if cache is not None:
        memo = BuildMemo(cache, ledger_dir, repo_root_of(ledger_dir.resolve()), out_dir)
        unchanged = memo.unchanged()
        if unchanged is not None:
            return unchanged
    enabled = gc.isenabled()
    try:
        return _build(ledger_dir, out_dir, progress, cache, memo, remove_later)
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()
        if cache is not None:
            cache.wait()


def _build(ledger_dir: Path, out_dir: Path, progress: Callable[[str], None] | None,
           cache: Cache | None, memo: BuildMemo | None, remove_later: bool) -> list[Problem]:
    digests = memo.digests if memo is not None else {}  # the loader adds every file's blob id
    kept = memo.year_cache() if memo is not None else None
    parts = (cache, memo.audit_key()) if cache is not None and memo is not None else None
    stamp = start_source_stamp(ledger_dir)  # git works on it while the ledger loads
    writer = SiteWriter(out_dir)  # files go straight into a new folder beside out_dir
    jobs: list[AuditJob] = []
    if count_unit_files(ledger_dir) <= ONE_PROCESS_FILES:
        # A child forked now loads the ledger too, then reads the git history while this
        # process validates and scores; then both make the site's years (see AuditJob).
        from .render_env import compile_templates
        from .render_site import year_job
        compile_templates()  # once, for both processes
        jobs.append(AuditJob(None, digests, parts,
                             years=SharedYears(YearQueue(), year_job(writer, kept)),
                             load=lambda: _load_again(ledger_dir, cache, digests)))

    def loaded(ledger: Ledger) -> None:
        # The ledger lives until the end: the garbage collector need not scan it again.
        gc.freeze()
        if jobs:  # a district's build: what it makes lives to its end (0.05 s of collections)
            gc.disable()
        if not jobs:  # a large ledger: one process (the history is read here, see above)
            jobs.append(AuditJob(ledger, digests, parts))
            return
        jobs[0].loaded(ledger, digests, stamp())
        if jobs[0].years is not None:
            jobs[0].years.queue.fill(ledger.years)
    try:
        try:
            ledger, problems = check_ledger(ledger_dir, progress, cache, digests, wait=False,
                                            loaded=loaded)
            if errors_in(problems) or not jobs or jobs[0].ledger is None:
                return problems
            render_all(ledger, writer, progress, source=stamp(), audit_job=jobs[0], kept=kept,
                       workers=1 if not jobs[0].forks else None)
            if progress:
                progress(f"写入 {len(writer)} 个文件")
            writer.commit(out_dir, remove_later)
        finally:
            for job in jobs:
                job.finish()
            stamp()  # (git has ended by now: this reaps it when the build stopped early)
    finally:
        writer.discard()
    if memo is not None:
        memo.record(problems)
    return problems


# Above this many unit files the build runs in one process: a second process would load a
# second copy of the ledger (see ONE_PROCESS_RECORDS). A district's ten years have 5,640
# files (64,000 records) and keep both cores; a city's 54,000 files (614,000 records) one.
ONE_PROCESS_FILES = 20_000


def count_unit_files(ledger_dir: Path) -> int:
    """The files in the ledger's month folders (``YYYY/MM/*``), listed without reading them."""
    total = 0
    try:
        years = [e.path for e in os.scandir(ledger_dir) if e.name.isdigit() and e.is_dir()]
        for year in years:
            for month in os.scandir(year):
                if month.name.isdigit() and month.is_dir():
                    total += sum(1 for _ in os.scandir(month.path))
    except OSError:
        pass
    return total


def _load_again(ledger_dir: Path, cache: Cache | None,
                digests: dict[str, bytes]) -> tuple[Ledger, dict[str, bytes]]:
    """The ledger as the audit child loads it for itself (the build cache's parses read, never
    written: this process keeps the cache)."""
    with gc_paused():
        ledger, _ = load_ledger(ledger_dir, None, ParseCache(cache) if cache else None, digests)
    return ledger, digests


def render_all(ledger: Ledger, writer: SiteWriter,
               progress: Callable[[str], None] | None = None,
               source: dict | None = None,
               point_commit: Callable[[Point], str | None] | None = None,
               audit: AuditLog | None = None, kept: YearCache | None = None,
               corrections: Callable[[int, int], list[Any]] | None = None,
               changes: bytes | None = None, audit_job: AuditJob | None = None,
               workers: int | None = None) -> None:
    """Every output file of the site: each year's data files and pages, the index and the
    change log (:mod:`.render_site`; ``kept``: the cache of unchanged years, :mod:`.yearjobs`).

    ``source`` stamps the data files and pages: ``{"commit": sha or None, "dirty": bool}``;
    ``point_commit`` (the audit's) names the commit of each point on the unit pages;
    ``audit``: the ledger's history, for the change log page and the bulletins' 更正 (or,
    made from it beforehand by :mod:`.auditjob`: ``changes``, that page, and ``corrections``;
    or ``audit_job``, which gives all three, and whose child, when it has one, makes years
    too). ``workers``: processes making the years (default: both cores).
    """
    from .render_env import render  # a build that stops early needs none
    from .render_site import render_shared, render_site
    if audit_job is not None and audit_job.years is not None:
        if progress:
            progress("计分并生成页面，同时读取 git 历史（变更记录、记录来源）")
        changes = render_shared(ledger, writer, audit_job, source or {}, kept, progress)
    else:
        if audit_job is not None:
            changes, corrections, point_commit = audit_job.result(source or {})
        if progress:
            progress("计分、排名与生成页面")
        if corrections is None:
            corrections = bulletin_corrections(ledger, audit)
        render_site(ledger, writer, progress, source, point_commit, corrections=corrections,
                    kept=kept, workers=workers)
    if changes is None:
        changes = render("changes.html", changes_page(ledger, source, audit)).encode("utf-8")
    writer.add("changes.html", changes)
