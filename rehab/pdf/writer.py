"""reportlab's PDF writer, with its two commonest small steps made cheap, writing the same bytes.

When a document is saved, every name and number of every dictionary (28 pages, their resources,
the outline, the fonts) goes through `pdfdoc.pdfdocEnc`, which encodes it through reportlab's own
PDFDocEncoding codec (a Python charmap), and every key through `pdfdoc.PDFName`, which checks it
letter by letter: some twenty-five thousand calls a booklet, a tenth of saving it.

- For text that is ASCII without the eight control codes PDFDocEncoding gives other letters to
  (0x18-0x1F, which it cannot encode), the codec's bytes are the ASCII bytes: `str.encode("ascii")`,
  in C, gives them; anything else goes through reportlab's codec as before.
- A name's escaped form depends on the name alone: each is worked out once per process.

`install()` puts both into reportlab's pdfdoc module (its functions look them up there when they
run); rehab.pdf installs them on import. The settings are process-wide; this app is reportlab's
only user. tests/rehab/test_pdf_writer.py shows both give reportlab's bytes.
"""

from __future__ import annotations

import functools
import re

from reportlab.pdfbase import pdfdoc

# reportlab's own, kept for what the shortcuts do not cover (and for the tests to compare with).
REPORTLAB_ENCODE = pdfdoc.pdfdocEnc
REPORTLAB_NAME = pdfdoc.PDFName

# The ASCII letters PDFDocEncoding maps elsewhere (to accents such as the breve): not shortcut.
_NOT_ASCII_IN_PDFDOC = re.compile("[\x18-\x1f]")


def pdfdoc_encoded(text):
    """pdfdoc.pdfdocEnc: text as PDFDocEncoding bytes (bytes pass through)."""
    if isinstance(text, str) and text.isascii() and _NOT_ASCII_IN_PDFDOC.search(text) is None:
        return text.encode("ascii")
    return REPORTLAB_ENCODE(text)


@functools.lru_cache(maxsize=4096)
def pdf_name(data: str, lo: str = chr(0x21), hi: str = chr(0x7E)) -> str:
    """pdfdoc.PDFName: "/Name", its odd letters escaped as #xx; once per name and process."""
    return REPORTLAB_NAME(data, lo, hi)


def install() -> None:
    pdfdoc.pdfdocEnc = pdfdoc_encoded
    pdfdoc.PDFName = pdf_name
