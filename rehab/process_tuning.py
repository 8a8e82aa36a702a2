"""The garbage collector's settings for the long-running processes (gunicorn workers, Celery workers)
and the engine bench that stands for them.

The engine keeps what it worked out (doses, weeks, exercise choices) in bounded memos that live as
long as the process, and every full collection walks all of them again: on the engine bench that was
about a seventh of the CPU (10,000 profiles, 2026-12-01). Two changes keep the collector for what is
new: what is alive once the process is ready (Django, the exercise catalogue, the rule data) is frozen
out of its reach (gc.freeze), and the oldest generation is examined ten times less often. Reference
counting still frees everything at once; only cycles wait longer, and the memos are bounded.
No Django import: bench/bench_engine.py uses it beside the pure engine.
"""

import gc

# CPython's default is (700, 10, 10): the oldest generation is examined after every tenth collection of
# the middle one. 100 makes that ten times rarer.
THRESHOLDS = (700, 10, 100)


def tune_garbage_collector() -> None:
    """Freeze what is alive now and collect the oldest generation less often (call once, when ready)."""
    gc.collect()  # what start-up left as garbage goes now, not frozen with the rest
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
