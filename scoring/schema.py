"""Field-by-field checking of TOML tables against a declared schema.

Shared by the configuration files and the monthly ledgers, so that a typo in rules.toml is
reported exactly like a typo in a unit's file: ``path:line: CODE message``.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, NamedTuple

from .problems import Problem
from .source import Locator

TYPE_NAMES = {str: "文字（用英文双引号括起）", int: "整数", bool: "true 或 false",
              dt.date: "日期（如 2023-05-12，不加引号）", list: "列表（如 [\"a\", \"b\"]）"}


class Field(NamedTuple):
    """One key of a table: its type, whether required, and the allowed values (if a set)."""

    type: type
    required: bool = False
    choices: Callable[[], tuple[Any, ...]] | None = None


def type_ok(value: Any, expected: type) -> bool:
    if expected is dt.date:
        return type(value) is dt.date
    if expected is int:
        return type(value) is int
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


def check_table(table: Any, fields: dict[str, Field], where: tuple[Any, ...], what: str,
                loc: Locator, path: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Check one table. Returns its valid values (``None`` if any required one is unusable).

    ``where`` locates the table (``("info", 3)``), ``what`` names it in messages (``[[info]]``).
    Unknown keys (E202), missing (E203) and empty (E204) required fields, wrong types (E205) and
    values outside ``choices`` (E206) are all reported.
    """
    header = loc.line(*where)
    if not isinstance(table, dict):
        return None, [Problem(path, header, "E205", f"{what} 应为表（用 [{what}] 形式书写）。")]
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    usable = True
    for key in table:
        if key not in fields:
            allowed = "、".join(fields)
            problems.append(Problem(path, loc.line(*where, key), "E202",
                                    f"{what} 中没有字段 {key}（可用字段：{allowed}）；请检查拼写。"))
    for name, field in fields.items():
        if name not in table:
            if field.required:
                usable = False
                problems.append(Problem(path, header, "E203", f"{what} 缺少必填字段 {name}。"))
            continue
        value, line = table[name], loc.line(*where, name)
        if not type_ok(value, field.type):
            problems.append(_type_problem(value, field.type, name, path, line))
            usable = usable and not field.required
            continue
        if isinstance(value, str) and not value.strip():
            if field.required:
                usable = False
                problems.append(Problem(path, line, "E204", f"{what} 的必填字段 {name} 为空。"))
                continue
            value = None
        elif field.choices is not None and value not in field.choices():
            allowed = "、".join(str(c) for c in field.choices())
            problems.append(Problem(path, line, "E206",
                                    f"{name} = “{value}” 不是允许的取值（可选：{allowed}）。"))
            usable = usable and not field.required
            continue
        values[name] = value
    return (values if usable else None), problems


def check_array(data: dict[str, Any], name: str, path: str,
                loc: Locator) -> tuple[list[Any], list[Problem]]:
    """The array of tables ``name`` of ``data`` (empty when absent), or an E205 problem."""
    value = data.get(name, [])
    if isinstance(value, list) and all(isinstance(t, dict) for t in value):
        return value, []
    return [], [Problem(path, loc.line(name), "E205",
                        f"{name} 应为表数组，每条记录以 [[{name}]] 开头。")]
