"""``build.py textconv``: the git diff driver shows each record with its points."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from gitkit import ADOPT_A1, INFO_A1, GitLedger, build_py
from ledgerkit import REPO

EVENTS = """
[[event]]
kind = "轮训"
date = 2023-05-03

[[event]]
kind = "失实滞后"
date = 2023-05-04
"""


def test_each_record_with_its_points(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1 + ADOPT_A1 + EVENTS)
    proc = build_py("textconv", "ledger/2023/05/fgw.toml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    blob = repo.git("hash-object", "ledger/2023/rules.toml")[:7]
    assert proc.stdout.splitlines() == [
        f"# fgw 2023-05  按当前工作区规则计分：ledger/2023/rules.toml（blob {blob}），"
        "不一定是所示版本当时的规则",
        "[[info]] A1 我局召开安全生产工作会议 2023-05-02 信息  0 分",
        "[[adoption]] A1 区刊 2023-05-20  +10 分（区政府刊物采用 三(二)2）",
        "[[event]] 轮训 2023-05-03  +50 分（选派人员到区政府办公室信息室轮训 三(三)1）",
        "[[event]] 失实滞后 2023-05-04  -10 分（日常工作信息内容失实或报送滞后 三(三)3）"]


def test_git_temporary_copies_are_placed_by_name_and_dates(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1)
    copy = tmp_path / "Xa9Qz1_fgw.toml"       # how git names the old version it hands over
    copy.write_text(INFO_A1 + ADOPT_A1, encoding="utf-8")
    out = build_py("textconv", str(copy), cwd=tmp_path).stdout
    assert "[[adoption]] A1 区刊 2023-05-20  +10 分（区政府刊物采用 三(二)2）" in out


def test_unreadable_files_are_shown_as_they_are(tmp_path: Path) -> None:
    GitLedger(tmp_path)
    (tmp_path / "x.toml").write_text("[[info]\n", encoding="utf-8")
    assert build_py("textconv", "x.toml", cwd=tmp_path).stdout == "[[info]\n"
    units = build_py("textconv", "ledger/2023/units.toml", cwd=tmp_path).stdout
    assert units == (tmp_path / "ledger/2023/units.toml").read_text(encoding="utf-8")


def test_a_file_too_large_for_the_ledger_is_named_not_read(tmp_path: Path) -> None:
    GitLedger(tmp_path)
    big = tmp_path / "ledger" / "2023" / "05" / "fgw.toml"
    big.parent.mkdir(parents=True)
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB that take no room
    proc = build_py("textconv", "ledger/2023/05/fgw.toml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "# 文件过大（50.0 MB），未解析：台账文件不能超过 2 MB（E106）\n"


def test_git_diff_through_the_driver(tmp_path: Path) -> None:
    repo = GitLedger(tmp_path)
    shutil.copyfile(REPO / ".gitattributes", tmp_path / ".gitattributes")
    repo.git("config", "diff.kaoping.textconv", f"{sys.executable} {REPO / 'build.py'} textconv")
    repo.write("2023/05/fgw.toml", INFO_A1)
    repo.commit("报送 A1")
    repo.append("2023/05/fgw.toml", ADOPT_A1)
    diff = repo.git("diff", "--", "ledger/2023/05/fgw.toml")
    assert "+[[adoption]] A1 区刊 2023-05-20  +10 分（区政府刊物采用 三(二)2）" in diff


def test_the_repository_names_the_driver() -> None:
    assert "ledger/**/*.toml diff=kaoping" in (REPO / ".gitattributes").read_text().splitlines()


def test_git_log_names_the_rules_it_scored_with_not_the_commits(tmp_path: Path) -> None:
    """git does not tell the driver the revision: every version is scored with today's rules,
    and the first line says which (the working tree's rules.toml and its blob id)."""
    repo = GitLedger(tmp_path)
    shutil.copyfile(REPO / ".gitattributes", tmp_path / ".gitattributes")
    repo.git("config", "diff.kaoping.textconv", f"{sys.executable} {REPO / 'build.py'} textconv")
    repo.write("2023/05/fgw.toml", INFO_A1 + ADOPT_A1)
    repo.commit("报送并采用 A1")
    old_blob = repo.git("rev-parse", "HEAD:ledger/2023/rules.toml")[:7]
    rules = repo.ledger / "2023/rules.toml"
    text = rules.read_text(encoding="utf-8")
    raised = text.replace('区政府刊物采用"\npoints = 10', '区政府刊物采用"\npoints = 12')
    assert raised != text
    rules.write_text(raised, encoding="utf-8")
    repo.commit("区刊采用分值调整为 12 分")
    new_blob = repo.git("hash-object", "ledger/2023/rules.toml")[:7]
    assert new_blob != old_blob
    repo.append("2023/05/fgw.toml", EVENTS)
    repo.commit("补录事件")
    log = repo.git("log", "-p", "--", "ledger/2023/05/fgw.toml")
    headers = [line for line in log.splitlines() if "# fgw 2023-05" in line]
    # the first commit's diff (new file) and the last's context line both carry the note
    assert len(headers) == 2, log
    for line in headers:
        assert f"按当前工作区规则计分：ledger/2023/rules.toml（blob {new_blob}）" in line
        assert old_blob not in line and "不一定是所示版本当时的规则" in line
    # the first commit's adoption is shown at today's 12 points: hence the note
    assert "+[[adoption]] A1 区刊 2023-05-20  +12 分（区政府刊物采用 三(二)2）" in log
