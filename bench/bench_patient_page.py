"""The patient's today page: bytes on a first load (HTML + CSS + JS) and the server time of the page.

A fresh SQLite database in a temporary VAR_DIR is migrated and seeded with `seed_demo` (the demo
patient has an active plan), then the demo patient opens /today/ N times through the Django test
client. Bytes: the HTML plus every stylesheet and script the page links, raw and gzipped (what a
server with compression sends). Nothing here asserts a time.

    .venv/bin/python bench/bench_patient_page.py [--requests N]
"""

import argparse
import gzip
import io
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="bench-today-")
    os.environ.update({"DJANGO_SETTINGS_MODULE": "rehab.settings", "VAR_DIR": var_dir, "ALLOWED_HOSTS": "testserver"})
    os.environ.pop("DATABASE_URL", None)
    try:
        import django

        django.setup()
        from django.contrib.staticfiles import finders
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from rehab.models import User

        call_command("migrate", verbosity=0, stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())
        client = Client()
        client.force_login(User.objects.get(username="patient"))

        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get("/today/")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/today/").content

        assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
        files = [("today.html", html)]
        for name in assets:
            path = finders.find(name.decode())
            files.append((name.decode(), Path(path).read_bytes()))
        total = sum(len(body) for _, body in files)
        total_gz = sum(len(gzip.compress(body)) for _, body in files)
        for name, body in files:
            print(f"{name:32} {len(body) / 1024:7.1f} KB  gzip {len(gzip.compress(body)) / 1024:6.1f} KB")
        print(
            f"{'first load (HTML + CSS + JS)':32} {total / 1024:7.1f} KB  gzip {total_gz / 1024:6.1f} KB"
            "   target < 100 KB"
        )
        print(
            f"server time of /today/: p50 {statistics.median(timings):.1f} ms, "
            f"p95 {sorted(timings)[int(0.95 * len(timings)) - 1]:.1f} ms over {args.requests} requests, "
            f"{len(queries)} queries   target < 50 ms"
        )
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
