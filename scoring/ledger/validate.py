"""Checks between records: OA numbers, and the items that adoptions and instructions name.

These span files and years (an item of December may be adopted in January), so they run over
the whole loaded ledger. Each check is a function ``(ledger, context) -> list[Problem]``, all run,
results concatenated (beancount's validation model). Key lines are looked up lazily: a file is
read again only to point at the key of a record that has a problem.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .model import Adoption, Info, Instruction, Ledger
from .problems import Problem
from .tomlfile import decode, key_line

UNREADABLE = {"E101", "E102", "E105", "E106"}


class Context(NamedTuple):
    """What the checks share: the OA index and a key-line finder."""

    items: dict[str, Info]
    repeated: list[Info]               # items whose OA number an earlier item already has
    unreadable_units: frozenset[str]
    unusable_oa: frozenset[str]        # of items left out for their (reported) problems
    line_of: Callable[[str, int, str], int]


def check_oa_unique(ledger: Ledger, ctx: Context) -> list[Problem]:
    problems = []
    for item in ctx.repeated:
        first = ctx.items[item.oa]
        problems.append(Problem(item.path, ctx.line_of(item.path, item.line, "oa"), "E301",
                                f"OA 编号 {item.oa} 重复：已在 {first.path}:{first.line} 使用。"
                                "每条信息的 OA 编号在全部台账中唯一，请核对 OA 平台编号。"))
    return problems


def _check_reference(rec: Adoption | Instruction, ctx: Context, what: str) -> list[Problem]:
    item = ctx.items.get(rec.oa)
    if item is not None and item.unit == rec.unit and rec.date >= item.date:
        return []  # the common case: no key line needed, so no file is read again
    at = ctx.line_of(rec.path, rec.line, "oa")
    if item is None:
        if rec.unit in ctx.unreadable_units or rec.oa in ctx.unusable_oa:
            return []  # the item is in an unreadable file or invalid; that error is reported
        return [Problem(rec.path, at, "E302", f"{what}引用的 OA 编号 {rec.oa} 在台账中找不到；"
                        "请先在报送月份的台账中登记该信息 [[info]]，或核对编号。")]
    if item.unit != rec.unit:
        return [Problem(rec.path, at, "E303", f"OA 编号 {rec.oa} 是其他单位（{item.unit}，"
                        f"{item.path}:{item.line}）的信息，不能记入本单位的{what}。")]
    return [Problem(rec.path, ctx.line_of(rec.path, rec.line, "date"), "E304",
                    f"{what}日期 {rec.date} 早于该信息的报送日期 {item.date}"
                    f"（{item.path}:{item.line}）。")]


def check_adoptions(ledger: Ledger, ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[tuple[str, str], Adoption] = {}
    for um in ledger.unit_months():
        rules = ledger.years[um.year].rules
        for rec in um.adoptions:
            found = _check_reference(rec, ctx, "采用记录")
            if found or rec.oa not in ctx.items:
                problems += found
                continue
            item = ctx.items[rec.oa]
            if (item.kind, rec.by) not in rules.channels:
                allowed = "、".join(rules.channels_for(item.kind))
                problems.append(Problem(rec.path, ctx.line_of(rec.path, rec.line, "by"), "E305",
                                        f"{item.kind}不能由“{rec.by}”采用（{item.kind}的采用渠道：{allowed}）。"))
                continue
            prior = first.setdefault((rec.oa, rec.by), rec)
            if prior is not rec:
                problems.append(Problem(rec.path, ctx.line_of(rec.path, rec.line, "by"), "E306",
                                        f"信息 {rec.oa} 已由“{rec.by}”采用过"
                                        f"（{prior.path}:{prior.line}），"
                                        "同一渠道只计一次；请删除重复记录。"))
    return problems


def check_instructions(ledger: Ledger, ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[tuple[str, str], Instruction] = {}
    for um in ledger.unit_months():
        for rec in um.instructions:
            found = _check_reference(rec, ctx, "批示记录")
            problems += found
            if found:
                continue
            prior = first.setdefault((rec.oa, rec.level), rec)
            if prior is not rec:
                problems.append(Problem(rec.path, ctx.line_of(rec.path, rec.line, "level"), "E307",
                                        f"信息 {rec.oa} 已有{rec.level}级领导批示"
                                        f"（{prior.path}:{prior.line}），"
                                        "同一层级只计一次；请删除重复记录。"))
    return problems


CHECKS = (check_oa_unique, check_adoptions, check_instructions)


def validate(ledger: Ledger, load_problems: list[Problem]) -> list[Problem]:
    """Run every cross-record check; ``load_problems`` tell which files could not be read."""
    items: dict[str, Info] = {}
    repeated: list[Info] = []
    for um in ledger.unit_months():
        for item in um.info:
            if items.setdefault(item.oa, item) is not item:
                repeated.append(item)
    unreadable = frozenset(p.path.rsplit("/", 1)[-1].removesuffix(".toml")
                           for p in load_problems if p.code in UNREADABLE)
    unusable = frozenset(oa for um in ledger.unit_months() for oa in um.unusable_oa)
    ctx = Context(items, repeated, unreadable, unusable, _line_finder(ledger.repo_root))
    problems: list[Problem] = []
    for check in CHECKS:
        problems += check(ledger, ctx)
    return problems


def _line_finder(repo: Path) -> Callable[[str, int, str], int]:
    @lru_cache(maxsize=64)
    def text_of(path: str) -> str:
        return decode((repo / path).read_bytes(), path)[0] or ""

    def line_of(path: str, header: int, key: str) -> int:
        return key_line(text_of(path), header, key)
    return line_of
