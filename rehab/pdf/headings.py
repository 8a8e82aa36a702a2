"""Headings that add themselves to the PDF outline (bookmarks): plain text in the body font, drawn
without reportlab's markup parser (rehab.pdf.text), else an escaped paragraph with fallback fonts."""

from __future__ import annotations

import itertools

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from rehab.pdf.layout import is_plain, markup, styles
from rehab.pdf.text import PlainText

_outline_keys = itertools.count(1)  # next() on a count is atomic: keys stay unique across threads


def heading(text: str, style: str, level: int, outline: str | None = None) -> Flowable:
    """A heading that adds itself to the PDF outline (bookmarks) where it is drawn: plain text when the
    body font can draw it, else a paragraph (which switches to the fallback font)."""
    chosen = styles()[style]
    if is_plain(text, chosen):
        return PlainHeading(text, chosen, level, outline)
    return MarkupHeading(text, chosen, level, outline)


class _Bookmarked:
    """Adds its entry to the PDF outline, pointing at the page it is drawn on."""

    outline_title: str
    outline_level: int
    outline_key: str

    def _name(self, text: str, level: int, outline: str | None) -> None:
        self.outline_title, self.outline_level = outline or text, level
        self.outline_key = f"section-{next(_outline_keys)}"

    def _bookmark(self, canvas: Canvas) -> None:
        canvas.bookmarkPage(self.outline_key)
        canvas.addOutlineEntry(self.outline_title, self.outline_key, level=self.outline_level, closed=False)


class PlainHeading(_Bookmarked, PlainText):
    """A heading in the body font, drawn as PlainText (no markup to parse); never split."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, outline: str | None = None):
        PlainText.__init__(self, text, style)
        self._name(text, level, outline)

    def split(self, available_width, available_height):
        return []

    def drawOn(self, canvas, x, y, _sW=0):
        self._bookmark(canvas)
        super().drawOn(canvas, x, y, _sW)

    def draw(self):
        # Reached through drawOn's fallback only (the bookmark is already made there).
        PlainText.draw(self)


class MarkupHeading(_Bookmarked, Paragraph):
    """A heading with letters the body font lacks, as an escaped paragraph with fallback fonts."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, outline: str | None = None):
        Paragraph.__init__(self, markup(text), style)
        self._name(text, level, outline)

    def draw(self):
        self._bookmark(self.canv)
        super().draw()
