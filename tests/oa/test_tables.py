"""Tables told apart by their headers; the rows under a header, blank and repeated rows skipped."""
from __future__ import annotations

from scoring.oa.cells import Cell
from scoring.oa.tables import find_header, near_miss, table_rows
from scoring.oa.workbook import Sheet


def sheet(*rows: list[Cell]) -> Sheet:
    return Sheet("S", [list(r) for r in rows])


def rows_of(s: Sheet, renames: dict[str, str] | None = None) -> list[tuple[str, int, str]]:
    header = find_header(s, renames or {})
    assert header is not None
    return [(r.table.name, r.source.row, r.text("信息编号"))
            for r in table_rows(s, header, "f.xlsx", "f.xlsx", None)]


def test_header_is_the_first_row_with_the_required_columns() -> None:
    s = sheet(["2023年报送清单（信息编号、标题）"], [], ["序号", "信息编号", "标题"],
              ["序号", " 信息\n编号 ", "标题", "*报送单位", "报送 时间", "备注"],
              ["1", "K1", "甲", "发改委", "2023-05-02", "x"])
    header = find_header(s, {})
    assert header is not None and header.at == 3
    assert [t.name for t in header.tables] == ["报送"]
    assert rows_of(s) == [("报送", 5, "K1")]


def test_blank_total_and_repeated_header_rows_are_skipped() -> None:
    s = sheet(["信息编号", "采用刊物", "采用时间", "序号"],
              ["K1", "区刊", "2023-05-20", "1"], [None, "", " ", "合计 1"],
              ["信息编号", "采用刊物", "采用时间", "序号"], ["K2", "市刊", "2023-05-21", "2"])
    assert rows_of(s) == [("采用", 2, "K1"), ("采用", 5, "K2")]


def test_a_row_missing_a_cell_is_still_a_row() -> None:
    """A half-filled row is reported (E603) when it becomes a record, never silently dropped."""
    s = sheet(["信息编号", "批示级别", "批示时间"], ["K1", "", ""])
    assert rows_of(s) == [("批示", 2, "K1")]


def test_a_header_of_two_tables_gives_each_filled_one() -> None:
    s = sheet(["信息编号", "标题", "报送单位", "报送时间", "采用刊物", "采用时间"],
              ["K1", "甲", "发改委", "2023-05-02", "区刊", "2023-05-09"],
              ["K2", "乙", "发改委", "2023-05-03", "", ""])
    assert rows_of(s) == [("报送", 2, "K1"), ("采用", 2, "K1"), ("报送", 3, "K2")]


def test_the_map_renames_header_columns() -> None:
    header = ["文章编号", "刊物", "日期"]
    s = sheet(header, ["K1", "区刊", "2023-05-20"], header)  # repeated on a second page
    assert find_header(s, {}) is None
    assert rows_of(s, {"文章编号": "信息编号", "刊物": "采用刊物", "日期": "采用时间"}) == \
        [("采用", 2, "K1")]


def test_near_miss_names_the_missing_columns() -> None:
    s = sheet(["报送清单"], ["信息编号", "标题", "单位", "报送时间"])
    assert near_miss(s, {}) == "第2行像是报送表的表头，但缺少列：报送单位"
