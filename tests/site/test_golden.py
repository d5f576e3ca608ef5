"""The golden site: tests/golden/ledger, committed in a git repository and built by the real
build path, gives exactly tests/golden/site, byte for byte (pages and data files).

Regenerate it only on purpose, after a deliberate change to the pages, and review the diff:

    python tools/regen_golden.py
"""
from __future__ import annotations

import difflib
from pathlib import Path

from sitekit import GOLDEN_SITE, build_golden


def test_golden_site(tmp_path: Path) -> None:
    files = build_golden(tmp_path)
    golden = {p.relative_to(GOLDEN_SITE).as_posix(): p.read_bytes()
              for p in sorted(GOLDEN_SITE.rglob("*")) if p.is_file()}
    assert sorted(files) == sorted(golden), "files added or removed: regenerate on purpose"
    for path in sorted(files):
        if files[path] != golden[path]:
            diff = difflib.unified_diff(golden[path].decode("utf-8-sig", "replace").splitlines(),
                                        files[path].decode("utf-8-sig", "replace").splitlines(),
                                        f"golden/{path}", f"built/{path}", lineterm="", n=1)
            raise AssertionError("\n".join(list(diff)[:60]))
