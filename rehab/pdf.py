"""Draws planner documents as PDF with reportlab platypus: the patient's plan and the progress report.

`render_plan_pdf(PlanDocument)` and `render_report_pdf(ReportDocument)` take only the dataclasses of
planner.documents: no query, no clinical decision. What the PDF says is decided there; this module
decides only how it looks: large type (body 13 pt, nothing under 12 pt), black on white, page numbers,
a header with the clinic's phone on every page, bookmarks for every section, title and author in the
metadata.

Every string is printed through `markup`, which escapes it for reportlab's paragraph markup and hands
characters the body font cannot draw (Chinese, for instance) to a fallback font, so a name such as
"Zoë <O'Brien> & Łukasz 李" prints as written.

Fonts: DejaVu Sans (Debian package fonts-dejavu-core) for the text, else Liberation Sans
(fonts-liberation), else Helvetica, whose Latin-1 range still covers Western European names. For CJK
characters, the first of Droid Sans Fallback (fonts-droid-fallback) or WenQuanYi found, embedded as a
subset; else Adobe's STSong-Light CID font, which is not embedded (viewers substitute a font).
"""

from __future__ import annotations

import functools
import io
import itertools
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.lib import colors, rl_accel
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from planner.documents.booklet import PlanDocument
from planner.documents.charts import BarChart, TimeChart
from planner.documents.report import ReportDocument
from planner.documents.wording import date_words
from rehab import pdf_charts
from rehab.pdf_figures import figure_drawing

# Page streams stay zlib-compressed, but not also ASCII85-encoded: A85 only makes a binary PDF 7-bit
# safe (for mail systems of the 1990s) at the cost of a quarter more bytes and reportlab's slow encoder.
# The setting is process-wide; this app is reportlab's only user.
rl_config.useA85 = 0
rl_config.pageCompression = 1
# Bump when the drawing changes, so that cached PDF bytes (rehab.documents.plan_pdf_bytes) are redrawn.
TEMPLATE_VERSION = "2026-11-30.1"


def accelerated() -> bool:
    """Whether reportlab draws with its C accelerator (the rl-accel package): widths, number formatting
    and escaping in C, several times faster than the pure-Python fallbacks."""
    return getattr(rl_accel, "_c_funcs", None) is not None and "instanceStringWidthTTF" in rl_accel._c_funcs


# ---------------------------------------------------------------------------------------------
# Fonts
# ---------------------------------------------------------------------------------------------

FONT_DIRS = ("/usr/share/fonts/truetype", "/usr/local/share/fonts", "/usr/share/fonts")
# Body font families, first found wins: (regular, bold) paths relative to FONT_DIRS.
FAMILIES = (
    ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),  # fonts-dejavu-core
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf"),  # fonts-liberation
    ("liberation2/LiberationSans-Regular.ttf", "liberation2/LiberationSans-Bold.ttf"),  # fonts-liberation2
)
# CJK fallbacks with TrueType outlines (reportlab cannot embed CFF/OpenType outlines).
FALLBACK_FILES = (
    "droid/DroidSansFallbackFull.ttf",
    "wqy/wqy-microhei.ttc",
    "wqy/wqy-zenhei.ttc",
    "arphic/uming.ttc",
)
CID_FALLBACK = "STSong-Light"
# Blocks the CID fallback can draw: CJK punctuation, kana, unified ideographs, full-width forms.
CID_RANGES = ((0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))
CP1252 = frozenset(ord(c) for c in bytes(range(32, 256)).decode("cp1252", errors="ignore"))


def _find(candidates: Iterable[str], dirs: Sequence[str] = FONT_DIRS) -> str | None:
    for name in candidates:
        for folder in dirs:
            path = os.path.join(folder, name)
            if os.path.exists(path):
                return path
    return None


@dataclass(frozen=True)
class FontSet:
    """The registered fonts. covered: code points the regular font can draw. source: its file, or ""."""

    regular: str
    bold: str
    covered: frozenset[int]
    source: str = ""


