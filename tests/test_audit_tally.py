"""The change log's lean scoring and appended-record paths against the exact ones.

Over random histories (``historykit``: edits, deletions, invalid references, once-a-year and
penalty events, quarters completed, late commissions, a 信息 turned 专报 after its adoption,
rules changed…) the lean tracker (:mod:`scoring.audit_tally`, fed the appended records) must
give, commit by commit, exactly what the scorer itself gives (``ScoreTracker(exact=True)``,
fed whole files): score changes, ranks, record changes with their points, and provenance.
"""
from __future__ import annotations

import gc
import hashlib
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from historykit import make_history

from scoring.audit_changes import ScoreTracker, read_audit_log
from scoring.audit_history import Changed, walk
from scoring.audit_replay import Replay
from scoring.gitlog import LogCommit
from scoring.load import load_ledger
from scoring.provenance import ProvenanceTracker, provenance


class WholeFiles:
    """Hands a consumer every change without its appended records (the general path)."""

    def __init__(self, consumer: ScoreTracker | ProvenanceTracker) -> None:
        self.consumer = consumer

    def commit(self, log: LogCommit, changed: list[Changed], replay: Replay) -> None:
        self.consumer.commit(log, [c._replace(tail=None) for c in changed], replay)


def assert_same_walk(root: Path) -> tuple[ScoreTracker, ProvenanceTracker]:
    lean, exact = ScoreTracker(), ScoreTracker(exact=True)
    fast_prov, whole_prov = ProvenanceTracker(), ProvenanceTracker()
    walk(root, "ledger", [lean, fast_prov, WholeFiles(exact), WholeFiles(whole_prov)])
    assert len(lean.entries) == len(exact.entries)
    for mine, theirs in zip(lean.entries, exact.entries, strict=True):
        assert repr(mine) == repr(theirs), mine.commit.subject
    assert {y: {u: (s.total, lean.years[y].ranks[u]) for u, s in year.units.items()}
            for y, year in lean.years.items()} == \
        {y: {u: (s.total, exact.years[y].ranks[u]) for u, s in year.units.items()}
         for y, year in exact.years.items()}
    assert fast_prov.state == whole_prov.state
    return lean, fast_prov


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_lean_scores_equal_the_scorer_at_every_commit(tmp_path_factory: pytest.TempPathFactory,
                                                      seed: int) -> None:
    root = tmp_path_factory.mktemp("history")
    make_history(root, seed, commits=150)
    lean, _ = assert_same_walk(root)
    assert any(e.scores for e in lean.entries)


@pytest.mark.parametrize("seed", [3, 2023])
def test_a_long_history_with_two_years(tmp_path: Path, seed: int) -> None:
    make_history(tmp_path, seed, commits=400)
    lean, _ = assert_same_walk(tmp_path)
    changes = [r for e in lean.entries for r in e.records]
    # the histories do exercise what the lean path must get right
    assert any(r.delta.before and r.delta.after for r in changes)            # edits
    assert any(r.points_after and r.points_after < 0 for r in changes)      # deductions
    assert any(r.delta.after and type(r.delta.after).__name__ == "Event"
               and r.points_after == 0 and r.delta.after.kind == "轮训" for r in changes)
    assert len({y for e in lean.entries for c in e.scores for y in [c.year]}) == 2


def blob_id(raw: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def test_known_parses_are_neither_read_nor_parsed_again(tmp_path: Path) -> None:
    make_history(tmp_path, 11, commits=200, config=False)
    ledger_dir = tmp_path / "ledger"
    ledger, _ = load_ledger(ledger_dir)
    known = {}
    for year in ledger.years.values():
        for month in year.months.values():
            for um in month.values():
                file = tmp_path / um.path
                if file.is_file():
                    raw = file.read_bytes()
                    known[(um.path[len("ledger/"):], blob_id(raw))] = um
    known_rules = {y: blob_id((ledger_dir / str(y) / "rules.toml").read_bytes())
                   for y in ledger.years}
    plain = read_audit_log(ledger_dir)
    fast = read_audit_log(ledger_dir, known=known, known_rules=known_rules)
    assert repr(fast.entries) == repr(plain.entries) and len(plain.entries) > 150
    assert fast.provenance.state == plain.provenance.state
    assert provenance(ledger, fast.provenance) == provenance(ledger, plain.provenance)
    _, replay = walk(tmp_path, "ledger", [], known=known, known_rules=known_rules)
    # the empty file's blob is read all the same: other paths had it before their records
    used = {blob for (_, blob) in known} - {blob_id(b"")}
    assert len(used) > 50 and not used & set(replay.blobs)


def test_known_parses_under_other_rules_are_not_used(tmp_path: Path) -> None:
    """After a rules change the working tree's parses do not stand for older commits."""
    make_history(tmp_path, 5, commits=120, years=1, config=False)
    rules = tmp_path / "ledger/2022/rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("points = 10\n", "points = 12\n"),
                     encoding="utf-8")
    subprocess.run(["git", "-C", str(tmp_path), "-c", "user.name=x", "-c", "user.email=x@x",
                    "commit", "-qam", "区刊积分调整"], check=True)
    ledger_dir = tmp_path / "ledger"
    ledger, _ = load_ledger(ledger_dir)
    known = {(um.path[len("ledger/"):], blob_id((tmp_path / um.path).read_bytes())): um
             for month in ledger.years[2022].months.values() for um in month.values()
             if (tmp_path / um.path).is_file()}
    known_rules = {2022: blob_id(rules.read_bytes())}
    plain = read_audit_log(ledger_dir)
    fast = read_audit_log(ledger_dir, known=known, known_rules=known_rules)
    assert repr(fast.entries) == repr(plain.entries)
    assert fast.provenance.state == plain.provenance.state
    _, replay = walk(tmp_path, "ledger", [], known=known, known_rules=known_rules)
    assert {blob for (_, blob) in known} <= set(replay.blobs)  # all read: parsed under old rules


def test_the_walk_leaves_no_reference_cycles(tmp_path: Path) -> None:
    """The walk freezes what it built (gc_paused(freeze=True)): a dropped log must then be
    freed by reference counting alone, whatever the history did."""
    make_history(tmp_path, 11, commits=150)
    gc.unfreeze()  # frozen objects are never collected: let the collector see them
    gc.collect()
    log = read_audit_log(tmp_path / "ledger")
    assert log.entries and gc.get_freeze_count()
    del log
    gc.unfreeze()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        cycles = list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert cycles == []
