"""Draws planner documents as PDF with reportlab: the patient's plan booklet and the progress report.

`render_plan_pdf(PlanDocument)` and `render_report_pdf(ReportDocument)` take only the dataclasses of
planner.documents: no query, no clinical decision. What the PDF says is decided there; this package
decides only how it looks: large type (body 13 pt, nothing under 12 pt), black on white, page numbers,
a header with the clinic's phone on every page, bookmarks for every section, title and author in the
metadata.

  layout.py   fonts, escaping (`markup`), colours, paragraph styles, tables, boxes, page header and footer
  plan.py     the patient's plan booklet (portrait), with its exercise figures replayed from a recording
  report.py   the clinician's progress report (landscape)
  charts.py   planner.documents.charts' time and bar charts drawn with reportlab.graphics
  figures.py  the exercise figures drawn with reportlab.graphics
"""

from reportlab import rl_config
from reportlab.lib import rl_accel

from rehab.pdf.plan import render_plan_pdf
from rehab.pdf.report import render_report_pdf

__all__ = ["TEMPLATE_VERSION", "accelerated", "render_plan_pdf", "render_report_pdf"]


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
