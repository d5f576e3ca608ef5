"""The change log over histories: what it states of each commit is what the scorer gives for
that commit's ledger, and the commit cache changes nothing of it, over random histories too
(``historykit``: edits, deletions, invalid references, once-a-year and penalty events, late
commissions, a 信息 turned 专报 after its adoption, rules and units changed…)."""
from __future__ import annotations

import subprocess
from pathlib import Path

from bench_history import make_repo
from gitkit import trail_of
from historykit import make_history

from scoring.audit.changelog import ScoreTracker
from scoring.audit.git import export_tree, log_ledger, read_blobs
from scoring.audit.history import LedgerState
from scoring.cache import Cache
from scoring.ledger.check import check_ledger
from scoring.ledger.problems import errors_in
from scoring.rulebook.score import score_ledger


def test_each_commit_scores_as_the_scorer_scores_its_tree(tmp_path: Path) -> None:
    """Over a valid history (the history benchmark's), every 20th commit's tree."""
    root = tmp_path / "repo"
    make_repo(root, 300)
    state = LedgerState("ledger", {}, lambda ids: read_blobs(root, ids))
    tracker = ScoreTracker(state)
    compared = 0
    for i, log in enumerate(log_ledger(root, "ledger")):
        tracker.commit(log, state.advance(log))
        if i % 20:
            continue
        tree = export_tree(root, log.info.sha, "ledger", tmp_path / log.info.sha)
        ledger, problems = check_ledger(tree)
        if errors_in(problems):
            continue  # the change log scores what remains valid; the build would stop here
        compared += 1
        for year, score in score_ledger(ledger).items():
            table = tracker.tables[year]
            assert table is not None
            assert {u: (s.total, table.ranks[u]) for u, s in table.units.items()} == \
                {s.unit.id: (s.total, s.rank_in_category) for s in score.units}, (i, year)
    assert compared >= 12


def _facts(root: Path, cache: Cache | None) -> tuple[object, ...]:
    trail = trail_of(root / "ledger", cache)
    return (trail.entries, trail.corrections, trail.record_commits)


def test_kept_and_resumed_walks_equal_a_fresh_one(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    make_history(root, 5, commits=120)
    cache = Cache(tmp_path / "cache")
    cold = _facts(root, cache)
    assert _facts(root, cache) == cold == _facts(root, None)
    for i in range(2):   # commits on top: the walk resumes after the kept ones
        files = sorted(p for p in (root / "ledger").rglob("*.toml")
                       if p.parent.name.isdigit() and len(p.parent.name) == 2)
        f = files[(7 + 13 * i) % len(files)]
        f.write_text(f.read_text("utf-8") + f'\n[[event]]\nkind = "失实滞后"\n'
                     f"date = {f.parent.parent.name}-{f.parent.name}-04\n", "utf-8")
        subprocess.run(["git", "-C", str(root), "commit", "-qam", f"补记 {i}"], check=True)
    resumed = _facts(root, cache)
    assert resumed == _facts(root, None)
    assert len(resumed[0]) == len(cold[0]) + 2  # type: ignore[arg-type]


def test_the_history_reads_folders_as_the_loader_does() -> None:
    """A full-width ``２０２３/`` is no year in any commit, as it is none in the working tree
    (E104): history and loader agree on which files are the ledger's."""
    from scoring.audit.history import LedgerState
    state = LedgerState("ledger", {}, lambda ids: {})
    assert state.kind("ledger/2023/05/fgw.toml").unit is not None
    assert state.kind("ledger/2023/rules.toml").config == 2023
    for odd in ("ledger/２０２３/05/fgw.toml", "ledger/２０２３/rules.toml"):
        kind = state.kind(odd)
        assert kind.unit is None and kind.month is None and kind.config is None
