"""The patient's plan booklet drawn as PDF (A4 portrait, to read in the hand): cover, safety limits,
red flags, this week and next in full and the later weeks in outline, each exercise of these two
weeks with its figure, the pain diary.

The exercise figures are drawn once per process and copied into the page (rehab.pdf.figures).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language, gettext_noop
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from planner.documents.booklet import OUTLINE_COLUMNS, PlanDocument
from planner.documents.wording import date_words
from planner.translation import gettext as _
from planner.translation import ngettext
from rehab.pdf import layout
from rehab.pdf.figures import figure_flowable
from rehab.pdf.headings import heading
from rehab.pdf.layout import (
    ALLOWED_SHADE,
    CALM_SHADE,
    FRAME_WIDTH,
    SHADE,
    WARNING,
    WARNING_SHADE,
    Beside,
    box,
    bullets,
    chart,
    fit_header,
    para,
    table,
)
from rehab.pdf.pages import build_pdf

# Every text drawn here goes through gettext: the PDF is drawn under the reader's language
# (the planner's own wording follows it through planner.translation).
PLAN_SECTIONS = (
    gettext_noop("Your safety limits"),
    gettext_noop("Stop and call us if..."),
    gettext_noop("Week by week"),
    gettext_noop("Your exercises"),
    gettext_noop("Pain diary"),
)


def _section(index: int) -> str:
    return _(PLAN_SECTIONS[index])


def _cover(doc: PlanDocument) -> list[Flowable]:
    patient, contact = doc.patient, doc.contact
    flowables: list[Flowable] = [
        Spacer(1, 24),
        heading(_("Your exercise plan"), "title", 0),
        para(patient.name, "name"),
    ]
    if patient.date_of_birth:
        flowables.append(para(_("Date of birth: %(date)s") % {"date": date_words(patient.date_of_birth, year=True)}))
    weeks = doc.plan_weeks or len(doc.weeks)
    period = ngettext("%(first)s to %(last)s (%(weeks)s week)", "%(first)s to %(last)s (%(weeks)s weeks)", weeks) % {
        "first": date_words(doc.start_date, year=True),
        "last": date_words(doc.end_date, year=True),
        "weeks": weeks,
    }
    flowables += [para(period, "big"), Spacer(1, 12)]
    rows = [[_("Your physiotherapist"), contact.physio_name]] if contact.physio_name else []
    rows += [[_("Clinic"), contact.clinic_name], [_("Phone"), contact.clinic_phone]]
    rows += [[_("Email"), contact.clinic_email]] if contact.clinic_email else []
    rows += [[_("Address"), contact.clinic_address]] if contact.clinic_address else []
    return [
        *flowables,
        table(rows, [150, FRAME_WIDTH - 150], header=False, extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)]),
        Spacer(1, 18),
        para(_("In this booklet"), "h3"),
        *bullets([_(section) for section in PLAN_SECTIONS]),
        Spacer(1, 18),
        box([para(doc.notice)], shade=SHADE),
        Spacer(1, 8),
        para(_("Printed on %(date)s.") % {"date": date_words(doc.generated_on, year=True)}),
    ]


def _safety(doc: PlanDocument) -> list[Flowable]:
    safety = doc.safety
    scale_rows = [[_("Effort"), _("How it feels"), *safety.borg_columns]]
    allowed, too_hard = _("yes"), _("too hard")
    shading = []
    for index, row in enumerate(safety.borg_scale):
        scale_rows.append([str(row.value), row.words, *(allowed if ok else too_hard for ok in row.allowed)])
        shading += [
            ("BACKGROUND", (column + 2, index + 1), (column + 2, index + 1), ALLOWED_SHADE)
            for column, ok in enumerate(row.allowed)
            if ok
        ]
    column_width = (FRAME_WIDTH - 190) / max(len(safety.borg_columns), 1)
    tight = [("TOPPADDING", (0, 1), (-1, -1), 1), ("BOTTOMPADDING", (0, 1), (-1, -1), 2)]
    avoid_rows = [[_("Avoid"), _("Why")]] + [[line.what, line.why] for line in safety.avoid]
    return [
        PageBreak(),
        heading(_section(0), "h1", 0),
        para(_("How hard"), "h2"),
        *bullets(safety.effort),
        para(safety.heart_rate, "strong"),
        KeepTogether(
            [
                para(_("The effort scale (6-20)"), "h3"),
                table(
                    scale_rows,
                    fit_header(scale_rows[0], [60, 130] + [column_width] * len(safety.borg_columns), flexible=1),
                    extra=[*shading, *tight],
                ),
            ]
        ),
        para(_("What to avoid, and why"), "h2"),
        table(avoid_rows, [FRAME_WIDTH * 0.62, FRAME_WIDTH * 0.38]),
        para(_("Also"), "h2"),
        *bullets(safety.other),
    ]


def _red_flags(doc: PlanDocument) -> list[Flowable]:
    rows = [[_("If you notice"), _("What to do")]] + [[flag.label, flag.advice] for flag in doc.red_flags]
    tight = [("TOPPADDING", (0, 1), (-1, -1), 3), ("BOTTOMPADDING", (0, 1), (-1, -1), 4)]
    return [
        PageBreak(),
        heading(_section(1), "h1", 0),
        box(
            [para(doc.call_lines[0], "warning"), *[para(line) for line in doc.call_lines[1:]]],
            shade=WARNING_SHADE,
            border=WARNING,
        ),
        Spacer(1, 10),
        para(_("Stop exercising and act at once if you notice any of these:"), "strong"),
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
        heading(_section(2), "h1", 0),
        para(
            _(
                "Each exercise day is one session: warm up, do the numbered exercises in order, then cool down. "
                "The days are suggestions: you may move a session to another day, but keep at least one day "
                "between two days of strength exercises."
            )
        ),
    ]
    if doc.changes:
        flowables += [box([para(_("What changed this week"), "h3"), *bullets(doc.changes)]), Spacer(1, 8)]
    widths = [150, 95, 115, FRAME_WIDTH - 360]
    for index, week in enumerate(doc.weeks):
        rows = [[_("Exercise"), _("Days"), _("Each time"), _("What is new")]]
        rows += [[row.exercise, row.days, row.dose, row.change] for row in week.rows]
        title = _("%(label)s: week %(number)s of %(total)s, %(first)s to %(last)s") % {
            "label": week.label,
            "number": week.number,
            "total": total,
            "first": date_words(week.first_day),
            "last": date_words(week.last_day),
        }
        if index:
            flowables.append(CondPageBreak(300))
        flowables += [heading(title, "h2", 1, outline=_("Week %(number)s") % {"number": week.number})]
        flowables += [para(line.text) for line in week.sessions]
        flowables += [Spacer(1, 6), table(rows, fit_header(rows[0], widths))]
    if doc.later_weeks:
        rows = [[_(column) for column in OUTLINE_COLUMNS]]
        rows += [
            [
                str(week.number),
                _("%(first)s to %(last)s") % {"first": date_words(week.first_day), "last": date_words(week.last_day)},
                *week.amounts,
            ]
            for week in doc.later_weeks
        ]
        flowables += [
            CondPageBreak(200),
            heading(_("After that: the weeks ahead in outline"), "h2", 1, outline=_("After that")),
            para(
                _(
                    "Your check-ins decide each week's dose, so these weeks are not fixed yet: this is where the "
                    "plan goes if every week feels fine (under each exercise, Over the weeks says how it grows). "
                    "After each weekly decision, download your plan again: it then shows the next two weeks in full."
                )
            ),
            table(rows, fit_header(rows[0], [48, 122, 72, 110, 80, FRAME_WIDTH - 432])),
        ]
    return flowables


def _exercise_pages(doc: PlanDocument) -> list[Flowable]:
    """Each exercise of this week and next with its figure, one after the other (a page holds two or
    three): its dose, how hard, how it may grow, how to do it and what to do on a bad day."""
    flowables: list[Flowable] = [PageBreak(), heading(_section(3), "h1", 0)]
    fonts = layout.font_set()
    label_column = [("BACKGROUND", (0, 0), (0, -1), SHADE), ("FONT", (0, 0), (0, -1), fonts.bold, 12)]
    for index, page in enumerate(doc.exercises):
        if page.bad_day_name:
            bad_day = _("Do this easier version instead: %(name)s.") % {"name": page.bad_day_name}
            bad_day += f" {page.bad_day_text}"
        else:
            bad_day = page.bad_day_text
        rows = [
            [_("Each time"), f"{page.dose}: {page.days}" if page.days else page.dose],
            [_("How hard"), page.effort],
            [_("Over the weeks"), page.growth],
            [_("How to do it"), f"{page.setup} {page.movement}"],
            [_("What you should feel"), page.feel],
            [_("Watch out for"), page.mistakes],
            [_("On a bad day"), bad_day],
        ]
        place = _("%(kind)s. Exercise %(number)s of %(total)s.") % {
            "kind": page.kind,
            "number": index + 1,
            "total": len(doc.exercises),
        }
        title = [heading(page.name, "h2", 1), para(place)]
        figure = figure_flowable(page.slug, doc.protected_regions, 230, fonts.regular, layout.MIN_FONT_SIZE)
        flowables += [
            CondPageBreak(240),
            Spacer(1, 10),
            Beside(title, figure) if figure else KeepTogether(title),
            Spacer(1, 4),
            table(
                rows,
                [110, FRAME_WIDTH - 110],
                header=False,
                extra=[*label_column, ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), CALM_SHADE)],
            ),
        ]
    return flowables


def _diary(doc: PlanDocument) -> list[Flowable]:
    flowables: list[Flowable] = [
        PageBreak(),
        heading(_section(4), "h1", 0),
        *chart(doc.pain_chart),
        para(_("How to score"), "h3"),
        *bullets(doc.pain_guide),
    ]
    if not doc.diary_weeks:
        return [*flowables, para(_("Your plan has ended: there are no more weeks to log."))]
    flowables += [
        CondPageBreak(330),
        para(
            _("Fill in one row a day. Your exercise days are shaded and in bold; log any other day you exercise too.")
        ),
    ]
    # Widened where a header word would not fit (fit_header): "morning" split as "mornin g" at 66 points.
    widths = fit_header(doc.diary_columns, [100, 55, 55, 56, 56, 66, FRAME_WIDTH - 388])
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
            heading(_("Diary, week %(number)s") % {"number": week.number}, "h2", 1),
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
        CondPageBreak(220),
        heading(_("About this plan"), "h1", 0),
        para(doc.notice),
        *[para(line) for line in doc.call_lines],
    ]
    return build_pdf(
        flowables,
        title=doc.title,
        author=doc.author,
        subject=_("Exercise plan: safety limits, when to call, weekly schedule, exercises and pain diary"),
        header_left=doc.contact.clinic_name,
        header_right=_("Questions? Call %(phone)s") % {"phone": doc.contact.clinic_phone},
        footer_left=doc.patient.name,
        # Drawn under the reader's language (the planner's wording and these labels follow it).
        language=get_language() or settings.LANGUAGE_CODE,
    )
