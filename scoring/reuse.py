"""What ``serve`` keeps from one rebuild for the next: results handed back while their inputs
are unchanged.

A clean build (``build``) makes everything. Under ``serve`` the same ledger is built again
after every save, and nearly all of it is as it was: one unit file changed, in one year. Each
stage that is worth it asks a :class:`Reuse` for a result by name, with the inputs the result
is made from; when the inputs equal the last rebuild's, the last result is handed back,
otherwise it is made again. Inputs are compared with ``==``: what was reused is the very same
object, so comparing unchanged inputs costs an identity check per part.

The stages that ask, and what that saves on the 10-year district ledger (``tools/bench_serve.py``;
one record added to one unit file of the last year):

* ``ledger.load``: every file's parse, by its path and ``stat`` (and its year's rules): about
  1.9 s of reading and parsing becomes a walk of the folders, about 0.05 s (validation across
  files, 0.05 s, still runs in full).
* ``rulebook.score.item_index`` and ``site.render.score_site``: a year's items and scores, by
  that year and the years before it (an adoption may name an earlier year's item): 0.7 s of
  scoring becomes the one year's 0.04 s.
* ``site.render``: a year's pages, data files, search rows and workbook, by the same years and
  what every page shows (the ledger's commit, the years, months and units, the history);
  a bulletin by the months up to its own, a unit's page by its files and ranks. Nine untouched
  years are not rendered again, nor the months before the saved one, nor the units whose
  ranks held: of a year's 62 pages (0.15 s) a save in the last month redraws a few, and the
  0.25 s workbook of each untouched year is kept.
* ``pipeline``: the git history, by the ledger's commit; the working tree's record commits and
  the notice's W701 check by year.

Together (``tools/bench_serve.py``, 2 cores): save to pages written 0.39 s against a clean
build's 6.6 s on the district ledger, 0.15 s against 1.2 s on the demo year.

Nothing here is used by ``build``: it passes no ``Reuse`` and every stage makes its results.
Results not asked for in a complete rebuild are forgotten, so memory stays one site's worth.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar, cast

T = TypeVar("T")


class Reuse:
    """Results of the last rebuild by name, each with the inputs it was made from."""

    def __init__(self) -> None:
        self._last: dict[Hashable, tuple[object, object]] = {}
        self._now: dict[Hashable, tuple[object, object]] = {}
        self.made: list[Hashable] = []  # names made afresh in this rebuild (for tests, reports)

    def get(self, name: Hashable, inputs: object, make: Callable[[], T]) -> T:
        """The result kept under ``name`` if its inputs equal ``inputs``, else ``make()``."""
        kept = self._now.get(name) or self._last.get(name)
        if kept is not None and kept[0] == inputs:
            self._now[name] = kept
            return cast(T, kept[1])
        value = make()
        self._now[name] = (inputs, value)
        self.made.append(name)
        return value

    def forget(self, keep: Callable[[Hashable], bool]) -> None:
        """Drop every result whose name ``keep`` refuses (files edited, templates changed)."""
        self._last = {k: v for k, v in self._last.items() if keep(k)}
        self._now = {k: v for k, v in self._now.items() if keep(k)}

    def finish(self, complete: bool) -> list[Hashable]:
        """End a rebuild; the names it made afresh. A complete one keeps only what it asked
        for; one stopped by errors keeps everything, so the rebuild after the mend finds it."""
        if complete:
            self._last = self._now
        else:
            self._last.update(self._now)
        made, self._now, self.made = self.made, {}, []
        return made


def kept(reuse: Reuse | None, name: Hashable, inputs: object, make: Callable[[], T]) -> T:
    """``reuse.get(name, inputs, make)``, or ``make()`` in a build that keeps nothing."""
    return make() if reuse is None else reuse.get(name, inputs, make)
