"""The one Jinja environment of the site: templates and static files from ``site_src/``.

Every page is rendered here, with autoescaping on for every template: ledger text (titles,
notes, names) always reaches the page as text. Filters for amounts and dates live here too, so
that every page writes a number or a date the same way.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any, TypedDict

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..rulebook.results import format_points
from . import SITE_SRC
from .mdtext import markdown_to_html

TEMPLATES = SITE_SRC / "templates"
STATIC = SITE_SRC / "static"
CN_DIGITS = "〇一二三四五六七八九"


class PageBase(TypedDict):
    """What ``base.html`` needs on every page.

    root: relative prefix from the page to the site root (``""``, ``"../"``, ``"../../"``).
    demo: the page shows a 示例数据 year. draft: the ledger has uncommitted changes (草稿).
    commit: the ledger commit's short hash, when known. year: the page's year, or None.
    """

    title: str
    root: str
    demo: bool
    draft: bool
    commit: str | None
    year: int | None


def points(amount: Decimal | int) -> str:
    """An amount as the pages print it: ``97.4``, ``100``, ``-30``."""
    return format_points(Decimal(amount))


def signed(amount: Decimal | int) -> str:
    """An amount with its sign: ``+30``, ``-20``, ``0``."""
    text = points(amount)
    return text if text.startswith("-") or text == "0" else f"+{text}"


def cn_date(value: dt.date) -> str:
    """成文日期 style: ``2024年1月15日`` (GB/T 9704-2012 7.3.5: Arabic numerals, no padding)."""
    return f"{value.year}年{value.month}月{value.day}日"


def cn_number(n: int) -> str:
    """Small counts in Chinese numerals (``十二``), for ordinal headings such as 第一季度."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return f"{CN_DIGITS[tens] if tens > 1 else ''}十{CN_DIGITS[ones] if ones else ''}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The site's Jinja environment (built once): strict, autoescaping, with the site filters."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters.update({"points": points, "signed": signed, "cn_date": cn_date,
                        "cn_number": cn_number, "markdown": markdown_to_html})
    return env


def render(template: str, context: Mapping[str, Any]) -> str:
    """Render one page. Contexts are TypedDicts; Jinja takes them as plain mappings."""
    return environment().get_template(template).render(**context)


def static_files() -> dict[str, bytes]:
    """``static/<name>`` → content for every file of ``site_src/static`` (sorted, byte-exact)."""
    return {f"static/{p.relative_to(STATIC).as_posix()}": p.read_bytes()
            for p in sorted(STATIC.rglob("*")) if p.is_file()}
