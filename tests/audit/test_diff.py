"""``build.py diff``: score changes between two revisions, SPEC §4 JSON and the human table."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitkit import INFO_A1, GitLedger, build_py

CITY = """
[[adoption]]
oa = "A1"
by = "市刊"
date = 2023-05-10
"""
CATEGORY_1 = ["fgw", "gxj", "swj", "jyj", "mzj", "czj", "rsj", "zjj", "scj", "tjj", "nmj",
              "yqgwh", "zwj"]
DISTRICT = """
[[adoption]]
oa = "A1"
by = "区刊"
date = 2023-05-20
"""


@pytest.fixture
def repo(tmp_path: Path) -> GitLedger:
    """fgw has an item adopted by the 市刊 (20 points), committed; the only points anywhere."""
    repo = GitLedger(tmp_path)
    repo.write("2023/05/fgw.toml", INFO_A1 + CITY)
    repo.commit("报送 A1，市刊采用")
    return repo


def diff_json(repo: GitLedger, *revs: str) -> dict[str, object]:
    proc = build_py("diff", *revs, "--json", cwd=repo.root)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_an_adoption_in_the_working_tree(repo: GitLedger) -> None:
    repo.append("2023/05/fgw.toml", DISTRICT)
    assert diff_json(repo) == {
        "from": repo.git("rev-parse", "HEAD"), "to": None,
        "changes": [{"year": 2023, "id": "fgw", "before": 20, "after": 30,
                     "rank_before": 1, "rank_after": 1}]}


def test_between_two_commits(repo: GitLedger) -> None:
    before = repo.git("rev-parse", "HEAD")
    repo.append("2023/05/fgw.toml", DISTRICT)
    after = repo.commit("区刊采用 A1")
    assert diff_json(repo, "HEAD~1", "HEAD") == {
        "from": before, "to": after,
        "changes": [{"year": 2023, "id": "fgw", "before": 20, "after": 30,
                     "rank_before": 1, "rank_after": 1}]}
    assert diff_json(repo, "HEAD~1")["to"] is None      # one revision: against the working tree
    assert diff_json(repo)["changes"] == []


def test_rank_changes_list_units_whose_total_did_not_change(repo: GitLedger) -> None:
    repo.write("2023/05/gxj.toml", INFO_A1.replace("A1", "G1").replace("05-02", "05-03")
               + CITY.replace("A1", "G1") + DISTRICT.replace("A1", "G1"), fill=False)
    changes = diff_json(repo)["changes"]
    assert changes[:2] == [
        {"year": 2023, "id": "fgw", "before": 20, "after": 20, "rank_before": 1, "rank_after": 2},
        {"year": 2023, "id": "gxj", "before": 0, "after": 30, "rank_before": 2, "rank_after": 1}]
    # the other eleven units of category 1 drop from a shared 2nd place to a shared 3rd
    assert [(c["id"], c["before"], c["after"], c["rank_before"], c["rank_after"])
            for c in changes[2:]] == [(u, 0, 0, 2, 3) for u in CATEGORY_1[2:]]


def test_a_year_on_one_side_only_has_null_figures(repo: GitLedger) -> None:
    first = repo.git("rev-list", "--max-parents=0", "HEAD")
    repo.git("rm", "-rq", "ledger")
    repo.commit("清空台账")
    changes = diff_json(repo, first, "HEAD~1")["changes"]
    assert changes[0] == {"year": 2023, "id": "fgw", "before": 0, "after": 20,
                          "rank_before": 1, "rank_after": 1}
    gone = diff_json(repo, "HEAD~1", "HEAD")["changes"]
    assert len(gone) == 47 and gone[0] == {"year": 2023, "id": "fgw", "before": 20,
                                           "after": None, "rank_before": 1, "rank_after": None}


def test_the_first_commit_against_the_empty_ledger_before_it(repo: GitLedger) -> None:
    """The change log suggests ``diff X~1 X`` for a commit's full list of records; for the
    repository's first commit, X~1 is the empty ledger before it."""
    first = repo.git("rev-list", "--max-parents=0", "HEAD")[:7]
    changes = diff_json(repo, f"{first}~1", first)["changes"]
    assert len(changes) == 47 and changes[0]["before"] is None and changes[0]["after"] == 0
    assert diff_json(repo, f"{first}^", first)["changes"] == changes
    proc = build_py("diff", "HEAD~1~1", cwd=repo.root)   # HEAD~1 is the first commit
    assert proc.returncode == 0, proc.stderr
    assert "首次提交之前" in proc.stdout
    assert build_py("diff", "HEAD~2", cwd=repo.root).returncode == 2   # git has no HEAD~2


