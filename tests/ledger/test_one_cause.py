"""One root cause gives one error: what follows from a reported problem is not reported again."""
from __future__ import annotations

from pathlib import Path

import pytest
from ledgerkit import DEMO_CONFIG, make_ledger

M = "ledger/2023/05"
INFO = '[[info]]\noa = "A1"\ntitle = "t"\ndate = 2023-05-02\n'
ADOPTED = '\n[[adoption]]\noa = "A1"\nby = "{by}"\ndate = 2023-05-20\n'

CASES = {
    "专报 without its topic, adopted": (INFO + 'kind = "专报"\n' + ADOPTED.format(by="上报"),
                                      f"{M}/fgw.toml:1: E208"),
    "item dated outside the month, adopted": (INFO.replace("05-02", "06-02")
                                              + ADOPTED.format(by="区刊"), f"{M}/fgw.toml:4: E207"),
    "item without a title, adopted": (INFO.replace('title = "t"\n', "") + ADOPTED.format(by="区刊"),
                                      f"{M}/fgw.toml:1: E203"),
    "item with a full-width OA number, adopted": (
        INFO.replace('"A1"', '"Ａ1"', 1) + ADOPTED.format(by="区刊").replace('"A1"', '"Ａ1"'),
        f"{M}/fgw.toml:2: E206"),
    "instructed item with a misspelt kind": (
        INFO + 'kind = "专报 "\ntopic = "问题建议"\n'
        + '\n[[instruction]]\noa = "A1"\nlevel = "市"\ndate = 2023-05-20\n',
        f"{M}/fgw.toml:5: E206"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_dropped_item_is_not_also_not_found(run, tmp_path: Path, name: str) -> None:
    text, head = CASES[name]
    make_ledger(tmp_path, {"2023/05/fgw.toml": text})
    got = run("check")
    assert got.code == 1
    assert got.heads[0] == head
    assert not [h for h in got.heads if h.endswith(("E302", "E208", "E209"))
                and h != head], got.lines


def test_full_width_oa_numbers_on_both_sides_are_each_reported(run, tmp_path: Path) -> None:
    text = CASES["item with a full-width OA number, adopted"][0]
    make_ledger(tmp_path, {"2023/05/fgw.toml": text})
    assert run("check").heads == [f"{M}/fgw.toml:2: E206", f"{M}/fgw.toml:7: E206"]


@pytest.mark.parametrize("units, expected", [
    ("", ["ledger/2023/units.toml: E402"]),
    ("# 单位名录\n", ["ledger/2023/units.toml: E402"]),
    ("[[unit]]\n", ["ledger/2023/units.toml:1: E203"] * 3),  # id, name, category: three fixes
])
def test_an_empty_registry_is_reported_alone(run, out_untouched, tmp_path: Path, units: str,
                                             expected: list[str]) -> None:
    root = make_ledger(tmp_path, {"2023/05/fgw.toml": INFO}, months=("2023/05", "2023/06"))
    (root / "2023/units.toml").write_text(units, encoding="utf-8")
    for command in ("check", "build"):
        got = run(command)
        assert got.code == 1
        assert got.heads == expected  # not 94 E103 lines, one per unit file
    assert out_untouched()


def test_a_registry_error_does_not_make_every_file_unknown(run, tmp_path: Path) -> None:
    root = make_ledger(tmp_path, {"2023/05/fgw.toml": INFO}, months=("2023/06",))
    text = (DEMO_CONFIG / "units.toml").read_text(encoding="utf-8")
    (root / "2023/units.toml").write_text(text.replace('id = "fgw"', 'id = "FGW"'),
                                          encoding="utf-8")
    assert run("check").heads == ["ledger/2023/units.toml:7: E402"]
