"""The annual notice (年度考评结果通报), laid out as an official document (GB/T 9704-2012).

The 版头, 发文字号, title, 主送, body (the office's ``notice.md`` and a generated summary),
附件说明, 署名 and 成文日期 come first; three attachments follow, each on a new page: the
ranking per category with every figure, the 通报批评 units with reasons, and the 未达标 units.
"""
from __future__ import annotations

import re
from typing import TypedDict

from markupsafe import Markup, escape

from ..ledger.model import Category, Rules, Unit, YearLedger
from ..rulebook.results import Counts, Criticism, UnitScore, YearScore
from .common import Site, category_units, cite, page_base
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
    targets_ref: str


def notice_title(rules: Rules, year: int) -> tuple[str, list[str]]:
    """The title, and its lines as printed (the rulebook's wording breaks them)."""
    lines = [line.format(year=year) for line in rules.wording.notice_title]
    return "".join(lines), lines


def shortfalls(s: UnitScore, cat: Category, kinds: tuple[str, str]) -> list[Shortfall]:
    """The unit's figures against each of its category's targets (a target of 0 is none)."""
    info, special = kinds
    c = s.counts
    pairs = [(f"报送{info}", c.submitted, cat.submitted),
             (f"采用{info}", c.adopted, cat.adopted),
             (f"报送{special}", c.special_submitted, cat.special_submitted),
             (f"采用{special}", c.special_adopted, cat.special_adopted)]
    return [Shortfall(label=lb, got=g, target=t, met=g >= t) for lb, g, t in pairs if t]


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
    doc, words = rules.document, rules.wording
    paras = []
    if f"{counts.submitted}条" not in (year.notice_md or ""):
        paras.append(f"{period}，{words.scope}共报送信息{counts.submitted}条（其中"
                     f"{rules.special_kind}{counts.special_submitted}篇），被各级采用"
                     f"{counts.adopted}条（次），其中{channels}"
                     + (f"；获领导批示{instructed}件。" if rules.levels else "。"))
    leaders = "；".join(f"{cat.name}：" + "、".join(s.unit.name for s in units
                                                 if s.rank_in_category <= 3)
                       for cat, units in category_units(site, score) if units)
    source = f"《{doc.title}》（{doc.number}）" if doc.number else f"《{doc.title}》"
    paras.append(f"按照{source}规定，"
                 "将各单位信息采用积分与综合考评积分合并计算，根据总积分分类排定名次"
                 f"（详见附件1）。{words.categories}排名前三位的单位是，{leaders}。")
    criticized = [s for s in score.units if s.criticisms]
    if criticized:
        items = sum(len(s.criticisms) for s in criticized)
        paras.append(f"{len(criticized)}个单位存在应予通报批评的情形，共{items}项，"
                     "现予通报批评（详见附件2）。")
    else:
        paras.append("本年度无应予通报批评的单位。")
    below = [s for s in score.units if s.below_target]
    if not score.final:
        paras.append(f"年度考评尚未结束（数据截至{score.through}月），以上结果为暂定结果"
                     + ("；未达标单位待全年台账完成后认定。" if rules.has_targets else "。"))
    elif below:
        then = f"，{words.below_target}" if words.below_target else ""
        paras.append(f"{len(below)}个单位未完成年度信息报送采用任务（详见附件3）{then}。")
    elif rules.has_targets:
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
    rules = year.rules
    notice = rules.notice
    title, lines = notice_title(rules, year_no)
    cats = rules.categories
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
        notice={"issuer": notice.issuer, "number": notice.number,
                "recipients": notice.recipients, "signer": notice.signer or notice.issuer,
                "date": cn_date(notice.date) if notice.date else ""},
        final=score.final, through=score.through, provisional=provisional,
        body=body, closing=closing, attachments=attachments(rules, year_no),
        rankings=category_units(site, score), criticized=criticized, below=below,
        targets_ref=cite(rules, next(iter(cats.values())).clause if cats else ""))


def attachments(rules: Rules, year: int) -> list[str]:
    """The notice's attachments: the ranking, the criticisms, and (when the rulebook sets
    targets) the units short of them."""
    found = [f"{year}年度政务信息工作分类考评结果", f"{year}年度通报批评单位及事由"]
    if rules.has_targets:
        found.append(f"{year}年度未达标单位名单" + ("（拟约谈）" if rules.wording.below_target
                                              else ""))
    return found
