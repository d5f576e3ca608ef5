"""The index opens with where the year stands: rankings to date with ▲▼ since last month.

The change of place is checked against ranks the test computes itself, from the adoptions
it writes (SPEC §3: 区刊 10, 市刊 20 points; no complete quarter, so nothing else scores) and
standard competition ranking ("1224") within the category.
"""
from __future__ import annotations

import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

from ledgerkit import DEMO_CONFIG, make_ledger
from sitekit import build_files

POINTS = {"区刊": 10, "市刊": 20}
# unit → month → the channels of its adoptions that month (one item each)
ADOPTIONS = {
    "fgw": {1: ["区刊", "区刊"], 2: []},
    "gxj": {1: ["市刊"], 2: ["区刊"]},
    "swj": {1: ["区刊"], 2: ["市刊", "市刊"]},
    "jyj": {1: [], 2: ["市刊"]},
    "mzj": {1: ["区刊"], 2: []},
    "kjj": {1: ["区刊"], 2: ["区刊"]},   # category 2: the ranking is by category
}


class Tables(HTMLParser):
    """Every table's caption and its body rows as cell texts."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict[str, object]] = []
        self._cell: list[str] | None = None
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"caption": "", "rows": [], "class": dict(attrs).get("class")})
        elif tag == "caption":
            self._in = "caption"
        elif tag == "tbody":
            self._in = "tbody"
        elif tag == "tr" and self._in == "tbody":
            self.rows.append([])
        elif tag in ("td", "th") and self._in == "tbody":
            self._cell = []

    @property
    def rows(self) -> list[list[str]]:
        return self.tables[-1]["rows"]  # type: ignore[return-value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag in ("caption", "tbody"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._in == "caption":
            self.tables[-1]["caption"] = str(self.tables[-1]["caption"]) + data


def ledger_files(months: tuple[int, ...]) -> dict[str, str]:
    files: dict[str, str] = {}
    for uid, by_month in ADOPTIONS.items():
        for m in months:
            text = ""
            for n, by in enumerate(by_month[m], 1):
                oa = f"T-{uid}-{m}-{n}"
                text += (f'[[info]]\noa = "{oa}"\ntitle = "信息{n}"\ndate = 2023-{m:02d}-0{n}\n\n'
                         f'[[adoption]]\noa = "{oa}"\nby = "{by}"\ndate = 2023-{m:02d}-1{n}\n\n')
            files[f"2023/{m:02d}/{uid}.toml"] = text
    return files


def units() -> list[dict[str, object]]:
    data = tomllib.loads((DEMO_CONFIG / "units.toml").read_text(encoding="utf-8"))
    return list(data["unit"])


def totals_to_date(through: int, category: int) -> dict[str, int]:
    """Unit name → points of months 1..through, for the units of ``category``."""
    return {str(u["name"]): sum(POINTS[by] for m in range(1, through + 1)
                                for by in ADOPTIONS.get(str(u["id"]), {}).get(m, []))
            for u in units() if u["category"] == category}


def ranks_to_date(through: int, category: int) -> dict[str, int]:
    """Unit name → competition rank ("1224") in ``category`` by the points to date."""
    totals = totals_to_date(through, category)
    return {name: 1 + sum(other > t for other in totals.values()) for name, t in totals.items()}


def standing_tables(tmp_path: Path, months: tuple[int, ...]) -> dict[str, list[list[str]]]:
    ledger = make_ledger(tmp_path, ledger_files(months))
    index = build_files(ledger)["index.html"].decode()
    return {str(t["caption"]): t["rows"] for t in Tables(index).tables  # type: ignore[misc]
            if t["class"] == "standing-table"}


def test_change_of_place_since_last_month(tmp_path: Path) -> None:
    tables = standing_tables(tmp_path, (1, 2))
    before, now = ranks_to_date(1, 1), ranks_to_date(2, 1)
    assert before != now  # the ledger above moves units
    rows = tables["一类信息网点"]
    seen = set()
    for rank, name, total, change in rows:
        seen.add(name)
        assert int(rank) == now[name], name
        assert int(total) == totals_to_date(2, 1)[name], name
        moved = before[name] - now[name]
        shown = re.match(r"▲\d+|▼\d+|—", change)
        assert shown is not None, change
        assert shown[0] == (f"▲{moved}" if moved > 0 else f"▼{-moved}" if moved < 0 else "—"), name
    assert seen == set(now)
    # by hand: 商务局 3 → 1, 发改委 1 → 3, 教育局 5 → 3, 民政局 3 → 5, the rest 5 → 6
    shown = {r[1]: r[3][:2] for r in rows}
    assert (shown["商务局"], shown["发改委"], shown["教育局"], shown["民政局"],
            shown["财政局"]) == ("▲2", "▼2", "▲2", "▼2", "▼1")
    kjj = next(r for r in tables["二类信息网点"] if r[1] == "科技局")
    assert kjj[0] == "1" and kjj[2] == "20" and kjj[3].startswith("—")   # first, still first


def test_ranks_are_listed_in_order(tmp_path: Path) -> None:
    rows = standing_tables(tmp_path, (1, 2))["一类信息网点"]
    ranks = [int(r[0]) for r in rows]
    assert ranks == sorted(ranks) and ranks[0] == 1
    totals = [int(r[2]) for r in rows]
    assert totals == sorted(totals, reverse=True)


def test_first_month_has_nothing_to_compare(tmp_path: Path) -> None:
    tables = standing_tables(tmp_path, (1,))
    rows = tables["一类信息网点"]
    assert all(len(r) == 3 for r in rows)  # no 较上月 column
    assert {r[1]: int(r[0]) for r in rows} == ranks_to_date(1, 1)


def test_index_links_the_gongshi_sheet_and_data(tmp_path: Path) -> None:
    files = build_files(make_ledger(tmp_path, ledger_files((1, 2))))
    index = files["index.html"].decode()
    assert 'href="2023/gongshi.html"' in index and "2023/gongshi.html" in files
    assert 'href="data/2023.json"' in index and 'href="data/2023.csv"' in index
    # the workbook is linked exactly when the build writes it
    assert ('href="data/2023.xlsx"' in index) == ("data/2023.xlsx" in files)
    assert "2月情况" in index and 'href="2023/02.html"' in index
    assert "暂定" in index
