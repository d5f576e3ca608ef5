"""Checking TOML against the editors' JSON Schemas as taplo does (no tests here).

    v = validator(unit_month_schema(rules, 2023))
    assert errors(v, path.read_text(encoding="utf-8")) == []
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import jsonschema
import tomli


def as_taplo_sees(value: Any) -> Any:
    """TOML data as JSON the way taplo hands it to the schema: dates as RFC 3339 strings."""
    if isinstance(value, dict):
        return {k: as_taplo_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_taplo_sees(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return value


def validator(schema: dict[str, Any]) -> jsonschema.Draft7Validator:
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def errors(v: jsonschema.Draft7Validator, text: str) -> list[str]:
    return [e.message for e in v.iter_errors(as_taplo_sees(tomli.loads(text)))]
