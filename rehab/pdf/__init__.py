"""Draws planner documents as PDF with reportlab: the patient's plan booklet and the progress report.

`render_plan_pdf(PlanDocument)` and `render_report_pdf(ReportDocument)` take only the dataclasses of
planner.documents: no query, no clinical decision. What the PDF says is decided there; this package
decides only how it looks: large type (body 13 pt, nothing under 12 pt), black on white, page numbers,
a header with the clinic's phone on every page, bookmarks for every section, title and author in the
metadata.

  layout.py   fonts, escaping (`markup`), colours, paragraph styles, tables, boxes, charts
  pages.py    the page header and footer, page numbers, metadata: build_pdf
  headings.py headings that add themselves to the PDF outline
  text.py     plain text as a flowable: words measured once, lines drawn without parsing markup
  grid.py     tables of plain text drawn straight onto the page (one text object, one path of rules)
  writer.py   reportlab's PDF writer with its name and string encoding made cheap (the same bytes)
  ttf.py      a TrueType font that encodes known letters for the page in one call, writes lines of text
              in one piece, and makes each embedded font program once per process
  plan.py     the patient's plan booklet (portrait)
  report.py   the clinician's progress report (landscape)
  charts.py   planner.documents.charts' time charts drawn on the canvas, bar charts with reportlab.graphics
  figures.py  the exercise figures drawn with reportlab.graphics into forms made once per process
"""

import zlib

from reportlab import rl_config
from reportlab.lib import rl_accel
from reportlab.pdfbase import pdfdoc

from rehab.pdf import writer

# Page streams stay zlib-compressed, but not also ASCII85-encoded: A85 only makes a binary PDF 7-bit
# safe (for mail systems of the 1990s) at the cost of a quarter more bytes and reportlab's slow encoder.
# The settings are process-wide; this app is reportlab's only user.
rl_config.useA85 = 0
rl_config.pageCompression = 1
# reportlab checks every attribute set on a chart or figure shape against its declared type, a
# development aid that cost a tenth of drawing the booklet's pain chart; tests draw every figure and
# chart and read them back. Set before the drawing modules below are imported.
rl_config.shapeChecking = 0


class _QuickCompress(pdfdoc.PDFStreamFilterZCompress):
    """Flate at zlib level 3 instead of 6: the booklet's page streams compress in two thirds of the
    time for 4 % more bytes (2026-11-30: 28 pages, 217 KB of operators, 49.7 KB at 6, 53.7 KB at 3).
    The embedded font programs are compressed once per process, at 9 (rehab.pdf.ttf)."""

    def encode(self, text):
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 3)


# reportlab reads the module's one filter when it writes a stream (page and font streams alike).
pdfdoc.PDFZCompress = _QuickCompress()
writer.install()  # the same bytes, each name and string of the document's dictionaries written faster

from rehab.pdf.plan import render_plan_pdf  # noqa: E402 (after the settings above)
from rehab.pdf.report import render_report_pdf  # noqa: E402

__all__ = ["TEMPLATE_VERSION", "accelerated", "render_plan_pdf", "render_report_pdf"]

# Bump when the drawing changes, so that cached PDF bytes (rehab.documents.plan_pdf_bytes) are redrawn.
TEMPLATE_VERSION = "2026-12-01.1"


def accelerated() -> bool:
    """Whether reportlab draws with its C accelerator (the rl-accel package): widths, number formatting
    and escaping in C, several times faster than the pure-Python fallbacks."""
    return getattr(rl_accel, "_c_funcs", None) is not None and "instanceStringWidthTTF" in rl_accel._c_funcs
