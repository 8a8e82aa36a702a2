"""What a web process would otherwise load on its first requests, loaded once before gunicorn forks.

gunicorn loads the app in its master (preload_app) and forks the workers from it, and replaces each
worker after max_requests. Django, though, imports the URLconf (and through it every view module,
reportlab included), compiles the URL patterns, reads the translation catalogues and builds the API
lanes' serializers lazily, on first use: in every new worker, again. Under a steady load of check-ins
that was about a tenth of the workers' CPU (py-spy over the gunicorn processes during
bench/bench_checkin.py, 2026-12-01). Loaded here, in the master, each worker starts with all of it,
shared copy-on-write and frozen out of the collector's reach (rehab.process_tuning, in pre_fork).

Nothing here opens a database or Redis connection: a connection made before the fork would be shared
by every worker.
"""

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation


def load_before_fork() -> None:
    """Import every view, compile every URL pattern, read every shipped catalogue, build the lanes."""
    _compile_patterns(get_resolver())
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            get_resolver().reverse_dict  # noqa: B018 - the reverse map is built per language, on first use
    _build_lanes()


def _compile_patterns(resolver: URLResolver) -> None:
    resolver.pattern.regex  # noqa: B018 - a cached property: compiled on first read
    for entry in resolver.url_patterns:  # imports the module of every included URLconf and view
        if isinstance(entry, URLResolver):
            _compile_patterns(entry)
        elif isinstance(entry, URLPattern):
            entry.pattern.regex  # noqa: B018


def _build_lanes() -> None:
    # Imported here: the lanes import the API's views, which need the app registry ready.
    from rehab.api import checkin_fast, lane_headers, plan_get_fast

    checkin_fast._route()
    checkin_fast._item_shown()  # builds the serializer and its item fields too
    plan_get_fast._route()
    lane_headers._locale()
