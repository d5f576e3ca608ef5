"""Named placeholders in ``notice.md``: the figures the annual notice states (SPEC §8).

The office writes ``全区共报送政务信息{{报送信息条数}}条`` and the build fills in the figure from
the scores, so a correction can never leave the notice stating an old total. The names come
from the year's rules (its kinds, channels and levels); this module knows the names and the
syntax, :mod:`scoring.rulebook.figures` computes the values.

``{{考评结果}}``, a paragraph of its own, places the generated paragraphs (the first three
places, criticisms, 未达标); without it they follow the lead-in (…如下。).

Problems: E701 an unknown name, E702 a placeholder written wrongly (full-width braces, single
braces around a name, braces left open).
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from .model import Rules
from .problems import Problem

PLACEHOLDER = re.compile(r"\{\{([^{}\n]*)\}\}")
# What a clerk's input method makes of ``{{…}}``: full-width braces, or one brace only.
MISWRITTEN = re.compile(r"[{｛]{1,2}\s*([^{}｛｝\n]{1,20}?)\s*[}｝]{1,2}")
OPEN = re.compile(r"\{\{(?![^{}\n]*\}\})")

# Figures that are not totals: a literal number equal to one of them is nothing to warn about.
NOT_TOTALS = ("年度", "截至月份")
# A paragraph of its own: where the generated paragraphs (ranking, criticisms, 未达标) go.
RESULTS = "考评结果"


def figure_names(rules: Rules) -> dict[str, str]:
    """Every placeholder name of a year, in the order the README lists them, with what it
    stands for."""
    info, special = rules.info_kind, rules.special_kind
    channels = list(dict.fromkeys(by for _, by in rules.channels))
    names = {"年度": "考评年度（如 2023）",
             "截至月份": "数据截至的月份（全年为 12）",
             "单位数": "参加考评的单位数",
             f"报送{info}条数": f"报送{info}条数（含{special}）",
             f"报送{special}篇数": f"报送{special}篇数",
             "采用条数": "被各级采用的条（次）数（各渠道合计）",
             f"采用{special}篇数": f"{special}被采用的篇（次）数"}
    names.update({f"{by}采用条数": f"{by}采用的条（次）数" for by in channels})
    if rules.levels:
        names["批示条数"] = "获领导批示的件数（各层级合计）"
        names.update({f"{lv}级批示条数": f"获{lv}级领导批示的件数" for lv in rules.levels})
    names.update({"通报批评单位数": "有应予通报批评情形的单位数",
                  "通报批评项数": "应予通报批评的情形（项）数"})
    if rules.has_targets:
        names.update({"未达标单位数": "未完成年度任务量的单位数（全年台账完成后认定）",
                      "达标单位数": "完成全部年度任务量的单位数（全年台账完成后认定）"})
    return names


def placeholders(text: str) -> Iterator[tuple[int, str]]:
    """Every ``{{name}}`` of ``text`` as (1-based line, name as written, trimmed)."""
    for no, line in enumerate(text.split("\n"), 1):
        for m in PLACEHOLDER.finditer(line):
            yield no, m[1].strip()


def fill(text: str, figures: Mapping[str, int]) -> str:
    """``text`` with every figure's placeholder replaced by its figure (checked names only;
    ``{{考评结果}}`` stays, trimmed, for the page to put its paragraphs there)."""
    return PLACEHOLDER.sub(lambda m: f"{{{{{RESULTS}}}}}" if m[1].strip() == RESULTS
                           else str(figures[m[1].strip()]), text)


def _own_paragraph(lines: list[str], no: int) -> bool:
    """Line ``no`` (1-based) holds one placeholder alone, between blank lines (or the ends)."""
    blank = {"", None}
    before = lines[no - 2].strip() if no >= 2 else None
    after = lines[no].strip() if no < len(lines) else None
    return (PLACEHOLDER.fullmatch(lines[no - 1].strip()) is not None
            and before in blank and after in blank)


def check_placeholders(path: str, text: str, rules: Rules) -> list[Problem]:
    """E701 for every unknown name, E702 for every placeholder written wrongly."""
    names = figure_names(rules)
    known = "、".join(f"{{{{{n}}}}}" for n in [*names, RESULTS])
    problems = []
    lines = text.split("\n")
    results = [no for no, name in placeholders(text) if name == RESULTS]
    for no in results:
        if not _own_paragraph(lines, no):
            problems.append(Problem(path, no, "E702",
                                    f"{{{{{RESULTS}}}}} 表示生成的考评结果段落，须单独成段"
                                    "（一行只写这一个占位符，前后空行）。"))
    for no in results[1:]:
        problems.append(Problem(path, no, "E702",
                                f"{{{{{RESULTS}}}}} 只能出现一次（第一次在第 {results[0]} 行）。"))
    for no, name in placeholders(text):
        if name != RESULTS and name not in names:
            problems.append(Problem(path, no, "E701",
                                    f"通报正文中的占位符 {{{{{name}}}}} 不是可用的数字名称；"
                                    f"可用的占位符：{known}。"))
    for no, line in enumerate(lines, 1):
        bare = PLACEHOLDER.sub("", line)
        for m in MISWRITTEN.finditer(bare):
            if m[1].strip() in names:
                problems.append(Problem(path, no, "E702",
                                        f"占位符“{m[0]}”写法不对：应写作半角双花括号"
                                        f"{{{{{m[1].strip()}}}}}。"))
        if OPEN.search(bare):
            problems.append(Problem(path, no, "E702",
                                    "通报正文中有未闭合的“{{”：占位符应写作 {{名称}}，"
                                    "名称与花括号在同一行。"))
    return problems
