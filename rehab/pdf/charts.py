"""Charts for the PDFs: planner.documents.charts TimeChart drawn on the canvas, BarChart with reportlab.graphics.

Only looks are decided here (size, colours, ticks): the series, their labels and the reference lines
come from the builder whose charts the staff pages draw too. Colours are the Okabe-Ito palette, which
colour-blind readers can tell apart, and every line also has its own marker and dash pattern so the
chart survives a black-and-white printer.
"""

from __future__ import annotations

from datetime import date, timedelta

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable

from planner.documents.charts import BarChart, TimeChart
from planner.documents.wording import month_words

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


def _tick_step(span: float, wanted: int) -> float:
    """A round step (1, 2, 5 x 10^n) giving about `wanted` intervals over `span`."""
    raw = span / max(wanted, 1)
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


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


# ---------------------------------------------------------------------------------------------
# The time chart drawn straight onto the page
# ---------------------------------------------------------------------------------------------


class TimeChartFlowable(Flowable):
    """A line chart of the chart's series over dates, with its reference lines and a legend below,
    drawn with a handful of canvas calls (reportlab's LinePlot built and walked a widget tree for
    the same picture: a tenth of the plan booklet's drawing)."""

    def __init__(self, chart: TimeChart, width: float, height: float, font: str):
        super().__init__()
        self.chart, self.width, self.height, self.font = chart, width, height, font

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        canvas, chart = self.canv, self.chart
        series = [s for s in chart.series if s.points]
        first = min(point[0] for s in series for point in s.points)
        last = max(point[0] for s in series for point in s.points)
        span_days = max((last - first).days, 6)
        left, bottom = 48.0, 58.0
        width, height = self.width - left - 16, self.height - bottom - 12

        def x_of(days: float) -> float:
            return left + days / span_days * width

        def y_of(value: float) -> float:
            return bottom + (value - chart.y_min) / (chart.y_max - chart.y_min) * height

        canvas.saveState()
        canvas.setFont(self.font, AXIS_FONT_SIZE)
        # The value axis: a grid line and a label per step.
        step = _tick_step(chart.y_max - chart.y_min, 5)
        canvas.setStrokeColor(colors.HexColor("#DDDDDD"))
        canvas.setLineWidth(1)
        value = chart.y_min
        while value <= chart.y_max + 1e-9:
            canvas.line(left, y_of(value), left + width, y_of(value))
            canvas.drawRightString(left - 5, y_of(value) - 4, f"{value:g}")
            value += step
        # The date axis: a tick and a label every week or more.
        day_step = max(7, int(_tick_step(span_days, 6) // 7 * 7) or 7)
        canvas.setStrokeColor(colors.black)
        for days in range(0, span_days + 1, day_step):
            day: date = first + timedelta(days=days)
            canvas.line(x_of(days), bottom, x_of(days), bottom - 5)
            canvas.drawCentredString(x_of(days), bottom - 5 - AXIS_FONT_SIZE - 4, f"{day.day} {month_words(day.month)}")
        canvas.line(left, bottom, left, bottom + height)
        canvas.line(left, bottom, left + width, bottom)
        for index, line in enumerate(series):
            style = index % len(LINE_COLOURS)
            points = [(x_of((day - first).days), y_of(value)) for day, value in line.points]
            canvas.setStrokeColor(LINE_COLOURS[style])
            canvas.setFillColor(LINE_COLOURS[style])
            canvas.setLineWidth(2.5)
            canvas.setDash(list(DASHES[style] or ()), 0)
            if len(points) > 1:
                path = canvas.beginPath()
                path.moveTo(*points[0])
                for point in points[1:]:
                    path.lineTo(*point)
                canvas.drawPath(path, stroke=1, fill=0)
            canvas.setDash([], 0)
            canvas.setLineWidth(1)
            for x, y in points:
                _marker(canvas, MARKERS[style], x, y, 7)
        references = [r for r in chart.reference_lines if chart.y_min <= r.value <= chart.y_max]
        canvas.setStrokeColor(REFERENCE_COLOUR)
        canvas.setLineWidth(1.5)
        canvas.setDash(list(REFERENCE_DASH), 0)
        for reference in references:
            canvas.line(left, y_of(reference.value), left + width, y_of(reference.value))
        canvas.setDash([], 0)
        # The legend sits under the chart so that no label hides a data point.
        entries = [(s.label, LINE_COLOURS[i % 4], DASHES[i % 4], MARKERS[i % 4]) for i, s in enumerate(series)]
        entries += [(r.label, REFERENCE_COLOUR, REFERENCE_DASH, None) for r in references]
        x, y = left, 6.0
        for label, colour, dash, marker in entries:
            canvas.setStrokeColor(colour)
            canvas.setFillColor(colour)
            canvas.setLineWidth(2.5)
            canvas.setDash(list(dash) if dash else [], 0)
            canvas.line(x, y + 4, x + 22, y + 4)
            canvas.setDash([], 0)
            canvas.setLineWidth(1)
            if marker:
                _marker(canvas, marker, x + 11, y + 4, 7)
            canvas.setFillColor(colors.black)
            canvas.drawString(x + 28, y, label)
            x += 40 + len(label) * AXIS_FONT_SIZE * 0.55
        canvas.restoreState()


def _marker(canvas, kind: str, x: float, y: float, size: float) -> None:
    """A filled marker centred on (x, y), in the current colours: circle, square, diamond or triangle."""
    half = size / 2
    if kind == "FilledCircle":
        canvas.circle(x, y, half, stroke=1, fill=1)
        return
    if kind == "FilledSquare":
        corners = [(x - half, y - half), (x + half, y - half), (x + half, y + half), (x - half, y + half)]
    elif kind == "FilledDiamond":
        corners = [(x, y - half), (x + half, y), (x, y + half), (x - half, y)]
    else:
        corners = [(x - half, y - half), (x + half, y - half), (x, y + half)]
    path = canvas.beginPath()
    path.moveTo(*corners[0])
    for corner in corners[1:]:
        path.lineTo(*corner)
    path.close()
    canvas.drawPath(path, stroke=1, fill=1)
