"""The plan: CarePlan, one ServiceRequest per plan item, and Goals from the week-12 targets.

Follows the PA IG's PACarePlan, PAServiceRequest and PAGoal profiles (best effort: see the README).
The limits travel in words, as the patient's PDF says them (planner.documents.safety.limit_rows for the
clinician, avoid_lines for the patient), in CarePlan.note and each ServiceRequest's patientInstruction.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from planner.documents.safety import avoid_lines, limit_rows
from planner.documents.wording import dose_words, effort_words
from planner.limits import heart_rate_ceiling_only
from planner.types import Plan as EnginePlan
from rehab.fhir import codes
from rehab.fhir.base import Canon, concept, day, fhir_id, instant, narrative, quantity
from rehab.fhir.people import condition_id, diagnoses, patient_id, practitioner_id

# Goal.lifecycleStatus from the plan's status.
GOAL_STATUS = {
    "draft": "proposed",
    "active": "active",
    "paused": "on-hold",
    "completed": "completed",
    "archived": "cancelled",
}
# Week-12 target measures (planner TargetOutlook.measure) -> UCUM code and words.
TARGET_UNITS = {
    "minutes_per_week": ("min/wk", "minutes a week"),
    "days_per_week": ("d/wk", "days a week"),
    "sets": ("{sets}", "sets"),
    "seconds_per_session": ("s", "seconds a session"),
}
TARGET_WEEK = 12


@dataclass(frozen=True)
class PlanRows:
    """One plan as the builders need it: the row, its engine snapshot, its item rows (with exercise),
    its check-ins (with items), its decisions, and the plan week taken as "this week"."""

    plan: object
    engine: EnginePlan
    items: list
    checkins: list
    decisions: list
    week: int

    @property
    def end_date(self) -> date:
        return self.plan.end_date

    def week_period(self, number: int) -> dict:
        first = self.plan.start_date + timedelta(days=7 * (number - 1))
        return {"start": day(first), "end": day(first + timedelta(days=6))}


def careplan_id(plan) -> str:
    return fhir_id("plan", plan.pk)


def service_request_id(plan, item) -> str:
    return fhir_id("plan", plan.pk, "item", item.pk)


def goal_id(plan, target) -> str:
    return fhir_id("plan", plan.pk, "goal", target.target_id)


def _author(canon: Canon, rows: PlanRows) -> dict | None:
    author = rows.plan.author
    return canon.ref("Practitioner", practitioner_id(author), author.display_name) if author else None


def _condition_refs(canon: Canon, patient) -> list[dict]:
    return [canon.ref("Condition", condition_id(patient, text), text) for text in diagnoses(patient)]


def _period(rows: PlanRows) -> dict:
    return {"start": day(rows.plan.start_date), "end": day(rows.end_date)}


def _note(text: str, author: dict | None, time) -> dict:
    note = {"text": text, "time": instant(time)}
    if author:
        note["authorReference"] = author
    return note


def limit_notes(engine: EnginePlan) -> list[str]:
    """The limits in words: the clinician's table, then what the patient avoids and why."""
    lines = [f"{row.name}: {row.value}." for row in limit_rows(engine.limits)]
    lines += [f"Avoid: {line.what} ({line.why})" if line.why else f"Avoid: {line.what}" for line in avoid_lines(engine)]
    if engine.safety_notice:
        lines.append(engine.safety_notice)
    return lines


def goal_resources(canon: Canon, patient, rows: PlanRows) -> list[dict]:
    plan, author = rows.plan, _author(canon, rows)
    due = plan.start_date + timedelta(days=7 * min(TARGET_WEEK, plan.weeks) - 1)
    goals = []
    for target in rows.engine.targets:
        unit, words = TARGET_UNITS.get(target.measure, ("1", target.measure.replace("_", " ")))
        if target.component == "aerobic" and target.measure == "minutes_per_week":
            measure = codes.AEROBIC_MINUTES_A_WEEK
        elif target.component == "resistance" and target.measure == "days_per_week":
            measure = codes.STRENGTHENING_DAYS_A_WEEK
        else:
            measure = canon.local("goal-measure", f"{target.component}-{target.measure}".replace("_", "-"))
        outlook = (
            f"The all-green schedule meets it in week {target.expected_week}."
            if target.expected_week is not None
            else f"Not met within the plan: {target.reason or 'the limits keep it lower'} "
            f"(reaches {target.reached:g} {words})."
        )
        goal = {
            "resourceType": "Goal",
            "id": goal_id(plan, target),
            "meta": {"profile": [codes.PA_PROFILES["Goal"]]},
            "lifecycleStatus": GOAL_STATUS.get(plan.status, "proposed"),
            "category": [concept(codes.PA_CATEGORY)],
            "description": {"text": target.text},
            "subject": canon.ref("Patient", patient_id(patient), patient.full_name),
            "startDate": day(plan.start_date),
            "target": [
                {
                    "measure": concept(measure, text=f"{target.component.capitalize()}: {words}"),
                    "detailQuantity": quantity(target.value, words, unit),
                    "dueDate": day(due),
                }
            ],
            "addresses": _condition_refs(canon, patient),
            "note": [_note(outlook, author, plan.updated_at)],
        }
        if author:
            goal["expressedBy"] = author
        if not goal["addresses"]:
            del goal["addresses"]
        goals.append(goal)
    return goals


