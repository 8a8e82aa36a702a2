"""Fill the PDF content model (planner.documents) from database rows, in a handful of queries.

No decisions here: the builders in planner/documents/ decide what is said, rehab/pdf/ draws; the
rows are read through rehab.selectors.documents.
"""

import hashlib
from dataclasses import replace

from django.core.cache import cache
from django.utils import timezone, translation

from planner.decision_doses import doses_from
from planner.documents import booklet, inputs
from planner.documents.report import ReportDocument, progress_report
from planner.documents.wording import month_words
from planner.progression.said import text_of
from planner.session_words import change_items, change_note
from planner.types import ExerciseSpec
from planner.types import Plan as EnginePlan
from rehab.adherence import adherence_rows
from rehab.clearance import (
    SupervisionState,
    clearance_staff_words,
    clearance_state,
    supervision_staff_words,
    supervision_state,
    supervision_words,
)
from rehab.clinical import active_catalogue, library_version, profile_from_assessment, progression_config
from rehab.exercise_words import exercise_name, exercise_words
from rehab.i18n import in_patient_language, words_remembered
from rehab.models import CheckInKind, Plan, ProgressionDecision
from rehab.progress import plan_progress_series
from rehab.rule_words import rule_text, source_words
from rehab.selectors.documents import (
    decision_for_week,
    patient_alerts,
    patient_assessments,
    patient_measurements,
    plan_checkin_rows,
    plan_decisions,
    plan_for_pdf,
    plan_overrides,
    plan_with_people,
)
from rehab.services.plan_store import cited_by
from rehab.services.plans import engine_plan
from rehab.stored_words import alert_text, exceeded_text


def _patient(plan: Plan) -> inputs.PatientInfo:
    return inputs.PatientInfo(name=plan.patient.full_name, date_of_birth=plan.patient.date_of_birth)


def _contact(plan: Plan) -> inputs.ContactInfo:
    clinic = plan.patient.clinic
    author = plan.author
    return inputs.ContactInfo(
        clinic_name=clinic.name,
        clinic_phone=clinic.phone,
        clinic_email=clinic.email,
        physio_name=author.display_name if author else "",
        clinic_address=clinic.address,
    )


def _pain_entries(plan: Plan) -> list[inputs.PainEntry]:
    rows = plan_checkin_rows(plan, ("date", "pain_during", "pain_after", "pain_next_morning", "session_rpe"))
    return [inputs.PainEntry(day, during, after, morning, rpe) for day, during, after, morning, rpe in rows]


def _today(plan: Plan):
    return plan.patient.today()


def decision_change_note(decision: ProgressionDecision, engine) -> tuple[str, ...]:
    """What a stored weekly decision changed and why, in the patient's words (planner.session_words)."""
    # In the reader's language (the patient's page or email runs under theirs).
    names = {item.slug: exercise_name(item.slug, item.exercise.name) for item in engine.items}

    cited = cited_by(decision)
    before, after = doses_from(decision.doses_before, cited), doses_from(decision.doses_after, cited)
    items = change_items(names, decision.changes, before, after)
    return change_note(decision.action, [reason["rule_id"] for reason in decision.reasons], items)


def change_note_for_week(plan: Plan, engine, week: int) -> tuple[str, ...]:
    """The words of the decision that set plan week `week` (the one taken when week - 1 ended), if any."""
    if week < 2:
        return ()
    decision = decision_for_week(plan, week - 1)
    return decision_change_note(decision, engine) if decision else ()


def _spec_in_language(spec: ExerciseSpec) -> ExerciseSpec:
    """The library entry with its name and instructions in the active language (English when it has none)."""
    words = exercise_words(spec.slug, spec.name, spec.instructions)
    if words.name == spec.name and words.instructions == spec.instructions:
        return spec
    return replace(spec, name=words.name, instructions=words.instructions or spec.instructions)


def _plan_in_language(engine: EnginePlan) -> EnginePlan:
    """The engine plan with each item's exercise named and described in the active language: the
    booklet prints the names and instructions it carries (planner/ has no database to ask)."""
    items = tuple(replace(item, exercise=_spec_in_language(item.exercise)) for item in engine.items)
    return replace(engine, items=items)


def plan_pdf_document(plan: Plan, *, loaded: bool = False) -> booklet.PlanDocument:
    """The patient's plan: plan + patient + clinic (1 query), check-ins (1), library (1), last decision (1).

    Always drawn from the stored plan, so after each weekly decision the sheet shows the new doses.
    loaded: `plan` was just read with its patient, clinic and author (plan_pdf_bytes): not read again."""
    if not loaded:
        plan = plan_with_people(plan.pk)
    engine = engine_plan(plan)
    today = _today(plan)
    week = booklet.current_week(engine, plan.start_date, today) if engine.weeks else 1
    document = booklet.plan_document(
        _plan_in_language(engine),
        patient=_patient(plan),
        contact=_contact(plan),
        start_date=plan.start_date,
        generated_on=today,
        pain_entries=_pain_entries(plan),
        exercises_by_slug={spec.slug: _spec_in_language(spec) for spec in active_catalogue()},
        progression_config=progression_config(),
        changes=change_note_for_week(plan, engine, week),
    )
    # While supervised sessions remain, the patient's safety page says the next one is at the clinic.
    at_clinic = supervision_words(_supervision(plan, engine.limits))
    if at_clinic:
        safety = document.safety
        document = replace(document, safety=replace(safety, other=(at_clinic, *safety.other)))
    return document


