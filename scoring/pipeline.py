"""The build, top to bottom: load → validate → read the history → score → render → write.

Everything is gathered first and swapped in last (:class:`~scoring.site.writer.SiteWriter`),
so that a ledger with errors leaves the output folder exactly as it was.
"""
from __future__ import annotations

from pathlib import Path

from .audit.git import source_stamp
from .audit.trail import read_trail
from .cache import DIRNAME, Cache
from .ledger.check import check_ledger
from .ledger.load import repo_root_of
from .ledger.problems import Problem, errors_in
from .memo import BuildMemo
from .progress import Progress
from .site.common import Source
from .site.render import render_site, score_site
from .site.writer import SiteWriter


def open_cache(ledger_dir: Path) -> Cache:
    """The cache folder of the repository holding ``ledger_dir`` (``.kaoping-cache/``)."""
    return Cache(repo_root_of(ledger_dir.resolve()) / DIRNAME)


def build_site(ledger_dir: Path, out_dir: Path, progress: Progress | None = None,
               cache: Cache | None = None) -> list[Problem]:
    """Validate, render every page and data file, and swap the new site into ``out_dir``.

    With a ``cache``, a build whose inputs and output are unchanged since the last one does
    nothing (:mod:`scoring.memo`), and commits scored before are not scored again
    (:mod:`scoring.audit.commitcache`).
    """
    memo = None
    if cache is not None:
        memo = BuildMemo(cache, ledger_dir, repo_root_of(ledger_dir.resolve()), out_dir)
        unchanged = memo.unchanged()
        if unchanged is not None:
            return unchanged
    ledger, problems = check_ledger(ledger_dir, progress)
    if errors_in(problems):
        return problems
    if progress is not None:
        progress("计分、排名")
    source = Source(*source_stamp(ledger_dir))
    site = score_site(ledger, source)
    if progress is not None:
        progress("读取 git 历史（变更记录、记录来源）")
    site = site._replace(trail=read_trail(ledger, cache, None if source.dirty else site.scores))
    writer = SiteWriter(out_dir)
    try:
        render_site(site, writer, progress)
        if progress is not None:
            progress(f"写入 {len(writer)} 个文件")
        writer.commit()
    finally:
        writer.discard()
    if memo is not None:
        memo.record(problems)
    return problems
