"""Our plan PDF against wger's routine PDF, drawn in the same run on the same machine.

wger (the Django workout manager, PyPI `wger` 2.1) draws a routine as a one-page reportlab PDF
(`manager:workout:pdf-log`, the table with seven week columns to log weights, and `pdf-table`, the
table alone). This bench installs it in its own virtualenv (var/wger-venv, created on first run with
the pinned set below; never in requirements.txt, none of its code is kept here), migrates its own
SQLite database under var/wger/, loads its shipped exercise data, creates a user and a routine of
3 days x 5 exercises with sets and repetitions, and downloads that routine's PDFs through Django's
test client in a subprocess (the same file run with --wger-worker).

Ours in the same process as this script: a throw-away SQLite database (a temporary VAR_DIR) seeded
with `seed_demo` (the demo's 12-week plan, two weeks logged and decided) plus a 52-week plan for a
second patient of the same clinic; each downloaded by its patient through
GET /api/v1/plans/{id}/pdf/, uncached (the PDF cache emptied before each request, so the document
is built and drawn) and cached (the bytes served from the cache).

Batches alternate (wger, ours, wger, ours, ...) so load on the shared machine falls on both sides.
Prints p50 and p90 per PDF (wall time) and the p50 of each process's own CPU time per request (which
moves far less with the other work on a shared machine), the queries of one request, the size and
pages, and wger's p50 over ours in both.
Nothing here asserts a time (architecture.md: benchmarks print, tests never time).

    .venv/bin/python bench/bench_pdf_vs_wger.py [--runs 30] [--rounds 3]
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WGER_VENV = ROOT / "var" / "wger-venv"
WGER_DIR = ROOT / "var" / "wger"

# What `pip install wger==2.1` resolved to on Python 3.11 (2026-11-30), pinned so every run measures
# the same wger. Django 3.2 is wger 2.1's own requirement (~=3.2); reportlab 3.6.11 is its pin and
# carries its C accelerator (_rl_accel) in the package.
WGER_PINS = (
    "wger==2.1",
    "Django==3.2.25",
    "reportlab==3.6.11",
    "Pillow==9.2.0",
    "asgiref==3.13.0",
    "bleach==5.0.1",
    "tinycss2==1.1.1",
    "webencodings==0.6.1",
    "django-activity-stream==1.4.2",
    "django-appconf==1.2.0",
    "django-bootstrap-breadcrumbs==0.9.2",
    "django-compressor==4.4",
    "rcssmin==1.1.1",
    "rjsmin==1.2.1",
    "django-cors-headers==3.13.0",
    "django-crispy-forms==1.14.0",
    "django-email-verification==0.1.0",
    "django-environ==0.9.0",
    "django-extensions==3.2.3",
    "django-filter==22.1",
    "django-formtools==2.5.1",
    "django-recaptcha==3.0.0",
    "django-simple-history==3.6.0",
    "django-sortedm2m==3.1.1",
    "django-storages==1.14.6",
    "djangorestframework==3.15.1",
    "easy-thumbnails==2.8.3",
    "fontawesomefree==6.1.2",
    "icalendar==4.1.0",
    "python-dateutil==4.0.0",
    "pytz==2026.6",
    "tzdata==2026.6",
    "six==1.17.0",
    "invoke==1.7.3",
    "requests==2.28.1",
    "certifi==2026.10.19.post1",
    "charset-normalizer==2.1.1",
    "idna==3.20",
    "urllib3==1.26.20",
    "sqlparse==0.6.1",
)

WGER_SETTINGS = """\
# Written by bench/bench_pdf_vs_wger.py: wger's own settings plus a database of its own.
from wger.settings_global import *  # noqa: F401,F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
SECRET_KEY = "bench-only-not-secret"
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {database!r}}}}}
MEDIA_ROOT = {media!r}
SITE_URL = "http://localhost:8000"
LOGGING = {{"version": 1, "disable_existing_loggers": False}}
"""

# wger's bootstrap order, languages and units before exercises; not its admin user (users.json, whose
# UserCache row no longer loads on its own, and gym-adminconfig.json, which points at that user).
WGER_FIXTURES = (
    "gym.json",
    "languages.json",
    "groups.json",
    "licenses.json",
    "days_of_week.json",
    "setting_repetition_units.json",
    "setting_weight_units.json",
    "language_config.json",
    "gym_config.json",
    "equipment.json",
    "muscles.json",
    "categories.json",
    "exercise-base-data.json",
    "exercises.json",
    "gym-config.json",
)

# A realistic three-day split: (day, weekdays, [(exercise name in wger's data, repetitions per set)]).
ROUTINE = (
    (
        "Legs",
        (1,),
        [
            ("Squats", (12, 10, 10, 8)),
            ("Leg Press", (12, 12, 12)),
            ("Lunges", (10, 10, 10)),
            ("Leg Curl", (12, 12, 12)),
            ("Calf Raises", (15, 15, 15, 15)),
        ],
    ),
    (
        "Push",
        (3,),
        [
            ("Bench Press", (10, 8, 8, 6)),
            ("Shoulder Press", (10, 10, 10)),
            ("Incline Dumbbell Press", (12, 10, 10)),
            ("Dips", (10, 10, 10)),
            ("Lateral Raises", (15, 15, 15)),
        ],
    ),
    (
        "Pull",
        (5,),
        [
            ("Deadlifts", (8, 6, 6, 5)),
            ("Pull-ups", (8, 8, 8)),
            ("Bent Over Rowing", (10, 10, 10)),
            ("Biceps Curls", (12, 10, 10)),
            ("Crunches", (20, 20, 20)),
        ],
    ),
)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def timed_requests(get, runs: int, before=None) -> list[tuple[float, float]]:
    """(wall, CPU) milliseconds per request; `before` runs untimed ahead of each (emptying a cache).

    The CPU time is the process's own (each side serves in its own single-threaded process): on a
    machine shared with other work it moves far less than the wall time, which waits for a core."""
    times = []
    for _ in range(runs):
        if before:
            before()
        started, cpu = time.perf_counter(), time.process_time()
        response = get()
        times.append(((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000))
        assert response.status_code == 200, response.status_code
    return times


# ---------------------------------------------------------------- wger's side (its own virtualenv)


def wger_worker() -> None:
    """Run with var/wger-venv's Python: set wger up once, then answer `run N` lines with timings."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    sys.stdout = sys.stderr  # migrations and loaddata chatter must not mix with the protocol lines
    sys.path.insert(0, str(WGER_DIR))
    os.environ["DJANGO_SETTINGS_MODULE"] = "wger_bench_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    started = time.perf_counter()
    marker = WGER_DIR / "seeded"
    if not marker.exists():
        call_command("migrate", verbosity=0)
        for fixture in WGER_FIXTURES:
            call_command("loaddata", _current_fixture(fixture), verbosity=0)
        marker.write_text("migrated and fixtures loaded\n")
    user, workout = _wger_routine()
    setup_seconds = time.perf_counter() - started

    client = Client()
    client.force_login(user)
    urls = {
        "log": reverse("manager:workout:pdf-log", kwargs={"id": workout.pk}),
        "table": reverse("manager:workout:pdf-table", kwargs={"id": workout.pk}),
    }
    info = {"setup_s": round(setup_seconds, 1), "django": django.get_version()}
    for kind, url in urls.items():
        client.get(url)  # warm up: fonts registered, URL resolvers and translations loaded
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        info[kind] = {"queries": len(queries), "bytes": len(response.content), "pages": page_count(response.content)}
    import reportlab
    from reportlab.lib import rl_accel

    info["reportlab"] = reportlab.Version
    info["accelerated"] = "instanceStringWidthTTF" in (getattr(rl_accel, "_c_funcs", None) or ())
    info["exercises"] = sum(len(exercises) for _day, _weekdays, exercises in ROUTINE)
    protocol.write(json.dumps(info) + "\n")

    for line in sys.stdin:
        command, runs = line.split()
        if command != "run":
            continue
        protocol.write(
            json.dumps({kind: timed_requests(lambda u=url: client.get(u), int(runs)) for kind, url in urls.items()})
            + "\n"
        )