# A drawn plan PDF is kept this long; its key changes whenever anything it prints changes, so this only
# bounds the memory stale entries take.
PLAN_PDF_CACHE_SECONDS = 24 * 60 * 60


def plan_pdf_cache_key(plan: Plan) -> str:
    """Everything the plan PDF depends on, in about four small queries (no snapshot is decoded):

    the plan's version and last save (edits, weekly decisions, limit changes), the patient's day (this
    week and next), the patient, clinic and author words, the check-ins so far (pain chart, supervised
    sessions), the decisions (what changed), the clinic's active exercise library (instructions,
    easier variants) and the drawing's TEMPLATE_VERSION. A change to any of them is a new key, so a
    cached PDF is never stale and nothing needs invalidating.
    """

    return _plan_pdf_key(plan_for_pdf(plan.pk))


def _supervision(plan: Plan, limits) -> SupervisionState:
    """rehab.clearance.supervision_state, from the count _plan_for_pdf read with the plan when it did."""
    if not hasattr(plan, "supervised_done"):
        return supervision_state(plan, limits)
    wanted = limits.supervised_sessions
    return SupervisionState(
        sessions_required=wanted,
        sessions_done=(plan.supervised_done or 0) if wanted else 0,
        rules=limits.rules_for("supervised_sessions") if wanted else (),
    )


def _plan_pdf_key(plan: Plan) -> str:
    from rehab.pdf import TEMPLATE_VERSION

    patient, clinic, author = plan.patient, plan.patient.clinic, plan.author
    words = (
        patient.full_name,
        patient.date_of_birth,
        clinic.name,
        clinic.phone,
        clinic.email,
        clinic.address,
        author.display_name if author else "",
        # The version the PDF's exercises are read at (active_catalogue): every change to an exercise
        # sets a new one, so the instructions and easier variants it prints are never stale.
        library_version(),
    )
    digest = hashlib.sha256(repr(words).encode()).hexdigest()[:32]
    return ":".join(
        str(part)
        for part in (
            "plan-pdf",
            TEMPLATE_VERSION,
            plan.pk,
            plan.version,
            plan.updated_at.isoformat(),
            plan.status,
            _today(plan).isoformat(),
            # The planner's wording follows the active language (planner.translation): one PDF per language.
            translation.get_language() or "en",
            plan.checkin_count,
            plan.checkin_last,
            plan.checkin_morning_last.isoformat() if plan.checkin_morning_last else None,  # no space in a key
            plan.supervised_done,
            plan.decision_count,
            plan.decision_last,
            digest,
        )
    )


def plan_pdf_bytes(plan: Plan, *, marked: bool = False) -> bytes:
    """The patient's plan PDF, drawn once per cache key (plan_pdf_cache_key) and then served from Django's
    default cache (local memory by default, Redis when CACHE_URL is set), so a repeated download or
    email of an unchanged plan on the same day costs the key's queries and no drawing.

    marked: `plan` was read by plan_for_pdf or plan_for_pdf_visible_to (not read again)."""
    from rehab.pdf import render_plan_pdf

    if not marked:
        plan = plan_for_pdf(plan.pk)
    # The plan is the patient's: it is in their language whoever downloads it (a physiotherapist
    # printing it for them too), and the cache key carries that language.
    with in_patient_language(plan.patient):
        key = _plan_pdf_key(plan)
        data = cache.get(key)
        if data is None:
            with words_remembered():
                data = render_plan_pdf(plan_pdf_document(plan, loaded=True))
            cache.set(key, data, PLAN_PDF_CACHE_SECONDS)
    return data


def _clearance_lines(plan: Plan, limits) -> tuple[str, ...]:
    """The report's lines on medical clearance and the supervised start (when the rules ask for them)."""
    clearance, supervision = clearance_state(plan, limits), supervision_state(plan, limits)
    lines = []
    if clearance.required:
        lines.append(clearance_staff_words(clearance))
    if supervision.required:
        lines.append(supervision_staff_words(supervision))
    return tuple(lines)


def _with_people(plan: Plan) -> bool:
    """Whether the plan row came with its patient, the patient's clinic and its author (no query to read them)."""
    cached = plan._state.fields_cache
    return "author" in cached and "patient" in cached and "clinic" in plan.patient._state.fields_cache


