"""The build's source stamp follows the repository: HEAD commit, dirty when ledger/ changed."""
from __future__ import annotations

from pathlib import Path

import pytest
from test_gitkit import INFO_A1, GitLedger

from scoring import gitlog, pipeline
from scoring.gitlog import source_stamp


def test_stamp_names_head_and_follows_the_tree(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    head = repo.git("rev-parse", "HEAD")
    assert source_stamp(repo.ledger) == {"commit": head, "dirty": False}
    repo.write("2023/05/fgw.toml", INFO_A1)          # untracked files count as changes
    assert source_stamp(repo.ledger) == {"commit": head, "dirty": True}
    new = repo.commit("报送 A1")
    assert source_stamp(repo.ledger) == {"commit": new, "dirty": False}
    repo.append("2023/05/fgw.toml", "# 备注\n")     # any edit, even a comment
    assert source_stamp(repo.ledger)["dirty"] is True


def test_changes_outside_the_ledger_do_not_make_it_dirty(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert source_stamp(repo.ledger)["dirty"] is False


def test_repository_without_commits(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path, commit=False)
    assert source_stamp(repo.ledger) == {"commit": None, "dirty": True}


def test_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ledger").mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert source_stamp(tmp_path / "ledger") == {"commit": None, "dirty": False}


def test_without_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = GitLedger(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))
    assert gitlog.git_available() is False
    assert source_stamp(repo.ledger) == {"commit": None, "dirty": False}


def test_build_hands_the_stamp_to_the_renderer(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1)
    seen: dict[str, object] = {}
    monkeypatch.setattr(pipeline, "render_all",
                        lambda ledger, writer, progress=None, **kw: seen.update(kw))
    pipeline.build_site(repo.ledger, tmp_path / "output")
    assert seen["source"] == {"commit": repo.git("rev-parse", "HEAD"), "dirty": True}
