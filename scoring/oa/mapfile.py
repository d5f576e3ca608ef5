"""The ``--map`` file: how another export layout names its columns and values.

A TOML file of two parts, both optional::

    [columns]                 # the export's column = the column of SPEC §6
    "来稿单位" = "报送单位"
    "采用载体" = "采用刊物"

    [values."采用刊物"]       # under a column (named as in SPEC §6): the export's value = ours
    "区政府信息" = "区刊"

    [values."报送单位"]
    "区发改委" = "fgw"        # a unit's id or its name in units.toml
    "区发展和改革委员会" = "发改委"

    [values."专报类别"]
    "无" = ""                 # an empty value: the cell counts as blank

TOML allows only ASCII in bare keys, so Chinese names are quoted, in table headers too. Column
names are compared without spaces; values after trimming. Every problem is reported as
``map.toml:line: E611 …`` (E101/E102 for syntax and encoding, as for a ledger file).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from ..ledger.problems import Problem, sort_problems
from ..ledger.tomlfile import Locator, read_toml
from .tables import COLUMNS, header_name


class ColumnMap(NamedTuple):
    """Column renames (export name → ours) and, per column of ours, value renames."""

    columns: dict[str, str]
    values: dict[str, dict[str, str]]

    def value(self, column: str, value: str) -> str:
        return self.values.get(column, {}).get(value, value)


NO_MAP = ColumnMap({}, {})


def load_map(path: Path, shown: str) -> tuple[ColumnMap, list[Problem]]:
    """The map file at ``path`` (``shown`` names it in problems), with every problem in it."""
    doc, problems = read_toml(path.read_bytes(), shown)
    if doc is None:
        return NO_MAP, problems
    locator = Locator(doc.text)
    known = "、".join(COLUMNS)

    def line(*path: str) -> int:
        if path[0] == "values" and len(path) > 1:  # the Locator keeps a table name's quotes
            found = locator.line(path[0], f'"{path[1]}"', *path[2:])
            if found > 1:
                return found
        return locator.line(*path)

    def bad(line: int, message: str) -> None:
        problems.append(Problem(shown, line, "E611", message))

    def pairs(table: Any, where: tuple[str, ...]) -> dict[str, str]:
        if not isinstance(table, dict):
            bad(line(*where), f"[{'.'.join(where)}] 应为表，每行写作"
                " \"导出中的写法\" = \"台账中的写法\"。")
            return {}
        out: dict[str, str] = {}
        for key, value in table.items():
            if isinstance(value, str):
                out[key.strip()] = value.strip()
            else:
                bad(line(*where, key), f"{key} 的值应为文字（用英文双引号括起）。")
        return out

    for key in doc.data:
        if key not in ("columns", "values"):
            bad(line(key), f"映射文件只有 [columns] 与 [values.列名] 两部分，没有 {key}。")
    columns: dict[str, str] = {}
    for name, ours in pairs(doc.data.get("columns", {}), ("columns",)).items():
        if ours not in COLUMNS:
            bad(line("columns", name), f"列名 {ours} 不是导入表的列（可用：{known}）。")
        columns[header_name(name, {})] = ours
    values: dict[str, dict[str, str]] = {}
    raw_values = doc.data.get("values", {})
    if not isinstance(raw_values, dict):
        bad(line("values"), "[values] 应按列分表书写，如 [values.\"采用刊物\"]。")
        raw_values = {}
    for column, table in raw_values.items():
        if column not in COLUMNS:
            bad(line("values", column), f"[values.\"{column}\"]：{column} 不是导入表的列"
                f"（可用：{known}）。")
        values[column] = pairs(table, ("values", column))
    return ColumnMap(columns, values), sort_problems(problems)
