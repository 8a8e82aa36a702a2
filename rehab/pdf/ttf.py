"""A TrueType font whose text is encoded for the page in one C call once its letters are known.

reportlab embeds a subset of a TrueType font and encodes every string shown with it, letter by
letter in a Python loop, into the subset's codes (`TTFont.splitString`): a seventh of the booklet's
drawing. Once a letter has its code in a document, encoding a string is a lookup; this subclass
keeps those codes as a translation table per document and encodes a string made only of known
letters (all in the first subset of 256, as a booklet's are) with `str.translate`. Anything else
(a new letter, a second subset, a no-break space) goes through reportlab's own loop, which assigns
the codes; the bytes are the same either way.
"""

from __future__ import annotations

from reportlab.pdfbase.ttfonts import TTFont


class FastTTFont(TTFont):
    def splitString(self, text, doc, encoding="utf-8"):
        state = self.state.get(doc)
        if state is not None and isinstance(text, str) and "\xa0" not in text:
            table = getattr(state, "_encoding_table", None)
            if table is None or table[0] != len(state.assignments):
                codes = {code: chr(n) for code, n in state.assignments.items() if n < 256}
                table = (len(state.assignments), frozenset(map(chr, codes)), codes)
                state._encoding_table = table
            if table[1].issuperset(text):
                return [(0, text.translate(table[2]).encode("latin-1"))] if text else []
        return super().splitString(text, doc, encoding)
