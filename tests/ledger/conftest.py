"""Running the command line in-process on an inline ledger, for the ledger stage's tests.

``run("check")`` / ``run("build")`` call :func:`scoring.cli.main` with ``--ledger`` (and for a
build ``--out``) pointing into the test's folder, and return the exit code and the problems'
heads (``path:line: CODE``) with the full lines. A build's output folder starts with a sentinel
site, so that a test can assert it was left exactly as it was (``out_untouched()``).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from scoring import cli

SENTINEL = {"index.html": b"<p>old site</p>\n", "data/2023.json": b"{}\n"}


class Run(NamedTuple):
    code: int
    heads: list[str]   # "path:line: CODE" of every problem, in printed order
    lines: list[str]   # the problems' whole lines


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def seed_output(out: Path) -> None:
    for rel, content in SENTINEL.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(content)


def parse_output(text: str) -> tuple[list[str], list[str]]:
    lines = [line for line in text.splitlines() if ": E" in line or ": W" in line]
    return [" ".join(line.split(" ")[:2]) for line in lines], lines


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """``run(command, *extra)`` on ``tmp_path/ledger`` (cwd ``tmp_path``, so paths read
    ``ledger/…``)."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "output"
    seed_output(out)

    def go(command: str, *extra: str) -> Run:
        argv = [command, "--ledger", "ledger", *extra]
        if command == "build":
            argv += ["--out", "output", "--quiet"]
        capsys.readouterr()
        code = cli.main(argv)
        captured = capsys.readouterr()
        heads, lines = parse_output(captured.out + captured.err)
        return Run(code, heads, lines)
    return go


@pytest.fixture
def out_untouched(tmp_path: Path) -> Callable[[], bool]:
    """Whether the output folder still holds exactly the sentinel site."""
    return lambda: snapshot(tmp_path / "output") == SENTINEL


@pytest.fixture
def refuses(run: Callable[..., Run], out_untouched: Callable[[], bool]) -> Callable[..., list[str]]:
    """``refuses(heads, words)``: ``check`` and ``build`` both exit 1 reporting exactly
    ``heads`` (``path:line: CODE``), the first problem's text holding ``words``, and the output
    folder is untouched. Returns the first problem's line of each, for further assertions."""
    def go(heads: list[str], words: str = "") -> list[str]:
        firsts = []
        for command in ("check", "build"):
            got = run(command)
            assert got.code == 1, got.lines
            assert got.heads == heads
            assert words in got.lines[0]
            firsts.append(got.lines[0])
        assert out_untouched()
        return firsts
    return go
