"""The figures the annual notice states, by placeholder name (SPEC §8), from the year's scores.

:mod:`scoring.ledger.noticetext` names them and checks the office's text; here they get their
values, and a literal number of the text that equals one of them is warned about (W701): it
was probably typed by hand and will go stale with the next correction.
"""
from __future__ import annotations

import re

from ..ledger.model import Ledger, YearLedger
from ..ledger.noticetext import NOT_TOTALS, PLACEHOLDER, figure_names
from ..ledger.problems import Problem
from .results import Counts, YearScore
from .score import item_index, score_year

NUMBER = re.compile(r"(?<![0-9.])[0-9]+(?![0-9.])")
# A document number 〔2023〕12号, a date 2024年1月15日, a month range 1—3月 or a list's number
# states no figure of the scores.
NOT_FIGURES = re.compile(r"〔[0-9]{4}〕[0-9]+号|[0-9]{4}年(?:[0-9]{1,2}月(?:[0-9]{1,2}日)?)?"
                         r"|[0-9]{1,2}月[0-9]{1,2}日|[0-9]{1,2}[—－~～-]|^\s*[0-9]+[.、)）]")


def notice_figures(year: YearLedger, score: YearScore) -> dict[str, int]:
    """Placeholder name → figure, for every name :func:`figure_names` gives the year."""
    rules = year.rules
    info, special = rules.info_kind, rules.special_kind
    counts = sum((s.counts for s in score.units), Counts())
    months = [f for s in score.units for f in s.months.values()]
    values = {"年度": year.year, "截至月份": score.through, "单位数": len(score.units),
              f"报送{info}条数": counts.submitted,
              f"报送{special}篇数": counts.special_submitted,
              "采用条数": counts.adopted, f"采用{special}篇数": counts.special_adopted,
              "批示条数": sum(n for f in months for n in f.instructions.values()),
              "通报批评单位数": sum(1 for s in score.units if s.criticisms),
              "通报批评项数": sum(len(s.criticisms) for s in score.units),
              "未达标单位数": sum(1 for s in score.units if s.below_target),
              "达标单位数": (sum(1 for s in score.units if not s.below_target)
                             if score.final else 0)}
    for _, by in rules.channels:
        values[f"{by}采用条数"] = sum(f.by_channel.get(by, 0) for f in months)
    for lv in rules.levels:
        values[f"{lv}级批示条数"] = sum(f.instructions.get(lv, 0) for f in months)
    return {name: values[name] for name in figure_names(rules)}


def literal_figures(year: YearLedger, score: YearScore) -> list[Problem]:
    """W701 for every number typed in ``notice.md`` that equals a figure of the scores."""
    if not year.notice_md:
        return []
    figures = notice_figures(year, score)
    by_value: dict[int, list[str]] = {}
    for name, value in figures.items():
        if name not in NOT_TOTALS:
            by_value.setdefault(value, []).append(name)
    path = f"{year.path}/notice.md"
    problems = []
    for no, line in enumerate(year.notice_md.split("\n"), 1):
        text = NOT_FIGURES.sub(" ", PLACEHOLDER.sub(" ", line))
        for m in NUMBER.finditer(text):
            names = by_value.get(int(m[0]))
            if names:
                hint = "或".join(f"{{{{{n}}}}}" for n in names)
                problems.append(Problem(path, no, "W701",
                                        f"通报正文中的数字 {m[0]} 与计算结果相同，疑为手工填写："
                                        f"请改用占位符 {hint}，台账更正后通报随之更新"
                                        "（如确为其他含义的数字，可不予理会）。"))
    return problems


def notice_problems(ledger: Ledger, scores: dict[int, YearScore] | None = None) -> list[Problem]:
    """W701 of every year's ``notice.md``; the years with one are scored unless ``scores``
    (the build's) are given."""
    if scores is None:
        items = item_index(ledger)
        scores = {y: score_year(year, items) for y, year in ledger.years.items()
                  if year.notice_md}
    return [p for y, year in sorted(ledger.years.items()) if year.notice_md
            for p in literal_figures(year, scores[y])]
