"""Reading TOML files exactly: encoding, syntax, and the line of every table and key.

TOML parsers return values without positions, so line numbers come from a light scan of the
text itself (`Locator`). Record header lines (the provenance of every point) come from
:mod:`scoring.ledger.unitfile`; key lines are only looked up when a problem needs one.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any, NamedTuple

import tomli

from .problems import Problem
from .tomlerrors import deep_line, explain, nesting_message

BOM = b"\xef\xbb\xbf"
_DATE_LIKE = re.compile(r"(?<![0-9-])([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![0-9-])")


class TomlFile(NamedTuple):
    """A parsed TOML file: its data, its text (for locating keys) and its display path."""

    path: str
    data: dict[str, Any]
    text: str


def blob_id(raw: bytes) -> bytes:
    """The id git gives a file of bytes ``raw`` (SHA-1 of ``blob <size>\\0`` and the bytes).

    A file parsed by the loader is recognised by it in the git history, so that the history
    walk need not parse it again (:mod:`scoring.audit.history`)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).digest()


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of a file (a byte-order mark is dropped), or an E102 problem."""
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
    try:
        raw.decode("gb18030")
        what = "文件似乎是 GBK（GB2312/GB18030）编码"
    except UnicodeDecodeError:
        what = "文件不是 UTF-8 编码"
    fix = "请用记事本或 WPS 打开后“另存为”，编码选择 UTF-8，再提交"
    return None, [Problem(path, line, "E102", f"{what}，台账只接受 UTF-8。{fix}。")]


def parse_toml(text: str, path: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse TOML text; a syntax error keeps the parser's line and is explained in Chinese
    (:mod:`scoring.ledger.tomlerrors`), nesting too deep for the parser too."""
    try:
        return tomli.loads(text), []
    except tomli.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or 1
        col = getattr(exc, "colno", None) or 1
        msg = getattr(exc, "msg", str(exc))
    except RecursionError:
        return None, [Problem(path, deep_line(text), "E101", nesting_message())]
    line_text = text.split("\n")[line - 1] if text else ""
    bad_date = _impossible_date(line_text)
    if bad_date:
        return None, [Problem(path, line, "E105",
                              f"日期 {bad_date} 不存在，请核对年月日"
                              "（TOML 日期写作 2023-05-12，不加引号）。")]
    return None, [Problem(path, line, "E101",
                          f"TOML 语法错误（第 {col} 列）：{explain(msg, line_text, col)}。")]


def _impossible_date(line: str) -> str | None:
    for m in _DATE_LIKE.finditer(line):
        try:
            dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return m[0]
    return None


def read_toml(raw: bytes, path: str) -> tuple[TomlFile | None, list[Problem]]:
    """Decode and parse one file's bytes. ``None`` with problems when it cannot be used."""
    text, problems = decode(raw, path)
    if text is None:
        return None, problems
    data, problems = parse_toml(text, path)
    if data is None:
        return None, problems
    return TomlFile(path, data, text), []


class Locator:
    """Lines of tables and keys in one TOML text, for messages that point at a key.

    Paths are tuples: ``("info", 0)`` the first ``[[info]]`` header, ``("info", 0, "oa")`` its
    key, ``("notice", "date")`` a key of a plain table, ``("year",)`` a top-level key.
    """

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple[Any, ...], int] = {}
        table: tuple[Any, ...] = ()
        counts: dict[str, int] = {}
        in_string: str | None = None
        for n, raw in enumerate(text.split("\n"), 1):
            line = raw.strip()
            if in_string:
                if line.count(in_string) % 2 == 1:
                    in_string = None
                continue
            if line.startswith("[[") and "]]" in line:
                name = line[2:line.index("]]")].strip()
                table = (name, counts.get(name, 0))
                counts[name] = table[1] + 1
                self._lines.setdefault(table, n)
                self._lines.setdefault((name,), n)
            elif line.startswith("[") and "]" in line:
                table = tuple(part.strip() for part in line[1:line.index("]")].split("."))
                self._lines.setdefault(table, n)
            elif "=" in line and not line.startswith("#"):
                key = line.split("=", 1)[0].strip().strip("\"'")
                self._lines.setdefault((*table, key), n)
                for quote in ('"""', "'''"):
                    if line.count(quote) % 2 == 1:
                        in_string = quote

    def line(self, *path: Any) -> int:
        """The line of ``path``, else of its nearest enclosing table, else 1."""
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return 1


def key_line(text: str, header_line: int, key: str) -> int:
    """The line of ``key`` in the table whose header is on ``header_line`` (else the header)."""
    lines = text.split("\n")
    for n in range(header_line, len(lines)):
        s = lines[n].strip()
        if s.startswith("["):
            break
        if "=" in s and s.split("=", 1)[0].strip().strip("\"'") == key:
            return n + 1
    return header_line
