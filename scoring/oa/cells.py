"""One cell of an export: its text, or the date it holds.

Readers give cells as text, numbers, booleans, dates or date-times (:data:`Cell`). Text is
trimmed (ASCII, full-width and non-breaking spaces alike); a whole number is written without
``.0`` (an OA number typed into a number cell). A time may be an Excel date or date-time, an
Excel serial number (the 1900 date system Excel and WPS use), or text in the forms SPEC §6 lists.
"""
from __future__ import annotations

import datetime as dt
import re

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 61 is 1900-03-01, after Lotus' phantom 1900-02-29
MAX_SERIAL = 2958465  # 9999-12-31
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")  # as text: 1927 to 2173, not a bare year
_CLOCK = r"(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.\d+)?)?)?"
_DASHED = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _CLOCK + "$")
_CHINESE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
                      r"(?:\s*(\d{1,2})\s*[时:：]\s*(\d{2})\s*分?(?:\s*(\d{2})\s*秒?)?)?$")


def text(cell: Cell) -> str:
    """The cell as trimmed text ('' for an empty cell)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ", timespec="minutes")
    return str(cell).strip()


def date_of(cell: Cell) -> dt.date | None:
    """The date a time cell holds, or None when it holds none (an impossible date included)."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, (int, float)):
        return _serial(float(cell))
    if not isinstance(cell, str):
        return None
    value = cell.strip()
    if _SERIAL.match(value):
        return _serial(float(value))
    m = _DASHED.match(value)
    if m:
        return _real(m[1], m[3], m[4], m[5], m[6], m[7])
    m = _CHINESE.match(value)
    if m:
        return _real(*m.groups())
    return None


def _serial(serial: float) -> dt.date | None:
    day = int(serial)
    if not 1 <= day <= MAX_SERIAL or day == 60:  # 60 is the 1900-02-29 that never was
        return None
    return EXCEL_EPOCH + dt.timedelta(days=day + (day < 60))


def _real(year: str, month: str, day: str, hour: str | None = None, minute: str | None = None,
          second: str | None = None) -> dt.date | None:
    """The date of text parts, when it and its time of day exist."""
    if (hour and int(hour) > 23) or (minute and int(minute) > 59) or (second and int(second) > 59):
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
