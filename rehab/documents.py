"""Fill the PDF content model (planner.document) from database rows, in a handful of queries.

No decisions here: the builders in planner/document.py decide what is said, rehab/pdf.py draws.
"""

from dataclasses import replace

from django.utils import timezone

from planner import document as doc
from planner import serialize
from planner.session_words import change_items, change_note
from planner.types import Dose
from rehab.clearance import (
    clearance_staff_words,
    clearance_state,
    supervision_staff_words,
    supervision_state,
    supervision_words,
)
from rehab.clinical import active_catalogue, profile_from_assessment, progression_config
from rehab.models import Alert, Assessment, CheckIn, CheckInKind, LimitOverride, Measurement, Plan, ProgressionDecision
from rehab.progress import plan_progress_series
from rehab.services.plans import engine_plan


def _patient(plan: Plan) -> doc.PatientInfo:
    return doc.PatientInfo(name=plan.patient.full_name, date_of_birth=plan.patient.date_of_birth)


def _contact(plan: Plan) -> doc.ContactInfo:
    clinic = plan.patient.clinic
    author = plan.author
    return doc.ContactInfo(
        clinic_name=clinic.name,
        clinic_phone=clinic.phone,
        clinic_email=clinic.email,
        physio_name=author.display_name if author else "",
        clinic_address=clinic.address,
    )


def _pain_entries(plan: Plan) -> list[doc.PainEntry]:
    rows = (
        CheckIn.objects.filter(plan=plan)
        .order_by("date")
        .values_list("date", "pain_during", "pain_after", "pain_next_morning", "session_rpe")
    )
    return [doc.PainEntry(day, during, after, morning, rpe) for day, during, after, morning, rpe in rows]


def _today(plan: Plan):
    return plan.patient.today()


def decision_change_note(decision: ProgressionDecision, engine) -> tuple[str, ...]:
    """What a stored weekly decision changed and why, in the patient's words (planner.session_words)."""
    names = {item.slug: item.exercise.name for item in engine.items}

    def doses(stored):
        return {slug: serialize.from_dict(Dose, value) for slug, value in stored.items()}

    items = change_items(names, decision.changes, doses(decision.doses_before), doses(decision.doses_after))
    return change_note(decision.action, [reason["rule_id"] for reason in decision.reasons], items)


def change_note_for_week(plan: Plan, engine, week: int) -> tuple[str, ...]:
    """The words of the decision that set plan week `week` (the one taken when week - 1 ended), if any."""
    if week < 2:
        return ()
    decision = ProgressionDecision.objects.filter(plan=plan, week=week - 1).first()
    return decision_change_note(decision, engine) if decision else ()


def plan_pdf_document(plan: Plan) -> doc.PlanDocument:
    """The patient's plan: plan + patient + clinic (1 query), check-ins (1), library (1), last decision (1).

    Always drawn from the stored plan, so after each weekly decision the sheet shows the new doses."""
    plan = Plan.objects.select_related("patient__clinic", "author").get(pk=plan.pk)
    engine = engine_plan(plan)
    today = _today(plan)
    week = doc.current_week(engine, plan.start_date, today) if engine.weeks else 1
    document = doc.plan_document(
        engine,
        patient=_patient(plan),
        contact=_contact(plan),
        start_date=plan.start_date,
        generated_on=today,
        pain_entries=_pain_entries(plan),
        exercises_by_slug={spec.slug: spec for spec in active_catalogue()},
        progression_config=progression_config(),
        changes=change_note_for_week(plan, engine, week),
    )
    # While supervised sessions remain, the patient's safety page says the next one is at the clinic.
    at_clinic = supervision_words(supervision_state(plan, engine.limits))
    if at_clinic:
        safety = document.safety
        document = replace(document, safety=replace(safety, other=(at_clinic, *safety.other)))
    return document


def _clearance_lines(plan: Plan, limits) -> tuple[str, ...]:
    """The report's lines on medical clearance and the supervised start (when the rules ask for them)."""
    clearance, supervision = clearance_state(plan, limits), supervision_state(plan, limits)
    lines = []
    if clearance.required:
        lines.append(clearance_staff_words(clearance))
    if supervision.required:
        lines.append(supervision_staff_words(supervision))
    return tuple(lines)