def load_fonts(dirs: Sequence[str] = FONT_DIRS) -> FontSet:
    """Register the first body font family found in `dirs` (DejaVu Sans first); Helvetica when none is."""
    regular = bold = None
    for regular_file, bold_file in FAMILIES:
        regular = _find((regular_file,), dirs)
        if regular is not None:
            bold = _find((bold_file,), dirs)
            break
    if regular is None:
        return FontSet("Helvetica", "Helvetica-Bold", CP1252)
    # Fonts are registered under their file's name: two families never overwrite each other.
    name = os.path.splitext(os.path.basename(regular))[0]
    body = TTFont(name, regular)
    pdfmetrics.registerFont(body)
    bold_name = name
    if bold is not None:
        bold_name = os.path.splitext(os.path.basename(bold))[0]
        pdfmetrics.registerFont(TTFont(bold_name, bold))
    pdfmetrics.registerFontFamily(name, normal=name, bold=bold_name, italic=name, boldItalic=bold_name)
    return FontSet(name, bold_name, frozenset(body.face.charToGlyph), regular)


@functools.cache
def font_set() -> FontSet:
    return load_fonts()


@functools.cache
def fallback_font() -> tuple[str, frozenset[int] | None]:
    """The font for characters the body font lacks, registered on first need (it is large).

    Returns (name, covered code points), or (CID font name, None) when only the CID font is left.
    """
    path = _find(FALLBACK_FILES)
    if path is not None:
        font = TTFont("PlanFallback", path, subfontIndex=0) if path.endswith(".ttc") else TTFont("PlanFallback", path)
        pdfmetrics.registerFont(font)
        return "PlanFallback", frozenset(font.face.charToGlyph)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CID_FALLBACK, None


def _fallback_for(code: int) -> str | None:
    name, covered = fallback_font()
    if covered is None:
        return name if any(low <= code <= high for low, high in CID_RANGES) else None
    return name if code in covered else None


def text_runs(text: str) -> list[tuple[str | None, str]]:
    """Split text into runs: (None, chunk) for the current font, (font name, chunk) for a fallback."""
    covered = font_set().covered
    runs: list[tuple[str | None, str]] = []
    for char in text:
        code = ord(char)
        font = None if code in covered or char.isspace() else _fallback_for(code)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


def markup(text: str) -> str:
    """Plain text as safe paragraph markup: escaped, with fallback fonts where the body font has no glyph."""
    text = str(text)
    if font_set().covered.issuperset(map(ord, text)):
        return escape(text)
    return "".join(
        escape(chunk) if font is None else f'<font name="{font}">{escape(chunk)}</font>'
        for font, chunk in text_runs(text)
    )


# ---------------------------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------------------------

INK = colors.black
HEADING = colors.HexColor("#102A43")
LINES = colors.HexColor("#555555")
SHADE = colors.HexColor("#E8EEF4")
WARNING = colors.HexColor("#8B0000")
WARNING_SHADE = colors.HexColor("#FDECEC")
CALM_SHADE = colors.HexColor("#FFF7D6")
ALLOWED_SHADE = colors.HexColor("#E3F2E1")
MIN_FONT_SIZE = 12
MARGIN = 50
# The plan is portrait, to read in the hand; the report is landscape, for its wide tables and charts.
FRAME_WIDTH = A4[0] - 2 * MARGIN
REPORT_PAGE = landscape(A4)
REPORT_WIDTH = REPORT_PAGE[0] - 2 * MARGIN


@functools.cache
def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    def style(name, font, size, leading, **extra):
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, **{"textColor": INK, **extra})

    return {
        "title": style("title", bold, 30, 36, textColor=HEADING, spaceAfter=18),
        "name": style("name", bold, 24, 30, spaceAfter=12),
        "h1": style("h1", bold, 22, 28, textColor=HEADING, spaceBefore=6, spaceAfter=12, keepWithNext=1),
        "h2": style("h2", bold, 16, 21, textColor=HEADING, spaceBefore=12, spaceAfter=6, keepWithNext=1),
        "h3": style("h3", bold, 14, 18, spaceBefore=10, spaceAfter=3, keepWithNext=1),
        "body": style("body", regular, 13, 18, spaceAfter=6),
        "strong": style("strong", bold, 13, 18, spaceAfter=6),
        "bullet": style(
            "bullet",
            regular,
            13,
            18,
            leftIndent=18,
            bulletIndent=4,
            bulletFontName=regular,
            bulletFontSize=13,
            spaceAfter=4,
        ),
        "cell": style("cell", regular, 12, 15),
        "cell_bold": style("cell_bold", bold, 12, 15),
        "warning": style("warning", bold, 16, 21, textColor=WARNING, spaceAfter=6),
        "big": style("big", bold, 18, 24, spaceAfter=6),
        "centre": style("centre", regular, 13, 18, alignment=TA_CENTER),
    }


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles in use (every one at least MIN_FONT_SIZE points)."""
    fonts = font_set()
    return _styles(fonts.regular, fonts.bold)


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped; a newline starts a new line)."""
    return Paragraph(markup(text).replace("\n", "<br/>"), styles()[style])


