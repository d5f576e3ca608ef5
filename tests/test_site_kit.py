"""Helpers of the page tests (no tests here): building sites, reading their HTML back."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from scoring.pipeline import check_ledger, render_all
from scoring.problems import errors_in
from scoring.writer import SiteWriter

REPO = Path(__file__).resolve().parent.parent
GOLDEN_LEDGER = REPO / "tests" / "golden" / "ledger"
GOLDEN_SITE = REPO / "tests" / "golden" / "site"
DEMO_LEDGER = REPO / "ledger"
GOLDEN_SOURCE = {"commit": "0123456789abcdef0123456789abcdef01234567", "dirty": False}


def build_files(ledger_dir: Path, source: dict[str, Any] | None = None) -> dict[str, bytes]:
    """Validate and render a ledger; the site's files by relative path (nothing written)."""
    ledger, problems = check_ledger(ledger_dir)
    assert not errors_in(problems), [p.format() for p in problems]
    writer = SiteWriter()
    render_all(ledger, writer, None, source)
    return writer.files


def build_into(ledger_dir: Path, out: Path, source: dict[str, Any] | None = None) -> Path:
    """Validate, render and write a ledger's site into ``out``."""
    ledger, problems = check_ledger(ledger_dir)
    assert not errors_in(problems), [p.format() for p in problems]
    writer = SiteWriter()
    render_all(ledger, writer, None, source)
    writer.commit(out)
    return out


def demo_has_months() -> bool:
    """The demonstration year ships its months (they land with the demo data)."""
    return any(p.is_dir() and p.name.isdigit() for p in (DEMO_LEDGER / "2023").iterdir())


class Page(HTMLParser):
    """The parts of a page the tests look at: tags with attributes, ids, tables, lang."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.tables: list[dict[str, Any]] = []
        self._open_tables: list[dict[str, Any]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "table":
            self._open_tables.append({"caption": False, "th_without_scope": 0, "th": 0})
        elif tag == "caption" and self._open_tables:
            self._open_tables[-1]["caption"] = True
        elif tag == "th" and self._open_tables:
            self._open_tables[-1]["th"] += 1
            if not a.get("scope"):
                self._open_tables[-1]["th_without_scope"] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._open_tables:
            self.tables.append(self._open_tables.pop())

    def links(self) -> list[tuple[str, str]]:
        """Every (attribute, value) of href and src on the page."""
        return [(k, str(v)) for _, a in self.tags for k, v in a.items()
                if k in ("href", "src") and v is not None]
