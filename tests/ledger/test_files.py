"""Files the loader cannot or will not read: too large, a symlink loop, not a regular file."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from ledgerkit import make_ledger

from scoring.ledger.load import MAX_BYTES

INFO = '[[info]]\noa = "A1"\ntitle = "t"\ndate = 2023-05-02\n'
ADOPTION = '[[adoption]]\noa = "A1"\nby = "区刊"\ndate = 2023-06-02\n'


@pytest.mark.parametrize("where", ["2023/05/fgw.toml", "2023/rules.toml", "2023/notice.md"])
def test_a_file_above_the_limit_is_refused_before_it_is_read(run, out_untouched,
                                                             tmp_path: Path, where: str) -> None:
    root = make_ledger(tmp_path, {"2023/05/fgw.toml": INFO})
    with open(root / where, "wb") as fh:  # sparse: 200 MB on disk costs nothing
        fh.truncate(200 * 1024 * 1024)
    start = time.perf_counter()
    for command in ("check", "build"):
        got = run(command)
        assert got.code == 1
        assert got.heads == [f"ledger/{where}: E106"]
        assert "200.0 MB" in got.lines[0] and "2 MB" in got.lines[0]
    assert time.perf_counter() - start < 10  # (hashing 200 MB is the memo's, streamed)
    assert out_untouched()


def test_a_file_at_the_limit_is_read(run, tmp_path: Path) -> None:
    text = INFO + "# " + "x" * (MAX_BYTES - len(INFO) - 3) + "\n"
    assert len(text.encode()) == MAX_BYTES
    make_ledger(tmp_path, {"2023/05/fgw.toml": text})
    assert run("check").code == 0


def test_an_adoption_of_an_item_in_a_refused_file_is_not_also_an_error(run,
                                                                        tmp_path: Path) -> None:
    root = make_ledger(tmp_path, {"2023/05/fgw.toml": INFO, "2023/06/fgw.toml": ADOPTION})
    (root / "2023/05/fgw.toml").write_bytes(INFO.encode() + b"#" * MAX_BYTES)
    assert run("check").heads == ["ledger/2023/05/fgw.toml: E106"]


@pytest.mark.parametrize("cache", [True, False])
def test_a_symlink_loop_is_reported_like_check_does(run, out_untouched, tmp_path: Path,
                                                    cache: bool) -> None:
    root = make_ledger(tmp_path, months=("2024/02",), years=(2023, 2024))
    os.remove(root / "2024/02/gxj.toml")
    os.symlink("gxj.toml", root / "2024/02/gxj.toml")
    assert run("check").heads == ["ledger/2024/02/gxj.toml: E101"]
    got = run("build", *(() if cache else ("--no-cache",)))
    assert got.code == 1
    assert got.heads == ["ledger/2024/02/gxj.toml: E101"]
    assert "无法读取文件" in got.lines[0]
    assert out_untouched()


def test_a_fifo_is_not_read(run, out_untouched, tmp_path: Path) -> None:
    root = make_ledger(tmp_path, {"2023/05/fgw.toml": INFO})
    os.remove(root / "2023/05/gxj.toml")
    os.mkfifo(root / "2023/05/gxj.toml")  # reading it would wait for ever
    for command in ("check", "build"):  # the build's memo does not hash it either
        got = run(command)
        assert got.code == 1 and got.heads == ["ledger/2023/05/gxj.toml: E101"]
    assert out_untouched()
