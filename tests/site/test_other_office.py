"""Rules are data all the way to the page: another office's rulebook, with no code touched.

A city's first-quarter bulletin (five departments; adoptions on its own 政府网 at 5 points and
on the prefecture's site at 10; no targets, no 领导批示, no 综合考评 events, no 约稿, no
deductions) is reproduced from a rules.toml and units.toml of its own: its figures, and not a
word or clause of the Kundulun rulebook on any page.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from ledgerkit import build_py

RULES = """\
[document]
title = "某市政务信息工作考核细则"

[kinds]
info = "信息"
special = "专报"
topics = ["调研报告"]

[[category]]
id = 1
name = "市直部门"

[[channel]]
kind = "信息"
by = "政府网"
name = "市政府网站采用"
points = 5

[[channel]]
kind = "信息"
by = "州网"
name = "州政府网站采用"
points = 10
"""

UNITS = "".join(f'[[unit]]\nid = "{uid}"\nname = "{name}"\ncategory = 1\n\n' for uid, name in (
    ("fzgg", "发展改革委"), ("jyj", "教育局"), ("gaj", "公安局"), ("mzj", "民政局"),
    ("czj", "财政局")))


def _records(uid: str, month: int, items: int, city: int, state: int) -> str:
    out = []
    for i in range(1, items + 1):
        out.append(f'[[info]]\noa = "SZ-{uid}-{month}-{i}"\ntitle = "{uid}信息{i}"\n'
                   f"date = 2023-{month:02d}-{i + 1:02d}\n")
    for by, n in (("政府网", city), ("州网", state)):
        for i in range(1, n + 1):
            out.append(f'[[adoption]]\noa = "SZ-{uid}-{month}-{i}"\nby = "{by}"\n'
                       f"date = 2023-{month:02d}-25\n")
    return "\n".join(out)


# unit → per month (items, 政府网 adoptions, 州网 adoptions)
FIGURES = {"fzgg": [(4, 3, 1), (5, 2, 2), (6, 4, 1)], "jyj": [(3, 2, 0), (2, 1, 1), (4, 3, 0)],
           "gaj": [(5, 1, 2), (3, 3, 0), (2, 0, 0)], "mzj": [(1, 0, 0), (2, 2, 0), (3, 1, 1)],
           "czj": [(0, 0, 0), (1, 1, 0), (0, 0, 0)]}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("city")
    (root / ".git").mkdir()  # the repository root (displayed paths start here)
    year = root / "ledger" / "2023"
    year.mkdir(parents=True)
    (year / "rules.toml").write_text(RULES, encoding="utf-8")
    (year / "units.toml").write_text(UNITS, encoding="utf-8")
    for uid, months in FIGURES.items():
        for month, (items, city, state) in enumerate(months, 1):
            folder = year / f"{month:02d}"
            folder.mkdir(exist_ok=True)
            (folder / f"{uid}.toml").write_text(_records(uid, month, items, city, state),
                                               encoding="utf-8")
    proc = build_py("build", "--ledger", "ledger", "--out", "out", "--no-cache", cwd=root)
    assert proc.returncode == 0, proc.stderr
    yield root / "out"
    shutil.rmtree(root)


def test_the_figures_are_the_bulletins(site: Path) -> None:
    doc = json.loads((site / "data/2023.json").read_text(encoding="utf-8"))
    totals = {u["id"]: u["total"] for u in doc["units"]}
    expected = {uid: sum(5 * c + 10 * s for _, c, s in months)
                for uid, months in FIGURES.items()}
    assert totals == expected == {"fzgg": 85, "jyj": 40, "gaj": 40, "mzj": 25, "czj": 5}
    ranks = {u["id"]: u["rank_in_category"] for u in doc["units"]}
    assert ranks == {"fzgg": 1, "jyj": 2, "gaj": 2, "mzj": 4, "czj": 5}
    assert all(u["comprehensive_points"] == 0 and not u["criticisms"] for u in doc["units"])


LOCAL = ("三(", "全区", "区政府", "昆都仑", "信息网点", "约谈", "考评办法三", "领导批示", "轮训")


def test_no_page_speaks_another_rulebooks_words(site: Path) -> None:
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        found = [w for w in LOCAL if w in text]
        assert not found, (page.relative_to(site).as_posix(), found)


def test_what_the_rulebook_does_not_have_is_left_out(site: Path) -> None:
    march = (site / "2023/03.html").read_text(encoding="utf-8")
    assert "2023年3月政务信息报送采用情况通报" in march
    assert "季度进度" not in march and "/0" not in march      # no targets: no pace
    summary = ("3月，共报送信息15条（其中专报0篇），采用10条（次），"
               "其中政府网8条（次）、州网2条（次）。")
    assert summary in march
    unit = (site / "2023/units/fzgg.html").read_text(encoding="utf-8")
    assert "年度任务完成情况" not in unit and "进度线" not in unit
    assert "总排名" in unit and "计算所得。" not in unit
    annual = (site / "2023/annual.html").read_text(encoding="utf-8")
    assert "附件3" not in annual and "未达标" not in annual
    assert "关于2023年度政务信息工作考评结果的通报" in annual.replace("<br>", "")
    rules = (site / "2023/rules.html").read_text(encoding="utf-8")
    assert "、综合考评</caption>" not in rules and "二、信息采用计分" in rules
    assert "三、计分说明" in rules
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "<h1>政务信息工作考评</h1>" in index
