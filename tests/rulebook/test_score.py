"""One test per rule of the rulebook, each with its figure computed by hand (SPEC §3).

Unless a test is about quarters, the ledgers use only month 05 (no folder 06), so no quarter is
complete and no shortfall is charged.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from ledgerkit import make_ledger

from scoring.ledger.check import check_ledger
from scoring.ledger.problems import errors_in
from scoring.rulebook.results import ADOPTION, COMPREHENSIVE, PENALTY, Counts, YearScore
from scoring.rulebook.score import item_index, score_ledger, score_year


def load(tmp_path: Path, files: dict[str, str], months: tuple[str, ...] = (),
         years: tuple[int, ...] = (2023,)):
    ledger, problems = check_ledger(make_ledger(tmp_path, files, months, years))
    assert not errors_in(problems), problems
    return ledger


def scored(tmp_path: Path, files: dict[str, str], months: tuple[str, ...] = (),
           through: int | None = None) -> YearScore:
    ledger = load(tmp_path, files, months)
    return score_year(ledger.years[2023], item_index(ledger), through)


def info(oa: str, date: str, kind: str = "信息", title: str | None = None) -> str:
    topic = 'topic = "问题建议"\n' if kind == "专报" else ""
    return (f'[[info]]\noa = "{oa}"\ntitle = "{title or "标题" + oa}"\ndate = {date}\n'
            f'kind = "{kind}"\n{topic}\n')


def adoption(oa: str, by: str, date: str, issue: str | None = None) -> str:
    extra = f'issue = "{issue}"\n' if issue else ""
    return f'[[adoption]]\noa = "{oa}"\nby = "{by}"\ndate = {date}\n{extra}\n'


def instruction(oa: str, level: str, date: str) -> str:
    return f'[[instruction]]\noa = "{oa}"\nlevel = "{level}"\ndate = {date}\n\n'


def commission(title: str, due: str, delivered: str | None = None) -> str:
    extra = f"delivered = {delivered}\n" if delivered else ""
    return f'[[commission]]\ntitle = "{title}"\ndue = {due}\n{extra}\n'


def event(kind: str, date: str, note: str | None = None) -> str:
    extra = f'note = "{note}"\n' if note else ""
    return f'[[event]]\nkind = "{kind}"\ndate = {date}\n{extra}\n'


@pytest.mark.parametrize("kind, by, points, rule, clause", [
    ("信息", "要情", 10, "要情上报", "三(二)1"),
    ("信息", "区刊", 10, "区政府刊物采用", "三(二)2"),
    ("信息", "市刊", 20, "市政府刊物采用", "三(二)2"),
    ("信息", "自治区刊", 30, "自治区政府刊物采用", "三(二)2"),
    ("专报", "上报", 20, "上报专报", "三(二)3"),
    ("专报", "市刊", 40, "市政府刊物采用专报", "三(二)3"),
    ("专报", "自治区刊", 50, "自治区政府刊物采用专报", "三(二)3"),
])
def test_each_channel_and_kind(tmp_path, kind, by, points, rule, clause):
    text = (info("A1", "2023-05-02", kind, "我区召开会议")
            + adoption("A1", by, "2023-05-20", "第18期"))
    s = scored(tmp_path, {"2023/05/fgw.toml": text}).unit("fgw")
    assert s.adoption_points == points and s.total == points
    assert s.comprehensive_points == 0 and s.penalty_points == 0
    (p,) = s.points
    assert (p.points, p.rule, p.clause, p.component, p.month) == (points, rule, clause, ADOPTION, 5)
    assert p.detail == f"{kind}《我区召开会议》被{by}采用（第18期）"
    assert (p.path, p.line) == ("ledger/2023/05/fgw.toml", 8 if kind == "专报" else 7)
    special = int(kind == "专报")
    assert s.counts == Counts(1, 1, special, special)
    assert s.months[5].by_channel[by] == 1 and s.months[5].adoption_points == points


def test_points_accumulate_across_channels(tmp_path):
    text = (info("A1", "2023-05-02") + info("Z1", "2023-05-03", "专报")
            + "".join(adoption("A1", by, "2023-05-10")
                      for by in ("要情", "区刊", "市刊", "自治区刊"))
            + "".join(adoption("Z1", by, "2023-05-11") for by in ("上报", "市刊", "自治区刊")))
    s = scored(tmp_path, {"2023/05/fgw.toml": text}).unit("fgw")
    assert s.adoption_points == 70 + 110
    assert s.counts == Counts(submitted=2, adopted=7, special_submitted=1, special_adopted=3)
    assert s.months[5].by_channel == {"要情": 1, "区刊": 1, "市刊": 2, "自治区刊": 2, "上报": 1}


@pytest.mark.parametrize("level, points, name", [("区", 50, "区级领导批示"),
                                                 ("市", 100, "市级领导批示"),
                                                 ("自治区", 200, "自治区级领导批示")])
def test_each_instruction_level(tmp_path, level, points, name):
    text = info("A1", "2023-05-02", title="稳就业") + instruction("A1", level, "2023-05-25")
    s = scored(tmp_path, {"2023/05/fgw.toml": text}).unit("fgw")
    assert s.adoption_points == points
    (p,) = s.points
    assert (p.rule, p.clause, p.detail) == (name, "三(二)5", f"《稳就业》获{name}")
    assert s.months[5].instructions[level] == 1
    assert s.counts.adopted == 0  # an instruction is not an adoption


def test_instructions_accumulate_across_levels(tmp_path):
    text = info("A1", "2023-05-02") + "".join(instruction("A1", lv, "2023-05-25")
                                               for lv in ("区", "市", "自治区"))
    assert scored(tmp_path, {"2023/05/fgw.toml": text}).unit("fgw").adoption_points == 350


def test_commission_on_time_late_and_missing(tmp_path):
    files = {"2023/05/fgw.toml": commission("约稿甲", "2023-05-28", "2023-05-28"),
             "2023/05/gxj.toml": commission("约稿乙", "2023-05-28", "2023-06-02"),
             "2023/05/swj.toml": commission("约稿丙", "2023-05-28")}
    y = scored(tmp_path, files)
    on_time, late, missing = y.unit("fgw"), y.unit("gxj"), y.unit("swj")
    assert (on_time.adoption_points, on_time.comprehensive_points, on_time.total) == (30, 0, 30)
    assert on_time.points[0].clause == "三(二)4" and on_time.criticisms == ()
    for s in (late, missing):
        assert (s.adoption_points, s.comprehensive_points, s.total) == (0, -30, -30)
        (c,) = s.criticisms
        assert c.date == dt.date(2023, 5, 28) and c.clause == "三(三)4"
        assert c.reason.startswith("未按要求完成信息约稿任务") and (c.path, c.line) == (
            f"ledger/2023/05/{s.unit.id}.toml", 1)
    assert "逾期交稿" in late.criticisms[0].reason and "未交稿" in missing.criticisms[0].reason


def test_training_counts_once_a_year(tmp_path):
    files = {"2023/05/fgw.toml": event("轮训", "2023-05-10") + event("轮训", "2023-05-20"),
             "2023/07/fgw.toml": event("轮训", "2023-07-03") + event("调研配合", "2023-07-04")}
    s = scored(tmp_path, files).unit("fgw")
    assert s.comprehensive_points == 100 and s.total == 100 and s.criticisms == ()
    assert [p.points for p in s.points] == [50, 0, 0, 50]
    assert "全年只计一次" in s.points[1].detail and "全年只计一次" in s.points[2].detail
    assert s.months[5].comprehensive_points == 50 and s.months[7].comprehensive_points == 50
    assert s.months[6].comprehensive_points == 0  # month without folder: zero figures


@pytest.mark.parametrize("kind, each, clause", [("迟漏瞒错报", -20, "三(三)3"),
                                                ("失实滞后", -10, "三(三)3"),
                                                ("缺席会议", 0, "三(三)5")])
def test_deductions_and_criticisms(tmp_path, kind, each, clause):
    text = event(kind, "2023-05-10", "某事项") + event(kind, "2023-05-12")
    s = scored(tmp_path, {"2023/05/fgw.toml": text}).unit("fgw")
    assert s.comprehensive_points == 2 * each and s.total == 2 * each
    assert [c.date.day for c in s.criticisms] == [10, 12]
    assert all(c.clause == clause for c in s.criticisms)
    assert s.criticisms[0].reason.endswith("：某事项")


def quarter(unit_files: dict[str, tuple[int, int]]) -> dict[str, str]:
    """Q1 files: ``unit → (submissions, adoptions)`` all in February."""
    files = {}
    for uid, (n_sub, n_adopt) in unit_files.items():
        files[f"2023/02/{uid}.toml"] = "".join(
            info(f"{uid}-{i}", "2023-02-01") for i in range(n_sub)) + "".join(
            adoption(f"{uid}-{i}", "区刊", "2023-02-20") for i in range(n_adopt))
    return files


def test_quarterly_shortfall_rounds_a_quarter_up(tmp_path):
    y = scored(tmp_path, quarter({"fgw": (22, 9), "gxj": (23, 9), "kjj": (20, 5)}),
               months=("2023/01", "2023/03"))
    fgw = y.unit("fgw")
    assert fgw.comprehensive_points == -10 and fgw.adoption_points == 90
    assert fgw.months[3].comprehensive_points == -10 and fgw.points[-1].month == 3
    (c,) = fgw.criticisms
    assert c.date == dt.date(2023, 3, 31) and c.clause == "三(三)7"
    assert c.reason == ("第一季度报送信息22条、采用信息9条（次），"
                        "未达到季度任务量（报送23条、采用9条（次））")
    assert y.unit("gxj").comprehensive_points == 0 and y.unit("gxj").criticisms == ()
    assert y.unit("kjj").comprehensive_points == 0  # category 2: 80/4 = 20, 20/4 = 5
    assert y.unit("swj").comprehensive_points == -(10 * 23 + 20 * 9)   # category 1, nothing
    assert y.unit("mw").comprehensive_points == -(10 * 20 + 20 * 5)    # category 2
    assert y.unit("gafj").comprehensive_points == -(10 * 15 + 20 * 4)  # category 4: 60, 15
    assert y.unit("fgw").quarters == {1: Counts(22, 9, 0, 0)}


def test_incomplete_quarter_not_charged(tmp_path):
    files = quarter({"fgw": (22, 9)})
    y = scored(tmp_path, files, months=("2023/01", "2023/03"), through=2)
    assert (y.through, y.final) == (2, False)
    assert all(s.comprehensive_points == 0 and s.criticisms == () for s in y.units)
    assert sorted(y.unit("fgw").months) == [1, 2]
    (tmp_path / "b").mkdir()
    y = scored(tmp_path / "b", files, months=("2023/01",))  # no folder 03 yet
    assert all(s.comprehensive_points == 0 for s in y.units)


def test_special_shortfall_only_in_a_final_year(tmp_path):
    text = "".join(info(f"Z{i}", "2023-12-01", "专报") for i in range(4)) + "".join(
        adoption(f"Z{i}", "上报", "2023-12-05") for i in range(2))
    ledger = load(tmp_path, {"2023/11/fgw.toml": "", "2023/12/fgw.toml": text})
    items = item_index(ledger)
    final = score_year(ledger.years[2023], items).unit("fgw")
    quarter4 = -10 * (23 - 4) - 20 * (9 - 2)
    assert final.adoption_points == 40
    assert final.comprehensive_points == quarter4 - 10 * 2 - 20 * 1 == -370
    assert final.below_target
    assert final.criticisms[-1].reason == ("全年报送专报4篇、采用专报2篇（次），未达到年度任务量"
                                           "（报送专报6篇、采用专报3篇（次））")
    assert final.criticisms[-1].date == dt.date(2023, 12, 31)
    provisional = score_year(ledger.years[2023], items, through=11)
    assert not provisional.final and provisional.unit("fgw").comprehensive_points == 0
    assert not provisional.unit("fgw").below_target


def penalty_rules(tmp_path: Path) -> None:
    """The test ledger's 要情 channel worth 7 points, so that a sum can be 487."""
    path = tmp_path / "ledger/2023/rules.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('by = "要情"\nname = "要情上报"\npoints = 10',
                                 'by = "要情"\nname = "要情上报"\npoints = 7'), encoding="utf-8")