def bullets(lines: Iterable[str], style: str = "bullet") -> list[Paragraph]:
    return [Paragraph(markup(line), styles()[style], bulletText="•") for line in lines]


class Heading(Paragraph):
    """A heading that adds itself to the PDF outline (bookmarks) where it is drawn."""

    _keys = itertools.count(1)  # next() on a count is atomic: keys stay unique across threads

    def __init__(self, text: str, style: str, level: int, outline: str | None = None):
        super().__init__(markup(text), styles()[style])
        self.outline_title, self.outline_level = outline or text, level
        self.outline_key = f"section-{next(Heading._keys)}"

    def draw(self):
        self.canv.bookmarkPage(self.outline_key)
        self.canv.addOutlineEntry(self.outline_title, self.outline_key, level=self.outline_level, closed=False)
        super().draw()


def table(
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    header: bool = True,
    extra: Sequence[tuple] = (),
    row_heights=None,
) -> Table:
    """A table of text cells (the header row bold) or flowables.

    Text the body font can draw is wrapped here and drawn as plain table strings: reportlab draws
    those without parsing markup, several times faster than paragraphs. Other text (a name in Chinese,
    say) becomes an escaped paragraph, which can switch to the fallback font.
    """
    fonts = font_set()
    size = styles()["cell"].fontSize
    cells = []
    for index, row in enumerate(rows):
        bold = header and index == 0
        font = fonts.bold if bold else fonts.regular
        cells.append([_cell(value, font, size, width - 10, bold) for value, width in zip(row, widths, strict=True)])
    commands = [
        ("FONT", (0, 0), (-1, -1), fonts.regular, size, styles()["cell"].leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("GRID", (0, 0), (-1, -1), 0.75, LINES),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("FONT", (0, 0), (-1, 0), fonts.bold, size)]
    result = Table(cells, colWidths=list(widths), repeatRows=1 if header else 0, rowHeights=row_heights)
    result.setStyle(TableStyle([*commands, *extra]))
    return result


def _cell(value: object, font: str, size: float, width: float, bold: bool) -> object:
    if not isinstance(value, str):
        return value
    if not font_set().covered.issuperset(map(ord, value.replace("\n", " "))):
        return para(value, "cell_bold" if bold else "cell")
    lines = [line for part in value.split("\n") for line in simpleSplit(part, font, size, width) or [""]]
    if any(pdfmetrics.stringWidth(line, font, size) > width for line in lines):
        return para(value, "cell_bold" if bold else "cell")  # a word longer than the column: let it break
    return "\n".join(lines)


def box(flowables: list[Flowable], shade=CALM_SHADE, border=LINES, width: float = FRAME_WIDTH) -> Table:
    """Flowables framed in a shaded box."""
    framed = Table([[flowables]], colWidths=[width])
    framed.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.5, border),
                ("BACKGROUND", (0, 0), (-1, -1), shade),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return framed


def chart(value: TimeChart | BarChart, height: float = 230, width: float = FRAME_WIDTH) -> list[Flowable]:
    """A chart with its title, or its empty text when there is nothing to plot."""
    fonts = font_set()
    flowables: list[Flowable] = [para(value.title, "h3")]
    if not value.has_data:
        return [*flowables, para(value.empty_text)]
    if isinstance(value, TimeChart):
        drawing = pdf_charts.time_chart(value, width, height, fonts.regular)
    else:
        drawing = pdf_charts.bar_chart(value, width, height, fonts.regular)
    return [KeepTogether([*flowables, drawing])]


# ---------------------------------------------------------------------------------------------
# Pages: header, footer, page numbers, metadata
# ---------------------------------------------------------------------------------------------


def draw_text(canvas: Canvas, x: float, y: float, text: str, font: str, size: float, anchor: str = "left") -> None:
    """Draw one line on the canvas with fallback fonts where needed; anchor "left" or "right"."""
    runs = [(run_font or font, chunk) for run_font, chunk in text_runs(text)]
    if anchor == "right":
        x -= sum(pdfmetrics.stringWidth(chunk, run_font, size) for run_font, chunk in runs)
    for run_font, chunk in runs:
        canvas.setFont(run_font, size)
        canvas.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, run_font, size)


