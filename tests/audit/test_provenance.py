"""Record provenance: the commit that last changed each record, from one walk of the history."""
from __future__ import annotations

from pathlib import Path

import pytest
from gitkit import ADOPT_A1, INFO_A1, GitLedger, changelog, trail_of
from ledgerkit import make_ledger

from scoring.audit.provenance import UNCOMMITTED
from scoring.audit.trail import read_trail
from scoring.ledger.load import load_ledger
from scoring.site.page_changes import commit_label

F = "ledger/2023/05/fgw.toml"
EVENT = """
[[event]]
kind = "轮训"
date = 2023-05-03
"""


def lines_to_commits(repo: GitLedger) -> dict[int, str | None]:
    return {line: (c.sha if c else None)
            for (path, line), c in trail_of(repo.ledger).record_commits.items()
            if path == F}


def test_a_later_edit_of_another_record_keeps_the_first_commit(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1 + EVENT)
    first = repo.commit("报送 A1，登记轮训", author="张三")
    # a new record inserted above the event moves it down two lines, and edits nothing else
    text = (repo.ledger / "2023/05/fgw.toml").read_text(encoding="utf-8")
    (repo.ledger / "2023/05/fgw.toml").write_text(
        text.replace("[[event]]", '[[adoption]]\noa = "A1"\nby = "区刊"\ndate = 2023-05-20\n\n'
                     "[[event]]"), encoding="utf-8")
    second = repo.commit("区刊采用 A1", author="李四")
    assert lines_to_commits(repo) == {2: first, 7: second, 12: first}


def test_an_edited_record_names_the_editing_commit(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1 + ADOPT_A1)
    first = repo.commit("报送并采用 A1")
    path = repo.ledger / "2023/05/fgw.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("2023-05-20", "2023-05-21")
                    .replace("# ", "#"), encoding="utf-8")
    second = repo.commit("更正采用日期", author="王五")
    assert lines_to_commits(repo) == {2: first, 7: second}
    commit = trail_of(repo.ledger).record_commits[(F, 7)]
    assert commit is not None and commit.author == "王五" and commit.subject == "更正采用日期"
    assert commit_label(commit).startswith(f"{second[:7]} 王五 ")  # as the unit page shows it


def test_formatting_only_changes_are_not_changes(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1)
    first = repo.commit("报送 A1")
    path = repo.ledger / "2023/05/fgw.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text("# 发改委 5 月\n" + text.replace(" = ", "=").replace('oa="A1"\n', "")
                    .replace("[[info]]\n", '[[info]]\noa = "A1"\n'), encoding="utf-8")
    repo.commit("整理格式")
    assert set(lines_to_commits(repo).values()) == {first}


def test_uncommitted_records_map_to_none(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1)
    first = repo.commit("报送 A1")
    repo.append("2023/05/fgw.toml", ADOPT_A1)
    assert lines_to_commits(repo) == {2: first, 7: None}
    assert commit_label(None) == UNCOMMITTED


def test_appended_records_keep_their_commits_through_later_edits(tmp_path: Path) -> None:
    """Records appended commit by commit, then one edited in place, then one more appended:
    each record names its own commit, as committed and with an uncommitted record added."""
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1)
    first = repo.commit("报送 A1")
    repo.append("2023/05/fgw.toml", ADOPT_A1)
    second = repo.commit("区刊采用 A1")
    repo.append("2023/05/fgw.toml", EVENT)
    third = repo.commit("登记轮训")
    assert lines_to_commits(repo) == {2: first, 7: second, 12: third}
    path = repo.ledger / "2023/05/fgw.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("2023-05-03", "2023-05-04"),
                    encoding="utf-8")
    fourth = repo.commit("更正轮训日期")
    repo.append("2023/05/fgw.toml", INFO_A1.replace("A1", "A3"))
    fifth = repo.commit("报送 A3")
    assert lines_to_commits(repo) == {2: first, 7: second, 12: fourth, 16: fifth}
    repo.append("2023/05/fgw.toml", INFO_A1.replace("A1", "A2"))
    assert lines_to_commits(repo) == {2: first, 7: second, 12: fourth, 16: fifth, 21: None}


def test_outside_git_there_is_no_trail(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    ledger, _ = load_ledger(make_ledger(tmp_path, {"2023/05/fgw.toml": INFO_A1}))
    assert read_trail(ledger) is None  # no history: the pages show no 提交 column


def test_merged_branches_count_as_their_merge_commit(tmp_path: Path) -> None:
    """History is read along the first-parent line: a merge is one change of the main line."""
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1)
    first = repo.commit("报送 A1")
    repo.git("checkout", "-q", "-b", "补录")
    repo.append("2023/05/fgw.toml", ADOPT_A1)
    repo.commit("区刊采用 A1", author="李四")
    repo.git("checkout", "-q", "main")
    repo.write("2023/05/gxj.toml", INFO_A1.replace("A1", "G1"), fill=False)
    repo.commit("报送 G1")
    repo.git("merge", "-q", "--no-ff", "-m", "合并补录", "补录")
    merge = repo.git("rev-parse", "HEAD")
    assert lines_to_commits(repo) == {2: first, 7: merge}
    log = changelog(repo.ledger)
    assert [e.commit.subject for e in log[:3]] == ["合并补录", "报送 G1", "报送 A1"]
    assert log[0].files == (F,) and log[0].scores[0].id == "fgw"
