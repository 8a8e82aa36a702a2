"""The weekly progression sweep over N plans, each with a week of check-ins: plans/s, queries, peak memory.

For each database and N, a database is migrated once, then filled fast: one engine plan is generated and
its rows copied to N patients (COPY on PostgreSQL, executemany on SQLite); each plan gets five logged
sessions in its first week with every exercise reported (a green week). Its statistics are gathered
(ANALYZE, as autovacuum keeps them on a database in use), and the filled database is kept as a template;
every measurement runs on a fresh copy of it:

- set-based: `rehab.tasks.progression_sweep` as beat starts it, Celery eager (the chunk tasks run in
  this process), as of the day week 1 is due: plans decided per second, queries (all, and per chunk);
- the same sweep under tracemalloc, for the peak of Python memory (tracemalloc slows Python down, so
  its time is not the one reported; up to --traced-max);
- unshared (up to --per-plan-max): the set-based sweep as if no two plans shared an item, every item
  decoded and rescheduled anew: the copied population is the best case of planner.stored_items' memos,
  this is the worst;
- per-plan (up to --per-plan-max): the reference path, one plan per transaction;
- workers (with --workers N): the chunks `progression_sweep` queues, run by N worker processes at once
  (a process pool forked after set-up, each worker running `rehab.tasks.progress_chunk` as a Celery
  worker would, with its own connection and its own memos): wall time, plans/s, and the CPU of this
  process and its workers together.

Beside this process's CPU time, each run on PostgreSQL prints the CPU its database server process
(the connection's backend, read from /proc on this machine) spent meanwhile: the sweep's writes cost
the server about as much again. BENCH_SWEEP_PROFILE=FILE writes a cProfile of the set-based run (CPU
time, not wall time) to FILE, for `python -m pstats FILE` (BENCH_SWEEP_PROFILE_STEP=unshared profiles that
run instead). BENCH_SWEEP_SQL=FILE writes, for each statement
of the set-based run, the database server's CPU time it took (PostgreSQL; its first 100 characters).
BENCH_SWEEP_DUMP=FILE writes every table after the set-based run, sorted, timestamps left out: two
versions of the sweep run on the same population must give the same file (`diff` them).

--varied gives the plans different weeks (pain from none to red, sessions from none to five, some
exercises skipped or done short, the odd red flag), so the decisions are not all "advance" and each
memo sees more than one week; the default population is a green week for every plan.

Databases: SQLite (a file in a temporary directory) always; PostgreSQL when DATABASE_URL is set: its
server is used with databases of our own, named after DATABASE_URL's database (bench_sweep when that is
"postgres"), with _migrated and _seeded copies, dropped and created. Prints; asserts nothing.

    .venv/bin/python bench/bench_sweep.py [--plans 1000 10000] [--huge] [--chunk-size 500] [--workers 2] [--varied]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rehab_sweep .venv/bin/python bench/bench_sweep.py
"""

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
START = date(2026, 11, 2)
AS_OF = START + timedelta(days=8)  # week 1 ended on the 8th, plus the grace day
DB = "bench_sweep"  # the databases' names start with this, or with DATABASE_URL's database name


class Postgres:
    name = "PostgreSQL"

    def __init__(self, url: str):
        self.server = urlsplit(url)
        named = self.server.path.strip("/")
        self.prefix = named if named and named != "postgres" else DB

    def url(self, database: str) -> str:
        return urlunsplit(self.server._replace(path=f"/{database}"))

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def create(self, database: str, template: str | None = None) -> str:
        copy = f' TEMPLATE "{template}"' if template else ""
        self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', f'CREATE DATABASE "{database}"{copy}')
        return self.url(database)

    def drop(self, database: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


class Sqlite:
    name = "SQLite"

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="bench-sweep-sqlite-"))
        self.prefix = DB

    def create(self, database: str, template: str | None = None) -> str:
        path = self.dir / f"{database}.sqlite3"
        for old in self.dir.glob(f"{database}.sqlite3*"):
            old.unlink()
        if template:
            shutil.copyfile(self.dir / f"{template}.sqlite3", path)
        return f"sqlite:///{path}"

    def drop(self, database: str) -> None:
        for old in self.dir.glob(f"{database}.sqlite3*"):
            old.unlink()


