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


def test_one_time_set_up_matches_the_repository() -> None:
    """The set-up section names the textconv driver .gitattributes uses, the hooks folder
    that holds the hook, and the check the hook runs."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    setup = text[text.index("## 一次性设置"):text.index("## 每月流程")]
    driver = re.search(r"diff=(\w+)", (REPO / ".gitattributes").read_text())
    assert driver and f'git config diff.{driver[1]}.textconv "python build.py textconv"' in setup
    hooks_path = re.search(r"git config core\.hooksPath (\S+)", setup)
    assert hooks_path and (REPO / hooks_path[1] / "pre-commit").is_file()
    assert "check --staged" in (REPO / hooks_path[1] / "pre-commit").read_text()
    month = text[text.index("## 每月流程"):text.index("## 从 OA 平台导入")]
    steps = ["build.py import", "build.py serve", "补全", "git commit", "build.py close"]
    assert [month.index(s) for s in steps] == sorted(month.index(s) for s in steps)
