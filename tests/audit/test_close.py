"""Closed months: ``close`` tags HEAD; later changes of the month are corrections with a reason."""
from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from gitkit import ADOPT_A1, INFO_A1, GitLedger, build_py, trail_of
from ledgerkit import REPO

from scoring.audit.closing import Correction, corrections_for_bulletin, reasons

F = "ledger/2023/05/fgw.toml"
EVENT = '\n[[event]]\nkind = "失实滞后"\ndate = 2023-05-04\n'


def corrections(ledger: Path) -> list[Correction]:
    return trail_of(ledger).corrections


@pytest.fixture
def closed(tmp_path: Path) -> GitLedger:
    """May is recorded, committed and closed."""
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1 + ADOPT_A1)
    repo.commit("5 月台账")
    proc = build_py("close", "2023-05", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return repo


def test_close_tags_head(closed: GitLedger) -> None:
    assert closed.git("rev-parse", "bulletin/2023-05^{commit}") == closed.git("rev-parse", "HEAD")
    assert closed.git("cat-file", "-t", "bulletin/2023-05") == "tag"       # annotated
    again = build_py("close", "2023-05", cwd=closed.root)
    assert again.returncode == 1 and "已关账" in again.stderr


def test_close_refuses_a_dirty_ledger_and_a_missing_month(closed: GitLedger) -> None:
    closed.write("2023/06/fgw.toml", INFO_A1.replace("A1", "B1").replace("05-02", "06-02"))
    proc = build_py("close", "2023-06", cwd=closed.root)
    assert proc.returncode == 1 and "未提交的修改" in proc.stderr
    proc = build_py("close", "2023-07", cwd=closed.root)
    assert proc.returncode == 2 and "ledger/2023/07 不存在" in proc.stderr
    assert build_py("close", "2023-5", cwd=closed.root).returncode == 2
    assert closed.git("tag", "--list") == "bulletin/2023-05"


def test_a_correction_without_reason_fails_check_strict(closed: GitLedger) -> None:
    closed.append("2023/05/fgw.toml", EVENT)
    sha = closed.commit("补录失实滞后", author="张三")
    plain = build_py("check", cwd=closed.root)      # plain check: a warning, not a refusal
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.startswith(f"{F}: W501 2023 年 5 月已关账，提交 {sha[:7]}（张三，")
    proc = build_py("check", "--strict", cwd=closed.root)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{F}: E501 2023 年 5 月已关账，提交 {sha[:7]}（张三，")
    (c,) = corrections(closed.ledger)
    assert (c.year, c.month, c.commit.sha, c.files, c.reason) == (2023, 5, sha, (F,), None)
    assert [(s.id, s.before, s.after, s.rank_after) for s in c.scores[:2]] == [
        ("fgw", Decimal(10), Decimal(0), 1), ("gxj", Decimal(0), Decimal(0), 1)]  # tied again
    trail = trail_of(closed.ledger)
    assert trail.corrections_of(trail.entries[0].commit.sha) == [c]  # the change log flags it


def test_a_correction_with_reason_passes(closed: GitLedger) -> None:
    closed.append("2023/05/fgw.toml", EVENT)
    closed.commit("补录失实滞后\n\n更正原因：5 月 4 日报送滞后，漏记\n")
    proc = build_py("check", "--strict", cwd=closed.root)
    assert proc.returncode == 0, proc.stderr
    assert corrections(closed.ledger)[0].reason == "5 月 4 日报送滞后，漏记"


def test_a_later_commit_may_give_the_reason(closed: GitLedger) -> None:
    closed.append("2023/05/fgw.toml", EVENT)
    sha = closed.commit("补录失实滞后")
    closed.commit(f"补写更正原因\n\n更正原因({sha[:7]})：报送滞后，漏记\n")
    assert build_py("check", "--strict", cwd=closed.root).returncode == 0


def test_other_months_are_not_corrections(closed: GitLedger) -> None:
    closed.write("2023/06/fgw.toml", INFO_A1.replace("A1", "B1").replace("05-02", "06-02"))
    closed.commit("6 月台账")
    assert corrections(closed.ledger) == []
    assert build_py("check", "--strict", cwd=closed.root).returncode == 0


def test_the_next_bulletin_lists_the_correction(closed: GitLedger) -> None:
    closed.write("2023/06/fgw.toml", INFO_A1.replace("A1", "B1").replace("05-02", "06-02"))
    closed.commit("6 月台账")
    closed.append("2023/05/fgw.toml", EVENT)
    closed.commit("补录\n\nCorrection: late report\n")
    months = [(2023, 5), (2023, 6)]
    (c,) = corrections(closed.ledger)
    assert c.listed_in is None                                      # June not yet published
    assert corrections_for_bulletin([c], 2023, 6, months, {(2023, 5)}) == [c]
    assert build_py("close", "2023-06", cwd=closed.root).returncode == 0
    (c,) = corrections(closed.ledger)
    assert c.listed_in == (2023, 6) and c.reason == "late report"
    assert corrections_for_bulletin([c], 2023, 5, months, {(2023, 5), (2023, 6)}) == []


def test_reason_trailers() -> None:
    assert reasons("标题\n\n更正原因: 漏记\n") == [(None, "漏记")]
    assert reasons("更正原因（abc1234）：补写") == [("abc1234", "补写")]
    assert reasons("正文提到更正原因：不算") == []
    assert reasons("更正原因：\n") == []


def test_a_closed_bulletin_rebuilds_byte_identical_from_its_tag(closed: GitLedger) -> None:
    root = closed.root
    assert build_py("build", "--out", str(root.parent / "published"), cwd=root).returncode == 0
    closed.append("2023/05/fgw.toml", EVENT)
    closed.commit("补录\n\n更正原因：漏记\n")
    closed.write("2023/06/fgw.toml", INFO_A1.replace("A1", "B1").replace("05-02", "06-02"))
    closed.commit("6 月台账")
    tree = root.parent / "at-tag"
    closed.git("worktree", "add", "-q", "--detach", str(tree), "bulletin/2023-05")
    assert build_py("build", "--out", str(root.parent / "rebuilt"), cwd=tree).returncode == 0
    published, rebuilt = root.parent / "published", root.parent / "rebuilt"
    files = sorted(p.relative_to(published) for p in published.rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(rebuilt) for p in rebuilt.rglob("*")
                                     if p.is_file())
    match, mismatch, errors = filecmp.cmpfiles(published, rebuilt, [str(f) for f in files],
                                               shallow=False)
    assert (mismatch, errors) == ([], [])


def test_close_without_git_identity_explains_how_to_set_one(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    repo = GitLedger(tmp_path / "repo")
    repo.write("2023/05/fgw.toml", INFO_A1 + ADOPT_A1)
    repo.commit("5 月台账")
    home = tmp_path / "home"
    home.mkdir()
    bare = tmp_path / "gitconfig"      # no [user]; and git may not guess one from the host
    bare.write_text("[user]\n\tuseConfigOnly = true\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_AUTHOR", "GIT_COMMITTER"))
           and k not in ("EMAIL",)}
    env.update(HOME=str(home), GIT_CONFIG_GLOBAL=str(bare), GIT_CONFIG_NOSYSTEM="1")
    proc = subprocess.run([sys.executable, str(REPO / "build.py"), "close", "2023-05"],
                          cwd=repo.root, env=env, capture_output=True, text=True,
                          encoding="utf-8")
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("错误：本机未设置 git 身份，无法建立关账标签"), proc.stderr
    assert 'git config --global user.name "姓名"' in proc.stderr
    assert 'git config --global user.email "邮箱"' in proc.stderr
    assert "Author identity unknown" not in proc.stderr and "Please tell me" not in proc.stderr
    assert repo.git("tag", "--list") == ""
