"""GET /api/v1/plans/{id}/: bytes, requests per second and queries, the compact default against the full answer.

Two forms of the same demo plan, read by the demo physiotherapist with an API token:
  default  the compact answer, kept as its bytes in the cache (rehab/api/plan_cache.py), with its ETag; once
           warm, answered by the GET lane first after the request log (rehab/api/plan_get_fast.py);
  full     `?include=rules,rationale,schedule,exercises,targets`: everything, built on each request as the
           plan GET answered before the compact default (the engine plan, every week, every rule text).
Every response measured is a full 200 (no If-None-Match is sent, so no 304 is counted).

--mode gunicorn (the figure the issue asks for): this project under gunicorn (rehab/gunicorn.conf.py,
production settings: DEBUG off, PostgreSQL with persistent connections, the Redis cache), WEB_CONCURRENCY
workers, loaded with wrk, the two forms in alternating rounds of --seconds each so a change of load on the
machine slows both alike. Needs PostgreSQL (127.0.0.1:5432, user postgres; the database --database,
rehab_planget, is dropped and made anew), Redis (127.0.0.1:6379, database --redis-db, 5, as the cache,
flushed first) and wrk; the server listens on --port (8917). Two benches on one machine need their own.
--mode inprocess: Django's test client through the whole middleware stack on a throw-away SQLite database.
Both print bytes, req/s, p50 and p99 and the queries of one request (the default cold and warm).
Nothing here asserts a time (architecture.md: benchmarks print, tests never time).

    .venv/bin/python bench/bench_plan_get.py [--mode gunicorn|inprocess|both] [--seconds 10] [--rounds 3]
        [--connections 50] [--workers 4] [--requests 200] [--show-queries]
        [--database rehab_planget] [--redis-db 5] [--port 8917]
"""

import argparse
import io
import json
import logging
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FULL = "?include=rules,rationale,schedule,exercises,targets"
FORMS = {"default": "", "full": FULL}
PG = "postgres://postgres@127.0.0.1:5432"
DATABASE = "rehab_planget"
REDIS_DB = 5
PORT = 8917
# One reader makes every request: the per-user throttle's production rate (1,200 a minute, 20 a second)
# would answer 429 to nearly all of them. So the server runs with this rate, said in the output; the
# throttle still runs (a Redis script call per request), as it does for every client.
LIFTED_THROTTLE = "100000000/minute"


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


# --- One request's queries, in the process that has the settings (both modes) ---------------------------


