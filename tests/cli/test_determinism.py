"""The same ledger at the same commit builds byte-identical output, whatever the process:
two builds in two processes with different hash seeds (set and dict order of strings differ)."""
from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

from ledgerkit import REPO
from sitekit import golden_repo


def _build(repo: Path, out: str, seed: str) -> None:
    subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--ledger", "ledger",
                    "--out", out, "--quiet", "--no-cache"], cwd=repo, check=True,
                   env={**os.environ, "PYTHONHASHSEED": seed})


def _same_tree(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b)
    found = [*cmp.left_only, *cmp.right_only, *cmp.funny_files]
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    found += [str(a / m) for m in (*mismatch, *errors)]
    for d in cmp.common_dirs:
        found += _same_tree(a / d, b / d)
    return found


def test_two_processes_with_other_hash_seeds_build_the_same_bytes(tmp_path: Path) -> None:
    repo = golden_repo(tmp_path)
    _build(repo, "out-a", "1")
    _build(repo, "out-b", "2024")
    assert not _same_tree(repo / "out-a", repo / "out-b")
    assert len(list((repo / "out-a").rglob("*.html"))) > 10
