"""The built site (SPEC §5): every page, links that work from a file share, escaping,
byte-identical rebuilds, valid HTML (Nu HTML Checker) and basic accessibility."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest
from ledgerkit import make_ledger
from sitekit import (
    DEMO_LEDGER,
    GOLDEN_LEDGER,
    GOLDEN_SOURCE,
    Page,
    build_files,
    build_into,
    demo_has_months,
    html_pages,
    link_problems,
    vnu_jar,
)

from scoring.audit.git import CommitInfo
from scoring.audit.trail import Trail
from scoring.ledger.check import check_ledger
from scoring.ledger.load import load_ledger
from scoring.site.common import Source

EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.I)

LEDGERS = [pytest.param(GOLDEN_LEDGER, id="golden")]
if demo_has_months():
    LEDGERS.append(pytest.param(DEMO_LEDGER, id="demo"))


BUILT: dict[Path, Path] = {}  # built site → its ledger


@pytest.fixture(scope="module", params=LEDGERS)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the golden (and, when shipped, the demonstration) ledger, as a 草稿."""
    out = tmp_path_factory.mktemp("site") / "output"
    BUILT[out] = request.param
    return build_into(request.param, out, GOLDEN_SOURCE._replace(dirty=True))


def expected_pages(ledger_dir: Path) -> list[str]:
    """SPEC §5's table, for every year and month of the ledger."""
    ledger, _ = load_ledger(ledger_dir)
    paths = ["index.html"]
    for y, year in ledger.years.items():
        paths.append(f"{y}/rules.html")
        if year.months:
            paths += [f"{y}/annual.html", f"data/{y}.json", f"data/{y}.csv"]
            paths += [f"{y}/{m:02d}.html" for m in year.months]
            paths += [f"{y}/units/{u.id}.html" for u in year.units]
    return paths


def test_every_page_of_spec_5_exists(site: Path) -> None:
    missing = [p for p in expected_pages(BUILT[site]) if not (site / p).is_file()]
    assert not missing


def test_links_are_relative_and_resolve(site: Path) -> None:
    assert not link_problems(site)


def test_css_loads_nothing_from_outside(site: Path) -> None:
    css = sorted(site.rglob("*.css"))
    assert css
    for sheet in css:
        text = sheet.read_text(encoding="utf-8")
        assert "@import" not in text
        for url in CSS_URL.findall(text):
            assert not EXTERNAL.match(url) and not url.startswith("/"), (sheet, url)
    for page in html_pages(site):
        for url in CSS_URL.findall(page.read_text(encoding="utf-8")):
            assert not EXTERNAL.match(url), (page, url)


def test_ledger_text_is_escaped() -> None:
    files = build_files(GOLDEN_LEDGER, GOLDEN_SOURCE)
    bulletin = files["2023/01.html"].decode()
    unit = files["2023/units/fgw.html"].decode()
    assert "&lt;b&gt;x&lt;/b&gt; &amp; 测试" in bulletin
    assert "《&lt;b&gt;x&lt;/b&gt; &amp; 测试》" in unit
    assert "<b>x</b>" not in bulletin + unit
    march = files["2023/03.html"].decode()  # raw HTML in bulletin.md stays text
    assert "&lt;b&gt;未达标&lt;/b&gt;" in march and "<b>未达标" not in march
    annual = files["2023/annual.html"].decode()
    assert "&lt;b&gt;不应生效&lt;/b&gt;" in annual
    assert "外部链接（https://example.org/x）" in annual  # outside links become text


def test_templates_escape_what_they_are_given() -> None:
    from markupsafe import Markup

    from scoring.site.env import environment
    template = environment().from_string("{{ a }}|{{ b }}|{{ c }}")
    assert template.render(a="<&>", b=-7, c=Markup("<br>")) == "&lt;&amp;&gt;|-7|<br>"


def test_lang_captions_and_header_scopes(site: Path) -> None:
    problems = []
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        parsed = Page(text)
        html = [a for t, a in parsed.tags if t == "html"]
        if not html or html[0].get("lang") != "zh-CN":
            problems.append(f"{page.name}: lang")
        for i, table in enumerate(parsed.tables):
            if not table["caption"] or table["th_without_scope"]:
                problems.append(f"{page.relative_to(site)}: table {i} caption/scope")
    assert not problems


