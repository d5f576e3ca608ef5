"""The site writer: in memory or straight into the new folder, swapped in only when complete."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scoring.site.writer import OutputConflict, SiteWriter


def test_streaming_writer_swaps_in_only_on_commit(tmp_path: Path) -> None:
    out = tmp_path / "output"
    (out / "2022").mkdir(parents=True)
    (out / "2022/old.html").write_text("old", "utf-8")
    writer = SiteWriter(out)
    writer.add("index.html", "新")
    writer.add("2023/01.html", b"bulletin")
    assert sorted(p.name for p in out.iterdir()) == ["2022"]  # nothing visible yet
    writer.commit()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "2023/01.html", "index.html"]
    assert len(writer) == 2
    # the replaced site is removed at once: nothing left beside the output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_writer_in_memory_writes_on_commit(tmp_path: Path) -> None:
    writer = SiteWriter()
    writer.add("a/b.html", "x")
    assert writer.files == {"a/b.html": b"x"} and not list(tmp_path.iterdir())
    writer.commit(tmp_path / "out")
    assert (tmp_path / "out/a/b.html").read_text("utf-8") == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_conflicts_and_unsafe_paths_are_refused_in_both_modes(tmp_path: Path) -> None:
    for writer in (SiteWriter(), SiteWriter(tmp_path / "out")):
        writer.add("a.html", "x")
        with pytest.raises(OutputConflict):
            writer.add("a.html", "y")
        for bad in ("../escape.html", "/etc/passwd", ""):
            with pytest.raises(ValueError):
                writer.add(bad, "z")
        writer.discard()
    assert not list(tmp_path.iterdir())


def test_discard_leaves_nothing(tmp_path: Path) -> None:
    writer = SiteWriter(tmp_path / "output")
    writer.add("index.html", "x")
    writer.discard()
    assert not list(tmp_path.iterdir())


def test_leftover_staging_and_old_trees_stay_out_of_git_status(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build killed mid-way (here: removing the old tree fails) leaves only ignored folders."""
    repo = Path(__file__).resolve().parents[2]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shutil.copy(repo / ".gitignore", tmp_path / ".gitignore")
    subprocess.run(["git", "-C", str(tmp_path), "add", ".gitignore"], check=True)
    out = tmp_path / "site"
    SiteWriter(out).commit()
    monkeypatch.setattr("scoring.site.writer.shutil.rmtree", lambda *a, **k: None)
    second = SiteWriter(out)
    second.add("index.html", "新")
    pending = SiteWriter(out)  # staged, never committed (the build was interrupted)
    pending.add("index.html", "半")
    second.commit()
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".kaoping-"))
    assert [name.split("-")[1] for name in leftovers] == ["new", "old"], leftovers
    status = subprocess.run(["git", "-C", str(tmp_path), "status", "--porcelain",
                             "--untracked-files=all"], capture_output=True, text=True,
                            check=True).stdout
    assert status.splitlines() == ["A  .gitignore", "?? site/index.html"], status
