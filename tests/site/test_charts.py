"""Charts of a one-month year draw points, not lines of one point, and their legends do not
overlap; the 示例数据 banner marks the index and change log only when the year they show is
demonstration data."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from ledgerkit import make_ledger
from sitekit import build_files

from scoring.site.charts import LEGEND_PITCH, Series, line_chart

BANNER = "本年度台账为演示用虚构数据"


def legends(svg: str) -> list[tuple[float, float, str]]:
    return [(float(x), float(y), t) for x, y, t in
            re.findall(r'<text class="legend[^"]*" x="([\d.]+)" y="([\d.]+)">([^<]*)</text>', svg)]


def test_one_month_series_are_points_with_legends_apart() -> None:
    svg = str(line_chart("c", "t", [Series("累计报送", [Decimal(1)], "actual"),
                                    Series("累计采用", [Decimal(1)], "actual alt"),
                                    Series("累计约稿", [Decimal(0)], "actual")]))
    assert "<polyline" not in svg
    assert svg.count('<circle class="actual point"') == 2
    assert svg.count('<circle class="actual alt point"') == 1
    found = legends(svg)
    assert [t for _, _, t in found] == ["累计报送", "累计采用", "累计约稿"]
    ys = sorted(y for _, y, _ in found)
    assert all(b - a >= LEGEND_PITCH for a, b in zip(ys, ys[1:], strict=False))
    assert max(ys) <= 240 - 28 + 4  # above the month labels (baseline 232)


def test_lines_of_several_months_are_unchanged_polylines() -> None:
    svg = str(line_chart("c", "t", [Series("累计得分", [Decimal(10), Decimal(30)], "actual")]))
    assert re.search(r'<polyline class="actual" points="52,[\d.]+ [\d.]+,[\d.]+"/>', svg)
    assert "<circle" not in svg


def test_unit_page_of_a_one_month_year(tmp_path: Path) -> None:
    root = make_ledger(tmp_path, {"2023/01/fgw.toml": '[[info]]\noa = "A1"\ntitle = "t"\n'
                                  'date = 2023-01-05\n'})
    page = build_files(root)["2023/units/fgw.html"].decode()
    for chart in re.findall(r"<svg.*?</svg>", page, re.S):
        for points in re.findall(r'<polyline [^>]*points="([^"]*)"', chart):
            assert len(points.split()) > 1  # a line is drawn of two points at least
        found = legends(chart)
        for i, (x, y, _) in enumerate(found):
            for x2, y2, _ in found[i + 1:]:
                assert x != x2 or abs(y - y2) >= LEGEND_PITCH
    assert page.count('class="actual point"') == 2  # 累计报送 and 累计得分
    assert page.count('class="actual alt point"') == 1  # 累计采用


def demo_and_real(tmp_path: Path, real_months: tuple[str, ...]) -> Path:
    """2023 a demonstration year (its notice says 示例数据), 2024 real data."""
    return make_ledger(tmp_path, {"2023/notice.md": "> 示例数据：演示用。\n"},
                       months=("2023/01", *real_months), years=(2023, 2024))


def test_banner_only_where_the_year_shown_is_demo(tmp_path: Path) -> None:
    files = build_files(demo_and_real(tmp_path, ("2024/01",)))
    index, changes = files["index.html"].decode(), files["changes.html"].decode()
    assert BANNER not in index and BANNER not in changes
    assert '2023年度 <span class="tag demo">示例数据</span>' in index  # the demo year's tag stays
    assert '2024年度 <span class="tag demo">' not in index
    assert BANNER in files["2023/01.html"].decode()
    assert BANNER not in files["2024/01.html"].decode()


def test_banner_while_the_demo_year_is_the_one_shown(tmp_path: Path) -> None:
    # 2024 has its configuration but no month yet: the index shows 2023's bulletin first
    files = build_files(demo_and_real(tmp_path, ()))
    assert BANNER in files["index.html"].decode() and BANNER in files["changes.html"].decode()
