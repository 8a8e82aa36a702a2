"""Working without a network: the service worker (served from the root so its scope covers every page,
with the static URLs and pages it keeps filled in) and the two pages it shows from its cache."""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from frontend.patient.page import page_context, patient_page
from frontend.patient.session_steps import ILLUSTRATION_URL
from rehab.models import Patient

# The worker's script as shipped; service_worker() serves it from the root with its settings filled in.
SERVICE_WORKER = Path(__file__).resolve().parents[1] / "static" / "frontend" / "sw.js"


@patient_page
@require_GET
def offline(request, patient: Patient):
    """What the service worker shows for a page it has no copy of (cached at install)."""
    return render(request, "frontend/patient/offline.html", page_context(request, patient, None, ""))


@patient_page
@require_GET
def saved_offline(request, patient: Patient):
    """What the service worker shows after it kept a session on the phone (cached at install)."""
    return render(request, "frontend/patient/saved_offline.html", page_context(request, patient, None, "today"))


def _shell() -> list[str]:
    """Static files the patient pages need, under the URLs the pages use (hashed in production)."""
    names = [
        "frontend/site.css",
        "frontend/patient.css",
        "frontend/i18n.js",
        "frontend/patient.js",
        "frontend/follow.js",
        "frontend/manifest.webmanifest",
        "frontend/icons/icon.svg",
        "frontend/icons/icon-192.png",
    ]
    urls = []
    for name in names:
        try:
            urls.append(static(name))
        except ValueError:  # not collected (manifest storage): the worker caches it on first use
            continue
    return urls


@require_GET
def service_worker(request):
    """sw.js from the app's root so that its scope covers every page; static URLs filled in here.

    The version is a hash of the script and of the (hashed, in production) static URLs, so a new
    deployment installs a new worker and drops the old shell cache.
    """
    pages = [
        reverse(name)
        for name in (
            "frontend:today",
            "frontend:follow",
            "frontend:log",
            "frontend:history",
            "frontend:something_wrong",
            "frontend:offline",
            "frontend:saved_offline",
        )
    ]
    config = {
        "shell": _shell(),
        "pages": pages,
        "pagePrefixes": [reverse(name) for name in ("frontend:today", "frontend:history", "frontend:something_wrong")]
        + [reverse("frontend:offline")],
        "queueForms": [reverse("frontend:log"), reverse("frontend:next_morning"), reverse("frontend:something_wrong")],
        # A red flag the network lost is kept and answered with its own page, which shows the advice.
        "redFlagForm": reverse("frontend:something_wrong"),
        "offlinePage": reverse("frontend:offline"),
        "savedPage": reverse("frontend:saved_offline"),
        # Exercise pictures of the follow-along page, kept like pages so they show offline too.
        "picturePrefix": ILLUSTRATION_URL.split("{slug}")[0],
        "staticUrl": settings.STATIC_URL,
    }
    source = SERVICE_WORKER.read_text(encoding="utf-8")
    config["version"] = hashlib.sha256((source + json.dumps(config, sort_keys=True)).encode()).hexdigest()[:12]
    body = source.replace("self.__CONFIG__", json.dumps(config), 1)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
