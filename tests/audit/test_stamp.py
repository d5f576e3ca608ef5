"""The build's source stamp follows the repository: HEAD commit, dirty when ledger/ changed."""
from __future__ import annotations

from pathlib import Path

import pytest
from gitkit import INFO_A1, GitLedger

from scoring import pipeline
from scoring.audit import git
from scoring.audit.git import source_stamp


def test_stamp_names_head_and_follows_the_tree(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    head = repo.git("rev-parse", "HEAD")
    assert source_stamp(repo.ledger) == (head, False)
    repo.write("2023/05/fgw.toml", INFO_A1)          # untracked files count as changes
    assert source_stamp(repo.ledger) == (head, True)
    new = repo.commit("报送 A1")
    assert source_stamp(repo.ledger) == (new, False)
    repo.append("2023/05/fgw.toml", "# 备注\n")     # any edit, even a comment
    assert source_stamp(repo.ledger)[1] is True


def test_changes_outside_the_ledger_do_not_make_it_dirty(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert source_stamp(repo.ledger)[1] is False


def test_repository_without_commits(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path, commit=False)
    assert source_stamp(repo.ledger) == (None, True)


def test_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ledger").mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert source_stamp(tmp_path / "ledger") == (None, False)


def test_without_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = GitLedger(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))
    assert git.git_available() is False
    assert source_stamp(repo.ledger) == (None, False)


def test_build_stamps_the_data_files(tmp_path: Path) -> None:
    import json
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1)
    pipeline.build_site(repo.ledger, tmp_path / "output")
    doc = json.loads((tmp_path / "output/data/2023.json").read_text(encoding="utf-8"))
    assert doc["source"] == {"commit": repo.git("rev-parse", "HEAD"), "dirty": True}
