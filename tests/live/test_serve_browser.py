"""``serve`` in a real browser (Debian's Chromium through Playwright): an open unit page
shows a saved record without a manual reload; a broken file brings the error banner, mending
it takes the banner away; SIGINT stops the server within a second."""
from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import ARGS, CHROMIUM, needs_chromium
from sitekit import GOLDEN_LEDGER, REPO

pytestmark = needs_chromium
RECORD = ('\n[[info]]\noa = "G-0999"\ntitle = "科技局新增一条实时测试信息"\ndate = 2023-03-20\n'
          '\n[[adoption]]\noa = "G-0999"\nby = "区刊"\ndate = 2023-03-25\nissue = "第9期"\n')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    ledger = tmp_path / "ledger"
    shutil.copytree(GOLDEN_LEDGER, ledger)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--ledger", str(ledger),
         "--out", str(tmp_path / "out"), "--port", str(port)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "站点地址" in line:
            break
    else:
        pytest.fail(f"serve exited ({proc.wait()})")
    yield proc, f"http://127.0.0.1:{port}/", ledger
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_serve_reloads_shows_errors_and_stops_on_sigint(
        served: tuple[subprocess.Popen[str], str, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    proc, url, ledger = served
    unit_file = ledger / "2023" / "03" / "kjj.toml"
    text = unit_file.read_text(encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page: Any = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "2023/units/kjj.html")
        assert "科技局新增一条实时测试信息" not in page.content()
        assert page.locator("#kaoping-errors").count() == 0

        unit_file.write_text(text + RECORD, encoding="utf-8")
        page.get_by_text("科技局新增一条实时测试信息").first.wait_for(timeout=10_000)

        unit_file.write_text(text + RECORD + "\n[[info]]\noa = \n", encoding="utf-8")
        banner = page.locator("#kaoping-errors")
        banner.wait_for(timeout=10_000)
        assert "2023/03/kjj.toml:" in banner.inner_text()
        assert "科技局新增一条实时测试信息" in page.content()  # the last good page stays

        unit_file.write_text(text + RECORD, encoding="utf-8")
        banner.wait_for(state="detached", timeout=10_000)
        assert "科技局新增一条实时测试信息" in page.content()
        assert errors == []
        browser.close()
    proc.send_signal(signal.SIGINT)
    start = time.monotonic()
    proc.wait(timeout=5)
    assert time.monotonic() - start < 1.0
    assert proc.returncode == 0
