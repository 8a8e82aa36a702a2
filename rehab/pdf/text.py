"""Plain text as a flowable: lines wrapped by measuring words, drawn as one text object.

reportlab's Paragraph parses its text as markup (an HTML parser in pure Python) and breaks lines
fragment by fragment; for text in one font with no markup, which is nearly all of a plan booklet,
that costs several times what measuring the words and drawing the lines does. `layout.para` uses
`PlainText` whenever the body font can draw every character, and a Paragraph (which can switch to a
fallback font) otherwise. It keeps a ParagraphStyle's font, size, leading, colour, spacing, indent,
bullet and keep-with-next, splits across pages line by line, and reads back as the same text.
"""

from __future__ import annotations

import functools

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from rehab.pdf.ttf import FastTTFont, colour_operator, font_operator, lines_operators, show_lines


@functools.lru_cache(maxsize=65536)
def word_width(word: str, font: str, size: float) -> float:
    """A word's width in points, kept per process: the booklet's words repeat from page to page and
    from booklet to booklet (a font's metrics never change once registered)."""
    return stringWidth(word, font, size)


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` (a newline starts a new line); a word wider
    than the line is broken between its characters rather than run past the edge."""
    return list(_wrapped(text, font, size, width))


@functools.lru_cache(maxsize=8192)
def _wrapped(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    # Kept per process: the safety page, the red flags and each exercise's instructions are the same
    # words in every booklet, at the same widths.
    space = word_width(" ", font, size)
    lines: list[str] = []
    for part in text.split("\n"):
        words: list[str] = []
        used = -space
        for word in part.split():
            wide = word_width(word, font, size)
            if words and used + space + wide > width:
                lines.append(" ".join(words))
                words, used = [], -space
            if wide > width:
                pieces = _break_word(word, font, size, width)
                lines += pieces[:-1]
                word, wide = pieces[-1], stringWidth(pieces[-1], font, size)
            words.append(word)
            used += space + wide
        lines.append(" ".join(words))
    return tuple(lines)


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces, current = [], ""
    for char in word:
        if current and stringWidth(current + char, font, size) > width:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current]


class WrittenOntoPage(Flowable):
    """A flowable whose operators are written straight onto the page at (x, y), in a saved graphics
    state of their own: reportlab's way (save the canvas's state, move the origin, draw, restore) and
    its text object cost more than the text itself. `_operators` gives None when the body fonts' first
    subsets cannot hold the letters; then reportlab draws it (through draw())."""

    def drawOn(self, canvas, x, y, _sW=0):
        x = self._hAlignAdjust(x, _sW)
        code = self._operators(canvas, x, y)
        if code is None:
            super().drawOn(canvas, x, y)
        else:
            canvas._code.append(code)

    def _operators(self, canvas, x: float, y: float) -> str | None:
        raise NotImplementedError


class PlainText(WrittenOntoPage):
    """Text in one font, wrapped and drawn without markup (see the module's docstring)."""

    def __init__(self, text: str, style: ParagraphStyle, bullet: str | None = None, lines: list[str] | None = None):
        super().__init__()
        self.text, self.style, self.bullet = text, style, bullet
        self._lines = lines
        self._wrapped_for: float | None = None if lines is None else -1.0

    def _text_width(self, available_width: float) -> float:
        return available_width - self.style.leftIndent - self.style.rightIndent

    def wrap(self, available_width, available_height):
        if self._wrapped_for != available_width and self._wrapped_for != -1.0:
            style = self.style
            self._lines = wrap_lines(self.text, style.fontName, style.fontSize, self._text_width(available_width))
            self._wrapped_for = available_width
        self.width = available_width
        self.height = len(self._lines or [""]) * self.style.leading
        return self.width, self.height

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        fits = int(available_height // self.style.leading)
        lines = self._lines or []
        if fits < 1 or fits >= len(lines):
            return [] if fits < 1 else [self]
        first = PlainText(self.text, self.style, self.bullet, lines[:fits])
        rest = PlainText(self.text, self.style, None, lines[fits:])
        first.spaceAfter, rest.spaceBefore = 0, 0  # one paragraph across the page break
        return [first, rest]

    def _operators(self, canvas, x: float, y: float) -> str | None:
        style, doc, lines = self.style, canvas._doc, self._lines or []
        font = pdfmetrics.getFont(style.fontName)
        if not isinstance(font, FastTTFont) or not isinstance(style.textColor, Color) or style.textColor.alpha != 1:
            return None
        escapes = font.escapes("".join(lines), doc)
        if escapes is None:
            return None
        top = y + self.height - style.fontSize  # the first baseline, as in draw()
        code = ["q", colour_operator(style.textColor)]
        if self.bullet:
            bullet = pdfmetrics.getFont(style.bulletFontName)
            marks = bullet.escapes(self.bullet, doc) if isinstance(bullet, FastTTFont) else None
            if marks is None:
                return None
            code += [
                "BT",
                f"1 0 0 1 {fp_str(x + style.bulletIndent, top)} Tm",
                font_operator(bullet, doc, style.bulletFontSize, style.bulletFontSize * 1.2),
                lines_operators([self.bullet], marks),
                "ET",
            ]
        code += ["BT", f"1 0 0 1 {fp_str(x + style.leftIndent, top)} Tm"]
        if lines:
            code += [font_operator(font, doc, style.fontSize, style.leading), lines_operators(lines, escapes)]
        code += ["ET", "Q"]
        return "\n".join(code)

    def draw(self):
        style, canvas = self.style, self.canv
        canvas.setFillColor(style.textColor)
        # The first baseline sits one font size below the top, as a Paragraph's does.
        top = self.height - style.fontSize
        if self.bullet:
            bullet = canvas.beginText(style.bulletIndent, top)
            bullet.setFont(style.bulletFontName, style.bulletFontSize)
            bullet.textLine(self.bullet)
            canvas.drawText(bullet)
        text = canvas.beginText(style.leftIndent, top)
        text.setFont(style.fontName, style.fontSize, style.leading)
        show_lines(text, self._lines or [])
        canvas.drawText(text)
