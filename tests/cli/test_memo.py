"""The cache never changes the output: cached rebuilds equal clean builds byte for byte (the
nothing-changed memo, and the commit cache of the change log)."""
from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest
from gitkit import INFO_A1, GitLedger
from ledgerkit import make_ledger

from scoring import pipeline
from scoring.cache import DIRNAME, Cache, code_version, open_cache
from scoring.ledger.check import check_ledger

INFO = """
[[info]]
oa = "{oa}"
title = "我局召开安全生产工作会议"
date = 2023-{mm}-02
{extra}
[[adoption]]
oa = "{oa}"
by = "{by}"
date = 2023-{mm}-20
"""


def info(oa: str, mm: str, extra: str = "", by: str = "区刊") -> str:
    return INFO.format(oa=oa, mm=mm, extra=extra, by=by)


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return make_ledger(tmp_path, {
        "2023/01/fgw.toml": info("A1", "01"),
        "2023/01/gxj.toml": info("A2", "01", 'kind = "专报"\ntopic = "问题建议"\n', "上报"),
        "2023/02/fgw.toml": info("A3", "02"),
        "2023/02/swj.toml": info("A4", "02") + '\n[[event]]\nkind = "轮训"\ndate = 2023-02-03\n',
        "2023/03/jyj.toml": info("A5", "03"),
    })


def same_tree(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    return not mismatch and not errors and all(same_tree(a / d, b / d) for d in cmp.common_dirs)


def assert_same_builds(ledger: Path) -> None:
    """A cached build (B) and check equal a clean one (A): output, problems and records."""
    root = ledger.parent
    cache = open_cache(ledger)
    clean = pipeline.build_site(ledger, root / "A")
    cached = pipeline.build_site(ledger, root / "B", cache=cache)
    assert cached == clean
    if not [p for p in clean if p.is_error]:
        assert same_tree(root / "A", root / "B")


def test_cached_rebuilds_equal_clean_builds_after_edits(ledger: Path) -> None:
    assert_same_builds(ledger)
    assert (ledger.parent / DIRNAME / code_version()).is_dir()
    assert_same_builds(ledger)  # nothing changed: the memo answers
    (ledger / "2023/02/fgw.toml").write_text(info("A3", "02") + info("A6", "02"), "utf-8")
    assert_same_builds(ledger)
    (ledger / "2023/01/gxj.toml").unlink()  # deleted: a warning, and A2 is gone
    assert_same_builds(ledger)
    # renamed with the same bytes: the records must carry the new path, not the cached one
    (ledger / "2023/02/swj.toml").replace(ledger / "2023/02/mzj.toml")
    (ledger / "2023/02/swj.toml").touch()
    assert_same_builds(ledger)
    shutil.move(ledger / "2023/03", ledger / "2023/04")  # a month folder renamed: E207
    assert_same_builds(ledger)
    shutil.move(ledger / "2023/04", ledger / "2023/03")
    assert_same_builds(ledger)


def test_configuration_change_reparses(ledger: Path) -> None:
    assert_same_builds(ledger)
    rules = ledger / "2023/rules.toml"
    rules.write_text(rules.read_text("utf-8").replace('by = "区刊"', 'by = "区报"'), "utf-8")
    assert_same_builds(ledger)  # every 区刊 adoption is now an error (E206)
    assert any(p.code == "E206" for p in check_ledger(ledger)[1])


def test_edited_output_is_rebuilt(ledger: Path) -> None:
    assert_same_builds(ledger)
    index = ledger.parent / "B/index.html"
    index.write_text("edited by hand", "utf-8")
    assert_same_builds(ledger)
    (ledger.parent / "B/stray.html").write_text("x", "utf-8")
    assert_same_builds(ledger)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "directory"])
