"""``build.py pdf [YYYY]``: the year's annual notice and bulletins as PDF, for the OA platform.

The PDF is what the browser's print gives: headless Chromium prints each built page
(``--print-to-pdf``, the page's own ``@page`` size and margins, no browser header or footer)
into ``<YYYY>/annual.pdf`` and ``<YYYY>/<MM>.pdf`` beside the pages. Chromium is looked for
at the usual Debian and Chrome paths; without it nothing is written and :class:`PdfError`
says what to install.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome",
              "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
         "--virtual-time-budget=10000"]
TIMEOUT = 120  # seconds for one page


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
    _, pages = pages_of(out, year)
    written = []
    for page in pages:
        target = page.with_suffix(".pdf")
        print_page(chromium, page, target)
        written.append(target)
        if report is not None:
            report(target)
    return written
