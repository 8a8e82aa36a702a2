"""How a PDF page looks: fonts, escaping, colours, paragraph styles, tables, boxes and charts (the
header, footer and page numbers: rehab.pdf.pages). The plan and the report are built from these.

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
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Table,
    TableStyle,
)

from planner.documents.charts import BarChart, TimeChart
from rehab.pdf import charts
from rehab.pdf.grid import SUPPORTED, GridStyle, TextTable
from rehab.pdf.text import PlainText, wrap_lines
from rehab.pdf.ttf import FastTTFont

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

    @functools.cached_property
    def plain(self) -> frozenset[str]:
        """The letters the regular font draws, and the line break (which starts a new line): text made
        only of these is drawn without the fallback font (a set of letters is checked without ord())."""
        return frozenset(map(chr, self.covered)) | {"\n"}


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
    body = FastTTFont(name, regular)
    pdfmetrics.registerFont(body)
    bold_name = name
    if bold is not None:
        bold_name = os.path.splitext(os.path.basename(bold))[0]
        pdfmetrics.registerFont(FastTTFont(bold_name, bold))
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


def is_plain(text: str, style: ParagraphStyle) -> bool:
    """Whether `text` can be drawn as PlainText: left-aligned, and every character in the body font
    (a name in Chinese needs a Paragraph, which switches to the fallback font)."""
    return style.alignment == TA_LEFT and font_set().plain.issuperset(text)


def para(text: str, style: str = "body") -> Flowable:
    """A paragraph of plain text (escaped where markup is used; a newline starts a new line)."""
    text, chosen = str(text), styles()[style]
    if is_plain(text, chosen):
        return PlainText(text, chosen)
    return Paragraph(markup(text).replace("\n", "<br/>"), chosen)


def bullets(lines: Iterable[str], style: str = "bullet") -> list[Flowable]:
    chosen = styles()[style]
    return [
        PlainText(line, chosen, bullet="•")
        if is_plain(line, chosen)
        else Paragraph(markup(line), chosen, bulletText="•")
        for line in map(str, lines)
    ]


def fit_header(header: Sequence[str], widths: Sequence[float], flexible: int = -1) -> list[float]:
    """`widths` widened so that no word of a (bold) header cell is split across lines ("mornin g"),
    the room taken from the `flexible` column (a notes or free-text column). The header words change
    with the language, so fixed widths that fit the English may not fit another."""
    fonts = font_set()
    size = styles()["cell"].fontSize
    padding = 11  # the cells' left and right padding (grid.GridStyle), and a point to spare
    need = [
        max((pdfmetrics.stringWidth(word, fonts.bold, size) for word in text.split()), default=0) + padding
        for text in header
    ]
    result = [max(width, least) for width, least in zip(widths, need, strict=True)]
    spare = sum(result) - sum(widths)
    result[flexible] = max(result[flexible] - spare, need[flexible])
    return result


def table(
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    header: bool = True,
    extra: Sequence[tuple] = (),
    row_heights=None,
) -> Flowable:
    """A table of text cells (the header row bold) or flowables.

    Text the body font can draw is drawn by rehab.pdf.grid's TextTable (words measured once, all the
    text in one text object); a table with a flowable in a cell, text that needs the fallback font (a
    name in Chinese, say) or a style command TextTable does not know is reportlab's Table, with the
    plain cells wrapped here as strings and the others as escaped paragraphs.
    """
    fonts = font_set()
    cell_style = styles()["cell"]
    size = cell_style.fontSize
    commands = [("FONT", (0, 0), (-1, 0), fonts.bold, size)] if header else []
    commands += [*([("BACKGROUND", (0, 0), (-1, 0), SHADE)] if header else []), *extra]
    plain = all(isinstance(value, str) and fonts.plain.issuperset(value) for row in rows for value in row)
    if plain and all(command[0] in SUPPORTED for command in commands):
        style = GridStyle(fonts.regular, fonts.bold, size, cell_style.leading, INK, LINES)
        return TextTable(rows, widths, style, header=header, commands=commands, row_heights=row_heights)
    cells = []
    for index, row in enumerate(rows):
        bold = header and index == 0
        font = fonts.bold if bold else fonts.regular
        cells.append([_cell(value, font, size, width - 10, bold) for value, width in zip(row, widths, strict=True)])
    base = [
        ("FONT", (0, 0), (-1, -1), fonts.regular, size, cell_style.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("GRID", (0, 0), (-1, -1), 0.75, LINES),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    result = Table(cells, colWidths=list(widths), repeatRows=1 if header else 0, rowHeights=row_heights)
    result.setStyle(TableStyle([*base, *commands]))
    return result


def _cell(value: object, font: str, size: float, width: float, bold: bool) -> object:
    if not isinstance(value, str):
        return value
    if not font_set().plain.issuperset(value):
        return para(value, "cell_bold" if bold else "cell")
    return "\n".join(wrap_lines(value, font, size, width))


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
    drawing: Flowable
    if isinstance(value, TimeChart):
        drawing = charts.TimeChartFlowable(value, width, height, fonts.regular)
    else:
        drawing = charts.bar_chart(value, width, height, fonts.regular)
    return [KeepTogether([*flowables, drawing])]


class Beside(Flowable):
    """Flowables stacked on the left, one flowable on the right (an exercise's name beside its
    figure): as tall as the taller side; never split."""

    def __init__(self, left: list[Flowable], right: Flowable, gap: float = 12):
        super().__init__()
        self.left, self.right, self.gap = left, right, gap

    def wrap(self, available_width, available_height):
        right_width, right_height = self.right.wrap(available_width, available_height)
        left_width = available_width - right_width - self.gap
        self._left = [(item, *item.wrap(left_width, available_height)) for item in self.left]
        left_height = sum(height + item.getSpaceAfter() for item, _, height in self._left)
        self.width, self.height = available_width, max(left_height, right_height)
        self._right = (right_width, right_height)
        return self.width, self.height

    def draw(self):
        top = self.height
        for item, _, height in self._left:
            top -= height
            item.drawOn(self.canv, 0, top)
            top -= item.getSpaceAfter()
        right_width, right_height = self._right
        self.right.drawOn(self.canv, self.width - right_width, self.height - right_height)
