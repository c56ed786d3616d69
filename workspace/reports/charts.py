"""Bar charts drawn on the server as inline SVG: no JavaScript, no vendored library, printable,
and the same numbers are always given as a table beside the chart (docs/decisions/0007)."""

from __future__ import annotations

import math

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#1f7a4d", "#c0392b", "#2c6fbb", "#d68910", "#7d3c98", "#5d6d7e")
CHAR_W = 6.4  # average width of one character at font-size 11, in px
ROTATE = 40  # degrees by which category labels turn when they do not fit under their bar


def _plain(value: float) -> str:
    """A value for data attributes: 3000000, 2.5 (never 3e+06)."""
    return str(int(value)) if value == int(value) else repr(value)


def _label(value: float) -> str:
    """A value for people, in the active language's notation, grouped: 1.000.000 / 1,000,000."""
    return number_format(int(value) if value == int(value) else value, force_grouping=True)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


# Colours with a meaning: lateness is red wherever it is drawn, never the palette's green.
OVERDUE_COLOUR = "#c0392b"


def short_label(text: str, limit: int = 32) -> str:
    """A category label that fits under a bar (the table beside the chart has it in full)."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def bar_chart(*, title: str, categories: list[str], series: list[tuple[str, list[float]]], stacked: bool = True,
              width: int = 720, height: int = 260, chart_id: str = "", colours: list[str] | None = None) -> SafeString:
    """A vertical bar chart: one group per category, one bar (or stack segment) per series.
    Every bar carries ``data-value`` and a ``<title>`` (a tooltip, read by screen readers).
    ``colours`` gives each series its colour (default: the palette in order)."""
    palette = list(colours) if colours else list(PALETTE)
    if stacked:
        peak = max([sum(s[1][i] for s in series) for i in range(len(categories))] or [0])
    else:
        peak = max([v for s in series for v in s[1]] or [0])
    top_value = _nice_max(float(peak))
    if all(float(v).is_integer() for _name, values in series for v in values):
        top_value = max(4, math.ceil(top_value / 4) * 4)  # counts: whole ticks, never a quarter of a permit
    ticks = [(top_value * tick / 4, _label(top_value * tick / 4)) for tick in range(5)]
    # The left margin fits the widest tick label; category labels that are wider than their
    # group turn by ROTATE degrees, and the chart grows downwards to hold them.
    left, right, top, bottom = 16 + CHAR_W * max(len(label) for _v, label in ticks), 12, 28, 46
    plot_w = width - left - right
    group_w = plot_w / max(len(categories), 1)
    widest = CHAR_W * max([len(str(c)) for c in categories] or [0])
    rotate = widest > group_w - 4
    if rotate:
        extra = int(widest * math.sin(math.radians(ROTATE))) + 4
        height, bottom = height + extra, bottom + extra
        # The first label, turned, reaches left of its bar: keep it inside the picture.
        reach = widest * math.cos(math.radians(ROTATE)) - group_w / 2 + 4
        if reach > left:
            left = reach
            plot_w = width - left - right
            group_w = plot_w / max(len(categories), 1)
    plot_h = height - top - bottom
    bars_per_group = 1 if stacked else max(len(series), 1)
    bar_w = min(max(group_w * 0.7 / bars_per_group, 1), 64)
    out = [
        f'<svg class="chart" id="{escape(chart_id)}" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    for tick, (value, label) in enumerate(ticks):
        y = top + plot_h - plot_h * tick / 4
        out.append(f'<line x1="{left:.1f}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{escape(label)}</text>')
    for i, category in enumerate(categories):
        x0 = left + i * group_w + (group_w - bar_w * bars_per_group) / 2
        base = top + plot_h
        for j, (name, values) in enumerate(series):
            value = float(values[i] or 0)
            h = plot_h * value / top_value
            x = x0 if stacked else x0 + j * bar_w
            y = base - h
            out.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{palette[j % len(palette)]}" '
                f'data-series="{escape(name)}" data-value="{_plain(value)}"><title>{escape(category)} · {escape(name)}: {_label(value)}</title></rect>'
            )
            if stacked:
                base = y
        x, y = left + i * group_w + group_w / 2, top + plot_h + 16
        placement = (f'text-anchor="end" transform="rotate(-{ROTATE} {x:.1f} {y - 4})"' if rotate
                     else 'text-anchor="middle"')
        out.append(f'<text x="{x:.1f}" y="{y}" {placement} fill="#333">{escape(category)}</text>')
    legend_x = left
    for j, (name, _values) in enumerate(series):
        out.append(f'<rect x="{legend_x:.1f}" y="{height - 16}" width="10" height="10" fill="{palette[j % len(palette)]}"/>')
        out.append(f'<text x="{legend_x + 14:.1f}" y="{height - 7}" fill="#333">{escape(name)}</text>')
        legend_x += 24 + 7 * len(str(name))
    out.append("</svg>")
    return mark_safe("".join(out))  # every piece of text above is escaped
