"""The annual notice (年度考评结果通报), laid out as an official document (GB/T 9704-2012).

The 版头, 发文字号, title, 主送, body (the office's ``notice.md`` and a generated summary),
附件说明, 署名 and 成文日期 come first; three attachments follow, each on a new page: the
ranking per category with every figure, the 通报批评 units with reasons, and the 未达标 units.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import TypedDict

from markupsafe import Markup, escape

from ..ledger.model import Category, Unit, YearLedger
from ..rulebook.results import Counts, Criticism, UnitScore, YearScore
from .common import Site, category_units, page_base
from .env import PageBase, cn_date
from .mdtext import markdown_blocks
from .page_bulletin import channel_names


class Shortfall(TypedDict):
    """One of the four annual targets: what was reached, the target, and whether it is met."""

    label: str
    got: int
    target: int
    met: bool


class BelowTarget(TypedDict):
    unit: Unit
    category: Category
    figures: list[Shortfall]


class Criticized(TypedDict):
    unit: Unit
    category: Category
    criticisms: list[Criticism]


class AnnualContext(PageBase):
    """Context of ``annual.html``."""

    doc_title: str
    title_lines: list[str]
    notice: dict[str, str]
    final: bool
    through: int
    provisional: str | None
    body: list[Markup]
    closing: Markup
    attachments: list[str]
    rankings: list[tuple[Category, list[UnitScore]]]
    criticized: list[Criticized]
    below: list[BelowTarget]


def notice_title(year: int) -> tuple[str, list[str]]:
    """The title, and its two lines as printed (a balanced break between words)."""
    first, second = f"关于{year}年度全区政府系统", "政务信息工作考评结果的通报"
    return first + second, [first, second]


def shortfalls(s: UnitScore, cat: Category, kinds: tuple[str, str]) -> list[Shortfall]:
    info, special = kinds
    c = s.counts
    pairs = [(f"报送{info}", c.submitted, cat.submitted),
             (f"采用{info}", c.adopted, cat.adopted),
             (f"报送{special}", c.special_submitted, cat.special_submitted),
             (f"采用{special}", c.special_adopted, cat.special_adopted)]
    return [Shortfall(label=lb, got=g, target=t, met=g >= t) for lb, g, t in pairs]


def summary(site: Site, year: YearLedger, score: YearScore) -> list[str]:
    """The generated paragraphs of the body: totals, leading units, criticisms, 未达标.

    The totals are left out when the office's notice already states the year's submitted
    count: the office's own wording then stands.
    """
    rules = year.rules
    counts = sum((s.counts for s in score.units), Counts())
    months = [f for s in score.units for f in s.months.values()]
    info_channels = set(rules.channels_for(rules.info_kind))
    by = [(b, sum(f.by_channel.get(b, 0) for f in months)) for b in channel_names(year)]
    channels = "、".join(f"{b}{n}条（次）" if b in info_channels
                        else f"{b}{rules.special_kind}{n}篇（次）" for b, n in by)
    instructed = sum(n for f in months for n in f.instructions.values())
    period = f"{year.year}年" if score.final else f"{year.year}年1—{score.through}月"
    doc = rules.document
    paras = []
    if f"{counts.submitted}条" not in (year.notice_md or ""):
        paras.append(f"{period}，全区政府系统共报送信息{counts.submitted}条（其中"
                     f"{rules.special_kind}{counts.special_submitted}篇），被各级采用"
                     f"{counts.adopted}条（次），其中{channels}；获领导批示{instructed}件。")
    leaders = "；".join(f"{cat.name}：" + "、".join(s.unit.name for s in units
                                                 if s.rank_in_category <= 3)
                       for cat, units in category_units(site, score) if units)
    paras.append(f"按照《{doc.get('title', '')}》（{doc.get('number', '')}）规定，"
                 "将各单位信息采用积分与综合考评积分合并计算，根据总积分分类排定名次"
                 f"（详见附件1）。各类信息网点排名前三位的单位是，{leaders}。")
    criticized = [s for s in score.units if s.criticisms]
    if criticized:
        items = sum(len(s.criticisms) for s in criticized)
        paras.append(f"{len(criticized)}个单位存在应予通报批评的情形，共{items}项，"
                     "现予通报批评（详见附件2）。")
    else:
        paras.append("本年度无应予通报批评的单位。")
    below = [s for s in score.units if s.below_target]
    if not score.final:
        paras.append(f"年度考评尚未结束（数据截至{score.through}月），以上结果为暂定结果；"
                     "未达标单位待全年台账完成后认定。")
    elif below:
        paras.append(f"{len(below)}个单位未完成年度信息报送采用任务（详见附件3），"
                     "区政府分管领导将对其主要领导进行约谈。")
    else:
        paras.append("各单位均完成了年度信息报送采用任务。")
    return paras


LEAD_IN = re.compile(r"如下[。：:]</p>\s*$")


def body_blocks(notice_md: str | None, generated: list[str]) -> tuple[list[Markup], Markup]:
    """The body as blocks, and its last block (kept with the 附件说明 and the signature).

    The generated paragraphs follow the office's lead-in (a paragraph ending 如下。or 如下：,
    as in 现将有关情况通报如下。); without one they close the office's text.
    """
    blocks = markdown_blocks(notice_md)
    paras = [Markup("<p>{}</p>\n").format(escape(p)) for p in generated]
    at = next((i + 1 for i, b in enumerate(blocks) if LEAD_IN.search(b)), len(blocks))
    blocks[at:at] = paras
    if not blocks:
        return [], Markup("")
    return blocks[:-1], blocks[-1]


def annual_page(site: Site, year_no: int) -> AnnualContext:
    """The annual notice of ``year_no``, from the year scored through its last month."""
    year = site.ledger.years[year_no]
    score = site.scores[year_no]
    notice = year.rules.notice
    date = notice.get("date")
    title, lines = notice_title(year_no)
    cats = year.rules.categories
    criticized = [Criticized(unit=s.unit, category=cats[s.unit.category],
                             criticisms=list(s.criticisms))
                  for s in sorted(score.units, key=lambda s: (s.unit.category, s.unit.order))
                  if s.criticisms]
    below = [BelowTarget(unit=s.unit, category=cats[s.unit.category],
                         figures=shortfalls(s, cats[s.unit.category], year.rules.kinds))
             for s in sorted(score.units, key=lambda s: (s.unit.category, s.unit.order))
             if s.below_target]
    provisional = None if score.final else f"暂定（数据截至{score.through}月）"
    body, closing = body_blocks(year.notice_md, summary(site, year, score))
    return AnnualContext(
        **page_base(site, title, "../", year_no), doc_title=title, title_lines=lines,
        notice={"issuer": str(notice.get("issuer", "")), "number": str(notice.get("number", "")),
                "recipients": str(notice.get("recipients", "")),
                "signer": str(notice.get("signer", notice.get("issuer", ""))),
                "date": cn_date(date) if isinstance(date, dt.date) else str(date or "")},
        final=score.final, through=score.through, provisional=provisional,
        body=body, closing=closing,
        attachments=[f"{year_no}年度政务信息工作分类考评结果", f"{year_no}年度通报批评单位及事由",
                     f"{year_no}年度未达标单位名单（拟约谈）"],
        rankings=category_units(site, score), criticized=criticized, below=below)
