"""JSON Schemas (draft-07) of the ledger's files, for editors: completion and flagged typos.

They are generated from the one schema the checker uses (:func:`record_fields` for a unit's
month file, the field tables of :mod:`scoring.ledger.config` for units.toml and rules.toml),
never written by hand. A month file's allowed values (channels, levels, event kinds, topics)
are that year's rules, so its schema lives in the year: ``<YYYY>/.schema/unit.schema.json``
(the loader ignores dot-folders), and every file ``new-month`` writes names it on its first
line with taplo's ``#:schema`` directive. units.toml and rules.toml do not depend on the year;
their schemas ship with the package (``scoring/ledger/schemas/``) and sit in the ledger too.

The checker remains the authority: a schema cannot say that a date falls in the file's month,
nor that an OA number is unique. TOML dates reach the schema as taplo gives them: RFC 3339
strings, checked with ``"format": "date"``.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from .config import RULES_TABLES, UNIT_FIELDS
from .model import Rules
from .schema import Field, record_fields

DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_DIR = ".schema"
UNIT_SCHEMA = "unit.schema.json"
CONFIG_SCHEMAS = {"units.toml": "units.schema.json", "rules.toml": "rules.schema.json"}
PACKAGED = Path(__file__).with_name("schemas")
# The line that opens every month file ``new-month`` writes (relative to ``<YYYY>/<MM>/``).
SCHEMA_LINE = f"#:schema ../{SCHEMA_DIR}/{UNIT_SCHEMA}\n"

RECORD_TITLES = {"info": "报送信息", "adoption": "采用", "instruction": "领导批示",
                 "commission": "上级约稿", "event": "综合考评事项"}
# What the editor shows beside a month file's keys (the words of new-month's template).
RECORD_HELP = {
    "info": {"oa": "OA 编号，必填，全部台账中唯一", "title": "标题，必填",
             "date": "报送日期，必填，须在本月内（不加引号）", "kind": "种类，不填即为{info}",
             "topic": "{special}类别，仅{special}填写", "note": "备注"},
    "adoption": {"oa": "本单位已登记信息的 OA 编号", "by": "采用渠道",
                 "date": "采用日期，须在本月内", "issue": "刊物期号", "note": "备注"},
    "instruction": {"oa": "本单位已登记信息的 OA 编号", "level": "批示级别",
                    "date": "批示日期，须在本月内", "leader": "批示领导", "note": "备注"},
    "commission": {"title": "约稿题目", "due": "截止日期，记在其所在月份",
                   "delivered": "完成日期；未完成或逾期视为未按要求完成", "note": "备注"},
    "event": {"kind": "事项种类", "date": "事项日期，须在本月内", "note": "备注"},
}


def field_schema(field: Field) -> dict[str, Any]:
    """One key's schema: its JSON type, its allowed values or range."""
    out: dict[str, Any]
    if field.type is dt.date:
        out = {"type": "string", "format": "date"}
    elif field.type is bool:
        out = {"type": "boolean"}
    elif field.type is int:
        out = {"type": "integer"}
        if field.bounds is not None:
            out["minimum"], out["maximum"] = field.bounds
    elif field.type is list:
        out = {"type": "array", "items": {"type": "string"}}
    elif field.type is dict:
        out = {"type": "object"}
    else:
        out = {"type": "string"}
        if field.required:
            out["minLength"] = 1
    if field.choices is not None:
        out["enum"] = list(field.choices)
    return out


def table_schema(fields: dict[str, Field], title: str = "",
                 help: dict[str, str] | None = None) -> dict[str, Any]:
    """A table of ``fields``: no other key, the required ones present; ``help`` describes keys."""
    out: dict[str, Any] = {"type": "object"}
    if title:
        out["title"] = title
    out["properties"] = {name: field_schema(f) for name, f in fields.items()}
    for name, text in (help or {}).items():
        if name in out["properties"]:
            out["properties"][name]["description"] = text
    required = [name for name, f in fields.items() if f.required]
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def _array(table: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": table}


def _document(title: str, properties: dict[str, Any],
              required: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"$schema": DRAFT, "title": title, "type": "object",
                           "properties": properties}
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def unit_month_schema(rules: Rules, year: int) -> dict[str, Any]:
    """The schema of a unit's month file of ``year``, allowed values from its rules."""
    kinds = record_fields(rules)
    words = {"info": rules.info_kind, "special": rules.special_kind}
    help = {kind: {k: text.format(**words) for k, text in texts.items()}
            for kind, texts in RECORD_HELP.items()}
    return _document(f"{year} 年度单位月度台账", {
        kind: _array(table_schema(fields, f"[[{kind}]] {RECORD_TITLES.get(kind, '')}".strip(),
                                  help.get(kind)))
        for kind, fields in kinds.items()})


def units_schema() -> dict[str, Any]:
    """The schema of units.toml."""
    return _document("年度考评单位 units.toml",
                     {"unit": _array(table_schema(UNIT_FIELDS, "[[unit]] 考评单位"))}, ["unit"])


def rules_schema() -> dict[str, Any]:
    """The schema of rules.toml: its tables and arrays of tables."""
    properties = {}
    for name, spec in RULES_TABLES.items():
        table = table_schema(spec.fields, f"[[{name}]]" if spec.array else f"[{name}]")
        properties[name] = _array(table) if spec.array else table
    required = [name for name, spec in RULES_TABLES.items() if spec.required]
    return _document("考评规则 rules.toml", properties, required)


def dumps(schema: dict[str, Any]) -> bytes:
    """A schema as the bytes written: stable key order, UTF-8, one trailing newline."""
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def config_schemas() -> dict[str, bytes]:
    """The year-independent schemas, by file name (as shipped in the package)."""
    return {CONFIG_SCHEMAS["units.toml"]: dumps(units_schema()),
            CONFIG_SCHEMAS["rules.toml"]: dumps(rules_schema())}


def write_schemas(ledger_dir: Path, year: int, rules: Rules) -> list[str]:
    """Write the year's month-file schema and the ledger's config schemas where they differ.

    Returns the files written, relative to ``ledger_dir``. Same rules, same bytes.
    """
    wanted = {Path(f"{year:04d}") / SCHEMA_DIR / UNIT_SCHEMA: dumps(unit_month_schema(rules, year))}
    wanted.update({Path(SCHEMA_DIR) / name: data for name, data in config_schemas().items()})
    written = []
    for rel, data in wanted.items():
        target = ledger_dir / rel
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(rel.as_posix())
    return written
