"""GET /api/v1/plans/{id}/: bytes and requests per second, compact by default vs `?include=rules,schedule`.

A fresh SQLite database in a temporary VAR_DIR is migrated and seeded with `seed_demo`; the demo
physiotherapist then reads the demo plan in process (Django's test client through the whole
middleware stack, token authentication as an API client sends it), N requests per form. The forms
take turns in rounds, so a machine whose load changes during the run slows each of them alike; the
ratio between them is the figure to read. Prints bytes, req/s, p50/p95 and the queries of one request.
Nothing here asserts a time (architecture.md: benchmarks print, tests never time).

    .venv/bin/python bench/bench_plan_get.py [--requests N] [--rounds R] [--show-queries]
"""

import argparse
import io
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FORMS = {
    "default": "",
    "?include=rules,schedule": "?include=rules,schedule",
}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per form (split over the rounds)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one request of each form")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="bench-plan-get-")
    try:
        _configure(var_dir)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment
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

        sizes, queries = {}, {}
        for form, url in urls.items():
            client.get(url)  # warm up: imports, caches
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, response.content[:300]
            sizes[form] = len(response.content)
            queries[form] = len(captured.captured_queries)
            if args.show_queries:
                print(form, *(f"    {query['sql'][:110]}" for query in captured.captured_queries), sep="\n")

        times = {form: [] for form in FORMS}
        per_round = max(1, args.requests // args.rounds)
        for _ in range(args.rounds):
            for form, url in urls.items():
                for _ in range(per_round):
                    start = time.perf_counter()
                    response = client.get(url)
                    times[form].append(time.perf_counter() - start)
                    assert response.status_code == 200

        print(
            f"GET /api/v1/plans/{{id}}/ on the demo plan ({len(response.json()['items'])} items, "
            f"{plan.weeks} weeks), {per_round * args.rounds} requests per form in {args.rounds} alternating "
            f"rounds, in process, database {connection.vendor}"
        )
        for form in FORMS:
            spent = times[form]
            print(
                f"{form:<26} {sizes[form]:>8,} bytes   {len(spent) / sum(spent):7.1f} req/s   "
                f"p50 {statistics.median(spent) * 1000:6.1f} ms   p95 {_percentile(spent, 95) * 1000:6.1f} ms   "
                f"{queries[form]} queries"
            )
        default, full = (len(times[f]) / sum(times[f]) for f in FORMS)
        print(
            f"default / with rules and schedule: {sizes[list(FORMS)[1]] / sizes['default']:.1f}x smaller, "
            f"{default / full:.2f}x the requests per second"
        )
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
