"""Test set-up shared by every stage's tests: the kits on the import path, and a git identity.

The tests commit and tag in temporary repositories. They bring their own git configuration
(an identity, no signing), so that they pass on a machine without a git identity and with
``HOME`` pointing anywhere; a test's own ``git -c user.name=…`` still takes precedence.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests" / "kits"), str(REPO / "tools")]  # kits; the benchmarks' ledgers

_CONFIG = Path(tempfile.mkdtemp(prefix="kaoping-tests-")) / "gitconfig"
_CONFIG.write_text("[user]\n\tname = 信息室\n\temail = xxs@example.org\n"
                   "[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n"
                   "[init]\n\tdefaultBranch = main\n", encoding="utf-8")
os.environ["GIT_CONFIG_GLOBAL"] = str(_CONFIG)
os.environ["GIT_CONFIG_NOSYSTEM"] = "1"
