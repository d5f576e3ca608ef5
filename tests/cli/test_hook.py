"""The commit check: ``check --staged`` and the hooks follow git's index, not the working tree.

The test repositories run the real hook (hooks/pre-commit, installed with core.hooksPath) and
the entry of .pre-commit-hooks.yaml, with this checkout's ``scoring`` on PYTHONPATH.
"""
from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gitkit import INFO_A1, GitLedger, build_py
from ledgerkit import REPO

FGW = "ledger/2023/05/fgw.toml"
MISSPELT = INFO_A1.replace("title", "titel")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitLedger:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.setenv("PYTHON", sys.executable)
    repo = GitLedger(tmp_path)
    shutil.copyfile(REPO / "build.py", tmp_path / "build.py")
    shutil.copytree(REPO / "hooks", tmp_path / "hooks")
    repo.write("2023/05/fgw.toml", INFO_A1)
    repo.commit("五月台账")
    repo.git("config", "core.hooksPath", "hooks")
    return repo


def commit(repo: GitLedger, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-c", "user.name=信息室", "-c", "user.email=xxs@example.org",
                           "-c", "commit.gpgsign=false", "commit", "-q", "-m", "修改", *args],
                          cwd=repo.root, capture_output=True, text=True, check=False)


def misspelt_line() -> int:
    return MISSPELT.splitlines().index('titel = "我局召开安全生产工作会议"') + 1


def test_broken_index_fixed_worktree_is_refused(repo: GitLedger) -> None:
    head = repo.git("rev-parse", "HEAD")
    repo.write("2023/05/fgw.toml", MISSPELT)
    repo.git("add", FGW)
    repo.write("2023/05/fgw.toml", INFO_A1 + "# 已改正\n")  # mended, but not staged
    assert build_py("check", "--quiet", cwd=repo.root).returncode == 0
    staged = build_py("check", "--staged", "--quiet", cwd=repo.root)
    assert staged.returncode == 1
    assert f"{FGW}:{misspelt_line()}: E202" in staged.stderr
    assert "暂存区发现 2 个错误" in staged.stderr
    refused = commit(repo)
    assert refused.returncode != 0
    assert f"{FGW}:{misspelt_line()}: E202" in refused.stderr
    assert repo.git("rev-parse", "HEAD") == head
    repo.git("add", FGW)  # stage the mended file: now it commits
    assert commit(repo).returncode == 0
    assert repo.git("rev-parse", "HEAD") != head


def test_good_index_broken_worktree_commits(repo: GitLedger) -> None:
    repo.write("2023/05/fgw.toml", INFO_A1 + "# 已核对\n")
    repo.git("add", FGW)
    repo.write("2023/05/fgw.toml", MISSPELT)  # broken, but not what is committed
    assert build_py("check", "--quiet", cwd=repo.root).returncode == 1
    assert build_py("check", "--staged", "--quiet", cwd=repo.root).returncode == 0
    done = commit(repo)
    assert done.returncode == 0, done.stderr
    assert repo.git("show", f"HEAD:{FGW}").endswith("# 已核对")


def test_commit_all_checks_what_it_will_commit(repo: GitLedger) -> None:
    """``git commit -a`` commits from a temporary index (GIT_INDEX_FILE): that is checked."""
    head = repo.git("rev-parse", "HEAD")
    repo.write("2023/05/fgw.toml", MISSPELT)
    assert build_py("check", "--staged", "--quiet", cwd=repo.root).returncode == 0
    refused = commit(repo, "-a")
    assert refused.returncode != 0 and f"{FGW}:{misspelt_line()}: E202" in refused.stderr
    assert repo.git("rev-parse", "HEAD") == head


def test_pre_commit_framework_entry_checks_the_index(repo: GitLedger) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "kaoping-check")
    assert hook["pass_filenames"] is False and hook["language"] == "system"
    assert "--staged" in hook["entry"]
    repo.write("2023/05/fgw.toml", MISSPELT)
    repo.git("add", FGW)
    repo.write("2023/05/fgw.toml", INFO_A1)
    argv = shlex.split(hook["entry"])
    assert argv[0] == "python"
    proc = subprocess.run([sys.executable, *argv[1:]], cwd=repo.root, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 1 and f"{FGW}:{misspelt_line()}: E202" in proc.stderr


def test_staged_outside_git_and_with_strict_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "ledger").mkdir()
    proc = build_py("check", "--staged", cwd=tmp_path)
    assert proc.returncode == 2 and "git 仓库" in proc.stderr
    (tmp_path / "r").mkdir()
    GitLedger(tmp_path / "r")
    proc = build_py("check", "--staged", "--strict", cwd=tmp_path / "r")
    assert proc.returncode == 2 and "--strict" in proc.stderr
