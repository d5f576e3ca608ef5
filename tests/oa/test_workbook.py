"""Reading export files: each format from its bytes, rows numbered as the sheet numbers them."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from exportkit import write_csv, write_html_xls, write_xls, write_xlsx

from scoring.oa.cells import date_of
from scoring.oa.workbook import UnreadableFile, read_sheets

HEADER = ["信息编号", "标题", "报送单位", "报送时间"]


def test_xlsx_keeps_title_rows_dates_and_merged_cells(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "报送.xlsx", [
        ["2023年5月报送清单"], [], HEADER,
        ["K1", "甲", "发改委", dt.datetime(2023, 5, 12, 9, 30)],
        ["K2", "乙", "发改委", 45058],
        ["K3", "丙", "发改委", "2023年5月9日"],
    ], merge=["A1:D1"])
    [sheet] = read_sheets(path.read_bytes())
    assert sheet.name == "Sheet1"
    assert sheet.rows[0][0] == "2023年5月报送清单" and sheet.rows[0][1:] == ["", "", ""]
    assert sheet.rows[2] == HEADER  # row 3 of the sheet: title and blank rows kept
    assert [date_of(r[3]) for r in sheet.rows[3:]] == [dt.date(2023, 5, 12)] * 2 + \
        [dt.date(2023, 5, 9)]


def test_leading_blank_rows_and_columns_keep_their_numbers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [[], [], [None, None, "x"]])
    [sheet] = read_sheets(path.read_bytes())
    assert sheet.rows[2][2] == "x"


def test_a_merged_area_down_a_column_holds_its_value_in_each_row(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER, ["K1", "甲", "发改委", "2023-05-02"],
                                            ["K2", "乙", None, "2023-05-03"]], merge=["C2:C3"])
    [sheet] = read_sheets(path.read_bytes())
    assert [r[2] for r in sheet.rows[1:]] == ["发改委", "发改委"]


def test_real_biff_xls(tmp_path: Path) -> None:
    path = write_xls(tmp_path / "报送.xls", [
        ["报送清单", None, None, None], HEADER,
        ["K1", "甲", "发改委", dt.datetime(2023, 5, 12, 9, 30)],
        ["K2", "乙", "发改委", dt.date(2023, 5, 9)],
    ], merge=[(0, 0, 0, 3)])
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    [sheet] = read_sheets(path.read_bytes())
    assert sheet.rows[1] == HEADER
    assert [date_of(r[3]) for r in sheet.rows[2:]] == [dt.date(2023, 5, 12), dt.date(2023, 5, 9)]


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_html_table_saved_as_xls(tmp_path: Path, encoding: str) -> None:
    path = write_html_xls(tmp_path / "批示.xls", [
        ["2023年批示清单", None, None], ["信息编号", "批示级别", "批示时间"],
        [" K1&2 ", "市级", "2023年5月25日"], ["K2", None, "2023-05-26"],
    ], encoding=encoding, spans={(0, 0): 'colspan="3"', (2, 1): 'rowspan="2"'})
    [sheet] = read_sheets(path.read_bytes())
    assert sheet.name is None
    assert sheet.rows[0] == ["2023年批示清单", "", "", "", ""]
    assert sheet.rows[2] == ["K1&2", "市级", "2023年5月25日"]
    assert sheet.rows[3][:3] == ["K2", "市级", ""]  # rowspan: 市级 in both rows


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    rows = [["采用清单"], ["信息编号", "采用刊物", "采用时间"], ["K1", "区刊", "2023/5/20"]]
    path = write_csv(tmp_path / "采用.csv", rows, encoding)
    [sheet] = read_sheets(path.read_bytes())
    assert sheet.rows == rows


def test_tab_separated_text(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("信息编号\t采用刊物\t采用时间\nK1\t区刊\t2023-05-20\n".encode("gbk"))
    assert read_sheets(path.read_bytes())[0].rows[1] == ["K1", "区刊", "2023-05-20"]


def test_format_comes_from_the_bytes_not_the_name(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "实为xlsx.csv", [HEADER])
    assert read_sheets(path.read_bytes())[0].rows == [HEADER]
    html_path = write_html_xls(tmp_path / "实为网页.xlsx", [HEADER])
    assert read_sheets(html_path.read_bytes())[0].rows == [HEADER]


def test_several_sheets_are_named(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", [HEADER], sheet="报送",
                      more={"采用": [["信息编号", "采用刊物", "采用时间"]]})
    assert [s.name for s in read_sheets(path.read_bytes())] == ["报送", "采用"]


@pytest.mark.parametrize("cut", [0.5, 0.97])
def test_damaged_workbooks_are_unreadable_not_a_crash(tmp_path: Path, cut: float) -> None:
    for path in (write_xlsx(tmp_path / "a.xlsx", [HEADER] * 50),
                 write_xls(tmp_path / "a.xls", [HEADER] * 50)):
        raw = path.read_bytes()
        with pytest.raises(UnreadableFile, match="损坏"):
            read_sheets(raw[:int(len(raw) * cut)])


@pytest.mark.parametrize("raw", [b"", b"  \r\n", bytes(range(256)) * 4])
def test_empty_or_binary_files_are_unreadable(raw: bytes) -> None:
    with pytest.raises(UnreadableFile):
        read_sheets(raw)
