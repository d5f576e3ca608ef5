"""The one Jinja environment of the site: templates and static files from ``site_src/``.

Every page is rendered here, with autoescaping on for every template: ledger text (titles,
notes, names) always reaches the page as text. Filters for amounts and dates live here too, so
that every page writes a number or a date the same way.
"""
from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, TypedDict

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, Template
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from .markdown_text import markdown_parser, markdown_to_html
from .score import format_points

try:  # markupsafe's escaping of a str, without the Markup wrapper (a C function)
    from markupsafe import _escape_inner
except ImportError:  # pragma: no cover - another markupsafe: the public function, same text
    def _escape_inner(s: str, /) -> str:
        return str(escape(s))

SITE_SRC = Path(__file__).resolve().parent.parent / "site_src"
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


@lru_cache(maxsize=1 << 14)
def points(amount: Decimal | int) -> str:
    """An amount as the pages print it: ``97.4``, ``100``, ``-30``.

    Kept: a site prints a few thousand amounts, tens of thousands of times (equal amounts,
    such as ``97.40`` and ``97.4``, print the same)."""
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


_DICT_ATTRIBUTES = frozenset(dir(dict))


def output_escape(value: Any) -> str:
    """What ``{{ value }}`` writes: ``markupsafe.escape(value)``, as the same text.

    markupsafe 3's ``escape`` is a Python function that wraps its result in ``Markup`` (two
    more calls); a page has thousands of ``{{ … }}``, and a template only joins what they
    give, so the plain escaped text serves. A str is escaped by the same C function; an int
    prints only digits and a sign; ``Markup`` is already safe (``escape`` returns its text);
    anything else (``Decimal``…) goes through ``escape`` itself.
    """
    kind = type(value)
    if kind is str:
        return _escape_inner(value)
    if kind is int:
        return str(value)
    if kind is Markup:
        return value
    return escape(value)


class _Template(Template):
    """A template whose ``{{ … }}`` escape with :func:`output_escape`.

    The compiled template looks ``escape`` up among its module's globals, which every block
    and macro of the template share: setting it there once covers them all.
    """

    @classmethod
    def from_code(cls, environment: Environment, code: Any, globals: Any,
                  uptodate: Callable[[], bool] | None = None) -> Template:
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = output_escape
        return template


class _Environment(Environment):
    """Jinja's environment with a faster ``x.key`` for page contexts, which are plain dicts.

    Jinja tries ``getattr(x, "key")`` first and ``x["key"]`` after the AttributeError; on a
    dict only dict's own attributes (``items``…) succeed the first way, so the result is the
    same, without raising and catching an exception per value shown (a tenth of a build).
    Anything else takes Jinja's first step here, and Jinja's whole way only when it fails.
    Its templates are :class:`_Template`.
    """

    template_class = _Template

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        try:  # Jinja's own first step (a record's field…), without looking up super()
            return getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)


class _CompiledTemplates(FileSystemBytecodeCache):
    """Compiled templates kept as Python keeps compiled modules: in Jinja's per-user folder of
    the system's temporary directory, each under its template's name and checked against the
    SHA-1 of its source (and Python's version) before use. Compiling the site's templates
    takes 0.06 s, loading them 0.002 s. Nothing in the ledger enters them, and a failure to
    keep one only means compiling it next time."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()  # unreadable: compiled again (and kept anew)


def _compiled_templates() -> FileSystemBytecodeCache | None:
    try:
        return _CompiledTemplates()
    except (OSError, RuntimeError):  # no private temporary folder: compile every time
        return None


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The site's Jinja environment (built once): strict, autoescaping, with the site filters."""
    return make_environment(_compiled_templates())


def make_environment(compiled: FileSystemBytecodeCache | None) -> Environment:
    """A site environment keeping its compiled templates in ``compiled`` (or nowhere)."""
    env = _Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, bytecode_cache=compiled,
                      auto_reload=False)  # templates do not change while a build runs
    filters: dict[str, Callable[..., Any]] = {
        "points": points, "signed": signed, "cn_date": cn_date, "cn_number": cn_number,
        "markdown": markdown_to_html,
    }
    env.filters.update(filters)
    return env


def macro(name: str) -> Callable[..., Markup]:
    """A macro of ``_macros.html``, for a page builder to render a piece once that its page
    shows many times (a unit's link)."""
    module = environment().get_template("_macros.html").module
    return getattr(module, name)  # type: ignore[no-any-return]


def render(template: str, context: PageBase | dict[str, Any]) -> str:
    """Render one page. Contexts are TypedDicts; Jinja takes them as plain mappings."""
    return environment().get_template(template).render(**context)


def compile_templates() -> None:
    """Compile (or load) every template now, and make the Markdown parser their filter uses:
    the processes forked to render years then share them instead of each making its own."""
    env = environment()
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    markdown_parser()


def static_files() -> dict[str, bytes]:
    """``static/<name>`` → content for every file of ``site_src/static`` (sorted, byte-exact)."""
    return {f"static/{p.relative_to(STATIC).as_posix()}": p.read_bytes()
            for p in sorted(STATIC.rglob("*")) if p.is_file()}
