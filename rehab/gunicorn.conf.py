"""Gunicorn settings for production: `gunicorn -c rehab/gunicorn.conf.py rehab.wsgi`.

The API is I/O-bound (PostgreSQL, Redis, the broker); threads overlap that waiting at a fraction
of the memory of more processes, so the default is gthread workers with several threads each.
PDFs are drawn in the request (a second or less), well inside the timeout.

Every value is an environment variable (README.md, Configuration):
  HOST, PORT             where to listen (127.0.0.1:8000); HOST=0.0.0.0 inside a container
  WEB_CONCURRENCY        worker processes (default: CPU count, at least 2)
  GUNICORN_THREADS       threads per worker (default 4)
  GUNICORN_TIMEOUT       seconds a request may take before its worker is restarted (default 30)
Each thread keeps its own database connection (DATABASE_CONN_MAX_AGE), so PostgreSQL needs
WEB_CONCURRENCY x GUNICORN_THREADS connections per web host, plus the Celery worker's.
"""

import os

bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or max(2, os.cpu_count() or 1))
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
# On SIGTERM, let requests in flight finish before the worker exits.
graceful_timeout = 20
# Behind a proxy that keeps connections open to us; a little longer than nothing, well under its idle timeout.
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound (jitter: not all at once).
max_requests = 2000
max_requests_jitter = 200
# Import the app once, in the master, and fork workers from it: a recycled worker then starts serving
# at once instead of importing Django and the project again (a second or two of CPU each time, which
# under load came out of the requests in flight: at 500 requests a second four workers recycle every
# few seconds). Nothing opens a connection at import (Django connects on its first query, Redis and the
# broker on first use), so no socket is shared across the fork. The price: a HUP reloads the
# configuration but not the code: deploy new code by restarting gunicorn (README.md, Configuration).
preload_app = True
# Our middleware logs one line per request (rehab/logs.py); gunicorn's access log would repeat it.
accesslog = None
errorlog = "-"
# Trust X-Forwarded-* from the local proxy only (the default); settings read X-Forwarded-Proto.


def pre_fork(server, worker):
    """The app is loaded once in the master (preload_app): freeze it before each fork, so no worker's
    collector walks it again, nor copies its pages by touching their objects (rehab/process_tuning.py)."""
    from rehab.process_tuning import tune_garbage_collector

    tune_garbage_collector()
