"""Test data for the set-based sweep: many running plans fast, by copying one generated plan's rows."""

from datetime import date, timedelta

from rehab.models import Assessment, CheckIn, CheckInItem, Patient, Plan, PlanItem


def _copy(row, **changes):
    """An unsaved copy of a row with every concrete column (so new plan-storage columns come along)."""
    fields = {f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields if not f.primary_key}
    fields.update(changes)
    return type(row)(**fields)


def clone_plans(template: Plan, count: int, *, clinic, first_name: str = "Copy") -> list[Plan]:
    """`count` more running plans like `template`, each for a new patient with the same assessment."""
    patients = Patient.objects.bulk_create(
        [
            Patient(
                clinic=clinic,
                first_name=first_name,
                last_name=str(n),
                date_of_birth=date(1969, 3, 14),
                sex="female",
                diagnoses=list(template.patient.diagnoses),
            )
            for n in range(count)
        ]
    )
    assessments = Assessment.objects.bulk_create(
        [_copy(template.assessment, patient_id=patient.pk) for patient in patients]
    )
    plans = Plan.objects.bulk_create(
        [
            _copy(template, patient_id=patient.pk, assessment_id=assessment.pk)
            for patient, assessment in zip(patients, assessments, strict=True)
        ]
    )
    items = list(template.items.all())
    PlanItem.objects.bulk_create([_copy(item, plan_id=plan.pk) for plan in plans for item in items])
    return plans


def log_week(plans: list[Plan], week: int, *, by, days=range(5), pain=(1, 2, 2)) -> None:
    """A session on each of `days` of `week` for every plan, every exercise done (bulk inserts)."""
    item_ids: dict[int, list[int]] = {}
    for pk, plan_id in PlanItem.objects.filter(plan__in=plans, in_plan=True).values_list("pk", "plan_id"):
        item_ids.setdefault(plan_id, []).append(pk)
    checkins = CheckIn.objects.bulk_create(
        [
            CheckIn(
                plan_id=plan.pk,
                patient_id=plan.patient_id,
                date=plan.start_date + timedelta(days=7 * (week - 1) + day),
                plan_week=week,
                logged_by=by,
                on_behalf=True,
                session_rpe=12,
                pain_during=pain[0],
                pain_after=pain[1],
                pain_next_morning=pain[2],
                idempotency_key=f"sweep-{plan.pk}-{week}-{day}",
            )
            for plan in plans
            for day in days
        ]
    )
    CheckInItem.objects.bulk_create(
        [CheckInItem(checkin=c, plan_item_id=pk, done=True) for c in checkins for pk in item_ids[c.plan_id]]
    )
