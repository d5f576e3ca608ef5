"""Rendering the whole site: every year scored (each month to date) and its pages made.

Every file is handed to the :class:`~.writer.SiteWriter`, with the static files of
``site_src/static``; the writer swaps the finished tree in. Page paths (SPEC §5)::

    index.html                     entry: latest bulletin, months, notices, units, rules
    changes.html                   the change log (from the audit trail)
    search.html                    find a record by OA number, title or unit (data/search.js)
    <YYYY>/<MM>.html               monthly bulletin
    <YYYY>/annual.html             annual notice (GB/T 9704-2012 when printed)
    <YYYY>/gongshi.html            the 公示 sheet: every category's ranking on one landscape page
    <YYYY>/rules.html              the year's rulebook as tables
    <YYYY>/units/<id>.html         one unit's year with every point's provenance
    data/<YYYY>.json, .csv         the year's scores
    data/<YYYY>.xlsx               the year's workbook: rankings, monthly figures, every point
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from ..audit.trail import Trail
from ..ledger.model import Ledger, YearLedger
from ..progress import Progress
from ..reuse import Reuse, kept
from ..rulebook.score import item_index, score_year, score_year_to_date
from .common import Site, Source, is_demo
from .env import render, static_files
from .export import year_data_files
from .page_annual import annual_page
from .page_bulletin import bulletin_page
from .page_changes import changes_page
from .page_gongshi import gongshi_page
from .page_index import index_page, rules_page
from .page_search import search_files, search_page, year_rows
from .page_unit import unit_page
from .workbook import year_workbook
from .writer import SiteWriter


def years_through(ledger: Ledger, y: int) -> tuple[YearLedger, ...]:
    """The years a year's scores are made from: itself and those before (an adoption may
    name an item of an earlier year)."""
    return tuple(year for x, year in sorted(ledger.years.items()) if x <= y)


def score_site(ledger: Ledger, source: Source, trail: Trail | None = None,
               reuse: Reuse | None = None) -> Site:
    """Every year scored: through its last month, and as of each month."""
    items = item_index(ledger, reuse)
    monthly = {y: kept(reuse, ("scores", y), years_through(ledger, y),
                       partial(score_year_to_date, year, items))
               for y, year in sorted(ledger.years.items())}
    scores = {y: monthly[y][year.through] if year.months else score_year(year, items)
              for y, year in ledger.years.items()}
    return Site(ledger, scores, monthly, items, source, trail)


def shared_inputs(site: Site) -> tuple[object, ...]:
    """What a page of any year shows besides its year: the ledger's commit stamp, the
    history, and which years, months and units there are (links, 更正 lists, the banner)."""
    shape = tuple((y, tuple(sorted(year.months)), year.units, is_demo(year))
                  for y, year in sorted(site.ledger.years.items()))
    # the working tree's record commits are a year's own: they follow from the history and
    # that year's files (in years_through)
    history = site.trail._replace(record_commits={}) if site.trail is not None else None
    return site.source, history, shape


def render_site(site: Site, writer: SiteWriter, progress: Progress | None = None,
                reuse: Reuse | None = None, workbooks: bool = True) -> None:
    """Add every file of the site to ``writer`` (``workbooks=False``: all but the workbooks,
    which :func:`render_workbooks` adds). ``reuse``: a year whose inputs are unchanged since
    the last rebuild is not rendered again (``serve``, :mod:`scoring.reuse`)."""
    for path, content in static_files().items():
        writer.add(path, content)
    shared = shared_inputs(site)
    writer.add("changes.html", kept(reuse, ("changes",), shared, partial(
        page, "changes.html", changes_page, site.ledger, site.source, site.trail)))
    years = sorted(site.ledger.years)
    rows = {}
    for done, y in enumerate(years, 1):
        inputs = (shared, years_through(site.ledger, y))
        for path, content in kept(reuse, ("year", y), inputs, partial(year_files, site, y)).items():
            writer.add(path, content)
        for path, (page_inputs, make) in year_pages(site, y, shared).items():
            writer.add(path, kept(reuse, ("page", path), page_inputs, make))
        rows[y] = kept(reuse, ("search", y), inputs, partial(year_rows, site, y))
        if progress is not None:
            progress.count("生成页面", done, len(years), "个年度")
    index, records = search_files(site, rows)
    for path, content in index.items():
        writer.add(path, content)
    writer.add("search.html", render("search.html", search_page(site, records)))
    if workbooks:
        render_workbooks(site, writer, reuse)
    # last: the index links the files written before it (the 公示 sheet, the workbook)
    present = writer.files.keys() | writer.written | workbook_paths(site).keys()
    writer.add("index.html", render("index.html", index_page(site, present)))


def workbook_paths(site: Site) -> dict[str, int]:
    """``data/<YYYY>.xlsx`` → year, for every year with months."""
    return {f"data/{y}.xlsx": y for y, year in sorted(site.ledger.years.items()) if year.months}


def render_workbooks(site: Site, writer: SiteWriter, reuse: Reuse | None = None) -> None:
    """Every year's workbook (the slowest file of a year: 0.25 s for a district's)."""
    shared = shared_inputs(site)
    for path, y in workbook_paths(site).items():
        writer.add(path, kept(reuse, ("workbook", y), (shared, years_through(site.ledger, y)),
                              partial(year_workbook, site, y)))


def year_pages(site: Site, y: int, shared: tuple[object, ...]
               ) -> dict[str, tuple[object, Callable[[], bytes]]]:
    """The bulletins and unit pages of a year, each with what it shows and how it is made.

    Their inputs are narrower than the year's, since a save touches one unit in one month:
    a bulletin shows the year to date (a later month's save leaves it as it was), and a
    unit's page shows its own files, scores and commits, and of the other units only its
    ranks (every field of a unit's score but the ranks follows from its own files)."""
    year = site.ledger.years[y]
    before = (shared, years_through(site.ledger, y)[:-1], year.units, year.rules)
    pages: dict[str, tuple[object, Callable[[], bytes]]] = {}
    months = sorted(year.months)
    for m in months:
        upto = tuple((k, year.months[k]) for k in months if k <= m)
        pages[f"{y}/{m:02d}.html"] = ((before, year.bulletins_md.get(m), upto), partial(
            page, "bulletin.html", bulletin_page, site, y, m))
    if not months:
        return pages
    score, monthly = site.scores[y], sorted(site.monthly[y].items())
    for pos, unit in enumerate(year.units):
        ranks = tuple((m, s.units[pos].rank_in_category, s.units[pos].rank_overall)
                      for m, s in monthly)
        files = tuple(year.months[m].get(unit.id) for m in months)
        pages[f"{y}/units/{unit.id}.html"] = (
            (before, months, files, ranks, score.final, score.through),
            partial(page, "unit.html", unit_page, site, y, unit.id))
    return pages


def page(template: str, context: Callable[..., Mapping[str, Any]], *args: object) -> bytes:
    return render(template, context(*args)).encode("utf-8")


def year_files(site: Site, y: int) -> dict[str, bytes]:
    """One year's pages but those of :func:`year_pages` (rules, the annual notice, the 公示
    sheet) and its data files, by output path."""
    year = site.ledger.years[y]
    files = {f"{y}/rules.html": render("rules.html", rules_page(site, y))}
    if year.months:
        files[f"{y}/annual.html"] = render("annual.html", annual_page(site, y))
        files[f"{y}/gongshi.html"] = render("gongshi.html", gongshi_page(site, y))
    return {path: page.encode("utf-8") for path, page in files.items()} | year_data_files(
        site.scores[y], site.source)
