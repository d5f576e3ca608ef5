"""The computed charges of 三(三)7: quarterly 信息 shortfalls and the annual 专报 shortfall.

Each returns the points and the criticism that a shortfall brings (none when the counts reach
the targets); the scorer adds them in the month that completes the period.
"""
from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from ..ledger.model import Rules, Unit
from .results import COMPREHENSIVE, Counts, Criticism, Point

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
Charges = tuple[list[Point], list[Criticism]]


def quarter_target(annual: int) -> int:
    """三(三)7: a quarter's share of an annual target, rounded up (⌈T/4⌉)."""
    return -(-annual // 4)


def _charge(unit: Unit, month: int, points: int, rule: str, clause: str, detail: str) -> Point:
    return Point(unit.id, month, COMPREHENSIVE, Decimal(points), rule, clause, detail,
                 None, None, None)


def quarter_shortfall(rules: Rules, unit: Unit, year: int, month: int, got: Counts) -> Charges:
    """The charges of the quarter ending in ``month``, whose counts are ``got``."""
    sf, target = rules.shortfall, rules.categories[unit.category]
    assert sf is not None
    need_sub, need_adopt = quarter_target(target.submitted), quarter_target(target.adopted)
    short_sub = max(0, need_sub - got.submitted)
    short_adopt = max(0, need_adopt - got.adopted)
    if not (short_sub or short_adopt):
        return [], []
    name, info = QUARTER_NAMES[month // 3 - 1], rules.info_kind
    points = []
    if short_sub:
        points.append(_charge(unit, month, sf.submitted_points * short_sub,
                              f"季度报送{info}数量不足", sf.clause,
                              f"{name}报送{info}{got.submitted}条，季度任务量{need_sub}条，"
                              f"差{short_sub}条"))
    if short_adopt:
        points.append(_charge(unit, month, sf.adopted_points * short_adopt,
                              f"季度采用{info}数量不足", sf.clause,
                              f"{name}采用{info}{got.adopted}条（次），季度任务量{need_adopt}条（次），"
                              f"差{short_adopt}条（次）"))
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    reason = (f"{name}报送{info}{got.submitted}条、采用{info}{got.adopted}条（次），"
              f"未达到季度任务量（报送{need_sub}条、采用{need_adopt}条（次））")
    return points, [Criticism(unit.id, last, month, reason, sf.clause, None, None)]


def special_shortfall(rules: Rules, unit: Unit, year: int, got: Counts) -> Charges:
    """The year's 专报 charges (the info shortfall is charged per quarter)."""
    sf, sp = rules.shortfall, rules.special_kind
    assert sf is not None
    target = rules.categories[unit.category]
    short_sub = max(0, target.special_submitted - got.special_submitted)
    short_adopt = max(0, target.special_adopted - got.special_adopted)
    if not (short_sub or short_adopt):
        return [], []
    points = []
    if short_sub:
        points.append(_charge(unit, 12, sf.special_submitted_points * short_sub,
                              f"年度报送{sp}数量不足", sf.clause,
                              f"全年报送{sp}{got.special_submitted}篇，年度任务量"
                              f"{target.special_submitted}篇，差{short_sub}篇"))
    if short_adopt:
        points.append(_charge(unit, 12, sf.special_adopted_points * short_adopt,
                              f"年度采用{sp}数量不足", sf.clause,
                              f"全年采用{sp}{got.special_adopted}篇（次），年度任务量"
                              f"{target.special_adopted}篇（次），差{short_adopt}篇（次）"))
    reason = (f"全年报送{sp}{got.special_submitted}篇、采用{sp}{got.special_adopted}篇（次），"
              f"未达到年度任务量（报送{sp}{target.special_submitted}篇、"
              f"采用{sp}{target.special_adopted}篇（次））")
    return points, [Criticism(unit.id, dt.date(year, 12, 31), 12, reason, sf.clause, None, None)]