def test_damaged_cache_is_ignored(ledger: Path, damage: str) -> None:
    assert_same_builds(ledger)
    folder = ledger.parent / DIRNAME / code_version()
    entries = [p for p in folder.iterdir() if p.is_file()]
    assert entries
    for path in entries:
        blob = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(blob[: len(blob) // 2])
        elif damage == "flip":
            path.write_bytes(blob[:-10] + bytes(b ^ 0x55 for b in blob[-10:]))
        elif damage == "garbage":
            path.write_bytes(b"\x80\x05not a pickle at all")
        elif damage == "empty":
            path.write_bytes(b"")
        else:
            path.unlink()
            path.mkdir()
    assert_same_builds(ledger)


def test_other_code_version_is_not_read(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.save("entry", {"a": 1})
    assert cache.load("entry") == {"a": 1}
    other = tmp_path / ("0" * 20)
    other.mkdir()
    (other / "entry.json").write_text('{"a": 2}', "utf-8")
    assert cache.load("entry") == {"a": 1}  # each version reads its own folder only
    stale = tmp_path / "an-older-version"
    stale.mkdir()
    Cache(tmp_path).save("other", 1)  # a new cache removes other versions' folders
    assert not stale.exists()


def test_no_cache_flag_writes_no_cache(ledger: Path) -> None:
    from scoring.cli import main
    assert main(["build", "--ledger", str(ledger), "--out", str(ledger.parent / "A"),
                 "--no-cache", "--quiet"]) == 0
    assert not (ledger.parent / DIRNAME).exists()
    assert main(["check", "--ledger", str(ledger), "--quiet"]) == 0
    assert not (ledger.parent / DIRNAME).exists()  # check keeps nothing


def test_nothing_changed_leaves_the_output_alone(ledger: Path) -> None:
    cache = open_cache(ledger)
    out = ledger.parent / "out"
    assert pipeline.build_site(ledger, out, cache=cache) == []
    stamp = (out / "index.html").stat().st_mtime_ns
    assert pipeline.build_site(ledger, out, cache=cache) == []
    assert (out / "index.html").stat().st_mtime_ns == stamp  # the memo answered


def test_the_commit_cache_builds_what_a_clean_build_does(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1)
    repo.commit("报送 A1", author="张三")
    assert_same_builds(repo.ledger)
    repo.append("2023/05/fgw.toml",
                '\n[[adoption]]\noa = "A1"\nby = "区刊"\ndate = 2023-05-20\n')
    assert_same_builds(repo.ledger)  # uncommitted: 未提交, 草稿
    repo.commit("区刊采用 A1", author="李四")
    assert_same_builds(repo.ledger)  # one commit more than the cache kept
    assert "李四" in (tmp_path / "B/changes.html").read_text("utf-8")


def test_memo_key_follows_git(tmp_path: Path) -> None:
    """HEAD, the ledger's status and tags are inputs of the pages (stamp, 草稿, closed months)."""
    import subprocess

    from scoring.memo import BuildMemo
    root = make_ledger(tmp_path, {"2023/01/fgw.toml": info("A1", "01")})
    shutil.rmtree(tmp_path / ".git")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    cache = Cache(tmp_path / DIRNAME)

    def key() -> bytes:
        return BuildMemo(cache, root, tmp_path / "out").key
    untracked = key()
    subprocess.run([*git, "add", "-A"], check=True)
    staged = key()
    subprocess.run([*git, "commit", "-qm", "c1"], check=True)
    committed = key()
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "c2"], check=True)
    later = key()
    subprocess.run([*git, "tag", "bulletin/2023-01"], check=True)
    tagged = key()
    assert len({untracked, staged, committed, later, tagged}) == 5
    assert key() == tagged


def test_cross_year_reference_invalidates_the_later_year(tmp_path: Path) -> None:
    """2024's pages show the title of a 2023 item that 2024 adopts: editing it rebuilds 2024."""
    ledger = make_ledger(tmp_path, {
        "2023/12/fgw.toml": info("A1", "12").split("[[adoption]]")[0],
        "2024/01/fgw.toml": '[[adoption]]\noa = "A1"\nby = "区刊"\ndate = 2024-01-05\n',
        "2024/01/gxj.toml": info("B1", "01").replace("2023-", "2024-"),
    }, years=(2023, 2024))
    assert_same_builds(ledger)
    target = ledger / "2023/12/fgw.toml"
    text = target.read_text("utf-8")
    target.write_text(text.replace("我局召开安全生产工作会议", "新标题"), "utf-8")
    assert_same_builds(ledger)
    assert "新标题" in (ledger.parent / "B/2024/01.html").read_text("utf-8")


def test_empty_month_folder_is_an_input(ledger: Path) -> None:
    assert_same_builds(ledger)
    (ledger / "2023/07").mkdir()  # July now exists, every unit's file missing (W101)
    assert_same_builds(ledger)
    assert (ledger.parent / "B/2023/07.html").exists()
