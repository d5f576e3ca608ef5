"""The built site (SPEC §5): every page, links that work from a file share, escaping,
byte-identical rebuilds, valid HTML (Nu HTML Checker) and basic accessibility."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath

import pytest
from ledgerkit import make_ledger
from test_site_kit import (
    DEMO_LEDGER,
    GOLDEN_LEDGER,
    GOLDEN_SOURCE,
    Page,
    build_files,
    build_into,
    demo_has_months,
)

from scoring.load import load_ledger
from scoring.pipeline import check_ledger, render_all
from scoring.writer import SiteWriter

VNU_HOME = Path.home() / ".cache" / "kaoping-vnu"
VNU_JAR = VNU_HOME / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
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
    return build_into(request.param, out, {"commit": GOLDEN_SOURCE["commit"], "dirty": True})


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


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
    ids: dict[Path, set[str]] = {}
    problems = []
    for page in html_pages(site):
        parsed = Page(page.read_text(encoding="utf-8"))
        ids[page] = parsed.ids
        for attr, value in parsed.links():
            if EXTERNAL.match(value) or value.startswith("/"):
                problems.append(f"{page.relative_to(site)}: {attr}={value}")
                continue
            target, _, fragment = value.partition("#")
            path = (page.parent / target).resolve() if target else page
            if not path.is_file():
                problems.append(f"{page.relative_to(site)}: {value} does not exist")
            elif fragment and path.suffix == ".html":
                known = ids.get(path) or Page(path.read_text(encoding="utf-8")).ids
                if fragment not in known:
                    problems.append(f"{page.relative_to(site)}: no id {fragment} in {target}")
            if target and not (target.endswith((".html", ".css", ".svg", ".json", ".csv"))):
                problems.append(f"{page.relative_to(site)}: {value} is not a file link")
    assert not problems


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


def test_output_escape_writes_what_markupsafe_escape_writes() -> None:
    from decimal import Decimal

    from markupsafe import Markup, escape

    from scoring.render_env import environment, output_escape
    values = ["", "plain 文字", "<b>x</b> & 'q' \"dq\"", 0, -30, 12345, True, None,
              Decimal("97.40"), 1.5, Markup("<i>safe</i>"), ("a", "<")]
    for value in values:
        assert output_escape(value) == str(escape(value)), value
    template = environment().from_string("{{ a }}|{{ b }}|{{ c }}")
    assert template.render(a="<&>", b=-7, c=Markup("<br>")) == "&lt;&amp;&gt;|-7|<br>"
    assert template.root_render_func.__globals__["escape"] is output_escape  # still in use


def test_two_builds_are_byte_identical() -> None:
    assert build_files(GOLDEN_LEDGER, GOLDEN_SOURCE) == build_files(GOLDEN_LEDGER, GOLDEN_SOURCE)


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
    unknown = build_files(GOLDEN_LEDGER, None)
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


def vnu_jar() -> Path:
    """The Nu HTML Checker, installed from npm into a cache folder outside the repository."""
    if not VNU_JAR.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install vnu-jar (the Nu HTML Checker)")
        VNU_HOME.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--prefix", str(VNU_HOME), "--no-audit", "--no-fund",
                        "vnu-jar"], check=True, capture_output=True, timeout=300)
    return VNU_JAR


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
        assert parts[0] in {"index.html", "changes.html", "static", "data", "2023"}, path


def test_commit_column_only_when_the_audit_provides_it() -> None:
    ledger, _ = check_ledger(GOLDEN_LEDGER)
    writer = SiteWriter()
    render_all(ledger, writer, None, GOLDEN_SOURCE,
               point_commit=lambda p: "c0ffee1" if p.path else None)
    unit = writer.files["2023/units/fgw.html"].decode()
    assert '<th scope="col">提交</th>' in unit and "<code>c0ffee1</code>" in unit
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


def test_kept_compiled_templates_render_the_same(tmp_path: Path) -> None:
    """Templates compiled once are loaded from Jinja's bytecode folder; a damaged or stale
    entry (another source) is compiled again, and every way renders the same page."""
    from scoring.render_env import _CompiledTemplates, make_environment
    page = {"title": "月度通报 <测试>", "root": "../", "demo": False, "draft": True,
            "commit": "abc1234", "year": 2023}
    expected = make_environment(None).get_template("base.html").render(**page)
    kept = tmp_path / "compiled"
    kept.mkdir(mode=0o700)
    first = make_environment(_CompiledTemplates(str(kept)))
    assert first.get_template("base.html").render(**page) == expected
    entries = sorted(kept.iterdir())
    assert entries, "the compiled template is kept"
    loaded = make_environment(_CompiledTemplates(str(kept)))
    assert loaded.get_template("base.html").render(**page) == expected
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:20])  # cut short: unreadable
    assert make_environment(_CompiledTemplates(str(kept))).get_template(
        "base.html").render(**page) == expected
    for entry in entries:
        entry.write_bytes(b"not a compiled template")
    assert make_environment(_CompiledTemplates(str(kept))).get_template(
        "base.html").render(**page) == expected
