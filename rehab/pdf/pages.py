"""The pages of a PDF: the header with the clinic's phone, the footer with the patient's name and "Page
3 of 24" on every page, the document's metadata and bookmarks' pages; `build_pdf` lays the flowables
out on them. The header and footer are drawn on the first page and their operators copied onto the
others; "Page 3 of" is written straight onto each page, the total drawn at the end into a form.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from django.utils import translation
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from planner.translation import gettext
from rehab.pdf.layout import INK, LINES, MARGIN, MIN_FONT_SIZE, font_set, text_runs
from rehab.pdf.ttf import FastTTFont, colour_operator, font_operator, lines_operators


def draw_text(canvas: Canvas, x: float, y: float, text: str, font: str, size: float, anchor: str = "left") -> None:
    """Draw one line on the canvas with fallback fonts where needed; anchor "left" or "right"."""
    if font_set().covered.issuperset(map(ord, text)):
        runs = [(font, text)]  # the usual case, on every page's header and footer
    else:
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
    # The header, the rules and the footer's name are the same on every page of a document: drawn on
    # the first page, their operators are copied onto the others (the fonts and colours they name are
    # the document's). Only "Page 3 of" is drawn per page.
    recorded: list[str] = []

    def decorate(canvas: Canvas, doc) -> None:
        fonts = font_set()
        width, height = doc.pagesize
        if recorded:
            canvas._code.extend(recorded)
        else:
            start = len(canvas._code)
            canvas.saveState()
            canvas.setFillColor(INK)
            top = height - MARGIN + 18
            draw_text(canvas, MARGIN, top, header_left, fonts.regular, MIN_FONT_SIZE)
            draw_text(canvas, width - MARGIN, top, header_right, fonts.bold, MIN_FONT_SIZE, "right")
            canvas.setStrokeColor(LINES)
            canvas.setLineWidth(0.75)
            canvas.line(MARGIN, top - 6, width - MARGIN, top - 6)
            canvas.line(MARGIN, MARGIN - 10, width - MARGIN, MARGIN - 10)
            draw_text(canvas, MARGIN, MARGIN - 28, footer_left, fonts.regular, MIN_FONT_SIZE)
            canvas.restoreState()
            recorded.extend(canvas._code[start:])
        bottom = MARGIN - 28
        label = gettext("Page %(number)s of ") % {"number": canvas.getPageNumber()}
        # The total is drawn at the end (a form): leave room for three digits.
        x = width - MARGIN - pdfmetrics.stringWidth(label + "000", fonts.regular, MIN_FONT_SIZE)
        total_at = (x + pdfmetrics.stringWidth(label, fonts.regular, MIN_FONT_SIZE), bottom)
        written = _page_number_operators(canvas, x, bottom, label, fonts.regular, total_at)
        if written is not None:
            canvas._code.append(written)
            canvas._formsinuse.append("page_total")  # as canvas.doForm records it
            return
        canvas.saveState()
        canvas.setFillColor(INK)
        draw_text(canvas, x, bottom, label, fonts.regular, MIN_FONT_SIZE)
        canvas.translate(*total_at)
        canvas.doForm("page_total")
        canvas.restoreState()

    return decorate


def _page_number_operators(
    canvas: Canvas, x: float, y: float, label: str, font_name: str, total_at: tuple[float, float]
) -> str | None:
    """ "Page 3 of " at (x, y) and the page-total form at `total_at`, as the operators the canvas would
    write for them (its state saved and restored around them), or None when reportlab must draw the
    label (a font that is not a FastTTFont, or a letter outside its first subset)."""
    font, doc = pdfmetrics.getFont(font_name), canvas._doc
    escapes = font.escapes(label, doc) if isinstance(font, FastTTFont) else None
    if escapes is None:
        return None
    return "\n".join(
        (
            "q",
            colour_operator(INK),
            f"BT 1 0 0 1 {fp_str(x, y)} Tm {font_operator(font, doc, MIN_FONT_SIZE, MIN_FONT_SIZE * 1.2)}",
            lines_operators([label], escapes),
            "ET",
            f"1 0 0 1 {fp_str(*total_at)} cm",
            f"/{doc.getXObjectName('page_total')} Do",
            "Q",
        )
    )


def build_pdf(
    flowables: list[Flowable],
    *,
    title: str,
    author: str,
    subject: str,
    header_left: str,
    header_right: str,
    footer_left: str,
    pagesize=A4,
    language: str = "en",
) -> bytes:
    """The flowables as PDF bytes, every page with its header, footer and page count; title and author
    in the metadata. language: the language the text is in (the document's /Lang, and the footer's
    "Page 3 of 24" in it)."""
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
        lang=language,
        displayDocTitle=True,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    decorate = _page_decorator(header_left, header_right, footer_left)
    doc.addPageTemplates([PageTemplate("page", frames=[frame], onPage=decorate)])
    with translation.override(language):  # the footers are drawn during the build
        doc.build(flowables, canvasmaker=_PageCountCanvas)
    return buffer.getvalue()
