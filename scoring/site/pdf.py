"""``build.py pdf [YYYY]``: the year's annual notice and bulletins as PDF, for the OA platform.

The PDF is what the browser's print gives: headless Chromium prints each built page
(``--print-to-pdf``, the page's own ``@page`` size and margins, no browser header or footer)
into ``<YYYY>/annual.pdf`` and ``<YYYY>/<MM>.pdf`` beside the pages. Chromium is looked for
at the usual Debian and Chrome paths; without it nothing is written and :class:`PdfError`
says what to install.

Chromium stamps the time of printing as the PDF's /CreationDate and /ModDate, the only bytes
that differ between two prints of one page. They are replaced, in place and at the same
length (the cross-reference offsets stay valid), by the date the build gave the year's
workbook (:func:`.workbook.created_date`, from the ledger), so one ledger gives one PDF.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome",
              "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
         "--virtual-time-budget=10000"]
TIMEOUT = 120  # seconds for one page


PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate) *\(D:)(\d{14})")
CREATED = re.compile(r"<dcterms:created[^>]*>(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)")


PRINT = re.compile(r"[0-9]{4}/(?:annual|[0-9]{2})\.pdf")


def prints_still_true(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> dict[str, bytes]:
    """The PDFs of the old site that a new build keeps: those printed from a page whose bytes,
    and the style sheets', are unchanged (a PDF of a changed page would state old figures,
    so it goes, and ``pdf`` prints it again)."""
    static = sorted(p for p in new if p.startswith("static/"))
    if static != sorted(p for p in old if p.startswith("static/")) or any(
            old[p] != new[p] for p in static):
        return {}
    kept = {}
    for rel in old:
        page = rel[:-len(".pdf")] + ".html"
        if PRINT.fullmatch(rel) and page in old and page in new and old[page] == new[page]:
            kept[rel] = old[rel]
    return kept


class PdfError(Exception):
    """The PDFs cannot be made (no Chromium, no such year, Chromium failed)."""


def find_chromium() -> str | None:
    """The first Chromium (or Chrome) found, or None."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def pages_of(out: Path, year: int | None) -> tuple[int, list[Path]]:
    """The year to print (the latest with an annual notice when None) and its pages: the
    annual notice, then the bulletins in month order."""
    years = sorted(int(p.parent.name) for p in out.glob("*/annual.html") if p.parent.name.isdigit())
    if not years:
        raise PdfError(f"{out} 中没有年度通报页面，无法生成 PDF。")
    if year is None:
        year = years[-1]
    elif year not in years:
        raise PdfError(f"{out} 中没有 {year} 年度的通报（已有：{'、'.join(map(str, years))}）。")
    folder = out / str(year)
    bulletins = sorted(p for p in folder.glob("[0-1][0-9].html"))
    return year, [folder / "annual.html", *bulletins]


def document_date(out: Path, year: int) -> bytes | None:
    """``YYYYMMDDHHmmSS``: the ``created`` date of ``data/<YYYY>.xlsx`` (None without it)."""
    try:
        with zipfile.ZipFile(out / "data" / f"{year}.xlsx") as book:
            core = book.read("docProps/core.xml").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    found = CREATED.search(core)
    return "".join(found.groups()).encode("ascii") if found else None


def fix_dates(target: Path, stamp: bytes) -> None:
    """The PDF's dates set to ``stamp`` (14 digits, as long as what they replace)."""
    data = target.read_bytes()
    target.write_bytes(PDF_DATE.sub(lambda m: m.group(1) + stamp, data))


def print_page(chromium: str, page: Path, target: Path) -> None:
    """One page printed to ``target`` by headless Chromium (a fresh profile each time)."""
    with tempfile.TemporaryDirectory(prefix="kaoping-chromium-") as profile:
        done = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}",
                               f"--print-to-pdf={target}", page.resolve().as_uri()],
                              capture_output=True, text=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        tail = (done.stderr or "").strip().splitlines()[-1:] or [""]
        raise PdfError(f"Chromium 未能打印 {page}（退出码 {done.returncode}）：{tail[0]}")


def write_pdfs(out: Path, year: int | None = None,
               report: Callable[[Path], None] | None = None) -> list[Path]:
    """Print the year's annual notice and bulletins beside their pages; the PDFs written."""
    chromium = find_chromium()
    if chromium is None:
        raise PdfError("未找到 Chromium 浏览器，无法生成 PDF。请先安装"
                       "（Debian/Ubuntu：apt-get install chromium），再运行 build.py pdf。")
    year, pages = pages_of(out, year)
    stamp = document_date(out, year)
    written = []
    for page in pages:
        target = page.with_suffix(".pdf")
        print_page(chromium, page, target)
        if stamp is not None:
            fix_dates(target, stamp)
        written.append(target)
        if report is not None:
            report(target)
    return written
