"""The record schema, and field-by-field checking of TOML tables against a schema.

One place knows the fields of the five record kinds (:func:`record_fields`); the configuration
files are checked by the same :func:`check_table`, so that a typo in rules.toml is reported
exactly like a typo in a unit's file: ``path:line: CODE message``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from .model import Rules
from .problems import Problem

TYPE_NAMES = {str: "文字（用英文双引号括起）", int: "整数", bool: "true 或 false",
              dt.date: "日期（如 2023-05-12，不加引号）", list: "列表（如 [\"a\", \"b\"]）",
              dict: "表"}

# Finds the line of a key (or of the table, for ``None``) only when a problem needs it.
LineOf = Callable[[str | None], int]


class Field(NamedTuple):
    """One key of a table: its type, whether required, the allowed values (if a set) and, for
    a number, its least and greatest value."""

    type: type
    required: bool = False
    choices: tuple[Any, ...] | None = None
    bounds: tuple[int, int] | None = None


RECORD_KINDS = ("info", "adoption", "instruction", "commission", "event")
# Which key's date must fall inside the file's month, per record kind.
MONTH_DATE = {"info": "date", "adoption": "date", "instruction": "date",
              "commission": "due", "event": "date"}


def record_fields(rules: Rules) -> dict[str, dict[str, Field]]:
    """The fields of the record kinds (SPEC §2), allowed values taken from the rules; the
    kinds the rulebook has (no ``commission`` without its ``[commission]``)."""
    channels = tuple(dict.fromkeys(by for _, by in rules.channels))
    fields = {
        "info": {"oa": Field(str, True), "title": Field(str, True), "date": Field(dt.date, True),
                 "kind": Field(str, False, rules.kinds), "topic": Field(str, False, rules.topics),
                 "note": Field(str)},
        "adoption": {"oa": Field(str, True), "by": Field(str, True, channels),
                     "date": Field(dt.date, True), "issue": Field(str), "note": Field(str)},
        "instruction": {"oa": Field(str, True), "level": Field(str, True, tuple(rules.levels)),
                        "date": Field(dt.date, True), "leader": Field(str), "note": Field(str)},
        "commission": {"title": Field(str, True), "due": Field(dt.date, True),
                       "delivered": Field(dt.date), "note": Field(str)},
        "event": {"kind": Field(str, True, tuple(rules.events)),
                  "date": Field(dt.date, True), "note": Field(str)},
    }
    if rules.commission is None:  # a rulebook without 约稿: no such record
        del fields["commission"]
    return fields


def type_ok(value: Any, expected: type) -> bool:
    if expected is dt.date or expected is int:
        return type(value) is expected  # not a datetime, not a bool
    return isinstance(value, expected)


def _type_problem(value: Any, expected: type, name: str, path: str, line: int) -> Problem:
    hint = ""
    if expected is dt.date and isinstance(value, str):
        hint = f"；日期不加引号，应写作 {name} = {value.strip()}"
    elif expected is dt.date and isinstance(value, dt.datetime):
        hint = f"；只填日期，不填时间，应写作 {name} = {value.date().isoformat()}"
    elif expected is str and not isinstance(value, (dict, list)):
        hint = f"；应写作 {name} = \"{value}\""
    return Problem(path, line, "E205",
                   f"字段 {name} 应为{TYPE_NAMES.get(expected, expected.__name__)}{hint}。")


def check_table(table: Any, fields: dict[str, Field], what: str, path: str,
                line_of: LineOf) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Check one table. Returns its valid values (``None`` if any required one is unusable).

    ``what`` names the table in messages (``[[info]]``); ``line_of(key)`` gives a key's line
    (``line_of(None)`` the table's). Unknown keys (E202), missing (E203) and empty (E204)
    required fields, wrong types (E205) and values outside ``choices`` (E206) are all reported.
    Blank optional text counts as absent.
    """
    if not isinstance(table, dict):
        return None, [Problem(path, line_of(None), "E205",
                              f"{what} 应为表（用 {what} 形式书写）。")]
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    usable = True
    for key in table:
        if key not in fields:
            allowed = "、".join(fields)
            problems.append(Problem(path, line_of(key), "E202",
                                    f"{what} 中没有字段 {key}（可用字段：{allowed}）；"
                                    "请检查拼写。"))
    for name, field in fields.items():
        if name not in table:
            if field.required:
                usable = False
                problems.append(Problem(path, line_of(None), "E203",
                                        f"{what} 缺少必填字段 {name}。"))
            continue
        value = table[name]
        if not type_ok(value, field.type):
            problems.append(_type_problem(value, field.type, name, path, line_of(name)))
            usable = usable and not field.required
            continue
        if isinstance(value, str) and not value.strip():
            if field.required:
                usable = False
                problems.append(Problem(path, line_of(name), "E204",
                                        f"{what} 的必填字段 {name} 为空。"))
            continue
        if field.bounds is not None and not field.bounds[0] <= value <= field.bounds[1]:
            problems.append(Problem(path, line_of(name), "E206",
                                    f"{name} = {value} 超出允许范围"
                                    f"（应为 {_range(field.bounds)}）。"))
            usable = usable and not field.required
            continue
        if field.choices is not None and value not in field.choices:
            allowed = "、".join(str(c) for c in field.choices)
            problems.append(Problem(path, line_of(name), "E206",
                                    f"{name} = “{value}” 不是允许的取值（可选：{allowed}）。"))
            usable = usable and not field.required
            continue
        values[name] = value
    return (values if usable else None), problems


def _range(bounds: tuple[int, int]) -> str:
    low, high = bounds
    if low == 0:
        return f"0 到 {high} 之间的整数（不能为负数）"
    if high == 0:
        return f"{low} 到 0 之间的整数（扣分写作负数）"
    return f"{low} 到 {high} 之间的整数"


def check_array(data: dict[str, Any], name: str, path: str,
                line_of: LineOf) -> tuple[list[Any], list[Problem]]:
    """The array of tables ``name`` of ``data`` (empty when absent), or an E205 problem at
    ``line_of(None)``."""
    value = data.get(name, [])
    if isinstance(value, list) and all(isinstance(t, dict) for t in value):
        return value, []
    return [], [Problem(path, line_of(None), "E205",
                        f"{name} 应为表数组，每条记录以 [[{name}]] 开头。")]
