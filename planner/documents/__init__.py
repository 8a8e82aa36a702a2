"""What a PDF or a page says, as data: the patient's plan booklet and the clinician's progress report.

The Django layer fills the input records (inputs.py) from its rows; booklet.plan_document and
report.progress_report turn them, with the engine's Plan, into frozen documents made of plain text and
numbers, which rehab/pdf/ draws. Every decision about content is taken here (which limits to explain
and in which words, which days, what to do on a bad day, which reference lines a chart shows) so that
it is tested without reportlab or a database; the drawing decides only the looks.

  inputs.py   what the Django layer fills: the patient, the clinic, check-ins, decisions, alerts ...
  wording.py  the words pages and documents share: dates, days, regions, doses, effort, changes
  safety.py   the limits in plain words: what to avoid and why, the safety page, the clinician's rows
  charts.py   the progress charts (pain, effort, adherence, measures), drawn as SVG or by reportlab
  booklet.py  the patient's plan booklet (PlanDocument)
  report.py   the clinician's progress report (ReportDocument)

All text here is plain text, never markup: the drawing escapes every string it prints.
"""
