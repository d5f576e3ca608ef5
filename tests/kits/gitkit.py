"""Helpers for the audit tests (no tests here): a ledger in a temporary git repository.

    repo = GitLedger(tmp_path)                      # git init, 2023 units.toml and rules.toml
    repo.write("2023/05/fgw.toml", INFO_A1)         # month folder filled with empty unit files
    sha = repo.commit("报送信息", author="张三")
"""
from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

from ledgerkit import DEMO_CONFIG, build_py, unit_ids_2023

from scoring.audit.changelog import ChangeEntry
from scoring.audit.trail import Trail, read_trail
from scoring.cache import Cache
from scoring.ledger.load import load_ledger

__all__ = ["ADOPT_A1", "INFO_A1", "GitLedger", "build_py", "changelog", "trail_of"]

INFO_A1 = """
[[info]]
oa = "A1"
title = "我局召开安全生产工作会议"
date = 2023-05-02
"""

ADOPT_A1 = """
[[adoption]]
oa = "A1"
by = "区刊"
date = 2023-05-20
"""


class GitLedger:
    """A git repository at ``root`` whose ``ledger/`` holds the 2023 configuration."""

    def __init__(self, root: Path, commit: bool = True) -> None:
        self.root = root
        self.ledger = root / "ledger"
        self.git("init", "-q", "-b", "main")
        for name in ("units.toml", "rules.toml"):
            (self.ledger / "2023").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(DEMO_CONFIG / name, self.ledger / "2023" / name)
        if commit:
            self.commit("建立 2023 年度配置")

    def git(self, *args: str) -> str:
        proc = subprocess.run(["git", "-c", "user.name=信息室", "-c", "user.email=xxs@example.org",
                               "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
                              cwd=self.root, capture_output=True, text=True, check=True)
        return proc.stdout.strip()

    def write(self, rel: str, text: str, fill: bool = True) -> None:
        """Write ``ledger/<rel>``; fill its month folder with empty files of the other units."""
        target = self.ledger / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
        if fill and target.parent.name.isdigit():
            for uid in unit_ids_2023():
                (target.parent / f"{uid}.toml").touch()

    def append(self, rel: str, text: str) -> None:
        with open(self.ledger / rel, "a", encoding="utf-8") as f:
            f.write(textwrap.dedent(text))

    def commit(self, message: str, author: str = "信息室") -> str:
        self.git("add", "-A")
        self.git("-c", f"user.name={author}", "commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")


def trail_of(ledger_dir: Path, cache: Cache | None = None) -> Trail:
    """The audit trail of a ledger in a git repository, as the build reads it."""
    ledger, _ = load_ledger(ledger_dir)
    found = read_trail(ledger, cache)
    assert found is not None, "not in a git repository"
    return found


def changelog(ledger_dir: Path) -> list[ChangeEntry]:
    """The change log of a ledger in a git repository, newest first."""
    return trail_of(ledger_dir).entries
