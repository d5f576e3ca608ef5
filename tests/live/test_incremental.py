"""The rebuild behind ``serve`` makes again only what a save changed, and its output is then
a clean build's, byte for byte, whatever was saved: a record in the last month or an
earlier one, an item an adoption of the next year names, a new month, a deleted file, the
year's rules, units, notice or bulletin text, a commit, an error and its mend."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from gitkit import GitLedger
from ledgerkit import DEMO_CONFIG

from scoring.live.site import LiveSite, Rebuilt
from scoring.pipeline import build_site
from scoring.site import SITE_SRC

ITEM = """
[[info]]
oa = "X1"
title = "发改委跨年度信息"
date = 2023-12-05
"""
ADOPTED_NEXT_YEAR = """
[[adoption]]
oa = "X1"
by = "区刊"
date = 2024-01-10
issue = "第1期"
"""


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def repo(tmp_path: Path) -> GitLedger:
    """Two years in git: an item of December 2023 adopted in January 2024."""
    (tmp_path / "repo").mkdir()
    repo = GitLedger(tmp_path / "repo")
    for name in ("units.toml", "rules.toml"):
        (repo.ledger / "2024").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DEMO_CONFIG / name, repo.ledger / "2024" / name)
    repo.write("2023/11/fgw.toml", ITEM.replace("X1", "N1").replace("12-05", "11-03"))
    repo.write("2023/12/fgw.toml", ITEM)
    repo.write("2024/01/fgw.toml", ADOPTED_NEXT_YEAR)
    repo.commit("两个年度")
    return repo


def same_as_clean(live: LiveSite, changed: list[Path], tmp: Path) -> Rebuilt:
    """Rebuild after ``changed``; the output folder must equal a clean build's."""
    done = live.rebuild(changed)
    assert done.ok, [p.format() for p in done.problems]
    clean = tmp / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    assert not [p for p in build_site(live.ledger_dir, clean) if p.code.startswith("E")]
    assert tree(live.out_dir) == tree(clean)
    return done


def made_pages(done: Rebuilt) -> set[tuple[object, ...]]:
    """What the rebuild made again, but file parses."""
    return {name for name in done.made if isinstance(name, tuple) and name[0] != "file"}


def of_year(name: tuple[object, ...], year: int) -> bool:
    return any(part == year or isinstance(part, str) and part.startswith(f"{year}/")
               for part in name)


def test_every_kind_of_save_leaves_a_clean_builds_output(repo: GitLedger, tmp_path: Path) -> None:
    live = LiveSite(repo.ledger, tmp_path / "out")
    same_as_clean(live, [], tmp_path)
    edits: list[tuple[str, str]] = [
        ("2024/01/fgw.toml", "append"),    # the last month: a new record
        ("2023/12/fgw.toml", "title"),     # an item the next year's bulletin shows
        ("2023/11/fgw.toml", "append"),    # an earlier month of an earlier year
        ("2024/02/kjj.toml", "new"),       # a new month folder
        ("2023/11/fgw.toml", "delete"),    # a unit file and its records removed (W101)
        ("2024/rules.toml", "rules"),      # the year's points
        ("2024/units.toml", "units"),      # a unit's name
        ("2023/notice.md", "text"),        # the notice
        ("2024/01/bulletin.md", "text"),   # a bulletin's 按语
    ]
    for n, (rel, kind) in enumerate(edits):
        path = repo.ledger / rel
        if kind == "append":
            repo.append(rel, ITEM.replace("X1", f"Y{n}").replace(
                "2023-12-05", f"{rel[:4]}-{rel[5:7]}-15"))
        elif kind == "title":
            path.write_text(path.read_text(encoding="utf-8").replace("跨年度", "年末"),
                            encoding="utf-8")
        elif kind == "new":
            repo.write(rel, ITEM.replace("X1", "F1").replace("2023-12-05", "2024-02-02"))
        elif kind == "delete":
            path.unlink()
        elif kind == "rules":
            text = path.read_text(encoding="utf-8")
            assert "points = 10\n" in text  # the first channel: 区刊
            path.write_text(text.replace("points = 10\n", "points = 15\n", 1), encoding="utf-8")
        elif kind == "units":
            text = path.read_text(encoding="utf-8")
            assert "科技局" in text
            path.write_text(text.replace("科技局", "科学技术局", 1), encoding="utf-8")
        else:
            path.write_text("按语：本月信息工作平稳。\n", encoding="utf-8")
        done = same_as_clean(live, [path], tmp_path)
        assert done.written or done.removed, rel
    repo.commit("修改")  # a commit moves the history: the change log shows it
    done = same_as_clean(live, [repo.ledger], tmp_path)
    assert ("history",) in done.made and "changes.html" in done.written


