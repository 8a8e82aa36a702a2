"""How long the plans API takes to generate and to return a plan, and how many queries each costs.

A fresh SQLite database in a temporary VAR_DIR is migrated and seeded with `seed_demo`; then the demo
physiotherapist generates N drafts for the motivating patient through the Django test client
(POST /api/v1/plans/, the whole engine plus the response) and reads one back N times
(GET /api/v1/plans/{id}/). Prints p50/p95 in ms and the queries of one request of each. Nothing here
asserts a time (architecture.md: benchmarks print, tests never time).

    .venv/bin/python bench/bench_plan_api.py [--requests N] [--show-queries]
"""

import argparse
import gc
import io
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _configure(var_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "rehab.settings"
    os.environ["VAR_DIR"] = var_dir
    # Always a throw-away SQLite database, never whatever DATABASE_URL the shell points at.
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _tables(queries: list[dict]) -> Counter:
    """Queries by statement and first table, to spot one repeated per item (an N+1)."""
    counts = Counter()
    for query in queries:
        words = query["sql"].replace('"', "").split()
        verb = words[0].upper()
        marker = {"SELECT": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE", "DELETE": "FROM"}.get(verb)
        table = words[words.index(marker) + 1] if marker in words else "-"
        counts[f"{verb} {table}"] += 1
    return counts


def _timed(call, runs: int) -> tuple[list[float], int]:
    """Milliseconds per call, and how many full (oldest-generation) garbage collections ran meanwhile:
    they, not the database, make the slow tail of a request that builds a whole plan."""
    full_collections = gc.get_stats()[2]["collections"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 201), response.content[:500]
    return times, gc.get_stats()[2]["collections"] - full_collections


def _report(label: str, timed: tuple[list[float], int], queries: list[dict], show: bool) -> None:
    times, full_collections = timed
    print(
        f"{label:<26} p50 {statistics.median(times):7.1f} ms   p95 {_percentile(times, 95):7.1f} ms   "
        f"max {max(times):7.1f} ms   {len(queries)} queries   {full_collections} full GCs"
    )
    if show:
        for what, count in sorted(_tables(queries).items()):
            print(f"    {count:3d} x {what}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--show-queries", action="store_true", help="list the queries of one request by table")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="bench-plan-api-")
    try:
        _configure(var_dir)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment

        from rehab.models import Patient, User

        setup_test_environment(debug=False)  # as the test runner: the test client's host, no query log
        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=io.StringIO())
        logging.getLogger("axes").setLevel(logging.WARNING)  # force_login's sign-in notices
        physio = User.objects.get(username="physio")
        patient = Patient.objects.get(user__username="patient")
        client = Client()
        client.force_login(physio)
        payload = {"patient": patient.pk, "start_date": "2026-11-02", "weeks": 12}

        def generate():
            return client.post("/api/v1/plans/", payload, content_type="application/json")

        generate()  # warm up: imports, rule and catalogue caches
        with CaptureQueriesContext(connection) as captured:
            plan_id = generate().json()["id"]
        # Copied now: the next request's request_started signal empties the connection's query log.
        post_queries = list(captured.captured_queries)
        post_times = _timed(generate, args.requests)

        def read():
            return client.get(f"/api/v1/plans/{plan_id}/")

        read()
        with CaptureQueriesContext(connection) as captured:
            body = read().json()
        get_queries = list(captured.captured_queries)
        get_times = _timed(read, args.requests)

        print(
            f"{args.requests} requests each; {len(body['items'])} items x {body['length_weeks']} weeks; "
            f"database {connection.vendor}"
        )
        _report("POST /api/v1/plans/", post_times, post_queries, args.show_queries)
        _report("GET /api/v1/plans/{id}/", get_times, get_queries, args.show_queries)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
