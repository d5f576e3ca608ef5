"""Fuzzing the loader: mutated and random ledger and configuration files never crash a command.

Over unit files, units.toml and rules.toml, mutated from valid ones (characters inserted,
deleted or replaced with TOML's own, full-width ones and control bytes) or random bytes,
``check`` and ``build`` (in-process, :func:`scoring.cli.main`) never raise, always exit 0 or 1,
and a build that exits 1 leaves the output folder exactly as it was. Fixed seed (derandomized)
and a bound on examples, so that it runs the same everywhere in a few seconds.
"""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledgerkit import DEMO_CONFIG, make_ledger

from scoring import cli

UNIT_FILE = (
    '[[info]]\noa = "KDL-2023-0001"\ntitle = "我局召开会议"\ndate = 2023-05-02\nkind = "专报"\n'
    'topic = "问题建议"\n\n[[adoption]]\noa = "KDL-2023-0001"\nby = "上报"\ndate = 2023-05-09\n'
    '\n[[instruction]]\noa = "KDL-2023-0001"\nlevel = "市"\ndate = 2023-05-20\n'
    '\n[[event]]\nkind = "轮训"\ndate = 2023-05-10\n'
)
TARGETS = {"2023/05/fgw.toml": UNIT_FILE.encode(),
           "2023/units.toml": (DEMO_CONFIG / "units.toml").read_bytes(),
           "2023/rules.toml": (DEMO_CONFIG / "rules.toml").read_bytes()}
PIECES = ['"', "'", "[", "]", "[[", "]]", "{", "}", "=", ",", ".", "\n", "#", "\\", " ", "-",
          "0", "9", "-1", "1e9", "true", "2023-02-30", "\u3000", "＝", "“", "２", "专报", "\t",
          "\r\n", "\x00", "\x7f", "\ufeff", '"""', "x = 1\n", "[[info]]\n", "[" * 500]
SENTINEL = b"<p>old site</p>\n"


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    target = draw(st.sampled_from(sorted(TARGETS)))
    if draw(st.integers(0, 9)) == 0:
        return target, draw(st.binary(max_size=200))
    data = TARGETS[target]
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        cut = draw(st.integers(0, 8))
        piece = draw(st.sampled_from(PIECES)).encode()
        if draw(st.booleans()):
            piece = piece if draw(st.booleans()) else b""
        data = data[:at] + piece + data[at + cut:]
    return target, data


def run(*argv: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return cli.main(list(argv))


@settings(derandomize=True, max_examples=80, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_check_and_build_never_crash_and_errors_leave_the_output(case: tuple[str, bytes]) -> None:
    target, data = case
    work = Path(tempfile.mkdtemp(prefix="kaoping-fuzz-"))
    cwd = os.getcwd()
    try:
        root = make_ledger(work, {"2023/05/fgw.toml": UNIT_FILE})
        (root / target).write_bytes(data)
        out = work / "output"
        out.mkdir()
        (out / "index.html").write_bytes(SENTINEL)
        os.chdir(work)
        checked = run("check", "--ledger", "ledger")
        built = run("build", "--ledger", "ledger", "--out", "output", "--quiet", "--no-cache")
        assert checked in (0, 1) and built == checked
        if built == 1:
            assert [p.name for p in out.iterdir()] == ["index.html"]
            assert (out / "index.html").read_bytes() == SENTINEL
    finally:
        os.chdir(cwd)
        shutil.rmtree(work, ignore_errors=True)