def _env(url: str, var_dir: str, chunk_size: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rehab.settings",
        "DATABASE_URL": url,
        "VAR_DIR": var_dir,
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "SWEEP_CHUNK_SIZE": str(chunk_size),
        # Production settings: DEBUG would keep every query's SQL in memory.
        "DEBUG": "false",
        "SECRET_KEY": "bench-sweep-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def _insert(model, template, changes, *, batch: int = 20_000) -> None:
    """Insert one row per dict of `changes` into `model`'s table: `template`'s columns with those changed.

    Fast on purpose (the population is a copy of one generated plan): each column of the template is
    put in the database's form once, only the changed columns per row; PostgreSQL takes the rows by
    COPY, SQLite by executemany. No model instances, no history rows (as bulk_create).
    """
    from django.db import connection, models

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    postgres = connection.vendor == "postgresql"

    def prepared(field, value):
        if isinstance(field, models.JSONField):
            return json.dumps(value)
        return field.get_db_prep_save(value, connection)

    for field in fields:
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            setattr(template, field.attname, field.pre_save(template, add=True))
    base = [prepared(field, getattr(template, field.attname)) for field in fields]
    position = {field.attname: n for n, field in enumerate(fields)}
    by_name = {field.attname: field for field in fields}
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)

    def rows():
        for change in changes:
            row = list(base)
            for name, value in change.items():
                row[position[name]] = prepared(by_name[name], value)
            yield row

    with connection.cursor() as cursor:
        if postgres:
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
        pending = []
        for row in rows():
            pending.append(row)
            if len(pending) >= batch:
                cursor.executemany(sql, pending)
                pending = []
        if pending:
            cursor.executemany(sql, pending)


def _week(plan_number: int, day: int) -> dict | None:
    """(--varied) The check-in a plan logged on `day` of week 1, as changes to the green session; None: none.

    Spread by the plan's number so that every kind of week recurs: no sessions, fewer than planned,
    amber and red pain, a red flag now and then.
    """
    sessions = (5, 5, 4, 3, 0, 5, 2)[plan_number % 7]
    if day >= sessions:
        return None
    pain = (1, 2, 4, 6, 3, 7)[plan_number % 6] if day == plan_number % 3 else 1
    change = {"pain_during": pain, "pain_after": min(10, pain + 1), "pain_next_morning": pain}
    if plan_number % 97 == 5 and day == 0:
        change["red_flags"] = ["chest_pain"]
    if plan_number % 11 == 3:
        change["session_rpe"] = 17
    return change


def _seed(plans: int, varied: bool = False) -> None:
    from django.db import transaction

    from rehab.models import Assessment, CheckIn, CheckInItem, Clinic, Patient, Plan, PlanItem, Role, User
    from rehab.services.plans import plan_activate, plan_generate

    with transaction.atomic():
        clinic = Clinic.objects.create(name="Bench clinic")
        physio = User.objects.create_user(
            username="sweep-physio", password="x", clinic=clinic, role=Role.PHYSIOTHERAPIST
        )
        first_patient = Patient.objects.create(
            clinic=clinic,
            first_name="Sweep",
            last_name="0",
            date_of_birth=date(1969, 3, 14),
            sex="female",
            diagnoses=["Dermatomyositis"],
        )
        Assessment.objects.create(
            patient=first_patient,
            assessed_by=physio,
            assessed_on=START - timedelta(days=1),
            bone_fragility="osteoporosis",
            vertebral_fracture=False,
            heterotopic_ossification_regions=["gluteal_left", "gluteal_right"],
            inflammation_activity="moderate",
            pain_at_rest=3,
            resting_hr=70,
            beta_blocker=False,
            cardiopulmonary_status="monitor",
            avoid_regions=[],
        )
        first = plan_generate(actor=physio, patient=first_patient, start_date=START, weeks=12)
        first = plan_activate(actor=physio, plan=first, version=first.version)
        # Every other plan is a copy of this one for a patient of its own.
        _insert(Patient, first_patient, ({"last_name": str(n)} for n in range(1, plans)))
        patients = list(Patient.objects.exclude(pk=first_patient.pk).order_by("pk").values_list("pk", flat=True))
        _insert(Assessment, first.assessment, ({"patient_id": pk} for pk in patients))
        assessment_of = dict(Assessment.objects.exclude(pk=first.assessment_id).values_list("patient_id", "pk"))
        _insert(Plan, first, ({"patient_id": pk, "assessment_id": assessment_of[pk]} for pk in patients))
        copies = list(Plan.objects.exclude(pk=first.pk).order_by("pk").values_list("pk", "patient_id"))
        for item in first.items.all():
            _insert(PlanItem, item, ({"plan_id": pk} for pk, _patient in copies))
        all_plans = [(first.pk, first.patient_id), *copies]
        item_ids: dict[int, list[int]] = {}
        for pk, plan_id in PlanItem.objects.filter(in_plan=True).order_by("pk").values_list("pk", "plan_id"):
            item_ids.setdefault(plan_id, []).append(pk)
        # Five logged sessions in week 1, every exercise done: a green week (--varied: see _week).
        session = CheckIn(
            plan_id=first.pk,
            patient_id=first.patient_id,
            date=START,
            plan_week=1,
            logged_by=physio,
            on_behalf=True,
            session_rpe=12,
            pain_during=1,
            pain_after=2,
            pain_next_morning=2,
            idempotency_key="",
        )
        _insert(
            CheckIn,
            session,
            (
                {
                    "plan_id": pk,
                    "patient_id": patient,
                    "date": START + timedelta(days=day),
                    "idempotency_key": f"sweep-{pk}-{day}",
                    **(week or {}),
                }
                for number, (pk, patient) in enumerate(all_plans)
                for day in range(5)
                if (week := _week(number, day) if varied else {}) is not None
            ),
        )
        done = CheckInItem(checkin_id=0, plan_item_id=0, done=True)
        number = {pk: n for n, (pk, _patient) in enumerate(all_plans)}
        _insert(
            CheckInItem,
            done,
            (
                {"checkin_id": checkin, "plan_item_id": item, **(_item_report(number[plan_id], n) if varied else {})}
                for checkin, plan_id in list(CheckIn.objects.order_by("pk").values_list("pk", "plan_id"))
                for n, item in enumerate(item_ids[plan_id])
            ),
        )


