"""The check-in POST under load, as a fraction of this machine's ceiling, measured in the same run.

Two servers are loaded alternately with wrk (--rounds times each, --seconds per round):
  ceiling  ../shared/bench/ceiling: a one-view Django app that parses JSON and INSERTs one row
           (gunicorn 4 sync workers, persistent connections), started by the ceiling's own run.sh;
  ours     POST /api/v1/checkins/ of this project under gunicorn (rehab/gunicorn.conf.py, production
           settings: DEBUG off, PostgreSQL with persistent connections, Redis cache and broker), with
           WEB_CONCURRENCY=4 like the ceiling.
Each of our requests is a new, valid check-in: its own patient's API token, a fresh Idempotency-Key and
a patient-day not logged before, with every exercise of the plan reported (--items N: the first N), so
nothing is refused as a duplicate (wrk's "non-2xx" count says if anything was). Prints req/s, p50/p99
and our share of the ceiling, and where each side's CPU went per request: its gunicorn processes
(workers, and the master with the workers it reaped) and its database's PostgreSQL backends, read
from /proc before and after each round (a backend that closed during a round takes its CPU with it:
the figure is then a little low). The ceiling's CPU is shown when --ceiling-port runs it here.
Nothing here asserts a time.

Needs PostgreSQL (127.0.0.1:5432, user postgres), Redis (127.0.0.1:6379) and wrk (`apt-get install -y wrk`).
Creates (drops first) the PostgreSQL databases --database (rehab_bench_checkin) and --ceiling-database
(limitbench); our cache and broker share Redis database --redis-db (12; their keys do not collide; 13 is
the tests/ops stack's). Ours listens on --port (8902). The ceiling runs through its own run.sh on its
fixed port 8901, or, with --ceiling-port, the same app, gunicorn command and wrk script on that port.
Two benches on one machine need their own names, Redis database and ports. The seeded plan runs a
week past the seeding day, so a run that crosses midnight still logs into it.

    .venv/bin/python bench/bench_checkin.py [--connections 50] [--seconds 10] [--rounds 2] [--patients 300]
        [--database rehab_bench_checkin] [--ceiling-database limitbench] [--redis-db 12]
        [--port 8902] [--ceiling-port N] [--items N]
"""

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _ceiling_dir() -> Path:
    """../shared/bench/ceiling beside the checkout; from a git worktree, beside the main checkout."""
    common = subprocess.run(
        ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    for checkout in (ROOT, Path(common).parent if common else ROOT):
        if (checkout.parent / "shared" / "bench" / "ceiling").is_dir():
            return checkout.parent / "shared" / "bench" / "ceiling"
    raise SystemExit("../shared/bench/ceiling is missing beside this checkout")


PG = "postgres://postgres@127.0.0.1:5432"
DAYS = 84  # the requests log a session on each of the 84 days up to the seeding day
# The plan runs a week past the seeding day, so a run that crosses midnight still logs into it.
WEEKS = DAYS // 7 + 1


def _recreate_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _our_env(var_dir: str, database: str, redis_db: int, port: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rehab.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"{PG}/{database}",
        "CACHE_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "VAR_DIR": var_dir,
        "PORT": str(port),
        "WEB_CONCURRENCY": "4",
        "LOG_LEVEL": "WARNING",
    }


def seed(patients: int, out: str, reported: int | None = None) -> None:
    """(Runs in a child process with our settings.) One engine plan, copied to `patients` patients with
        their logins and API tokens; writes every (token, body) a request can send to `out`. Each body reports
    the plan's first `reported` exercises (all of them when None)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from knox.models import AuthToken

    from rehab.models import Assessment, Clinic, Patient, Plan, PlanItem, Role, User
    from rehab.models.plans import ITEM_COLUMNS
    from rehab.services.plans import plan_activate, plan_generate

    today = timezone.localdate()
    start = today - timedelta(days=DAYS - 1)
    with transaction.atomic():
        clinic = Clinic.objects.create(name="Bench clinic")
        physio = User.objects.create_user(
            username="bench-physio", password="x", clinic=clinic, role=Role.PHYSIOTHERAPIST
        )
        password = make_password("bench")
        users = User.objects.bulk_create(
            [
                User(username=f"bench-patient-{n}", password=password, clinic=clinic, role=Role.PATIENT)
                for n in range(patients)
            ]
        )
        rows = Patient.objects.bulk_create(
            [
                Patient(
                    clinic=clinic,
                    user=user,
                    first_name="Bench",
                    last_name=str(n),
                    date_of_birth=date(1969, 3, 14),
                    sex="female",
                    diagnoses=["Dermatomyositis"],
                )
                for n, user in enumerate(users)
            ]
        )
        for row in rows:
            row.care_team.add(physio)
        assessment = {
            "assessed_on": start,
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
        first = plan_generate(actor=physio, patient=rows[0], start_date=start, weeks=WEEKS)
        first = plan_activate(actor=physio, plan=first, version=first.version)
        items = list(first.items.all())
        assessments = Assessment.objects.bulk_create(
            [Assessment(patient=row, assessed_by=physio, **assessment) for row in rows[1:]]
        )
        plans = Plan.objects.bulk_create(
            [
                Plan(
                    patient=row,
                    assessment=a,
                    author=physio,
                    status=first.status,
                    start_date=start,
                    weeks=WEEKS,
                    blueprint=first.blueprint,
                    activated_at=first.activated_at,
                )
                for row, a in zip(rows[1:], assessments, strict=True)
            ]
        )
        PlanItem.objects.bulk_create(
            [
                PlanItem(
                    plan=plan,
                    position=i.position,
                    exercise_id=i.exercise_id,
                    component=i.component,
                    **{name: getattr(i, name) for name in ITEM_COLUMNS},
                )
                for plan in plans
                for i in items
            ]
        )
        item_ids = {
            plan_id: [pk for pk, _ in group]
            for plan_id, group in _grouped(PlanItem.objects.filter(in_plan=True).values_list("pk", "plan_id"))
        }
        plan_of = {first.patient_id: first.pk} | {p.patient_id: p.pk for p in plans}
        tokens = [AuthToken.objects.create(user=user, expiry=timedelta(days=1))[1] for user in users]
    requests = []
    for day in range(DAYS):
        for n, row in enumerate(rows):
            body = {
                "date": (start + timedelta(days=day)).isoformat(),
                "session_rpe": 12,
                "pain_during": 2,
                "pain_after": 2,
                "items": [
                    {"plan_item": pk, "done": True, "sets": 2, "reps": 10}
                    for pk in item_ids[plan_of[row.pk]][:reported]
                ],
            }
            requests.append((f"Token {tokens[n]}", json.dumps(body, separators=(",", ":"))))
    Path(out).write_text(json.dumps(requests))


def _grouped(pairs):
    groups: dict = {}
    for pk, key in pairs:
        groups.setdefault(key, []).append((pk, key))
    return groups.items()


def _analyze(database: str) -> None:
    """Gather the tables' statistics once the warm-up has logged its check-ins, as autovacuum keeps them
    on a database in use. Without them (autovacuum may be off, as on the CI machines, or not yet come
    round) the database plans blind; gathered on the freshly seeded database, they say the check-in
    tables are empty, and the foreign-key checks of each check-in's items then scan the whole table
    as it grows (2026-12-01, in process: 6.8 ms a POST with statistics gathered after the warm-up,
    35 ms without any)."""
    import psycopg

    with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
        conn.execute("ANALYZE")


def _lua(requests: list, tag: str) -> str:
    """A wrk script: each thread walks its own share of the requests, each with a fresh key."""
    rows = ",\n".join(f"{{{_lua_str(token)},{_lua_str(body)}}}" for token, body in requests)
    return f"""
local reqs = {{
{rows}
}}
local threads = {{}}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
function init(args)
  n = tid - 1
  step = 2
end
function request()
  local r = reqs[(n % #reqs) + 1]
  local key = "{tag}-" .. n
  n = n + step
  return wrk.format("POST", "/api/v1/checkins/", {{
    ["Authorization"] = r[1], ["Content-Type"] = "application/json", ["Idempotency-Key"] = key}}, r[2])
end
"""


def _lua_str(text: str) -> str:
    return "[==[" + text + "]==]"


def _wrk(args: list[str]) -> dict:
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return _parse(out)


def _parse(out: str) -> dict:
    def millis(label):
        found = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\b", out, re.M)
        if not found:
            return float("nan")
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "requests": int(total.group(1)) if total else 0,
        "p50": millis("50"),
        "p99": millis("99"),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def _ceiling_round(connections: int, seconds: int, database: str, port: int | None) -> dict:
    env = {**os.environ, "VENV": str(ROOT / ".venv"), "DATABASE_URL": f"{PG}/{database}"}
    if port is not None:
        return _ceiling_round_on(port, connections, seconds, env)
    # run.sh gives gunicorn 2 s to start; on a loaded machine that is sometimes too little: try again.
    for _attempt in range(3):
        done = subprocess.run(
            ["bash", str(_ceiling_dir() / "run.sh"), str(connections), str(seconds)],
            capture_output=True,
            text=True,
            env=env,
        )
        if done.returncode == 0:
            return _parse(done.stdout)
        time.sleep(2)
    # Still failing: e.g. another bench's ceiling holds its fixed port, 8901.
    raise SystemExit(f"the ceiling's run.sh failed ({done.returncode}):\n{done.stderr[-2000:]}")


def _ceiling_round_on(port: int, connections: int, seconds: int, env: dict) -> dict:
    """What run.sh does (the same app, gunicorn command and wrk script), on `port` instead of its fixed
    8901, so two benches on one machine need not wait for each other."""
    here = _ceiling_dir()
    python, gunicorn = str(ROOT / ".venv" / "bin" / "python"), str(ROOT / ".venv" / "bin" / "gunicorn")
    subprocess.run([python, "limitapp.py", "migrate"], cwd=here, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [gunicorn, "-w", "4", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "limitapp:application"],
        cwd=here,
        env=env,
    )
    try:
        _wait_for_port(port)
        script = str(here / "post.lua")
        _until_booted(server.pid)
        cpu = _RoundCpu(server.pid, env["DATABASE_URL"].rsplit("/", 1)[1])
        result = _wrk(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                script,
                f"http://127.0.0.1:{port}/checkin/",
            ]
        )
        result["cpu"] = cpu.per_request(result["requests"])
        return result
    finally:
        server.terminate()
        server.wait(20)


def _wait_for_port(port: int, timeout: float = 20) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


def _process_cpu(pid: int, *, reaped: bool = False) -> float:
    """CPU seconds `pid` used (user + system; with `reaped`, its waited-for children's too); 0 if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if reaped else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def _tree_cpu(master: int) -> float:
    """CPU seconds of a gunicorn master, its live workers and the workers it has reaped."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        children = []
    return _process_cpu(master, reaped=True) + sum(_process_cpu(int(pid)) for pid in children)


def _backends_cpu(database: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to `database` (same machine)."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        pids = [row[0] for row in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])]
    return {pid: _process_cpu(pid) for pid in pids}


def _until_booted(master: int, timeout: float = 15) -> None:
    """Wait until a new gunicorn's workers stop using CPU (importing Django), so a round counts none of it."""
    deadline, before, quiet = time.monotonic() + timeout, _tree_cpu(master), 0
    while time.monotonic() < deadline and quiet < 3:
        time.sleep(0.2)
        now = _tree_cpu(master)
        quiet, before = (quiet + 1 if now - before < 0.02 else 0), now


class _RoundCpu:
    """CPU per request of one round: the server's processes and its database's backends."""

    def __init__(self, master: int, database: str):
        self.master, self.database = master, database
        self.server, self.backends = _tree_cpu(master), _backends_cpu(database)

    def per_request(self, requests: int) -> tuple[float, float]:
        """(server ms, PostgreSQL ms) per request since this was made."""
        server = _tree_cpu(self.master) - self.server
        after = _backends_cpu(self.database)
        database = sum(seconds - self.backends.get(pid, 0.0) for pid, seconds in after.items())
        return 1000 * server / max(requests, 1), 1000 * database / max(requests, 1)


def _show(label: str, r: dict) -> None:
    extra = f"   non-2xx {r['non_2xx']}" if r["non_2xx"] else ""
    extra += f"   socket errors: {r['socket_errors']}" if r["socket_errors"] else ""
    if "cpu" in r:
        extra += "   CPU a request: server {:.2f} ms, PostgreSQL {:.2f} ms".format(*r["cpu"])
    print(f"  {label:<8} {r['rps']:9.1f} req/s   p50 {r['p50']:7.1f} ms   p99 {r['p99']:7.1f} ms{extra}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--patients", type=int, default=300)
    parser.add_argument("--database", default="rehab_bench_checkin", help="our PostgreSQL database (dropped first)")
    parser.add_argument("--ceiling-database", default="limitbench", help="the ceiling's database (dropped first)")
    parser.add_argument("--redis-db", type=int, default=12, help="our cache and broker")
    parser.add_argument("--port", type=int, default=8902, help="our gunicorn's port")
    parser.add_argument(
        "--ceiling-port", type=int, help="run the ceiling's app on this port (default: its run.sh, port 8901)"
    )
    parser.add_argument(
        "--items",
        type=int,
        help="exercises each check-in reports (default: every exercise of the plan, 17; 0: a session without items)",
    )
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed(args.patients, args.seed, args.items)
        return

    python = str(ROOT / ".venv" / "bin" / "python")
    var_dir = tempfile.mkdtemp(prefix="bench-checkin-")
    env = _our_env(var_dir, args.database, args.redis_db, args.port)
    _recreate_database(args.database)
    _recreate_database(args.ceiling_database)
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    requests_file = os.path.join(var_dir, "requests.json")
    seeding = [python, __file__, "--seed", requests_file, "--patients", str(args.patients)]
    seeding += ["--items", str(args.items)] if args.items is not None else []
    subprocess.run(seeding, env=env, check=True)
    requests = json.loads(Path(requests_file).read_text())
    # A warm-up slice first: each gunicorn worker imports the app on its first requests (seconds).
    warm_up, requests = requests[: args.connections * 20], requests[args.connections * 20 :]
    share = len(requests) // args.rounds
    print(
        f"{os.cpu_count()} CPUs; wrk -t2 -c{args.connections} -d{args.seconds}s; {args.rounds} rounds each, "
        f"alternating; {len(requests)} distinct patient-days ({args.patients} patients)",
        flush=True,
    )
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "rehab/gunicorn.conf.py", "rehab.wsgi"], cwd=ROOT, env=env
    )
    results = {"ceiling": [], "ours": []}
    try:
        _wait_for_port(args.port)
        warm = os.path.join(var_dir, "warm.lua")
        Path(warm).write_text(_lua(warm_up, f"warm-{secrets.token_hex(4)}"))
        _wrk(["wrk", "-t2", f"-c{args.connections}", "-d5s", "-s", warm, f"http://127.0.0.1:{args.port}/"])
        _analyze(args.database)
        for n in range(args.rounds):
            print(f"round {n + 1}", flush=True)
            results["ceiling"].append(
                _ceiling_round(args.connections, args.seconds, args.ceiling_database, args.ceiling_port)
            )
            _show("ceiling", results["ceiling"][-1])
            script = os.path.join(var_dir, f"round{n}.lua")
            Path(script).write_text(_lua(requests[n * share : (n + 1) * share], f"bench-{n}-{secrets.token_hex(4)}"))
            cpu = _RoundCpu(server.pid, args.database)
            results["ours"].append(
                _wrk(
                    [
                        "wrk",
                        "-t2",
                        f"-c{args.connections}",
                        f"-d{args.seconds}s",
                        "--latency",
                        "-s",
                        script,
                        f"http://127.0.0.1:{args.port}/",
                    ]
                )
            )
            results["ours"][-1]["cpu"] = cpu.per_request(results["ours"][-1]["requests"])
            _show("ours", results["ours"][-1])
            # Each of wrk's two threads walks its own half of the round's check-ins: a thread that gets
            # ahead of the other starts its half again before the round has sent `share`, and a patient-day
            # sent twice is refused (the full path answers it, a non-2xx): warn with a margin.
            if results["ours"][-1]["requests"] > 0.9 * share:
                print(f"  (ours sent over 90 % of the {share} distinct check-ins of this round: raise --patients)")
    finally:
        server.terminate()
        server.wait(20)
    ceiling = sum(r["rps"] for r in results["ceiling"]) / args.rounds
    ours = sum(r["rps"] for r in results["ours"]) / args.rounds
    print(f"mean: ceiling {ceiling:.1f} req/s, ours {ours:.1f} req/s: {100 * ours / ceiling:.1f} % of the ceiling")
    for label, rounds in results.items():
        measured = [r["cpu"] for r in rounds if "cpu" in r]
        if measured:
            server, database = (sum(values) / len(measured) for values in zip(*measured, strict=True))
            print(f"mean CPU a request, {label}: server {server:.2f} ms, PostgreSQL {database:.2f} ms")
    _count_queries(env)


def _count_queries(env: dict) -> None:
    """The queries of one more check-in POST in-process, on the same database (token auth included)."""
    code = f"""
import json, sys
sys.path.insert(0, {str(ROOT)!r})
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rehab.models import CheckIn, PlanItem, Role, User
user = User.objects.filter(role=Role.PATIENT).order_by("pk").last()
token = AuthToken.objects.create(user=user)[1]
plan = user.patient_record.plans.get()
logged = set(CheckIn.objects.filter(plan=plan).values_list("date", flat=True))
day = next(d for d in (timezone.localdate() - timezone.timedelta(days=n) for n in range(84)) if d not in logged)
items = [{{"plan_item": pk, "done": True}} for pk in PlanItem.objects.filter(plan=plan).values_list("pk", flat=True)]
body = {{"date": day.isoformat(), "pain_during": 2, "pain_after": 2, "session_rpe": 12, "items": items}}
with CaptureQueriesContext(connection) as seen:
    r = Client().post("/api/v1/checkins/", json.dumps(body), content_type="application/json",
                      HTTP_AUTHORIZATION="Token " + token, HTTP_IDEMPOTENCY_KEY="count-1", HTTP_HOST="127.0.0.1")
print(f"one POST in-process: status {{r.status_code}}, {{len(seen.captured_queries)}} queries with token auth:")
for q in seen.captured_queries:
    print("   ", q["sql"][:110])
"""
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", code], cwd=ROOT, env=env, check=False)


if __name__ == "__main__":
    main()
