"""Printing without waste (Chromium's PDF of the demonstration year).

No printed page of the annual notice or of a bulletin holds fewer than three rows of a table
unless the table has fewer; the table header is printed again on every page a table continues
on; the 公示 sheet prints on exactly one landscape page with every unit on it.

Rows are found on the pages by their heading cell (the unit's name, the item's title), in
document order: each table's rows are looked for after its caption, each row after the one
before, so that a name also printed elsewhere (the notice's body, a chart) is not mistaken for
a row.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from browserkit import needs_chromium
from ledgerkit import make_ledger
from sitekit import DEMO_LEDGER, GOLDEN_SOURCE, build_into, demo_has_months

pytestmark = [needs_chromium,
              pytest.mark.skipif(not demo_has_months(), reason="the demo ledger has no months")]
# Each table of the page's main part: caption, header text, and each body row's heading cell.
TABLES_JS = """() => Array.from(document.querySelectorAll('main table')).map(t => ({
  caption: t.caption ? t.caption.innerText : '',
  header: t.tHead ? Array.from(t.tHead.rows[0].cells).map(c => c.innerText).join('') : '',
  rows: Array.from(t.tBodies).flatMap(b => Array.from(b.rows))
             .map(r => (r.querySelector('th') || r.cells[0]).innerText)}))"""
MIN_ROWS = 3
MM = 72 / 25.4
A3 = (420 * MM, 297 * MM)
A4 = (297 * MM, 210 * MM)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_into(DEMO_LEDGER, tmp_path_factory.mktemp("print") / "output", GOLDEN_SOURCE)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def find(key: str, text: str, start: int) -> int:
    """The end of the first occurrence of ``key`` in ``text`` at or after ``start``; -1 if none.

    The PDF's text maps some glyphs to look-alike code points (民 as the radical ⺠, 户 as 戶,
    — as ―): a radical stands for any character, and one non-ASCII character in five may
    differ; ASCII characters (digits, Latin letters) must agree.
    """
    n = len(key)
    allowed = sum(ord(c) >= 0x80 for c in key) // 5
    for i in range(start, len(text) - n + 1):
        misses = 0
        for a, b in zip(key, text[i:i + n], strict=True):
            if a == b or 0x2E80 <= ord(b) < 0x2FE0:
                continue
            misses += 1
            if ord(a) < 0x80 or ord(b) < 0x80 or misses > allowed:
                break
        else:
            return i + n
    return -1


def print_pages(browser: Any, page_file: Path, pdf: Path) -> tuple[list[dict[str, Any]], list[Any]]:
    """The page's tables (as TABLES_JS reads them) and its printed PDF pages."""
    pypdf = pytest.importorskip("pypdf")
    page = browser.new_page()
    page.goto(page_file.as_uri(), wait_until="load")
    tables = page.evaluate(TABLES_JS)
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    page.close()
    return tables, list(pypdf.PdfReader(str(pdf)).pages)


def rows_per_page(tables: list[dict[str, Any]], texts: list[str]) -> list[dict[int, int]]:
    """For each table, page number → how many of its rows that page prints."""
    found: list[dict[int, int]] = []
    at, pos = 0, 0
    for table in tables:
        counts: dict[int, int] = {}
        for key in ([table["caption"]] if table["caption"] else []) + table["rows"]:
            while at < len(texts) and find(squeeze(key), texts[at], pos) < 0:
                at, pos = at + 1, 0
            assert at < len(texts), f"not printed: {table['caption']} {key}"
            pos = find(squeeze(key), texts[at], pos)
            if key is not table["caption"]:
                counts[at + 1] = counts.get(at + 1, 0) + 1
        found.append(counts)
    return found


def demo_pages() -> list[str]:
    months = sorted(p.name for p in (DEMO_LEDGER / "2023").iterdir()
                    if p.is_dir() and re.fullmatch(r"\d\d", p.name))
    return ["2023/annual.html", *(f"2023/{m}.html" for m in months)]