def test_draft_banner_and_commit_stamp_on_every_page(site: Path) -> None:
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        assert 'class="banner draft"' in text and "0123456" in text, page


def test_clean_build_has_no_draft_banner() -> None:
    files = build_files(GOLDEN_LEDGER, GOLDEN_SOURCE)
    pages = [v.decode() for k, v in files.items() if k.endswith(".html")]
    assert all("banner draft" not in p and "台账版本 <code>0123456</code>" in p for p in pages)
    unknown = build_files(GOLDEN_LEDGER, Source())
    assert all(b"\xe5\x8f\xb0\xe8\xb4\xa6\xe7\x89\x88\xe6\x9c\xac" not in v  # 台账版本
               for k, v in unknown.items() if k.endswith(".html"))


def test_demo_marker_follows_the_ledger(tmp_path: Path) -> None:
    files = build_files(GOLDEN_LEDGER, GOLDEN_SOURCE)
    assert "banner demo" in files["2023/01.html"].decode()
    ledger = tmp_path / "ledger"
    shutil.copytree(GOLDEN_LEDGER, ledger)
    (ledger / "2023" / "notice.md").unlink()
    (ledger / "2023" / "03" / "bulletin.md").unlink()
    (tmp_path / ".git").mkdir()
    plain = build_files(ledger, GOLDEN_SOURCE)
    assert not any(b"banner demo" in v for k, v in plain.items() if k.endswith(".html"))


@pytest.mark.skipif(shutil.which("java") is None, reason="java is missing (Nu HTML Checker)")
def test_html_is_valid(site: Path) -> None:
    pages = [str(p) for p in html_pages(site)]
    if len(pages) > 40:  # the demo year: every kind of page, not all 47 unit pages
        pages = [p for p in pages if "/units/" not in p] + [
            p for p in pages if "/units/" in p][:3]
    result = subprocess.run(["java", "-jar", str(vnu_jar()), "--errors-only", *pages],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]


def test_only_site_paths_are_written() -> None:
    files = build_files(GOLDEN_LEDGER, GOLDEN_SOURCE)
    for path in files:
        parts = PurePosixPath(path).parts
        assert parts[0] in {"index.html", "changes.html", "search.html", "static", "data",
                            "2023"}, path


def test_commit_column_only_when_the_ledger_has_a_history() -> None:
    commit = CommitInfo("c0ffee1" + "0" * 33, "张三", "z@example.org", "2023-05-12T10:00:00+08:00",
                        "登记")
    ledger, _ = check_ledger(GOLDEN_LEDGER)
    trail = Trail([], [], (), {(um.path, r.line): commit for um in ledger.unit_months()
                               for r in um.records()})
    unit = build_files(GOLDEN_LEDGER, GOLDEN_SOURCE, trail)["2023/units/fgw.html"].decode()
    assert '<th scope="col">提交</th>' in unit and "<code>c0ffee1 张三 2023-05-12</code>" in unit
    plain = build_files(GOLDEN_LEDGER, GOLDEN_SOURCE)["2023/units/fgw.html"].decode()
    assert "提交</th>" not in plain
    assert "ledger/2023/01/fgw.toml:2" in plain  # every point names its source file:line


def test_provisional_year_is_marked_on_screen_and_paper() -> None:
    annual = build_files(GOLDEN_LEDGER, GOLDEN_SOURCE)["2023/annual.html"].decode()
    assert '<p class="provisional">暂定（数据截至3月）</p>' in annual
    assert '@top-center { content: "示例数据　暂定（数据截至3月）"; }' in annual


def test_a_year_without_months_and_a_sparse_year(tmp_path: Path) -> None:
    """2024 has only its configuration; 2023 has January and March (no February folder)."""
    ledger = make_ledger(tmp_path, {"2023/01/fgw.toml": '[[info]]\noa = "A1"\ntitle = "一"\n'
                                    'date = 2023-01-05\n'},
                         months=("2023/03",), years=(2023, 2024))
    files = build_files(ledger)
    assert "2024/rules.html" in files and "2024/annual.html" not in files
    assert "2023/02.html" not in files and "2023/03.html" in files
    index = files["index.html"].decode()
    assert "2023/03.html" in index and "2024/annual.html" not in index
    march = files["2023/03.html"].decode()
    assert 'href="01.html">上月通报' in march
