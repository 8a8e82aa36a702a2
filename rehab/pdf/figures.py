"""The exercise figures drawn natively with reportlab graphics, for the plan PDF.

The same shapes as the page's SVG (planner.figures.scene.absolute_shapes), for the start and the
end keyframe side by side with an arrow between: paper cannot move, so it shows both ends of the
movement. Protected regions are marked and carry no weight, exactly as on the page.

A figure is some fifty shapes whose building, checking and walking by reportlab's renderer cost
more than the rest of its page, and their drawing is the same in every booklet: `figure_flowable`
draws each (exercise, protected regions, width) once per process into a scratch canvas and keeps the
PDF operators it wrote (`figure_code`). Those operators (some 5 KB a figure, two fifths of a
booklet's page content) are compressed once per process into a form XObject's stream
(`figure_form`), which each booklet embeds as it is and each page that shows the figure draws by
name (`RecordedFigure`): a booklet no longer compresses them again.
"""

from __future__ import annotations

import functools
import io
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas, ExtGState
from reportlab.platypus import Flowable

from planner.figures.library import default_figures
from planner.figures.scene import BOX_HEIGHT, BOX_WIDTH, STYLES, Shape, absolute_shapes
from planner.translation import pgettext
from rehab.pdf.text import WrittenOntoPage, word_width
from rehab.pdf.ttf import FastTTFont, colour_operator, font_operator, lines_operators

PANEL_GAP = 26.0  # box units between the two poses, where the arrow goes
# The words over each pose, at their centre (box units).
LABELS = ((BOX_WIDTH / 2, "Start"), (BOX_WIDTH * 1.5 + PANEL_GAP, "Then"))


def _label(words: str) -> str:
    """A pose's label in the reader's language, read when drawn (the recorded figures have none)."""
    # Literal calls, so that makemessages finds them.
    return pgettext("exercise figure", "Start") if words == "Start" else pgettext("exercise figure", "Then")


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


def figure_drawing(
    slug: str, protected: Iterable[str] = (), width: float = 300.0, labels: bool = True
) -> Drawing | None:
    """The start and end poses of `slug`'s figure, `width` points wide; None when it has no figure.
    labels: write "Start" and "Then" above the poses (RecordedFigure writes them in the body font)."""
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
    for x, words in LABELS if labels else ():
        canvas.add(
            String(
                x, BOX_HEIGHT - 9, _label(words), textAnchor="middle", fontName="Helvetica", fontSize=8, fillColor=grey
            )
        )
    canvas.scale(scale, scale)
    drawing.add(canvas)
    return drawing


# ---------------------------------------------------------------------------------------------
# Each figure drawn once per process, its PDF operators copied into every page that shows it
# ---------------------------------------------------------------------------------------------

# Transparency is the only page resource a figure uses (its labels are written apart); reportlab
# names each transparency state in a page's resources in the order a canvas first meets it, so the
# recorded operators name them by (key, value) and RecordedFigure names them on the page's canvas.
TRANSPARENCY_KEYS = ("CA", "ca")
_EMPTY_TEXT = re.compile(r"BT /\S+ [\d.]+ Tf [\d.]+ TL ET")


@dataclass(frozen=True)
class FigureCode:
    """A figure as PDF operators: `parts` are runs of operator lines, or a (key, value) transparency
    state to name on the canvas it is copied to. height and width in points."""

    width: float
    height: float
    parts: tuple[str | tuple[str, float], ...]


@functools.lru_cache(maxsize=256)
def figure_code(slug: str, protected: tuple[str, ...], width: float, invariant: int) -> FigureCode | None:
    """`slug`'s figure without its labels as the operators reportlab's renderer writes for it, drawn
    once per process. invariant: reportlab's rl_config.invariant (reproducible files) changes the
    order in which the renderer sets each shape's state, so a recording is kept per setting."""
    drawing = figure_drawing(slug, protected, width=width, labels=False)
    if drawing is None:
        return None
    scratch = Canvas(io.BytesIO())
    start = len(scratch._code)
    renderPDF.draw(drawing, scratch, 0, 0, showBoundary=getattr(drawing, "_showBoundary", rl_config._unset_))
    states = {f"/{name} gs": state for state, name in scratch._extgstate._c.items()}
    # The renderer starts by choosing a font in an empty text object: no text is shown (the labels
    # are written apart), and the font's name would be the scratch document's.
    parts: list[str | tuple[str, float]] = []
    for line in scratch._code[start:]:
        if _EMPTY_TEXT.fullmatch(line):
            continue
        if line in states:
            parts.append(states[line])
        elif parts and isinstance(parts[-1], str):
            parts[-1] += "\n" + line  # the page's operators are lines joined by newlines
        else:
            parts.append(line)
    return FigureCode(drawing.width, drawing.height, tuple(parts))


@dataclass(frozen=True)
class FigureForm:
    """A recorded figure as a form XObject, written out: `name` is the form's name in a document,
    `written` the whole object as a document writes it (its dictionary, its compressed stream)."""

    name: str
    width: float
    height: float
    written: bytes


# Room around the drawing's box in the form's bounding box (which clips): a stroke's half width or a
# protected region's mark may reach past the box, as it could on the page.
_BLEED = 20.0


