"""The exercise figures drawn natively with reportlab graphics, for the plan PDF.

The same shapes as the page's SVG (planner.figures.scene.absolute_shapes), for the start and the
end keyframe side by side with an arrow between: paper cannot move, so it shows both ends of the
movement. Protected regions are marked and carry no weight, exactly as on the page.
"""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from planner.figures.library import default_figures
from planner.figures.scene import BOX_HEIGHT, BOX_WIDTH, STYLES, Shape, absolute_shapes

PANEL_GAP = 26.0  # box units between the two poses, where the arrow goes


def _colour(value: str, opacity: float):
    if value == "none":
        return None
    colour = colors.HexColor(value)
    return colors.Color(colour.red, colour.green, colour.blue, alpha=opacity)


def _flip(y: float) -> float:
    # reportlab's y grows upwards, the figure box's downwards.
    return BOX_HEIGHT - y


def _shape(shape: Shape):
    style = STYLES[shape.style]
    opacity = style.get("opacity", 1.0)
    stroke, fill = _colour(style["stroke"], opacity), _colour(style["fill"], opacity)
    c = shape.coords
    common = {"strokeColor": stroke, "strokeWidth": shape.width if stroke else 0, "strokeLineCap": 1}
    if shape.kind == "line":
        return Line(c[0], _flip(c[1]), c[2], _flip(c[3]), **common)
    if shape.kind == "circle":
        return Circle(c[0], _flip(c[1]), c[2], fillColor=fill, **common)
    if shape.kind == "rect":
        return Rect(c[0], _flip(c[1] + c[3]), c[2], c[3], fillColor=fill, **{**common, "strokeWidth": 0.5})
    points = [v if i % 2 == 0 else _flip(v) for i, v in enumerate(c)]
    return PolyLine(points, **common)


def _pose(shapes: list[Shape], dx: float) -> Group:
    group = Group(*(_shape(shape) for shape in shapes))
    group.translate(dx, 0)
    return group


def figure_drawing(slug: str, protected: Iterable[str] = (), width: float = 300.0) -> Drawing | None:
    """The start and end poses of `slug`'s figure, `width` points wide; None when it has no figure."""
    figure = default_figures().get(slug)
    if figure is None:
        return None
    protected = tuple(protected)
    total = 2 * BOX_WIDTH + PANEL_GAP
    scale = width / total
    drawing = Drawing(width, BOX_HEIGHT * scale)
    canvas = Group()
    canvas.add(_pose(absolute_shapes(figure, figure.keyframes[0], protected), 0.0))
    # The last keyframe: where the movement ends up (with three keyframes, the top of a step or a rise).
    canvas.add(_pose(absolute_shapes(figure, figure.keyframes[-1], protected), BOX_WIDTH + PANEL_GAP))
    mid, y = BOX_WIDTH + PANEL_GAP / 2, BOX_HEIGHT / 2
    grey = colors.HexColor("#868e96")
    canvas.add(Line(mid - 9, y, mid + 5, y, strokeColor=grey, strokeWidth=2.5))
    canvas.add(
        Polygon([mid + 3, y + 5, mid + 10, y, mid + 3, y - 5], fillColor=grey, strokeColor=grey, strokeWidth=0.5)
    )
    for x, words in ((BOX_WIDTH / 2, "Start"), (BOX_WIDTH * 1.5 + PANEL_GAP, "Then")):
        canvas.add(
            String(x, BOX_HEIGHT - 9, words, textAnchor="middle", fontName="Helvetica", fontSize=8, fillColor=grey)
        )
    canvas.scale(scale, scale)
    drawing.add(canvas)
    return drawing
