"""The build, top to bottom: load → validate → read the history → score → render → write.

Everything is gathered first and swapped in last (:class:`~scoring.site.writer.SiteWriter`),
so that a ledger with errors leaves the output folder exactly as it was.
"""
from __future__ import annotations

from pathlib import Path

from .audit.git import source_stamp
from .audit.trail import read_trail
from .cache import Cache
from .ledger.check import check_ledger
from .ledger.problems import Problem, errors_in, sort_problems
from .memo import BuildMemo
from .progress import Progress
from .rulebook.figures import notice_problems
from .site.common import Source
from .site.render import render_site, score_site
from .site.writer import SiteWriter


def build_site(ledger_dir: Path, out_dir: Path, progress: Progress | None = None,
               cache: Cache | None = None, memo: BuildMemo | None = None) -> list[Problem]:
    """Validate, render every page and data file, and swap the new site into ``out_dir``.

    With a ``cache``, a build whose inputs and output are unchanged since the last one does
    nothing (:mod:`scoring.memo`), and commits scored before are not scored again
    (:mod:`scoring.audit.commitcache`). A caller that has asked the ``memo`` already (the
    command line, before it loads the build) passes it, and the build records itself in it.
    """
    if cache is not None and memo is None:
        memo = BuildMemo(cache, ledger_dir, out_dir)
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
    problems = sort_problems(problems + notice_problems(ledger, site.scores))
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
