"""The year's workbook ``data/<YYYY>.xlsx``: read back with openpyxl, figures against the JSON
export, print set-up, measured widths, 暂定 while provisional, and the same bytes every build."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from ledgerkit import make_ledger
from sitekit import GOLDEN_LEDGER, GOLDEN_SOURCE, build_files

from scoring.site.workbook import MAX_WIDTH, sheet_name, text_width

PROVISIONAL = {"2023/03/fgw.toml": """
    [[info]]
    oa = "ZW-2023-0301"
    title = "发改委稳增长专题"
    date = 2023-03-02

    [[adoption]]
    oa = "ZW-2023-0301"
    by = "区刊"
    date = 2023-03-09
    issue = "第5期"
    """}


@pytest.fixture(scope="module")
def golden() -> dict[str, bytes]:
    return build_files(GOLDEN_LEDGER, GOLDEN_SOURCE)


def load(files: dict[str, bytes], year: int = 2023) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(files[f"data/{year}.xlsx"]))


def test_every_unit_with_its_numeric_total_and_ranks(golden: dict[str, bytes]) -> None:
    doc = json.loads(golden["data/2023.json"])
    wb = load(golden)
    found: dict[str, tuple[object, ...]] = {}
    for ws in wb.worksheets[:-2]:   # the category sheets; then 逐月情况 and 计分明细
        headers = [c.value for c in ws[2]]
        assert headers[:2] == ["名次", "单位"] and headers[9] == "总积分"
        for row in ws.iter_rows(min_row=3, values_only=True):
            assert row[1] not in found
            found[str(row[1])] = row
    assert set(found) == {u["name"] for u in doc["units"]}
    for u in doc["units"]:
        row = found[u["name"]]
        assert isinstance(row[9], (int, float)) and not isinstance(row[9], bool)
        assert row[9] == u["total"]
        assert (row[0], row[10]) == (u["rank_in_category"], u["rank_overall"])
        assert list(row[2:6]) == [u["counts"][k] for k in ("submitted", "adopted",
                                                            "special_submitted",
                                                            "special_adopted")]
        assert list(row[6:9]) == [u["adoption_points"], u["comprehensive_points"],
                                  u["penalty_points"]]


def test_monthly_and_points_sheets_agree_with_the_export(golden: dict[str, bytes]) -> None:
    doc = json.loads(golden["data/2023.json"])
    wb = load(golden)
    monthly, points = wb.worksheets[-2], wb.worksheets[-1]
    rows = list(monthly.iter_rows(min_row=3, values_only=True))
    assert len(rows) == sum(len(u["months"]) for u in doc["units"])
    by_unit = {u["id"]: u for u in doc["units"]}
    for row in rows:
        month = by_unit[str(row[0])]["months"][f"2023-{row[3]:02d}"]
        assert (row[4], row[8]) == (month["submitted"], month["adoption_points"])
    # the points of each unit add up to its total, and cite file:line or 计算所得
    sums: dict[str, float] = {}
    for row in points.iter_rows(min_row=3, values_only=True):
        sums[str(row[0])] = sums.get(str(row[0]), 0) + float(row[4])  # type: ignore[arg-type]
        source = str(row[8])
        assert source == "计算所得" or re.search(r"ledger/2023/\d\d/\w+\.toml:\d+$", source)
    for uid, u in by_unit.items():
        assert sums.get(uid, 0) == pytest.approx(u["total"])


def test_print_setup_frozen_header_and_measured_widths(golden: dict[str, bytes]) -> None:
    wb = load(golden)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == "9"  # A4
        assert ws.print_title_rows == "$1:$2"
        assert ws.freeze_panes == "A3"
        for col in range(1, ws.max_column + 1):
            letter = openpyxl.utils.get_column_letter(col)
            widest = max(text_width(str(c.value)) for c in ws[letter][1:] if c.value is not None)
            assert ws.column_dimensions[letter].width >= min(widest, MAX_WIDTH)
        long = [c for row in ws.iter_rows(min_row=3) for c in row
                if c.value is not None and text_width(str(c.value)) > MAX_WIDTH]
        assert all(c.alignment.wrap_text for c in long)   # wrapped, not cut off
    names = wb.worksheets[0]["B"]
    assert any(text_width(str(c.value)) > len(str(c.value)) for c in names[2:])  # CJK measured
    assert wb.properties.created is not None and wb.properties.created.year == 2024


def test_provisional_year_says_so(tmp_path: Path) -> None:
    files = build_files(make_ledger(tmp_path, PROVISIONAL, months=("2023/01", "2023/02")))
    wb = load(files)
    assert all("暂定" in name for name in wb.sheetnames)
    assert all("暂定" in str(ws["A1"].value) and "截至3月" in str(ws["A1"].value)
               for ws in wb.worksheets)


def test_same_ledger_same_bytes(tmp_path: Path) -> None:
    first = build_files(GOLDEN_LEDGER, GOLDEN_SOURCE)["data/2023.xlsx"]
    again = build_files(GOLDEN_LEDGER, GOLDEN_SOURCE)["data/2023.xlsx"]
    assert first == again and first[:2] == b"PK"


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    names = [sheet_name("一类/网点[甲]", False, taken), sheet_name("一类/网点[甲]", False, taken),
             sheet_name("很长的名字" * 8, True, taken)]
    assert names[0] != names[1] and all(len(n) <= 31 for n in names)
    assert not any(ch in n for n in names for ch in "[]:*?/\\")
    assert names[2].endswith("（暂定）")


def test_annual_notice_links_the_workbook_beside_json_and_csv(golden: dict[str, bytes]) -> None:
    page = golden["2023/annual.html"].decode("utf-8")
    for ext in ("xlsx", "json", "csv"):
        assert f'href="../data/2023.{ext}"' in page and f"data/2023.{ext}" in golden
