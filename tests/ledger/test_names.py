"""Names under ledger/ that look like a year, month or unit file but are not exactly one."""
from __future__ import annotations

from pathlib import Path

import pytest
from ledgerkit import make_ledger

INFO = '[[info]]\noa = "A1"\ntitle = "t"\ndate = 2023-05-02\n'
JUNE = INFO.replace("05-02", "06-02")

# (files to write, the one problem expected, words its message must hold)
WRONG = {
    "full-width year": ({"２０２３/05/fgw.toml": INFO}, "ledger/２０２３: E104", "应改为 2023"),
    "month not zero-padded": ({"2023/6/fgw.toml": JUNE}, "ledger/2023/6: E104", "应改为 06"),
    "month 13": ({"2023/13/fgw.toml": INFO}, "ledger/2023/13: E104", "01–12"),
    "full-width month": ({"2023/０３/fgw.toml": INFO}, "ledger/2023/０３: E104", "应改为 03"),
    "upper-case extension": ({"2023/05/fgw.TOML": INFO}, "ledger/2023/05/fgw.TOML: E104",
                             "应为 fgw.toml"),
    "upper-case unit id": ({"2023/05/FGW.toml": INFO}, "ledger/2023/05/FGW.toml: E104",
                           "应为 fgw.toml"),
    "full-width unit id": ({"2023/05/ｆｇｗ.toml": INFO}, "ledger/2023/05/ｆｇｗ.toml: E104",
                           "应为 fgw.toml"),
    "saved with .txt": ({"2023/05/fgw.toml.txt": INFO}, "ledger/2023/05/fgw.toml.txt: E104",
                        "应为 fgw.toml"),
    "unit file without extension": ({"2023/05/fgw": INFO}, "ledger/2023/05/fgw: E104",
                                    "应为 fgw.toml"),
    "config in upper case": ({"2023/Rules.toml": ""}, "ledger/2023/Rules.toml: E104",
                             "应为 rules.toml"),
    "unit file in the year folder": ({"2023/fgw.toml": INFO}, "ledger/2023/fgw.toml: E104",
                                     "月份文件夹"),
    "year folder as a file": ({"2024": ""}, "ledger/2024: E104", "四位半角数字"),
    "bulletin in upper case": ({"2023/05/Bulletin.md": "按语"},
                               "ledger/2023/05/Bulletin.md: E104", "应为 bulletin.md"),
}


@pytest.mark.parametrize("name", list(WRONG))
def test_a_near_miss_is_an_error_naming_the_right_form(refuses, tmp_path: Path,
                                                       name: str) -> None:
    files, head, words = WRONG[name]
    make_ledger(tmp_path, files, months=("2023/05",))
    refuses([head], words)


def test_a_full_width_year_does_not_replace_the_real_one(run, tmp_path: Path) -> None:
    make_ledger(tmp_path, {"2023/05/fgw.toml": INFO, "２０２３/05/gxj.toml": ""})
    got = run("check")
    assert got.code == 1 and got.heads == ["ledger/２０２３: E104"]


PLAIN = {"2023/notice.md": "正文", "2023/05/notice.md": "x", "2023/05/README.txt": "x",
         "2023/05/.fgw.toml.swp": b"\0", "2023/.DS_Store": b"\0", "README.md": "台账说明",
         ".gitattributes": "*.toml diff=kaoping\n"}


def test_plainly_non_ledger_files_are_passed_over(run, tmp_path: Path) -> None:
    make_ledger(tmp_path, {"2023/05/fgw.toml": INFO, **PLAIN})
    got = run("check")
    assert got.code == 0 and got.heads == []


def test_other_files_are_ignored_with_a_warning(run, tmp_path: Path) -> None:
    make_ledger(tmp_path, {"2023/05/fgw.toml": INFO, "2023/05/photo.jpg": b"\xff",
                           "2023/附件.docx": b"x", "说明.txt": "x"})
    got = run("check")
    assert got.code == 0
    assert got.heads == ["ledger/2023/05/photo.jpg: W102", "ledger/2023/附件.docx: W102",
                         "ledger/说明.txt: W102"]
