"""Rows of the export → the ledger records they would add, each with its unit, date and row.

Values are mapped first (``--map``), then checked against that year's configuration: a 报送单位
is a unit's id or name in units.toml; 采用刊物 a channel of rules.toml; 批示级别 a level (区级,
市级, 自治区级 read as 区, 市, 自治区); 信息类型 and 专报类别 the kinds and topics. An adoption or
an instruction belongs to the unit of its item, found in the ledger or among this import's 报送
rows. Every problem is ``FILE:ROW: CODE message``; a row with a problem gives no record.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from ..ledger.model import Ledger, Rules, YearLedger
from ..ledger.problems import Problem
from .cells import date_of
from .mapfile import ColumnMap
from .tables import KEY, Row, Source


class NewRecord(NamedTuple):
    """A record the import would add.

    table: 报送, 采用 or 批示; kind: its ledger table (info, adoption, instruction);
    fields: the TOML keys and values in the ledger's documented order; key: what makes it the
    same record as one already in the ledger ((oa,), (oa, by) or (oa, level)).
    """

    table: str
    kind: str
    fields: dict[str, str | dt.date]
    key: tuple[str, ...]
    unit: str
    date: dt.date
    source: Source


def row_problem(source: Source, code: str, message: str) -> Problem:
    """A problem of one export row: ``FILE:ROW: CODE message`` (the sheet named if several)."""
    sheet = f"工作表“{source.sheet}”：" if source.sheet else ""
    return Problem(source.file, source.row, code, sheet + message)


class _Reference(NamedTuple):
    """How a 采用 or 批示 row becomes a record: its columns, fields and allowed values."""

    value_column: str
    date_column: str
    field: str
    extra_column: str
    extra_field: str
    allowed: Callable[[Rules], tuple[str, ...]]


REFERENCES = {
    "adoption": _Reference("采用刊物", "采用时间", "by", "期数", "issue",
                           lambda rules: tuple(dict.fromkeys(by for _, by in rules.channels))),
    "instruction": _Reference("批示级别", "批示时间", "level", "批示领导", "leader",
                              lambda rules: tuple(rules.levels)),
}


class _Converter:
    """One import's conversion: the ledger, the map, the items known so far, the problems."""

    def __init__(self, ledger: Ledger, mapping: ColumnMap) -> None:
        self.ledger, self.mapping = ledger, mapping
        self.items = {i.oa: i.unit for um in ledger.unit_months() for i in um.info}
        self.failed: dict[str, Source] = {}  # OA numbers of 报送 rows with a problem
        self.problems: list[Problem] = []

    def cell(self, row: Row, column: str) -> str:
        return self.mapping.value(column, row.text(column))

    def fail(self, row: Row, code: str, message: str) -> None:
        self.problems.append(row_problem(row.source, code, message))

    def common(self, row: Row, date_column: str) -> tuple[str, dt.date, YearLedger] | None:
        """A row's OA number, date and year, when every required cell is filled and usable."""
        missing = [c for c in row.table.required if not self.cell(row, c)]
        if missing:
            self.fail(row, "E603", f"{row.table.name}表的必填列为空：{'、'.join(missing)}。")
            return None
        raw = row.cells.get(date_column)
        when = date_of(self.cell(row, date_column) if isinstance(raw, str) else raw)
        if when is None:
            self.fail(row, "E604", f"{date_column}“{row.text(date_column)}”不是日期或日期不存在"
                      "（可写作 2023-05-12、2023/5/12、2023年5月12日，或 Excel 日期）。")
            return None
        year = self.ledger.years.get(when.year)
        if year is None:
            self.fail(row, "E607", f"{date_column} {when} 属于 {when.year} 年度，台账中没有该年度"
                      f"（可运行 python build.py new-month {when.year}-01 --copy-config 建立）。")
            return None
        return self.cell(row, KEY), when, year

    def info(self, row: Row) -> NewRecord | None:
        before = len(self.problems)
        rec = self._info(row)
        if len(self.problems) > before and self.cell(row, KEY):
            self.failed.setdefault(self.cell(row, KEY), row.source)
        return rec

    def _info(self, row: Row) -> NewRecord | None:
        found = self.common(row, "报送时间")
        if found is None:
            return None
        oa, when, year = found
        rules, name = year.rules, self.cell(row, "报送单位")
        unit = next((u.id for u in year.units if name in (u.id, u.name)), None)
        if unit is None:
            self.fail(row, "E605", f"报送单位“{name}”不是 {year.year} 年度 units.toml 中的单位"
                      "（名称或 id）；其他写法可在 --map 文件的 [values.\"报送单位\"] 中对应。")
            return None
        kind = self.cell(row, "信息类型") or rules.info_kind
        topic = self.cell(row, "专报类别")
        fields: dict[str, str | dt.date] = {"oa": oa, "title": self.cell(row, "标题"), "date": when}
        if kind not in rules.kinds:
            self.unknown(row, "信息类型", kind, rules.kinds)
            return None
        if kind == rules.special_kind:
            if not topic:
                self.fail(row, "E603", f"{kind}的专报类别为空（可选：{'、'.join(rules.topics)}）。")
                return None
            if topic not in rules.topics:
                self.unknown(row, "专报类别", topic, rules.topics)
                return None
            fields |= {"kind": kind, "topic": topic}
        elif topic:
            self.fail(row, "E606", f"信息类型为{kind}，不应有专报类别“{topic}”"
                      "（只有专报填写；导出中的占位写法可在 --map 中对应为空 \"\"）。")
            return None
        self.items.setdefault(oa, unit)
        return NewRecord(row.table.name, "info", fields, (oa,), unit, when, row.source)

    def reference(self, row: Row, ref: _Reference) -> NewRecord | None:
        """An adoption or instruction: a value the rules allow, the unit of its item."""
        found = self.common(row, ref.date_column)
        if found is None:
            return None
        oa, when, year = found
        allowed = ref.allowed(year.rules)
        value = self.cell(row, ref.value_column)
        if value not in allowed and value.endswith("级") and value[:-1] in allowed:
            value = value[:-1]  # 市级 → 市
        if value not in allowed:
            self.unknown(row, ref.value_column, value, allowed)
            return None
        unit = self.items.get(oa)
        if unit is None and oa in self.failed:
            where = self.failed[oa]
            self.fail(row, "E610", f"信息编号 {oa} 的报送行 {where.file}:{where.row} 有错误，"
                      "修正该行后才能导入本行。")
            return None
        if unit is None:
            self.fail(row, "E610", f"信息编号 {oa} 在台账和本次导入的报送表中都找不到；"
                      "请先导入（或登记）该信息的报送记录。")
            return None
        if unit not in {u.id for u in year.units}:
            self.fail(row, "E605", f"信息 {oa} 的报送单位 {unit} 不是 {year.year} 年度 "
                      "units.toml 中的单位，无法记入该年度台账。")
            return None
        fields: dict[str, str | dt.date] = {"oa": oa, ref.field: value, "date": when}
        extra = self.cell(row, ref.extra_column)
        if extra:
            fields[ref.extra_field] = extra
        return NewRecord(row.table.name, row.table.kind, fields, (oa, value), unit, when,
                         row.source)

    def unknown(self, row: Row, column: str, value: str, allowed: tuple[str, ...]) -> None:
        """E606 for a value the rules do not allow (the record is then left out)."""
        self.fail(row, "E606", f"{column}“{value}”不是允许的取值（可选：{'、'.join(allowed)}）；"
                  f"其他写法可在 --map 文件的 [values.\"{column}\"] 中对应。")


def make_records(rows: list[Row], ledger: Ledger,
                 mapping: ColumnMap) -> tuple[list[NewRecord], list[Problem]]:
    """The records of every row (报送 rows first: the others may name their items)."""
    conv = _Converter(ledger, mapping)
    made = [conv.info(row) for row in rows if row.table.kind == "info"]
    made += [conv.reference(row, REFERENCES[row.table.kind]) for row in rows
             if row.table.kind in REFERENCES]
    return [r for r in made if r is not None], conv.problems
