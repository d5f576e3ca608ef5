"""A year's configuration: ``units.toml`` (who is scored) and ``rules.toml`` (the rulebook).

Both are validated like ledger files: every table and key against its fields (type, allowed
values, the range and sign of every number), every problem at the line of its key, in Chinese.
Unit ids become file names, so they are restricted to a safe alphabet. Nothing of the rulebook
is known to Python beyond the shape of this file: points, names, clauses and the pages' wording
all come from it, and the sections an office's rulebook does not have may be left out.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from .model import (
    Category,
    Channel,
    CommissionRule,
    Document,
    EventRule,
    InstructionLevel,
    Notice,
    PenaltyRule,
    Rules,
    ShortfallRule,
    Unit,
    Wording,
)
from .problems import Problem
from .schema import Field, LineOf, check_array, check_table
from .tomlfile import Locator, read_toml

UNIT_ID = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
POINTS = (-10_000, 10_000)   # any amount of points a rulebook gives for one thing
GAIN, LOSS = (0, 10_000), (-10_000, 0)

CODE = Field(str, True, code=True)  # a name records refer to: written exactly, no spaces around
UNIT_FIELDS = {"id": CODE, "name": Field(str, True),
               "category": Field(int, True, bounds=(1, 99))}
TARGET = Field(int, False, bounds=(0, 100_000))  # absent or 0: no target
CATEGORY_FIELDS = {"id": Field(int, True, bounds=(1, 99)), "name": Field(str, True),
                   "submitted": TARGET, "adopted": TARGET, "special_submitted": TARGET,
                   "special_adopted": TARGET, "clause": Field(str, False)}
KINDS_FIELDS = {"info": CODE, "special": CODE,
                "topics": Field(list, True), "clause": Field(str, False)}
CHANNEL_FIELDS = {"kind": CODE, "by": CODE, "name": Field(str, True),
                  "points": Field(int, True, bounds=GAIN), "clause": Field(str, False)}
LEVEL_FIELDS = {"level": CODE, "name": Field(str, True),
                "points": Field(int, True, bounds=GAIN), "clause": Field(str, False)}
COMMISSION_FIELDS = {"on_time_name": Field(str, True),
                     "on_time_points": Field(int, True, bounds=GAIN),
                     "on_time_clause": Field(str, False),
                     "missed_points": Field(int, True, bounds=LOSS),
                     "missed_clause": Field(str, False), "missed_reason": Field(str, True)}
EVENT_FIELDS = {"kind": CODE, "name": Field(str, True),
                "points": Field(int, True, bounds=POINTS), "once_per_year": Field(bool, True),
                "criticism": Field(bool, True), "penalty": Field(bool, True),
                "clause": Field(str, False)}
PENALTY_FIELDS = {"percent": Field(int, True, bounds=(1, 100)), "clause": Field(str, False)}
SHORTFALL_FIELDS = {"submitted_points": Field(int, True, bounds=LOSS),
                    "adopted_points": Field(int, True, bounds=LOSS),
                    "special_submitted_points": Field(int, True, bounds=LOSS),
                    "special_adopted_points": Field(int, True, bounds=LOSS),
                    "clause": Field(str, False)}
DOCUMENT_FIELDS = {"title": Field(str), "number": Field(str), "issuer": Field(str),
                   "date": Field(dt.date)}
NOTICE_FIELDS = {"issuer": Field(str), "number": Field(str), "recipients": Field(str),
                 "signer": Field(str), "date": Field(dt.date), "copy_to": Field(str),
                 "printed_by": Field(str), "printed_on": Field(dt.date)}
WORDING_FIELDS = {name: Field(list if name == "notice_title" else str)
                  for name in Wording._fields}


class TableSpec(NamedTuple):
    """One table of rules.toml: its fields, whether an array ``[[…]]`` (keyed by ``key``),
    and whether the rulebook must have it."""

    fields: dict[str, Field]
    array: bool
    required: bool
    key: tuple[str, ...] = ()


RULES_TABLES = {
    "document": TableSpec(DOCUMENT_FIELDS, False, False),
    "notice": TableSpec(NOTICE_FIELDS, False, False),
    "wording": TableSpec(WORDING_FIELDS, False, False),
    "kinds": TableSpec(KINDS_FIELDS, False, True),
    "category": TableSpec(CATEGORY_FIELDS, True, True, ("id",)),
    "channel": TableSpec(CHANNEL_FIELDS, True, True, ("kind", "by")),
    "instruction": TableSpec(LEVEL_FIELDS, True, False, ("level",)),
    "commission": TableSpec(COMMISSION_FIELDS, False, False),
    "event": TableSpec(EVENT_FIELDS, True, False, ("kind",)),
    "penalty": TableSpec(PENALTY_FIELDS, False, False),
    "shortfall": TableSpec(SHORTFALL_FIELDS, False, False),
}


def lines_in(loc: Locator, *table: Any) -> LineOf:
    """The lines of the keys of one table of a located file (its header's for ``None``)."""
    return lambda key: loc.line(*table) if key is None else loc.line(*table, key)


def load_units(raw: bytes, path: str) -> tuple[tuple[Unit, ...] | None, list[Problem]]:
    """The year's units in registry order, or ``None`` when the file has any error (the year's
    month files are then not checked: each would be "not a unit" for the same cause)."""
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
                                    f"单位 id “{uid}” 不合规则：只能用小写字母、"
                                    "数字和连字符，以字母开头（它将用作文件名）。"))
        elif uid in seen:
            problems.append(Problem(path, line, "E402",
                                    f"单位 id {uid} 重复，首次出现在第 {seen[uid]} 行。"))
        else:
            seen[uid] = line
            units.append(Unit(uid, values["name"].strip(), values["category"], len(units),
                              loc.line("unit", i)))
    if not tables and not problems:
        problems.append(Problem(path, 0, "E402",
                                "units.toml 中没有任何 [[unit]]：请登记本年度考评的单位。"))
    if any(p.is_error for p in problems):  # one cause, one error: no E103 for every file
        return None, problems               # of a unit the registry failed to define
    return tuple(units), problems


