"""Pages rendered before git's history is read, completed once it has been.

Of a year's pages, two things come from the history (:mod:`scoring.auditjob`): the commit of
each scored point (the 提交 column of a unit page) and a bulletin's 更正 section. Everything
else can be rendered while the history is still being read, so a year's pages are rendered
with a *mark* where each of those goes (:func:`scoring.render_site.draft_year`), and the marks
are replaced once the history is in (:func:`fill_unit_page`, :func:`fill_bulletin`): the
same bytes as rendering with the history at hand, and every page is made this way.

A mark is ``<`` followed by a NUL byte: templates write ``<`` only before a tag name, and
ledger text reaches a page escaped (``&lt;``), so no page holds one otherwise.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from .render_env import _escape_inner, render
from .results import Point

CORRECTIONS = Markup("<\x00更正>")   # where a bulletin's 更正 section goes
_CORRECTIONS = CORRECTIONS.encode("utf-8")
_MARK = b"<\x00"


class PointMarks:
    """The commit cells of one unit page: :meth:`mark` stands in for a point's cell, in the
    page builder's ``point_commit`` place, and :attr:`points` keeps the points in mark order
    (the page shows its points in that order: mark ``n`` is the page's ``n``-th)."""

    def __init__(self) -> None:
        self.points: list[Point] = []

    def mark(self, point: Point) -> Markup:
        n = len(self.points)
        self.points.append(point)
        return _MARKS[n] if n < len(_MARKS) else _more_marks(n)


_MARKS: list[Markup] = []   # mark n, made once: a page has a few dozen points
_PREFIXES: list[bytes] = []  # what follows "<\0" in mark n


def _more_marks(n: int) -> Markup:
    while len(_MARKS) <= n:
        _MARKS.append(Markup(f"<\x00{len(_MARKS)}>"))
        _PREFIXES.append(f"{len(_PREFIXES)}>".encode())
    return _MARKS[n]


def fill_unit_page(page: bytes, points: list[Point],
                   point_commit: Callable[[Point], str | None] | None) -> bytes:
    """A unit page with each point's cell: ``<code>a1b2c3d 张三 2023-05-12</code>``, or
    nothing for a point with no commit (计算所得)."""
    if not points:
        return page
    if point_commit is None:
        raise ValueError("a unit page with commit cells needs the audit's point_commit")
    made: dict[str | None, bytes] = {None: b""}
    cells = []
    for point in points:
        label = point_commit(point) or None
        cell = made.get(label)
        if cell is None:
            assert label is not None
            cell = made[label] = f"<code>{_escape_inner(label)}</code>".encode()
        cells.append(cell)
    pieces = page.split(_MARK)
    if len(pieces) != len(cells) + 1:
        raise ValueError("a unit page whose marks are not its points'")
    out = [pieces[0]]
    for cell, piece, prefix in zip(cells, pieces[1:], _PREFIXES):
        if not piece.startswith(prefix):
            raise ValueError("a unit page whose marks are out of order")
        out += (cell, piece[len(prefix):])
    return b"".join(out)


def fill_bulletin(page: bytes, root: str, corrections: list[Any]) -> bytes:
    """A bulletin with its 更正 section (none when nothing was corrected)."""
    section = b""
    if corrections:
        section = render("_bulletin_corrections.html",
                         {"corrections": corrections, "root": root}).encode("utf-8")
    head, mark, tail = page.partition(_CORRECTIONS)
    if not mark:
        raise ValueError("a bulletin without its 更正 mark")
    return head + section + tail
