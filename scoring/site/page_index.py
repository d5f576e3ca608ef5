"""The entry page and each year's rules page.

The entry page opens with where the newest year stands: each category's ranking to date with
the change of place since the previous month's ranking to date (▲▼), the latest month's
headline figures, and the 公示 sheet and data files; then every year's bulletins, notices,
units and data files.

The rules page shows ``rules.toml`` as tables with their clauses, and the interpretation of
SPEC §3 in the office's words, every number taken from the rules themselves.
"""
from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import NamedTuple, TypedDict

from ..ledger.model import Category, Rules, Unit, Wording
from ..rulebook.charges import quarter_target
from ..rulebook.results import YearScore
from .common import Site, category_units, current_is_demo, is_demo, page_base
from .env import PageBase, cn_number
from .page_bulletin import bulletin_title


class MonthLink(TypedDict):
    month: int
    title: str


class YearEntry(TypedDict):
    """One year on the index: its bulletins (latest first), units and data files."""

    year: int
    demo: bool
    final: bool
    through: int
    months: list[MonthLink]
    categories: list[tuple[Category, list[Unit]]]
    notice: str   # the annual notice's title
    workbook: bool   # the build writes data/<YYYY>.xlsx


class StandingRow(NamedTuple):
    """A unit's place to date. ``change``: places gained since the previous month's ranking
    to date (negative: lost); None in the year's first month, which has nothing before it."""

    rank: int
    unit: Unit
    total: Decimal
    change: int | None


class CategoryStanding(TypedDict):
    category: Category
    rows: list[StandingRow]


class Figure(TypedDict):
    label: str
    value: int
    unit: str


class Standing(TypedDict):
    """Where a year stands after its latest month: the ranking per category, the month's
    headline figures, the data files the build writes (paths from the site root)."""

    year: int
    month: int
    previous: int | None
    final: bool
    bulletin: str        # the latest bulletin's path and title
    bulletin_title: str
    categories: list[CategoryStanding]
    figures: list[Figure]
    downloads: list[tuple[str, str]]   # (path, label)


class IndexContext(PageBase):
    """Context of ``index.html``. ``standing``: the newest year with months (it links that
    year's latest bulletin)."""

    heading: str
    standing: Standing | None
    years: list[YearEntry]


class RulesContext(PageBase):
    """Context of ``rules.html``."""

    rules: Rules
    categories: list[tuple[Category, list[Unit], int, int]]
    notes: list[str]


def standing_rows(site: Site, score: YearScore,
                  before: YearScore | None) -> list[CategoryStanding]:
    """Each category's ranking in ``score``, with each unit's change of place from ``before``."""
    earlier = {s.unit.id: s.rank_in_category for s in before.units} if before else {}
    return [CategoryStanding(category=cat, rows=[
        StandingRow(s.rank_in_category, s.unit, s.total,
                    earlier[s.unit.id] - s.rank_in_category if s.unit.id in earlier else None)
        for s in units]) for cat, units in category_units(site, score) if units]


def month_figures(rules: Rules, score: YearScore, month: int) -> list[Figure]:
    """The month's headline figures, as the bulletin's summary counts them."""
    figs = [s.months[month] for s in score.units]
    found = [Figure(label=f"报送{rules.info_kind}", value=sum(f.counts.submitted for f in figs),
                    unit="条"),
             Figure(label=f"其中{rules.special_kind}",
                    value=sum(f.counts.special_submitted for f in figs), unit="篇"),
             Figure(label="被采用", value=sum(f.counts.adopted for f in figs), unit="条（次）")]
    if rules.levels:
        found.append(Figure(label="领导批示", unit="件",
                            value=sum(n for f in figs for n in f.instructions.values())))
    found.append(Figure(label="通报批评", unit="项", value=sum(
        1 for s in score.units for c in s.criticisms if c.month == month)))
    found.append(Figure(label="零报送单位", unit="个",
                        value=sum(1 for f in figs if f.counts.submitted == 0)))
    return found


def year_standing(site: Site, y: int, present: Collection[str]) -> Standing:
    """Where year ``y`` stands after its latest month (it has months)."""
    year = site.ledger.years[y]
    months = sorted(year.months)
    month = months[-1]
    previous = months[-2] if len(months) > 1 else None
    score = site.monthly[y][month]
    before = site.monthly[y][previous] if previous is not None else None
    files = [(f"{y}/gongshi.html", "排名公示（横版，张贴用）"),
             (f"data/{y}.xlsx", f"{y}.xlsx（Excel 工作簿）"),
             (f"data/{y}.json", f"{y}.json"), (f"data/{y}.csv", f"{y}.csv（Excel/WPS）")]
    return Standing(year=y, month=month, previous=previous, final=score.final,
                    bulletin=f"{y}/{month:02d}.html",
                    bulletin_title=bulletin_title(year.rules, y, month),
                    categories=standing_rows(site, score, before),
                    figures=month_figures(year.rules, score, month),
                    downloads=[(path, label) for path, label in files if path in present])


