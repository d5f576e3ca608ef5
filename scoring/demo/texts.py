"""The demonstration year's texts: unit month files (TOML written by hand, so every byte is
fixed), the quarter-end bulletins' commentary and the annual notice's body."""
from __future__ import annotations

import datetime as dt
from typing import Any

from .simulate import UnitPlan, count_records, short_units
from .vocabulary import LABEL

CLOSINGS = (  # the closing paragraph of each quarter-end bulletin
    ("春节后各单位报送工作逐步恢复，但部分单位起步偏慢。请各单位对照全年任务量倒排工期，"
     "确保每季度报采数量均达到全年任务量的四分之一。"),
    ("《{title}》印发以来，各单位报送信息的时效性和针对性有所提升。下半年请围绕全区中心工作，"
     "多报送反映新情况、新问题的专报信息。"),
    "进入四季度，请各单位对照年度任务查漏补缺，按时完成上级约稿任务，杜绝内容失实、报送滞后等问题。",
    ("全年考评工作即将进行统一汇总，请各单位于次年1月上旬前核对本单位台账，"
     "如有异议及时与区政府办公室信息室联系。"),
)


def bulletin(plans: list[UnitPlan], year: int, month: int, document: tuple[str, str]) -> str:
    """The office's commentary for a quarter-end month: the month's totals and the quarter."""
    m, q = range(month, month + 1), (month - 1) // 3
    short = short_units(plans, range(3 * q + 1, 3 * q + 4), annual=False)
    quarter = "一二三四"[q] + "季度"
    totals = (f"{month}月，全区各信息网点通过OA协同办公平台共报送政务信息{count_records(plans, m, 'info')}条，"
              f"其中专报{count_records(plans, m, 'info', 'kind', ('专报',))}篇；"
              f"被各级采用{count_records(plans, m, 'adoption')}条（次），"
              f"其中市级以上刊物采用{count_records(plans, m, 'adoption', 'by', ('市刊', '自治区刊'))}条（次）；"
              f"获领导批示{count_records(plans, m, 'instruction')}篇（次）。")
    if short:
        shortfall = (f"{quarter}，共有{len(short)}个单位的报送或采用数量未达到全年任务量的四分之一，"
                     "按照考评办法三(三)7扣减相应分值并予以通报批评，具体情况见各单位明细。")
    else:
        shortfall = f"{quarter}，各单位报送和采用数量均达到全年任务量的四分之一。"
    return "\n\n".join((f"> {LABEL}：本通报所列数字均由演示程序生成，仅用于展示系统功能。",
                        totals, shortfall, CLOSINGS[q].format(title=document[0]))) + "\n"


def notice(year: int, document: tuple[str, str]) -> str:
    """The body text of the annual notice: purpose, the year's totals, criticism and outlook.

    Every figure is a placeholder the build fills in from the scores (SPEC §8), so the demo
    notice stays true when a record of the demo year is added or corrected.
    """
    purpose = (f"为进一步提高全区政府系统政务信息工作质量，根据《{document[0]}》（{document[1]}），"
               f"区政府办公室对各街镇、各委办局及有关单位{year}年度政务信息工作进行了考评。"
               "现将有关情况通报如下。")
    totals = (f"{year}年，全区共报送政务信息{{{{报送信息条数}}}}条，其中专报{{{{报送专报篇数}}}}篇；"
              "被各级采用{{采用条数}}条（次），其中市政府刊物采用{{市刊采用条数}}条（次），"
              "自治区政府刊物采用{{自治区刊采用条数}}条（次）；获区级领导批示{{区级批示条数}}篇（次）、"
              "市级领导批示{{市级批示条数}}篇（次）、自治区级领导批示{{自治区级批示条数}}篇（次）。"
              "{{达标单位数}}个单位全面完成年度报送采用任务。")
    outlook = ("对未达到年度报送采用任务的{{未达标单位数}}个单位予以通报批评，"
               "区政府分管领导将对其主要负责同志进行约谈。希望各单位认真总结经验，"
               "进一步健全信息工作机制，加强信息员队伍建设，不断提高政务信息的质量和时效，"
               "为区政府科学决策提供有力支撑。")
    return "\n\n".join((f"> {LABEL}：本通报为演示用示例，单位得分和排名均由示例台账计算得出。",
                        purpose, totals, "{{考评结果}}", outlook)) + "\n"


# ---------------------------------------------------------------- writing

def toml_value(value: Any) -> str:
    """A TOML basic string or local date."""
    if isinstance(value, dt.date):
        return value.isoformat()
    out = []
    for ch in str(value):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "\n\t":
            out.append("\\n" if ch == "\n" else "\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


TABLE_ORDER = ("info", "adoption", "instruction", "commission", "event")


def render_unit_month(plan: UnitPlan, year: int, month: int, label: bool) -> str:
    records = sorted((r for r in plan.records if r.key[0].month == month),
                     key=lambda r: (TABLE_ORDER.index(r.table), r.key))
    blocks = [f"# {LABEL}— {plan.unit['name']} {year}年{month}月\n"] if label else []
    for r in records:
        blocks.append(f"[[{r.table}]]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in r.pairs))
    return "\n".join(blocks)
