"""The simulated year: every unit's items, adoptions, instructions, commissions and events.

One ``random.Random`` seeded from the seed and the year is consumed in a fixed order (units in
registry order, months in calendar order, never a set or dict of unknown order).
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
import random
from dataclasses import dataclass, field
from typing import Any

from .headlines import Headlines
from .vocabulary import (
    DEFAULT_TARGETS,
    HOLIDAYS,
    INFO_CHANNELS,
    ISSUE_EVERY,
    LEADERS,
    MONTH_WEIGHTS,
    SECOND_CHANNEL,
    TOPICS,
)


@dataclass
class Item:
    """One submitted item ([[info]]); ``oa`` is numbered once every unit's items are known."""

    unit: int
    date: dt.date
    title: str
    topic: str | None = None  # set for a 专报
    note: str | None = None
    oa: str = ""
    channels: list[str] = field(default_factory=list)  # adopted by, in order
    last_adopted: dt.date | None = None


@dataclass
class Record:
    """A rendered record: its table name, sort key and ``key = value`` pairs in output order."""

    table: str
    key: tuple[Any, ...]
    pairs: list[tuple[str, Any]]


@dataclass
class UnitPlan:
    """One unit's simulated year."""

    index: int
    unit: dict[str, Any]
    targets: tuple[int, int, int, int]
    headlines: Headlines
    items: list[Item] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)


# ---------------------------------------------------------------- dates

def is_workday(day: dt.date) -> bool:
    """Monday to Friday outside the fixed-date public holidays (lunar ones are ignored)."""
    return day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS


def workdays(year: int, month: int) -> list[dt.date]:
    days = calendar.monthrange(year, month)[1]
    return [d for d in (dt.date(year, month, i) for i in range(1, days + 1)) if is_workday(d)]


def later_workday(rng: random.Random, start: dt.date, lags: tuple[int, ...]) -> dt.date:
    """The first workday ``rng.choice(lags)`` days after ``start`` or later, within the year."""
    day = start + dt.timedelta(days=rng.choice(lags))
    while not is_workday(day):
        day += dt.timedelta(days=1)
    if day.year > start.year:  # the last workday of the year, but not before start
        day = dt.date(start.year, 12, 31)
        while not is_workday(day) and day > start:
            day -= dt.timedelta(days=1)
    return day