def _current_fixture(name: str) -> str:
    """wger's shipped fixture without the fields its models no longer have.

    wger 2.1's exercise fixtures still carry a `status` field its 2.1 models dropped and lack the
    dates they added (its own setup fetches the exercises online instead), so Django's loaddata
    refuses them as shipped. A copy without the unknown fields, with the fixture's release date in
    the missing date columns, is written under var/wger/fixtures/ and loaded instead."""
    import wger
    from django.apps import apps
    from django.db import models

    source = next(Path(wger.__file__).parent.glob(f"*/fixtures/{name}"))
    objects = json.loads(source.read_text())
    for entry in objects:
        model = apps.get_model(entry["model"])
        known = {field.name for field in model._meta.get_fields()}
        entry["fields"] = {key: value for key, value in entry["fields"].items() if key in known}
        for field in model._meta.concrete_fields:
            if (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)) and (
                field.name not in entry["fields"]
            ):
                released = "2022-10-11"
                entry["fields"][field.name] = released if type(field) is models.DateField else f"{released}T00:00:00Z"
    target = WGER_DIR / "fixtures" / name
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(objects))
    return str(target)


def _wger_routine():
    """The bench user and their 3-day routine, made through wger's models (once per database)."""
    from django.contrib.auth.models import User
    from wger.core.models import DaysOfWeek
    from wger.exercises.models import Exercise
    from wger.manager.models import Day, Set, Setting, Workout

    user, created = User.objects.get_or_create(username="bench", defaults={"email": "bench@example.org"})
    if created:
        user.set_password("bench-only")
        user.save()
    workout = Workout.objects.filter(user=user, name="Three-day split").first()
    if workout:
        return user, workout
    workout = Workout.objects.create(user=user, name="Three-day split", description="Legs, push, pull.")
    english = Exercise.objects.filter(language__short_name="en")
    used = set()
    for day_name, weekdays, exercises in ROUTINE:
        day = Day.objects.create(training=workout, description=day_name)
        day.day.set(DaysOfWeek.objects.filter(pk__in=weekdays))
        for order, (name, repetitions) in enumerate(exercises, start=1):
            exercise = (
                english.filter(name__iexact=name).exclude(exercise_base_id__in=used).first()
                or english.filter(name__icontains=name.split()[0]).exclude(exercise_base_id__in=used).first()
                or english.exclude(exercise_base_id__in=used).order_by("pk").first()
            )
            used.add(exercise.exercise_base_id)
            workout_set = Set.objects.create(exerciseday=day, order=order, sets=len(repetitions))
            for position, reps in enumerate(repetitions, start=1):
                Setting.objects.create(
                    set=workout_set,
                    exercise_base=exercise.exercise_base,
                    reps=reps,
                    weight=20 + 2.5 * position,
                    order=position,
                )
    return user, workout


