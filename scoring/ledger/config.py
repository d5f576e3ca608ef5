"""A year's configuration: ``units.toml`` (who is scored) and ``rules.toml`` (the rulebook).

Both are validated like ledger files. Unit ids become file names, so they are restricted to a
safe alphabet; nothing of the rulebook is known to Python beyond the shape of this file.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .model import (
    Category,
    Channel,
    CommissionRule,
    EventRule,
    InstructionLevel,
    Rules,
    ShortfallRule,
    Unit,
)
from .problems import Problem
from .schema import Field, LineOf, check_array, check_table
from .tomlfile import Locator, read_toml

UNIT_ID = re.compile(r"^[a-z][a-z0-9-]{0,31}$")

UNIT_FIELDS = {"id": Field(str, True), "name": Field(str, True), "category": Field(int, True)}
CATEGORY_FIELDS = {"id": Field(int, True), "name": Field(str, True),
                   "submitted": Field(int, True), "adopted": Field(int, True),
                   "special_submitted": Field(int, True), "special_adopted": Field(int, True),
                   "clause": Field(str, True)}
KINDS_FIELDS = {"info": Field(str, True), "special": Field(str, True),
                "topics": Field(list, True), "clause": Field(str, False)}
CHANNEL_FIELDS = {"kind": Field(str, True), "by": Field(str, True), "name": Field(str, True),
                  "points": Field(int, True), "clause": Field(str, True)}
LEVEL_FIELDS = {"level": Field(str, True), "name": Field(str, True),
                "points": Field(int, True), "clause": Field(str, True)}
COMMISSION_FIELDS = {k: Field(int if k.endswith("points") else str, True)
                     for k in CommissionRule._fields}
EVENT_FIELDS = {"kind": Field(str, True), "name": Field(str, True), "points": Field(int, True),
                "once_per_year": Field(bool, True), "criticism": Field(bool, True),
                "penalty": Field(bool, True), "clause": Field(str, True)}
PENALTY_FIELDS = {"percent": Field(int, True), "clause": Field(str, True)}
SHORTFALL_FIELDS = {k: Field(int if k.endswith("points") else str, True)
                    for k in ShortfallRule._fields}
FREE_TABLE = Field(dict, False)
RULES_TABLES = ("document", "notice", "category", "kinds", "channel", "instruction",
                "commission", "event", "penalty", "shortfall")


def lines_in(loc: Locator, *table: Any) -> LineOf:
    """The lines of the keys of one table of a located file (its header's for ``None``)."""
    return lambda key: loc.line(*table) if key is None else loc.line(*table, key)


def load_units(raw: bytes, path: str) -> tuple[tuple[Unit, ...] | None, list[Problem]]:
    """The year's units in registry order, or ``None`` when the file is unusable."""
    doc, problems = read_toml(raw, path)
    if doc is None:
        return None, problems
    loc = Locator(doc.text)
    for key in doc.data:
        if key != "unit":
            problems.append(Problem(path, loc.line(key), "E201",
                                    f"units.toml 只能包含 [[unit]] 表，不能有 {key}。"))
    tables, found = check_array(doc.data, "unit", path, lines_in(loc, "unit"))
    problems += found
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for i, table in enumerate(tables):
        values, found = check_table(table, UNIT_FIELDS, "[[unit]]", path,
                                    lines_in(loc, "unit", i))
        problems += found
        if values is None:
            continue
        line = loc.line("unit", i, "id")
        uid = values["id"]
        if not UNIT_ID.match(uid):
            problems.append(Problem(path, line, "E402",
                                    f"单位 id {uid!r} 不合规则：只能用小写字母、"
                                    "数字和连字符，以字母开头（它将用作文件名）。"))
        elif uid in seen:
            problems.append(Problem(path, line, "E402",
                                    f"单位 id {uid} 重复，首次出现在第 {seen[uid]} 行。"))
        else:
            seen[uid] = line
            units.append(Unit(uid, values["name"].strip(), values["category"], len(units),
                              loc.line("unit", i)))
    if not tables and not problems:
        problems.append(Problem(path, 1, "E402", "units.toml 中没有任何 [[unit]]。"))
    return tuple(units), problems


def load_rules(raw: bytes, path: str) -> tuple[Rules | None, list[Problem]]:
    """The rulebook of one year, or ``None`` with every problem found in it."""
    doc, problems = read_toml(raw, path)
    if doc is None:
        return None, problems
    loc, data = Locator(doc.text), doc.data
    for key in data:
        if key not in RULES_TABLES:
            problems.append(Problem(path, loc.line(key), "E201",
                                    f"rules.toml 中没有 {key} 这一项"
                                    f"（可用：{'、'.join(RULES_TABLES)}）。"))

    def table(name: str, fields: dict[str, Field]) -> dict[str, Any] | None:
        if name not in data:
            problems.append(Problem(path, 1, "E403", f"rules.toml 缺少 [{name}]。"))
            return None
        values, found = check_table(data[name], fields, f"[{name}]", path, lines_in(loc, name))
        problems.extend(found)
        return values

    def array(name: str, fields: dict[str, Field], key: str) -> dict[Any, dict[str, Any]]:
        tables, found = check_array(data, name, path, lines_in(loc, name))
        problems.extend(found)
        out: dict[Any, dict[str, Any]] = {}
        for i, t in enumerate(tables):
            values, found = check_table(t, fields, f"[[{name}]]", path, lines_in(loc, name, i))
            problems.extend(found)
            if values is None:
                continue
            k = tuple(values[p] for p in key.split("+")) if "+" in key else values[key]
            if k in out:
                problems.append(Problem(path, loc.line(name, i), "E403",
                                        f"[[{name}]] 重复：{k} 已定义过。"))
            out[k] = values
        if not tables:
            problems.append(Problem(path, 1, "E403", f"rules.toml 缺少 [[{name}]]。"))
        return out

    kinds = table("kinds", KINDS_FIELDS)
    if kinds and not all(isinstance(t, str) for t in kinds["topics"]):
        problems.append(Problem(path, loc.line("kinds", "topics"), "E205", "topics 应为文字列表。"))
    categories = {k: Category(**v) for k, v in array("category", CATEGORY_FIELDS, "id").items()}
    channels = {k: Channel(**v) for k, v in array("channel", CHANNEL_FIELDS, "kind+by").items()}
    levels = {k: InstructionLevel(**v) for k, v in
              array("instruction", LEVEL_FIELDS, "level").items()}
    events = {k: EventRule(**v) for k, v in array("event", EVENT_FIELDS, "kind").items()}
    commission = table("commission", COMMISSION_FIELDS)
    penalty = table("penalty", PENALTY_FIELDS)
    shortfall = table("shortfall", SHORTFALL_FIELDS)
    if kinds:
        for (kind, by) in channels:
            if kind not in (kinds["info"], kinds["special"]):
                problems.append(Problem(path, 1, "E403",
                                        f"[[channel]] {by} 的 kind {kind!r} "
                                        "不是 [kinds] 中的种类。"))
    document = _free_table(data, "document", path, loc, problems)
    notice = _free_table(data, "notice", path, loc, problems)
    if problems or not (kinds and commission and penalty and shortfall):
        return None, problems
    return Rules(path, document, notice, categories, kinds["info"], kinds["special"],
                 tuple(kinds["topics"]), channels, levels, CommissionRule(**commission), events,
                 penalty["percent"], penalty["clause"], ShortfallRule(**shortfall)), problems


def _free_table(data: dict[str, Any], name: str, path: str, loc: Locator,
                problems: list[Problem]) -> dict[str, Any]:
    """A descriptive table (document, notice): any keys, values of simple types."""
    value = data.get(name, {})
    if not isinstance(value, dict):
        problems.append(Problem(path, loc.line(name), "E205", f"[{name}] 应为表。"))
        return {}
    for key, v in value.items():
        if not isinstance(v, (str, int, dt.date)) or isinstance(v, (bool, dt.datetime)):
            problems.append(Problem(path, loc.line(name, key), "E205",
                                    f"[{name}] 的 {key} 应为文字、整数或日期。"))
    return dict(value)


def check_unit_categories(units: tuple[Unit, ...], rules: Rules, path: str) -> list[Problem]:
    """Every unit's category must be one of the rules' categories."""
    return [Problem(path, u.line, "E402",
                    f"单位 {u.id} 的类别 {u.category} 不在 rules.toml 的 [[category]] 中。")
            for u in units if u.category not in rules.categories]
