"""Year-to-date scores for every month, computed in one pass, equal month-by-month scoring."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from ledgerkit import REPO
from scorekit import SETTINGS, build_year

from scoring.ledger.load import load_ledger
from scoring.rulebook.score import item_index, score_year, score_year_to_date


@SETTINGS
@given(st.data())
def test_same_as_scoring_each_month(data: st.DataObject) -> None:
    year, items = build_year(data)
    to_date = score_year_to_date(year, items)
    assert sorted(to_date) == sorted(year.months)
    for month, result in to_date.items():
        assert result == score_year(year, items, month)


def test_demo_year_every_month() -> None:
    ledger, _ = load_ledger(REPO / "ledger")
    items = item_index(ledger)
    for year in ledger.years.values():
        to_date = score_year_to_date(year, items)
        for month in year.months:
            assert to_date[month] == score_year(year, items, month)
        assert to_date[year.through] == score_year(year, items)
