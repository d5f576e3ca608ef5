"""The site in a real browser (Debian's Chromium through Playwright; it never downloads one).

Pages load without console errors from file:// and over HTTP; the annual notice prints as a
GB/T 9704-2012 document (A4 portrait, text inside the 156 × 225 mm text area, "— N —" page
numbers, each attachment on a new page); a bulletin prints landscape.
"""
from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from browserkit import glyph_runs, lines, needs_chromium
from sitekit import DEMO_LEDGER, GOLDEN_LEDGER, GOLDEN_SOURCE, build_into, demo_has_months

pytestmark = needs_chromium
MM = 72 / 25.4
A4 = (595.28, 841.89)
# GB/T 9704-2012: 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm (±1 mm)
AREA_LEFT, AREA_RIGHT = 28 * MM, (210 - 26) * MM
AREA_TOP, AREA_BOTTOM = A4[1] - 37 * MM, 35 * MM
TOL = 1 * MM
PAGES = ["index.html", "2023/01.html", "2023/03.html", "2023/annual.html", "2023/rules.html",
         "2023/units/fgw.html", "2023/units/kjj.html"]

LEDGERS = [pytest.param(GOLDEN_LEDGER, id="golden")]
if demo_has_months():
    LEDGERS.append(pytest.param(DEMO_LEDGER, id="demo"))


@pytest.fixture(scope="module", params=LEDGERS)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "output"
    return build_into(request.param, out, GOLDEN_SOURCE._replace(dirty=True))


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/some/path/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:  # serve the site under /some/path/
        return super().translate_path(path.removeprefix("/some/path"))

    def log_message(self, format: str, *args: Any) -> None:
        pass


def visit(browser: Any, url: str) -> list[str]:
    """Load ``url``; every console error, page error, failed or outside request."""
    page = browser.new_page()
    found: list[str] = []
    page.on("console", lambda m: found.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: found.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: found.append(f"failed: {r.url}"))
    page.on("request", lambda r: None if r.url.startswith(("file://", "http://127.0.0.1:"))
            else found.append(f"outside request: {r.url}"))
    response = page.goto(url, wait_until="load")
    if response is not None and not url.startswith("file:"):
        assert response.ok, url
    page.close()
    return found


def test_pages_load_cleanly_from_file(browser: Any, site: Path) -> None:
    for rel in PAGES:
        assert visit(browser, (site / rel).as_uri()) == [], rel


def test_pages_load_cleanly_over_http(browser: Any, server: str) -> None:
    for rel in PAGES:
        assert visit(browser, server + rel) == [], rel


def print_pdf(browser: Any, url: str, path: Path) -> Path:
    page = browser.new_page()
    page.goto(url, wait_until="load")
    page.pdf(path=str(path), prefer_css_page_size=True)
    page.close()
    return path


@pytest.fixture(scope="module")
def annual_pdf(browser: Any, site: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    pypdf = pytest.importorskip("pypdf")
    path = print_pdf(browser, (site / "2023" / "annual.html").as_uri(),
                     tmp_path_factory.mktemp("pdf") / "annual.pdf")
    return pypdf.PdfReader(str(path))


def test_annual_notice_is_a4_portrait(annual_pdf: Any) -> None:
    for page in annual_pdf.pages:
        box = page.mediabox
        assert abs(float(box.width) - A4[0]) <= 1 and abs(float(box.height) - A4[1]) <= 1


def test_annual_text_lies_in_the_text_area(annual_pdf: Any) -> None:
    outside = []
    for n, page in enumerate(annual_pdf.pages, 1):
        for r in glyph_runs(page):
            if r.y < AREA_BOTTOM - TOL:      # the bottom margin holds the page number only
                assert re.fullmatch(r"[—\d\s]+", r.text), (n, r)
            elif r.y > AREA_TOP + TOL:       # the top margin: 草稿 / 示例数据 / 暂定 marks
                assert re.fullmatch(r"[草稿示例数据暂定()（）截至\d月\s]+", r.text), (n, r)
            elif (r.x < AREA_LEFT - TOL or r.right > AREA_RIGHT + TOL
                  or r.y + r.size * 0.8 > AREA_TOP + TOL):
                outside.append((n, r))
    assert not outside


def test_annual_page_numbers(annual_pdf: Any) -> None:
    for n, page in enumerate(annual_pdf.pages, 1):
        text = unicodedata.normalize("NFKC", page.extract_text())
        assert re.search(rf"—\s*{n}\s*—", text), n
        numbers = [r for r in glyph_runs(page) if r.y < AREA_BOTTOM - TOL]
        # odd pages right, even pages left, one 4号 character in from the text area
        if n % 2:
            assert min(r.x for r in numbers) > A4[0] / 2
            assert max(r.right for r in numbers) <= AREA_RIGHT - 10
        else:
            assert max(r.x for r in numbers) < A4[0] / 2
            assert min(r.x for r in numbers) >= AREA_LEFT + 10
        assert all(abs(r.size - 14) < 0.5 for r in numbers)  # 4号


def test_each_attachment_starts_a_page(annual_pdf: Any) -> None:
    starts = {}
    for n, page in enumerate(annual_pdf.pages, 1):
        body = [r for r in glyph_runs(page) if AREA_BOTTOM - TOL <= r.y <= AREA_TOP + TOL]
        first = lines(body)[0][0] if body else ""
        label = re.match(r"附件(\d)", first)
        if label:
            starts[int(label[1])] = n
    assert sorted(starts) == [1, 2, 3]
    assert starts[1] > 1 and starts[1] < starts[2] < starts[3]


def test_annual_first_page_layout(annual_pdf: Any) -> None:
    runs = glyph_runs(annual_pdf.pages[0])
    text = "\n".join(t for t, _ in lines(runs))
    assert "文件" in text and "〔" in text and "各街镇、各委办局及有关单位:" in text
    body = [r for r in runs if r.text and AREA_BOTTOM <= r.y <= AREA_TOP and abs(r.size - 16) < .5]
    assert body, "3号 (16 pt) body text on the first page"


def test_bulletin_prints_landscape(browser: Any, site: Path, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    pdf = pypdf.PdfReader(str(print_pdf(browser, (site / "2023" / "03.html").as_uri(),
                                        tmp_path / "bulletin.pdf")))
    for page in pdf.pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)
    text = unicodedata.normalize("NFKC", pdf.pages[0].extract_text())
    assert "草稿" in text and "首页" not in text  # banner on paper, no navigation
