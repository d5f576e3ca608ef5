"""Pages rendered before git's history is read: the marks, and their filling in."""
from __future__ import annotations

from decimal import Decimal

import pytest
from markupsafe import escape

from scoring.pagemarks import CORRECTIONS, PointMarks, fill_bulletin, fill_unit_page
from scoring.results import Point


def point(path: str | None, line: int | None) -> Point:
    return Point(unit="fgw", month=5, component="adoption", points=Decimal(10), rule="r",
                 clause="c", detail="d", record=None, path=path, line=line)


def test_each_mark_gets_its_points_cell_escaped() -> None:
    marks = PointMarks()
    a, b, c = point("ledger/a.toml", 3), point("ledger/a.toml", 9), point(None, None)
    cells = [marks.mark(p) for p in (a, b, c)]
    # ledger text reaches the page escaped: a title that looks like a mark stays text
    title = str(escape("<\x000>"))
    page = f"<p>{title}</p><td>{cells[0]}</td><td>{cells[1]}</td><td>{cells[2]}</td>"
    labels = {a: "a1b2c3d 张三 2023-05-12", b: "<b>&", c: None}
    filled = fill_unit_page(page.encode("utf-8"), marks.points, labels.__getitem__)
    assert filled.decode("utf-8") == (
        f"<p>{title}</p><td><code>a1b2c3d 张三 2023-05-12</code></td>"
        "<td><code>&lt;b&gt;&amp;</code></td><td></td>")
    # a page shows its points in their order; anything else is refused, never misfilled
    swapped = f"<td>{cells[1]}</td><td>{cells[0]}</td><td>{cells[2]}</td>".encode()
    with pytest.raises(ValueError):
        fill_unit_page(swapped, marks.points, labels.__getitem__)
    with pytest.raises(ValueError):
        fill_unit_page(f"<td>{cells[0]}</td>".encode(), marks.points, labels.__getitem__)


def test_an_empty_label_gives_an_empty_cell() -> None:
    marks = PointMarks()
    page = f"<td>{marks.mark(point('x.toml', 1))}</td>".encode()
    assert fill_unit_page(page, marks.points, lambda p: "") == b"<td></td>"
    with pytest.raises(ValueError):
        fill_unit_page(page, marks.points, None)


def test_a_bulletin_gets_its_corrections_section_or_nothing() -> None:
    page = f"<main>…</section>\n{CORRECTIONS}</main>".encode()
    assert fill_bulletin(page, "../", []) == "<main>…</section>\n</main>".encode()
    found = [{"label": "2023年5月", "reason": "重复<登记>", "scores": [],
              "commit": {"sha": "a" * 40, "short": "aaaaaaa", "date": "2023-06-02"}}]
    filled = fill_bulletin(page, "../", found).decode("utf-8")
    assert '<section class="corrections">' in filled
    assert "重复&lt;登记&gt;" in filled and "总积分未变" in filled
    assert '<a href="../changes.html#c-' + "a" * 40 + '">' in filled
    assert "\x00" not in filled
    with pytest.raises(ValueError):
        fill_bulletin(b"<main></main>", "../", [])