def _queries_of_each_form(client, url_of: dict[str, str], show: bool) -> dict[str, int]:
    """The queries of one request of each form: the default cold (empty cache) and warm, then the full."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rehab.api.plan_cache import forget_kept_answers
    from rehab.services import plan_store

    counted = {}
    for label, url, clear in (
        ("default, cold", url_of["default"], True),
        ("default, warm", url_of["default"], False),
        ("full", url_of["full"], False),
    ):
        client.get(url)  # this process's imports, its shared plan parts and typed plan
        if clear:
            cache.clear()
            forget_kept_answers()
            plan_store.forget_loaded_plans()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        counted[label] = len(captured.captured_queries)
        if show:
            print(label, *(f"    {query['sql'][:110]}" for query in captured.captured_queries), sep="\n")
    return counted


# --- In process ---------------------------------------------------------------------------------------


def in_process(args) -> None:
    var_dir = tempfile.mkdtemp(prefix="bench-plan-get-")
    try:
        os.environ["DJANGO_SETTINGS_MODULE"] = "rehab.settings"
        os.environ["VAR_DIR"] = var_dir
        # Always a throw-away SQLite database and local-memory cache, whatever the shell points at.
        for name in ("DATABASE_URL", "CACHE_URL"):
            os.environ.pop(name, None)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment
        from knox.models import AuthToken

        from rehab.models import Plan, PlanStatus, User

        setup_test_environment(debug=False)  # as the test runner: the test client's host, no query log
        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=io.StringIO())
        logging.disable(logging.WARNING)  # one request log line per request would dominate the output
        physio = User.objects.get(username="physio")
        plan = Plan.objects.get(patient__user__username="patient", status=PlanStatus.ACTIVE)
        token = AuthToken.objects.create(user=physio)[1]
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")
        urls = {form: f"/api/v1/plans/{plan.pk}/{query}" for form, query in FORMS.items()}
        sizes = {form: len(client.get(url).content) for form, url in urls.items()}
        queries = _queries_of_each_form(client, urls, args.show_queries)

        times: dict[str, list[float]] = {form: [] for form in FORMS}
        per_round = max(1, args.requests // args.rounds)
        for _ in range(args.rounds):
            for form, url in urls.items():
                for _ in range(per_round):
                    start = time.perf_counter()
                    response = client.get(url)
                    times[form].append(time.perf_counter() - start)
                    assert response.status_code == 200
        print(
            f"in process (test client, token auth), database {connection.vendor}, local-memory cache: "
            f"{per_round * args.rounds} requests per form in {args.rounds} alternating rounds"
        )
        rates = {form: len(spent) / sum(spent) for form, spent in times.items()}
        for form, spent in times.items():
            _line(form, sizes[form], rates[form], statistics.median(spent) * 1000, _percentile(spent, 99) * 1000)
        _ratio(rates, sizes, queries)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def _line(form: str, size: int, rate: float, p50: float, p99: float, extra: str = "") -> None:
    print(f"  {form:<8} {size:>8,} bytes  {rate:8.1f} req/s   p50 {p50:7.1f} ms   p99 {p99:7.1f} ms{extra}", flush=True)


def _ratio(rates: dict, sizes: dict, queries: dict) -> None:
    print(
        f"default / full: {sizes['full'] / sizes['default']:.1f}x smaller, "
        f"{rates['default'] / rates['full']:.2f}x the requests per second; queries per request: "
        + ", ".join(f"{label} {n}" for label, n in queries.items())
    )


# --- Under gunicorn, loaded with wrk -------------------------------------------------------------------


def _server_env(var_dir: str, workers: int, args) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rehab.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"{PG}/{args.database}",
        "CACHE_URL": _cache_url(args),
        "VAR_DIR": var_dir,
        "PORT": str(args.port),
        "WEB_CONCURRENCY": str(workers),
        "LOG_LEVEL": "WARNING",
        "API_THROTTLE_USER": LIFTED_THROTTLE,
    }


def seed(out: str, show: bool) -> None:
    """(In a child process with the server's settings.) The demo, a token for its physiotherapist, the
    plan's URLs and the queries of one request of each form, written to `out` as JSON."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from knox.models import AuthToken

    from rehab.models import Plan, PlanStatus, User

    # --force: production settings (DEBUG off) and a database made for this run alone.
    call_command("seed_demo", force=True, stdout=io.StringIO())
    physio = User.objects.get(username="physio")
    plan = Plan.objects.get(patient__user__username="patient", status=PlanStatus.ACTIVE)
    token = AuthToken.objects.create(user=physio)[1]
    paths = {form: f"/api/v1/plans/{plan.pk}/{query}" for form, query in FORMS.items()}
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    queries = _queries_of_each_form(client, paths, show)
    Path(out).write_text(json.dumps({"token": token, "paths": paths, "queries": queries, "weeks": plan.weeks}))


def _cache_url(args) -> str:
    return f"redis://127.0.0.1:6379/{args.redis_db}"


def _recreate_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _flush_cache(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def _wait_for_port(port: int, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


def _auth(token: str) -> list[str]:
    return ["-H", f"Authorization: Token {token}"]


def _wrk(token: str, url: str, connections: int, seconds: int) -> dict:
    out = subprocess.run(
        # --timeout: on a loaded machine a full answer behind 50 connections can take longer than wrk's 2 s.
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "20s", "--latency", *_auth(token), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return _parse(out)


def _parse(out: str) -> dict:
    def millis(label):
        found = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\b", out, re.M)
        if not found:
            return float("nan")
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rate is None or float(rate.group(1)) == 0:
        print(out, flush=True)  # nothing answered: show what wrk saw
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "p50": millis("50"),
        "p99": millis("99"),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def _fetch(token: str, url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:  # our own local server
        return response.status, response.read()


def under_gunicorn(args) -> None:
    python = str(ROOT / ".venv" / "bin" / "python")
    var_dir = tempfile.mkdtemp(prefix="bench-plan-get-")
    env = _server_env(var_dir, args.workers, args)
    _recreate_database(args.database)
    _flush_cache(_cache_url(args))
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    seeded = os.path.join(var_dir, "seeded.json")
    command = [python, __file__, "--seed", seeded] + (["--show-queries"] if args.show_queries else [])
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    setup = json.loads(Path(seeded).read_text())
    token, base = setup["token"], f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "rehab/gunicorn.conf.py", "rehab.wsgi"], cwd=ROOT, env=env
    )
    results: dict[str, list[dict]] = {form: [] for form in FORMS}
    try:
        _wait_for_port(args.port)
        sizes = {}
        for form, path in setup["paths"].items():
            status, body = _fetch(token, base + path)
            assert status == 200, body[:300]
            sizes[form] = len(body)
        # Each worker imports the app and reads the plan's parts on its first requests: warm all of them.
        for path in setup["paths"].values():
            _wrk(token, base + path, args.connections, 5)
        print(
            f"{os.cpu_count()} CPUs; gunicorn {args.workers} workers (gthread); PostgreSQL, Redis cache; "
            f"wrk -t2 -c{args.connections} -d{args.seconds}s; {args.rounds} rounds each, alternating; "
            f"the demo plan ({setup['weeks']} weeks) read by the demo physiotherapist (token auth, read audit)",
            flush=True,
        )
        print(
            f"throttle lifted: API_THROTTLE_USER={LIFTED_THROTTLE} (production 1200/minute would refuse this one "
            "reader's requests past 20 a second with 429); it still runs on every request",
            flush=True,
        )
        for n in range(args.rounds):
            print(f"round {n + 1}", flush=True)
            for form, path in setup["paths"].items():
                result = _wrk(token, base + path, args.connections, args.seconds)
                results[form].append(result)
                extra = f"   non-2xx {result['non_2xx']}" if result["non_2xx"] else ""
                extra += f"   socket errors: {result['socket_errors']}" if result["socket_errors"] else ""
                _line(form, sizes[form], result["rps"], result["p50"], result["p99"], extra)
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(var_dir, ignore_errors=True)
    rates = {form: statistics.mean(r["rps"] for r in runs) for form, runs in results.items()}
    print("mean of the rounds:")
    for form, runs in results.items():
        _line(
            form,
            sizes[form],
            rates[form],
            statistics.median(r["p50"] for r in runs),
            statistics.median(r["p99"] for r in runs),
        )
    _ratio(rates, sizes, setup["queries"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["gunicorn", "inprocess", "both"], default="both")
    parser.add_argument("--seconds", type=int, default=10, help="gunicorn: seconds per wrk round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=50, help="gunicorn: wrk connections")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn: worker processes")
    parser.add_argument("--requests", type=int, default=200, help="in process: requests per form")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one request of each form")
    parser.add_argument("--database", default=DATABASE, help="gunicorn: PostgreSQL database (dropped first)")
    parser.add_argument("--redis-db", type=int, default=REDIS_DB, help="gunicorn: Redis database of the cache")
    parser.add_argument("--port", type=int, default=PORT, help="gunicorn: the port it listens on")
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed(args.seed, args.show_queries)
        return
    if args.mode in ("gunicorn", "both"):
        under_gunicorn(args)
    if args.mode in ("inprocess", "both"):
        in_process(args)


if __name__ == "__main__":
    main()