@functools.lru_cache(maxsize=256)
def figure_form(slug: str, protected: tuple[str, ...], width: float, invariant: int) -> FigureForm | None:
    """figure_code's operators as a form XObject written once per process: compressed, and with its
    dictionary formatted (reportlab's formatter took as long as the compression it saved). The form
    names its transparency states itself and starts from reportlab's defaults (opaque), whatever the
    page set before drawing it."""
    code = figure_code(slug, protected, width, invariant)
    if code is None:
        return None
    names: dict[tuple[str, float], str] = {}

    def named(state: tuple[str, float]) -> str:
        return names.setdefault(state, f"T{len(names)}")

    lines = [f"/{named((key, ExtGState.defaults[key]))} gs" for key in TRANSPARENCY_KEYS]
    lines += [part if isinstance(part, str) else f"/{named(part)} gs" for part in code.parts]
    content = "\n".join(lines).encode("latin-1")
    states = {name: pdfdoc.PDFDictionary({key: value}) for (key, value), name in names.items()}
    stream = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("XObject"),
                "Subtype": pdfdoc.PDFName("Form"),
                "FormType": 1,
                "BBox": pdfdoc.PDFArray([-_BLEED, -_BLEED, code.width + _BLEED, code.height + _BLEED]),
                "Matrix": pdfdoc.PDFArray([1, 0, 0, 1, 0, 0]),
                "Resources": pdfdoc.PDFDictionary({"ExtGState": pdfdoc.PDFDictionary(states)}),
                # Already compressed: a stream that names its filter is written as it is.
                "Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")]),
            }
        ),
        zlib.compress(content, 9),  # made once, so the smallest is worth its time
    )
    # Deterministic per figure, so that a document's bytes do not depend on the process drawing it.
    key = zlib.crc32(repr((protected, width)).encode())
    # Nothing in it refers to another object: written for one document, it is right for every other
    # (that is not encrypted: _embed checks).
    return FigureForm(f"figure-{slug}-{key:08x}", code.width, code.height, stream.format(pdfdoc.PDFDocument()))


class _Written(pdfdoc.PDFObject):
    """An indirect object whose bytes were written before (FigureForm.written)."""

    __RefOnly__ = 1

    def __init__(self, written: bytes):
        self.written = written

    def format(self, document) -> bytes:
        return self.written


def _embed(form: FigureForm, doc) -> str | None:
    """The form's name in `doc`, embedding it the first time the document draws it; None in an
    encrypted document (whose streams are encrypted as they are written)."""
    if not isinstance(doc.encrypt, pdfdoc.NoEncryption):
        return None
    internal = doc.getXObjectName(form.name)
    if internal not in doc.idToObject:
        doc.Reference(_Written(form.written), internal)
    return internal


_LABEL_COLOUR = colors.HexColor("#495057")


class RecordedFigure(WrittenOntoPage):
    """An exercise figure drawn from its form (figure_form), with "Start" and "Then" written over the
    poses in the body font at the smallest size the booklet prints: the labels' operators written
    straight onto the page, as the booklet's text is (rehab.pdf.text)."""

    def __init__(self, form: FigureForm, font: str, size: float):
        super().__init__()
        self.form, self.font, self.size = form, font, size
        self.width, self.height, self.hAlign = form.width, form.height + size + 2, "LEFT"

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def _labels(self) -> list[tuple[float, str]]:
        """(left edge, words) of each label, centred over its pose."""
        scale = self.form.width / (2 * BOX_WIDTH + PANEL_GAP)
        labels = [(x * scale, _label(words)) for x, words in LABELS]
        return [(centre - word_width(words, self.font, self.size) / 2, words) for centre, words in labels]

    def _operators(self, canvas, x: float, y: float) -> str | None:
        font, doc = pdfmetrics.getFont(self.font), canvas._doc
        labels = self._labels()
        escapes = font.escapes("".join(words for _, words in labels), doc) if isinstance(font, FastTTFont) else None
        internal = _embed(self.form, doc)
        if escapes is None or internal is None:
            return None
        selected = font_operator(font, doc, self.size, self.size * 1.2)
        top = fp_str(y + self.form.height + 2)
        code = ["q", colour_operator(_LABEL_COLOUR)]
        code += [
            f"BT 1 0 0 1 {fp_str(x + left)} {top} Tm {selected} {lines_operators([words], escapes)} ET"
            for left, words in labels
        ]
        code += [f"1 0 0 1 {fp_str(x, y)} cm", f"/{internal} Do", "Q"]
        canvas._formsinuse.append(self.form.name)  # the page's resources name it (as canvas.doForm does)
        return "\n".join(code)

    def draw(self):
        # Reached when the labels' letters need reportlab (a font that is not a FastTTFont).
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(_LABEL_COLOUR)
        canvas.setFont(self.font, self.size)
        for left, words in self._labels():
            canvas.drawString(left, self.form.height + 2, words)
        internal = _embed(self.form, canvas._doc)
        if internal is None:
            raise ValueError("an exercise figure cannot be drawn into an encrypted PDF")
        canvas._code.append(f"/{internal} Do")
        canvas._formsinuse.append(self.form.name)
        canvas.restoreState()


def figure_flowable(slug: str, protected: Iterable[str], width: float, font: str, size: float) -> Flowable | None:
    """The exercise's figure for a page, `width` points wide; None when the exercise has no figure."""
    form = figure_form(slug, tuple(protected), width, rl_config.invariant)
    return RecordedFigure(form, font, size) if form else None