def index_page(site: Site, present: Collection[str] = ()) -> IndexContext:
    """All years, newest first; months newest first. ``present``: the paths the build
    writes, so that only files that exist are linked (the workbook, the 公示 sheet)."""
    years: list[YearEntry] = []
    for y, year in sorted(site.ledger.years.items(), reverse=True):
        months = [MonthLink(month=m, title=bulletin_title(year.rules, y, m))
                  for m in sorted(year.months, reverse=True)]
        cats = [(cat, [u for u in year.units if u.category == cid])
                for cid, cat in sorted(year.rules.categories.items())]
        years.append(YearEntry(year=y, demo=is_demo(year), final=year.final,
                               through=year.through, months=months, categories=cats,
                               notice="".join(line.format(year=y)
                                              for line in year.rules.wording.notice_title),
                               workbook=f"data/{y}.xlsx" in present))
    newest = max(site.ledger.years, default=None)
    wording = site.ledger.years[newest].rules.wording if newest is not None else Wording()
    base = page_base(site, "政务信息工作考评", "", None)
    base["demo"] = current_is_demo(site.ledger)
    standing = next((year_standing(site, e["year"], present) for e in years if e["months"]),
                    None)
    return IndexContext(**base, heading=wording.site_title, standing=standing,
                        years=years)


def join_clauses(clauses: list[str]) -> str:
    """Clauses as one citation: ``三(三)1``, ``三(三)2`` → ``三(三)1、2`` (a shared stem once)."""
    out: list[str] = []
    stem = None
    for clause in dict.fromkeys(c for c in clauses if c):
        head = clause.rstrip("0123456789")
        out.append(clause[len(head):] if head == stem and head != clause else clause)
        stem = head
    return "、".join(out)


def _cited(text: str, clause: str) -> str:
    return f"{text}（{clause}）" if clause else text


def interpretation_notes(rules: Rules) -> list[str]:
    """SPEC §3 in the office's words, with the numbers of this year's rules; a rule the
    rulebook does not have is not explained."""
    sf, info, sp, words = rules.shortfall, rules.info_kind, rules.special_kind, rules.wording
    notes = [(f"计数口径：报送数为当期报送的全部{info}（{sp}即专报信息，同时计入报送{info}数）；"
              "采用数按采用记录计算，同一条信息被不同渠道采用的各计一次，即“条（次）”。")]
    if words.accumulation:
        notes.append(_cited(words.accumulation, words.adoption_clause) + "。")
    once = [e for e in rules.events.values() if e.once_per_year]
    if once:
        notes.append(_cited(f"{'、'.join(e.kind for e in once)}全年只计一次，多次记录不重复加分",
                            join_clauses([e.clause for e in once])) + "。")
    c = rules.commission
    if c is not None:
        notes.append(_cited(f"上级约稿记录在截止日期所在月份；交稿日期不晚于截止日期的加{c.on_time_points}分，"
                            f"未交稿或逾期交稿的扣{-c.missed_points}分并通报批评",
                            "、".join(x for x in (c.on_time_clause, c.missed_clause) if x)) + "。")
    paced = [cat for cat in rules.categories.values() if cat.submitted or cat.adopted]
    if sf is not None and paced:
        quarters = "；".join(f"{cat.name}报送{quarter_target(cat.submitted)}条、采用"
                            f"{quarter_target(cat.adopted)}条（次）" for cat in paced)
        notes.append(f"季度数量不足{_cited('', sf.clause)}："
                     "每个完整季度（台账中已有该季度最后一个月的文件夹）"
                     f"报送、采用{info}数量须达到全年任务量的四分之一（向上取整：{quarters}），"
                     f"不足部分报送每条扣{-sf.submitted_points}分、采用每条扣{-sf.adopted_points}分，"
                     f"并通报批评。全年{info}数量不再另行扣分，季度扣分已涵盖。")
    if sf is not None and any(cat.special_submitted or cat.special_adopted
                              for cat in rules.categories.values()):
        notes.append(f"{sp}数量不足{_cited('', sf.clause)}："
                     "年度完结（已有12月台账）时按全年任务量核算，"
                     f"报送每篇扣{-sf.special_submitted_points}分、采用每篇扣"
                     f"{-sf.special_adopted_points}分，并通报批评。")
    penalty_kinds = "、".join(e.kind for e in rules.events.values() if e.penalty)
    if rules.penalty is not None and penalty_kinds:
        notes.append(f"工作失误{_cited('', rules.penalty.clause)}："
                     f"记有“{penalty_kinds}”事项的单位，"
                     "信息采用积分与综合考评积分之和为正时，"
                     f"扣除该和的{rules.penalty.percent}%，全年只扣一次。")
    notes.append("总积分＝信息采用积分＋综合考评积分－扣分。名次按总积分从高到低分类排定，总积分相同者名次并列"
                 f"（如1、2、2、4），并列单位按{words.rulebook}所列顺序排列。")
    charged = f"；季度扣分计入该季度最后一个月，{sp}年度扣分计入12月" if sf is not None else ""
    notes.append(f"按月累积计算{_cited('', words.accumulation_clause)}："
                 "每条记录的分值计入其台账文件所在月份"
                 f"{charged}。年度未完结时，一切数字均为暂定。")
    kinds = sum(any(getattr(cat, k) for cat in rules.categories.values())
                for k in ("submitted", "adopted", "special_submitted", "special_adopted"))
    if kinds:
        then = f"，{words.below_target}" if words.below_target else "为未达标"
        notes.append(f"未达标{_cited('', words.results_clause)}："
                     f"年度完结时，{cn_number(kinds)}项年度任务量中"
                     f"任一项未完成的单位{then}。")
    return notes


def rules_page(site: Site, year_no: int) -> RulesContext:
    """The rules in force in ``year_no`` as readable tables."""
    year = site.ledger.years[year_no]
    rules = year.rules
    cats = [(cat, [u for u in year.units if u.category == cid], quarter_target(cat.submitted),
             quarter_target(cat.adopted)) for cid, cat in sorted(rules.categories.items())]
    return RulesContext(**page_base(site, f"{year_no}年度考评规则", "../", year_no),
                        rules=rules, categories=cats, notes=interpretation_notes(rules))
