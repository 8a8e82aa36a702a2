"""The patient's plan booklet drawn as PDF (A4 portrait, to read in the hand): cover, safety limits,
red flags, this week and next, a page per exercise with its figure, the pain diary.

The exercise figures are the costliest part of the page: each is built and walked by reportlab's
renderer once per process and its canvas calls replayed (`_figure`), which draws the same bytes.
"""

from __future__ import annotations

import functools

from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from planner.documents.booklet import PlanDocument
from planner.documents.wording import date_words
from rehab.pdf import layout
from rehab.pdf.figures import figure_drawing
from rehab.pdf.layout import (
    ALLOWED_SHADE,
    FRAME_WIDTH,
    SHADE,
    WARNING,
    WARNING_SHADE,
    Heading,
    box,
    build_pdf,
    bullets,
    chart,
    para,
    table,
)

PLAN_SECTIONS = ("Your safety limits", "Stop and call us if...", "Week by week", "Your exercises", "Pain diary")


def _cover(doc: PlanDocument) -> list[Flowable]:
    patient, contact = doc.patient, doc.contact
    flowables: list[Flowable] = [
        Spacer(1, 24),
        Heading("Your exercise plan", "title", 0),
        para(patient.name, "name"),
    ]
    if patient.date_of_birth:
        flowables.append(para(f"Date of birth: {date_words(patient.date_of_birth, year=True)}"))
    period = f"{date_words(doc.start_date, year=True)} to {date_words(doc.end_date, year=True)}"
    flowables += [para(f"{period} ({doc.plan_weeks or len(doc.weeks)} weeks)", "big"), Spacer(1, 12)]
    rows = [["Your physiotherapist", contact.physio_name]] if contact.physio_name else []
    rows += [["Clinic", contact.clinic_name], ["Phone", contact.clinic_phone]]
    rows += [["Email", contact.clinic_email]] if contact.clinic_email else []
    rows += [["Address", contact.clinic_address]] if contact.clinic_address else []
    return [
        *flowables,
        table(rows, [150, FRAME_WIDTH - 150], header=False, extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)]),
        Spacer(1, 18),
        para("In this booklet", "h3"),
        *bullets(PLAN_SECTIONS),
        Spacer(1, 18),
        box([para(doc.notice)], shade=SHADE),
        Spacer(1, 8),
        para(f"Printed on {date_words(doc.generated_on, year=True)}."),
    ]


def _safety(doc: PlanDocument) -> list[Flowable]:
    safety = doc.safety
    scale_rows = [["Effort", "How it feels", *safety.borg_columns]]
    shading = []
    for index, row in enumerate(safety.borg_scale):
        scale_rows.append([str(row.value), row.words, *("yes" if ok else "too hard" for ok in row.allowed)])
        shading += [
            ("BACKGROUND", (column + 2, index + 1), (column + 2, index + 1), ALLOWED_SHADE)
            for column, ok in enumerate(row.allowed)
            if ok
        ]
    column_width = (FRAME_WIDTH - 190) / max(len(safety.borg_columns), 1)
    tight = [("TOPPADDING", (0, 1), (-1, -1), 1), ("BOTTOMPADDING", (0, 1), (-1, -1), 2)]
    avoid_rows = [["Avoid", "Why"]] + [[line.what, line.why] for line in safety.avoid]
    return [
        PageBreak(),
        Heading(PLAN_SECTIONS[0], "h1", 0),
        para("How hard", "h2"),
        *bullets(safety.effort),
        para(safety.heart_rate, "strong"),
        KeepTogether(
            [
                para("The effort scale (6-20)", "h3"),
                table(scale_rows, [60, 130] + [column_width] * len(safety.borg_columns), extra=[*shading, *tight]),
            ]
        ),
        para("What to avoid, and why", "h2"),
        table(avoid_rows, [FRAME_WIDTH * 0.62, FRAME_WIDTH * 0.38]),
        para("Also", "h2"),
        *bullets(safety.other),
    ]


