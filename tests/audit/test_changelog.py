"""The change log data: each commit with its files and the score changes it caused."""
from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

from gitkit import INFO_A1, GitLedger, changelog, trail_of

from scoring.ledger.load import load_ledger

CITY = '\n[[adoption]]\noa = "A1"\nby = "市刊"\ndate = 2023-05-10\n'
DISTRICT = '\n[[adoption]]\noa = "A1"\nby = "区刊"\ndate = 2023-05-20\n'


def test_each_commit_with_its_score_changes(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1 + CITY)
    repo.commit("报送 A1，市刊采用", author="张三")
    repo.append("2023/05/fgw.toml", DISTRICT)
    sha = repo.commit("区刊采用 A1", author="李四")
    (repo.ledger / "2023/05/bulletin.md").write_text("本月按语\n", encoding="utf-8")
    repo.commit("5 月按语")
    log = changelog(repo.ledger)
    assert [e.commit.subject for e in log] == ["5 月按语", "区刊采用 A1", "报送 A1，市刊采用",
                                               "建立 2023 年度配置"]
    bulletin, adoption, first, config = log
    assert bulletin.files == ("ledger/2023/05/bulletin.md",) and bulletin.scores == ()
    assert adoption.commit.sha == sha and adoption.commit.author == "李四"
    assert adoption.files == ("ledger/2023/05/fgw.toml",)
    assert [tuple(c) for c in adoption.scores] == [
        (2023, "fgw", "发改委", Decimal(20), Decimal(30), 1, 1)]
    (record,) = adoption.records
    assert record.status == "新增" and record.text == "[[adoption]] A1 区刊 2023-05-20"
    assert (record.points_before, record.points_after) == (None, Decimal(10))
    # the first ledger commit: every category-1 unit but fgw falls to 2nd; kjj (category 2)
    # and every other untouched category never appear
    assert {c.id for c in first.scores} == {"fgw", "gxj", "swj", "jyj", "mzj", "czj", "rsj",
                                            "zjj", "scj", "tjj", "nmj", "yqgwh", "zwj"}
    assert len(config.scores) == 47 and config.scores[0].before is None


def test_one_walk_serves_the_change_log_and_provenance(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1)
    sha = repo.commit("报送 A1")
    trail = trail_of(repo.ledger)
    assert trail.entries[0].commit.sha == sha
    assert {k: v.sha for k, v in trail.record_commits.items() if v} == {
        ("ledger/2023/05/fgw.toml", 2): sha}


def test_a_revert_restores_the_scores(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1 + CITY)
    repo.commit("报送 A1，市刊采用")
    repo.git("revert", "--no-edit", "HEAD")
    revert = changelog(repo.ledger)[0]
    assert [(c.id, c.before, c.after) for c in revert.scores][:1] == [
        ("fgw", Decimal(20), Decimal(0))]


def test_no_repository_no_trail(tmp_path: Path) -> None:
    from scoring.audit.trail import read_trail
    from scoring.ledger.load import load_ledger
    assert read_trail(load_ledger(tmp_path)[0]) is None


def test_the_walk_parses_every_file_as_the_loader_does(tmp_path: Path) -> None:
    """The history's state at HEAD parses each file (from git's blobs) as the loader does."""
    from bench_history import make_repo

    from scoring.audit.git import log_ledger, read_blobs
    from scoring.audit.history import LedgerState
    from scoring.ledger.load import load_ledger
    make_repo(tmp_path, 120)
    path = next(p for p in sorted((tmp_path / "ledger/2023").rglob("*.toml"))
                if p.read_text(encoding="utf-8").count("[[") > 3)
    path.write_text(path.read_text(encoding="utf-8").replace("[[", "\n# 编辑\n[[", 1),
                    encoding="utf-8")   # an edit that is not an append
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-qam", "编辑"], check=True)
    state = LedgerState("ledger", {}, lambda ids: read_blobs(tmp_path, ids))
    for log in log_ledger(tmp_path, "ledger"):
        state.advance(log)
    ledger, _ = load_ledger(tmp_path / "ledger")
    loaded = {um.path: um for um in ledger.unit_months()}
    replayed = {p: state.parse(p, b) for p, b in state.files.items() if p in loaded}
    assert replayed == {p: loaded[p] for p in replayed} and len(replayed) == len(loaded)
    assert sum(len(um.records()) for um in loaded.values()) > 300


def test_scores_commit_by_commit_equal_a_full_scoring(tmp_path: Path) -> None:
    """Units scored one at a time, commit by commit, end where the scorer's full run does."""
    from bench_history import make_repo

    from scoring.audit.changelog import ScoreTracker
    from scoring.audit.git import log_ledger, read_blobs
    from scoring.audit.history import LedgerState
    from scoring.ledger.check import check_ledger
    from scoring.rulebook.score import score_ledger
    make_repo(tmp_path, 400)
    state = LedgerState("ledger", {}, lambda ids: read_blobs(tmp_path, ids))
    tracker = ScoreTracker(state)
    for log in log_ledger(tmp_path, "ledger"):
        tracker.commit(log, state.advance(log))
    ledger, problems = check_ledger(tmp_path / "ledger")
    assert [p for p in problems if p.is_error] == []
    full = score_ledger(ledger)[2023]
    table = tracker.tables[2023]
    assert table is not None
    assert {u: (s.total, table.ranks[u]) for u, s in table.units.items()} == \
        {s.unit.id: (s.total, s.rank_in_category) for s in full.units}
    assert len({s.total for s in full.units}) > 10


def test_page_data_of_the_change_log(tmp_path: Path) -> None:
    from scoring.site.common import Source
    from scoring.site.page_changes import changes_page
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1 + CITY)
    repo.commit("报送 A1，市刊采用", author="张三")
    repo.append("2023/05/fgw.toml", DISTRICT)
    repo.commit("区刊采用 A1\n\n据区刊第 18 期。", author="李四")
    ledger = load_ledger(repo.ledger)[0]
    newest = changes_page(ledger, Source(), trail_of(repo.ledger))["entries"][0]
    assert newest["commit"]["author"] == "李四" and newest["commit"]["body"] == "据区刊第 18 期。"
    assert newest["scores"] == [{"year": 2023, "href": "2023/units/fgw.html", "id": "fgw",
                                 "name": "发改委",
                                 "before": "20",
                                 "after": "30", "delta": "+10", "up": True, "down": False,
                                 "rank_before": "1", "rank_after": "1", "rank_changed": False}]
    assert newest["records"] == [{"status": "新增", "where": "ledger/2023/05/fgw.toml:12",
                                  "text": "[[adoption]] A1 区刊 2023-05-20", "points": "+10"}]