class _PageCountCanvas(Canvas):
    """Draws the total page count into a form that every footer refers to ("Page 3 of 24").

    The usual recipe (hold every page back until the end) would break the bookmarks, which need the
    pages to be emitted as they are drawn.
    """

    def save(self):
        if self._code:
            self.showPage()
        self.beginForm("page_total")
        self.setFont(font_set().regular, MIN_FONT_SIZE)
        self.setFillColor(INK)
        self.drawString(0, 0, str(self.getPageNumber() - 1))
        self.endForm()
        super().save()


def _page_decorator(header_left: str, header_right: str, footer_left: str) -> Callable:
    def decorate(canvas: Canvas, doc) -> None:
        fonts = font_set()
        width, height = doc.pagesize
        canvas.saveState()
        canvas.setFillColor(INK)
        top = height - MARGIN + 18
        draw_text(canvas, MARGIN, top, header_left, fonts.regular, MIN_FONT_SIZE)
        draw_text(canvas, width - MARGIN, top, header_right, fonts.bold, MIN_FONT_SIZE, "right")
        canvas.setStrokeColor(LINES)
        canvas.setLineWidth(0.75)
        canvas.line(MARGIN, top - 6, width - MARGIN, top - 6)
        canvas.line(MARGIN, MARGIN - 10, width - MARGIN, MARGIN - 10)
        bottom = MARGIN - 28
        draw_text(canvas, MARGIN, bottom, footer_left, fonts.regular, MIN_FONT_SIZE)
        label = f"Page {canvas.getPageNumber()} of "
        # The total is drawn at the end (a form): leave room for three digits.
        x = width - MARGIN - pdfmetrics.stringWidth(label + "000", fonts.regular, MIN_FONT_SIZE)
        draw_text(canvas, x, bottom, label, fonts.regular, MIN_FONT_SIZE)
        canvas.translate(x + pdfmetrics.stringWidth(label, fonts.regular, MIN_FONT_SIZE), bottom)
        canvas.doForm("page_total")
        canvas.restoreState()

    return decorate


def _build(
    flowables: list[Flowable],
    *,
    title: str,
    author: str,
    subject: str,
    header_left: str,
    header_right: str,
    footer_left: str,
    pagesize=A4,
) -> bytes:
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 16,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        subject=subject,
        creator="Rehab planner",
        lang="en",
        displayDocTitle=True,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    decorate = _page_decorator(header_left, header_right, footer_left)
    doc.addPageTemplates([PageTemplate("page", frames=[frame], onPage=decorate)])
    doc.build(flowables, canvasmaker=_PageCountCanvas)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# The patient's plan
# ---------------------------------------------------------------------------------------------

PLAN_SECTIONS = ("Your safety limits", "Stop and call us if...", "Week by week", "Your exercises", "Pain diary")


def _cover(doc: PlanDocument) -> list[Flowable]:
    patient, contact = doc.patient, doc.contact
    flowables: list[Flowable] = [
        Spacer(1, 24),
        Heading("Your exercise plan", "title", 0),
        para(patient.name, "name"),
    ]
    if patient.date_of_birth:
        flowables.append(para(f"Date of birth: {date_words(patient.date_of_birth, year=True)}"))
    period = f"{date_words(doc.start_date, year=True)} to {date_words(doc.end_date, year=True)}"
    flowables += [para(f"{period} ({doc.plan_weeks or len(doc.weeks)} weeks)", "big"), Spacer(1, 12)]
    rows = [["Your physiotherapist", contact.physio_name]] if contact.physio_name else []
    rows += [["Clinic", contact.clinic_name], ["Phone", contact.clinic_phone]]
    rows += [["Email", contact.clinic_email]] if contact.clinic_email else []
    rows += [["Address", contact.clinic_address]] if contact.clinic_address else []
    return [
        *flowables,
        table(rows, [150, FRAME_WIDTH - 150], header=False, extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)]),
        Spacer(1, 18),
        para("In this booklet", "h3"),
        *bullets(PLAN_SECTIONS),
        Spacer(1, 18),
        box([para(doc.notice)], shade=SHADE),
        Spacer(1, 8),
        para(f"Printed on {date_words(doc.generated_on, year=True)}."),
    ]


