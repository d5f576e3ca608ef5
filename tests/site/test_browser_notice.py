"""The annual notice's 版记 in a real browser (Debian's Chromium through Playwright): printed
to PDF, its LAST page holds 抄送, 印发机关 and 印发日期 (GB/T 9704-2012 7.4), in 4号 type, 印发机关
one character in from the left of the text area and 印发日期 one character in from the right,
and no earlier page holds any of them."""
from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from browserkit import glyph_runs, lines, needs_chromium
from sitekit import DEMO_LEDGER, GOLDEN_LEDGER, GOLDEN_SOURCE, build_into, demo_has_months

pytestmark = needs_chromium
MM = 72 / 25.4
AREA_LEFT, AREA_RIGHT = 28 * MM, (210 - 26) * MM  # 版心 156 mm wide, 订口 28 mm
AREA_BOTTOM = 35 * MM                              # 版心 bottom, 35 mm above the edge
CHAR, LINE = 14, 28.95  # 4号 = 14 pt; the body's line pitch (225 mm / 22 lines)
COPY_TO = "抄送：区委办公室，区人大常委会办公室，区政协办公室。"
PRINTED_BY, PRINTED_ON = "昆都仑区人民政府办公室", "2024年1月15日印发"

LEDGERS = [pytest.param(GOLDEN_LEDGER, id="golden")]
if demo_has_months():
    LEDGERS.append(pytest.param(DEMO_LEDGER, id="demo"))


@pytest.fixture(scope="module", params=LEDGERS)
def notice_pdf(request: pytest.FixtureRequest, browser: Any,
               tmp_path_factory: pytest.TempPathFactory) -> Any:
    pypdf = pytest.importorskip("pypdf")
    tmp = tmp_path_factory.mktemp("notice")
    site = build_into(request.param, tmp / "output", GOLDEN_SOURCE)
    page = browser.new_page()
    page.goto((site / "2023" / "annual.html").as_uri(), wait_until="load")
    page.pdf(path=str(tmp / "annual.pdf"), prefer_css_page_size=True)
    page.close()
    return pypdf.PdfReader(str(tmp / "annual.pdf"))


def flat(text: str) -> str:
    """Text as compared: NFKC, no spaces, and 民 for the radical ⺠ that the CJK font's
    glyph extracts as."""
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u2ea0", "民")


def test_last_page_holds_the_imprint(notice_pdf: Any) -> None:
    pages = [flat(p.extract_text()) for p in notice_pdf.pages]
    last = pages[-1]
    for part in (flat(COPY_TO), PRINTED_BY, flat(PRINTED_ON)):
        assert part in last, part
    assert all("抄送" not in p and "印发" not in p for p in pages[:-1])
    # the 版记 comes after the last attachment's text on that page
    assert last.index("抄送") > last.index("附件") if "附件" in last else True


def test_imprint_lines_are_set_as_the_standard_says(notice_pdf: Any) -> None:
    rows = lines(glyph_runs(notice_pdf.pages[-1]))
    [copy_to] = [row for text, row in rows if flat(text).startswith("抄送")]
    [printed] = [row for text, row in rows if PRINTED_BY in flat(text)]
    assert all(abs(r.size - CHAR) < 0.5 for r in copy_to + printed)  # 4号
    # 印发机关 one character in from the left, 印发日期 one character in from the right
    assert abs(printed[0].x - (AREA_LEFT + CHAR)) < 3
    right = max(r.x + r.size * (0.55 if ord(r.text[-1]) < 0x2000 else 1.0) for r in printed)
    assert abs(right - (AREA_RIGHT - CHAR)) < 3
    assert abs(copy_to[0].x - (AREA_LEFT + CHAR)) < 3
    # the 抄送 line sits above the 印发 line, the two the last text of the page's body
    assert copy_to[0].y > printed[0].y
    body = [text for text, row in rows if row[0].y > AREA_BOTTOM - 1]
    assert PRINTED_BY in flat(body[-1])
    # a last attachment of one page: the 版记 stands at the foot of the text area (7.4)
    assert printed[0].y - AREA_BOTTOM < LINE
