"""The golden site: tests/golden/ledger built exactly as tests/golden/site, byte for byte.

Regenerate it only on purpose, after a deliberate change to the pages, and review the diff:

    KAOPING_REGEN_GOLDEN=1 python -m pytest tests/test_golden.py

(The golden build stamps a fixed commit, 0123456…, and no 草稿 banner. The data files,
data/<YYYY>.json and .csv, are the export's and have their own tests; they are left out.)
"""
from __future__ import annotations

import difflib
import os
import shutil

from test_site_kit import GOLDEN_LEDGER, GOLDEN_SITE, GOLDEN_SOURCE, build_files

from scoring.writer import SiteWriter


def test_golden_site() -> None:
    files = {path: content for path, content in build_files(GOLDEN_LEDGER, GOLDEN_SOURCE).items()
             if not path.startswith("data/")}
    if os.environ.get("KAOPING_REGEN_GOLDEN") == "1":
        shutil.rmtree(GOLDEN_SITE, ignore_errors=True)
        writer = SiteWriter()
        writer.files = files
        writer.commit(GOLDEN_SITE)
    golden = {p.relative_to(GOLDEN_SITE).as_posix(): p.read_bytes()
              for p in sorted(GOLDEN_SITE.rglob("*")) if p.is_file()}
    assert sorted(files) == sorted(golden), "files added or removed: regenerate on purpose"
    for path in sorted(files):
        if files[path] != golden[path]:
            diff = difflib.unified_diff(golden[path].decode().splitlines(),
                                        files[path].decode().splitlines(),
                                        f"golden/{path}", f"built/{path}", lineterm="", n=1)
            raise AssertionError("\n".join(list(diff)[:60]))
