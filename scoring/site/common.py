"""What every page model shares: the scored ledger, the audit's facts, and ``PageBase``.

``Site`` is gathered once by :mod:`.render` and handed to each page model, which returns the
TypedDict context of one template. Page models only read; nothing here writes files.
"""
from __future__ import annotations

import math
from typing import NamedTuple

from markupsafe import Markup

from ..audit.trail import Trail
from ..ledger.model import Category, Info, Ledger, Rules, Unit, YearLedger
from ..rulebook.charges import quarter_target
from ..rulebook.rank import by_category
from ..rulebook.results import UnitScore, YearScore
from .env import PageBase, environment

DEMO_MARK = "示例数据"


class Source(NamedTuple):
    """The ledger's commit (None outside git or before the first commit) and whether the
    ledger has uncommitted changes (the 草稿 stamp)."""

    commit: str | None = None
    dirty: bool = False


class Site(NamedTuple):
    """Everything the pages show.

    scores: year → the year scored through its last month (the annual figures).
    monthly: year → month → the year to date as of that month (bulletins, monthly ranks).
    items: OA number → item, across years. source: the ledger's commit stamp.
    trail: what git's history says of the records (commits, corrections); None when the
        build reads no history (the unit pages then have no 提交 column).
    """

    ledger: Ledger
    scores: dict[int, YearScore]
    monthly: dict[int, dict[int, YearScore]]
    items: dict[str, Info]
    source: Source
    trail: Trail | None


def cite(rules: Rules, clause: str) -> str:
    """A clause as pages cite it, ``考评办法三(一)``; empty when the rulebook gives none."""
    return f"{rules.wording.rulebook}{clause}" if clause else ""


def is_demo(year: YearLedger) -> bool:
    """A demonstration year: its notice or a bulletin says 示例数据 (SPEC §1 labels the demo)."""
    texts = [year.notice_md or "", *year.bulletins_md.values()]
    return any(DEMO_MARK in t for t in texts)


def current_is_demo(ledger: Ledger) -> bool:
    """The pages of no one year (index, change log) carry the 示例数据 banner only when the year
    they show first, the newest with a month (else the newest), is a demonstration year: the
    demo year kept beside a real one does not mark the real one's pages."""
    with_months = [y for y, year in ledger.years.items() if year.months]
    current = max(with_months or ledger.years, default=None)
    return current is not None and is_demo(ledger.years[current])


def short_commit(source: Source) -> str | None:
    return source.commit[:7] if source.commit else None


def page_base(site: Site, title: str, root: str, year: int | None) -> PageBase:
    """The ``base.html`` part of a context; ``year`` decides the 示例数据 marker."""
    demo = is_demo(site.ledger.years[year]) if year is not None else False
    return PageBase(title=title, root=root, demo=demo, draft=site.source.dirty,
                    commit=short_commit(site.source), year=year)


def pace_target(annual: int, month: int) -> int:
    """What a unit should have reached by the end of ``month`` within its quarter.

    The quarter's share, pro rata to the months of the quarter elapsed, rounded up; at the
    quarter's last month it is the full quarterly target that 三(三)7 charges against.
    """
    elapsed = (month - 1) % 3 + 1
    return math.ceil(quarter_target(annual) * elapsed / 3)


def unit_links(root: str, year: int, units: tuple[Unit, ...]) -> dict[str, Markup]:
    """Unit id → the link to its page, as the ``unit_link`` macro writes it."""
    link = environment().get_template("_macros.html").module.unit_link  # type: ignore[attr-defined]
    return {u.id: link(root, year, u) for u in units}


def category_units(site: Site, score: YearScore) -> list[tuple[Category, list[UnitScore]]]:
    """Categories in id order, each with its units by category rank (ties in registry order)."""
    by_cat = by_category(score.units)
    categories = site.ledger.years[score.year].rules.categories
    return [(cat, by_cat.get(cid, [])) for cid, cat in sorted(categories.items())]
