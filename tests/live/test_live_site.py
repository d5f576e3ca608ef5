"""The live site's rebuild: a saved file changes only the pages it touches, and the output
folder then equals a clean build of the same ledger, byte for byte."""
from __future__ import annotations

import shutil
from pathlib import Path

from sitekit import GOLDEN_LEDGER, build_files

from scoring.live.server import LiveState, banner, inject
from scoring.live.site import LiveSite

RECORD = ('\n[[info]]\noa = "G-0999"\ntitle = "科技局新增一条测试信息"\ndate = 2023-03-20\n'
          '\n[[adoption]]\noa = "G-0999"\nby = "区刊"\ndate = 2023-03-25\nissue = "第9期"\n')


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def live_copy(tmp_path: Path) -> LiveSite:
    ledger = tmp_path / "ledger"
    shutil.copytree(GOLDEN_LEDGER, ledger)  # outside git: no trail, as build_files
    return LiveSite(ledger, tmp_path / "out")


def test_first_rebuild_writes_a_clean_build(tmp_path: Path) -> None:
    live = live_copy(tmp_path)
    done = live.rebuild()
    assert done.ok and not done.removed
    assert tree(live.out_dir) == build_files(live.ledger_dir)
    assert sorted(done.written) == sorted(tree(live.out_dir))
    again = live.rebuild()
    assert again.written == [] and again.removed == []


def test_one_saved_file_rewrites_only_the_pages_it_touches(tmp_path: Path) -> None:
    live = live_copy(tmp_path)
    live.rebuild()
    before = tree(live.out_dir)
    unit_file = live.ledger_dir / "2023" / "03" / "kjj.toml"
    unit_file.write_text(unit_file.read_text(encoding="utf-8") + RECORD, encoding="utf-8")
    done = live.rebuild()
    after = tree(live.out_dir)
    assert after == build_files(live.ledger_dir)
    changed = sorted(p for p in after if before.get(p) != after[p])
    assert sorted(done.written) == changed
    assert "2023/units/kjj.html" in changed
    assert "科技局新增一条测试信息" in after["2023/units/kjj.html"].decode()
    assert "2023/units/fgw.html" not in changed and "2023/01.html" not in changed
    assert not any(p.startswith("static/") for p in changed)


def test_errors_keep_the_last_good_pages_until_mended(tmp_path: Path) -> None:
    live = live_copy(tmp_path)
    live.rebuild()
    good = tree(live.out_dir)
    unit_file = live.ledger_dir / "2023" / "03" / "kjj.toml"
    text = unit_file.read_text(encoding="utf-8")
    unit_file.write_text(text + "\n[[info]]\noa = \n", encoding="utf-8")
    broken = live.rebuild()
    assert not broken.ok and broken.written == []
    assert tree(live.out_dir) == good
    state = LiveState()
    state.publish(broken.problems)
    page = inject(good["2023/units/kjj.html"], state).decode()
    first = broken.problems[0].format()
    assert "2023/03/kjj.toml" in first
    assert 'id="kaoping-errors"' in page and first.split(": ", 1)[0] in page
    assert page.index('id="kaoping-errors"') > page.index("<body")
    unit_file.write_text(text, encoding="utf-8")
    mended = live.rebuild()
    assert mended.ok and mended.written == []
    state.publish(mended.problems)
    assert 'id="kaoping-errors"' not in inject(good["2023/units/kjj.html"], state).decode()


def test_the_banner_escapes_ledger_text() -> None:
    from scoring.ledger.problems import Problem
    html = banner([Problem("2023/03/kjj.toml", 3, "E101", "<script>alert(1)</script>")])
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_workbook_asked_for_during_a_rebuild_waits_for_it(tmp_path: Path) -> None:
    """Pages are written (and reload) before the workbooks: a download meanwhile waits."""
    import threading
    import urllib.request

    from scoring.live.server import make_server

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "2023.xlsx").write_bytes(b"old")
    (tmp_path / "index.html").write_text("<html><body></body></html>", encoding="utf-8")
    state = LiveState()
    server = make_server("127.0.0.1", 0, tmp_path, state)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    got: list[bytes] = []
    try:
        with state.rebuilding():
            asking = threading.Thread(target=lambda: got.append(
                urllib.request.urlopen(base + "data/2023.xlsx", timeout=10).read()))
            asking.start()
            page = urllib.request.urlopen(base, timeout=10).read()  # a page does not wait
            assert b"kaoping-live" in page
            asking.join(0.5)
            assert asking.is_alive() and not got
            (tmp_path / "data" / "2023.xlsx").write_bytes(b"new")
        asking.join(10)
        assert got == [b"new"]
    finally:
        server.shutdown()
        server.server_close()
