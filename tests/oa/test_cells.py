"""Cells: trimmed text, and every form of date SPEC §6 lists."""
from __future__ import annotations

import datetime as dt

import pytest

from scoring.oa.cells import Cell, date_of, text

MAY_12 = dt.date(2023, 5, 12)


@pytest.mark.parametrize("cell", [
    MAY_12, dt.datetime(2023, 5, 12, 9, 30), 45058, 45058.0, 45058.75, "45058",
    "2023-05-12", "2023/5/12", "2023-5-12", "2023.5.12", "2023-05-12 09:30", "2023/5/12 9:30:15",
    "2023-05-12T09:30:00", "2023年5月12日", "2023年05月12日", " 2023年5月12日 ",
    "2023年5月12日 9:30", "2023年5月12日 09时30分",
])
def test_every_date_form(cell: Cell) -> None:
    assert date_of(cell) == MAY_12


@pytest.mark.parametrize("cell", [
    "", None, "2023-02-30", "2023-13-01", "2023/05-12", "5/12/2023", "2023", "明天", True,
    "2023-05-12 25:00", 0, -3, dt.time(9, 30),
])
def test_not_dates(cell: Cell) -> None:
    assert date_of(cell) is None


def test_serial_numbers_follow_excel() -> None:
    assert date_of(1) == dt.date(1900, 1, 1)
    assert date_of(61) == dt.date(1900, 3, 1)  # after Lotus' phantom 1900-02-29
    assert date_of(44927) == dt.date(2023, 1, 1)


@pytest.mark.parametrize(("cell", "expected"), [
    ("  KDL-2023-0412\u3000", "KDL-2023-0412"), ("\xa0发改委 ", "发改委"), (412.0, "412"),
    (412, "412"), (1.5, "1.5"), (None, ""), ("", ""),
])
def test_text_is_trimmed(cell: Cell, expected: str) -> None:
    assert text(cell) == expected
