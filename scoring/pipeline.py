"""The stages in order: load, validate, then (when there are no errors) build the site.

Everything is gathered in memory first and written last, through :class:`SiteWriter`, so that a
ledger with errors leaves the output folder exactly as it was.
"""
from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .audit_changes import AuditLog
from .audit_page import bulletin_corrections, changes_page
from .auditjob import AuditJob, SharedYears
from .cache import DIRNAME, Cache, ParseCache
from .gcpause import gc_paused
from .gitlog import source_stamp
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


# Above this many records the build runs in one process. A forked helper shares the parsed
# ledger's memory only until it touches an object (reference counts are written into the
# objects), so each helper ends up holding a copy of what it reads: for a city's ten years
# (about 600,000 records) one more process would take the build past 1 GB, one process keeps it
# near 0.8 GB for a few more seconds. A district's ten years (about 65,000) keep both cores.
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
               cache: Cache | None = None) -> list[Problem]:
    """Validate, render every page and data file, and swap the new site into ``out_dir``.

    With a ``cache``, a build whose inputs and output are unchanged since the last one does
    nothing (:mod:`scoring.memo`), and parsed files are reused (:class:`ParseCache`).
    """
    memo = None
    if cache is not None:
        memo = BuildMemo(cache, ledger_dir, repo_root_of(ledger_dir.resolve()), out_dir)
        unchanged = memo.unchanged()
        if unchanged is not None:
            return unchanged
    try:
        return _build(ledger_dir, out_dir, progress, cache, memo)
    finally:
        gc.unfreeze()
        if cache is not None:
            cache.wait()


def _build(ledger_dir: Path, out_dir: Path, progress: Callable[[str], None] | None,
           cache: Cache | None, memo: BuildMemo | None) -> list[Problem]:
    digests = memo.digests if memo is not None else {}  # the loader adds every file's blob id
    kept = memo.year_cache() if memo is not None else None
    source = source_stamp(ledger_dir)
    jobs: list[AuditJob] = []
    writers: list[SiteWriter] = []
    single: list[bool] = []

    def start_audit(ledger: Ledger) -> None:
        # The ledger lives until the end: the garbage collector need not scan it again, and
        # forked processes share its memory pages instead of copying them (gc writes object
        # headers). The git history is read in a child sharing the parsed ledger (or taken
        # from the cache) while this process validates and scores; the child then makes
        # years of the site with this process, writing them into the same new folder.
        from .render_env import compile_templates
        from .render_site import year_job
        compile_templates()  # once, for the child too
        gc.freeze()
        single.append(ledger.record_count() > ONE_PROCESS_RECORDS)
        writers.append(SiteWriter(out_dir))  # files go straight into a folder beside out_dir
        jobs.append(AuditJob(ledger, digests,
                             (cache, memo.audit_key()) if cache and memo else None,
                             fork=not single[0], source=source,
                             years=SharedYears(YearQueue(list(ledger.years)),
                                               year_job(ledger, writers[0], source, kept))))
    try:
        try:
            ledger, problems = check_ledger(ledger_dir, progress, cache, digests, wait=False,
                                            loaded=start_audit)
        except BaseException:
            for job in jobs:
                job.finish()
            raise
        if errors_in(problems) or not jobs:
            for job in jobs:
                job.finish()
            return problems
        audit, writer = jobs[0], writers[0]
        try:
            render_all(ledger, writer, progress, source=source, audit_job=audit, kept=kept,
                       workers=1 if single[0] else None)
            if progress:
                progress(f"写入 {len(writer)} 个文件")
            writer.commit(out_dir)
        finally:
            audit.finish()
    finally:
        for writer in writers:
            writer.discard()
    if memo is not None:
        memo.record(problems)
    return problems


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