def _alloc(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` by ``weights`` (largest remainder, ties to the earlier month)."""
    exact = [total * w / sum(weights) for w in weights]
    counts = [math.floor(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


# ---------------------------------------------------------------- simulation

def simulate(year: int, units: list[dict[str, Any]], rules: dict[str, Any],
             seed: int) -> list[UnitPlan]:
    """Simulate the whole year: every unit's items, adoptions, instructions, commissions, events."""
    rng = random.Random(f"kaoping-demo:{seed}:{year}")
    targets = dict(DEFAULT_TARGETS)
    for c in rules.get("category", []):
        targets[c["id"]] = (c["submitted"], c["adopted"], c["special_submitted"],
                            c["special_adopted"])
    # Profiles, scaled to the number of units (47 in 2023): 4 weak, 3 strong, 3 slow starters
    # (plus one weak unit), 2 short of the 专报 targets besides the weak ones.
    n = len(units)
    shuffled = rng.sample(range(n), n)
    k_weak, k_strong, k_slow, k_special = (max(1, round(n * 4 / 47)), round(n * 3 / 47),
                                           round(n * 3 / 47), round(n * 2 / 47))
    weak = set(shuffled[:k_weak])
    strong = set(shuffled[k_weak:k_weak + k_strong])
    rest = shuffled[k_weak + k_strong:]
    slow = set(rest[:k_slow]) | {shuffled[0]}
    special_short = weak | set(rest[k_slow:k_slow + k_special])
    plans = []
    for i, unit in enumerate(units):
        plan = UnitPlan(i, unit, targets[unit["category"]], Headlines(rng, unit, year))
        _plan_items(rng, plan, year, weak=i in weak, strong=i in strong, slow=i in slow,
                    special_short=i in special_short)
        plans.append(plan)
    everything = sorted((it.date, it.unit, pos, it) for p in plans
                        for pos, it in enumerate(p.items))
    width = max(5, len(str(len(everything))))
    for number, (*_, it) in enumerate(everything, 1):
        it.oa = f"KDL-{year}-{number:0{width}d}"
    for plan in plans:
        plan.records += [_info_record(it) for it in plan.items]
        _adopt(rng, plan, weak=plan.index in weak, special_short=plan.index in special_short)
    _instruct(rng, plans, n)
    for plan in plans:
        _commissions(rng, plan, year)
    _events(rng, plans, year, n)
    return plans


def _plan_items(rng: random.Random, plan: UnitPlan, year: int, *, weak: bool, strong: bool,
                slow: bool, special_short: bool) -> None:
    t_sub, _, t_ss, _ = plan.targets
    factor = rng.uniform(0.55, 0.8) if weak else rng.uniform(1.6, 2.1) if strong \
        else rng.uniform(1.05, 1.3)
    total = round(t_sub * factor)
    specials = max(0, t_ss - rng.choice((1, 2))) if special_short else t_ss + rng.choice((0, 0, 1, 2))
    weights = [w * rng.uniform(0.85, 1.15) * (0.45 if slow and m < 3 else 1)
               for m, w in enumerate(MONTH_WEIGHTS)]
    special_months = sorted(rng.choice(range(3, 13)) for _ in range(specials))
    topics = [rng.choice(TOPICS) for _ in range(specials)]
    for month, count in enumerate(_alloc(total, weights), 1):
        days = workdays(year, month)
        n_special = special_months.count(month)
        for k in range(max(count, n_special)):
            date = rng.choice(days)
            if k < n_special:
                topic = topics.pop()
                plan.items.append(Item(plan.index, date, plan.headlines.special(topic), topic))
            else:
                note = rng.choice(("附图片2张", "经OA平台退回修改后重新报送", "约稿信息")) \
                    if rng.random() < 0.02 else None
                plan.items.append(Item(plan.index, date, plan.headlines.info(date), note=note))
    plan.items.sort(key=lambda it: it.date)


def _info_record(it: Item) -> Record:
    pairs = [("oa", it.oa), ("title", it.title), ("date", it.date)]
    if it.topic:
        pairs += [("kind", "专报"), ("topic", it.topic)]
    if it.note:
        pairs.append(("note", it.note))
    return Record("info", (it.date, it.oa), pairs)


LAGS = (0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20)


def _adoption(rng: random.Random, plan: UnitPlan, it: Item, by: str, after: dt.date) -> dt.date:
    date = later_workday(rng, after, LAGS)
    pairs: list[tuple[str, Any]] = [("oa", it.oa), ("by", by), ("date", date)]
    if by in ISSUE_EVERY and rng.random() < 0.85:
        pairs.append(("issue", f"第{(date.timetuple().tm_yday - 1) // ISSUE_EVERY[by] + 1}期"))
    if by == "自治区刊" and rng.random() < 0.5:
        pairs.append(("note", "经市政府办公室推荐"))
    it.channels.append(by)
    it.last_adopted = max(date, it.last_adopted or date)
    plan.records.append(Record("adoption", (date, it.oa, by), pairs))
    return date


def _adopt(rng: random.Random, plan: UnitPlan, *, weak: bool, special_short: bool) -> None:
    """Adopt a share of each month's items (some on a second channel), then top up to target."""
    t_sub, t_adopt, _, t_sa = plan.targets
    base = t_adopt / t_sub  # adoption records per item the target implies
    rate = base * rng.uniform(0.6, 0.85) if weak else base + rng.uniform(0.06, 0.15)
    ordinary = [it for it in plan.items if not it.topic]
    for month in range(1, 13):
        pool = [it for it in ordinary if it.date.month == month]
        k = min(len(pool), math.floor(len(pool) * rate / 1.15 + rng.random()))
        for it in sorted(rng.sample(pool, k), key=pool.index):
            _adopt_info(rng, plan, it)
    while not weak and sum(len(it.channels) for it in ordinary) < t_adopt + 1:
        pool = [it for it in ordinary if not it.channels and it.date.month < 12]
        if not pool:
            break
        _adopt_info(rng, plan, rng.choice(pool))
    specials = [it for it in plan.items if it.topic]
    wanted = min(len(specials), max(0, t_sa - 1) if special_short else t_sa + rng.choice((0, 1, 1)))
    for it in rng.sample(specials, wanted):
        by = rng.choices(("上报", "市刊", "自治区刊"), (70, 25, 5))[0]
        date = _adoption(rng, plan, it, by, it.date)
        if by == "上报" and rng.random() < 0.25:
            _adoption(rng, plan, it, "市刊", date)


def _adopt_info(rng: random.Random, plan: UnitPlan, it: Item) -> None:
    by = rng.choices([c for c, _ in INFO_CHANNELS], [w for _, w in INFO_CHANNELS])[0]
    date = _adoption(rng, plan, it, by, it.date)
    if rng.random() < 0.14:
        _adoption(rng, plan, it, rng.choice(SECOND_CHANNEL[by]), date)


def _instruct(rng: random.Random, plans: list[UnitPlan], n: int) -> None:
    """Leaders' instructions on adopted items: mostly 区, some 市, one or two 自治区."""
    adopted = [it for p in plans for it in p.items if it.channels]
    counts = {"区": round(n * 28 / 47), "市": round(n * 8 / 47), "自治区": max(1, round(n * 2 / 47))}
    for level, count in counts.items():
        pool = [it for it in adopted if level != "自治区" or it.topic
                or {"市刊", "自治区刊"} & set(it.channels)]
        weights = [6 if it.topic else 4 if {"市刊", "自治区刊"} & set(it.channels) else 1
                   for it in pool]
        chosen: list[Item] = []
        for _ in range(min(count, len(pool))):
            k = rng.choices(range(len(pool)), weights)[0]
            chosen.append(pool.pop(k))
            weights.pop(k)
        for it in sorted(chosen, key=lambda it: it.oa):
            date = later_workday(rng, it.last_adopted or it.date, (2, 3, 5, 7, 10, 14))
            pairs = [("oa", it.oa), ("level", level), ("date", date),
                     ("leader", rng.choice(LEADERS[level]))]
            plans[it.unit].records.append(Record("instruction", (date, it.oa, level), pairs))


def _commissions(rng: random.Random, plan: UnitPlan, year: int) -> None:
    """One to three 上级约稿 a year; most delivered on time, a few late or not at all."""
    for month in sorted(rng.sample(range(1, 13), rng.choice((1, 2, 2, 2, 3)))):
        due = rng.choice([d for d in workdays(year, month) if d.day <= 25])
        pairs: list[tuple[str, Any]] = [("title", plan.headlines.commission()), ("due", due)]
        r = rng.random()
        if r < 0.04:
            pairs.append(("note", "截止日期前未报送"))
        elif r < 0.1:
            late = rng.randint(1, 4)
            pairs += [("delivered", due + dt.timedelta(days=late)), ("note", f"逾期{late}天报送")]
        else:
            pairs.append(("delivered", due - dt.timedelta(days=rng.choice((0, 0, 1, 2, 3)))))
            if rng.random() < 0.2:
                pairs.append(("note", "市政府办公室约稿"))
        plan.records.append(Record("commission", (due, pairs[0][1]), pairs))


def _events(rng: random.Random, plans: list[UnitPlan], year: int, n: int) -> None:
    """综合考评事项, spread over randomly chosen units."""
    meeting = next(d for d in (dt.date(year, 5, 25) + dt.timedelta(days=i) for i in range(7))
                   if is_workday(d))
    s = n / 47

    def add(plan: UnitPlan, kind: str, date: dt.date, note: str | None) -> None:
        pairs = [("kind", kind), ("date", date)] + ([("note", note)] if note else [])
        plan.records.append(Record("event", (date, kind), pairs))

    def some(count: float) -> list[UnitPlan]:
        return [plans[i] for i in sorted(rng.sample(range(n), min(n, max(1, round(count)))))]

    trained = some(15 * s)
    for k, plan in enumerate(trained):
        months = sorted(rng.sample((3, 4, 6, 9, 10, 11), 2 if k == len(trained) // 2 else 1))
        for j, m in enumerate(months):
            add(plan, "轮训", rng.choice(workdays(year, m)),
                "选派信息员到区政府办公室信息室轮训" + ("（第二批次）" if j else ""))
    for plan in some(10 * s):
        add(plan, "调研配合", rng.choice(workdays(year, rng.randint(4, 11))),
            f"配合市政府办公室开展{plan.headlines.topic()}专题调研")
    for plan in some(rng.choice((1, 2)) * s):
        add(plan, "迟漏瞒错报", rng.choice(workdays(year, rng.randint(2, 11))), "重要紧急信息迟报")
    for plan in some(4 * s):
        it = rng.choice([it for it in plan.items if it.date.month < 12] or plan.items)
        date = later_workday(rng, it.date, (1, 2, 3, 5))
        add(plan, "失实滞后", date, f"《{it.title}》" + rng.choice(("部分数据与实际不符",
                                                                   "报送滞后，时效性不足")))
    for plan in some(3 * s):
        add(plan, "缺席会议", meeting, "未参加全区政府系统政务信息工作会议")
    for plan in some(rng.choice((1, 2)) * s):
        add(plan, "工作失误", rng.choice(workdays(year, rng.randint(3, 11))),
            "未按考评办法要求通过OA协同办公平台报送信息，造成不良影响")


# ---------------------------------------------------------------- tallies and texts

def tally(plans: list[UnitPlan]) -> dict[int, list[list[int]]]:
    """Per unit index, per month (0–11): [submitted, adopted, special_submitted, special_adopted]."""
    special = {it.oa for p in plans for it in p.items if it.topic}
    out = {p.index: [[0, 0, 0, 0] for _ in range(12)] for p in plans}
    for p in plans:
        for r in p.records:
            row = out[p.index][r.key[0].month - 1]
            oa = r.pairs[0][1]
            if r.table == "info":
                row[0] += 1
                row[2] += oa in special
            elif r.table == "adoption":
                row[1] += 1
                row[3] += oa in special
    return out


def short_units(plans: list[UnitPlan], months: range, *, annual: bool) -> list[str]:
    """Names of units short of the quarterly (¼, rounded up) or annual targets over ``months``."""
    counts, names = tally(plans), []
    for p in plans:
        got = [sum(counts[p.index][m - 1][k] for m in months) for k in range(4)]
        need = p.targets if annual else (-(-p.targets[0] // 4), -(-p.targets[1] // 4), 0, 0)
        if any(g < t for g, t in zip(got, need, strict=True)):
            names.append(p.unit["name"])
    return names


def count_records(plans: list[UnitPlan], months: range, table: str, field_name: str = "",
         values: tuple[str, ...] = ()) -> int:
    return sum(1 for p in plans for r in p.records if r.table == table and r.key[0].month in months
               and (not values or dict(r.pairs).get(field_name) in values))
