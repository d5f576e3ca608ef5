"""Headlines of the demonstration year: a unit's domain vocabulary × title templates, re-drawn
so that a unit does not repeat itself."""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

from .vocabulary import (
    DOMAIN_KEYWORDS,
    FLOURISH,
    GOALS,
    MEANS,
    MEETINGS,
    PLACES,
    RESULTS,
    SEASONAL,
    SLOGANS,
    VERBS,
    VOCAB,
)


def _split(text: str) -> list[str]:
    return [s for s in text.split("|") if s]


def _in_season(words: list[str], month: int | None) -> list[str]:
    """The words usable in ``month`` (all, untagged, when ``month`` is None), tags stripped."""
    out = []
    for word in words:
        text, _, months = word.partition("@")
        if month is None or not months or str(month) in months.split(","):
            out.append(text)
    return out


def domain_of(unit: dict[str, Any]) -> str:
    for word, domain in DOMAIN_KEYWORDS:
        if word in unit["name"]:
            return domain
    return "街道" if unit.get("category") == 3 else "综合"


def display_name(unit: dict[str, Any]) -> str:
    """The unit as a headline names it: 区发改委, 昆北街道, 昆区公安分局."""
    name = str(unit["name"]).removesuffix("办事处")
    if any(w in name for w in ("区", "昆都仑", "镇", "街道")):
        return name
    return ("昆区" if unit.get("category") == 4 else "区") + name


class Headlines:
    """Per-unit headline maker: domain vocabulary × templates, re-drawing to avoid repeats."""

    def __init__(self, rng: random.Random, unit: dict[str, Any], year: int):
        self.rng, self.year, self.u = rng, year, display_name(unit)
        domain = domain_of(unit)
        topics, acts, metrics = VOCAB[domain]
        self.topics, self.acts, self.metrics = _split(topics), _split(acts), _split(metrics)
        suffix = {"街道": "社区", "镇": "村"}.get(domain)
        self.places = [p + suffix for p in rng.sample(_split(PLACES), 4)] if suffix else []
        self.seen: set[Any] = set()

    def _pick(self, text: str | list[str]) -> str:
        return self.rng.choice(_split(text) if isinstance(text, str) else text)

    def topic(self, month: int | None = None) -> str:
        return self.rng.choice(_in_season(self.topics, month))

    def info(self, date: dt.date) -> str:
        for _ in range(40):
            title = self._draw(date)
            if title not in self.seen:
                break
        self.seen.add(title)
        return title

    def _draw(self, date: dt.date) -> str:
        r, u, t, p = self.rng.random(), self.u, self.topic(date.month), self._pick
        acts = _in_season(self.acts, date.month)
        if self.metrics and r < 0.08:
            m = date.month
            period = f"{self.year - 1}年" if m == 1 else ("1月" if m == 2 else f"1—{m - 1}月")
            return f"{period}我区{p(self.metrics)}同比增长{self.rng.uniform(2.0, 9.5):.1f}%"
        season = p(SEASONAL[date.month - 1])
        if r < 0.16 and (date.year, season) not in self.seen:
            self.seen.add((date.year, season))  # each seasonal theme once per unit and year
            return f"{u}{p('扎实做好|全力做好|统筹做好|周密部署')}{season}工作"
        if self.places and r < 0.34:
            return f"{u}{p(self.places)}{p('开展|组织开展')}{p(acts)}"
        if date.month <= 3 and r < 0.4:
            return f"{u}召开{self.year}年{t}工作会议"
        return self.rng.choice((
            lambda: f"{u}{p(VERBS)}{t}",
            lambda: f"{u}{p('扎实做好|全力以赴做好|认真做好')}{t}工作",
            lambda: f"{u}召开{t}工作{p(MEETINGS)}",
            lambda: f"{u}{p('开展|组织开展|扎实开展')}{p(acts)}",
            lambda: f"{u}{p('开展|组织开展|扎实开展')}{p(acts)}",
            lambda: f"{u}{p(MEANS)}推动{t}{p(RESULTS)}",
            lambda: f"我区{t}{p('取得新进展|取得阶段性成效|成效明显|稳步推进')}",
            lambda: f"{u}“{p(SLOGANS)}”{p('助力|护航|推动|赋能')}{t}",
            lambda: f"{u}：{t}{p(FLOURISH)}",
            lambda: f"{u}{p(VERBS)}{t}助力{p(GOALS)}",
        ))()

    def special(self, topic: str) -> str:
        t, u, p = self.topic(), self.u, self._pick
        forms = {"问题建议": (f"关于{t}中存在的问题及建议", f"关于进一步加强{t}的建议",
                          f"{t}面临的困难和对策建议"),
                 "经验做法": (f"{u}推进{t}的经验做法", f"{u}“{p(SLOGANS)}”推动{t}提质增效",
                          f"{u}创新{t}工作机制的做法与成效"),
                 "调研总结": (f"关于{t}情况的调研报告", f"关于我区{t}的调查与思考", f"{t}专题调研报告")}
        title = self.rng.choice(forms[topic])
        self.seen.add(title)
        return title

    def commission(self) -> str:
        t = self.topic()
        return self.rng.choice((f"关于报送{t}工作情况的约稿", f"关于{t}亮点做法的约稿",
                                f"关于{t}有关情况的专题约稿"))