def _safety(doc: PlanDocument) -> list[Flowable]:
    safety = doc.safety
    scale_rows = [["Effort", "How it feels", *safety.borg_columns]]
    shading = []
    for index, row in enumerate(safety.borg_scale):
        scale_rows.append([str(row.value), row.words, *("yes" if ok else "too hard" for ok in row.allowed)])
        shading += [
            ("BACKGROUND", (column + 2, index + 1), (column + 2, index + 1), ALLOWED_SHADE)
            for column, ok in enumerate(row.allowed)
            if ok
        ]
    column_width = (FRAME_WIDTH - 190) / max(len(safety.borg_columns), 1)
    tight = [("TOPPADDING", (0, 1), (-1, -1), 1), ("BOTTOMPADDING", (0, 1), (-1, -1), 2)]
    avoid_rows = [["Avoid", "Why"]] + [[line.what, line.why] for line in safety.avoid]
    return [
        PageBreak(),
        Heading(PLAN_SECTIONS[0], "h1", 0),
        para("How hard", "h2"),
        *bullets(safety.effort),
        para(safety.heart_rate, "strong"),
        KeepTogether(
            [
                para("The effort scale (6-20)", "h3"),
                table(scale_rows, [60, 130] + [column_width] * len(safety.borg_columns), extra=[*shading, *tight]),
            ]
        ),
        para("What to avoid, and why", "h2"),
        table(avoid_rows, [FRAME_WIDTH * 0.62, FRAME_WIDTH * 0.38]),
        para("Also", "h2"),
        *bullets(safety.other),
    ]


def _red_flags(doc: PlanDocument) -> list[Flowable]:
    rows = [["If you notice", "What to do"]] + [[flag.label, flag.advice] for flag in doc.red_flags]
    tight = [("TOPPADDING", (0, 1), (-1, -1), 3), ("BOTTOMPADDING", (0, 1), (-1, -1), 4)]
    return [
        PageBreak(),
        Heading(PLAN_SECTIONS[1], "h1", 0),
        box(
            [para(doc.call_lines[0], "warning"), *[para(line) for line in doc.call_lines[1:]]],
            shade=WARNING_SHADE,
            border=WARNING,
        ),
        Spacer(1, 10),
        para("Stop exercising and act at once if you notice any of these:", "strong"),
        table(
            rows,
            [FRAME_WIDTH * 0.42, FRAME_WIDTH * 0.58],
            extra=[("BACKGROUND", (0, 1), (0, -1), WARNING_SHADE), *tight],
        ),
    ]


def _schedule(doc: PlanDocument) -> list[Flowable]:
    """This week and next week as sessions day by day, then how the plan may grow after that."""
    total = doc.plan_weeks or len(doc.weeks)
    flowables: list[Flowable] = [
        PageBreak(),
        Heading(PLAN_SECTIONS[2], "h1", 0),
        para(
            "Each exercise day is one session: warm up, do the numbered exercises in order, then cool down. "
            "The days are suggestions: you may move a session to another day, but keep at least one day "
            "between two days of strength exercises."
        ),
    ]
    if doc.changes:
        flowables += [box([para("What changed this week", "h3"), *bullets(doc.changes)]), Spacer(1, 8)]
    widths = [150, 95, 115, FRAME_WIDTH - 360]
    for index, week in enumerate(doc.weeks):
        rows = [["Exercise", "Days", "Each time", "What is new"]]
        rows += [[row.exercise, row.days, row.dose, row.change] for row in week.rows]
        title = (
            f"{week.label}: week {week.number} of {total}, {date_words(week.first_day)} to {date_words(week.last_day)}"
        )
        if index:
            flowables.append(PageBreak())
        flowables += [Heading(title, "h2", 1, outline=f"Week {week.number}")]
        flowables += [para(line.text) for line in week.sessions]
        flowables += [Spacer(1, 6), table(rows, widths)]
    if doc.outline:
        flowables += [
            CondPageBreak(200),
            Heading("After that: how your plan may grow", "h2", 1, outline="After that"),
            para(
                "Your check-ins decide each week's dose, so the later weeks are not fixed yet. If the "
                "exercises feel fine, they grow slowly like this:"
            ),
            table(
                [["Exercise", "How it may grow"]] + [[line.exercise, line.outline] for line in doc.outline],
                [150, FRAME_WIDTH - 150],
            ),
        ]
    return flowables