def ensure_wger_venv() -> Path:
    """var/wger-venv with the pinned wger, created on first run; wger's settings under var/wger/."""
    python = WGER_VENV / "bin" / "python"
    probe = [str(python), "-c", "import wger, django; assert wger.get_version().startswith('2.1')"]
    if not python.exists() or subprocess.run(probe, capture_output=True).returncode != 0:
        print(f"setting up wger 2.1 in {WGER_VENV} (first run only) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(WGER_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *WGER_PINS], check=True
        )
    WGER_DIR.mkdir(parents=True, exist_ok=True)
    (WGER_DIR / "media").mkdir(exist_ok=True)
    settings = WGER_SETTINGS.format(database=str(WGER_DIR / "database.sqlite"), media=str(WGER_DIR / "media"))
    path = WGER_DIR / "wger_bench_settings.py"
    if not path.exists() or path.read_text() != settings:
        path.write_text(settings)
    return python


class WgerWorker:
    def __init__(self, python: Path):
        self.process = subprocess.Popen(
            [str(python), str(Path(__file__).resolve()), "--wger-worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=str(WGER_DIR),
        )
        self.info = self._answer()

    def _answer(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"wger worker stopped (exit {self.process.wait()}); its errors are above")
        return json.loads(line)

    def run(self, runs: int) -> dict:
        self.process.stdin.write(f"run {runs}\n")
        self.process.stdin.flush()
        return self._answer()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


# ---------------------------------------------------------------- our side (this virtualenv)


def our_plans(var_dir: str):
    """Migrate a throw-away database, seed the demo, add a 52-week plan; a logged-in client per plan."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "rehab.settings"
    os.environ["VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)  # never whatever database the shell points at
    os.environ.pop("CACHE_URL", None)  # the local-memory cache, as wger's side has no Redis either
    sys.path.insert(0, str(ROOT))
    import io
    import logging

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from rehab.models import Patient, Role
    from tests import builders

    setup_test_environment(debug=False)  # as the test runner: the test client's host, no query log
    for name in ("axes", "rehab.request"):  # sign-in notices and a log line per request
        logging.getLogger(name).setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    demo = Patient.objects.get(user__username="patient")
    physio = demo.care_team.get(role=Role.PHYSIOTHERAPIST)
    login = builders.make_user(demo.clinic, Role.PATIENT, username="bench-52")
    second = builders.make_patient(demo.clinic, care_team=[physio], login=login)
    assessment = demo.assessments.order_by("-assessed_on").first()
    builders.make_assessment(
        second,
        by=physio,
        bone_fragility=assessment.bone_fragility,
        heterotopic_ossification_regions=assessment.heterotopic_ossification_regions,
        inflammation_activity=assessment.inflammation_activity,
        pain_at_rest=assessment.pain_at_rest,
        cardiopulmonary_status=assessment.cardiopulmonary_status,
    )
    long_plan = builders.make_active_plan(second, physio, start_date=demo.plans.get().start_date, weeks=52)
    plans = {}
    for label, patient, plan in (("12", demo, demo.plans.get()), ("52", second, long_plan)):
        client = Client()
        client.force_login(patient.user)
        plans[label] = (client, f"/api/v1/plans/{plan.pk}/pdf/", plan)
    return plans


def _forget_pdf(plan):
    """Drop this plan's drawn PDF from the cache, as a new day, check-in or edit would (a new key); the
    rest of the cache (the exercise library's version) stays warm, as it is in service."""
    from django.core.cache import cache

    from rehab.documents import plan_pdf_cache_key

    return lambda: cache.delete(plan_pdf_cache_key(plan))


def measure_ours(plans: dict, runs: int) -> dict:
    out = {}
    for label, (client, url, plan) in plans.items():
        out[f"{label} uncached"] = timed_requests(lambda c=client, u=url: c.get(u), runs, before=_forget_pdf(plan))
        out[f"{label} cached"] = timed_requests(lambda c=client, u=url: c.get(u), runs)
    return out


def describe_ours(plans: dict) -> dict:
    """Queries, size and pages of one request of each kind."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rehab.pdf import accelerated

    info = {"accelerated": accelerated()}
    for label, (client, url, plan) in plans.items():
        client.get(url)  # warm up: imports, fonts, rule data and the exercise library's caches
        for kind in ("uncached", "cached"):
            if kind == "uncached":
                _forget_pdf(plan)()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, response.status_code
            info[f"{label} {kind}"] = {
                "queries": len(queries),
                "bytes": len(response.content),
                "pages": page_count(response.content),
                "weeks": plan.weeks,
            }
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="requests per PDF, in all")
    parser.add_argument("--rounds", type=int, default=3, help="alternating batches the runs are split into")
    parser.add_argument("--wger-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.wger_worker:
        wger_worker()
        return

    python = ensure_wger_venv()
    worker = WgerWorker(python)
    var_dir = tempfile.mkdtemp(prefix="bench-pdf-wger-")
    try:
        started = time.perf_counter()
        plans = our_plans(var_dir)
        ours_setup = time.perf_counter() - started
        ours_info = describe_ours(plans)
        times: dict[str, list[tuple[float, float]]] = {}
        batch = max(1, args.runs // args.rounds)
        for _ in range(args.rounds):
            for kind, values in worker.run(batch).items():
                times.setdefault(f"wger {kind}", []).extend(values)
            for kind, values in measure_ours(plans, batch).items():
                times.setdefault(f"ours {kind}", []).extend(values)
    finally:
        worker.close()
        shutil.rmtree(var_dir, ignore_errors=True)

    wger_info = worker.info
    from django.db import connection

    print(
        f"{batch * args.rounds} requests per PDF in {args.rounds} alternating batches; python "
        f"{sys.version.split()[0]}; SQLite on both sides ({connection.vendor}); {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"wger 2.1 (Django {wger_info['django']}, reportlab {wger_info['reportlab']}, accelerator "
        f"{'yes' if wger_info['accelerated'] else 'no'}): routine of 3 days x 5 exercises, ready in "
        f"{wger_info['setup_s']} s (database kept in var/wger/); ours (reportlab accelerator "
        f"{'yes' if ours_info['accelerated'] else 'no'}) set up in {ours_setup:.1f} s"
    )
    rows = [
        ("wger routine PDF, log (7 week columns)", "wger log", wger_info["log"]),
        ("wger routine PDF, table", "wger table", wger_info["table"]),
        ("ours, demo 12-week plan, uncached", "ours 12 uncached", ours_info["12 uncached"]),
        ("ours, demo 12-week plan, cached", "ours 12 cached", ours_info["12 cached"]),
        ("ours, 52-week plan, uncached", "ours 52 uncached", ours_info["52 uncached"]),
        ("ours, 52-week plan, cached", "ours 52 cached", ours_info["52 cached"]),
    ]
    print(
        f"{'PDF (GET through the test client)':<40} {'p50 ms':>8} {'p90 ms':>8} {'CPU p50':>8} {'queries':>8} "
        f"{'KB':>7} {'pages':>6}"
    )
    for label, key, info in rows:
        wall = [value for value, _ in times[key]]
        cpu = [value for _, value in times[key]]
        print(
            f"{label:<40} {statistics.median(wall):8.1f} {percentile(wall, 90):8.1f} {statistics.median(cpu):8.1f} "
            f"{info['queries']:8d} {info['bytes'] / 1024:7.1f} {info['pages']:6d}"
        )
    for column, name in ((0, "wall"), (1, "CPU")):

        def p50(key: str, column: int = column) -> float:
            return statistics.median(value[column] for value in times[key])

        fastest_wger = min(p50("wger log"), p50("wger table"))
        print(f"wger's faster PDF p50 / ours p50, {name} time (goal: >= 3x for the 12-week plan, <= 10 queries):")
        for key in ("ours 12 uncached", "ours 12 cached", "ours 52 uncached", "ours 52 cached"):
            print(f"  {key:<18} {fastest_wger / p50(key):5.2f}x")


if __name__ == "__main__":
    main()
