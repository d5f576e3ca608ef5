"""Writing an import: every file or none, nothing left behind, file modes kept."""
from __future__ import annotations

from pathlib import Path

import pytest
from exportkit import tree_digest
from ledgerkit import make_ledger

from scoring.oa.ledgertext import FileEdit
from scoring.oa.write import LedgerChanged, write_edits


def edits_for(ledger: Path) -> list[FileEdit]:
    old = ledger / "2023/05/fgw.toml"
    new = ledger / "2023/06/fgw.toml"
    return [FileEdit(old, "ledger/2023/05/fgw.toml", old.read_bytes(), b"# after\n", ()),
            FileEdit(new, "ledger/2023/06/fgw.toml", None, b"# new\n", ())]


def test_all_files_are_written(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path, {"2023/05/fgw.toml": "# before\n"})
    (ledger / "2023/05/fgw.toml").chmod(0o640)
    write_edits(edits_for(ledger))
    assert (ledger / "2023/05/fgw.toml").read_bytes() == b"# after\n"
    assert (ledger / "2023/06/fgw.toml").read_bytes() == b"# new\n"
    assert (ledger / "2023/05/fgw.toml").stat().st_mode & 0o777 == 0o640
    assert not [p for p in ledger.rglob(".*")]


def test_a_file_changed_meanwhile_stops_every_write(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path, {"2023/05/fgw.toml": "# before\n"})
    edits = edits_for(ledger)
    (ledger / "2023/05/fgw.toml").write_text("# typed in meanwhile\n", encoding="utf-8")
    before = tree_digest(ledger)
    with pytest.raises(LedgerChanged, match="ledger/2023/05/fgw.toml"):
        write_edits(edits)
    assert tree_digest(ledger) == before
    assert not (ledger / "2023/06").exists()