def _red_flags(doc: PlanDocument) -> list[Flowable]:
    rows = [["If you notice", "What to do"]] + [[flag.label, flag.advice] for flag in doc.red_flags]
    tight = [("TOPPADDING", (0, 1), (-1, -1), 3), ("BOTTOMPADDING", (0, 1), (-1, -1), 4)]
    return [
        PageBreak(),
        Heading(PLAN_SECTIONS[1], "h1", 0),
        box(
            [para(doc.call_lines[0], "warning"), *[para(line) for line in doc.call_lines[1:]]],
            shade=WARNING_SHADE,
            border=WARNING,
        ),
        Spacer(1, 10),
        para("Stop exercising and act at once if you notice any of these:", "strong"),
        table(
            rows,
            [FRAME_WIDTH * 0.42, FRAME_WIDTH * 0.58],
            extra=[("BACKGROUND", (0, 1), (0, -1), WARNING_SHADE), *tight],
        ),
    ]


def _schedule(doc: PlanDocument) -> list[Flowable]:
    """This week and next week as sessions day by day, then how the plan may grow after that."""
    total = doc.plan_weeks or len(doc.weeks)
    flowables: list[Flowable] = [
        PageBreak(),
        Heading(PLAN_SECTIONS[2], "h1", 0),
        para(
            "Each exercise day is one session: warm up, do the numbered exercises in order, then cool down. "
            "The days are suggestions: you may move a session to another day, but keep at least one day "
            "between two days of strength exercises."
        ),
    ]
    if doc.changes:
        flowables += [box([para("What changed this week", "h3"), *bullets(doc.changes)]), Spacer(1, 8)]
    widths = [150, 95, 115, FRAME_WIDTH - 360]
    for index, week in enumerate(doc.weeks):
        rows = [["Exercise", "Days", "Each time", "What is new"]]
        rows += [[row.exercise, row.days, row.dose, row.change] for row in week.rows]
        title = (
            f"{week.label}: week {week.number} of {total}, {date_words(week.first_day)} to {date_words(week.last_day)}"
        )
        if index:
            flowables.append(PageBreak())
        flowables += [Heading(title, "h2", 1, outline=f"Week {week.number}")]
        flowables += [para(line.text) for line in week.sessions]
        flowables += [Spacer(1, 6), table(rows, widths)]
    if doc.outline:
        flowables += [
            CondPageBreak(200),
            Heading("After that: how your plan may grow", "h2", 1, outline="After that"),
            para(
                "Your check-ins decide each week's dose, so the later weeks are not fixed yet. If the "
                "exercises feel fine, they grow slowly like this:"
            ),
            table(
                [["Exercise", "How it may grow"]] + [[line.exercise, line.outline] for line in doc.outline],
                [150, FRAME_WIDTH - 150],
            ),
        ]
    return flowables


class _CanvasRecorder:
    """Stands in for a canvas while reportlab's renderer walks a drawing, and keeps the canvas calls it
    makes. Replayed on a real canvas they draw exactly what the renderer would have drawn."""

    def __init__(self):
        self.__dict__["calls"] = []
        # Read by the renderer as the default of a font change: its drawing starts by setting both.
        self.__dict__["_fontname"], self.__dict__["_fontsize"] = rl_config.canvas_basefontname, 12

    def beginPath(self):  # a path is built, then handed to drawPath: keep the built path
        return PDFPathObject()

    def setFont(self, name, size, *args, **kwargs):
        self.__dict__["_fontname"], self.__dict__["_fontsize"] = name, size
        self.calls.append(("setFont", (name, size, *args), kwargs))

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)

        def record(*args, **kwargs):
            self.calls.append((name, args, kwargs))

        return record

    def __setattr__(self, name, value):  # the renderer sets canvas._fillMode directly
        self.calls.append((None, (name, value), {}))

    def __delattr__(self, name):  # the renderer's bookkeeping (_drawing), nothing drawn
        self.__dict__.pop(name, None)


class _ReplayedDrawing(Flowable):
    """A reportlab Drawing as the canvas calls its renderer made once (see _figure)."""

    def __init__(self, width: float, height: float, h_align: str, calls: tuple):
        super().__init__()
        self.width, self.height, self.hAlign, self._calls = width, height, h_align, calls

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        for name, args, kwargs in self._calls:
            if name is None:
                setattr(canvas, *args)
            else:
                getattr(canvas, name)(*args, **kwargs)


@functools.lru_cache(maxsize=256)
def _figure_calls(slug: str, protected: tuple[str, ...], width: float, invariant: int) -> tuple | None:
    # `invariant`: with reportlab's rl_config.invariant set (reproducible files), its renderer sets
    # each shape's state in sorted order, so a recording is kept per setting.
    drawing = figure_drawing(slug, protected, width=width)
    if drawing is None:
        return None
    recorder = _CanvasRecorder()
    # As Drawing.draw does on the page's canvas (drawing.renderScale is 1: its size is its width).
    renderPDF.draw(drawing, recorder, 0, 0, showBoundary=getattr(drawing, "_showBoundary", rl_config._unset_))
    return drawing.width, drawing.height, drawing.hAlign, tuple(recorder.calls)