def report_pdf_document(plan: Plan) -> ReportDocument:
    """The clinician's report for one plan, in about eight queries whatever its length."""
    if not _with_people(plan):
        plan = plan_with_people(plan.pk)
    patient = plan.patient
    assessments = [
        inputs.AssessmentEntry(
            assessed_on=row.assessed_on,
            assessed_by=row.assessed_by.display_name if row.assessed_by else "",
            profile=profile_from_assessment(patient, row),
            notes=row.notes,
        )
        for row in patient_assessments(patient)
    ]
    decisions = plan_decisions(plan)
    logged, pain_entries = {}, []
    fields = ("kind", "plan_week", "date", "pain_during", "pain_after", "pain_next_morning", "session_rpe")
    for kind, week, day, during, after, morning, rpe in plan_checkin_rows(plan, fields):
        if kind == CheckInKind.SESSION:
            logged[week] = logged.get(week, 0) + 1
        pain_entries.append(inputs.PainEntry(day, during, after, morning, rpe))  # as _pain_entries, one query
    engine = engine_plan(plan)
    report = progress_report(
        _plan_in_language(engine),  # the exercises' names in the reader's language
        patient=_patient(plan),
        contact=_contact(plan),
        start_date=plan.start_date,
        generated_on=_today(plan),
        assessments=assessments,
        pain_entries=pain_entries,
        # Every week that has started, not only the decided ones (the summary counts the ended weeks).
        adherence=[
            inputs.WeekAdherence(row["week"], row["planned"], row["done"])
            for row in adherence_rows(
                plan=plan,
                decided={d.week: d.sessions_planned for d in decisions},
                logged={week: n for week, n in logged.items() if 1 <= week <= plan.weeks},
                today=_today(plan),
                engine=engine,
            )
        ],
        symptoms=_symptom_rows(plan, engine),
        measures=[
            inputs.MeasureEntry(row.kind, row.measured_on, float(row.value)) for row in patient_measurements(patient)
        ],
        decisions=[
            inputs.DecisionEntry(
                week=d.week,
                action=d.action,
                light=d.light or None,
                reasons=tuple(inputs.ReasonEntry(r["rule_id"], text_of(r)) for r in d.reasons),
                decided_on=timezone.localdate(d.decided_at),
                changes=tuple(text_of(c) for c in d.changes.values() if c.get("variable")),
                review_required=d.review_required,
            )
            for d in decisions
        ],
        alerts=[
            inputs.AlertEntry(
                created_on=timezone.localdate(a.created_at),
                kind=a.get_kind_display(),
                message=alert_text(a),
                urgent=a.urgent,
                acknowledged_on=timezone.localdate(a.acknowledged_at) if a.acknowledged_at else None,
                acknowledged_by=a.acknowledged_by.display_name if a.acknowledged_by else "",
                note=a.acknowledgement_note,
            )
            for a in patient_alerts(patient)
        ],
        overrides=[
            inputs.OverrideEntry(
                created_on=timezone.localdate(o.created_at),
                author=o.created_by.display_name,
                exercise=o.item.exercise.name if o.item else "",
                limits_exceeded=tuple(exceeded_text(v) for v in o.limits_exceeded),
                reason=o.reason,
                acknowledged_on=timezone.localdate(o.acknowledged_at) if o.acknowledged_at else None,
            )
            for o in plan_overrides(plan)
        ],
        progression_config=progression_config(),
    )
    return _rules_in_language(
        replace(report, summary=(*report.summary, *_clearance_lines(plan, engine.limits))), engine
    )


def _rules_in_language(report: ReportDocument, engine: EnginePlan) -> ReportDocument:
    """The report's rule texts (and the targets, which are rule texts) in the reader's language where a
    translation of the very text the plan stored exists (rehab.rule_words); sources stay citations."""
    rules = tuple(
        replace(row, text=rule_text(row.id, row.text), source=source_words(row.source)) for row in report.rules
    )
    targets = tuple(
        (rule_text(outlook.target_id, row[0]), *row[1:])
        for outlook, row in zip(engine.targets, report.targets, strict=True)
    )
    return replace(report, rules=rules, targets=targets)


def plan_file_name(plan: Plan, kind: str = "plan") -> str:
    from django.utils.text import slugify

    return f"{kind}-{slugify(plan.patient.last_name) or 'patient'}-{plan.start_date.isoformat()}.pdf"


def _symptom_rows(plan: Plan, engine) -> list[tuple[str, ...]]:
    """Where it hurt, vital signs and supervision per check-in that gave any (one query, rehab.progress)."""
    rows = []
    for entry in plan_progress_series(plan, engine=engine)["symptoms"]:
        heart = f"{entry['heart_rate_avg'] or '-'} / {entry['heart_rate_max'] or '-'}"
        oxygen = f"{entry['spo2_min']} %" if entry["spo2_min"] is not None else "-"
        rows.append(
            (
                f"{entry['date'].day} {month_words(entry['date'].month)}",  # in the reader's language
                ", ".join(entry["pain_sites"]) or "-",
                entry["painful_exercise"] or "-",
                heart,
                oxygen,
                entry["supervised_by"] or "-",
            )
        )
    return rows
