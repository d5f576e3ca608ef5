"""Charts as inline SVG, drawn at build time: no JavaScript, nothing fetched, printable.

Each function returns escaped SVG markup (``Markup``) with a ``<title>`` and ``<desc>`` naming
every figure, so the chart also reads as text to screen readers. Coordinates are rounded to
one decimal so that the same figures always give the same bytes.
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from markupsafe import Markup, escape

from ..rulebook.results import format_points


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
    """A coordinate or value to one decimal, without ``.0``: ``97.4``, ``100``."""
    return f"{x:.1f}".removesuffix(".0")


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round grid step (1, 2 or 5 × 10^k) giving about ``ticks`` grid lines over ``span``."""
    raw = max(span, 1.0) / ticks
    power = 10 ** (len(str(int(raw))) - 1)
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return float(m * power)
    return float(10 * power)


def _grid_values(lo: float, hi: float) -> list[float]:
    """Where the grid lines go from ``lo`` up to ``hi`` (the last at or above ``hi``)."""
    step = _nice_step(hi - lo)
    values = [(lo // step) * step]
    while values[-1] < hi - 1e-9:
        values.append(values[-1] + step)
    return values


def _head(kind: str, chart_id: str, title: str, desc: str, width: float,
          height: float) -> list[str]:
    return [(f'<svg class="chart {kind}" viewBox="0 0 {_n(width)} {_n(height)}" '
             f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
             f'xmlns="http://www.w3.org/2000/svg">'),
            f'<title id="{chart_id}-t">{escape(title)}</title>',
            f'<desc id="{chart_id}-d">{escape(desc)}</desc>']


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

    desc = "；".join(f"{b.label} {format_points(b.value)}分" for b in bars)
    out = _head("bar-chart", chart_id, title, desc, width, height)
    out += [f'<line class="grid" x1="{_n(x(g))}" y1="{_n(top - 6)}" x2="{_n(x(g))}" '
            f'y2="{_n(height - 8)}"/>\n'
            f'<text class="tick" x="{_n(x(g))}" y="{_n(top - 10)}" '
            f'text-anchor="middle">{_n(g)}</text>' for g in grid]
    zero = x(0.0)
    for i, b in enumerate(bars):
        v = float(b.value)
        y = top + i * row
        x0, x1 = sorted((zero, x(v)))
        out.append(f'<text class="label" x="{_n(label_w - 6)}" y="{_n(y + row * 0.7)}" '
                   f'text-anchor="end">{escape(b.label)}</text>\n'
                   f'<rect class="{"bar neg" if v < 0 else "bar"}" x="{_n(x0)}" y="{_n(y + 3)}" '
                   f'width="{_n(max(x1 - x0, 0.5))}" height="{_n(row - 6)}"/>\n'
                   f'<text class="value" x="{_n(max(x1, zero) + 4)}" y="{_n(y + row * 0.7)}">'
                   f'{format_points(b.value)}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))


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

    desc = "；".join(f"{s.name}：" + "、".join(f"{m}月{_n(v)}{unit}" for m, v in enumerate(vs, 1))
                     for s, vs in zip(series, lines, strict=True))
    out = _head("line-chart", chart_id, title, desc, width, height)
    out.append("\n".join(f'<line class="grid" x1="{_n(left)}" y1="{_n(y(g))}" '
                         f'x2="{_n(left + plot_w)}" y2="{_n(y(g))}"/>\n'
                         f'<text class="tick" x="{_n(left - 6)}" y="{_n(y(g) + 4)}" '
                         f'text-anchor="end">{_n(g)}</text>' for g in grid))
    out.append("\n".join(f'<text class="tick" x="{_n(x(m))}" y="{_n(height - 8)}" '
                         f'text-anchor="middle">{m}月</text>' for m in range(1, months + 1)))
    legends = []
    for s, vs in zip(series, lines, strict=True):
        if not vs:
            continue
        css = escape(s.css)
        if len(vs) == 1:  # one month: a point, since a line of one point draws nothing
            out.append(f'<circle class="{css} point" cx="{_n(x(1))}" cy="{_n(y(vs[0]))}" r="3"/>')
        else:
            drawn = " ".join(f"{_n(x(m))},{_n(y(v))}" for m, v in enumerate(vs, 1))
            out.append(f'<polyline class="{css}" points="{drawn}"/>')
        legends.append(Legend(x(len(vs)) + 6, y(vs[-1]) + 4, s.name, css))
    out += [f'<text class="legend {g.css}" x="{_n(g.x)}" y="{_n(g.y)}">{escape(g.name)}</text>'
            for g in spread(legends, top + 4, height - bottom + 4)]
    out.append("</svg>")
    return Markup("\n".join(out))


class Legend(NamedTuple):
    """A series' name beside its last point: baseline position, text, CSS class."""

    x: float
    y: float
    name: str
    css: str


LEGEND_PITCH = 13.0  # px between legend baselines: the 11 px type does not overlap


def spread(legends: Sequence[Legend], lo: float, hi: float) -> list[Legend]:
    """The legends moved apart vertically where they stand at the same x (series ending in
    the same month, as all do in a one-month year), kept between ``lo`` and ``hi``; the
    order of the input is kept."""
    placed = list(legends)
    for at in {g.x for g in legends}:
        group = sorted((i for i, g in enumerate(legends) if g.x == at),
                       key=lambda i: (legends[i].y, i))
        ys = [legends[i].y for i in group]
        for k in range(1, len(ys)):
            ys[k] = max(ys[k], ys[k - 1] + LEGEND_PITCH)
        shift = max(0.0, ys[-1] - hi)
        ys = [v - shift for v in ys]
        shift = max(0.0, lo - ys[0])
        ys = [v + shift for v in ys]
        for i, v in zip(group, ys, strict=True):
            placed[i] = legends[i]._replace(y=v)
    return placed
