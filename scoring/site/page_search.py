"""Finding a record: ``search.html`` and its index, written by the build, used offline.

The index lists every submitted item (``[[info]]``) of every year: its OA number, title, unit
and month, and the anchor of its row on the unit's page (the first point it scored, else the
month's row of 逐月情况). It is written twice with the same content: ``data/search.json`` for
scripts, and ``data/search.js``, which the page loads with a ``<script>`` tag, since a browser
refuses ``fetch()`` of a local file when the site is opened from disk (``file://``).

Compact rows keep it small (the demo year's 4,477 items: 0.46 MB): ``units`` maps
``year`` → unit id → name, and each record is ``[year, month, unit id, OA number, title,
anchor]``. The page matches substrings (enough for Chinese titles at this size): every word
typed must occur in the OA number, the title or the unit's name.
"""
from __future__ import annotations

import json

from .common import Site, page_base
from .env import PageBase
from .page_unit import month_anchor, oa_anchor, point_anchors

INDEX_JS = "data/search.js"
INDEX_JSON = "data/search.json"
JS_GLOBAL = "KAOPING_SEARCH"


class SearchContext(PageBase):
    """Context of ``search.html``."""

    records: int
    years: list[int]


def year_records(site: Site, y: int) -> list[list[str | int]]:
    """One year's rows of the index."""
    year = site.ledger.years[y]
    anchored: set[str] = set()
    if y in site.scores:
        for s in site.scores[y].units:
            anchored.update(a for a in point_anchors(s.points) if a)
    records: list[list[str | int]] = []
    for m in sorted(year.months):
        for unit_month in year.months[m].values():
            for info in unit_month.info:
                anchor = oa_anchor(info.oa)
                records.append([y, m, info.unit, info.oa, info.title,
                                anchor if anchor in anchored else month_anchor(m)])
    return records


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def search_files(site: Site, rows: dict[int, tuple[str, int]]) -> tuple[dict[str, bytes], int]:
    """The index as JSON and as a script, and the number of records. ``rows``: each year's
    records as JSON text without the brackets, and their number (:func:`year_rows`); the
    result is ``json.dumps`` of the whole index, byte for byte."""
    units = {str(y): {u.id: u.name for u in site.ledger.years[y].units}
             for y in sorted(site.ledger.years)}
    records = ",".join(rows[y][0] for y in sorted(rows) if rows[y][1])
    text = f'{{"units":{dumps(units)},"records":[{records}]}}'
    script = f"window.{JS_GLOBAL} = {text};\n"
    return ({INDEX_JSON: (text + "\n").encode("utf-8"), INDEX_JS: script.encode("utf-8")},
            sum(n for _, n in rows.values()))


def year_rows(site: Site, y: int) -> tuple[str, int]:
    """One year's records as :func:`search_files` takes them."""
    records = year_records(site, y)
    return dumps(records)[1:-1], len(records)


def search_page(site: Site, records: int) -> SearchContext:
    return SearchContext(**page_base(site, "查找记录", "", None), records=records,
                         years=sorted(site.ledger.years))
