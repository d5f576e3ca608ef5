"""Unit files in the documented layout, read straight into records: exact or silent.

The history walk parses every appended record of the ledger's history (:mod:`scoring.audit_replay`).
Records are usually written the way SPEC §2 shows them: a ``[[kind]]`` header, then its keys in
the documented order, one ``key = "text"`` or ``key = 2023-05-12`` line each, tables separated
by blank or comment lines. :func:`parse` reads such text with one regular expression match per
table and builds the records at once. The rule is that of :mod:`scoring.fasttoml`: it returns
exactly what :func:`scoring.unitfile.parse_unit_month` returns for the text when that finds no
problem, or None whenever the text is laid out otherwise or anything would be a problem (a
value not allowed, a blank text, a date outside the month, a 专报 without topic…); the caller
then parses it the ordinary way. ``tests/test_fastunit.py`` holds it to that.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from .model import Adoption, Commission, Event, Info, Instruction, Rules, UnitMonth
from .source import BOM

_new = tuple.__new__
_S = r'"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"\n'   # a basic string without escapes, as fasttoml
_D = r"([0-9]{4}-[0-9]{2}-[0-9]{2})\n"
_B = r"(?:[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?\n)*"  # blank and comment lines
# One pattern per table kind, from its header through its last key line and the blank lines
# after it.
TABLES = {
    "info": re.compile(r"\[\[info\]\]\noa = " + _S + "title = " + _S + "date = " + _D
                       + "(?:kind = " + _S + ")?(?:topic = " + _S + ")?(?:note = " + _S + ")?"
                       + _B),
    "adoption": re.compile(r"\[\[adoption\]\]\noa = " + _S + "by = " + _S + "date = " + _D
                           + "(?:issue = " + _S + ")?(?:note = " + _S + ")?" + _B),
    "instruction": re.compile(r"\[\[instruction\]\]\noa = " + _S + "level = " + _S
                              + "date = " + _D + "(?:leader = " + _S + ")?(?:note = " + _S
                              + ")?" + _B),
    "commission": re.compile(r"\[\[commission\]\]\ntitle = " + _S + "due = " + _D
                             + "(?:delivered = " + _D + ")?(?:note = " + _S + ")?" + _B),
    "event": re.compile(r"\[\[event\]\]\nkind = " + _S + "date = " + _D
                        + "(?:note = " + _S + ")?" + _B),
}
# blank and comment lines between tables
_BLANK = re.compile(_B)
_date = dt.date.fromisoformat


class Choices(NamedTuple):
    """The allowed values of a year's rules, as sets."""

    kinds: frozenset[str]
    topics: frozenset[str]
    channels: frozenset[str]
    levels: frozenset[str]
    events: frozenset[str]


_choices: dict[int, tuple[Rules, Choices]] = {}


def choices(rules: Rules) -> Choices:
    found = _choices.get(id(rules))
    if found is None or found[0] is not rules:
        if len(_choices) > 64:
            _choices.clear()
        found = _choices[id(rules)] = (rules, Choices(
            frozenset(rules.kinds), frozenset(rules.topics),
            frozenset(by for _, by in rules.channels), frozenset(rules.levels),
            frozenset(rules.events)))
    return found[1]


class Dates(dict):  # type: ignore[type-arg]
    """Dates by their ISO text, each made once (a date is immutable): a history's records name
    a few hundred days. ValueError for an impossible date, as :func:`datetime.date.fromisoformat`."""

    def __missing__(self, text: str) -> dt.date:
        day = self[text] = _date(text)
        return day


