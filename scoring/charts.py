"""Charts as inline SVG, drawn at build time: no JavaScript, nothing fetched, printable.

Each function returns escaped SVG markup (``Markup``) with a ``<title>`` and ``<desc>`` naming
every figure, so the chart also reads as text to screen readers. Coordinates are rounded to
one decimal so that the same figures always give the same bytes.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from itertools import chain
from typing import NamedTuple

from markupsafe import Markup

# as the pages write text and amounts (markupsafe's escaping without its wrapper; amounts cached)
from .render_env import output_escape as escape
from .render_env import points as format_points


class Bar(NamedTuple):
    """One bar: its label (a unit name) and value (a score)."""

    label: str
    value: Decimal


class Series(NamedTuple):
    """One line: its name, values by month (1-based, may stop early), and CSS class."""

    name: str
    values: Sequence[float | Decimal]
    css: str


class _Texts(dict):
    """Coordinates and values as :func:`_round` writes them, kept by value.

    A site's charts share a few thousand of these among hundreds of thousands written. Looking
    one up here (``_n(x)``, a dict's own ``__getitem__``) runs no Python code once it is kept,
    where a cached function still costs a Python call per number; only a value not yet kept
    comes to ``__missing__``. Zero is written but never kept: ``0.0`` and ``-0.0`` are one key
    but two texts (``0``, ``-0``). Past ``_KEPT`` values the texts are dropped and made anew,
    so a long run cannot grow them without end.
    """

    def __missing__(self, x: float) -> str:
        text = _round(x)
        if x:
            if len(self) >= _KEPT:
                self.clear()
            self[x] = text
        return text


def _round(x: float) -> str:
    return f"{x:.1f}".removesuffix(".0")


_KEPT = 1 << 14
_n = _Texts().__getitem__
"""A coordinate or value to one decimal, without ``.0``: ``97.4``, ``100`` (see :class:`_Texts`)."""


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round grid step (1, 2 or 5 × 10^k) giving about ``ticks`` grid lines over ``span``."""
    raw = max(span, 1.0) / ticks
    power = 10 ** (len(str(int(raw))) - 1)
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return float(m * power)
    return float(10 * power)


@lru_cache(maxsize=256)
def _grid_values(lo: float, hi: float) -> tuple[float, ...]:
    """Where the grid lines go from ``lo`` up to ``hi``: charts of the same scale share them
    (and their markup, which is kept by these values), so they are kept. ``lo`` is never
    ``-0.0`` (the charts pass ``min(0.0, …)``, which gives ``0.0`` for either zero), so the
    one key of both zeros cannot give a ``-0`` line for ``0`` or the other way."""
    step = _nice_step(hi - lo)
    values = [(lo // step) * step]
    while values[-1] < hi - 1e-9:  # the last line is at or above the highest value
        values.append(values[-1] + step)
    return tuple(values)


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar]) -> Markup:
    """Horizontal bars, one per unit in the given order; negative values run left of zero."""
    label_w, value_w, width, row, top = 150.0, 48.0, 640.0, 20.0, 24.0
    plot_w = width - label_w - value_w
    # the scale spans the least and the greatest amount: float() keeps the order of amounts
    # (rounding never swaps two), and is costly, so only these two are converted here
    amounts = [b.value for b in bars]
    least, most = (float(min(amounts)), float(max(amounts))) if amounts else (0.0, 0.0)
    grid = _grid_values(min(0.0, least), max(0.0, most))
    lo, hi = grid[0], max(grid[-1], grid[0] + 1)
    height = top + row * len(bars) + 8
    shapes = [_bar_shape(amount, lo, hi, label_w, plot_w) for amount in amounts]
    desc = "；".join(f"{b.label} {shape[-1]}分" for b, shape in zip(bars, shapes))
    out = [(f'<svg class="chart bar-chart" viewBox="0 0 {_n(width)} {_n(height)}" '
            f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'xmlns="http://www.w3.org/2000/svg">'),
           f'<title id="{chart_id}-t">{escape(title)}</title>',
           f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
           _bar_grid(grid, label_w, plot_w, top, height)]
    # the same for every bar: where labels end, the bars' height
    label_x, bar_h = _n(label_w - 6), _n(row - 6)
    # a bar's three elements written at once (joined by the newline that joins all lines); its
    # value's text (digits, sign and point, as format_points writes them) has nothing to escape
    for b, (css, x0, bar_w, value_x, text), (text_y, bar_y) in zip(
            bars, shapes, _bar_rows(len(bars), top, row)):
        out.append(f'<text class="label" x="{label_x}" y="{text_y}" '
                   f'text-anchor="end">{escape(b.label)}</text>\n'
                   f'<rect class="{css}" x="{x0}" y="{bar_y}" width="{bar_w}" height="{bar_h}"/>\n'
                   f'<text class="value" x="{value_x}" y="{text_y}">{text}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))


@lru_cache(maxsize=1 << 12)
def _bar_shape(amount: Decimal, lo: float, hi: float, label_w: float, plot_w: float
               ) -> tuple[str, str, str, str, str]:
    """A bar of :func:`bar_chart` over the scale ``lo``..``hi``: its class, x and width, the x
    of its value's text (past the bar's right end) and that text.

    Bulletins draw the same scores over the same scales again and again (three in four bars
    of the district benchmark's bulletins were drawn before), so bars are kept. Equal amounts
    share one: ``97.40`` and ``97.4``, or ``0`` and ``-0``, have the same float (or one of ±0,
    drawn alike: not below zero, at the same x) and the same text.
    """
    v = float(amount)

    def x(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    zero = x(0.0)
    x0, x1 = sorted((zero, x(v)))
    return ("bar neg" if v < 0 else "bar", _n(x0), _n(max(x1 - x0, 0.5)),
            _n(max(x1, zero) + 4), format_points(amount))


@lru_cache(maxsize=64)
def _bar_grid(grid: tuple[float, ...], label_w: float, plot_w: float, top: float,
              height: float) -> str:
    """The grid lines and their ticks of :func:`bar_chart` (its ``x`` over ``grid``): the
    same for every chart of as many bars over the same scale, so made once."""
    lo, hi = grid[0], max(grid[-1], grid[0] + 1)
    lines = []
    for g in grid:
        at = _n(label_w + (g - lo) / (hi - lo) * plot_w)
        lines.append(f'<line class="grid" x1="{at}" y1="{_n(top - 6)}" x2="{at}" '
                     f'y2="{_n(height - 8)}"/>\n'
                     f'<text class="tick" x="{at}" y="{_n(top - 10)}" '
                     f'text-anchor="middle">{_n(g)}</text>')
    return "\n".join(lines)


@lru_cache(maxsize=8)
def _bar_rows(count: int, top: float, row: float) -> tuple[tuple[str, str], ...]:
    """Where the texts and the bar of each of ``count`` rows go down a :func:`bar_chart`: the
    same for every chart of as many bars, so made once."""
    rows = []
    for i in range(count):
        y = top + i * row
        rows.append((_n(y + row * 0.7), _n(y + 3)))
    return tuple(rows)


@lru_cache(maxsize=8)
def _month_axis(months: int, left: float, plot_w: float, baseline: float
                ) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """For the months 1..``months`` of :func:`line_chart` (its ``x``): for a line of ``k``
    months, the format of its points (``x,%s`` for each month, the ``y`` to fill in) and where
    its legend goes (``x`` of its last month, plus 6); and the month labels along ``baseline``.
    The same on every line chart, so made once."""
    at = [left + (m - 1) / max(months - 1, 1) * plot_w for m in range(1, months + 1)]
    xs = [_n(a) for a in at]
    points = tuple(" ".join([f"{x},%s" for x in xs[:k]]) for k in range(months + 1))
    legend_x = ("",) + tuple(_n(a + 6) for a in at)
    labels = "\n".join(f'<text class="tick" x="{x}" y="{_n(baseline)}" '
                       f'text-anchor="middle">{m}月</text>' for m, x in enumerate(xs, 1))
    return points, legend_x, labels


@lru_cache(maxsize=32)
def _desc_format(count: int, unit: str) -> str:
    """The format of a line's values in :func:`line_chart`'s description, ``1月%s条、2月%s条``
    for ``count`` months: one ``%`` fills in them all where an f-string per month would."""
    unit = unit.replace("%", "%%")
    return "、".join([f"{m}月%s{unit}" for m in range(1, count + 1)])


@lru_cache(maxsize=64)
def _line_grid(grid: tuple[float, ...], left: float, plot_w: float, top: float,
               plot_h: float) -> str:
    """The grid lines and their ticks of :func:`line_chart` (its ``y`` over ``grid``): the
    same for every chart over the same scale, so made once."""
    lo, hi = grid[0], max(grid[-1], grid[0] + 1)
    x1, x2, tick_x = _n(left), _n(left + plot_w), _n(left - 6)
    lines = []
    for g in grid:
        at = top + (hi - g) / (hi - lo) * plot_h
        lines.append(f'<line class="grid" x1="{x1}" y1="{_n(at)}" x2="{x2}" y2="{_n(at)}"/>\n'
                     f'<text class="tick" x="{tick_x}" y="{_n(at + 4)}" '
                     f'text-anchor="end">{_n(g)}</text>')
    return "\n".join(lines)


@lru_cache(maxsize=64)
def _polyline(values: tuple[float, ...], lo: float, hi: float, top: float, plot_h: float,
              points: str) -> tuple[str, str]:
    """The points of a line of :func:`line_chart` over the scale ``lo``..``hi`` (``points``
    filled in with the ``y`` of each value) and the y of its legend.

    A unit page's pace lines are those of every unit of its category, so they are kept (its
    other lines come here once). Kept by value, zero and ``-0.0`` are one key, but they have
    the same y (``hi - v`` is ``hi``); the description, where they differ, is not kept.
    """
    ys = [top + (hi - v) / (hi - lo) * plot_h for v in values]  # y(v), in one go
    return points % tuple(map(_n, ys)), _n(ys[-1] + 4)


def line_chart(chart_id: str, title: str, series: Sequence[Series], months: int = 12,
               unit: str = "") -> Markup:
    """Lines over the months 1..``months``; a series may stop before the last month."""
    left, right, top, bottom, width, height = 52.0, 110.0, 16.0, 28.0, 640.0, 240.0
    plot_w, plot_h = width - left - right, height - top - bottom
    lines = [tuple(map(float, s.values)) for s in series]
    assert all(len(vs) <= months for vs in lines), "a value for each month at most"
    values = list(chain.from_iterable(lines)) or [0.0]
    grid = _grid_values(min(0.0, min(values)), max(1.0, max(values)))
    lo, hi = grid[0], max(grid[-1], grid[0] + 1)

    desc = "；".join(f"{s.name}：" + _desc_format(len(vs), unit) % tuple(map(_n, vs))
                     for s, vs in zip(series, lines))
    points, legend_x, labels = _month_axis(months, left, plot_w, height - 8)
    out = [(f'<svg class="chart line-chart" viewBox="0 0 {_n(width)} {_n(height)}" '
            f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'xmlns="http://www.w3.org/2000/svg">'),
           f'<title id="{chart_id}-t">{escape(title)}</title>',
           f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
           _line_grid(grid, left, plot_w, top, plot_h),
           labels]
    for s, vs in zip(series, lines):
        if not vs:
            continue
        drawn, legend_y = _polyline(vs, lo, hi, top, plot_h, points[len(vs)])
        css = escape(s.css)
        out.append(f'<polyline class="{css}" points="{drawn}"/>\n'
                   f'<text class="legend {css}" x="{legend_x[len(vs)]}" '
                   f'y="{legend_y}">{escape(s.name)}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))
