"""Rendering the whole site: score every year (and every month to date), then every page.

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
from typing import Any

from .model import Ledger
from .pages_annual import annual_page
from .pages_bulletin import bulletin_page
from .pages_common import Site
from .pages_index import index_page, rules_page
from .pages_unit import unit_page
from .render_env import render, static_files
from .results import Point, YearScore
from .score import item_index, score_year
from .writer import SiteWriter

NO_SOURCE: dict[str, Any] = {"commit": None, "dirty": False}


def gather(ledger: Ledger, source: dict[str, Any] | None = None,
           point_commit: Callable[[Point], str | None] | None = None,
           scores: dict[int, YearScore] | None = None,
           corrections: Callable[[int, int], list[Any]] | None = None) -> Site:
    """Score every year as of each of its months; ``scores`` reuses the annual scoring."""
    items = item_index(ledger)
    monthly = {y: {m: score_year(yl, items, m) for m in sorted(yl.months)}
               for y, yl in sorted(ledger.years.items())}
    if scores is None:
        scores = {y: score_year(yl, items) for y, yl in sorted(ledger.years.items())}
    return Site(ledger, scores, monthly, items, source or NO_SOURCE, point_commit, corrections)


def render_site(ledger: Ledger, writer: SiteWriter,
                progress: Callable[[str], None] | None = None,
                source: dict[str, Any] | None = None,
                point_commit: Callable[[Point], str | None] | None = None,
                scores: dict[int, YearScore] | None = None,
                corrections: Callable[[int, int], list[Any]] | None = None) -> None:
    """Add every page and static file of the site to ``writer``.

    ``corrections``: the audit's ``(year, month) → 更正`` entries of that month's bulletin.
    """
    site = gather(ledger, source, point_commit, scores, corrections)
    for path, content in static_files().items():
        writer.add(path, content)
    writer.add("index.html", render("index.html", index_page(site)))
    for y, year in sorted(ledger.years.items()):
        if progress:
            progress(f"生成 {y} 年度通报与单位页面")
        writer.add(f"{y}/rules.html", render("rules.html", rules_page(site, y)))
        if not year.months:
            continue
        for m in sorted(year.months):
            writer.add(f"{y}/{m:02d}.html", render("bulletin.html", bulletin_page(site, y, m)))
        writer.add(f"{y}/annual.html", render("annual.html", annual_page(site, y)))
        for unit in year.units:
            writer.add(f"{y}/units/{unit.id}.html",
                       render("unit.html", unit_page(site, y, unit.id)))
