"""A TrueType font whose text is encoded for the page in one C call once its letters are known.

reportlab embeds a subset of a TrueType font and encodes every string shown with it, letter by
letter in a Python loop, into the subset's codes (`TTFont.splitString`): a seventh of the booklet's
drawing. Once a letter has its code in a document, encoding a string is a lookup; this subclass
keeps those codes as a translation table per document and encodes a string made only of known
letters (all in the first subset of 256, as a booklet's are) with `str.translate`. Anything else
(a new letter, a second subset, a no-break space) goes through reportlab's own loop, which assigns
the codes; the bytes are the same either way.

`show_lines` goes one step further for the lines of a paragraph or a table cell: one translation
from letters straight to the escaped PDF string of their codes, for all the lines at once, instead
of reportlab's text object formatting each line (font lookup, subset split, escaping) on its own.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Sequence

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTFont, TTFontFace
from reportlab.pdfgen.textobject import PDFTextObject

# Each code of a subset as it is written inside a PDF string: "(" is "\(", code 10 is "\012".
_ESCAPED = tuple(escapePDF(bytes([code])) for code in range(256))


class FastTTFont(TTFont):
    def __init__(self, name: str, filename: str):
        super().__init__(name, filename)
        self.face.__class__ = RememberingFace

    def _tables(self, doc):
        """(letters known, letter -> code, letter -> escaped code) for the first subset in `doc`,
        rebuilt whenever reportlab assigned new codes."""
        state = self.state.get(doc)
        if state is None:
            return None
        tables = getattr(state, "_encoding_table", None)
        if tables is None or tables[0] != len(state.assignments):
            first = {code: n for code, n in state.assignments.items() if n < 256}
            tables = (
                len(state.assignments),
                frozenset(map(chr, first)),
                {code: chr(n) for code, n in first.items()},
                {code: _ESCAPED[n] for code, n in first.items()},
            )
            state._encoding_table = tables
        return tables

    def splitString(self, text, doc, encoding="utf-8"):
        if isinstance(text, str) and "\xa0" not in text:
            tables = self._tables(doc)
            if tables is not None and tables[1].issuperset(text):
                return [(0, text.translate(tables[2]).encode("latin-1"))] if text else []
        return super().splitString(text, doc, encoding)

    def escapes(self, letters: str, doc) -> dict[int, str] | None:
        """letter -> its code in the first subset, escaped as inside a PDF string ("(" is "\\(", code 10
        is "\\012"), once every letter of `letters` has a code in `doc`; None when one is not in the
        first subset (or is a no-break space), and reportlab must show the text."""
        if "\xa0" in letters:
            return None
        tables = self._tables(doc)
        if tables is None or not tables[1].issuperset(letters):
            super().splitString(letters, doc)  # assigns codes to the new letters
            tables = self._tables(doc)
            if tables is None or not tables[1].issuperset(letters):
                return None
        return tables[3]

    def line_operators(self, lines: Sequence[str], doc) -> str | None:
        """`lines` as "(...) Tj T*" operators in the first subset's codes, or None when a letter is not
        in the first subset (the caller then shows them through reportlab)."""
        escapes = self.escapes("".join(lines), doc)
        return None if escapes is None else lines_operators(lines, escapes)


def lines_operators(lines: Sequence[str], escapes: dict[int, str]) -> str:
    """Each line shown and the cursor moved to the next ("(...) Tj T*"), its letters `escapes`d."""
    if "" in lines:  # an empty line only moves down, as reportlab writes it
        return " ".join(lines_operators([line], escapes) if line else " T*" for line in lines)
    # A line break is no letter of the table, so it survives the translation and parts the lines.
    return "(" + "\n".join(lines).translate(escapes).replace("\n", ") Tj T* (") + ") Tj T*"


def font_operator(font: FastTTFont, doc, size: float, leading: float) -> str:
    """Selects the font's first subset at `size` with `leading` between lines (written once per
    document, font, size and leading: a table switches between its bold and regular cells often)."""
    state = font.state.get(doc)
    known = getattr(state, "_font_operators", None)
    if known is not None and (size, leading) in known:
        return known[size, leading]
    # Naming the subset registers the font with the document the first time: then its state exists.
    operator = f"{font.getSubsetInternalName(0, doc)} {fp_str(size)} Tf {fp_str(leading)} TL"
    state = font.state[doc]
    if known is None:
        known = state._font_operators = {}
    known[size, leading] = operator
    return operator


def colour_operator(colour) -> str:
    """Sets an opaque RGB fill colour."""
    return f"{fp_str(colour.red, colour.green, colour.blue)} rg"


def show_lines(text: PDFTextObject, lines: Sequence[str]) -> None:
    """`text.textLine(line)` for each of `lines`, in the text object's current font and leading,
    written in one piece when the font is a FastTTFont (the same operators reportlab writes)."""
    if not lines:
        return
    font = pdfmetrics.getFont(text._fontname)
    doc = text._canvas._doc
    operators = font.line_operators(lines, doc) if isinstance(font, FastTTFont) else None
    if operators is None:
        for line in lines:
            text.textLine(line)
        return
    if text._curSubset != 0:
        text._code.append(font_operator(font, doc, text._fontsize, text._leading))
        text._curSubset = 0
    text._code.append(operators)
    # Where textLine leaves the cursor: at the start of the line after the last.
    step = text._leading * len(lines)
    text._y = text._y - step if text._canvas.bottomup else text._y + step
    text._x, text._y0 = text._x0, text._y


# ---------------------------------------------------------------------------------------------
# The embedded font programs, made and compressed once per process
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _font_program(face: TTFontFace, letters: tuple[int, ...]) -> tuple[int, bytes]:
    """(length, compressed bytes) of the font program for `letters`, in this order. Every booklet
    embeds ASCII and the few other letters it uses (bullet, accents, "½") in the order first met: the
    same program, byte for byte, for every booklet whose letters are the same."""
    program = face.makeSubset(list(letters))
    return len(program), zlib.compress(program, 9)  # made once, so the smallest is worth its time


class RememberingFace(TTFontFace):
    """A TrueType face whose subsets' font programs come from _font_program: building and compressing
    them (some 35 KB per font) was a tenth of drawing a booklet."""

    def addSubsetObjects(self, doc, fontname, subset):
        if not doc.compression:
            return super().addSubsetObjects(doc, fontname, subset)
        length, compressed = _font_program(self, tuple(subset))
        program = pdfdoc.PDFStream()
        program.content = compressed
        # Already compressed: a stream that names its filter is written as it is.
        program.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        program.dictionary["Length1"] = length
        reference = doc.Reference(program, f"fontFile:{self.filename}({fontname})")
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "Ascent": self.ascent,
                "CapHeight": self.capHeight,
                "Descent": self.descent,
                "Flags": (self.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                "FontBBox": pdfdoc.PDFArray(self.bbox),
                "FontName": pdfdoc.PDFName(fontname),
                "ItalicAngle": self.italicAngle,
                "StemV": self.stemV,
                "FontFile2": reference,
                "MissingWidth": self.defaultWidth,
            }
        )
        return doc.Reference(descriptor, "fontDescriptor:" + fontname)
