"""Progress shows on a terminal (stages and counts) and never otherwise, nor with --quiet."""
from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from ledgerkit import REPO, make_ledger

from scoring import progress as progress_module
from scoring.cli import main
from scoring.progress import Progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_counts_and_stages_on_a_terminal() -> None:
    stream = FakeTerminal()
    p = Progress(stream=stream, after=0, interval=0)
    p("交叉校验")
    for done in (0, 50, 100):
        p.count("读取台账", done, 100, "文件")
    assert stream.getvalue().splitlines()[0].endswith("] 交叉校验")
    assert "\r[" in stream.getvalue() and "读取台账 50/100 文件" in stream.getvalue()
    assert stream.getvalue().endswith("读取台账 100/100 文件\n")


def test_quiet_for_the_first_second() -> None:
    stream = FakeTerminal()
    p = Progress(stream=stream, after=60)
    p("交叉校验")
    p.count("读取台账", 1, 2, "文件")
    p.done()
    assert stream.getvalue() == ""


@pytest.mark.parametrize("terminal, quiet", [(False, False), (True, True)])
def test_silent_off_a_terminal_or_quiet(terminal: bool, quiet: bool) -> None:
    stream = FakeTerminal() if terminal else io.StringIO()
    p = Progress(quiet=quiet, stream=stream, after=0, interval=0)
    p("交叉校验")
    p.count("读取台账", 1, 1, "文件")
    assert stream.getvalue() == ""


@pytest.mark.parametrize("quiet", [False, True])
def test_build_command_reports_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        quiet: bool) -> None:
    make_ledger(tmp_path, months=("2023/01", "2023/02"))
    monkeypatch.setattr(progress_module, "AFTER", 0)
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    args = ["build", "--ledger", str(tmp_path / "ledger"), "--out", str(tmp_path / "out")]
    assert main(args + (["--quiet"] if quiet else [])) == 0
    shown = sys.stderr.getvalue()  # type: ignore[attr-defined]
    if quiet:
        assert shown == ""
    else:
        assert "读取台账 94/94 文件" in shown and "交叉校验" in shown


SCRIPT = """
import sys
import scoring.progress
scoring.progress.AFTER = 0
from scoring.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_on_pty(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run the command line with stderr on a pseudo-terminal; (exit code, what it showed)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, *args], cwd=cwd, stderr=slave,
                            stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(REPO)})
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_on_a_pseudo_terminal(tmp_path: Path, quiet: bool) -> None:
    make_ledger(tmp_path, months=("2023/01",))
    code, shown = run_on_pty(["check", "--ledger", "ledger"] + (["--quiet"] if quiet else []),
                             tmp_path)
    assert code == 0
    assert ("读取台账 47/47 文件" in shown) is not quiet


def test_no_progress_into_a_pipe(tmp_path: Path) -> None:
    make_ledger(tmp_path, months=("2023/01",))
    proc = subprocess.run([sys.executable, "-c", SCRIPT, "check", "--ledger", "ledger"],
                          check=False,
                          cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0
    assert proc.stderr == ""