class _CanvasRecorder:
    """Stands in for a canvas while reportlab's renderer walks a drawing, and keeps the canvas calls it
    makes. Replayed on a real canvas they draw exactly what the renderer would have drawn."""

    def __init__(self):
        self.__dict__["calls"] = []
        # Read by the renderer as the default of a font change: its drawing starts by setting both.
        self.__dict__["_fontname"], self.__dict__["_fontsize"] = rl_config.canvas_basefontname, 12

    def beginPath(self):  # a path is built, then handed to drawPath: keep the built path
        return PDFPathObject()

    def setFont(self, name, size, *args, **kwargs):
        self.__dict__["_fontname"], self.__dict__["_fontsize"] = name, size
        self.calls.append(("setFont", (name, size, *args), kwargs))

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)

        def record(*args, **kwargs):
            self.calls.append((name, args, kwargs))

        return record

    def __setattr__(self, name, value):  # the renderer sets canvas._fillMode directly
        self.calls.append((None, (name, value), {}))

    def __delattr__(self, name):  # the renderer's bookkeeping (_drawing), nothing drawn
        self.__dict__.pop(name, None)


class _ReplayedDrawing(Flowable):
    """A reportlab Drawing as the canvas calls its renderer made once (see _figure)."""

    def __init__(self, width: float, height: float, h_align: str, calls: tuple):
        super().__init__()
        self.width, self.height, self.hAlign, self._calls = width, height, h_align, calls

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        for name, args, kwargs in self._calls:
            if name is None:
                setattr(canvas, *args)
            else:
                getattr(canvas, name)(*args, **kwargs)


@functools.lru_cache(maxsize=256)
def _figure_calls(slug: str, protected: tuple[str, ...], width: float, invariant: int) -> tuple | None:
    # `invariant`: with reportlab's rl_config.invariant set (reproducible files), its renderer sets
    # each shape's state in sorted order, so a recording is kept per setting.
    drawing = figure_drawing(slug, protected, width=width)
    if drawing is None:
        return None
    recorder = _CanvasRecorder()
    # As Drawing.draw does on the page's canvas (drawing.renderScale is 1: its size is its width).
    renderPDF.draw(drawing, recorder, 0, 0, showBoundary=getattr(drawing, "_showBoundary", rl_config._unset_))
    return drawing.width, drawing.height, drawing.hAlign, tuple(recorder.calls)


def _figure(slug: str, protected: tuple[str, ...], width: float) -> Flowable | None:
    """The exercise's figure (rehab.pdf_figures), built and walked once per (exercise, protected
    regions, width) in a process: a 12-week plan draws 17 of them, each some fifty shapes whose
    building, checking and walking cost more than drawing the rest of the page. Same bytes drawn."""
    recorded = _figure_calls(slug, protected, width, rl_config.invariant)
    return _ReplayedDrawing(*recorded) if recorded else None


def _exercise_pages(doc: PlanDocument) -> list[Flowable]:
    flowables: list[Flowable] = [PageBreak(), Heading(PLAN_SECTIONS[3], "h1", 0)]
    label_column = [("BACKGROUND", (0, 0), (0, -1), SHADE)]
    for index, page in enumerate(doc.exercises):
        if index:
            flowables.append(PageBreak())
        dose_rows = [
            ["Each time", page.dose],
            ["Days this week", page.days],
            ["How hard", page.effort],
            ["Over the weeks", page.growth],
        ]
        bad_day = [para("On a bad day", "h3")]
        if page.bad_day_name:
            bad_day.append(para(f"Do this easier version instead: {page.bad_day_name}", "strong"))
        bad_day.append(para(page.bad_day_text))
        figure = _figure(page.slug, tuple(doc.protected_regions), 260)
        flowables += [
            Heading(page.name, "h2", 1),
            para(f"{page.kind}. Exercise {index + 1} of {len(doc.exercises)}."),
            *([figure] if figure else []),
            table(dose_rows, [130, FRAME_WIDTH - 130], header=False, extra=label_column),
            para("Getting ready", "h3"),
            para(page.setup),
            para("How to do it", "h3"),
            para(page.movement),
            para("What you should feel", "h3"),
            para(page.feel),
            para("Watch out for", "h3"),
            para(page.mistakes),
            Spacer(1, 8),
            box(bad_day),
        ]
    return flowables


