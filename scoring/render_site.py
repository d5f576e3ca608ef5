"""Rendering the whole site: each year scored (every month to date) and rendered on its own.

Pages are gathered into the :class:`~scoring.writer.SiteWriter` with the static files of
``site_src/static``; the writer swaps the tree in. Page paths (SPEC §5)::

    index.html                     entry: latest bulletin, months, notices, units, rules
    <YYYY>/<MM>.html               monthly bulletin
    <YYYY>/annual.html             annual notice (GB/T 9704-2012 when printed)
    <YYYY>/rules.html              the year's rulebook as tables
    <YYYY>/units/<id>.html         one unit's year with every point's provenance
    changes.html                   the change log (written by :mod:`scoring.pipeline`)
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from .export import data_files
from .model import Info, Ledger
from .pages_annual import annual_page
from .pages_bulletin import bulletin_page
from .pages_common import Site
from .pages_index import index_page, rules_page
from .pages_unit import unit_page
from .progress import count
from .render_env import compile_templates, render, static_files
from .results import Point, YearScore
from .score import item_index, score_year, score_year_to_date
from .writer import SiteWriter
from .yearjobs import YearOutput, build_years, year_view

if TYPE_CHECKING:
    from .auditjob import AuditJob
    from .yearjobs import YearCache

NO_SOURCE: dict[str, Any] = {"commit": None, "dirty": False}


def gather(ledger: Ledger, source: dict[str, Any] | None = None,
           point_commit: Callable[[Point], str | None] | None = None,
           scores: dict[int, YearScore] | None = None,
           corrections: Callable[[int, int], list[Any]] | None = None) -> Site:
    """Score every year as of each of its months; ``scores`` reuses the annual scoring."""
    items = item_index(ledger)
    monthly = {y: score_year_to_date(yl, items) for y, yl in sorted(ledger.years.items())}
    if scores is None:
        scores = {y: score_year(yl, items) for y, yl in sorted(ledger.years.items())}
    return Site(ledger, scores, monthly, items, source or NO_SOURCE, point_commit, corrections)


def render_site(ledger: Ledger, writer: SiteWriter,
                progress: Callable[[str], None] | None = None,
                source: dict[str, Any] | None = None,
                point_commit: Callable[[Point], str | None] | None = None,
                corrections: Callable[[int, int], list[Any]] | None = None,
                kept: YearCache | None = None,
                workers: int | None = None) -> None:
    """Add every file of the site to ``writer``: static files, the index, and each year's data
    files and pages (:func:`prepare_year`, :func:`finish_year`; through
    :func:`scoring.yearjobs.build_years`, on two cores, and from the cache ``kept`` for the
    years whose inputs are unchanged).

    ``corrections``: the audit's ``(year, month) → 更正`` entries of that month's bulletin.
    ``workers``: processes making the years (default: both cores).
    """
    items = item_index(ledger)
    site_files(ledger, writer, items, source)
    build_years(ledger, items, year_maker(ledger, items, source, point_commit, corrections),
                writer, kept, progress, workers)


def year_maker(ledger: Ledger, items: dict[str, Info], source: dict[str, Any] | None,
               point_commit: Callable[[Point], str | None] | None,
               corrections: Callable[[int, int], list[Any]] | None
               ) -> Callable[[int], dict[str, bytes]]:
    """What makes one year's files from scratch: scored (:func:`prepare_year`), then its
    pages with the audit's labels and 更正 lists (:func:`finish_year`)."""
    return lambda year: finish_year(prepare_year(ledger, year, items, source), year,
                                    point_commit, corrections)


def site_files(ledger: Ledger, writer: SiteWriter, items: dict[str, Info],
               source: dict[str, Any] | None) -> None:
    """The files of no one year: static files and the index (which needs nothing from git's
    history but the stamp)."""
    compile_templates()  # before the year jobs fork
    for path, content in static_files().items():
        writer.add(path, content)
    whole = Site(ledger, {}, {}, items, source or NO_SOURCE, None, None)
    writer.add("index.html", render("index.html", index_page(whole)))