def test_human_form_lists_units_then_records_with_points(repo: GitLedger) -> None:
    repo.append("2023/05/fgw.toml", DISTRICT)
    proc = build_py("diff", cwd=repo.root)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[1].split() == ["年度", "单位", "之前", "之后", "增减", "类内排名"]
    assert lines[2].split() == ["2023", "发改委（fgw）", "20", "30", "+10", "1"]
    assert "新增  ledger/2023/05/fgw.toml:12  [[adoption]] A1 区刊 2023-05-20  +10 分" in lines
    assert "\x1b[" not in proc.stdout                     # colour only on a terminal


def test_errors_in_a_revision_are_reported(repo: GitLedger) -> None:
    repo.append("2023/05/fgw.toml", "[[adoption]\n")
    proc = build_py("diff", cwd=repo.root)
    assert proc.returncode == 1
    assert "ledger/2023/05/fgw.toml:11: E101" in proc.stderr


def test_bad_revision_is_a_usage_error(repo: GitLedger) -> None:
    proc = build_py("diff", "no-such-rev", cwd=repo.root)
    assert proc.returncode == 2
    assert "无法识别的修订版本“no-such-rev”" in proc.stderr
    assert build_py("diff", "HEAD", "HEAD", "HEAD", cwd=repo.root).returncode == 2


def test_outside_git_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "ledger").mkdir()
    proc = build_py("diff", cwd=tmp_path)
    assert proc.returncode == 2 and "不在 git 仓库中" in proc.stderr


def test_a_rules_change_is_its_own_section_with_the_rule_explained(repo: GitLedger) -> None:
    """Each side is scored with its own rules.toml; the change of rules is shown by itself."""
    rules = repo.ledger / "2023/rules.toml"
    text = rules.read_text(encoding="utf-8")
    cheaper = text.replace('市政府刊物采用"\npoints = 20', '市政府刊物采用"\npoints = 15')
    assert cheaper != text, "the demo rules name the 市刊 channel so"
    rules.write_text(cheaper, encoding="utf-8")
    repo.append("2023/05/fgw.toml", DISTRICT)              # and a record, in the same change
    out = diff_json(repo)
    assert out["changes"] == [{"year": 2023, "id": "fgw", "before": 20, "after": 25,
                               "rank_before": 1, "rank_after": 1}]
    (config,) = out["config_changes"]  # type: ignore[misc]
    assert config["year"] == 2023 and config["files"] == ["ledger/2023/rules.toml"]
    assert config["changes"] == [{"year": 2023, "id": "fgw", "before": 20, "after": 15,
                                  "rank_before": 1, "rank_after": 1}]
    assert config["rules"] == [{"id": "fgw", "rule": "市政府刊物采用", "clause": "三(二)2",
                                "before": 20, "after": 15}]
    text_out = build_py("diff", cwd=repo.root)
    assert text_out.returncode == 0, text_out.stderr
    assert "2023 年配置变化（ledger/2023/rules.toml），单独计算的影响：" in text_out.stdout
    assert "发改委（fgw）：总分 20 → 15，类内排名 1" in text_out.stdout
    assert "    市政府刊物采用 三(二)2：+20 → +15 分" in text_out.stdout
