"""The README stays true: its code table matches the codes the checker emits, its commands exist."""
from __future__ import annotations

import re

from ledgerkit import REPO

from scoring.ledger.problems import CODES


def test_code_table_matches_codes() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([EW]\d{3})` \| (.+?) \|$", text, re.M))
    assert table == CODES


def test_readme_shows_the_two_commands() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "python -m pip install -e . && python build.py" in text
    assert "python -m pip install -e '.[test]' && python -m pytest" in text
    ci = (REPO / ".ci/run").read_text()
    assert "python -m pip install -e '.[test]' && python -m pytest" in ci


def test_every_emitted_code_is_documented() -> None:
    used = set()
    for path in (REPO / "scoring").rglob("*.py"):
        used |= set(re.findall(r'"([EW]\d{3})"', path.read_text(encoding="utf-8")))
    assert used <= set(CODES)
