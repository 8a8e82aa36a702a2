"""The weekly progression sweep over N plans, each with a week of check-ins: plans/s, queries, peak memory.

For each N a fresh PostgreSQL database (rehab_bench_sweep) is migrated and filled fast: one engine plan
is generated, then copied to N patients with bulk inserts, and each plan gets five logged sessions in its
first week with every exercise reported (green). Then the sweep runs as beat starts it,
`rehab.tasks.progression_sweep` with Celery eager (the fanned-out tasks run in this process), as of the
day week 1 is due. Prints plans decided per second, queries in all and per plan, and the process's peak
resident memory. Nothing here asserts a time.

Needs PostgreSQL at 127.0.0.1:5432 (user postgres); drops and creates the database rehab_bench_sweep.

    .venv/bin/python bench/bench_sweep.py [--plans 1000 10000]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432"
DB = "rehab_bench_sweep"
START = date(2026, 11, 2)
AS_OF = START + timedelta(days=8)  # week 1 ended on the 8th, plus the grace day


def _recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')


def _env(var_dir: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rehab.settings",
        "DATABASE_URL": f"{PG}/{DB}",
        "VAR_DIR": var_dir,
        "CELERY_TASK_ALWAYS_EAGER": "true",
        # Production settings: DEBUG would keep every query's SQL (135 KB snapshots) in memory.
        "DEBUG": "false",
        "SECRET_KEY": "bench-sweep-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def _seed(plans: int) -> None:
    from django.db import transaction

    from rehab.models import Assessment, CheckIn, CheckInItem, Clinic, Patient, Plan, PlanItem, Role, User
    from rehab.services.plans import plan_activate, plan_generate

    with transaction.atomic():
        clinic = Clinic.objects.create(name="Bench clinic")
        physio = User.objects.create_user(
            username="sweep-physio", password="x", clinic=clinic, role=Role.PHYSIOTHERAPIST
        )
        rows = Patient.objects.bulk_create(
            [
                Patient(
                    clinic=clinic,
                    first_name="Sweep",
                    last_name=str(n),
                    date_of_birth=date(1969, 3, 14),
                    sex="female",
                    diagnoses=["Dermatomyositis"],
                )
                for n in range(plans)
            ],
            batch_size=2000,
        )
        assessment = {
            "assessed_on": START - timedelta(days=1),
            "bone_fragility": "osteoporosis",
            "vertebral_fracture": False,
            "heterotopic_ossification_regions": ["gluteal_left", "gluteal_right"],
            "inflammation_activity": "moderate",
            "pain_at_rest": 3,
            "resting_hr": 70,
            "beta_blocker": False,
            "cardiopulmonary_status": "monitor",
            "avoid_regions": [],
        }
        Assessment.objects.create(patient=rows[0], assessed_by=physio, **assessment)
        first = plan_generate(actor=physio, patient=rows[0], start_date=START, weeks=12)
        first = plan_activate(actor=physio, plan=first, version=first.version)
        items = list(first.items.all())
        assessments = Assessment.objects.bulk_create(
            [Assessment(patient=row, assessed_by=physio, **assessment) for row in rows[1:]], batch_size=2000
        )
        copies = Plan.objects.bulk_create(
            [
                Plan(
                    patient=row,
                    assessment=a,
                    author=physio,
                    status=first.status,
                    start_date=START,
                    weeks=12,
                    engine=first.engine,
                    activated_at=first.activated_at,
                )
                for row, a in zip(rows[1:], assessments, strict=True)
            ],
            batch_size=500,
        )
        PlanItem.objects.bulk_create(
            [
                PlanItem(plan=plan, position=i.position, exercise_id=i.exercise_id, component=i.component)
                for plan in copies
                for i in items
            ],
            batch_size=5000,
        )
        all_plans = [first, *copies]
        item_ids: dict[int, list[int]] = {}
        for pk, plan_id in PlanItem.objects.values_list("pk", "plan_id"):
            item_ids.setdefault(plan_id, []).append(pk)
        checkins = CheckIn.objects.bulk_create(
            [
                CheckIn(
                    plan=plan,
                    patient_id=plan.patient_id,
                    date=START + timedelta(days=day),
                    plan_week=1,
                    logged_by=physio,
                    on_behalf=True,
                    session_rpe=12,
                    pain_during=1,
                    pain_after=2,
                    pain_next_morning=2,
                    idempotency_key=f"sweep-{plan.pk}-{day}",
                )
                for plan in all_plans
                for day in range(5)
            ],
            batch_size=5000,
        )
        CheckInItem.objects.bulk_create(
            [
                CheckInItem(checkin=checkin, plan_item_id=pk, done=True)
                for checkin in checkins
                for pk in item_ids[checkin.plan_id]
            ],
            batch_size=10000,
        )


def run(plans: int, step: str) -> dict:
    """(In a child process with the bench settings.) Seed, or sweep and measure: in two processes,
    so that the sweep's peak memory is its own."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from rehab import tasks
    from rehab.models import ProgressionDecision

    if step == "seed":
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        _seed(plans)
        return {"seed_s": round(time.perf_counter() - started, 1)}
    counted = []

    def count(execute, sql, params, many, context):
        counted.append(None)  # count only: keeping the SQL would cost more memory than the sweep
        return execute(sql, params, many, context)

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        queued = tasks.progression_sweep(AS_OF.isoformat())
    took = time.perf_counter() - started
    decided = ProgressionDecision.objects.filter(week=1).count()
    return {
        "plans": plans,
        "queued": queued,
        "decided": decided,
        "sweep_s": round(took, 2),
        "plans_per_s": round(decided / took, 1) if took else 0,
        "queries": len(counted),
        "rss_start_mb": round(rss_before / 1024),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--step", default="sweep", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args.child, args.step)))
        return
    print(f"{os.cpu_count()} CPUs, PostgreSQL; sweep as of {AS_OF} (week 1 of every plan due)", flush=True)
    for plans in args.plans:
        _recreate_database()
        env = _env(tempfile.mkdtemp(prefix="bench-sweep-"))
        r = {}
        for step in ("seed", "sweep"):
            out = subprocess.run(
                [str(ROOT / ".venv" / "bin" / "python"), __file__, "--child", str(plans), "--step", step],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            if out.returncode:
                print(out.stderr[-3000:])
                raise SystemExit(out.returncode)
            r |= json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"N={r['plans']:>7,}: seeded in {r['seed_s']} s; sweep {r['sweep_s']} s for {r['decided']:,} decisions "
            f"= {r['plans_per_s']} plans/s; {r['queries']:,} queries ({r['queries'] / max(1, r['decided']):.1f} per "
            f"plan); peak RSS of the sweep's process {r['peak_rss_mb']} MB (at its start {r['rss_start_mb']} MB)",
            flush=True,
        )


if __name__ == "__main__":
    main()
