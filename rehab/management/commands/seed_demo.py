"""Seed the demo clinic, its three logins and the motivating patient. Safe to run again."""

from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from planner.sessions import week_sessions
from rehab.exercise_library import sync_default_library
from rehab.models import Assessment, Clinic, Exercise, Patient, PlanTemplate, Role, User
from rehab.services.checkins import checkin_record, measurement_record
from rehab.services.plans import engine_plan, plan_activate, plan_generate
from rehab.services.progression import plan_progress
from rehab.services.templates import template_create_from_plan
from rehab.stored_words import DEMO_ASSESSMENT

CLINIC_NAME = "Riverside Rehabilitation Clinic"


# (measure, value, the lab's upper limit of normal): plausible for the case, not anyone's results.
BASELINE_MEASURES = (
    ("mmt8_total", 62, None),
    ("fi3_shoulder_flexion", 22, None),
    ("fi3_hip_flexion", 16, None),
    ("fi3_neck_flexion", 12, None),
    ("grip_left_kg", 19, None),
    ("grip_right_kg", 21, None),
    ("chair_stand_30s", 9, None),
    ("tug_seconds", 9.8, None),
    ("six_minute_walk_m", 410, None),
    ("ck_u_l", 310, 170),
    ("haq_di", 1.0, None),
    ("patient_global", 5, None),
    ("physician_global", 4, None),
    ("fatigue", 6, None),
)


class Command(BaseCommand):
    help = "Create (or refresh) the demo clinic, logins physio/clinician/patient and the motivating case."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG=false (a staging or training server; never a real clinic's).",
        )

    def handle(self, *args, **options):
        # The demo logins share one published password: on a production server they would be
        # an open door into a clinic, so production needs an explicit --force.
        if not settings.SEED_DEMO_ALLOWED and not options["force"]:
            raise CommandError(
                "Refusing to seed the demo with DEBUG=false: it creates the logins physio, clinician and "
                "patient with the published password from README.md. On a staging or training server, "
                "run it again with --force."
            )
        self._seed()

    @transaction.atomic
    def _seed(self):
        # Bring the default exercise library up to date with planner/data/exercises.json.
        sync_default_library(Exercise)
        clinic, _ = Clinic.objects.get_or_create(
            name=CLINIC_NAME,
            defaults={
                "phone": "+44 20 7946 0000",
                "email": "physio@riverside-rehab.example",
                "address": "12 River Lane, Riverside",
                "time_zone": "Europe/London",
            },
        )
        physio = self._user(clinic, "physio", Role.PHYSIOTHERAPIST, "Maria", "Lopez")
        clinician = self._user(clinic, "clinician", Role.CLINICIAN, "David", "Okafor")
        patient_login = self._user(clinic, "patient", Role.PATIENT, "Helen", "Carter")

        today = timezone.localdate()
        patient, created = Patient.objects.get_or_create(
            clinic=clinic,
            user=patient_login,
            defaults={
                "first_name": "Helen",
                "last_name": "Carter",
                "date_of_birth": date(today.year - 57, 3, 14)
                if (today.month, today.day) >= (3, 14)
                else date(today.year - 58, 3, 14),
                "sex": "female",
                "diagnoses": [
                    "Dermatomyositis with active myositis and fasciitis",
                    "Myositis ossificans and panniculitis ossificans, both gluteal regions",
                    "Low bone mass with fragility (osteoporosis)",
                ],
                "phone": "+44 7700 900123",
                "email": "helen.carter@example.org",
                "time_zone": "Europe/London",
                "created_by": physio,
            },
        )
        patient.care_team.add(physio, clinician)
        if not patient.assessments.exists():
            assessment = Assessment(
                patient=patient,
                assessed_by=physio,
                assessed_on=today - timedelta(days=2),
                bone_fragility="osteoporosis",
                vertebral_fracture=False,
                heterotopic_ossification_regions=["gluteal_left", "gluteal_right"],
                inflammation_activity="moderate",
                pain_at_rest=3,
                resting_hr=72,
                measured_hr_max=None,
                beta_blocker=False,
                cardiopulmonary_status="monitor",
                avoid_regions=[],
                notes=(
                    "Large painful calcified masses in both gluteal regions; MRI shows still-active myositis, "
                    "fasciitis and panniculitis. Surgery deferred (recurrence risk). Avoid pressure on the "
                    "buttocks, impact and loaded spinal flexion. Watch heart and lungs."
                ),
            )
            assessment._change_reason = DEMO_ASSESSMENT
            assessment.save()
        if not patient.plans.exists():
            self._demo_plan(patient, physio, today)
        if not PlanTemplate.objects.filter(clinic=clinic).exists():
            # A clinic template saved from the demo plan, to refit for another patient.
            template_create_from_plan(
                actor=physio,
                plan=patient.plans.order_by("id").first(),
                name="Myositis with ossified masses: gentle start",
                description="Low-impact walking, band and bodyweight strength, stretches away from the ossified "
                "regions and supported balance; intensities relative to each patient's limits.",
                conditions=[
                    "bone_fragility.osteoporosis",
                    "heterotopic_ossification",
                    "inflammation_activity.moderate",
                ],
            )
        verb = "Created" if created else "Refreshed"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} demo clinic '{clinic.name}' with logins physio, clinician, patient.")
        )

    def _demo_plan(self, patient, physio, today):
        """An active plan started two weeks ago (on a Monday), with two weeks of sessions logged
        and decided, so every role has something real to look at."""
        start = today - timedelta(days=today.weekday() + 14)
        plan = plan_generate(actor=physio, patient=patient, start_date=start, weeks=12)
        plan = plan_activate(actor=physio, plan=plan, version=plan.version)
        engine = engine_plan(plan)
        # Baseline tests on the first day: strength (so resistance may progress in myositis), function
        # and disease activity (IMACS core set), as the clinician's page and report show them.
        for kind, value, ceiling in BASELINE_MEASURES:
            measurement_record(
                actor=physio,
                patient=patient,
                kind=kind,
                value=value,
                measured_on=start,
                upper_limit_normal=ceiling,
                notes="Baseline before the plan started.",
            )
        items = list(plan.items.select_related("exercise"))
        pains = [(1, 2, 3), (2, 2, 3), (1, 3, 3), (2, 3, 2), (2, 2, 3), (3, 3, 4), (2, 3, 3)]
        by_slug = {item.exercise.slug: item for item in items}
        for week in (1, 2):
            # The days and exercises of the plan's own sessions (planner.sessions), as the patient sees them.
            sessions = week_sessions(engine, week, start + timedelta(days=7 * (week - 1))).sessions
            for n, session in enumerate(sessions):
                day = session.day
                done = [by_slug[entry.slug] for entry in session.main if entry.slug in by_slug]
                during, after, morning = pains[(n + week) % len(pains)]
                checkin_record(
                    actor=patient.user,
                    plan=plan,
                    idempotency_key=f"demo-{plan.pk}-{day.isoformat()}",
                    date=day,
                    pain_during=during,
                    pain_after=after,
                    pain_next_morning=morning,
                    session_rpe=11,
                    items=[{"plan_item": item, "done": True} for item in done],
                    notes="",
                )
        plan_progress(plan_id=plan.pk, as_of=today)

    def _user(self, clinic, username, role, first_name, last_name) -> User:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "clinic": clinic,
                "role": role,
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@riverside-rehab.example",
            },
        )
        # Keep the documented demo password working even if someone changed it.
        user.set_password(settings.DEMO_PASSWORD)
        user.clinic, user.role = clinic, role
        user.save()
        return user
