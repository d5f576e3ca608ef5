"""The audit log read in a forked child gives the site exactly what reading it here gives."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_cache import same_tree
from test_gitkit import ADOPT_A1, INFO_A1, GitLedger, build_py

from scoring import pipeline
from scoring.audit_changes import read_audit_log
from scoring.audit_page import commit_labels
from scoring.auditjob import AuditJob, _point_label, site_parts, working_parses
from scoring.gitlog import source_stamp
from scoring.provenance import UNCOMMITTED
from scoring.score import score_ledger
from scoring.source import blob_id

APRIL = (INFO_A1 + ADOPT_A1).replace("2023-05-", "2023-04-")
EVENT = '\n[[event]]\nkind = "失实滞后"\ndate = 2023-04-04\n'


@pytest.fixture
def repo(tmp_path: Path) -> GitLedger:
    """April closed, May, a correction of April with its reason, and an uncommitted edit."""
    repo = GitLedger(tmp_path)
    repo.write("2023/04/fgw.toml", APRIL)
    repo.commit("4 月台账", author="张三")
    assert build_py("close", "2023-04", cwd=repo.root).returncode == 0
    repo.write("2023/05/fgw.toml", INFO_A1.replace("A1", "B1"))
    repo.commit("5 月台账", author="李四")
    repo.append("2023/04/fgw.toml", EVENT)
    repo.commit("补录失实滞后\n\n更正原因：4 月 4 日报送滞后，漏记\n", author="王五")
    repo.append("2023/05/fgw.toml", INFO_A1.replace("A1", "C1"))
    return repo


def test_child_and_here_build_the_same_site(repo: GitLedger,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    assert pipeline.build_site(repo.ledger, repo.root / "child") == []
    cache = pipeline.open_cache(repo.ledger)
    assert pipeline.build_site(repo.ledger, repo.root / "cached", cache=cache) == []
    monkeypatch.delattr(os, "fork")  # no child, no helper: everything in this process
    assert pipeline.build_site(repo.ledger, repo.root / "here") == []
    assert same_tree(repo.root / "child", repo.root / "here")
    assert same_tree(repo.root / "cached", repo.root / "here")
    page = (repo.root / "here/changes.html").read_text(encoding="utf-8")
    assert "更正原因" in page and "王五" in page


def test_a_large_ledger_is_built_in_one_process(repo: GitLedger,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Above ONE_PROCESS_FILES nothing forks (memory), and the site is the same, change log
    with its 更正 included."""
    assert pipeline.build_site(repo.ledger, repo.root / "two") == []
    monkeypatch.setattr(pipeline, "ONE_PROCESS_FILES", 0)

    def no_fork() -> int:
        raise AssertionError("forked")
    monkeypatch.setattr(os, "fork", no_fork)
    assert pipeline.build_site(repo.ledger, repo.root / "one") == []
    assert same_tree(repo.root / "two", repo.root / "one")
    page = (repo.root / "one/changes.html").read_text(encoding="utf-8")
    assert "更正原因" in page and "王五" in page


def test_the_change_log_keeps_the_first_records_of_a_big_commit(tmp_path: Path) -> None:
    """The site keeps LIST_LIMIT records of a commit, and counts them all."""
    repo = GitLedger(tmp_path)
    body = "".join(INFO_A1.replace("A1", f"A{i}") for i in range(1, 61))
    repo.write("2023/05/fgw.toml", body)
    repo.commit("一次登记 60 条")
    full = read_audit_log(repo.ledger)
    kept = read_audit_log(repo.ledger, keep_records=50)
    assert len(full.entries[0].records) == 60 and full.entries[0].record_count == 60
    assert kept.entries[0].records == full.entries[0].records[:50]
    assert kept.entries[0].record_count == 60
    assert kept.entries[0].scores == full.entries[0].scores


