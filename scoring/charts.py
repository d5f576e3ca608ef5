"""Charts as inline SVG, drawn at build time: no JavaScript, nothing fetched, printable.

Each function returns escaped SVG markup (``Markup``) with a ``<title>`` and ``<desc>`` naming
every figure, so the chart also reads as text to screen readers. Coordinates are rounded to
one decimal so that the same figures always give the same bytes.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
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


def _n(x: float) -> str:
    """A coordinate or value to one decimal, without ``.0``: ``97.4``, ``100``.

    A site's charts share a few thousand of these among hundreds of thousands written, so
    they are kept; not zero, whose sign (``-0``) the cache would not tell apart.
    """
    return _rounded(x) if x else _round(x)


def _round(x: float) -> str:
    return f"{x:.1f}".removesuffix(".0")


_rounded = lru_cache(maxsize=1 << 14)(_round)


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round grid step (1, 2 or 5 × 10^k) giving about ``ticks`` grid lines over ``span``."""
    raw = max(span, 1.0) / ticks
    power = 10 ** (len(str(int(raw))) - 1)
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return float(m * power)
    return float(10 * power)


def _grid_values(lo: float, hi: float) -> list[float]:
    step = _nice_step(hi - lo)
    values = [(lo // step) * step]
    while values[-1] < hi - 1e-9:  # the last line is at or above the highest value
        values.append(values[-1] + step)
    return values


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar]) -> Markup:
    """Horizontal bars, one per unit in the given order; negative values run left of zero."""
    label_w, value_w, width, row, top = 150.0, 48.0, 640.0, 20.0, 24.0
    plot_w = width - label_w - value_w
    values = [float(b.value) for b in bars] or [0.0]
    grid = _grid_values(min(0.0, min(values)), max(0.0, max(values)))
    lo, hi = grid[0], max(grid[-1], grid[0] + 1)
    height = top + row * len(bars) + 8

    def x(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    shown = [format_points(b.value) for b in bars]
    desc = "；".join(f"{b.label} {text}分" for b, text in zip(bars, shown))
    out = [(f'<svg class="chart bar-chart" viewBox="0 0 {_n(width)} {_n(height)}" '
            f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'xmlns="http://www.w3.org/2000/svg">'),
           f'<title id="{chart_id}-t">{escape(title)}</title>',
           f'<desc id="{chart_id}-d">{escape(desc)}</desc>']
    for g in grid:
        at = _n(x(g))
        out.append(f'<line class="grid" x1="{at}" y1="{_n(top - 6)}" x2="{at}" '
                   f'y2="{_n(height - 8)}"/>')
        out.append(f'<text class="tick" x="{at}" y="{_n(top - 10)}" '
                   f'text-anchor="middle">{_n(g)}</text>')
    # the same for every bar: where labels end, the bars' height, where zero is
    label_x, bar_h, zero = _n(label_w - 6), _n(row - 6), x(0.0)
    for i, (b, text) in enumerate(zip(bars, shown)):
        y, v = top + i * row, float(b.value)
        x0, x1 = sorted((zero, x(v)))
        css = "bar neg" if v < 0 else "bar"
        text_y = _n(y + row * 0.7)
        out.append(f'<text class="label" x="{label_x}" y="{text_y}" '
                   f'text-anchor="end">{escape(b.label)}</text>')
        out.append(f'<rect class="{css}" x="{_n(x0)}" y="{_n(y + 3)}" '
                   f'width="{_n(max(x1 - x0, 0.5))}" height="{bar_h}"/>')
        out.append(f'<text class="value" x="{_n(max(x1, zero) + 4)}" '
                   f'y="{text_y}">{escape(text)}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))


@lru_cache(maxsize=8)
def _month_axis(months: int, left: float, plot_w: float, baseline: float
                ) -> tuple[tuple[str, ...], str]:
    """The x of months 1..``months`` (as ``x`` in :func:`line_chart`) and their labels along
    ``baseline``: the same on every line chart, so made once."""
    xs = tuple(_n(left + (m - 1) / max(months - 1, 1) * plot_w) for m in range(1, months + 1))
    labels = "\n".join(f'<text class="tick" x="{at}" y="{_n(baseline)}" '
                       f'text-anchor="middle">{m}月</text>' for m, at in enumerate(xs, 1))
    return xs, labels


def line_chart(chart_id: str, title: str, series: Sequence[Series], months: int = 12,
               unit: str = "") -> Markup:
    """Lines over the months 1..``months``; a series may stop before the last month."""
    left, right, top, bottom, width, height = 52.0, 110.0, 16.0, 28.0, 640.0, 240.0
    plot_w, plot_h = width - left - right, height - top - bottom
    lines = [[float(v) for v in s.values] for s in series]
    assert all(len(vs) <= months for vs in lines), "a value for each month at most"
    values = [v for vs in lines for v in vs] or [0.0]
    grid = _grid_values(min(0.0, min(values)), max(1.0, max(values)))
    lo, hi = grid[0], max(grid[-1], grid[0] + 1)

    def x(month: int) -> float:
        return left + (month - 1) / max(months - 1, 1) * plot_w

    def y(v: float) -> float:
        return top + (hi - v) / (hi - lo) * plot_h

    desc = "；".join(f"{s.name}：" + "、".join([f"{m}月{_n(v)}{unit}" for m, v in enumerate(vs, 1)])
                     for s, vs in zip(series, lines))
    out = [(f'<svg class="chart line-chart" viewBox="0 0 {_n(width)} {_n(height)}" '
            f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'xmlns="http://www.w3.org/2000/svg">'),
           f'<title id="{chart_id}-t">{escape(title)}</title>',
           f'<desc id="{chart_id}-d">{escape(desc)}</desc>']
    x1, x2, tick_x = _n(left), _n(left + plot_w), _n(left - 6)
    for g in grid:
        at = y(g)
        out.append(f'<line class="grid" x1="{x1}" y1="{_n(at)}" x2="{x2}" y2="{_n(at)}"/>')
        out.append(f'<text class="tick" x="{tick_x}" y="{_n(at + 4)}" '
                   f'text-anchor="end">{_n(g)}</text>')
    xs, labels = _month_axis(months, left, plot_w, height - 8)
    out.append(labels)
    for s, vs in zip(series, lines):
        if not vs:
            continue
        ys = [top + (hi - v) / (hi - lo) * plot_h for v in vs]  # y(v), in one go
        pts = " ".join([f"{at},{_n(v)}" for at, v in zip(xs, ys)])
        css = escape(s.css)
        out.append(f'<polyline class="{css}" points="{pts}"/>')
        out.append(f'<text class="legend {css}" x="{_n(x(len(vs)) + 6)}" '
                   f'y="{_n(ys[-1] + 4)}">{escape(s.name)}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))