def parse(raw: bytes, path: str, unit: str, year: int, month: int, rules: Rules,
          first_line: int = 1, dates: Dates | None = None) -> UnitMonth | None:
    """The file's records (lines counted from ``first_line``), or None: see the module doc.

    With ``first_line`` > 1, ``raw`` is the end of a file whose earlier lines are not given.
    ``dates``: dates already made, shared by the records (a fresh one when None).
    """
    if first_line == 1 and raw.startswith(BOM):
        raw = raw[len(BOM):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text and not text.endswith("\n"):
        text += "\n"  # the last line reads the same with its line end
    found: tuple[list[Any], ...] = ([], [], [], [], [])
    known = _choices.get(id(rules))  # choices(rules), its usual case in place
    allowed = known[1] if known is not None and known[0] is rules else choices(rules)
    if dates is None:
        dates = Dates()
    # blank and comment lines, then tables: each pattern takes the blank lines after it, so
    # anything but a table header after the first lines is not the documented layout
    pos, end, tables, count = _BLANK.match(text).end(), len(text), _TABLES, text.count
    line = first_line + count("\n", 0, pos) if pos else first_line
    infos, info_match, kinds, topics = found[0], _INFO, allowed.kinds, allowed.topics
    try:
        while pos < end:
            head = text[pos:pos + 5]
            if head == "[[inf":  # an [[info]] (seven tables in ten), read here
                m = info_match(text, pos)
                if m is None:
                    return None
                oa, title, date, kind, topic, note = m.groups()
                when = dates[date]
                oa, title = oa.strip(), title.strip()
                if not (oa and title and when.month == month and when.year == year) \
                        or (note is not None and not note.strip()):
                    return None
                if kind is None:
                    kind = rules.info_kind
                elif kind not in kinds:
                    return None
                if topic is not None and topic not in topics:
                    return None
                if (kind == rules.special_kind) != bool(topic):
                    return None  # a 专报 names its topic, nothing else has one (E208, E209)
                infos.append(_new(Info, (oa, title, when, kind, topic, note, unit, path, line)))
            else:
                table = tables.get(head)
                if table is None:
                    return None
                index, match, build = table
                m = match(text, pos)
                if m is None:
                    return None
                record = build(m.groups(), allowed, rules, unit, path, line, year, month, dates)
                if record is None:
                    return None
                found[index].append(record)
            stop = m.end()
            line += count("\n", pos, stop)
            pos = stop
    except ValueError:
        return None  # an impossible date
    info, adoptions, instructions, commissions, events = found
    return _new(UnitMonth, (unit, year, month, path, tuple(info), tuple(adoptions),
                            tuple(instructions), tuple(commissions), tuple(events)))


def _adoption(g: tuple[Any, ...], c: Choices, rules: Rules, unit: str, path: str, line: int,
              year: int, month: int, dates: Dates) -> Adoption | None:
    oa, by, date, issue, note = g
    when = dates[date]
    oa = oa.strip()
    if not (oa and by in c.channels and when.month == month and when.year == year) \
            or (issue is not None and not issue.strip()) \
            or (note is not None and not note.strip()):
        return None
    return _new(Adoption, (oa, by, when, issue, note, unit, path, line))


def _instruction(g: tuple[Any, ...], c: Choices, rules: Rules, unit: str, path: str,
                 line: int, year: int, month: int, dates: Dates) -> Instruction | None:
    oa, level, date, leader, note = g
    when = dates[date]
    oa = oa.strip()
    if not (oa and level in c.levels and when.month == month and when.year == year) \
            or (leader is not None and not leader.strip()) \
            or (note is not None and not note.strip()):
        return None
    return _new(Instruction, (oa, level, when, leader, note, unit, path, line))


def _commission(g: tuple[Any, ...], c: Choices, rules: Rules, unit: str, path: str,
                line: int, year: int, month: int, dates: Dates) -> Commission | None:
    title, due, delivered, note = g
    when = dates[due]
    done = dates[delivered] if delivered is not None else None
    title = title.strip()
    if not (title and when.month == month and when.year == year) \
            or (note is not None and not note.strip()):
        return None
    return _new(Commission, (title, when, done, note, unit, path, line))


def _event(g: tuple[Any, ...], c: Choices, rules: Rules, unit: str, path: str, line: int,
           year: int, month: int, dates: Dates) -> Event | None:
    kind, date, note = g
    when = dates[date]
    if not (kind in c.events and when.month == month and when.year == year) \
            or (note is not None and not note.strip()):
        return None
    return _new(Event, (kind, when, note, unit, path, line))


BUILD = {"adoption": _adoption, "instruction": _instruction,
         "commission": _commission, "event": _event}
# a header's "[[" and first three letters → (index of its kind in UnitMonth's records, its
# pattern's match, its builder)
_TABLES = {f"[[{kind[:3]}": (i, TABLES[kind].match, BUILD[kind])
           for i, kind in enumerate(TABLES) if kind in BUILD}
_INFO = TABLES["info"].match  # (an [[info]] is read in parse itself)
