"""The audit on the site: the change log page, 更正 in the next bulletin, commits on unit pages."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from gitkit import ADOPT_A1, INFO_A1, GitLedger, build_py
from sitekit import link_problems, vnu_jar

APRIL = (INFO_A1 + ADOPT_A1).replace("2023-05-", "2023-04-")
EVENT = '\n[[event]]\nkind = "失实滞后"\ndate = 2023-04-04\n'


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[GitLedger, Path, dict[str, str]]:
    """April committed and closed, May committed, then a correction of April with its reason.

    (No quarter is complete, so the totals are the records' points alone.)
    """
    repo = GitLedger(tmp_path_factory.mktemp("repo"))
    shas = {}
    repo.write("2023/04/fgw.toml", APRIL)
    shas["april"] = repo.commit("4 月台账", author="张三")
    assert build_py("close", "2023-04", cwd=repo.root).returncode == 0
    repo.write("2023/05/fgw.toml", INFO_A1.replace("A1", "B1"))
    shas["may"] = repo.commit("5 月台账", author="李四")
    repo.append("2023/04/fgw.toml", EVENT)
    shas["fix"] = repo.commit("补录失实滞后\n\n更正原因：4 月 4 日报送滞后，漏记\n", author="王五")
    out = repo.root / "output"
    proc = build_py("build", "--out", str(out), cwd=repo.root)
    assert proc.returncode == 0, proc.stderr
    return repo, out, shas


def text(out: Path, page: str) -> str:
    return re.sub(r"<[^>]+>", "", (out / page).read_text(encoding="utf-8"))


def test_the_index_links_the_change_log(built: tuple[GitLedger, Path, dict[str, str]]) -> None:
    _, out, _ = built
    assert 'href="changes.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_the_change_log_lists_commits_newest_first(
        built: tuple[GitLedger, Path, dict[str, str]]) -> None:
    _, out, shas = built
    page = (out / "changes.html").read_text(encoding="utf-8")
    order = [page.index(f'id="c-{shas[k]}"') for k in ("fix", "may", "april")]
    assert order == sorted(order)
    plain = text(out, "changes.html")
    assert "更正：修改了已关账的2023 年 4 月台账。更正原因：4 月 4 日报送滞后，漏记" in plain
    fix = plain[plain.index(f"{shas['fix'][:7]} 补录失实滞后"):plain.index(shas["may"][:7])]
    assert "王五" in fix and "2023发改委100-10" in fix.replace(" ", "").replace("\n", "")


def test_the_next_bulletin_lists_the_correction(
        built: tuple[GitLedger, Path, dict[str, str]]) -> None:
    _, out, shas = built
    may = text(out, "2023/05.html")
    assert "七、更正" in may and "4 月 4 日报送滞后，漏记" in may
    assert "发改委（10 → 0）" in may
    assert f'changes.html#c-{shas["fix"]}' in (out / "2023/05.html").read_text(encoding="utf-8")
    assert "七、更正" not in text(out, "2023/04.html")


def test_unit_pages_name_each_records_commit(
        built: tuple[GitLedger, Path, dict[str, str]]) -> None:
    _, out, shas = built
    unit = text(out, "2023/units/fgw.html")
    assert f"{shas['april'][:7]} 张三 " in unit      # the adoption, committed with April
    assert f"{shas['fix'][:7]} 王五 " in unit        # the event added by the correction


def test_links_resolve(built: tuple[GitLedger, Path, dict[str, str]]) -> None:
    assert not link_problems(built[1])


@pytest.mark.skipif(shutil.which("java") is None, reason="java is missing (Nu HTML Checker)")
def test_html_is_valid(built: tuple[GitLedger, Path, dict[str, str]]) -> None:
    out = built[1]
    pages = [str(out / p) for p in ("index.html", "changes.html", "2023/05.html",
                                    "2023/units/fgw.html")]
    result = subprocess.run(["java", "-jar", str(vnu_jar()), "--errors-only", *pages],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]


def test_a_bulk_first_commit_lists_fifty_records_and_a_command_for_all(tmp_path: Path) -> None:
    """The change log lists 50 records of a commit and counts the rest; the command it gives
    for the full list works even for the repository's first commit."""
    repo = GitLedger(tmp_path, commit=False)
    repo.write("2023/05/fgw.toml", "".join(INFO_A1.replace("A1", f"A{i}") for i in range(60)))
    repo.commit("导入 5 月台账")
    out = tmp_path / "output"
    proc = build_py("build", "--out", str(out), cwd=repo.root)
    assert proc.returncode == 0, proc.stderr
    page = text(out, "changes.html")
    assert "增删改的记录（60条，列出前50条）" in page
    assert page.count("[[info]]") == 50
    command = re.search(r"全部记录：python build\.py (diff \S+ \S+)", page)
    assert command is not None
    proc = build_py(*command[1].split(), cwd=repo.root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("新增  ledger/2023/05/fgw.toml:") == 60


def test_the_corrected_month_says_it_was_corrected_later(
        built: tuple[GitLedger, Path, dict[str, str]]) -> None:
    _, out, shas = built
    april = (out / "2023/04.html").read_text(encoding="utf-8")
    assert f'<a href="../changes.html#c-{shas["fix"]}">' in april
    assert "更正说明：本期通报印发后，本月台账作了更正" in text(out, "2023/04.html")
    assert "4 月 4 日报送滞后，漏记" in text(out, "2023/04.html")
    assert "更正说明" not in text(out, "2023/05.html")   # May itself was never corrected


def test_a_rules_change_after_closing_is_a_correction(tmp_path: Path) -> None:
    """Close April, lower the 区刊 points: E501 (strict) / W501 (plain) without a reason;
    with one, May's 更正 lists it and April's page carries the corrected-later note."""
    repo = GitLedger(tmp_path)
    repo.write("2023/04/fgw.toml", APRIL)
    repo.commit("4 月台账")
    assert build_py("close", "2023-04", cwd=repo.root).returncode == 0
    repo.write("2023/05/fgw.toml", INFO_A1.replace("A1", "B1"))
    repo.commit("5 月台账")
    rules = repo.ledger / "2023/rules.toml"
    text_before = rules.read_text(encoding="utf-8")
    lower = text_before.replace('区政府刊物采用"\npoints = 10', '区政府刊物采用"\npoints = 8')
    assert lower != text_before
    rules.write_text(lower, encoding="utf-8")
    sha = repo.commit("区刊采用分值调整")
    strict = build_py("check", "--strict", cwd=repo.root)
    assert strict.returncode == 1
    assert strict.stderr.startswith(
        f"ledger/2023/rules.toml: E501 2023 年 4 月已关账，提交 {sha[:7]}（信息室，"), strict.stderr
    plain = build_py("check", cwd=repo.root)
    assert plain.returncode == 0 and "ledger/2023/rules.toml: W501 " in plain.stdout
    fix = repo.commit(f"补写更正原因\n\n更正原因({sha[:7]})：区刊采用分值按新办法调整为 8 分\n")
    assert fix != sha
    assert build_py("check", "--strict", cwd=repo.root).returncode == 0
    out = tmp_path / "output"
    proc = build_py("build", "--out", str(out), cwd=repo.root)
    assert proc.returncode == 0, proc.stderr
    may = text(out, "2023/05.html")
    assert "七、更正" in may and "区刊采用分值按新办法调整为 8 分" in may
    assert "发改委（10 → 8）" in may
    april = (out / "2023/04.html").read_text(encoding="utf-8")
    assert f'<a href="../changes.html#c-{sha}">' in april
    assert f'id="c-{sha}"' in (out / "changes.html").read_text(encoding="utf-8")
    assert "更正说明：本期通报印发后，本月台账作了更正" in text(out, "2023/04.html")