def _figure(slug: str, protected: tuple[str, ...], width: float) -> Flowable | None:
    """The exercise's figure (rehab.pdf.figures), built and walked once per (exercise, protected
    regions, width) in a process: a 12-week plan draws 17 of them, each some fifty shapes whose
    building, checking and walking cost more than drawing the rest of the page. Same bytes drawn."""
    recorded = _figure_calls(slug, protected, width, rl_config.invariant)
    return _ReplayedDrawing(*recorded) if recorded else None


def _exercise_pages(doc: PlanDocument) -> list[Flowable]:
    flowables: list[Flowable] = [PageBreak(), Heading(PLAN_SECTIONS[3], "h1", 0)]
    label_column = [("BACKGROUND", (0, 0), (0, -1), SHADE)]
    for index, page in enumerate(doc.exercises):
        if index:
            flowables.append(PageBreak())
        dose_rows = [
            ["Each time", page.dose],
            ["Days this week", page.days],
            ["How hard", page.effort],
            ["Over the weeks", page.growth],
        ]
        bad_day = [para("On a bad day", "h3")]
        if page.bad_day_name:
            bad_day.append(para(f"Do this easier version instead: {page.bad_day_name}", "strong"))
        bad_day.append(para(page.bad_day_text))
        figure = _figure(page.slug, tuple(doc.protected_regions), 260)
        flowables += [
            Heading(page.name, "h2", 1),
            para(f"{page.kind}. Exercise {index + 1} of {len(doc.exercises)}."),
            *([figure] if figure else []),
            table(dose_rows, [130, FRAME_WIDTH - 130], header=False, extra=label_column),
            para("Getting ready", "h3"),
            para(page.setup),
            para("How to do it", "h3"),
            para(page.movement),
            para("What you should feel", "h3"),
            para(page.feel),
            para("Watch out for", "h3"),
            para(page.mistakes),
            Spacer(1, 8),
            box(bad_day),
        ]
    return flowables


def _diary(doc: PlanDocument) -> list[Flowable]:
    flowables: list[Flowable] = [
        PageBreak(),
        Heading(PLAN_SECTIONS[4], "h1", 0),
        *chart(doc.pain_chart),
        para("How to score", "h3"),
        *bullets(doc.pain_guide),
    ]
    if not doc.diary_weeks:
        return [*flowables, para("Your plan has ended: there are no more weeks to log.")]
    flowables += [
        PageBreak(),
        para("Fill in one row a day. Your exercise days are shaded and in bold; log any other day you exercise too."),
    ]
    widths = [100, 55, 55, 56, 56, 66, FRAME_WIDTH - 388]
    empty = [""] * (len(doc.diary_columns) - 1)
    for week in doc.diary_weeks:
        rows: list[list] = [list(doc.diary_columns)]
        rows += [[date_words(row.day), *empty] for row in week.rows]
        shading = []
        for i, row in enumerate(week.rows, start=1):
            if row.exercise_day:
                shading += [("BACKGROUND", (0, i), (0, i), SHADE), ("FONT", (0, i), (0, i), layout.font_set().bold, 12)]
        flowables += [
            CondPageBreak(330),
            Heading(f"Diary, week {week.number}", "h2", 1),
            table(rows, widths, extra=shading, row_heights=[None] + [30] * len(week.rows)),
        ]
    return flowables


def render_plan_pdf(doc: PlanDocument) -> bytes:
    """The patient's plan as PDF bytes (A4 portrait)."""
    flowables = [
        *_cover(doc),
        *_safety(doc),
        *_red_flags(doc),
        *_schedule(doc),
        *_exercise_pages(doc),
        *_diary(doc),
        PageBreak(),
        Heading("About this plan", "h1", 0),
        para(doc.notice),
        *[para(line) for line in doc.call_lines],
    ]
    return build_pdf(
        flowables,
        title=doc.title,
        author=doc.author,
        subject="Exercise plan: safety limits, when to call, weekly schedule, exercises and pain diary",
        header_left=doc.contact.clinic_name,
        header_right=f"Questions? Call {doc.contact.clinic_phone}",
        footer_left=doc.patient.name,
    )
