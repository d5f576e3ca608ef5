"""The site writer: in memory or straight into the new folder, swapped in only when complete."""
from __future__ import annotations

from pathlib import Path

import pytest

from scoring.writer import OutputConflict, SiteWriter


def test_streaming_writer_swaps_in_only_on_commit(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "old.html").write_text("old", "utf-8")
    writer = SiteWriter(out)
    writer.add("index.html", "新")
    writer.write_raw("2023/01.html", b"made by a helper")
    writer.adopt(["2023/01.html"])
    assert sorted(p.name for p in out.iterdir()) == ["old.html"]  # nothing visible yet
    writer.commit(out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "2023/01.html", "index.html"]
    assert len(writer) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_conflicts_are_refused_in_both_modes(tmp_path: Path) -> None:
    for writer in (SiteWriter(), SiteWriter(tmp_path / "out")):
        writer.add("a.html", "x")
        with pytest.raises(OutputConflict):
            writer.add("a.html", "y")
        with pytest.raises(OutputConflict):
            writer.adopt(["a.html"])
        with pytest.raises(ValueError):
            writer.add("../escape.html", "z")
        writer.discard()
    assert not list(tmp_path.iterdir())


def test_discard_leaves_nothing(tmp_path: Path) -> None:
    writer = SiteWriter(tmp_path / "output")
    writer.add("index.html", "x")
    writer.discard()
    assert not list(tmp_path.iterdir())


def test_the_replaced_site_can_be_removed_later(tmp_path: Path) -> None:
    """The command line does not wait for the old site's removal: a detached process does
    it, and takes a site left behind by an interrupted removal with it."""
    import time
    out = tmp_path / "output"
    (out / "2023").mkdir(parents=True)
    (out / "2023/old.html").write_text("old", "utf-8")
    left = tmp_path / ".output.old-1"  # an earlier build's, never removed
    left.mkdir()
    (left / "index.html").write_text("older", "utf-8")
    (tmp_path / ".outputs.old-1").mkdir()  # another output's: not this one's to remove
    writer = SiteWriter(out)
    writer.add("index.html", "新")
    writer.commit(out, later=True)
    assert (out / "index.html").read_text("utf-8") == "新"
    assert not (out / "2023").exists()
    deadline = time.monotonic() + 10
    while len(list(tmp_path.iterdir())) > 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".outputs.old-1", "output"]
