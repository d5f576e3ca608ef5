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

from ..audit.trail import Trail
from ..ledger.model import Ledger
from ..progress import Progress
from ..rulebook.score import item_index, score_year, score_year_to_date
from .common import Site, Source
from .env import render, static_files
from .export import data_files
from .page_annual import annual_page
from .page_bulletin import bulletin_page
from .page_changes import changes_page
from .page_gongshi import gongshi_page
from .page_index import index_page, rules_page
from .page_search import search_files, search_page
from .page_unit import unit_page
from .workbook import workbook_files
from .writer import SiteWriter


def score_site(ledger: Ledger, source: Source, trail: Trail | None = None) -> Site:
    """Every year scored: through its last month, and as of each month."""
    items = item_index(ledger)
    monthly = {y: score_year_to_date(year, items) for y, year in ledger.years.items()}
    scores = {y: monthly[y][year.through] if year.months else score_year(year, items)
              for y, year in ledger.years.items()}
    return Site(ledger, scores, monthly, items, source, trail)


def render_site(site: Site, writer: SiteWriter, progress: Progress | None = None) -> None:
    """Add every file of the site to ``writer``."""
    for path, content in static_files().items():
        writer.add(path, content)
    writer.add("changes.html", render("changes.html",
                                      changes_page(site.ledger, site.source, site.trail)))
    for path, content in data_files(site.scores, site.source).items():
        writer.add(path, content)
    for path, content in workbook_files(site).items():
        writer.add(path, content)
    index, records = search_files(site)
    for path, content in index.items():
        writer.add(path, content)
    writer.add("search.html", render("search.html", search_page(site, records)))
    years = sorted(site.ledger.years)
    for done, y in enumerate(years, 1):
        render_year(site, y, writer)
        if progress is not None:
            progress.count("生成页面", done, len(years), "个年度")
    # last: the index links the files written before it (the 公示 sheet, the workbook)
    present = writer.files.keys() | writer.written
    writer.add("index.html", render("index.html", index_page(site, present)))


def render_year(site: Site, y: int, writer: SiteWriter) -> None:
    """One year's pages: rules, bulletins, the annual notice, the 公示 sheet and every
    unit's page."""
    year = site.ledger.years[y]
    writer.add(f"{y}/rules.html", render("rules.html", rules_page(site, y)))
    if not year.months:
        return
    for m in sorted(year.months):
        writer.add(f"{y}/{m:02d}.html", render("bulletin.html", bulletin_page(site, y, m)))
    writer.add(f"{y}/annual.html", render("annual.html", annual_page(site, y)))
    writer.add(f"{y}/gongshi.html", render("gongshi.html", gongshi_page(site, y)))
    for unit in year.units:
        writer.add(f"{y}/units/{unit.id}.html", render("unit.html", unit_page(site, y, unit.id)))
