"""Charts for the PDFs: planner.documents.charts TimeChart and BarChart drawn with reportlab.graphics.

Only looks are decided here (size, colours, ticks): the series, their labels and the reference lines
come from the builder whose charts the staff pages draw too. Colours are the Okabe-Ito palette, which
colour-blind readers can tell apart, and every line also has its own marker and dash pattern so the
chart survives a black-and-white printer.
"""

from __future__ import annotations

from datetime import date, timedelta

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from planner.documents.charts import BarChart, TimeChart

LINE_COLOURS = (
    colors.HexColor("#D55E00"),
    colors.HexColor("#0072B2"),
    colors.HexColor("#000000"),
    colors.HexColor("#009E73"),
)
MARKERS = ("FilledCircle", "FilledSquare", "FilledDiamond", "FilledTriangle")
DASHES = (None, (6, 3), (2, 2), (8, 2, 2, 2))
BAR_COLOURS = (colors.HexColor("#BBBBBB"), colors.HexColor("#0072B2"), colors.HexColor("#D55E00"))
REFERENCE_COLOUR = colors.HexColor("#7A0019")
REFERENCE_DASH = (4, 3)
AXIS_FONT_SIZE = 12
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _tick_step(span: float, wanted: int) -> float:
    """A round step (1, 2, 5 x 10^n) giving about `wanted` intervals over `span`."""
    raw = span / max(wanted, 1)
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _legend(drawing: Drawing, entries, x: float, y: float, font: str) -> None:
    """One row of legend entries: a short line with its marker, then the label."""
    for label, colour, dash, marker in entries:
        drawing.add(Line(x, y + 4, x + 22, y + 4, strokeColor=colour, strokeWidth=2.5, strokeDashArray=dash))
        if marker:
            mark = makeMarker(marker, x=x + 11, y=y + 4, size=7, fillColor=colour, strokeColor=colour)
            drawing.add(mark)
        drawing.add(String(x + 28, y, label, fontName=font, fontSize=AXIS_FONT_SIZE, fillColor=colors.black))
        x += 40 + len(label) * AXIS_FONT_SIZE * 0.55


def time_chart(chart: TimeChart, width: float, height: float, font: str) -> Drawing:
    """A line chart of the chart's series over dates, with its reference lines and a legend below."""
    drawing = Drawing(width, height)
    series = [s for s in chart.series if s.points]
    first = min(point[0] for s in series for point in s.points)
    last = max(point[0] for s in series for point in s.points)
    span_days = max((last - first).days, 6)

    plot = LinePlot()
    plot.x, plot.y = 48, 58
    plot.width, plot.height = width - plot.x - 16, height - plot.y - 12
    plot.data = [[((day - first).days, value) for day, value in s.points] for s in series]
    for index in range(len(series)):
        style = index % len(LINE_COLOURS)
        plot.lines[index].strokeColor = LINE_COLOURS[style]
        plot.lines[index].strokeWidth = 2.5
        plot.lines[index].symbol = makeMarker(MARKERS[style], size=7)
        plot.lines[index].symbol.fillColor = LINE_COLOURS[style]
        plot.lines[index].symbol.strokeColor = LINE_COLOURS[style]
        if DASHES[style]:
            plot.lines[index].strokeDashArray = DASHES[style]

    x_axis = plot.xValueAxis
    x_axis.valueMin, x_axis.valueMax = 0, span_days
    step = max(7, int(_tick_step(span_days, 6) // 7 * 7) or 7)
    x_axis.valueSteps = list(range(0, span_days + 1, step))

    def day_label(value: float) -> str:
        day: date = first + timedelta(days=int(value))
        return f"{day.day} {MONTHS[day.month - 1]}"

    x_axis.labelTextFormat = day_label
    x_axis.labels.fontName, x_axis.labels.fontSize = font, AXIS_FONT_SIZE
    x_axis.labels.dy = -4

    y_axis = plot.yValueAxis
    y_axis.valueMin, y_axis.valueMax = chart.y_min, chart.y_max
    y_axis.valueStep = _tick_step(chart.y_max - chart.y_min, 5)
    y_axis.labels.fontName, y_axis.labels.fontSize = font, AXIS_FONT_SIZE
    y_axis.visibleGrid = True
    y_axis.gridStrokeColor = colors.HexColor("#DDDDDD")
    y_axis.labelTextFormat = lambda value: f"{value:g}"
    drawing.add(plot)

    references = [r for r in chart.reference_lines if chart.y_min <= r.value <= chart.y_max]
    for reference in references:
        y = plot.y + (reference.value - chart.y_min) / (chart.y_max - chart.y_min) * plot.height
        line = Line(plot.x, y, plot.x + plot.width, y, strokeColor=REFERENCE_COLOUR, strokeWidth=1.5)
        line.strokeDashArray = REFERENCE_DASH
        drawing.add(line)

    # The legend sits under the chart so that no label hides a data point.
    entries = [(s.label, LINE_COLOURS[i % 4], DASHES[i % 4], MARKERS[i % 4]) for i, s in enumerate(series)]
    entries += [(r.label, REFERENCE_COLOUR, REFERENCE_DASH, None) for r in references]
    _legend(drawing, entries, plot.x, 6, font)
    return drawing


def bar_chart(chart: BarChart, width: float, height: float, font: str) -> Drawing:
    """Grouped bars, one group per category, with a legend below."""
    drawing = Drawing(width, height)
    bars = VerticalBarChart()
    bars.x, bars.y = 48, 58
    bars.width, bars.height = width - bars.x - 16, height - bars.y - 12
    bars.data = [list(s.values) for s in chart.series]
    bars.categoryAxis.categoryNames = list(chart.categories)
    bars.categoryAxis.labels.fontName, bars.categoryAxis.labels.fontSize = font, AXIS_FONT_SIZE
    bars.categoryAxis.labels.dy = -4
    bars.valueAxis.valueMin, bars.valueAxis.valueMax = 0, chart.y_max
    bars.valueAxis.valueStep = max(1, _tick_step(chart.y_max, 5))
    bars.valueAxis.labels.fontName, bars.valueAxis.labels.fontSize = font, AXIS_FONT_SIZE
    bars.valueAxis.labelTextFormat = lambda value: f"{value:g}"
    bars.valueAxis.visibleGrid = True
    bars.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    bars.groupSpacing, bars.barSpacing = 6, 1
    for index in range(len(chart.series)):
        bars.bars[index].fillColor = BAR_COLOURS[index % len(BAR_COLOURS)]
        bars.bars[index].strokeColor = colors.black
        bars.bars[index].strokeWidth = 0.5
    drawing.add(bars)
    x = bars.x
    for index, series in enumerate(chart.series):
        drawing.add(
            Rect(
                x, 6, 14, 14, fillColor=BAR_COLOURS[index % len(BAR_COLOURS)], strokeColor=colors.black, strokeWidth=0.5
            )
        )
        drawing.add(String(x + 20, 8, series.label, fontName=font, fontSize=AXIS_FONT_SIZE))
        x += 40 + len(series.label) * AXIS_FONT_SIZE * 0.55
    return drawing