def test_a_save_in_the_last_month_remakes_only_its_year(repo: GitLedger, tmp_path: Path) -> None:
    live = LiveSite(repo.ledger, tmp_path / "out")
    live.rebuild()
    repo.append("2024/01/fgw.toml", ITEM.replace("X1", "Z1").replace("2023-12", "2024-01"))
    live.rebuild()  # the first save after a commit stamps every page 草稿
    repo.append("2024/01/fgw.toml", ITEM.replace("X1", "Z2").replace("2023-12", "2024-01"))
    done = same_as_clean(live, [repo.ledger / "2024/01/fgw.toml"], tmp_path)
    made = made_pages(done)
    assert ("scores", 2024) in made and ("scores", 2023) not in made
    assert not any(of_year(name, 2023) for name in made)
    assert ("page", "2024/units/fgw.html") in made and ("history",) not in made
    assert [n for n in done.made if isinstance(n, tuple) and n[0] == "file"] == [
        ("file", "ledger/2024/01/fgw.toml")]
    # a unit whose rank did not move keeps its page
    assert len([n for n in made if n[0] == "page" and "/units/" in str(n[1])]) < 10


def test_an_earlier_year_remakes_the_years_after_it(repo: GitLedger, tmp_path: Path) -> None:
    live = LiveSite(repo.ledger, tmp_path / "out")
    live.rebuild()
    path = repo.ledger / "2023/12/fgw.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("跨年度", "年末"), encoding="utf-8")
    done = same_as_clean(live, [path], tmp_path)
    assert {("scores", 2023), ("scores", 2024)} <= made_pages(done)
    assert "年末" in (live.out_dir / "2024" / "01.html").read_text(encoding="utf-8")


def test_a_save_that_keeps_the_files_stat_is_read_when_the_watcher_names_it(
        repo: GitLedger, tmp_path: Path) -> None:
    """On network shares times are coarse: a save may leave size and time as they were."""
    live = LiveSite(repo.ledger, tmp_path / "out")
    live.rebuild()
    path = repo.ledger / "2023/12/fgw.toml"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("跨年度信息", "跨年信息稿"),
                    encoding="utf-8")
    assert path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    same_as_clean(live, [path], tmp_path)
    assert "跨年信息稿" in (live.out_dir / "2024/01.html").read_text(encoding="utf-8")


def test_pages_are_written_before_the_workbooks(repo: GitLedger, tmp_path: Path) -> None:
    live = LiveSite(repo.ledger, tmp_path / "out")
    live.rebuild()
    book = live.out_dir / "data" / "2024.xlsx"
    old_book = book.read_bytes()
    seen: list[tuple[bool, bool]] = []

    def on_pages(done: Rebuilt) -> None:
        page = (live.out_dir / "data/search.js").read_text(encoding="utf-8")
        seen.append(("早写好的页面" in page, book.read_bytes() == old_book))
    repo.append("2024/01/fgw.toml", ITEM.replace("X1", "P1").replace("2023-12", "2024-01")
                .replace("发改委跨年度信息", "早写好的页面"))
    done = live.rebuild([repo.ledger / "2024/01/fgw.toml"], on_pages=on_pages)
    assert seen == [(True, True)]
    assert book.read_bytes() != old_book and "data/2024.xlsx" in done.written
    assert 0 < done.pages_seconds <= done.seconds


def test_a_template_change_renders_every_page_again(repo: GitLedger, tmp_path: Path) -> None:
    live = LiveSite(repo.ledger, tmp_path / "out")
    live.rebuild()
    done = live.rebuild([SITE_SRC / "templates" / "unit.html"])
    made = made_pages(done)
    assert ("page", "2023/units/fgw.html") in made and ("workbook", 2023) in made
    assert ("scores", 2023) not in made  # scores do not depend on templates
    assert done.written == []  # nothing changed on disk


def test_errors_keep_what_was_made_for_the_mend(repo: GitLedger, tmp_path: Path) -> None:
    live = LiveSite(repo.ledger, tmp_path / "out")
    live.rebuild()
    path = repo.ledger / "2024/01/fgw.toml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good + "\n[[info]]\noa = \n", encoding="utf-8")
    assert not live.rebuild([path]).ok
    path.write_text(good, encoding="utf-8")
    done = live.rebuild([path])
    assert done.ok and done.written == []
    assert not any(of_year(name, 2023) for name in made_pages(done))
