"""One unit's month file, parsed into a :class:`UnitMonth` with every problem found in it.

The file is read by tomli and checked record by record against the year's record schema
(:func:`scoring.ledger.schema.record_fields`). Invalid records are left out, each with its
problems; valid ones carry the line of their ``[[table]]`` header, the provenance of every
point computed from them.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .model import Adoption, Commission, Event, Info, Instruction, Record, Rules, UnitMonth
from .problems import Problem
from .schema import MONTH_DATE, RECORD_KINDS, Field, LineOf, check_array, check_table
from .tomlfile import Locator, decode, parse_toml

_HEADER = re.compile(r"^[^\S\n]*\[\[([^\n]*?)\]\]", re.MULTILINE)


class _Lines:
    """Where tables and keys are in one file's text, worked out once a message needs a line.

    Record headers come from one regular expression over the text (fast, and right unless a
    multi-line string holds a line starting with ``[[``: then the counts disagree with the
    parsed tables, and the exact :class:`Locator` is used instead).
    """

    def __init__(self, text: str, data: dict[str, Any]) -> None:
        self.text = text
        self._locator: Locator | None = None
        self.headers: dict[str, list[int]] = {}
        line, pos = 1, 0
        for m in _HEADER.finditer(text):
            line += text.count("\n", pos, m.start())
            pos = m.start()
            self.headers.setdefault(m[1].strip(), []).append(line)
        counts = {k: len(v) for k, v in data.items() if isinstance(v, list)}
        if any(len(self.headers.get(k, ())) != n for k, n in counts.items()):
            self.headers = {k: [self.locator.line(k, i) for i in range(n)]
                            for k, n in counts.items()}

    @property
    def locator(self) -> Locator:
        if self._locator is None:
            self._locator = Locator(self.text)
        return self._locator

    def header(self, kind: str, i: int) -> int:
        found = self.headers.get(kind, ())
        return found[i] if i < len(found) else self.locator.line(kind, i)

    def of(self, kind: str, i: int) -> LineOf:
        """The lines of the ``i``-th ``[[kind]]`` table: its header's, or a key's."""
        return lambda key: self.header(kind, i) if key is None \
            else self.locator.line(kind, i, key)


def parse_unit_month(raw: bytes, path: str, unit: str, year: int, month: int, rules: Rules,
                     fields: dict[str, dict[str, Field]]) -> tuple[UnitMonth, list[Problem]]:
    """Parse and check one unit file (``fields``: the year's record schema)."""
    empty = UnitMonth(unit, year, month, path)
    text, problems = decode(raw, path)
    if text is None:
        return empty, problems
    data, problems = parse_toml(text, path)
    if data is None:
        return empty, problems
    lines = _Lines(text, data)
    for key in data:
        if key not in fields:
            kinds = "、".join(f"[[{k}]]" for k in fields)
            problems.append(Problem(path, lines.locator.line(key), "E201",
                                    f"未知的表 {key}：本年度台账只有 {kinds} "
                                    f"{'一二三四五'[len(fields) - 1]}种记录；"
                                    "请检查拼写。"))
    records: dict[str, list[Any]] = {kind: [] for kind in RECORD_KINDS}  # kind → its records
    unusable: list[str] = []
    for kind in RECORD_KINDS:
        if kind not in data or kind not in fields:
            continue
        tables, found = check_array(data, kind, path, lines.of(kind, 0))
        problems += found
        date_key = MONTH_DATE[kind]
        for i, table in enumerate(tables):
            line_of = lines.of(kind, i)
            values, found = check_table(table, fields[kind], f"[[{kind}]]", path, line_of)
            problems += found
            if kind == "info" and isinstance(table.get("oa"), str):
                unusable.append(table["oa"])  # until the item is kept, below
            when = table.get(date_key)
            if type(when) is dt.date and (when.year != year or when.month != month):
                problems.append(Problem(path, line_of(date_key), "E207",
                                        f"{date_key} = {when} 不在本文件所属的 "
                                        f"{year} 年 {month} 月；"
                                        "记录应写在其日期所在月份的台账中。"))
                continue
            if values is None:
                continue
            if kind == "info" and all(k in values for k in ("kind", "topic") if k in table):
                found = _check_topic(values, rules, path, line_of)  # (a rejected one: reported)
                if found:
                    problems += found
                    continue
            records[kind].append(_record(kind, values, unit, path, line_of(None), rules))
            if kind == "info":
                unusable.pop()
    got = [tuple(records[k]) for k in RECORD_KINDS]
    return UnitMonth(unit, year, month, path, got[0], got[1], got[2], got[3], got[4],
                     tuple(unusable)), problems


def _check_topic(values: dict[str, Any], rules: Rules, path: str,
                 line_of: LineOf) -> list[Problem]:
    """A 专报 names its topic (E208); any other item has none (E209)."""
    kind = values.get("kind") or rules.info_kind
    topics = "、".join(rules.topics)
    if kind == rules.special_kind and not values.get("topic"):
        return [Problem(path, line_of(None), "E208",
                        f"{rules.special_kind}必须填写 topic（{topics}）。")]
    if kind != rules.special_kind and values.get("topic"):
        return [Problem(path, line_of("topic"), "E209",
                        f"只有{rules.special_kind}填写 topic；本条为{kind}，请删除 topic，"
                        f'或改为 kind = "{rules.special_kind}"。')]
    return []


def _record(kind: str, v: dict[str, Any], unit: str, path: str, line: int,
            rules: Rules) -> Record:
    """The record of a checked table (optional fields absent or blank are None)."""
    if kind == "info":
        return Info(v["oa"].strip(), v["title"].strip(), v["date"],
                    v.get("kind") or rules.info_kind, v.get("topic"), v.get("note"),
                    unit, path, line)
    if kind == "adoption":
        return Adoption(v["oa"].strip(), v["by"], v["date"], v.get("issue"), v.get("note"),
                        unit, path, line)
    if kind == "instruction":
        return Instruction(v["oa"].strip(), v["level"], v["date"], v.get("leader"),
                           v.get("note"), unit, path, line)
    if kind == "commission":
        return Commission(v["title"].strip(), v["due"], v.get("delivered"), v.get("note"),
                          unit, path, line)
    return Event(v["kind"], v["date"], v.get("note"), unit, path, line)
