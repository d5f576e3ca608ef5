"""The record schema, and field-by-field checking of TOML tables against a schema.

One place knows the fields of the five record kinds (:func:`record_fields`); the configuration
files are checked by the same :func:`check_table`, so that a typo in rules.toml is reported
exactly like a typo in a unit's file: ``path:line: CODE message``.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
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
    a number, its least and greatest value.

    ``code``: the text names something (an OA number, a unit id, a channel) and is compared
    exactly, so it must be written without spaces around it. Every field with ``choices`` is a
    code too. Free text (a title, a note) is taken with surrounding spaces trimmed.
    ``oa``: an OA number, printable ASCII without spaces (the OA platform's form)."""

    type: type
    required: bool = False
    choices: tuple[Any, ...] | None = None
    bounds: tuple[int, int] | None = None
    code: bool = False
    oa: bool = False


OA = Field(str, True, code=True, oa=True)
_OA_FORM = re.compile(r"[!-~]+")  # printable ASCII, no space
_DATE_TEXT = re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?")


RECORD_KINDS = ("info", "adoption", "instruction", "commission", "event")
# Which key's date must fall inside the file's month, per record kind.
MONTH_DATE = {"info": "date", "adoption": "date", "instruction": "date",
              "commission": "due", "event": "date"}


def record_fields(rules: Rules) -> dict[str, dict[str, Field]]:
    """The fields of the record kinds (SPEC §2), allowed values taken from the rules; the
    kinds the rulebook has (no ``commission`` without its ``[commission]``)."""
    channels = tuple(dict.fromkeys(by for _, by in rules.channels))
    fields = {
        "info": {"oa": OA, "title": Field(str, True), "date": Field(dt.date, True),
                 "kind": Field(str, False, rules.kinds), "topic": Field(str, False, rules.topics),
                 "note": Field(str)},
        "adoption": {"oa": OA, "by": Field(str, True, channels),
                     "date": Field(dt.date, True), "issue": Field(str), "note": Field(str)},
        "instruction": {"oa": OA, "level": Field(str, True, tuple(rules.levels)),
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
        date = date_of_text(value)
        hint = (f"；日期不加引号，应写作 {name} = {date.isoformat()}" if date
                else f"；日期写作 {name} = 2023-05-12 的形式，不加引号")
    elif expected is dt.date and isinstance(value, dt.datetime):
        hint = f"；只填日期，不填时间，应写作 {name} = {value.date().isoformat()}"
    elif expected is str and not isinstance(value, (dict, list)):
        hint = f"；应写作 {name} = \"{value}\""
    # a date's hint says how to write it: the type's own example would say it again
    kind = "日期" if hint and expected is dt.date else TYPE_NAMES.get(expected, expected.__name__)
    return Problem(path, line, "E205", f"字段 {name} 应为{kind}{hint}。")


def date_of_text(text: str) -> dt.date | None:
    """The date a quoted text means (``"２０２４-01-05"``, ``"2024/1/5"``, ``"2024年1月5日"``),
    if it is one that exists."""
    m = _DATE_TEXT.fullmatch(unicodedata.normalize("NFKC", text).strip())
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])) if m else None
    except ValueError:
        return None


def half_width_oa(value: str) -> str | None:
    """The OA platform's form of a mistyped OA number (full-width → half-width), if clear."""
    folded = unicodedata.normalize("NFKC", value).strip()
    return folded if _OA_FORM.fullmatch(folded) else None


def _code_problem(value: str, field: Field, name: str, what: str) -> str | None:
    """What is wrong with a code written with spaces around it, or an OA number not in the
    platform's form (an E206 message); None when nothing is."""
    if field.oa and not _OA_FORM.fullmatch(value):
        fix = half_width_oa(value)
        how = f"应写作 {name} = \"{fix}\"" if fix else "请按 OA 平台上的编号填写"
        return (f"OA 编号 “{value}” 只能由半角字母、数字和符号组成，"
                f"不能有空格或全角字符；{how}。")
    if (field.code or field.choices is not None) and value != value.strip():
        return (f"{what} 的 {name} = “{value}” 前后有空格；"
                f"应写作 {name} = \"{value.strip()}\"。")
    return None


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
        # the line is looked up only for a problem: finding it means scanning the file's text
        found = _code_problem(value, field, name, what) if isinstance(value, str) else None
        if found is not None:
            problems.append(Problem(path, line_of(name), "E206", found))
            usable = usable and not field.required
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