def _item_report(plan_number: int, item_number: int) -> dict:
    """(--varied) An exercise's report: now and then skipped, or done with fewer sets than planned."""
    if plan_number % 5 == 1 and item_number == plan_number % 4:
        return {"done": False}
    if plan_number % 13 == 2 and item_number == 0:
        return {"sets": 1}
    return {}


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _dump(path: Path) -> None:
    """Every table's rows, sorted, without the columns that hold a moment (they differ between runs)."""
    from django.db import connection

    moments = {"timestamp with time zone", "timestamp without time zone", "datetime"}
    with connection.cursor() as cursor, path.open("w") as out:
        for table in sorted(connection.introspection.table_names(cursor)):
            described = connection.introspection.get_table_description(cursor, table)
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s", [table]
                )
                types = dict(cursor.fetchall())
            else:
                types = {}
            kept = [column.name for column in described if types.get(column.name, "") not in moments]
            kept = [name for name in kept if not name.endswith("_at") and name not in ("history_date", "created")]
            quoted = ", ".join(connection.ops.quote_name(name) for name in kept)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            out.write(f"== {table} ({quoted}): {len(rows)} rows\n")
            out.writelines(f"{row}\n" for row in rows)


def _server_cpu() -> float | None:
    """CPU seconds the database server's process for this connection has used (PostgreSQL on this
    machine: its backend's /proc entry), so the bench can say what share of the work the server does."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None  # a server on another machine
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child(step: str, plans: int, workers: int = 0, varied: bool = False) -> dict:
    """(In a child process with the bench settings.) One step on the database DATABASE_URL names."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if step == "migrate":
        call_command("migrate", verbosity=0)
        return {}
    if step == "seed":
        started = time.perf_counter()
        _seed(plans, varied)
        # A database that has run for a while has its tables' statistics (autovacuum keeps them); a freshly
        # bulk-loaded one has none, and PostgreSQL then plans a chunk's item read as a scan of the whole
        # table (100,000 plans: 1.7 million item rows read 200 times). The copies keep what this gathers.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy takes the main file only
        return {"seed_s": round(time.perf_counter() - started, 1)}

    from rehab import tasks
    from rehab.models import ProgressionDecision
    from rehab.services import progression

    counted = []
    statements: list[tuple[float, str]] = []
    server_of_statements = os.environ.get("BENCH_SWEEP_SQL") and step == "set-based"

    def count(execute, sql, params, many, context):
        counted.append(None)  # count only: keeping the SQL would cost memory
        if not server_of_statements:
            return execute(sql, params, many, context)
        before = _backend_cpu(backend)
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((_backend_cpu(backend) - before, " ".join(sql.split())[:100]))

    def set_based():
        tasks.progression_sweep(AS_OF.isoformat())

    if step == "unshared":
        # As if no two plans shared an item: every item is decoded and rescheduled anew (the worst
        # case for planner.stored_items' memos; the copied population is their best case).
        from planner import stored_items

        class Forgetful(dict):
            def get(self, key, default=None):
                return default

            def __contains__(self, key):
                return False

            def __setitem__(self, key, value):
                pass

        for memo in ("_FRAMES", "_ITEMS", "_RESCHEDULED", "_BLUEPRINTS"):
            setattr(stored_items, memo, Forgetful())
        progression._STORED_DOSES = Forgetful()  # the decisions' stored doses, by value

    def per_plan():
        for plan_id in progression.plans_due(AS_OF):
            progression.plan_progress(plan_id=plan_id, as_of=AS_OF)

    if step == "workers":
        pooled = _pooled(workers)
        decided = ProgressionDecision.objects.filter(week=1).count()
        return {
            "decided": decided,
            "made": pooled["made"],
            "seconds": round(pooled["seconds"], 2),
            "plans_per_s": round(decided / pooled["seconds"], 1),
            "cpu_s": round(pooled["cpu"], 2),
            "server_cpu_s": round(pooled["server_cpu"], 2),
            "queries": pooled["queries"],
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        }
    run = per_plan if step == "per-plan" else set_based
    traced = step == "traced"
    connection.ensure_connection()
    if traced:
        tracemalloc.start()
    profiler = None
    if os.environ.get("BENCH_SWEEP_PROFILE") and step == os.environ.get("BENCH_SWEEP_PROFILE_STEP", "set-based"):
        import cProfile

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    server = _server_cpu()
    backend = _backend_pid() if server_of_statements else None
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        run()
    server = _server_cpu() - server if server is not None else None  # type: ignore[operator]
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(os.environ["BENCH_SWEEP_PROFILE"])
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] if traced else None
    tracemalloc.stop()
    if server_of_statements:
        Path(os.environ["BENCH_SWEEP_SQL"]).write_text(
            "".join(f"{seconds:7.2f} {sql}\n" for seconds, sql in sorted(statements, reverse=True))
        )
    if os.environ.get("BENCH_SWEEP_DUMP") and step == "set-based":
        _dump(Path(os.environ["BENCH_SWEEP_DUMP"]))
    decided = ProgressionDecision.objects.filter(week=1).count()
    return {
        "decided": decided,
        "seconds": round(took, 2),
        "plans_per_s": round(decided / took, 1) if took else 0,
        # On a busy machine wall time includes waiting for a core; this process's CPU time does not
        # (the database server's own CPU is not in it).
        "cpu_s": round(cpu, 2),
        "server_cpu_s": round(server, 2) if server is not None else None,
        "queries": len(counted),
        "peak_traced_mb": round(peak / 2**20, 1) if peak is not None else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _worker_chunk(chunk: list[int]) -> tuple[int, int, float]:
    """(In a pool worker.) One chunk as the Celery task runs it: (decisions made, queries, the server's CPU s)."""
    from django.db import connection

    from rehab import tasks

    counted = []

    def count(execute, sql, params, many, context):
        counted.append(None)
        return execute(sql, params, many, context)

    server = _server_cpu()
    with connection.execute_wrapper(count):
        made = tasks.progress_chunk(chunk, AS_OF.isoformat())
    server = _server_cpu() - server if server is not None else 0.0  # type: ignore[operator]
    return made, len(counted), server


def _pooled(workers: int) -> dict:
    """(In a child.) The due plans' chunks through `workers` processes at once; the parent only finds
    the due plans and hands out the chunks, as beat's progression_sweep and the broker would."""
    from django.db import connections

    from rehab.services import sweep

    started, cpu = time.perf_counter(), time.process_time()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    work = list(sweep.chunks(sweep.plans_due(AS_OF)))
    connections.close_all()  # each worker opens its own connection (none is shared across the fork)
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        results = list(pool.imap_unordered(_worker_chunk, work))
    finally:
        pool.close()
        pool.join()
    took = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = (children.ru_utime - children_before.ru_utime) + (children.ru_stime - children_before.ru_stime)
    return {
        "made": sum(made for made, _queries, _server in results),
        "seconds": took,
        "cpu": time.process_time() - cpu + worker_cpu,
        "server_cpu": sum(server for _made, _queries, server in results),
        "queries": sum(queries for _made, queries, _server in results),
    }


def _run_child(
    url: str, var_dir: str, chunk_size: int, step: str, plans: int, workers: int = 0, varied: bool = False
) -> dict:
    out = subprocess.run(
        [
            *(str(ROOT / ".venv" / "bin" / "python"), __file__, "--child", step, "--plans", str(plans)),
            *("--workers", str(workers)),
            *(["--varied"] if varied else []),
        ],
        cwd=ROOT,
        env=_env(url, var_dir, chunk_size),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        print(out.stderr[-3000:])
        raise SystemExit(out.returncode)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(
    db, plans_list: list[int], chunk_size: int, per_plan_max: int, traced_max: int, workers: int = 0, varied=False
) -> None:
    var_dir = tempfile.mkdtemp(prefix="bench-sweep-")
    DB = db.prefix
    _run_child(db.create(f"{DB}_migrated"), var_dir, chunk_size, "migrate", 0)
    for plans in plans_list:
        seeded = _run_child(
            db.create(f"{DB}_seeded", template=f"{DB}_migrated"), var_dir, chunk_size, "seed", plans, 0, varied
        )
        chunks = -(-plans // chunk_size)
        steps = ["set-based"] + (["traced"] if plans <= traced_max else [])
        steps += ["unshared", "per-plan"] if plans <= per_plan_max else []
        steps += ["workers"] if workers else []
        for step in steps:
            r = _run_child(db.create(DB, template=f"{DB}_seeded"), var_dir, chunk_size, step, plans, workers)
            if step == "workers":
                print(
                    f"{db.name:>10} N={plans:>7,} {workers} workers: {r['decided']:,} decisions in {r['seconds']} s "
                    f"wall = {r['plans_per_s']:,} plans/s (CPU {r['cpu_s']} s in the workers and their parent = "
                    f"{r['decided'] / max(r['cpu_s'], 0.01):,.0f} plans per CPU-second{_server(r)}); "
                    f"{r['queries'] / chunks:.1f} queries per chunk of {chunk_size}; "
                    f"largest worker's peak RSS {r['peak_rss_mb']} MB",
                    flush=True,
                )
                continue
            if step == "traced":
                print(f"    tracemalloc peak {r['peak_traced_mb']} MB (peak RSS {r['peak_rss_mb']} MB)", flush=True)
                continue
            per = f"{r['queries'] / chunks:.1f} per chunk of {chunk_size}" if step != "per-plan" else ""
            print(
                f"{db.name:>10} N={plans:>7,} {step:>9}: {r['decided']:,} decisions in {r['seconds']} s = "
                f"{r['plans_per_s']:,} plans/s (CPU {r['cpu_s']} s in this process = "
                f"{r['decided'] / max(r['cpu_s'], 0.01):,.0f} plans per CPU-second{_server(r)}); "
                f"{r['queries']:,} queries ({r['queries'] / max(1, r['decided']):.2f} "
                f"per plan{'; ' + per if per else ''}); peak RSS {r['peak_rss_mb']} MB "
                f"(seeded in {seeded['seed_s']} s)",
                flush=True,
            )
        db.drop(DB)
    db.drop(f"{DB}_seeded")
    db.drop(f"{DB}_migrated")


def _server(r: dict) -> str:
    if r.get("server_cpu_s") is None:
        return ""
    return f"; the database server's CPU {r['server_cpu_s']} s besides"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--huge", action="store_true", help="Also N = 100,000 (seeding alone takes minutes).")
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument(
        "--per-plan-max", type=int, default=1000, help="Run the per-plan path and the unshared sweep up to this N."
    )
    parser.add_argument("--traced-max", type=int, default=10000, help="Measure peak memory up to this N.")
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="One database only.")
    parser.add_argument(
        "--workers", type=int, default=0, help="Also run the chunks through this many worker processes at once."
    )
    parser.add_argument("--varied", action="store_true", help="Plans with different weeks (see the docstring).")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.plans[0], args.workers, args.varied)))
        return
    plans = args.plans + ([100_000] if args.huge else [])
    print(f"{os.cpu_count()} CPUs; sweep as of {AS_OF} (week 1 of every plan due); chunks of {args.chunk_size}")
    databases = []
    if args.only != "postgres":
        databases.append(Sqlite())
    if os.environ.get("DATABASE_URL", "").startswith("postgres") and args.only != "sqlite":
        databases.append(Postgres(os.environ["DATABASE_URL"]))
    for db in databases:
        measure(db, plans, args.chunk_size, args.per_plan_max, args.traced_max, args.workers, args.varied)


if __name__ == "__main__":
    main()
