"""Regenerate the golden site, ``tests/golden/site``, from ``tests/golden/ledger``.

    python tools/regen_golden.py

Run it only after a deliberate change to the pages, and review the diff (``git diff
tests/golden/site``) as part of that change: ``tests/site/test_golden.py`` compares every
build with these files byte for byte.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests" / "kits")]

from sitekit import GOLDEN_SITE, build_golden  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="kaoping-golden-") as tmp:
        files = build_golden(Path(tmp))
    shutil.rmtree(GOLDEN_SITE, ignore_errors=True)
    for rel, content in files.items():
        target = GOLDEN_SITE / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    print(f"已重新生成 {GOLDEN_SITE.relative_to(REPO)}（{len(files)} 个文件），请审阅 git diff。")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
