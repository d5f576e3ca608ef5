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


def test_unchanged_files_are_linked_from_the_replaced_site(tmp_path: Path) -> None:
    """A file whose bytes the site being replaced has at the same path is linked, not made
    again; a changed one, a new one, and one that was a symbolic link are written. What is
    swapped in is the same either way, and removing the old site does not touch it."""
    import os
    out = tmp_path / "output"
    (out / "2023").mkdir(parents=True)
    (out / "index.html").write_bytes("首页".encode())
    (out / "2023/01.html").write_bytes(b"old bulletin")
    (tmp_path / "elsewhere.html").write_bytes(b"same text")
    (out / "link.html").symlink_to(tmp_path / "elsewhere.html")
    before = {name: os.stat(out / name).st_ino for name in ("index.html", "2023/01.html")}
    writer = SiteWriter(out)
    writer.add("index.html", "首页")
    writer.write_raw("2023/01.html", b"new bulletin")
    writer.adopt(["2023/01.html"])
    writer.add("2023/02.html", "二月")
    writer.add("link.html", b"same text")
    writer.commit(out)
    assert os.stat(out / "index.html").st_ino == before["index.html"]  # linked
    assert os.stat(out / "2023/01.html").st_ino != before["2023/01.html"]  # written anew
    assert (out / "index.html").read_text("utf-8") == "首页"
    assert (out / "2023/01.html").read_bytes() == b"new bulletin"
    assert (out / "2023/02.html").read_text("utf-8") == "二月"
    assert not (out / "link.html").is_symlink()
    assert (out / "link.html").read_bytes() == b"same text"
    assert os.stat(out / "index.html").st_nlink == 1  # the old site is gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.html", "output"]


def test_a_file_system_that_cannot_link_gets_every_file_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    out = tmp_path / "output"
    out.mkdir()
    (out / "a.html").write_bytes(b"a")
    (out / "b.html").write_bytes(b"b")
    tried: list[str] = []

    def no_link(src: str, dst: str, **kwargs: object) -> None:
        tried.append(dst)
        raise OSError(18, "Invalid cross-device link")
    monkeypatch.setattr(os, "link", no_link)
    writer = SiteWriter(out)
    writer.add("a.html", b"a")
    writer.add("b.html", b"b")
    writer.commit(out)
    assert len(tried) == 1  # not tried again
    assert (out / "a.html").read_bytes() == b"a" and (out / "b.html").read_bytes() == b"b"