def _diary(doc: PlanDocument) -> list[Flowable]:
    flowables: list[Flowable] = [
        PageBreak(),
        Heading(PLAN_SECTIONS[4], "h1", 0),
        *chart(doc.pain_chart),
        para("How to score", "h3"),
        *bullets(doc.pain_guide),
    ]
    if not doc.diary_weeks:
        return [*flowables, para("Your plan has ended: there are no more weeks to log.")]
    flowables += [
        PageBreak(),
        para("Fill in one row a day. Your exercise days are shaded and in bold; log any other day you exercise too."),
    ]
    widths = [100, 55, 55, 56, 56, 66, FRAME_WIDTH - 388]
    empty = [""] * (len(doc.diary_columns) - 1)
    for week in doc.diary_weeks:
        rows: list[list] = [list(doc.diary_columns)]
        rows += [[date_words(row.day), *empty] for row in week.rows]
        shading = []
        for i, row in enumerate(week.rows, start=1):
            if row.exercise_day:
                shading += [("BACKGROUND", (0, i), (0, i), SHADE), ("FONT", (0, i), (0, i), font_set().bold, 12)]
        flowables += [
            CondPageBreak(330),
            Heading(f"Diary, week {week.number}", "h2", 1),
            table(rows, widths, extra=shading, row_heights=[None] + [30] * len(week.rows)),
        ]
    return flowables


def render_plan_pdf(doc: PlanDocument) -> bytes:
    """The patient's plan as PDF bytes (A4 portrait)."""
    flowables = [
        *_cover(doc),
        *_safety(doc),
        *_red_flags(doc),
        *_schedule(doc),
        *_exercise_pages(doc),
        *_diary(doc),
        PageBreak(),
        Heading("About this plan", "h1", 0),
        para(doc.notice),
        *[para(line) for line in doc.call_lines],
    ]
    return _build(
        flowables,
        title=doc.title,
        author=doc.author,
        subject="Exercise plan: safety limits, when to call, weekly schedule, exercises and pain diary",
        header_left=doc.contact.clinic_name,
        header_right=f"Questions? Call {doc.contact.clinic_phone}",
        footer_left=doc.patient.name,
    )


# ---------------------------------------------------------------------------------------------
# The clinician's progress report (A4 landscape)
# ---------------------------------------------------------------------------------------------


def _date(day: date | None) -> str:
    return date_words(day, year=True) if day else ""


def _report_head(doc: ReportDocument) -> list[Flowable]:
    patient, contact = doc.patient, doc.contact
    rows = [["Patient", patient.name]]
    if patient.date_of_birth:
        rows.append(["Date of birth", _date(patient.date_of_birth)])
    rows += [
        ["Plan", f"{_date(doc.start_date)} to {_date(doc.end_date)}"],
        ["Physiotherapist", contact.physio_name or "-"],
        ["Clinic", f"{contact.clinic_name}, {contact.clinic_phone}"],
        ["Report date", _date(doc.generated_on)],
    ]
    return [
        Heading("Progress report", "title", 0),
        table(rows, [160, REPORT_WIDTH - 160], header=False, extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)]),
        para("Summary", "h2"),
        *bullets(doc.summary),
    ]


def _report_history(doc: ReportDocument) -> list[Flowable]:
    flowables: list[Flowable] = [Heading("Assessments", "h1", 0)]
    if not doc.assessments:
        flowables.append(para("No assessment recorded."))
    for entry in doc.assessments:
        title = _date(entry.assessed_on) + (f", by {entry.assessed_by}" if entry.assessed_by else "")
        flowables += [para(title, "h3"), *bullets(entry.lines)]
        if entry.notes:
            flowables.append(para(f"Notes: {entry.notes}"))
    item_rows = [["Exercise", "Kind", "First week", "Last week"]]
    item_rows += [[item.exercise, item.kind, item.first_week, item.last_week] for item in doc.items]
    limit_rows = [["Limit", "Value", "Rules"]] + [[row.name, row.value, "\n".join(row.rule_ids)] for row in doc.limits]
    rule_rows = [["Rule", "What it says", "Evidence", "Source"]]
    rule_rows += [[rule.id, rule.text, rule.evidence, rule.source] for rule in doc.rules]
    third = (REPORT_WIDTH - 340) / 2
    return [
        *flowables,
        CondPageBreak(150),
        Heading("The plan", "h1", 0),
        table(item_rows, [240, 100, third, third]),
        *_report_targets(doc),
        CondPageBreak(150),
        Heading("Limits and their rules", "h1", 0),
        table(limit_rows, [190, REPORT_WIDTH - 480, 290]),
        para("Rules", "h2"),
        para(
            "Evidence: G guideline or trial, C consensus, R recalled from the source (to check), "
            "D design default (a clinician signs it off)."
        ),
        table(rule_rows, [265, REPORT_WIDTH - 265 - 80 - 190, 80, 190]),
    ]


