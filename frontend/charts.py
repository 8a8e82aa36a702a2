"""Accessible line charts as inline SVG, drawn on the server: no chart library, no JavaScript.

Each chart carries a <title> and <desc> and is paired (by the template) with a data table,
so a screen reader user gets the same numbers. Colours differ in lightness and each series
has its own marker shape, so the chart reads without colour too.
"""

from dataclasses import dataclass
from datetime import date
from html import escape

from django.utils.formats import date_format
from django.utils.translation import gettext

from planner.translation import number

# Dark, high-contrast colours with distinct markers (circle, square, triangle, diamond).
PALETTE = (("#0b5394", "circle"), ("#a4000f", "square"), ("#17612b", "triangle"), ("#5b2a86", "diamond"))


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[tuple[date, float | None], ...]


def line_chart_svg(
    title: str,
    series: list[Series],
    *,
    y_min: float,
    y_max: float,
    y_label: str = "",
    width: int = 640,
    height: int = 260,
) -> str:
    """An SVG line chart; None values leave gaps. Dates are spread by day on the x axis."""
    left, right, top, bottom = 44, 12, 20, 48
    days = sorted({d for s in series for d, v in s.points if v is not None})
    plot_w, plot_h = width - left - right, height - top - bottom
    if not days:
        empty, said = gettext("%(chart)s: no data yet") % {"chart": title}, gettext("No data yet")
        return (
            f'<svg role="img" viewBox="0 0 {width} 60" width="100%" aria-label="{escape(empty)}">'
            f'<title>{escape(title)}</title><text x="8" y="34" font-size="16">{escape(said)}</text></svg>'
        )
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return left + plot_w * ((day - first).days / span if len(days) > 1 else 0.5)

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - y_min) / (y_max - y_min))

    parts = [
        f'<svg role="img" viewBox="0 0 {width} {height}" width="100%" class="chart" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(_describe(series))}</desc>",
    ]
    for tick in _ticks(y_min, y_max):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ccc"/>'
            f'<text x="{left - 6}" y="{y(tick) + 5:.1f}" text-anchor="end" font-size="13">{number(tick)}</text>'
        )
    day_format = gettext("j M")
    for day, anchor in ((first, "start"), (last, "end")) if first != last else ((first, "middle"),):
        parts.append(
            f'<text x="{x(day):.1f}" y="{height - bottom + 20}" text-anchor="{anchor}" font-size="13">'
            f"{escape(date_format(day, day_format))}</text>"
        )
    if y_label:  # above the plot, clear of the legend
        parts.append(f'<text x="4" y="{top - 2}" font-size="13">{escape(y_label)}</text>')
    for index, one in enumerate(series):
        colour, marker = PALETTE[index % len(PALETTE)]
        points = [(x(d), y(v)) for d, v in one.points if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{path}"/>')
        parts.extend(_marker(marker, colour, px, py) for px, py in points)
        legend_x = left + index * ((width - left - right) // max(len(series), 1))
        parts.append(_marker(marker, colour, legend_x + 6, height - bottom + 38))
        parts.append(f'<text x="{legend_x + 16}" y="{height - bottom + 43}" font-size="13">{escape(one.label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def time_chart_svg(
    chart, *, title: str = "", y_range: tuple[float, float] | None = None, width: int = 640, height: int = 260
) -> str:
    """A chart built by planner.documents.charts (its series, labels and points) as SVG.

    The page may name it for screen readers (title) and give round axis bounds (y_range): the axis
    ticks here are five equal steps, so a range such as 6-20 would read 8.8, 11.6 ...
    """
    low, high = y_range or (chart.y_min, chart.y_max)
    series = [Series(one.label, tuple(one.points)) for one in chart.series]
    return line_chart_svg(title or chart.title, series, y_min=low, y_max=high, width=width, height=height)


def _ticks(low: float, high: float) -> list[float]:
    step = (high - low) / 5
    return [low + step * n for n in range(6)]


def _marker(shape: str, colour: str, px: float, py: float) -> str:
    if shape == "square":
        return f'<rect x="{px - 4:.1f}" y="{py - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        corners = ((px, py - 5), (px - 5, py + 4), (px + 5, py + 4))
        return _polygon(corners, colour)
    if shape == "diamond":
        return _polygon(((px, py - 5), (px + 5, py), (px, py + 5), (px - 5, py)), colour)
    return f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"/>'


def _polygon(corners, colour: str) -> str:
    points = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in corners)
    return f'<polygon points="{points}" fill="{colour}"/>'


def _describe(series: list[Series]) -> str:
    words = []
    for one in series:
        values = [v for _d, v in one.points if v is not None]
        if values:
            words.append(
                gettext("%(series)s: %(count)s values, latest %(latest)s, range %(low)s to %(high)s")
                % {
                    "series": one.label,
                    "count": len(values),
                    "latest": number(values[-1]),
                    "low": number(min(values)),
                    "high": number(max(values)),
                }
            )
    return "; ".join(words) or gettext("No data")
