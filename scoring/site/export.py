"""The data export (SPEC §5): ``data/<YYYY>.json`` for scripts, ``data/<YYYY>.csv`` for Excel/WPS.

Both are deterministic: units in registry order, keys in the order the SPEC shows, no time
stamps. Amounts are exact: a JSON number is an integer when the amount is integral, otherwise the
shortest decimal (``97.4``); an amount that a JSON number cannot carry exactly is refused rather
than rounded. The CSV is UTF-8 with a byte-order mark and CRLF line ends, which Excel and WPS
open directly with the Chinese headers intact.
"""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from ..rulebook.results import UnitScore, YearScore, format_points
from .common import Source

CSV_HEADERS = ("单位代码", "单位名称", "类别", "报送信息", "采用信息", "报送专报", "采用专报",
               "信息采用积分", "综合考评积分", "扣分(工作失误)", "总积分", "类别排名", "总排名",
               "未达标")


def json_number(amount: Decimal) -> int | float:
    """An amount as a JSON number: ``int`` when integral, else a float printing exactly as it."""
    if amount == amount.to_integral_value():
        return int(amount)
    number = float(amount)
    if Decimal(repr(number)) != amount:
        raise ValueError(f"{amount} cannot be written exactly as a JSON number")
    return number


def month_key(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def unit_document(year: int, s: UnitScore) -> dict[str, Any]:
    """One unit's entry of ``units`` in the SPEC §5 key order."""
    return {
        "id": s.unit.id, "name": s.unit.name, "category": s.unit.category,
        "counts": s.counts._asdict(),
        "adoption_points": json_number(s.adoption_points),
        "comprehensive_points": json_number(s.comprehensive_points),
        "penalty_points": json_number(s.penalty_points),
        "total": json_number(s.total),
        "rank_in_category": s.rank_in_category, "rank_overall": s.rank_overall,
        "criticisms": [{"reason": c.reason, "date": c.date.isoformat()} for c in s.criticisms],
        "below_target": s.below_target,
        "months": {month_key(year, m): {**f.counts._asdict(),
                                        "adoption_points": json_number(f.adoption_points)}
                   for m, f in sorted(s.months.items())},
    }


def year_document(score: YearScore, source: Source) -> dict[str, Any]:
    """The whole year as the JSON export's object. ``through`` is null for a year without months."""
    return {
        "year": score.year,
        "through": month_key(score.year, score.through) if score.through else None,
        "final": score.final,
        "source": {"commit": source.commit, "dirty": source.dirty},
        "units": [unit_document(score.year, s) for s in score.units],
    }


def csv_row(s: UnitScore, final: bool) -> list[str | int]:
    """One unit's CSV row; 未达标 is left empty while the year is provisional."""
    c = s.counts
    below = ("是" if s.below_target else "否") if final else ""
    return [s.unit.id, s.unit.name, s.unit.category, c.submitted, c.adopted,
            c.special_submitted, c.special_adopted, format_points(s.adoption_points),
            format_points(s.comprehensive_points), format_points(s.penalty_points),
            format_points(s.total), s.rank_in_category, s.rank_overall, below]


def export_year(score: YearScore, source: Source) -> tuple[str, bytes]:
    """The year's JSON text and CSV bytes (UTF-8 with BOM, CRLF)."""
    text = json.dumps(year_document(score, source), ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    writer.writerows(csv_row(s, score.final) for s in score.units)
    return text, buffer.getvalue().encode("utf-8-sig")


def year_data_files(score: YearScore, source: Source) -> dict[str, bytes]:
    """``data/<YYYY>.json`` and ``data/<YYYY>.csv`` of one year, by output path."""
    text, table = export_year(score, source)
    return {f"data/{score.year}.json": text.encode("utf-8"), f"data/{score.year}.csv": table}


def data_files(scores: dict[int, YearScore], source: Source) -> dict[str, bytes]:
    """Output path → content for every year: ``data/2023.json``, ``data/2023.csv``, …"""
    return {path: data for year in sorted(scores)
            for path, data in year_data_files(scores[year], source).items()}
