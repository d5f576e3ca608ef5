"""Finding a record: the build's index (every submitted item, with its unit page row) and the
search page in Chromium, from file:// and over HTTP, followed to the right unit page row."""
from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from browserkit import needs_chromium
from sitekit import GOLDEN_LEDGER, GOLDEN_SOURCE, build_files, build_into

from scoring.ledger.check import check_ledger


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return build_files(GOLDEN_LEDGER, GOLDEN_SOURCE)


def test_index_lists_every_item_with_a_row_on_its_unit_page(files: dict[str, bytes]) -> None:
    index = json.loads(files["data/search.json"])
    ledger, _ = check_ledger(GOLDEN_LEDGER)
    items = [(i.oa, i.title, i.unit) for um in ledger.unit_months() for i in um.info]
    assert [(r[3], r[4], r[2]) for r in index["records"]] == items
    anchors = set()
    for year, month, unit, _oa, _title, anchor in index["records"]:
        page = files[f"{year}/units/{unit}.html"].decode("utf-8")
        assert f'<tr id="{anchor}">' in page, (unit, anchor)
        assert f"{year}/{month:02d}.html" in files
        anchors.add(anchor[:3])
    assert "oa-" in anchors and anchors - {"oa-"}  # both kinds of row occur
    # the script carries the same index, for pages opened from disk
    script = files["data/search.js"].decode("utf-8")
    assert json.loads(re.sub(r"^window\.KAOPING_SEARCH = |;\n$", "", script)) == index


def test_every_page_links_the_search(files: dict[str, bytes]) -> None:
    assert b'href="search.html"' in files["index.html"]
    assert b'href="../../search.html"' in files["2023/units/fgw.html"]
    page = files["search.html"].decode("utf-8")
    assert 'src="data/search.js"' in page and "http" not in page.split("<body")[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_into(GOLDEN_LEDGER, tmp_path_factory.mktemp("search") / "output",
                      GOLDEN_SOURCE)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_urls(site: Path) -> Iterator[dict[str, str]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield {"file": site.as_uri() + "/", "http": f"http://127.0.0.1:{httpd.server_address[1]}/"}
    httpd.shutdown()
    httpd.server_close()


def results(page: Any, query: str) -> list[dict[str, str]]:
    page.fill("#q", query)
    page.wait_for_function("q => document.getElementById('search-results')"
                           ".getAttribute('data-query') === q", arg=query)
    return page.eval_on_selector_all("#search-results li", """items => items.map(li => ({
        oa: li.querySelector('.oa').textContent, title: li.querySelector('.record').textContent,
        href: li.querySelector('.record').getAttribute('href'),
        bulletin: li.querySelector('.bulletin').getAttribute('href'), html: li.innerHTML}))""")


@needs_chromium
@pytest.mark.parametrize("scheme", ["file", "http"])
def test_search_finds_and_leads_to_the_unit_page_row(browser: Any, base_urls: dict[str, str],
                                                     files: dict[str, bytes],
                                                     scheme: str) -> None:
    index = json.loads(files["data/search.json"])
    record = next(r for r in index["records"] if r[5].startswith("oa-"))
    year, month, unit, oa, title, anchor = record
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(base_urls[scheme])
            else errors.append(f"outside request: {r.url}"))
    page.goto(base_urls[scheme] + "search.html", wait_until="load")
    by_oa = results(page, oa.lower())   # matching ignores case
    assert [r["oa"] for r in by_oa] == [oa]
    assert by_oa[0]["bulletin"] == f"{year}/{month:02d}.html"
    word = title[2:6]
    by_word = results(page, word)
    assert oa in [r["oa"] for r in by_word]
    assert all(word in r["title"] for r in by_word)
    assert results(page, "没有这样的标题词") == []
    # ledger text shows as text: the title with markup is not parsed as HTML
    marked = results(page, "<b>x</b>")
    assert marked and all("<b>" not in r["html"] and "&lt;b&gt;" in r["html"] for r in marked)
    results(page, oa)
    page.click("#search-results li .record")
    page.wait_for_load_state("load")
    assert page.url == f"{base_urls[scheme]}{year}/units/{unit}.html#{anchor}"
    row = page.locator(f"tr#{anchor}")
    assert title in row.inner_text()
    assert row.evaluate("""el => el.matches(':target') && el.getBoundingClientRect().top >= 0
                           && el.getBoundingClientRect().bottom <= innerHeight""")  # in view
    assert errors == []
    page.close()


@needs_chromium
def test_unadopted_item_leads_to_its_month_row(browser: Any, base_urls: dict[str, str],
                                               files: dict[str, bytes]) -> None:
    index = json.loads(files["data/search.json"])
    record = next((r for r in index["records"] if r[5].startswith("m-")), None)
    if record is None:
        pytest.skip("every item of the golden ledger scored")
    year, month, unit, oa, _title, anchor = record
    page = browser.new_page()
    page.goto(base_urls["http"] + f"search.html?q={oa}", wait_until="load")
    page.wait_for_selector("#search-results li")
    page.click("#search-results li .record")
    page.wait_for_load_state("load")
    assert page.url.endswith(f"{year}/units/{unit}.html#{anchor}")
    assert page.locator(f"tr#{anchor} th").inner_text() == f"{month}月"
    page.close()
