"""The annual notice (年度考评结果通报), laid out as an official document (GB/T 9704-2012).

The 版头, 发文字号, title, 主送, body (the office's ``notice.md`` and a generated summary),
附件说明, 署名 and 成文日期 come first; three attachments follow, each on a new page: the
ranking per category with every figure, the 通报批评 units with reasons, and the 未达标 units.
"""
from __future__ import annotations

import re
from typing import TypedDict

from markupsafe import Markup, escape

from ..ledger.model import Category, Notice, Rules, Unit, YearLedger
from ..ledger.noticetext import RESULTS, fill, placeholders
from ..rulebook.figures import notice_figures
from ..rulebook.results import Criticism, UnitScore, YearScore
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


PLACES = "一二三"


def leaders(units: list[UnitScore]) -> str:
    """A category's first three places as an official writes them: ``第一名发改委，并列第二名
    工信局、商务局``. Units without points hold no place, so a category tied on 0 points
    is never listed whole."""
    places = []
    for rank in sorted({s.rank_in_category for s in units if s.total > 0}):
        if rank > len(PLACES):
            break
        tied = [s.unit.name for s in units if s.rank_in_category == rank]
        places.append(("并列" if len(tied) > 1 else "") + f"第{PLACES[rank - 1]}名"
                      + "、".join(tied))
    return "，".join(places) or "无总积分高于0分的单位"


def summary(site: Site, year: YearLedger, score: YearScore, used: set[str]) -> list[str]:
    """The generated paragraphs of the body: totals, leading units, criticisms, 未达标.

    A paragraph is left out when the office's notice states its figure itself through the
    placeholder (``used``): the office's own wording then stands.
    """
    rules = year.rules
    figures = notice_figures(year, score)
    info_channels = set(rules.channels_for(rules.info_kind))
    channels = "、".join(f"{b}{figures[b + '采用条数']}条（次）" if b in info_channels
                        else f"{b}{rules.special_kind}{figures[b + '采用条数']}篇（次）"
                        for b in channel_names(year))
    period = f"{year.year}年" if score.final else f"{year.year}年1—{score.through}月"
    doc, words = rules.document, rules.wording
    paras = []
    submitted, special = f"报送{rules.info_kind}条数", f"报送{rules.special_kind}篇数"
    if submitted not in used:
        paras.append(f"{period}，{words.scope}共报送信息{figures[submitted]}条（其中"
                     f"{rules.special_kind}{figures[special]}篇），"
                     f"被各级采用{figures['采用条数']}条（次），其中{channels}"
                     + (f"；获领导批示{figures['批示条数']}件。" if rules.levels else "。"))
    ranked = "；".join(f"{cat.name}：{leaders(units)}"
                       for cat, units in category_units(site, score) if units)
    source = f"《{doc.title}》（{doc.number}）" if doc.number else f"《{doc.title}》"
    paras.append(f"按照{source}规定，"
                 "将各单位信息采用积分与综合考评积分合并计算，根据总积分分类排定名次"
                 f"（详见附件1）。{words.categories}排名前三位的单位是，{ranked}。")
    if "通报批评单位数" not in used:
        if figures["通报批评单位数"]:
            paras.append(f"{figures['通报批评单位数']}个单位存在应予通报批评的情形，"
                         f"共{figures['通报批评项数']}项，现予通报批评（详见附件2）。")
        else:
            paras.append("本年度无应予通报批评的单位。")
    if not score.final:
        paras.append(f"年度考评尚未结束（数据截至{score.through}月），以上结果为暂定结果"
                     + ("；未达标单位待全年台账完成后认定。" if rules.has_targets else "。"))
    elif "未达标单位数" not in used and rules.has_targets:
        if figures["未达标单位数"]:
            then = f"，{words.below_target}" if words.below_target else ""
            paras.append(f"{figures['未达标单位数']}个单位未完成年度信息报送采用任务"
                         f"（详见附件3）{then}。")
        else:
            paras.append("各单位均完成了年度信息报送采用任务。")
    return paras


LEAD_IN = re.compile(r"如下[。：:]</p>\s*$")
RESULTS_BLOCK = Markup("<p>{{%s}}</p>\n") % RESULTS


def body_blocks(notice_md: str | None, generated: list[str]) -> tuple[list[Markup], Markup]:
    """The body as blocks, and its last block (kept with the 附件说明 and the signature).

    The generated paragraphs stand where the office's text puts ``{{考评结果}}``; without it
    they follow the office's lead-in (a paragraph ending 如下。or 如下：, as in
    现将有关情况通报如下。), and without one they close the office's text.
    """
    blocks = markdown_blocks(notice_md)
    paras = [Markup("<p>{}</p>\n").format(escape(p)) for p in generated]
    if RESULTS_BLOCK in blocks:
        at = blocks.index(RESULTS_BLOCK)
        blocks[at:at + 1] = paras
    else:
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
    text = year.notice_md or ""
    used = {name for _, name in placeholders(text)}
    body, closing = body_blocks(fill(text, notice_figures(year, score)),
                                summary(site, year, score, used))
    return AnnualContext(
        **page_base(site, title, "../", year_no), doc_title=title, title_lines=lines,
        notice=notice_fields(notice),
        final=score.final, through=score.through, provisional=provisional,
        body=body, closing=closing, attachments=attachments(rules, year_no),
        rankings=category_units(site, score), criticized=criticized, below=below,
        targets_ref=cite(rules, next(iter(cats.values())).clause if cats else ""))


def notice_fields(notice: Notice) -> dict[str, str]:
    """The 版头, 落款 and 版记 as printed. A new year's notice starts without its 发文字号 and
    dates (``new-month --copy-config`` leaves them empty): they read 文号待定 and 日期待定 until
    filled, never a figure of the year before. 印发 defaults to the issuer and 成文日期."""
    printed_on = notice.printed_on or notice.date
    copy_to = notice.copy_to.strip().rstrip("。.")
    return {"issuer": notice.issuer, "number": notice.number or "文号待定",
            "recipients": notice.recipients, "signer": notice.signer or notice.issuer,
            "date": cn_date(notice.date) if notice.date else "日期待定",
            "copy_to": f"{copy_to}。" if copy_to else "",
            "printed_by": notice.printed_by or notice.issuer,
            "printed_on": f"{cn_date(printed_on)}印发" if printed_on else "印发日期待定"}


def attachments(rules: Rules, year: int) -> list[str]:
    """The notice's attachments: the ranking, the criticisms, and (when the rulebook sets
    targets) the units short of them."""
    found = [f"{year}年度政务信息工作分类考评结果", f"{year}年度通报批评单位及事由"]
    if rules.has_targets:
        found.append(f"{year}年度未达标单位名单" + ("（拟约谈）" if rules.wording.below_target
                                              else ""))
    return found