def report_pdf_document(plan: Plan) -> doc.ReportDocument:
    """The clinician's report for one plan, in about eight queries whatever its length."""
    plan = Plan.objects.select_related("patient__clinic", "author").get(pk=plan.pk)
    patient = plan.patient
    assessments = [
        doc.AssessmentEntry(
            assessed_on=row.assessed_on,
            assessed_by=row.assessed_by.display_name if row.assessed_by else "",
            profile=profile_from_assessment(patient, row),
            notes=row.notes,
        )
        for row in Assessment.objects.filter(patient=patient).select_related("assessed_by").order_by("assessed_on")
    ]
    decisions = list(ProgressionDecision.objects.filter(plan=plan).order_by("week"))
    logged = {}
    for week in CheckIn.objects.filter(plan=plan, kind=CheckInKind.SESSION).values_list("plan_week", flat=True):
        logged[week] = logged.get(week, 0) + 1
    engine = engine_plan(plan)
    report = doc.progress_report(
        engine,
        patient=_patient(plan),
        contact=_contact(plan),
        start_date=plan.start_date,
        generated_on=_today(plan),
        assessments=assessments,
        pain_entries=_pain_entries(plan),
        adherence=[doc.WeekAdherence(d.week, d.sessions_planned, logged.get(d.week, 0)) for d in decisions],
        symptoms=_symptom_rows(plan),
        measures=[
            doc.MeasureEntry(row.kind, row.measured_on, float(row.value))
            for row in Measurement.objects.filter(patient=patient).order_by("measured_on", "id")
        ],
        decisions=[
            doc.DecisionEntry(
                week=d.week,
                action=d.action,
                light=d.light or None,
                reasons=tuple(doc.ReasonEntry(r["rule_id"], r["text"]) for r in d.reasons),
                decided_on=timezone.localdate(d.decided_at),
                changes=tuple(c["text"] for c in d.changes.values() if c.get("variable")),
                review_required=d.review_required,
            )
            for d in decisions
        ],
        alerts=[
            doc.AlertEntry(
                created_on=timezone.localdate(a.created_at),
                kind=a.get_kind_display(),
                message=a.message,
                urgent=a.urgent,
                acknowledged_on=timezone.localdate(a.acknowledged_at) if a.acknowledged_at else None,
                acknowledged_by=a.acknowledged_by.display_name if a.acknowledged_by else "",
                note=a.acknowledgement_note,
            )
            for a in Alert.objects.filter(patient=patient).select_related("acknowledged_by").order_by("created_at")
        ],
        overrides=[
            doc.OverrideEntry(
                created_on=timezone.localdate(o.created_at),
                author=o.created_by.display_name,
                exercise=o.item.exercise.name if o.item else "",
                limits_exceeded=tuple(v["message"] for v in o.limits_exceeded),
                reason=o.reason,
                acknowledged_on=timezone.localdate(o.acknowledged_at) if o.acknowledged_at else None,
            )
            for o in LimitOverride.objects.filter(plan=plan).select_related("created_by", "item__exercise")
        ],
        progression_config=progression_config(),
    )
    return replace(report, summary=(*report.summary, *_clearance_lines(plan, engine.limits)))


def plan_file_name(plan: Plan, kind: str = "plan") -> str:
    from django.utils.text import slugify

    return f"{kind}-{slugify(plan.patient.last_name) or 'patient'}-{plan.start_date.isoformat()}.pdf"


def _symptom_rows(plan: Plan) -> list[tuple[str, ...]]:
    """Where it hurt, vital signs and supervision per check-in that gave any (one query, rehab.progress)."""
    rows = []
    for entry in plan_progress_series(plan)["symptoms"]:
        heart = f"{entry['heart_rate_avg'] or '-'} / {entry['heart_rate_max'] or '-'}"
        oxygen = f"{entry['spo2_min']} %" if entry["spo2_min"] is not None else "-"
        rows.append(
            (
                entry["date"].strftime("%-d %b"),
                ", ".join(entry["pain_sites"]) or "-",
                entry["painful_exercise"] or "-",
                heart,
                oxygen,
                entry["supervised_by"] or "-",
            )
        )
    return rows
