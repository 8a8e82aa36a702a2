"""The clinician's progress report drawn as PDF (A4 landscape, for its wide tables and charts): the
patient and plan, assessments, limits with their rules, targets, symptoms, trends, every decision
with its reasons, alerts and overrides.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils.translation import get_language
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from planner.documents.report import ReportDocument
from planner.documents.wording import date_words
from planner.translation import gettext as _
from rehab.pdf.headings import heading
from rehab.pdf.layout import REPORT_PAGE, REPORT_WIDTH, SHADE, bullets, chart, para, table
from rehab.pdf.pages import build_pdf


def _date(day: date | None) -> str:
    return date_words(day, year=True) if day else ""


def _report_head(doc: ReportDocument) -> list[Flowable]:
    patient, contact = doc.patient, doc.contact
    rows = [[_("Patient"), patient.name]]
    if patient.date_of_birth:
        rows.append([_("Date of birth"), _date(patient.date_of_birth)])
    rows += [
        [_("Plan"), _("%(start)s to %(end)s") % {"start": _date(doc.start_date), "end": _date(doc.end_date)}],
        [_("Physiotherapist"), contact.physio_name or "-"],
        [_("Clinic"), f"{contact.clinic_name}, {contact.clinic_phone}"],
        [_("Report date"), _date(doc.generated_on)],
    ]
    return [
        heading(_("Progress report"), "title", 0),
        table(rows, [160, REPORT_WIDTH - 160], header=False, extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)]),
        para(_("Summary"), "h2"),
        *bullets(doc.summary),
    ]


def _report_history(doc: ReportDocument) -> list[Flowable]:
    flowables: list[Flowable] = [heading(_("Assessments"), "h1", 0)]
    if not doc.assessments:
        flowables.append(para(_("No assessment recorded.")))
    for entry in doc.assessments:
        title = (
            _("%(day)s, by %(name)s") % {"day": _date(entry.assessed_on), "name": entry.assessed_by}
            if entry.assessed_by
            else _date(entry.assessed_on)
        )
        flowables += [para(title, "h3"), *bullets(entry.lines)]
        if entry.notes:
            flowables.append(para(_("Notes: %(notes)s") % {"notes": entry.notes}))
    item_rows = [[_("Exercise"), _("Kind"), _("First week"), _("Last week")]]
    item_rows += [[item.exercise, item.kind, item.first_week, item.last_week] for item in doc.items]
    limit_rows = [[_("Limit"), _("Value"), _("Rules")]] + [
        [row.name, row.value, "\n".join(row.rule_ids)] for row in doc.limits
    ]
    rule_rows = [[_("Rule"), _("What it says"), _("Evidence"), _("Source")]]
    rule_rows += [[rule.id, rule.text, rule.evidence, rule.source] for rule in doc.rules]
    third = (REPORT_WIDTH - 340) / 2
    return [
        *flowables,
        CondPageBreak(150),
        heading(_("The plan"), "h1", 0),
        table(item_rows, [240, 100, third, third]),
        *_report_targets(doc),
        CondPageBreak(150),
        heading(_("Limits and their rules"), "h1", 0),
        table(limit_rows, [190, REPORT_WIDTH - 480, 290]),
        para(_("Rules"), "h2"),
        para(
            _(
                "Evidence: G guideline or trial, C consensus, R recalled from the source (to check), "
                "D design default (a clinician signs it off)."
            )
        ),
        table(rule_rows, [265, REPORT_WIDTH - 265 - 80 - 190, 80, 190]),
    ]


def _report_targets(doc: ReportDocument) -> list[Flowable]:
    if not doc.targets:
        return []
    rows = [[_("Target"), _("Met in week"), _("Last week"), _("Why lower")]] + [list(row) for row in doc.targets]
    return [
        CondPageBreak(150),
        heading(_("Where twelve good weeks should get to"), "h2", 1),
        table(rows, [300, 80, 110, REPORT_WIDTH - 490]),
    ]


def _report_symptoms(doc: ReportDocument) -> list[Flowable]:
    if not doc.symptoms:
        return []
    header = [
        _("Session"),
        _("Where it hurt"),
        _("Exercise that hurt"),
        _("Heart rate avg / peak"),
        _("Lowest SpO2"),
        _("Supervised by"),
    ]
    return [
        heading(_("Where it hurt, vital signs and supervised sessions"), "h2", 1),
        table([header] + [list(row) for row in doc.symptoms], [70, 150, 150, 100, 80, REPORT_WIDTH - 550]),
    ]


def _report_trends(doc: ReportDocument) -> list[Flowable]:
    flowables: list[Flowable] = [PageBreak(), heading(_("Trends"), "h1", 0)]
    for value in (doc.pain_chart, doc.rpe_chart, doc.adherence_chart):
        flowables += chart(value, height=185, width=REPORT_WIDTH)
    flowables += _report_symptoms(doc)
    measures: list[Flowable] = [heading(_("Strength and function"), "h2", 1)]
    if not doc.measure_charts:
        return [*flowables, *measures, para(_("No strength or function tests recorded."))]
    for index, measure in enumerate(doc.measure_charts):
        drawn = chart(measure, height=185, width=REPORT_WIDTH)
        # The section heading stays with its first chart.
        flowables += [KeepTogether([*measures, *drawn])] if index == 0 else drawn
    return flowables


def _report_decisions(doc: ReportDocument) -> list[Flowable]:
    flowables: list[Flowable] = [PageBreak(), heading(_("Progression decisions"), "h1", 0)]
    if not doc.decisions:
        flowables.append(para(_("No weekly decision yet.")))
    for decision in doc.decisions:
        values = {
            "week": decision.week,
            "action": decision.action,
            "light": decision.light,
            "day": _date(decision.decided_on),
        }
        title = (
            _("Week %(week)s: %(action)s, pain light %(light)s, decided %(day)s. A clinician must review.")
            if decision.review_required
            else _("Week %(week)s: %(action)s, pain light %(light)s, decided %(day)s")
        ) % values
        outline = _("Week %(week)s: %(action)s") % values
        rows = [[_("Rule"), _("Finding")]] + [[reason.rule_id, reason.text] for reason in decision.reasons]
        block: list[Flowable] = [
            heading(title, "h3", 1, outline=outline),
            table(rows, [290, REPORT_WIDTH - 290]),
        ]
        if decision.changes:
            block.append(para(_("Changes: %(changes)s") % {"changes": "; ".join(decision.changes)}))
        flowables += [KeepTogether(block), Spacer(1, 6)]
    return flowables


def _report_alerts(doc: ReportDocument) -> list[Flowable]:
    flowables: list[Flowable] = [PageBreak(), heading(_("Alerts"), "h1", 0)]
    if doc.alerts:
        rows = [[_("Date"), _("Alert"), _("Message"), _("Status")]]
        rows += [
            [_date(a.created_on), _("URGENT: %(kind)s") % {"kind": a.kind} if a.urgent else a.kind, a.message, a.status]
            for a in doc.alerts
        ]
        flowables.append(table(rows, [120, 160, REPORT_WIDTH - 480, 200]))
    else:
        flowables.append(para(_("No alerts.")))
    flowables.append(heading(_("Overrides"), "h1", 0))
    if doc.overrides:
        rows = [[_("Date"), _("Who"), _("Exercise"), _("Limits exceeded"), _("Reason"), _("Status")]]
        rows += [
            [_date(o.created_on), o.author, o.exercise, "\n".join(o.limits_exceeded), o.reason, o.status]
            for o in doc.overrides
        ]
        flowables.append(table(rows, [110, 100, 130, 170, REPORT_WIDTH - 640, 130]))
    else:
        flowables.append(para(_("No dose was accepted above a limit.")))
    return flowables


def render_report_pdf(doc: ReportDocument) -> bytes:
    """The clinician's progress report as PDF bytes (A4 landscape)."""
    flowables = [
        *_report_head(doc),
        *_report_history(doc),
        *_report_trends(doc),
        *_report_decisions(doc),
        *_report_alerts(doc),
        heading(_("About this report"), "h1", 0),
        para(doc.notice),
    ]
    return build_pdf(
        flowables,
        title=doc.title,
        author=doc.author,
        subject=_("Progress report: assessments, limits and rules, trends, decisions, alerts and overrides"),
        header_left=_("%(clinic)s: progress report") % {"clinic": doc.contact.clinic_name},
        header_right=doc.contact.clinic_phone,
        footer_left=doc.patient.name,
        pagesize=REPORT_PAGE,
        language=get_language() or settings.LANGUAGE_CODE,
    )