def test_the_child_sends_what_reading_here_gives(repo: GitLedger) -> None:
    """The child's parts (history walked with the working tree's parses as ``known``) are
    used, and equal the change log page, the 更正 lists and the labels made here."""
    digests: dict[str, bytes] = {}
    ledger, _ = pipeline.check_ledger(repo.ledger, digests=digests)
    known, known_rules = working_parses(ledger, digests)
    april = blob_id((repo.ledger / "2023/04/fgw.toml").read_bytes()).hex()
    assert known[("2023/04/fgw.toml", april)] is ledger.years[2023].months[4]["fgw"]
    assert len(known) == sum(len(f) for f in ledger.years[2023].months.values())
    assert set(known_rules) == {2023}
    job = AuditJob(None, digests, load=lambda: (ledger, digests))  # the child: a copy of it
    source = source_stamp(repo.ledger)
    job.loaded(ledger, digests, source)
    child = job._collect()
    job.finish()
    assert child is not None  # the child did the work
    log = read_audit_log(repo.ledger)
    pages, corrections = site_parts(ledger, log, source)
    assert child[0] == pages and child[1] == corrections
    assert corrections[(2023, 5)]  # May's bulletin lists the 更正
    label = commit_labels(ledger, log)
    points = [p for s in score_ledger(ledger)[2023].units for p in s.points if p.path]
    assert points and all(_point_label(child[2])(p) == label(p) for p in points)
    # a label per file when one commit wrote all its records, else per line
    texts = [text for found in child[2].values()
             for text in ([found] if isinstance(found, str) else found.values())]
    assert any("王五" in text for text in texts)  # April's 失实滞后
    assert UNCOMMITTED in texts  # the uncommitted C1 of May
    assert sorted(child[2]) == ["ledger/2023/04/fgw.toml", "ledger/2023/05/fgw.toml"]
    assert all(len(set(found.values())) == 2  # type: ignore[union-attr]
               for found in child[2].values())  # two commits, or one and an edit