def _report_targets(doc: ReportDocument) -> list[Flowable]:
    if not doc.targets:
        return []
    rows = [["Target", "Met in week", "Last week", "Why lower"]] + [list(row) for row in doc.targets]
    return [
        CondPageBreak(150),
        Heading("Where twelve good weeks should get to", "h2", 1),
        table(rows, [300, 80, 110, REPORT_WIDTH - 490]),
    ]


def _report_symptoms(doc: ReportDocument) -> list[Flowable]:
    if not doc.symptoms:
        return []
    header = ["Session", "Where it hurt", "Exercise that hurt", "Heart rate avg / peak", "Lowest SpO2", "Supervised by"]
    return [
        Heading("Where it hurt, vital signs and supervised sessions", "h2", 1),
        table([header] + [list(row) for row in doc.symptoms], [70, 150, 150, 100, 80, REPORT_WIDTH - 550]),
    ]


def _report_trends(doc: ReportDocument) -> list[Flowable]:
    flowables: list[Flowable] = [PageBreak(), Heading("Trends", "h1", 0)]
    for value in (doc.pain_chart, doc.rpe_chart, doc.adherence_chart):
        flowables += chart(value, height=185, width=REPORT_WIDTH)
    flowables += _report_symptoms(doc)
    measures: list[Flowable] = [Heading("Strength and function", "h2", 1)]
    if not doc.measure_charts:
        return [*flowables, *measures, para("No strength or function tests recorded.")]
    for index, measure in enumerate(doc.measure_charts):
        drawn = chart(measure, height=185, width=REPORT_WIDTH)
        # The section heading stays with its first chart.
        flowables += [KeepTogether([*measures, *drawn])] if index == 0 else drawn
    return flowables


def _report_decisions(doc: ReportDocument) -> list[Flowable]:
    flowables: list[Flowable] = [PageBreak(), Heading("Progression decisions", "h1", 0)]
    if not doc.decisions:
        flowables.append(para("No weekly decision yet."))
    for decision in doc.decisions:
        title = (
            f"Week {decision.week}: {decision.action}, pain light {decision.light}, "
            f"decided {_date(decision.decided_on)}" + (". A clinician must review." if decision.review_required else "")
        )
        rows = [["Rule", "Finding"]] + [[reason.rule_id, reason.text] for reason in decision.reasons]
        block: list[Flowable] = [
            Heading(title, "h3", 1, outline=f"Week {decision.week}: {decision.action}"),
            table(rows, [290, REPORT_WIDTH - 290]),
        ]
        if decision.changes:
            block.append(para("Changes: " + "; ".join(decision.changes)))
        flowables += [KeepTogether(block), Spacer(1, 6)]
    return flowables


def _report_alerts(doc: ReportDocument) -> list[Flowable]:
    flowables: list[Flowable] = [PageBreak(), Heading("Alerts", "h1", 0)]
    if doc.alerts:
        rows = [["Date", "Alert", "Message", "Status"]]
        rows += [
            [_date(a.created_on), ("URGENT: " if a.urgent else "") + a.kind, a.message, a.status] for a in doc.alerts
        ]
        flowables.append(table(rows, [120, 160, REPORT_WIDTH - 480, 200]))
    else:
        flowables.append(para("No alerts."))
    flowables.append(Heading("Overrides", "h1", 0))
    if doc.overrides:
        rows = [["Date", "Who", "Exercise", "Limits exceeded", "Reason", "Status"]]
        rows += [
            [_date(o.created_on), o.author, o.exercise, "\n".join(o.limits_exceeded), o.reason, o.status]
            for o in doc.overrides
        ]
        flowables.append(table(rows, [110, 100, 130, 170, REPORT_WIDTH - 640, 130]))
    else:
        flowables.append(para("No dose was accepted above a limit."))
    return flowables


def render_report_pdf(doc: ReportDocument) -> bytes:
    """The clinician's progress report as PDF bytes (A4 landscape)."""
    flowables = [
        *_report_head(doc),
        *_report_history(doc),
        *_report_trends(doc),
        *_report_decisions(doc),
        *_report_alerts(doc),
        Heading("About this report", "h1", 0),
        para(doc.notice),
    ]
    return _build(
        flowables,
        title=doc.title,
        author=doc.author,
        subject="Progress report: assessments, limits and rules, trends, decisions, alerts and overrides",
        header_left=f"{doc.contact.clinic_name}: progress report",
        header_right=doc.contact.clinic_phone,
        footer_left=doc.patient.name,
        pagesize=REPORT_PAGE,
    )
