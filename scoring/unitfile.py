"""Parsing one unit's month file into a :class:`UnitMonth`, with every problem found in it.

This is the hottest code of a build (a city ledger has 54,000 such files), so the common case
takes a fast path: plain files are read by :mod:`scoring.fasttoml` (which also gives the header
lines), the record schema is compiled once per year into sets (:class:`FastKind`), and records
are built without keyword parsing. Anything unusual falls back to the exact, slower checker of
:mod:`scoring.schema`, which produces the messages; both paths accept exactly the same records.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from . import fasttoml
from .model import Adoption, Commission, Event, Info, Instruction, Rules, UnitMonth
from .problems import Problem
from .schema import Field, check_array, check_table
from .source import Locator, decode, parse_toml

RECORD_KINDS = ("info", "adoption", "instruction", "commission", "event")
# Which key's date must fall inside the file's month, per record kind.
MONTH_DATE = {"info": "date", "adoption": "date", "instruction": "date",
              "commission": "due", "event": "date"}
_HEADER = re.compile(r"^[^\S\n]*\[\[([^\n]*?)\]\]", re.MULTILINE)
_new = tuple.__new__  # builds a NamedTuple from a tuple without its keyword-parsing __new__


class FastKind(NamedTuple):
    """One record kind's schema as sets: allowed key → (exact type, allowed values or None)."""

    allowed: dict[str, tuple[type, frozenset[Any] | None]]
    required: frozenset[str]


class Schema(NamedTuple):
    """The record schema of a year: exact fields (for messages) and their compiled form."""

    fields: dict[str, dict[str, Field]]
    fast: dict[str, FastKind]
    rules: Rules


def compile_schema(fields: dict[str, dict[str, Field]], rules: Rules) -> Schema:
    """Compile ``fields`` (see :func:`scoring.load.record_fields`) once for a year."""
    fast = {}
    for kind, spec in fields.items():
        allowed = {k: (f.type, frozenset(f.choices()) if f.choices else None)
                   for k, f in spec.items()}
        fast[kind] = FastKind(allowed, frozenset(k for k, f in spec.items() if f.required))
    return Schema(fields, fast, rules)


def header_lines(text: str) -> dict[str, list[int]]:
    """Line numbers of every ``[[name]]`` header, per name, in file order."""
    found: dict[str, list[int]] = {}
    line, pos = 1, 0
    for m in _HEADER.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        found.setdefault(m[1].strip(), []).append(line)
    return found


def _fast_ok(table: dict[str, Any], kind: FastKind) -> bool:
    """True when ``table`` is certainly valid (the exact checker would find nothing)."""
    if not kind.required <= table.keys():
        return False
    allowed = kind.allowed
    for key, value in table.items():
        spec = allowed.get(key)
        if spec is None or type(value) is not spec[0]:
            return False
        if spec[0] is str and (not value.strip() if spec[1] is None else value not in spec[1]):
            return False
    return True


def parse_unit_month(raw: bytes, path: str, unit: str, year: int, month: int,
                     schema: Schema) -> tuple[UnitMonth, list[Problem]]:
    """Parse and check one unit file. Invalid records are left out, with their problems."""
    text, problems = decode(raw, path)
    if text is None:
        return UnitMonth(unit, year, month, path), problems
    fast = fasttoml.loads(text)
    if fast is not None:
        data, headers = fast
    else:
        data, problems = parse_toml(text, path)
        headers = header_lines(text) if data else {}
    if not data:
        return UnitMonth(unit, year, month, path), problems
    loc: Locator | None = None

    def locator() -> Locator:
        nonlocal loc
        loc = loc or Locator(text)
        return loc
    records: dict[str, list[Any]] = {}
    for key in data:
        if key not in MONTH_DATE:
            problems.append(Problem(path, locator().line(key), "E201",
                                    f"未知的表 {key}：台账只有 [[info]]、[[adoption]]、[[instruction]]、"
                                    "[[commission]]、[[event]] 五种记录；请检查拼写。"))
    rules = schema.rules
    for kind in RECORD_KINDS:
        tables = data.get(kind)
        if tables is None:
            continue
        if type(tables) is not list or not all(type(t) is dict for t in tables):
            tables, found = check_array(data, kind, path, locator())
            problems += found
        lines = headers.get(kind, ())
        fast, date_key = schema.fast[kind], MONTH_DATE[kind]
        out = records[kind] = []
        for i, table in enumerate(tables):
            values: dict[str, Any] | None = table
            if not _fast_ok(table, fast):
                values, found = check_table(table, schema.fields[kind], (kind, i), f"[[{kind}]]",
                                            locator(), path)
                problems += found
            line = lines[i] if i < len(lines) else 1
            when = table.get(date_key)
            if type(when) is dt.date and (when.year != year or when.month != month):
                problems.append(Problem(path, locator().line(kind, i, date_key), "E207",
                                        f"{date_key} = {when} 不在本文件所属的 {year} 年 {month} 月；"
                                        "记录应写在其日期所在月份的台账中。"))
                continue
            if values is None:
                continue
            if kind == "info":
                found = _check_topic(values, rules, path, line,
                                     lambda i=i: locator().line("info", i, "topic"))
                if found:
                    problems += found
                    continue
            out.append(BUILDERS[kind](values, unit, path, line, rules))
    return UnitMonth(unit, year, month, path,
                     *(tuple(records.get(k, ())) for k in RECORD_KINDS)), problems


def _check_topic(values: dict[str, Any], rules: Rules, path: str, line: int,
                 topic_line: Callable[[], int]) -> list[Problem]:
    """A 专报 names its topic (E208); any other item has none (E209)."""
    kind = values.get("kind") or rules.info_kind
    topics = "、".join(rules.topics)
    if kind == rules.special_kind and not values.get("topic"):
        return [Problem(path, line, "E208", f"{rules.special_kind}必须填写 topic（{topics}）。")]
    if kind != rules.special_kind and values.get("topic"):
        return [Problem(path, topic_line(), "E209",
                        f"只有{rules.special_kind}填写 topic；本条为{kind}，请删除 topic，"
                        f'或改为 kind = "{rules.special_kind}"。')]
    return []


# The fast path admits no blank optional text, and check_table turns it into None: so ``get``.
def _info(v: dict[str, Any], unit: str, path: str, line: int, rules: Rules) -> Info:
    return _new(Info, (v["oa"].strip(), v["title"].strip(), v["date"],
                       v.get("kind") or rules.info_kind, v.get("topic"), v.get("note"),
                       unit, path, line))


def _adoption(v: dict[str, Any], unit: str, path: str, line: int, rules: Rules) -> Adoption:
    return _new(Adoption, (v["oa"].strip(), v["by"], v["date"], v.get("issue"),
                           v.get("note"), unit, path, line))


def _instruction(v: dict[str, Any], unit: str, path: str, line: int,
                 rules: Rules) -> Instruction:
    return _new(Instruction, (v["oa"].strip(), v["level"], v["date"], v.get("leader"),
                              v.get("note"), unit, path, line))


def _commission(v: dict[str, Any], unit: str, path: str, line: int,
                rules: Rules) -> Commission:
    return _new(Commission, (v["title"].strip(), v["due"], v.get("delivered"), v.get("note"),
                             unit, path, line))


def _event(v: dict[str, Any], unit: str, path: str, line: int, rules: Rules) -> Event:
    return _new(Event, (v["kind"], v["date"], v.get("note"), unit, path, line))


BUILDERS = {"info": _info, "adoption": _adoption, "instruction": _instruction,
            "commission": _commission, "event": _event}