def test_penalty_is_a_percentage_of_a_positive_sum(tmp_path):
    text = (info("A1", "2023-05-01") + info("A2", "2023-05-01") + info("A3", "2023-05-01")
            + instruction("A1", "自治区", "2023-05-02") + instruction("A1", "市", "2023-05-02")
            + instruction("A2", "市", "2023-05-02") + instruction("A2", "区", "2023-05-02")
            + adoption("A3", "自治区刊", "2023-05-03") + adoption("A3", "要情", "2023-05-03")
            + event("工作失误", "2023-05-09") + event("工作失误", "2023-05-19"))
    root = make_ledger(tmp_path, {"2023/05/fgw.toml": text})
    penalty_rules(tmp_path)
    ledger, problems = check_ledger(root)
    assert not errors_in(problems)
    s = score_ledger(ledger)[2023].unit("fgw")
    assert s.adoption_points == 487 and s.comprehensive_points == 0
    assert s.penalty_points == Decimal("97.4") and s.total == Decimal("389.6")
    (p,) = [p for p in s.points if p.component == PENALTY]
    assert p.points == Decimal("-97.4") and p.clause == "三(三)6"
    assert p.detail.endswith("扣除97.4分")
    assert len(s.criticisms) == 2


def test_no_penalty_on_a_negative_sum(tmp_path):
    text = event("工作失误", "2023-05-09") + event("迟漏瞒错报", "2023-05-10")
    s = scored(tmp_path, {"2023/05/fgw.toml": text}).unit("fgw")
    assert (s.comprehensive_points, s.penalty_points, s.total) == (-20, 0, -20)
    assert [p.component for p in s.points] == [COMPREHENSIVE, COMPREHENSIVE]


def test_adoption_in_january_of_a_december_item(tmp_path):
    files = {"2023/12/fgw.toml": info("A1", "2023-12-28", title="年末信息"),
             "2024/01/fgw.toml": adoption("A1", "市刊", "2024-01-05")}
    scores = score_ledger(load(tmp_path, files, years=(2023, 2024)))
    y2023, y2024 = scores[2023].unit("fgw"), scores[2024].unit("fgw")
    assert (y2023.adoption_points, y2023.counts.submitted, y2023.counts.adopted) == (0, 1, 0)
    assert (y2024.adoption_points, y2024.counts.submitted, y2024.counts.adopted) == (20, 0, 1)
    assert y2024.points[0].detail == "信息《年末信息》被市刊采用"
    assert y2024.points[0].path == "ledger/2024/01/fgw.toml"
