"""The change log data: each commit with its files and the score changes it caused."""
from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

from test_gitkit import INFO_A1, GitLedger

from scoring.audit_changes import changelog, read_audit_log
from scoring.load import load_ledger

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
    assert record.delta.status == "新增" and record.delta.after.by == "区刊"  # type: ignore[union-attr]
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
    log = read_audit_log(repo.ledger)
    ledger, _ = load_ledger(repo.ledger)
    from scoring.provenance import provenance
    found = provenance(ledger, log.provenance)
    assert {k: v.sha for k, v in found.items() if v} == {("ledger/2023/05/fgw.toml", 2): sha}


def test_a_revert_restores_the_scores(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1 + CITY)
    repo.commit("报送 A1，市刊采用")
    repo.git("revert", "--no-edit", "HEAD")
    revert = changelog(repo.ledger)[0]
    assert [(c.id, c.before, c.after) for c in revert.scores][:1] == [
        ("fgw", Decimal(20), Decimal(0))]


def test_no_repository_no_entries(tmp_path: Path) -> None:
    assert changelog(tmp_path) == []


def test_the_replay_parses_every_file_as_the_loader_does(tmp_path: Path) -> None:
    """Appended records are parsed alone during the replay; the result must be the same."""
    from scoring.audit_history import walk
    from scoring.bench_history import make_repo
    make_repo(tmp_path, 120)
    path = next(p for p in sorted((tmp_path / "ledger/2023").rglob("*.toml"))
                if p.read_text(encoding="utf-8").count("[[") > 3)
    path.write_text(path.read_text(encoding="utf-8").replace("[[", "\n# 编辑\n[[", 1),
                    encoding="utf-8")   # an edit that is not an append
    subprocess.run(["git", "-C", str(tmp_path), "-c", "user.name=x", "-c", "user.email=x@x",
                    "commit", "-qam", "编辑"], check=True)
    _, replay = walk(tmp_path, "ledger", [])
    ledger, _ = load_ledger(tmp_path / "ledger")
    loaded = {um.path: um for y in ledger.years.values() for m in y.months.values()
              for um in m.values()}
    replayed = {p: replay.parse(p, b) for p, b in replay.files.items() if p in loaded}
    assert replayed == {p: loaded[p] for p in replayed} and len(replayed) == len(loaded)
    assert sum(len(um.records()) for um in loaded.values()) > 300


def test_incremental_scores_equal_a_full_scoring(tmp_path: Path) -> None:
    """Units scored one at a time, commit by commit, end where the scorer's full run does."""
    from scoring.audit_changes import ScoreTracker
    from scoring.audit_history import walk
    from scoring.audit_score import score_ledger
    from scoring.bench_history import make_repo
    from scoring.pipeline import check_ledger
    make_repo(tmp_path, 400)
    tracker = ScoreTracker()
    walk(tmp_path, "ledger", [tracker])
    ledger, problems = check_ledger(tmp_path / "ledger")
    assert [p for p in problems if p.is_error] == []
    full = score_ledger(ledger)[2023]
    assert {u: (s.total, tracker.years[2023].ranks[u])
            for u, s in tracker.years[2023].units.items()} == \
        {s.unit.id: (s.total, s.rank_in_category) for s in full.units}
    assert len({s.total for s in full.units}) > 10


def test_page_data_of_the_change_log(tmp_path: Path) -> None:
    from scoring.audit_page import changes_context
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1 + CITY)
    repo.commit("报送 A1，市刊采用", author="张三")
    repo.append("2023/05/fgw.toml", DISTRICT)
    repo.commit("区刊采用 A1\n\n据区刊第 18 期。", author="李四")
    newest = changes_context(read_audit_log(repo.ledger))["entries"][0]
    assert newest["commit"]["author"] == "李四" and newest["commit"]["body"] == "据区刊第 18 期。"
    assert newest["scores"] == [{"year": 2023, "href": None, "id": "fgw", "name": "发改委",
                                 "before": "20",
                                 "after": "30", "delta": "+10", "up": True, "down": False,
                                 "rank_before": "1", "rank_after": "1", "rank_changed": False}]
    assert newest["records"] == [{"status": "新增", "where": "ledger/2023/05/fgw.toml:12",
                                  "text": "[[adoption]] A1 区刊 2023-05-20", "points": "+10"}]


def test_reranking_one_moved_unit_equals_ranking_afresh() -> None:
    """rerank_one (the usual commit) against the scorer's competition ranking, ties included."""
    import random
    from types import SimpleNamespace

    from scoring.audit_changes import _Frame, rerank_one
    from scoring.rank import competition_ranks

    rng = random.Random(5)
    for _ in range(2000):
        members = [f"u{i}" for i in range(rng.randint(1, 9))]
        values = [Decimal(rng.randint(0, 6)) / 2 for _ in members]
        uid = rng.choice(members)
        before = values[members.index(uid)]
        after = Decimal(rng.randint(0, 6)) / 2
        if after == before:
            continue
        old = dict(zip(members, competition_ranks(values)))
        values[members.index(uid)] = after
        units = {m: SimpleNamespace(total=v) for m, v in zip(members, values)}
        frame = _Frame({m: SimpleNamespace(name=m) for m in members}, {1: members})
        ranks = dict(old)
        changes = rerank_one(2023, frame, members, units, ranks, uid, before)  # type: ignore[arg-type]
        assert ranks == dict(zip(members, competition_ranks(values)))
        expected = [m for m in members if m == uid or ranks[m] != old[m]]
        assert [c.id for c in changes] == expected
        assert all((c.rank_before, c.rank_after) == (old[c.id], ranks[c.id]) for c in changes)
        assert all(c.after == units[c.id].total for c in changes)
