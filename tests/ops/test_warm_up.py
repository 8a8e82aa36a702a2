"""The web app's module, as gunicorn's master imports it before forking (preload_app), loads what Django
would otherwise load on each new worker's first requests (rehab/warm_up.py), and opens no connection a
forked worker would share."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import rehab.wsgi
from django.conf import settings
from django.db import connections
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.translation import trans_real
from rehab.api import checkin_fast, plan_get_fast

def uncompiled(resolver, found):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            uncompiled(entry, found)
        # A plain pattern keeps its compiled regex on itself; a translated one, per language.
        pattern = entry.pattern
        if "regex" not in pattern.__dict__ and settings.LANGUAGE_CODE not in pattern._regex_dict:
            found.append(str(entry.pattern))
    return found

print(json.dumps({
    "uncompiled": uncompiled(get_resolver(), []),
    "catalogues": sorted(trans_real._translations),
    "languages": [code for code, _ in settings.LANGUAGES],
    "reverse_maps": sorted(get_resolver()._reverse_dict),
    "lanes": [checkin_fast._route.cache_info().currsize, checkin_fast._item_shown.cache_info().currsize,
              plan_get_fast._route.cache_info().currsize],
    "pdf_views_imported": "rehab.api.pdfs" in sys.modules,
    "database_connected": any(c.connection is not None for c in connections.all(initialized_only=True)),
}))
"""


def test_importing_the_web_app_loads_urls_catalogues_and_lanes_and_connects_nothing():
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "rehab.settings"},
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["uncompiled"] == []
    assert set(seen["languages"]) <= set(seen["catalogues"])
    assert set(seen["languages"]) <= set(seen["reverse_maps"])
    assert seen["lanes"] == [1, 1, 1]
    assert seen["pdf_views_imported"]
    assert not seen["database_connected"]
