"""The build, top to bottom: load → validate → score → read the history → render → write.

:func:`make_site` is the sequence up to rendering, shared by ``build`` (:func:`build_site`)
and ``serve`` (:mod:`scoring.live.site`, which passes a :class:`~scoring.reuse.Reuse` so
that a rebuild makes again only what a save changed). Everything is gathered first and
swapped in last (:class:`~scoring.site.writer.SiteWriter`), so that a ledger with errors
leaves the output folder exactly as it was.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path

from .audit.git import source_stamp
from .audit.trail import Trail, read_history, read_trail
from .cache import Cache
from .ledger.check import check_ledger
from .ledger.problems import Problem, errors_in, sort_problems
from .memo import BuildMemo
from .progress import Progress
from .reuse import Reuse, kept
from .rulebook.figures import literal_figures
from .site.common import Site, Source
from .site.pdf import prints_still_true
from .site.render import render_site, score_site, years_through
from .site.writer import FolderFiles, SiteWriter


def make_site(ledger_dir: Path, progress: Progress | None = None, cache: Cache | None = None,
              reuse: Reuse | None = None) -> tuple[Site | None, list[Problem]]:
    """The ledger checked, scored and given its history: what every page is made from.
    None, with the problems, while the ledger has errors."""
    ledger, problems = check_ledger(ledger_dir, progress, reuse)
    if errors_in(problems):
        return None, problems
    if progress is not None:
        progress("计分、排名")
    site = score_site(ledger, Source(*source_stamp(ledger_dir)), reuse=reuse)
    problems = sort_problems(problems + [
        p for y, year in sorted(ledger.years.items()) for p in kept(
            reuse, ("notice", y), years_through(ledger, y),
            partial(literal_figures, year, site.scores[y]))])
    if progress is not None:
        progress("读取 git 历史（变更记录、记录来源）")
    return site._replace(trail=site_trail(site, cache, reuse)), problems


def site_trail(site: Site, cache: Cache | None, reuse: Reuse | None) -> Trail | None:
    """The audit trail. Under ``serve`` the history is read again only when the ledger's
    commit moves, and the working tree's record commits are found again only for a year
    that changed."""
    scored = None if site.source.dirty else site.scores
    if reuse is None:
        return read_trail(site.ledger, cache, scored)
    history = reuse.get(("history",), site.source.commit,
                        partial(read_history, site.ledger, cache, scored))
    if history is None:
        return None
    records = {}
    for y, year in sorted(site.ledger.years.items()):
        records.update(reuse.get(("records", y), (history, year),
                                 partial(history.records, site.ledger, y)))
    return history.trail(records)


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
    site, problems = make_site(ledger_dir, progress, cache)
    if site is None:
        return problems
    writer = SiteWriter(out_dir)
    try:
        render_site(site, writer, progress)
        for rel, data in prints_still_true(FolderFiles(out_dir), writer.contents()).items():
            writer.add(rel, data)
        if progress is not None:
            progress(f"写入 {len(writer)} 个文件")
        writer.commit()
    finally:
        writer.discard()
    if memo is not None:
        memo.record(problems)
    return problems
