"""The 公示 sheet (rulebook 四): every unit's 名次, 单位 and 总积分, by category, in columns.

The layout itself (columns, lines, type size) is chosen by ``page_gongshi``; these tests check
that it places every unit once, in rank order, never leaves a part of a category with fewer
than three rows, and gives large type; the printing is checked in test_print.py.
"""
from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from ledgerkit import make_ledger
from sitekit import build_files

from scoring.site.common import Source
from scoring.site.page_gongshi import MIN_PART, choose_layout, pack

LAYOUTS = [[13, 14, 15, 5], [13, 14, 20], [20, 15, 12], [47], [2, 2, 2, 2], [1], [30, 17],
           [6, 40, 1]]


@pytest.mark.parametrize("sizes", LAYOUTS)
def test_layout_places_every_row_once_in_order(sizes: list[int]) -> None:
    layout = choose_layout(sizes, 16.0)
    parts = [p for column in layout.columns for p in column]
    for ci, n in enumerate(sizes):
        mine = [(start, end) for c, start, end in parts if c == ci]
        assert mine[0][0] == 0 and mine[-1][1] == n
        assert all(a[1] == b[0] for a, b in pairwise(mine))  # contiguous, in order
        if len(mine) > 1:
            assert min(end - start for start, end in mine) >= MIN_PART
    for column in layout.columns:  # each part: its rows, a caption line and a header line
        assert sum(end - start + 2 for _, start, end in column) <= layout.lines
    assert [c for c, _, _ in parts] == sorted(c for c, _, _ in parts)


def test_pack_refuses_what_cannot_fit() -> None:
    assert pack([10], 8, split=False) is None
    assert pack([10], 8, split=True) == [[(0, 0, 6)], [(0, 6, 10)]]
    assert pack([4], 5, split=True) is None   # a part of fewer than three rows is not made


def test_47_units_in_3_categories_get_large_type() -> None:
    """Shares of the sheet's height: 2.2 is 6 mm on A3, 17 pt (readable from two metres)."""
    for sizes in ([20, 15, 12], [13, 14, 20], [16, 16, 15]):
        layout = choose_layout(sizes, 2.7 + 10 + 3.7)
        assert layout.font >= 2.2, sizes
        assert len(layout.columns) >= 2


def sheet(tmp_path: Path, months: tuple[str, ...], **files: str) -> str:
    ledger = make_ledger(tmp_path, {k.replace("_", "/") + ".toml": v for k, v in files.items()},
                         months=months)
    return build_files(ledger)["2023/gongshi.html"].decode()


def test_sheet_lists_every_unit_with_rank_and_total(tmp_path: Path) -> None:
    html = sheet(tmp_path, ("2023/01",), **{"2023/01/gxj": '''
        [[info]]
        oa = "G1"
        title = "t"
        date = 2023-01-05
        [[adoption]]
        oa = "G1"
        by = "市刊"
        date = 2023-01-20
        '''})
    rows = re.findall(r'<tr><td class="num">(\d+)</td><th scope="row"><a [^>]*>([^<]+)</a></th>'
                      r'<td class="num">(-?[\d.]+)</td></tr>', html)
    assert len(rows) == 47
    assert ("1", "工信局", "20") in rows and ("2", "发改委", "0") in rows
    assert "暂定（数据截至1月）" in html and "2023年1月" in html
    assert "数据截至2023年1月31日" in html and "昆都仑区人民政府办公室" in html


def test_final_sheet_carries_the_notice_date(tmp_path: Path) -> None:
    html = sheet(tmp_path, tuple(f"2023/{m:02d}" for m in range(1, 13)))
    assert "暂定" not in html
    assert "2024年1月15日" in html and "2023年度各单位考评结果" in html


def test_sheet_escapes_ledger_text(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path, months=("2023/01",))
    units = ledger / "2023" / "units.toml"
    units.write_text(units.read_text(encoding="utf-8").replace(
        'name = "发改委"', 'name = "<b>发改委</b>"'), encoding="utf-8")
    html = build_files(ledger)["2023/gongshi.html"].decode()
    assert "&lt;b&gt;发改委&lt;/b&gt;" in html and "<b>发改委" not in html


def test_draft_and_demo_marks_are_on_the_sheet(tmp_path: Path) -> None:
    ledger = make_ledger(tmp_path, months=("2023/01",))
    html = build_files(ledger, Source("ab" * 20, dirty=True))["2023/gongshi.html"].decode()
    assert '<span class="gs-mark">草稿</span>' in html and "台账版本 ababab" in html
    clean = build_files(ledger)["2023/gongshi.html"].decode()
    assert "gs-mark" not in clean