class _Reader:
    """One rules.toml: its tables checked one by one, every problem collected."""

    def __init__(self, data: dict[str, Any], loc: Locator, path: str) -> None:
        self.data, self.loc, self.path = data, loc, path
        self.problems: list[Problem] = []

    def problem(self, line: int, code: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, code, message))

    def table(self, name: str) -> dict[str, Any] | None:
        spec = RULES_TABLES[name]
        if name not in self.data:
            if spec.required:
                self.problem(0, "E403", f"rules.toml 缺少 [{name}]。")
            return None
        values, found = check_table(self.data[name], spec.fields, f"[{name}]", self.path,
                                    lines_in(self.loc, name))
        self.problems += found
        return values

    def array(self, name: str) -> dict[Any, tuple[dict[str, Any], int]]:
        """The tables of ``[[name]]`` by their key, with their header lines."""
        spec = RULES_TABLES[name]
        tables, found = check_array(self.data, name, self.path, lines_in(self.loc, name))
        self.problems += found
        out: dict[Any, tuple[dict[str, Any], int]] = {}
        for i, table in enumerate(tables):
            values, found = check_table(table, spec.fields, f"[[{name}]]", self.path,
                                        lines_in(self.loc, name, i))
            self.problems += found
            if values is None:
                continue
            key = tuple(values[k] for k in spec.key)
            line = self.loc.line(name, i)
            if key in out:
                what = "、".join(f"{k} = “{v}”" for k, v in zip(spec.key, key, strict=True))
                self.problem(line, "E403", f"[[{name}]] {what} 重复：第 {out[key][1]} 行已定义。")
                continue
            out[key] = (values, line)
        if not tables and spec.required:
            self.problem(0, "E403", f"rules.toml 缺少 [[{name}]]。")
        return out