def render_shared(ledger: Ledger, writer: SiteWriter, job: AuditJob,
                  source: dict[str, Any], kept: YearCache | None = None,
                  progress: Callable[[str], None] | None = None) -> bytes:
    """:func:`render_site` with the audit child (``job``) as the second worker: each year is
    taken from ``job.years.queue`` (newest first) by this process or by the child once it
    has sent the audit's parts. Returns the change log page.

    While the child reads the history, this process takes and scores up to half the years,
    then scores ahead the years the queue gives out last (without taking them: the child may
    take them first and score them again; scoring is a third of a year's cost, and this
    process would otherwise wait). When the parts come, it finishes the years it holds, then
    takes whatever is left."""
    assert job.years is not None
    queue = job.years.queue
    items = item_index(ledger)
    site_files(ledger, writer, items, source)
    output = YearOutput(ledger, items, writer, kept)

    def prepared(year: int) -> YearPrep | dict[str, bytes]:
        return output.cached(year) or prepare_year(ledger, year, items, source)
    held: dict[int, YearPrep | dict[str, bytes]] = {}
    while 2 * len(held) < len(queue.years) and not job.ready():
        year = queue.take()
        if year is None:
            break
        held[year] = prepared(year)
    ahead: dict[int, YearPrep | dict[str, bytes]] = {}
    for year in reversed(queue.years):
        if year in held or job.ready():
            break
        ahead[year] = prepared(year)
    _, corrections, point_commit = parts = job.result(source)
    total, done = len(ledger.years), set()

    def make(year: int, found: YearPrep | dict[str, bytes] | None) -> None:
        found = found or prepared(year)
        if isinstance(found, YearPrep):
            found = output.make(year, _finisher(found, point_commit, corrections), look=False)
        output.add(found)
        done.add(year)
        count(progress, "计分并生成年度页面", len(done), total, "个年度")
    for year in list(held):
        make(year, held.pop(year))
    while (year := queue.take()) is not None:
        make(year, ahead.pop(year, None))
    ahead.clear()
    for year, made in job.year_results():
        if year in ledger.years and year not in done:
            output.add(made)
            done.add(year)
    for year in sorted(ledger.years):  # a failed child's years
        if year not in done:
            make(year, None)
    count(progress, "计分并生成年度页面", len(done), total, "个年度")
    return parts[0]


def _finisher(prep: YearPrep, point_commit: Callable[[Point], str | None],
              corrections: Callable[[int, int], list[Any]]) -> Callable[[int], dict[str, bytes]]:
    return lambda year: finish_year(prep, year, point_commit, corrections)


def year_job(writer: SiteWriter, source: dict[str, Any], kept: YearCache | None
             ) -> Callable[[Ledger, Callable[[Point], str | None],
                            Callable[[int, int], list[Any]]], Callable[[int], Any]]:
    """For the audit child (:class:`~scoring.auditjob.SharedYears`): given its ledger, labels
    and 更正 lists, what makes one year there (from the cache or anew) and writes its files."""
    def job(ledger: Ledger, point_commit: Callable[[Point], str | None],
            corrections: Callable[[int, int], list[Any]]) -> Callable[[int], Any]:
        items = item_index(ledger)
        output = YearOutput(ledger, items, writer, kept)
        make = year_maker(ledger, items, source, point_commit, corrections)
        return lambda year: output.make(year, make)
    return job


class YearPrep(NamedTuple):
    """A year scored, with the files that need nothing from git's history (see
    :func:`render_shared`): its site view (no audit yet) and its data files."""

    site: Site
    files: dict[str, bytes]


def prepare_year(ledger: Ledger, y: int, items: dict[str, Info],
                 source: dict[str, Any] | None = None) -> YearPrep:
    """Year ``y`` scored as of each month, from that year alone (:func:`year_view`), and its
    data files."""
    view, view_items = year_view(ledger, y, items)
    year = view.years[y]
    monthly = score_year_to_date(year, view_items)
    annual = monthly[year.through] if year.months else score_year(year, view_items)
    site = Site(view, {y: annual}, {y: monthly}, view_items, source or NO_SOURCE, None, None)
    return YearPrep(site, data_files({y: annual}, source))


def finish_year(prep: YearPrep, y: int, point_commit: Callable[[Point], str | None] | None,
                corrections: Callable[[int, int], list[Any]] | None) -> dict[str, bytes]:
    """A prepared year's files: its data files and its pages, with the audit's commit labels
    and 更正 lists (``point_commit`` and ``corrections`` come from git's history and tags, as
    the year's cache key does, :func:`scoring.yearjobs.year_key`)."""
    site = prep.site._replace(point_commit=point_commit, corrections=corrections)
    files = dict(prep.files)
    for path, text in year_pages(site, y):
        files[path] = text.encode("utf-8")
    return files


def year_pages(site: Site, y: int) -> list[tuple[str, str]]:
    """The pages of year ``y``: rules, monthly bulletins, annual notice, unit pages."""
    year = site.ledger.years[y]
    pages = [(f"{y}/rules.html", render("rules.html", rules_page(site, y)))]
    if not year.months:
        return pages
    for m in sorted(year.months):
        pages.append((f"{y}/{m:02d}.html", render("bulletin.html", bulletin_page(site, y, m))))
    pages.append((f"{y}/annual.html", render("annual.html", annual_page(site, y))))
    for unit in year.units:
        pages.append((f"{y}/units/{unit.id}.html",
                      render("unit.html", unit_page(site, y, unit.id))))
    return pages