def _timing(rows: PlanRows, dose) -> dict:
    repeat = {"boundsPeriod": _period(rows)}
    if dose is not None:
        repeat.update(frequency=dose.frequency_per_week, period=1, periodUnit="wk")
        if dose.dose_kind == "minutes":
            repeat.update(duration=dose.minutes, durationUnit="min")
        elif dose.dose_kind == "hold":
            repeat.update(duration=dose.sets * dose.hold_seconds, durationUnit="s")
    return {"repeat": repeat}


def _instruction(rows: PlanRows, item, spec, dose, avoid: list[str]) -> str:
    name = item.exercise.name
    if spec is None:
        return f"{name}: removed from the plan; do not do it any more."
    if dose is None:
        text = f"{name}: no dose in week {rows.week}; do not do it this week."
    else:
        ceiling_only = heart_rate_ceiling_only(rows.engine.limits)
        text = (
            f"{name}: {dose_words(dose)}, {dose.frequency_per_week} sessions a week (week {rows.week}). "
            f"{effort_words(dose, heart_rate_ceiling_only=ceiling_only)}"
        )
    extra = [*spec.notes, *avoid]
    return " ".join([text, *(f"{line}" for line in extra)])


def service_request_resources(canon: Canon, patient, rows: PlanRows, goals: list[dict]) -> list[dict]:
    """One ServiceRequest per item row; an item the limits or a reassessment removed is "revoked"."""
    plan, engine, author = rows.plan, rows.engine, _author(canon, rows)
    specs = {spec.slug: spec for spec in engine.items}
    week = engine.weeks[rows.week - 1] if 0 < rows.week <= len(engine.weeks) else None
    avoid = [line.what for line in avoid_lines(engine)]
    goals_by_component: dict[str, list[dict]] = {}
    for target, goal in zip(engine.targets, goals, strict=True):
        goals_by_component.setdefault(target.component, []).append(goal)
    conditions = _condition_refs(canon, patient)
    requests = []
    for item in rows.items:
        slug = item.exercise.slug
        spec = specs.get(slug)
        scheduled = week.dose_for(slug) if (week is not None and spec is not None) else None
        dose = scheduled.dose if scheduled is not None else None
        request = {
            "resourceType": "ServiceRequest",
            "id": service_request_id(plan, item),
            "meta": {"profile": [codes.PA_PROFILES["ServiceRequest"]]},
            "basedOn": [canon.ref("CarePlan", careplan_id(plan))],
            "status": codes.PLAN_STATUS.get(plan.status, "draft") if spec is not None else "revoked",
            "intent": "order",
            "category": [concept(codes.PA_CATEGORY), concept(codes.PHYSICAL_THERAPY_PROCEDURE)],
            "code": concept(codes.EXERCISE_THERAPY, text="Exercise therapy"),
            "orderDetail": [
                concept(
                    canon.local("exercise", slug, item.exercise.name), text=f"{item.component}: {item.exercise.name}"
                )
            ],
            "subject": canon.ref("Patient", patient_id(patient), patient.full_name),
            "occurrenceTiming": _timing(rows, dose),
            "authoredOn": instant(plan.created_at),
            "performer": [canon.ref("Patient", patient_id(patient), patient.full_name)],
            "patientInstruction": _instruction(rows, item, spec, dose, avoid),
        }
        if author:
            request["requester"] = author
        if conditions:
            request["reasonReference"] = conditions
        else:  # pa-sr-1: a reason is required
            request["reasonCode"] = [{"text": "Exercise prescription"}]
        pertains = [
            {"url": codes.PERTAINS_TO_GOAL, "valueReference": canon.ref("Goal", goal["id"])}
            for goal in goals_by_component.get(item.component, [])
        ]
        if pertains:
            request["extension"] = pertains
        requests.append(request)
    return requests


def careplan_resource(
    canon: Canon, patient, rows: PlanRows, goals: list[dict], requests: list[dict], care_team: list
) -> dict:
    plan, author = rows.plan, _author(canon, rows)
    status = codes.PLAN_STATUS.get(plan.status, "draft")
    summary = (
        f"Exercise plan (FITT-VP) for {patient.full_name}, {plan.weeks} weeks from {plan.start_date:%d %B %Y}, "
        f"{plan.get_status_display().lower()}: {len(requests)} exercises."
    )
    careplan = {
        "resourceType": "CarePlan",
        "id": careplan_id(plan),
        "meta": {"profile": [codes.PA_PROFILES["CarePlan"]]},
        "text": narrative(summary),
        "identifier": [canon.identifier("plan", plan.pk)],
        "status": status,
        "intent": "plan",
        "category": [concept(codes.PA_CATEGORY), concept(codes.ASSESS_PLAN)],
        "title": "Exercise plan (FITT-VP)",
        "description": summary,
        "subject": canon.ref("Patient", patient_id(patient), patient.full_name),
        "period": _period(rows),
        "created": instant(plan.created_at),
        "activity": [{"reference": canon.ref("ServiceRequest", request["id"])} for request in requests],
        "note": [_note(line, author, plan.updated_at) for line in limit_notes(rows.engine)],
    }
    if plan.pause_reason and plan.status == "paused":
        careplan["note"].insert(0, _note(f"Paused: {plan.pause_reason}", author, plan.updated_at))
    if author:
        careplan["author"] = author
    contributors = [canon.ref("Practitioner", practitioner_id(user), user.display_name) for user in care_team]
    if contributors:
        careplan["contributor"] = contributors
    conditions = _condition_refs(canon, patient)
    if conditions:
        careplan["addresses"] = conditions
    if goals:
        careplan["goal"] = [canon.ref("Goal", goal["id"]) for goal in goals]
    if not careplan["activity"]:
        del careplan["activity"]
    return careplan