def load_rules(raw: bytes, path: str) -> tuple[Rules | None, list[Problem]]:
    """The rulebook of one year, or ``None`` with every problem found in it."""
    doc, problems = read_toml(raw, path)
    if doc is None:
        return None, problems
    r = _Reader(doc.data, Locator(doc.text), path)
    for key in doc.data:
        if key not in RULES_TABLES:
            r.problem(r.loc.line(key), "E201",
                      f"rules.toml 中没有 {key} 这一项（可用：{'、'.join(RULES_TABLES)}）。")
    kinds = r.table("kinds")
    if kinds is not None:
        topics = kinds["topics"]
        if not topics or not all(isinstance(t, str) and t.strip() for t in topics):
            r.problem(r.loc.line("kinds", "topics"), "E205", "topics 应为非空的文字列表。")
            kinds = None
        elif any(t != t.strip() for t in topics):
            fixed = ", ".join(f'"{t.strip()}"' for t in topics)
            r.problem(r.loc.line("kinds", "topics"), "E206",
                      f"[kinds] 的 topics 中有前后带空格的取值；应写作 topics = [{fixed}]。")
            kinds = None
        elif kinds["info"] == kinds["special"]:
            r.problem(r.loc.line("kinds", "special"), "E403",
                      "[kinds] 的 info 与 special 不能相同。")
            kinds = None
    categories = {k[0]: Category(v["id"], v["name"], v.get("submitted", 0), v.get("adopted", 0),
                                 v.get("special_submitted", 0), v.get("special_adopted", 0),
                                 v.get("clause", "")) for k, (v, _) in r.array("category").items()}
    channels = {k: Channel(**{"clause": "", **v}) for k, (v, _) in r.array("channel").items()}
    if kinds is not None:
        for i, table in enumerate(doc.data.get("channel", []) if isinstance(
                doc.data.get("channel"), list) else []):
            kind = table.get("kind") if isinstance(table, dict) else None
            if isinstance(kind, str) and kind not in (kinds["info"], kinds["special"]):
                r.problem(r.loc.line("channel", i, "kind"), "E403",
                          f"[[channel]] 的 kind = “{kind}” 不是 [kinds] 中的种类"
                          f"（{kinds['info']}、{kinds['special']}）。")
    levels = {k[0]: InstructionLevel(**{"clause": "", **v})
              for k, (v, _) in r.array("instruction").items()}
    events = {k[0]: EventRule(**{"clause": "", **v}) for k, (v, _) in r.array("event").items()}
    commission = r.table("commission")
    penalty = r.table("penalty")
    shortfall = r.table("shortfall")
    if "penalty" not in doc.data:  # (an invalid [penalty] is reported as such, once)
        for i, table in enumerate(doc.data.get("event", []) if isinstance(
                doc.data.get("event"), list) else []):
            if isinstance(table, dict) and table.get("penalty") is True:
                r.problem(r.loc.line("event", i, "penalty"), "E403",
                          "事项设为 penalty = true，但 rules.toml 没有 [penalty]（扣除的百分比）。")
    wording = _wording(r)
    document = Document(**(r.table("document") or {}))
    notice = Notice(**(r.table("notice") or {}))
    if r.problems or kinds is None:
        return None, r.problems
    r.problems += _notice_reminder(doc.data.get("notice"), r)
    return Rules(path, document, notice, wording, categories, kinds["info"], kinds["special"],
                 tuple(kinds["topics"]), channels, levels,
                 CommissionRule(**{"on_time_clause": "", "missed_clause": "", **commission})
                 if commission else None, events,
                 PenaltyRule(penalty["percent"], penalty.get("clause", "")) if penalty else None,
                 ShortfallRule(**{"clause": "", **shortfall}) if shortfall else None), r.problems


def _notice_reminder(notice: Any, r: _Reader) -> list[Problem]:
    """W401 while a year's ``[notice]`` lacks its 发文字号 or 成文日期 (a new year starts so):
    the annual page says 文号待定 until they are filled."""
    if not isinstance(notice, dict):
        return []
    missing = [label for key, label in (("number", "发文字号 number"), ("date", "成文日期 date"))
               if not notice.get(key)]
    if not missing:
        return []
    return [Problem(r.path, r.loc.line("notice"), "W401",
                    f"年度通报尚未填写{'、'.join(missing)}，通报页上暂显示“文号待定”“日期待定”；"
                    "印发前请在 [notice] 中填写。")]


def _wording(r: _Reader) -> Wording:
    """``[wording]``: the pages' words; titles must be formats of ``{year}`` and ``{month}``."""
    values = r.table("wording") or {}
    for name in ("site_title", "bulletin_title", "notice_title"):
        lines = values.get(name)
        texts = lines if isinstance(lines, list) else [lines] if lines is not None else []
        for text in texts:
            try:
                if not isinstance(text, str):
                    raise ValueError
                text.format(year=2023, month=5)
            except (KeyError, ValueError, IndexError):
                r.problem(r.loc.line("wording", name), "E206",
                          f"[wording] 的 {name} 应为文字，"
                          "其中只能用 {year}、{month} 两个占位符。")
                values.pop(name, None)
                break
    if "notice_title" in values:
        values["notice_title"] = tuple(values["notice_title"])
    return Wording(**values)


def check_unit_categories(units: tuple[Unit, ...], rules: Rules, path: str) -> list[Problem]:
    """Every unit's category must be one of the rules' categories."""
    known = "、".join(str(c) for c in sorted(rules.categories))
    return [Problem(path, u.line, "E402",
                    f"单位 {u.id} 的类别 {u.category} 不在 rules.toml 的 [[category]] 中"
                    f"（已定义：{known}）。")
            for u in units if u.category not in rules.categories]