@pytest.mark.parametrize("rel", demo_pages())
def test_no_page_holds_fewer_than_three_rows(browser: Any, site: Path, tmp_path: Path,
                                             rel: str) -> None:
    tables, pages = print_pages(browser, site / rel, tmp_path / "page.pdf")
    texts = [squeeze(p.extract_text()) for p in pages]
    assert tables and len(pages) > 1
    for table, counts in zip(tables, rows_per_page(tables, texts), strict=True):
        assert sum(counts.values()) == len(table["rows"])
        if len(counts) > 1:  # a table over several pages: at least three rows on each
            assert min(counts.values()) >= MIN_ROWS, (table["caption"], counts)
        for n in sorted(counts)[1:]:  # the header again on every page it continues on
            assert find(squeeze(table["header"]), texts[n - 1], 0) >= 0, (table["caption"], n)


def test_the_split_rule_is_tested_on_split_tables(browser: Any, site: Path,
                                                 tmp_path: Path) -> None:
    """The rule above has something to check: the demo's tables do run over pages."""
    tables, pages = print_pages(browser, site / "2023" / "annual.html", tmp_path / "a.pdf")
    counts = rows_per_page(tables, [squeeze(p.extract_text()) for p in pages])
    assert sum(len(c) > 1 for c in counts) >= 2


def unit_names(ledger: Path) -> list[str]:
    text = (ledger / "2023" / "units.toml").read_text(encoding="utf-8")
    return re.findall(r'^name = "(.+)"$', text, re.M)


def three_categories(tmp_path: Path) -> Path:
    """The 47 units of 2023 in three categories (the 四类 units joined to 三类: 20 rows)."""
    ledger = make_ledger(tmp_path, months=("2023/01", "2023/02"))
    units = ledger / "2023" / "units.toml"
    units.write_text(units.read_text(encoding="utf-8").replace("category = 4", "category = 3"),
                     encoding="utf-8")
    return ledger


def name_sizes(page: Any, names: list[str]) -> dict[str, float]:
    """Each name's font size (pt) as printed, from the runs that spell it (Chromium writes a
    run per glyph cluster: the runs are joined, each character keeping its run's size)."""
    chars: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        scale = abs(tm[3] or 1) * abs(cm[3] or 1)
        chars.extend((c, size * scale) for c in squeeze(text))
    page.extract_text(visitor_text=visit)
    text = "".join(c for c, _ in chars)
    sizes: dict[str, float] = {}
    for name in names:
        end = find(squeeze(name), text, 0)
        if end >= 0:
            sizes[name] = chars[end - 1][1]
    return sizes


@pytest.mark.parametrize("which", ["demo", "three categories"])
def test_gongshi_prints_on_one_landscape_sheet(browser: Any, site: Path, tmp_path: Path,
                                               which: str) -> None:
    pypdf = pytest.importorskip("pypdf")
    if which == "demo":
        ledger, out = DEMO_LEDGER, site
    else:
        ledger = three_categories(tmp_path)
        out = build_into(ledger, tmp_path / "output")
    names = unit_names(ledger)
    assert len(names) == 47
    page = browser.new_page()
    page.goto((out / "2023" / "gongshi.html").as_uri(), wait_until="load")
    page.pdf(path=str(tmp_path / "a3.pdf"), prefer_css_page_size=True)      # @page: A3
    page.pdf(path=str(tmp_path / "a4.pdf"), format="A4", landscape=True)     # A4 chosen
    page.close()
    for pdf, size in (("a3.pdf", A3), ("a4.pdf", A4)):
        pages = pypdf.PdfReader(str(tmp_path / pdf)).pages
        assert len(pages) == 1, pdf
        box = pages[0].mediabox
        assert abs(float(box.width) - size[0]) < 2 and abs(float(box.height) - size[1]) < 2
        text = squeeze(pages[0].extract_text())
        missing = [n for n in names if find(squeeze(n), text, 0) < 0]
        assert not missing, (pdf, missing)
        if pdf == "a3.pdf":  # large type: every name at 16 pt or more on the posted A3 sheet
            sizes = name_sizes(pages[0], names)
            assert sizes and min(sizes.values()) >= 16, sizes
