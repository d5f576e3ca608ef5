"""Debian's Chromium for the browser tests, through Playwright (which never downloads one).

``needs_chromium`` skips a test where ``/usr/bin/chromium`` is not installed (CI installs it);
``launch()`` starts it headless with the flags this machine's closed network needs;
``glyph_runs`` and ``lines`` read a printed PDF's text with its positions (pypdf).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent")


@contextmanager
def launch() -> Iterator[Any]:
    """A Chromium browser (Playwright's ``Browser``), closed afterwards."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Glyphs(NamedTuple):
    """A run of text as the PDF places it: left x, baseline y, size (pt), text."""

    x: float
    y: float
    size: float
    text: str

    @property
    def right(self) -> float:
        return self.x + sum(self.size * (0.55 if ord(c) < 0x2000 else 1.0) for c in self.text)


def glyph_runs(page: Any) -> list[Glyphs]:
    """A pypdf page's text runs with their positions (Chromium writes a run per glyph cluster)."""
    runs: list[Glyphs] = []

    def visit_text(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append(Glyphs(x, y, size * abs(cm[0] or cm[3] or 1),
                               unicodedata.normalize("NFKC", text.strip())))
    page.extract_text(visitor_text=visit_text)
    return runs


def lines(runs: list[Glyphs]) -> list[tuple[str, list[Glyphs]]]:
    """Runs joined into lines, top to bottom: (text, the line's runs left to right)."""
    rows: dict[float, list[Glyphs]] = {}
    for r in runs:
        rows.setdefault(round(r.y), []).append(r)
    return [("".join(r.text for r in sorted(row)), sorted(row))
            for _, row in sorted(rows.items(), reverse=True)]
