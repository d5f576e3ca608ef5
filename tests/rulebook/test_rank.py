"""Standard competition ranking ("1224") within the category and overall; ties in registry order."""
from __future__ import annotations

from decimal import Decimal

from ledgerkit import make_ledger

from scoring.ledger.check import check_ledger
from scoring.ledger.problems import errors_in
from scoring.rulebook.rank import by_category, competition_ranks
from scoring.rulebook.score import score_ledger


def test_competition_ranks():
    d = [Decimal(v) for v in (20, 30, 20, 10, 20, Decimal("20.0"))]
    assert competition_ranks(d) == [2, 1, 2, 6, 2, 2]
    assert competition_ranks([]) == []
    assert competition_ranks([Decimal("-3.5"), Decimal("-3.4")]) == [2, 1]


def events(n: int, month: str = "05") -> str:
    """``n`` 失实滞后 events: −10 each, nothing else (no quarter is complete)."""
    return "".join(f'[[event]]\nkind = "失实滞后"\ndate = 2023-{month}-0{i + 1}\n\n'
                   for i in range(n))


def test_three_way_tie_shares_a_rank_and_lists_in_registry_order(tmp_path):
    # category 1 registry order: fgw gxj swj jyj mzj czj rsj …; the three tied units are listed
    # fgw, jyj, czj (registry), not czj, fgw, jyj (alphabetical) nor file order.
    files = {"2023/05/gxj.toml": "",                 # 0: first place alone
             "2023/05/czj.toml": events(1),          # −10, tied
             "2023/05/jyj.toml": events(1),          # −10, tied
             "2023/05/fgw.toml": events(1),          # −10, tied
             "2023/05/mzj.toml": events(2)}          # −20: fifth
    ledger, problems = check_ledger(make_ledger(tmp_path, files))
    assert not errors_in(problems)
    year = score_ledger(ledger)[2023]
    cat1 = by_category(year.units)[1]
    # 9 units of category 1 at 0 (gxj among them) share rank 1; three at −10 rank 10; mzj 13
    assert [(s.unit.id, s.total, s.rank_in_category) for s in cat1[-4:]] == [
        ("fgw", -10, 10), ("jyj", -10, 10), ("czj", -10, 10), ("mzj", -20, 13)]
    assert cat1[0].unit.id == "gxj" and cat1[0].rank_in_category == 1


def test_ranks_1_2_2_2_5(tmp_path):
    # Category 4 has five units: gafj jgdd sthjfj swuj zrzyfj (registry order).
    files = {"2023/05/zrzyfj.toml": "",            # 0  → 1
             "2023/05/swuj.toml": events(1),       # −10 → 2
             "2023/05/gafj.toml": events(1),       # −10 → 2
             "2023/05/sthjfj.toml": events(1),     # −10 → 2
             "2023/05/jgdd.toml": events(3)}       # −30 → 5
    ledger, problems = check_ledger(make_ledger(tmp_path, files))
    assert not errors_in(problems)
    year = score_ledger(ledger)[2023]
    cat4 = by_category(year.units)[4]
    assert [(s.unit.id, s.rank_in_category) for s in cat4] == [
        ("zrzyfj", 1), ("gafj", 2), ("sthjfj", 2), ("swuj", 2), ("jgdd", 5)]
    # Overall: the 43 units at 0 share first place, then 44, 44, 44, 47.
    overall = {s.unit.id: s.rank_overall for s in year.units}
    assert overall["fgw"] == 1 and overall["zrzyfj"] == 1
    assert [overall[u] for u in ("gafj", "sthjfj", "swuj", "jgdd")] == [44, 44, 44, 47]
    assert [s.unit.id for s in year.units][:3] == ["fgw", "gxj", "swj"]  # export order: registry