def test_first_edit_after_a_commit_reuses_the_history(repo: GitLedger,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from scoring import auditjob
    repo.commit("6 月前的提交")  # clean tree
    cache = pipeline.open_cache(repo.ledger)
    pipeline.build_site(repo.ledger, repo.root / "cached", cache=cache)
    repo.append("2023/05/fgw.toml", INFO_A1.replace("A1", "D1"))  # dirty now: 草稿
    read: list[int] = []
    real = auditjob.read_audit_log
    monkeypatch.setattr(auditjob, "read_audit_log", lambda *a, **k: read.append(1) or real(*a, **k))
    monkeypatch.delattr(os, "fork")  # so that a replay would be seen here
    pipeline.build_site(repo.ledger, repo.root / "cached", cache=cache)
    assert read == []
    pipeline.build_site(repo.ledger, repo.root / "clean")
    assert read == [1]
    assert same_tree(repo.root / "cached", repo.root / "clean")
    assert "草稿" in (repo.root / "cached/changes.html").read_text(encoding="utf-8")


def test_correction_moves_to_next_year_when_a_month_goes(tmp_path: Path) -> None:
    """A correction of a closed November is listed by the next open bulletin: December, or
    January of the next year once December's folder is removed (another year's pages)."""
    import shutil
    repo = GitLedger(tmp_path)
    shutil.copytree(repo.ledger / "2023", repo.ledger / "2024")
    repo.write("2023/11/fgw.toml", INFO_A1.replace("2023-05-", "2023-11-"))
    repo.write("2023/12/fgw.toml", "")
    repo.write("2024/01/fgw.toml", "")
    repo.commit("11、12 月与次年 1 月")
    assert build_py("close", "2023-11", cwd=repo.root).returncode == 0
    repo.append("2023/11/fgw.toml", EVENT.replace("2023-04-04", "2023-11-04"))
    repo.commit("补录\n\n更正原因：11 月 4 日报送滞后\n")
    repo.write("2023/10/gxj.toml", "")  # an unrelated uncommitted file: 草稿 before and after
    cache = pipeline.open_cache(repo.ledger)
    pipeline.build_site(repo.ledger, repo.root / "cached", cache=cache)
    assert "更正原因" in (repo.root / "cached/2023/12.html").read_text(encoding="utf-8")
    shutil.rmtree(repo.ledger / "2023/12")
    pipeline.build_site(repo.ledger, repo.root / "cached", cache=cache)
    pipeline.build_site(repo.ledger, repo.root / "clean")
    assert same_tree(repo.root / "cached", repo.root / "clean")
    assert "更正原因" in (repo.root / "clean/2024/01.html").read_text(encoding="utf-8")


@pytest.fixture
def years(tmp_path: Path) -> GitLedger:
    """Four years, one record each, committed one by one: years for the audit child to make."""
    import shutil
    repo = GitLedger(tmp_path)
    for year in (2020, 2021, 2022):
        for name in ("units.toml", "rules.toml"):
            (repo.ledger / str(year)).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(repo.ledger / "2023" / name, repo.ledger / str(year) / name)
    for year in (2020, 2021, 2022, 2023):
        repo.write(f"{year}/05/fgw.toml",
                   (INFO_A1 + ADOPT_A1).replace("2023-", f"{year}-").replace("A1", f"A{year}"))
        repo.commit(f"{year} 年 5 月台账")
    return repo


def test_a_file_written_by_one_commit_has_one_label(years: GitLedger) -> None:
    from scoring.auditjob import record_labels
    from scoring.load import load_ledger
    ledger, _ = load_ledger(years.ledger)
    log = read_audit_log(years.ledger)
    labels = record_labels(ledger, log.provenance)
    assert all(isinstance(found, str) for found in labels.values())
    assert len({labels[f"ledger/{y}/05/fgw.toml"] for y in (2020, 2021, 2022, 2023)}) == 4
    label = commit_labels(ledger, log)
    points = [p for s in score_ledger(ledger)[2021].units for p in s.points if p.path]
    assert points and all(_point_label(labels)(p) == label(p) for p in points)


def _built_here(repo: GitLedger, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The site built without any child (the reference)."""
    with monkeypatch.context() as m:
        m.delattr(os, "fork")
        assert pipeline.build_site(repo.ledger, repo.root / "here") == []
    return repo.root / "here"


def test_the_audit_child_makes_years_too(years: GitLedger,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Once it has sent the audit's parts, the child takes years from the queue and writes
    them into the same new folder: the site is the one built in one process."""
    from scoring import render_site
    here = _built_here(years, monkeypatch)
    parent, makers = os.getpid(), years.root / "makers"
    makers.mkdir()
    real = render_site.draft_year  # every year made is rendered there once

    def draft_year(*args: object, **kwargs: object) -> object:
        if os.getpid() == parent:
            import time
            time.sleep(0.3)  # a slow parent: the child surely takes years
        (makers / f"{args[1]}-{os.getpid()}").touch()
        return real(*args, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(render_site, "draft_year", draft_year)
    assert pipeline.build_site(years.ledger, years.root / "shared") == []
    assert same_tree(years.root / "shared", here)
    made = [name.split("-") for name in os.listdir(makers)]
    assert sorted(int(y) for y, _ in made) == [2020, 2021, 2022, 2023]  # each year once
    assert {int(pid) != parent for _, pid in made} == {True, False}  # by both processes


@pytest.mark.parametrize("when", ["reading the history", "making a year"])
def test_a_failing_audit_child_changes_nothing(years: GitLedger, when: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that fails before sending its parts, or while making a year (after taking it
    from the queue), leaves that work to this process: the site is the same."""
    from scoring import auditjob, render_site
    here = _built_here(years, monkeypatch)
    parent = os.getpid()
    if when == "reading the history":
        real_read = auditjob.read_audit_log

        def read(*args: object, **kwargs: object) -> object:
            if os.getpid() != parent:
                raise RuntimeError("child fails")
            return real_read(*args, **kwargs)  # type: ignore[arg-type]
        monkeypatch.setattr(auditjob, "read_audit_log", read)
    else:
        real_draft = render_site.draft_year

        def draft_year(*args: object, **kwargs: object) -> object:
            if os.getpid() != parent:
                raise RuntimeError("child fails")
            import time
            time.sleep(0.3)
            return real_draft(*args, **kwargs)  # type: ignore[arg-type]
        monkeypatch.setattr(render_site, "draft_year", draft_year)
    assert pipeline.build_site(years.ledger, years.root / "shared") == []
    assert same_tree(years.root / "shared", here)
    assert not [p for p in years.root.iterdir() if p.name.startswith(".shared.")]


def test_an_early_child_that_read_other_files_is_not_used(years: GitLedger,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The child loads the ledger itself, before this process does: if a file changed in
    between (here: the child is given another ledger with one more unit page's worth of
    records), neither its parts nor its years are used, and the site is this process's."""
    import shutil
    here = _built_here(years, monkeypatch)
    other = years.root / "other"
    shutil.copytree(years.ledger, other / "ledger")
    (other / "ledger/2022/05/fgw.toml").write_text(
        (INFO_A1 + ADOPT_A1).replace("2023-", "2022-").replace("A1", "X1"), encoding="utf-8")
    real = pipeline._load_again
    parent = os.getpid()

    def load_again(ledger_dir: Path, cache: object, digests: dict) -> object:
        assert os.getpid() != parent
        return real(other / "ledger", cache, {})  # type: ignore[arg-type]
    monkeypatch.setattr(pipeline, "_load_again", load_again)
    assert pipeline.build_site(years.ledger, years.root / "shared") == []
    assert same_tree(years.root / "shared", here)


def test_an_early_child_that_ends_before_this_process_has_loaded(
        years: GitLedger, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child fails while this process is still loading: telling it which files were
    loaded finds no reader, and the build goes on alone."""
    here = _built_here(years, monkeypatch)
    parent = os.getpid()

    def load_again(*args: object) -> object:
        assert os.getpid() != parent
        raise RuntimeError("child fails at once")
    monkeypatch.setattr(pipeline, "_load_again", load_again)
    real_load = pipeline.load_ledger

    def slow_load(*args: object, **kwargs: object) -> object:
        import time
        time.sleep(0.5)  # the child has surely ended by now
        return real_load(*args, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(pipeline, "load_ledger", slow_load)
    assert pipeline.build_site(years.ledger, years.root / "alone") == []
    assert same_tree(years.root / "alone", here)
