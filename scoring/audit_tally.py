"""The change log's lean scorer: each unit's total and each record's points, kept current.

After every commit the change log needs each unit's total (for the score and rank changes) and
the points of the records the commit changed, not the scorer's full results (points with their
texts, criticisms, monthly figures). :mod:`scoring.score` scores a unit's year as a fold over
its months: a month's records add counts and points in the context of the months before it
(which items exist, which adoptions and instructions were counted already, which once-a-year
events were scored already); the computed charges (quarterly shortfall, the annual 专报
shortfall, the penalty) then follow from the monthly counts and sums.

Here each month's step of that fold is kept (:class:`MonthFold`). A commit refolds a unit's
year from the first month it affected (the month of a changed file, or of an adoption naming an
item whose first occurrence changed), usually just the month being recorded; a total is then a
sum over at most twelve folds plus the charges (:func:`unit_result`), which is all that a new
month folder costs. Rule for rule it follows ``score.py`` and
:func:`scoring.audit_score.scorable_month` (which drops the references the validator would
reject, so that any commit of the history scores); ``tests/test_audit_tally.py`` holds it to
them over generated histories.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable, Iterable

from .model import Commission, Info, Record, Rules, Unit, UnitMonth
from .score import _AMOUNTS, _amount  # the scorer's Decimal of each small integer, made once

ZERO = Decimal(0)
CLEAN = 13  # UnitYear.dirty when no month needs refolding


class MonthFold:
    """One unit file's month, scored in the context of the unit's earlier months.

    points: id of each adoption, instruction, commission and event of ``um`` → its points (0
    for a dropped or repeated one); refs: the OA numbers its adoptions and instructions name;
    seen, once: the keys this month added to the unit year's ``seen`` and ``once``.
    """

    __slots__ = ("um", "submitted", "adopted", "special_submitted", "special_adopted",
                 "adoption", "comprehensive", "penalty", "points", "refs", "seen", "once")

    def __init__(self, um: UnitMonth, submitted: int, adopted: int, special_submitted: int,
                 special_adopted: int, adoption: int, comprehensive: int, penalty: bool,
                 points: dict[int, int], refs: set[str], seen: list[tuple[str, bool, str]],
                 once: list[str]) -> None:
        self.um = um
        self.submitted, self.adopted = submitted, adopted
        self.special_submitted, self.special_adopted = special_submitted, special_adopted
        self.adoption, self.comprehensive, self.penalty = adoption, comprehensive, penalty
        self.points, self.refs = points, refs
        self.seen, self.once = seen, once

    def points_of(self, rec: Record) -> int:
        """The points ``rec`` earns here (0 when it is not one of this month's records)."""
        found = self.points.get(id(rec))  # the same object: ``um`` keeps it alive
        if found is not None:
            return found
        for other in (*self.um.adoptions, *self.um.instructions, *self.um.commissions,
                      *self.um.events):
            if other == rec:
                return self.points[id(other)]
        return 0


def fold_month(um: UnitMonth, items: dict[str, Info], rules: Rules,
               seen: dict[tuple[str, bool, str], int], once: dict[str, int]) -> MonthFold:
    """Score one month's records; ``seen`` and ``once`` carry the earlier months' context.

    ``items``: the unit's OA index (first occurrence of each number); ``seen``: the (item,
    channel or level) pairs counted so far, ``once``: the once-a-year event kinds scored so far,
    each with its month; both are updated.
    """
    month, special = um.month, rules.special_kind
    points: dict[int, int] = {}
    refs: set[str] = set()
    added: list[tuple[str, bool, str]] = []
    kinds: list[str] = []
    adopted = special_adopted = adoption = comprehensive = 0
    penalty = False
    if um.adoptions:
        channels = rules.channels
        for a in um.adoptions:
            oa, p = a.oa, 0
            refs.add(oa)
            item = items.get(oa)
            if item is not None and item.date <= a.date:
                channel = channels.get((item.kind, a.by))
                key = (oa, True, a.by)
                if channel is not None and key not in seen:
                    seen[key] = month
                    added.append(key)
                    adopted += 1
                    special_adopted += item.kind == special
                    p = channel.points
                    adoption += p
            points[id(a)] = p
    if um.instructions:
        levels = rules.levels
        for ins in um.instructions:
            oa, p = ins.oa, 0
            refs.add(oa)
            item = items.get(oa)
            key = (oa, False, ins.level)
            if item is not None and item.date <= ins.date and key not in seen:
                seen[key] = month
                added.append(key)
                p = levels[ins.level].points
                adoption += p
            points[id(ins)] = p
    if um.commissions:
        rule = rules.commission
        for com in um.commissions:
            if com.delivered is not None and com.delivered <= com.due:
                p = rule.on_time_points
                adoption += p
            else:
                p = rule.missed_points
                comprehensive += p
            points[id(com)] = p
    if um.events:
        events = rules.events
        for ev in um.events:
            event = events[ev.kind]
            if event.once_per_year:
                if ev.kind in once:
                    points[id(ev)] = 0
                    continue
                once[ev.kind] = month
                kinds.append(ev.kind)
            penalty = penalty or event.penalty
            points[id(ev)] = event.points
            comprehensive += event.points
    special_submitted = [i.kind for i in um.info].count(special) if um.info else 0
    return MonthFold(um, len(um.info), adopted, special_submitted, special_adopted, adoption,
                     comprehensive, penalty, points, refs, added, kinds)


class UnitYear:
    """One unit's files of one year (month → parsed file) and their folds."""

    __slots__ = ("year", "items", "refs", "months", "folds", "seen", "once", "dirty", "pending",
                 "sums")

    def __init__(self, year: int, book: UnitBook) -> None:
        # the book's OA index and references, not the book: no reference cycle, so a dropped
        # tally is freed at once (the walk freezes what it built, see gc_paused)
        self.year, self.items, self.refs = year, book.items, book.refs
        self.months: dict[int, UnitMonth] = {}
        self.folds: dict[int, MonthFold] = {}
        self.seen: dict[tuple[str, bool, str], int] = {}
        self.once: dict[str, int] = {}
        self.dirty = CLEAN   # the first month to refold
        # (month, records appended to it) when that is all that changed in its last month
        self.pending: tuple[int, UnitMonth] | None = None
        self.sums = NO_SUMS   # the folds' figures summed, as unit_result needs them

    def appendable(self, month: int, old: UnitMonth | None) -> bool:
        """Whether records appended to ``old``, the file of ``month``, can be folded alone:
        nothing else waits to be folded, and no later month was folded after it."""
        if self.dirty != CLEAN or self.pending is not None:
            return False
        fold = self.folds.get(month)
        if (fold.um if fold is not None else None) is not old:
            return False
        return not self.folds or max(self.folds) <= month

    def fold_tail(self, rules: Rules | None) -> None:
        """Fold the pending appended records onto their month's fold (see ``pending``).

        The month's fold grows in place: results computed before keep it, and ask it only for
        the points of their own records, which it keeps (a record's points do not change when
        records are appended after it; ``Tally.change`` only appends alone).
        """
        month, tail = self.pending  # type: ignore[misc]
        self.pending = None
        if rules is None:
            self.dirty = month
            self.refold(rules)
            return
        t = fold_month(tail, self.items, rules, self.seen, self.once)
        self.sums = _add(list(self.sums), month, t)
        self._index(month, t)
        base = self.folds.get(month)
        if base is None:
            t.um = self.months[month]
            folds = dict(self.folds)  # a new dict: results computed earlier keep theirs
            folds[month] = t
            self.folds = folds
            return
        base.um = self.months[month]
        base.submitted += t.submitted
        base.adopted += t.adopted
        base.special_submitted += t.special_submitted
        base.special_adopted += t.special_adopted
        base.adoption += t.adoption
        base.comprehensive += t.comprehensive
        base.penalty = base.penalty or t.penalty
        base.points.update(t.points)
        base.refs |= t.refs
        base.seen += t.seen
        base.once += t.once

    def _index(self, month: int, fold: MonthFold) -> None:
        refs = self.refs
        for oa in fold.refs:
            found = refs.get(oa)
            if found is None:
                refs[oa] = {(self.year, month)}
            else:
                found.add((self.year, month))

    def refold(self, rules: Rules | None) -> None:
        """Fold again every month from the first dirty one (none without rules)."""
        start, self.dirty = self.dirty, CLEAN
        items = self.items
        if rules is None:
            self.folds, self.seen, self.once, self.sums = {}, {}, {}, NO_SUMS
            return
        folds: dict[int, MonthFold] = {}
        seen, once = self.seen, self.once
        for month, fold in self.folds.items():
            if month < start:
                folds[month] = fold
                continue
            for key in fold.seen:
                del seen[key]
            for kind in fold.once:
                del once[kind]
        for month in sorted(self.months):
            if month >= start:
                fold = folds[month] = fold_month(self.months[month], items, rules, seen, once)
                self._index(month, fold)
        self.folds = folds  # a new dict: results computed earlier keep theirs
        sums = list(NO_SUMS)
        for month, fold in folds.items():
            _add(sums, month, fold)
        self.sums = sums


# adoption, comprehensive, penalty, submitted and adopted per quarter, special submitted and
# adopted: a unit year's folds summed (:func:`unit_result`)
NO_SUMS = (0, 0, False, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def _add(sums: list[int], month: int, f: MonthFold) -> list[int]:
    """Add one month's fold to ``sums`` (in place; returned)."""
    q = 3 + (month - 1) // 3
    sums[0] += f.adoption
    sums[1] += f.comprehensive
    sums[2] = sums[2] or f.penalty
    sums[q] += f.submitted
    sums[q + 4] += f.adopted
    sums[11] += f.special_submitted
    sums[12] += f.special_adopted
    return sums


class UnitBook:
    """One unit across the years: its OA index and its years."""

    __slots__ = ("years", "items", "occurrences", "refs")

    def __init__(self) -> None:
        self.years: dict[int, UnitYear] = {}
        self.items: dict[str, Info] = {}    # OA number → its first occurrence
        # OA number → the (year, month) folds that named it (some since refolded without it)
        self.refs: dict[str, set[tuple[int, int]]] = {}
        # OA number → every occurrence, in (year, month, line) order
        self.occurrences: dict[str, list[tuple[tuple[int, int, int], Info]]] = {}

    def add_items(self, year: int, month: int, infos: Iterable[Info], dirty: set[str]) -> None:
        occurrences, items = self.occurrences, self.items
        for info in infos:
            oa, key = info.oa, (year, month, info.line)
            found = occurrences.get(oa)
            if found is None:
                occurrences[oa] = [(key, info)]
                items[oa] = info
                dirty.add(oa)
                continue
            found.append((key, info))
            if key < found[-2][0]:
                found.sort(key=lambda e: e[0])
            if found[0][1] is not items[oa]:
                items[oa] = found[0][1]
                dirty.add(oa)

    def remove_items(self, infos: Iterable[Info], dirty: set[str]) -> None:
        for info in infos:
            found = self.occurrences[info.oa]
            found[:] = [e for e in found if e[1] is not info]
            if not found:
                del self.occurrences[info.oa], self.items[info.oa]
                dirty.add(info.oa)
            elif found[0][1] is not self.items[info.oa]:
                self.items[info.oa] = found[0][1]
                dirty.add(info.oa)

    def mark(self, oas: set[str]) -> list[UnitYear]:
        """Mark dirty the months whose adoptions or instructions name any of ``oas``."""
        out: list[UnitYear] = []
        refs = self.refs
        if not refs:  # nothing folded names an item yet (a unit's first commit)
            return out
        for oa in oas:
            for year, month in refs.get(oa, ()):
                uy = self.years.get(year)
                if uy is None or month >= uy.dirty:
                    continue
                fold = uy.folds.get(month)
                if fold is not None and oa in fold.refs:
                    uy.dirty = month
                    out.append(uy)
        return out


class UnitResult:
    """A unit's total as the scorer computes it, and the folds it was computed from."""

    __slots__ = ("unit", "total", "folds")

    def __init__(self, unit: Unit, total: Decimal, folds: dict[int, MonthFold]) -> None:
        self.unit, self.total, self.folds = unit, total, folds

    def points(self, rec: Record) -> Decimal:
        """The points ``rec`` earns in this result (as ``score.py``'s points for it sum)."""
        if type(rec) is Info:
            return ZERO
        when = rec.due if type(rec) is Commission else rec.date  # type: ignore[union-attr]
        fold = self.folds.get(when.month)
        if fold is None or fold.um.path != rec.path:
            return ZERO
        return _amount(fold.points_of(rec))

    def points_each(self, records: Iterable[Record]) -> list[Decimal]:
        """:meth:`points` of each of ``records`` (the change log asks for a file's new ones)."""
        folds, decimals = self.folds, _AMOUNTS
        out: list[Decimal] = []
        for rec in records:
            kind = type(rec)
            if kind is Info:
                out.append(ZERO)
                continue
            when = rec.due if kind is Commission else rec.date  # type: ignore[union-attr]
            fold = folds.get(when.month)
            if fold is None or fold.um.path != rec.path:
                out.append(ZERO)
                continue
            n = fold.points.get(id(rec))
            if n is None:
                n = fold.points_of(rec)
            found = decimals.get(n)
            out.append(found if found is not None else _amount(n))
        return out


# id(rules) → (rules, category → (quarterly submitted and adopted targets, points per missing
# one, annual 专报 targets, points per missing one))
_TARGETS: dict[int, tuple[Rules, dict[int, tuple[int, int, int, int, int, int, int, int]]]] = {}


def _targets(rules: Rules, category: int) -> tuple[int, int, int, int, int, int, int, int]:
    found = _TARGETS.get(id(rules))
    if found is None or found[0] is not rules:
        if len(_TARGETS) > 64:
            _TARGETS.clear()
        sf = rules.shortfall
        found = _TARGETS[id(rules)] = (rules, {
            c: (-(-t.submitted // 4), -(-t.adopted // 4), sf.submitted_points, sf.adopted_points,
                t.special_submitted, t.special_adopted, sf.special_submitted_points,
                sf.special_adopted_points) for c, t in rules.categories.items()})
    return found[1][category]


def unit_result(unit: Unit, uy: UnitYear | None, rules: Rules, months: list[int]) -> UnitResult:
    """A unit's year through its last month folder (``months``: the folders present).

    Exactly ``score_year``'s total: the folds' counts and points, each complete quarter's
    shortfall (三(三)7), the annual 专报 shortfall in a final year, then the penalty.
    """
    if uy is None:
        folds, sums = {}, NO_SUMS
    else:
        folds, sums = uy.folds, uy.sums
    (adoption, comprehensive, penalty, sub1, sub2, sub3, sub4, adopt1, adopt2, adopt3, adopt4,
     special_sub, special_adopt) = sums
    found = _TARGETS.get(id(rules))  # _targets, its usual case in place
    need_sub, need_adopt, sub_points, adopt_points, special_target, special_adopt_target, \
        special_points, special_adopt_points = (
            found[1][unit.category] if found is not None and found[0] is rules
            else _targets(rules, unit.category))
    if 3 in months:
        comprehensive += (sub_points * max(0, need_sub - sub1)
                          + adopt_points * max(0, need_adopt - adopt1))
    if 6 in months:
        comprehensive += (sub_points * max(0, need_sub - sub2)
                          + adopt_points * max(0, need_adopt - adopt2))
    if 9 in months:
        comprehensive += (sub_points * max(0, need_sub - sub3)
                          + adopt_points * max(0, need_adopt - adopt3))
    if 12 in months:
        comprehensive += (sub_points * max(0, need_sub - sub4)
                          + adopt_points * max(0, need_adopt - adopt4)
                          + special_points * max(0, special_target - special_sub)
                          + special_adopt_points * max(0, special_adopt_target - special_adopt))
    if not penalty:  # integer points: the sum of their Decimals is the Decimal of their sum
        return UnitResult(unit, _amount(adoption + comprehensive), folds)
    a, c = Decimal(adoption), Decimal(comprehensive)
    base = a + c
    amount = base * rules.penalty_percent / 100 if base > 0 else ZERO
    return UnitResult(unit, a + c - amount, folds)


class Tally:
    """Every unit's folds, kept current as the walk applies commits (see the module doc)."""

    def __init__(self) -> None:
        self.books: dict[str, UnitBook] = {}
        self._dirty: list[UnitYear] = []

    def year(self, unit: str, year: int) -> UnitYear | None:
        book = self.books.get(unit)
        return book.years.get(year) if book is not None else None

    def change(self, unit: str, year: int, month: int, before: UnitMonth | None,
               after: UnitMonth | None, tail: UnitMonth | None) -> None:
        """A unit file's new version (``after`` None: gone or unreadable); see Changed."""
        book = self.books.get(unit)
        if book is None:
            book = self.books[unit] = UnitBook()
        uy = book.years.get(year)
        if uy is None:
            uy = book.years[year] = UnitYear(year, book)
        old = uy.months.get(month)
        if old is after:
            return
        dirty: set[str] = set()
        if after is None:
            del uy.months[month]
        else:
            uy.months[month] = after
        appended = tail is not None and old is before
        if appended:
            book.add_items(year, month, tail.info, dirty)  # type: ignore[union-attr]
        else:
            if old is not None:
                book.remove_items(old.info, dirty)
            if after is not None:
                book.add_items(year, month, after.info, dirty)
        if appended and uy.appendable(month, old):
            uy.pending = (month, tail)  # type: ignore[assignment]
        elif month < uy.dirty:
            uy.dirty = month
        self._dirty.append(uy)
        if dirty:
            self._dirty += book.mark(dirty)

    def settle(self, rules: Callable[[int], Rules | None]) -> None:
        """Refold every unit year the changes made dirty (``rules``: a year's, or None)."""
        for uy in self._dirty:
            if uy.pending is not None:
                if uy.dirty == CLEAN:
                    uy.fold_tail(rules(uy.year))
                    continue
                uy.dirty = min(uy.dirty, uy.pending[0])
                uy.pending = None
            if uy.dirty != CLEAN:
                uy.refold(rules(uy.year))
        self._dirty = []
