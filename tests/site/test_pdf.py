"""``build.py pdf``: the year's annual notice and bulletins printed by headless Chromium, the
build made first; without Chromium a clear message and exit status 2, nothing written."""
from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pypdf
import pytest
from browserkit import needs_chromium
from ledgerkit import build_py
from sitekit import GOLDEN_LEDGER, golden_repo

from scoring import cli
from scoring.site import pdf

MM = 72 / 25.4


def plain(text: str) -> str:
    """Extracted PDF text compared as read: compatibility forms folded (the fonts map some
    characters to Kangxi radicals, 工 as ⼯), white space dropped."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@needs_chromium
def test_pdf_builds_then_prints_the_notice_and_bulletins(tmp_path: Path) -> None:
    golden_repo(tmp_path)
    assert not (tmp_path / "output").exists()
    done = build_py("pdf", "2023", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "output" / "2023"
    bulletins = sorted(p.stem for p in folder.glob("[01][0-9].html"))
    assert bulletins and sorted(p.stem for p in folder.glob("[01][0-9].pdf")) == bulletins
    notice = pypdf.PdfReader(folder / "annual.pdf")
    text = plain("".join(page.extract_text() for page in notice.pages))
    assert "关于2023年度" in text and "考评结果的通报" in text
    box = notice.pages[0].mediabox
    assert abs(float(box.width) - 210 * MM) < 2 and abs(float(box.height) - 297 * MM) < 2
    first = pypdf.PdfReader(folder / f"{bulletins[0]}.pdf")
    assert float(first.pages[0].mediabox.width) > float(first.pages[0].mediabox.height)
    assert f"2023年{int(bulletins[0])}月" in plain(first.pages[0].extract_text())
    assert "已生成 output/2023/annual.pdf" in done.stdout
    assert b"/CreationDate (D:20240115000000" in (folder / "annual.pdf").read_bytes()
    first_bytes = {p.name: p.read_bytes() for p in folder.glob("*.pdf")}
    # no year given: the latest year with a notice; the same ledger prints the same bytes
    again = build_py("pdf", cwd=tmp_path)
    assert again.returncode == 0 and "annual.pdf" in again.stdout
    assert {p.name: p.read_bytes() for p in folder.glob("*.pdf")} == first_bytes


def test_without_chromium_a_clear_message_and_nothing_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    golden_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    assert cli.main(["pdf"]) == 2
    err = capsys.readouterr().err
    assert "未找到 Chromium" in err and "apt-get install chromium" in err
    assert (tmp_path / "output" / "2023" / "annual.html").is_file()   # the build ran
    assert not list((tmp_path / "output").rglob("*.pdf"))


def test_unknown_year_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    golden_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(pdf, "find_chromium", lambda: "/nonexistent/chromium")
    assert cli.main(["pdf", "2019"]) == 2
    assert "没有 2019 年度的通报（已有：2023）" in capsys.readouterr().err


def test_a_build_keeps_the_pdfs_of_unchanged_pages_only(tmp_path: Path) -> None:
    """PDFs are printed into the output folder, which every build replaces: a PDF whose page
    (and style sheets) a new build leaves byte for byte stays; one of a changed page goes.
    (In git every page names the ledger's commit, so a ledger change retires every PDF;
    outside git only the pages it touches change.)"""
    ledger, out = tmp_path / "ledger", tmp_path / "output"
    shutil.copytree(GOLDEN_LEDGER, ledger)
    build = ("build", "--ledger", str(ledger), "--out", str(out))
    assert build_py(*build, cwd=tmp_path).returncode == 0
    for name in ("01.pdf", "03.pdf", "annual.pdf", "notes.pdf"):
        (out / "2023" / name).write_bytes(b"%PDF-1.4 " + name.encode())
    assert build_py(*build, cwd=tmp_path).returncode == 0  # the output changed: built again
    assert sorted(p.name for p in (out / "2023").glob("*.pdf")) == [
        "01.pdf", "03.pdf", "annual.pdf"]  # notes.pdf is no print of a page
    march = ledger / "2023/03/kjj.toml"
    march.write_text(march.read_text(encoding="utf-8") + (
        '\n[[info]]\noa = "G-0998"\ntitle = "三月新增"\ndate = 2023-03-21\n'), encoding="utf-8")
    assert build_py(*build, cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in (out / "2023").glob("*.pdf")) == ["01.pdf"]
    assert (out / "2023/01.pdf").read_bytes() == b"%PDF-1.4 01.pdf"


def test_new_style_sheets_retire_every_pdf() -> None:
    page = {"2023/01.html": b"<p>", "static/site.css": b"a{}"}
    old = {**page, "2023/01.pdf": b"%PDF"}
    assert pdf.prints_still_true(old, page) == {"2023/01.pdf": b"%PDF"}
    assert pdf.prints_still_true(old, {**page, "static/site.css": b"b{}"}) == {}
    assert pdf.prints_still_true(old, {**page, "static/print.css": b""}) == {}
