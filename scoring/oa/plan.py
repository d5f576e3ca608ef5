"""The import against the ledger: each record is new, already there (skipped), or a conflict.

A record is the same as one in the ledger when its key matches (SPEC §6: the OA number for 报送;
OA number and channel for 采用; OA number and level for 批示). Then every value the row gives
must agree with the ledger's, or the row is a conflict (E608): the unit, title, date, kind and
topic of an item; the date of an adoption or instruction, and its 期数 or 批示领导 when both
have one (a ledger record typed in by hand without them is still the same record). The same
record twice in this import counts once; two rows of one key that disagree are E609.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import NamedTuple

from ..ledger.model import Adoption, Info, Instruction, Ledger
from ..ledger.problems import Problem
from .records import NewRecord, row_problem

LABELS = {"unit": "单位", "title": "标题", "date": "日期", "kind": "信息类型", "topic": "专报类别",
          "issue": "期数", "leader": "批示领导"}
OPTIONAL = {"issue", "leader"}  # compared only when both sides have one


class Plan(NamedTuple):
    """What the import adds, and per table how many rows were already in the ledger or
    repeated within the import."""

    added: list[NewRecord]
    skipped: Counter[str]
    repeated: Counter[str]


def _ledger_values(rec: Info | Adoption | Instruction) -> dict[str, object]:
    if isinstance(rec, Info):
        return {"unit": rec.unit, "title": rec.title, "date": rec.date, "kind": rec.kind,
                "topic": rec.topic}
    if isinstance(rec, Adoption):
        return {"unit": rec.unit, "date": rec.date, "issue": rec.issue}
    return {"unit": rec.unit, "date": rec.date, "leader": rec.leader}


def _new_values(rec: NewRecord, info_kind: str) -> dict[str, object]:
    values: dict[str, object] = {"unit": rec.unit, "date": rec.date}
    if rec.kind == "info":
        values |= {"title": rec.fields["title"], "kind": rec.fields.get("kind", info_kind),
                   "topic": rec.fields.get("topic")}
    else:
        key = "issue" if rec.kind == "adoption" else "leader"
        values[key] = rec.fields.get(key)
    return values


def differences(old: dict[str, object], new: dict[str, object],
                sides: tuple[str, str] = ("台账", "导入")) -> list[str]:
    """``标题：台账“甲”，导入“乙”`` for each value that disagrees."""
    out = []
    for key, value in new.items():
        before = old.get(key)
        if key in OPTIONAL and (before is None or value is None):
            continue
        if before != value:
            out.append(f"{LABELS[key]}：{sides[0]}“{_show(before)}”，{sides[1]}“{_show(value)}”")
    return out


def _show(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else "" if value is None else str(value)


def plan_import(records: list[NewRecord], ledger: Ledger) -> tuple[Plan, list[Problem]]:
    """Split the records into new, already recorded, repeated; every conflict a problem."""
    existing: dict[tuple[str, ...], Info | Adoption | Instruction] = {}
    for um in ledger.unit_months():
        for item in um.info:
            existing.setdefault(("info", item.oa), item)
        for a in um.adoptions:
            existing.setdefault(("adoption", a.oa, a.by), a)
        for i in um.instructions:
            existing.setdefault(("instruction", i.oa, i.level), i)
    plan = Plan([], Counter(), Counter())
    problems: list[Problem] = []
    seen: dict[tuple[str, ...], NewRecord] = {}
    for rec in records:
        key = (rec.kind, *rec.key)
        info_kind = ledger.years[rec.date.year].rules.info_kind
        old = existing.get(key)
        if old is not None:
            found = differences(_ledger_values(old), _new_values(rec, info_kind))
            if found:
                problems.append(row_problem(rec.source, "E608", f"{_what(rec)} 已在台账中"
                                            f"（{old.path}:{old.line}），但{'；'.join(found)}。"
                                            "请核对导出文件或台账，修正后再导入。"))
            else:
                plan.skipped[rec.table] += 1
            continue
        first = seen.setdefault(key, rec)
        if first is rec:
            plan.added.append(rec)
            continue
        found = differences(_new_values(first, info_kind), _new_values(rec, info_kind),
                            ("前者", "本行"))
        if found:
            where = f"{first.source.file}:{first.source.row}"
            problems.append(row_problem(rec.source, "E609", f"{_what(rec)} 与本次导入的 {where} "
                                        f"重复，但{'；'.join(found)}。"))
        else:
            plan.repeated[rec.table] += 1
    return plan, problems


def _what(rec: NewRecord) -> str:
    if rec.kind == "info":
        return f"信息 {rec.key[0]}"
    what = "采用" if rec.kind == "adoption" else "批示"
    return f"信息 {rec.key[0]} 的{rec.key[1]}{what}"
