"""A fast reader for the plain TOML that ledger files are made of, exact or silent.

Unit files use a small part of TOML: ``[[table]]`` headers, ``key = "text"`` and
``key = 2023-05-12`` lines, comments and blank lines. One regular expression run over the whole
text (:data:`LINE`, a loop in C) reads such a file about twice as fast as compiled tomli, and
gives every line's number for free. The rule is exactness: :func:`loads` returns exactly what
``tomli.loads`` returns, or ``None`` when the text uses anything else (any other kind of value,
quoted or dotted keys, escapes, a repeated key, an impossible date, a syntax error…), and the
caller then uses tomli, which also explains errors. ``tests/test_fasttoml.py`` holds it to that.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

# One line of the plain subset: optional whitespace, then a header, a key = "basic string"
# (no escapes, no control characters) or a key = local date, then optional whitespace and
# comment (a CR only as part of CRLF). Every line must match, or the text is not in the subset.
LINE = re.compile(
    r"^[ \t]*(?:\[\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]\]"
    r"|([A-Za-z0-9_-]+)[ \t]*=[ \t]*"
    r"(?:\"([^\"\\\x00-\x08\x0a-\x1f\x7f]*)\"|([0-9]{4}-[0-9]{2}-[0-9]{2})))?"
    r"[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?(?:\r(?=\n))?$", re.MULTILINE)
_date = dt.date.fromisoformat


def loads(text: str) -> tuple[dict[str, Any], dict[str, list[int]]] | None:
    """``(tomli.loads(text), header lines per table name)``, or None outside the subset."""
    rows = LINE.findall(text)
    if len(rows) != text.count("\n") + 1:
        return None  # some line is not plain: let tomli read the file
    data: dict[str, Any] = {}
    headers: dict[str, list[int]] = {}
    table = data
    try:
        for number, (header, key, text_value, date_value) in enumerate(rows, 1):
            if header:
                tables = data.get(header)
                if tables is None:
                    tables = data[header] = []
                    headers[header] = []
                elif type(tables) is not list:
                    return None  # a key and a table of the same name: tomli's error
                table = {}
                tables.append(table)
                headers[header].append(number)
            elif key:
                if key in table:
                    return None  # a repeated key: tomli's error
                table[key] = _date(date_value) if date_value else text_value
    except ValueError:
        return None  # an impossible date such as 2023-02-30
    return data, headers
