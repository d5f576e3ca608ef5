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
from .pagemarks import PointMarks, fill_bulletin, fill_unit_page
from .pages_annual import annual_page
from .pages_bulletin import bulletin_page
from .pages_common import Site
from .pages_index import index_page, rules_page
from .pages_unit import unit_page
from .progress import count
from .render_env import compile_templates, render, static_files
from .results import Point
from .score import item_index, score_year, score_year_to_date
from .writer import SiteWriter
from .yearjobs import YearOutput, build_years, year_view

if TYPE_CHECKING:
    from .auditjob import AuditJob
    from .yearjobs import YearCache

NO_SOURCE: dict[str, Any] = {"commit": None, "dirty": False}


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
    whole = Site(ledger, {}, {}, items, source or NO_SOURCE, None)
    writer.add("index.html", render("index.html", index_page(whole)))


def render_shared(ledger: Ledger, writer: SiteWriter, job: AuditJob,
                  source: dict[str, Any], kept: YearCache | None = None,
                  progress: Callable[[str], None] | None = None) -> bytes:
    """:func:`render_site` with the audit child (``job``) as the second worker: each year is
    taken from ``job.years.queue`` (newest first) by this process or by the child once it
    has sent the audit's parts. Returns the change log page.

    While the child reads the history, this process takes years and renders them without it
    (:func:`draft_year`); when the parts come, it fills in and writes those years
    (:func:`fill_year`), then takes whatever is left."""
    assert job.years is not None
    queue = job.years.queue
    items = item_index(ledger)
    site_files(ledger, writer, items, source)
    output = YearOutput(ledger, items, writer, kept)
    held: dict[int, YearDraft | dict[str, bytes]] = {}
    while not job.ready():
        year = queue.take()
        if year is None:
            break
        held[year] = output.cached(year) or draft_year(
            prepare_year(ledger, year, items, source), year, show_commit=True)
    _, corrections, point_commit = parts = job.result(source)
    total, done = len(ledger.years), set()

    def make(year: int, found: YearDraft | dict[str, bytes] | None) -> None:
        if found is None:
            found = output.cached(year) or draft_year(
                prepare_year(ledger, year, items, source), year, show_commit=True)
        if isinstance(found, YearDraft):
            found = output.make(year, _filler(found, point_commit, corrections), look=False)
        output.add(found)
        done.add(year)
        count(progress, "计分并生成年度页面", len(done), total, "个年度")
    for year in list(held):
        make(year, held.pop(year))
    while (year := queue.take()) is not None:
        make(year, None)
    for year, made in job.year_results():
        if year in ledger.years and year not in done:
            output.add(made)
            done.add(year)
    for year in sorted(ledger.years):  # a failed child's years
        if year not in done:
            make(year, None)
    count(progress, "计分并生成年度页面", len(done), total, "个年度")
    return parts[0]


def _filler(draft: YearDraft, point_commit: Callable[[Point], str | None],
            corrections: Callable[[int, int], list[Any]]) -> Callable[[int], dict[str, bytes]]:
    return lambda year: fill_year(draft, point_commit, corrections)


def year_job(writer: SiteWriter, kept: YearCache | None
             ) -> Callable[[Ledger, Callable[[Point], str | None],
                            Callable[[int, int], list[Any]], dict[str, Any]],
                           Callable[[int], Any]]:
    """For the audit child (:class:`~scoring.auditjob.SharedYears`): given its ledger, labels,
    更正 lists and the build's commit stamp, what makes one year there (from the cache or
    anew) and writes its files."""
    def job(ledger: Ledger, point_commit: Callable[[Point], str | None],
            corrections: Callable[[int, int], list[Any]],
            source: dict[str, Any]) -> Callable[[int], Any]:
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
    site = Site(view, {y: annual}, {y: monthly}, view_items, source or NO_SOURCE, None)
    return YearPrep(site, data_files({y: annual}, source))


class YearDraft(NamedTuple):
    """A year's files rendered without git's history: its unit pages with a mark in each
    commit cell (and the points they stand for), its bulletins with one where the 更正 section
    goes (:mod:`scoring.pagemarks`). ``pages``: path → (content, the points of a unit page's
    marks, or the (year, month) of a bulletin, or None)."""

    pages: dict[str, tuple[bytes, list[Point] | tuple[int, int] | None]]


def draft_year(prep: YearPrep, y: int, show_commit: bool) -> YearDraft:
    """A prepared year's data files and pages, marked where the audit's labels and 更正 lists
    go (``show_commit``: the unit pages have a 提交 column)."""
    site = prep.site
    year = site.ledger.years[y]
    pages: dict[str, tuple[bytes, list[Point] | tuple[int, int] | None]] = {
        path: (content, None) for path, content in prep.files.items()}
    pages[f"{y}/rules.html"] = (render("rules.html", rules_page(site, y)).encode("utf-8"), None)
    if not year.months:
        return YearDraft(pages)
    for m in sorted(year.months):
        pages[f"{y}/{m:02d}.html"] = (
            render("bulletin.html", bulletin_page(site, y, m)).encode("utf-8"), (y, m))
    pages[f"{y}/annual.html"] = (render("annual.html", annual_page(site, y)).encode("utf-8"),
                                 None)
    for unit in year.units:
        marks = PointMarks()
        unit_site = site._replace(point_commit=marks.mark if show_commit else None)
        page = render("unit.html", unit_page(unit_site, y, unit.id)).encode("utf-8")
        pages[f"{y}/units/{unit.id}.html"] = (page, marks.points)
    return YearDraft(pages)


def fill_year(draft: YearDraft, point_commit: Callable[[Point], str | None] | None,
              corrections: Callable[[int, int], list[Any]] | None) -> dict[str, bytes]:
    """A drafted year's files, with the audit's commit labels and 更正 lists (``point_commit``
    and ``corrections`` come from git's history and tags, as the year's cache key does,
    :func:`scoring.yearjobs.year_key`)."""
    files: dict[str, bytes] = {}
    for path, (content, marked) in draft.pages.items():
        if isinstance(marked, list):
            content = fill_unit_page(content, marked, point_commit)
        elif marked is not None:
            y, m = marked
            content = fill_bulletin(content, "../" * path.count("/"),
                                    corrections(y, m) if corrections else [])
        files[path] = content
    return files


def finish_year(prep: YearPrep, y: int, point_commit: Callable[[Point], str | None] | None,
                corrections: Callable[[int, int], list[Any]] | None) -> dict[str, bytes]:
    """A prepared year's files: its data files and its pages, with the audit's commit labels
    and 更正 lists (:func:`draft_year`, then :func:`fill_year`)."""
    return fill_year(draft_year(prep, y, point_commit is not None), point_commit, corrections)
