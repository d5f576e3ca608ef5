"""``build.py textconv FILE``: a git diff driver that shows every record with its points.

Set up once per clone (the repository's ``.gitattributes`` already names the driver)::

    git config diff.kaoping.textconv "python build.py textconv"

``git diff`` and ``git log -p`` then compare unit files record by record, each line ending with
what the record is worth, e.g. ``[[adoption]] A1 区刊 2023-05-20  +10 区政府刊物采用 三(二)2``.

git hands the driver a temporary copy for old versions (``/tmp/XXXXXX_fgw.toml``), so the unit
comes from the file name and the year and month from the records' dates when the path does not
name them. Points are computed in the context of the unit's other months in the working tree
(a 轮训 counts once a year); a file that cannot be read is shown as it is, with its problems.

git does not tell the driver which revision it is showing, so the points always come from the
working tree's rules.toml. The first line says so, naming that file and its blob id (what
``git hash-object`` prints), so that an old version's points are never read as that commit's.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from pathlib import Path

import tomli

from ..ledger.load import MAX_BYTES, load_ledger
from ..ledger.model import Info, UnitMonth, YearLedger
from ..ledger.schema import MONTH_DATE, RECORD_KINDS, record_fields
from ..ledger.tomlfile import decode
from ..ledger.unitfile import parse_unit_month
from ..rulebook.score import score_unit
from .changelog import scorable
from .provenance import describe_record

_LEDGER_PATH = re.compile(r"([0-9]{4})/(0[1-9]|1[0-2])/([a-z][a-z0-9-]{0,31})\.toml$")


def where_is(file: Path, raw: bytes) -> tuple[int, int, str] | None:
    """(year, month, unit) of a unit file, from its path or else its name and dates."""
    m = _LEDGER_PATH.search(file.resolve().as_posix())
    if m:
        return int(m[1]), int(m[2]), m[3]
    unit = file.stem.rsplit("_", 1)[-1]  # git's temporary copies are named XXXXXX_<unit>.toml
    text, _ = decode(raw, file.name)
    try:
        data = tomli.loads(text or "")
    except (tomli.TOMLDecodeError, RecursionError):  # nested too deep: shown as it is
        return None
    for kind in RECORD_KINDS:
        for table in data.get(kind, []) if isinstance(data.get(kind), list) else []:
            when = table.get(MONTH_DATE[kind]) if isinstance(table, dict) else None
            if type(when) is dt.date:
                return when.year, when.month, unit
    return None


def _points_line(value: Decimal, rules: list[str]) -> str:
    n = int(value) if value == value.to_integral_value() else value
    sign = f"{n:+}" if n else "0"
    return f"  {sign} 分" + (f"（{'；'.join(rules)}）" if rules else "")


def textconv(file: Path, ledger_dir: Path = Path("ledger")) -> str:
    """The text git diffs for ``file``: one line per record with its points (a file too
    large for the ledger, E106, is named, not read)."""
    size = file.stat().st_size
    if size > MAX_BYTES:
        return (f"# 文件过大（{size / 1024 / 1024:.1f} MB），未解析：台账文件不能超过 "
                f"{MAX_BYTES // 1024 // 1024} MB（E106）\n")
    raw = file.read_bytes()
    place = where_is(file, raw)
    ledger = load_ledger(ledger_dir)[0] if place else None
    if place is None or ledger is None or place[0] not in ledger.years:
        return decode(raw, file.name)[0] or raw.decode("utf-8", "replace")
    year, month, unit_id = place
    rules = ledger.years[year].rules
    path = f"{_prefix(ledger)}{year}/{month:02d}/{unit_id}.toml"
    um, problems = parse_unit_month(raw, path, unit_id, year, month, rules, record_fields(rules))
    earlier = [e for e in ledger.unit_months() if e.year < year and e.unit == unit_id]
    points = _score(ledger.years[year], um, earlier)
    lines = [f"# {unit_id} {year}-{month:02d}  " + _rules_note(ledger, year)]
    for rec in um.records():
        got = points.get((rec.path, rec.line), [])
        lines.append(describe_record(rec)
                     + _points_line(sum((p for p, _ in got), Decimal(0)), [r for _, r in got]))
    lines += [f"! {p.format()}" for p in problems]
    return "\n".join(lines) + "\n"


def _rules_note(ledger: object, year: int) -> str:
    """Which rules the points were computed with: the working tree's, named by blob id."""
    rules = ledger.root / str(year) / "rules.toml"  # type: ignore[attr-defined]
    data = rules.read_bytes()
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()[:7]
    return (f"按当前工作区规则计分：{_prefix(ledger)}{year}/rules.toml（blob {blob}），"
            "不一定是所示版本当时的规则")


def _prefix(ledger: object) -> str:
    root, repo = ledger.root, ledger.repo_root  # type: ignore[attr-defined]
    try:
        rel = root.relative_to(repo).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel + "/"


def _score(year: YearLedger, um: UnitMonth,
           earlier: list[UnitMonth]) -> dict[tuple[str, int], list[tuple[Decimal, str]]]:
    """Points of ``um``'s records, scored with the unit's other months of the working tree."""
    unit = next((u for u in year.units if u.id == um.unit), None)
    if unit is None:
        return {}
    months = {m: files.get(um.unit, UnitMonth(um.unit, year.year, m, um.path))
              for m, files in year.months.items()}
    months[um.month] = um
    items: dict[str, Info] = {}
    for each in (*earlier, *months.values()):
        for item in each.info:
            items.setdefault(item.oa, item)
    seen: set[tuple[str, str]] = set()
    alone = year._replace(months={m: {um.unit: scorable(f, items, year.rules, seen)}
                                  for m, f in sorted(months.items())})
    score = score_unit(alone, unit, items)
    out: dict[tuple[str, int], list[tuple[Decimal, str]]] = {}
    for p in score.points:
        if p.path == um.path and p.line is not None:
            out.setdefault((p.path, p.line), []).append((p.points, f"{p.rule} {p.clause}"))
    return out
