"""What every page builder shares: the scored ledger, the source stamp, and ``PageBase``.

``Site`` is gathered once by :mod:`scoring.render_site` and handed to each page builder, which
returns the TypedDict context of one template. Builders only read; nothing here writes files.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any, NamedTuple

from markupsafe import Markup

from .model import Category, Info, Ledger, Unit, YearLedger
from .render_env import PageBase, macro
from .results import Point, UnitScore, YearScore

DEMO_MARK = "示例数据"


class Site(NamedTuple):
    """Everything the pages show.

    scores: year → the year scored through its last month (the annual figures).
    monthly: year → month → the year to date as of that month (bulletins, monthly ranks).
    items: OA number → item, across years. source: ``{"commit": sha|None, "dirty": bool}``.
    point_commit: the audit's ``Point → commit`` lookup, when it is available (a page is
        rendered with marks there, filled in once git's history is read: :mod:`.pagemarks`,
        as is a bulletin's 更正 section).
    """

    ledger: Ledger
    scores: dict[int, YearScore]
    monthly: dict[int, dict[int, YearScore]]
    items: dict[str, Info]
    source: dict[str, Any]
    point_commit: Callable[[Point], str | None] | None


def is_demo(year: YearLedger) -> bool:
    """A demonstration year: its notice or a bulletin says 示例数据 (SPEC §1 labels the demo)."""
    texts = [year.notice_md or "", *year.bulletins_md.values()]
    return any(DEMO_MARK in t for t in texts)


def short_commit(source: dict[str, Any]) -> str | None:
    commit = source.get("commit")
    return str(commit)[:7] if commit else None


def page_base(site: Site, title: str, root: str, year: int | None) -> PageBase:
    """The ``base.html`` part of a context; ``year`` decides the 示例数据 marker."""
    demo = is_demo(site.ledger.years[year]) if year is not None else False
    return PageBase(title=title, root=root, demo=demo, draft=bool(site.source.get("dirty")),
                    commit=short_commit(site.source), year=year)


def quarter_target(annual: int) -> int:
    """三(三)7: a quarter's share of an annual target, rounded up (⌈T/4⌉)."""
    return math.ceil(annual / 4)


def pace_target(annual: int, month: int) -> int:
    """What a unit should have reached by the end of ``month`` within its quarter.

    The quarter's share, pro rata to the months of the quarter elapsed, rounded up; at the
    quarter's last month it is the full quarterly target that 三(三)7 charges against.
    """
    elapsed = (month - 1) % 3 + 1
    return math.ceil(quarter_target(annual) * elapsed / 3)


def unit_href(root: str, year: int, unit: Unit) -> str:
    return f"{root}{year}/units/{unit.id}.html"


@lru_cache(maxsize=16)
def unit_links(root: str, year: int, units: tuple[Unit, ...]) -> dict[str, Markup]:
    """Unit id → the link to its page that the ``unit_link`` macro writes, made once for a
    year's pages in one folder rather than at every mention (a bulletin names a unit up to
    four times). Read only: the dict is shared."""
    link = macro("unit_link")
    return {u.id: link(root, year, u) for u in units}


def category_units(site: Site, score: YearScore) -> list[tuple[Category, list[UnitScore]]]:
    """Categories in id order, each with its units by category rank (ties in registry order)."""
    by_cat = score.by_category()
    categories = site.ledger.years[score.year].rules.categories
    return [(cat, by_cat.get(cid, [])) for cid, cat in sorted(categories.items())]
