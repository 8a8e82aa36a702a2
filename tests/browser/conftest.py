"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, against live_server.

Helpers: `login(context, user)` puts a signed-in session cookie into a browser context;
`axe_violations(page)` injects axe-core (shipped inside the axe-playwright-python wheel, axe
from npm) and returns the WCAG 2.x A/AA violations; `screenshot(page, name)` writes a PNG
into tests/browser/screenshots/ (git-ignored) for a person to look at.
"""

import os
import time
from pathlib import Path

import axe_playwright_python
import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside
# one unless told the calls are made synchronously on purpose (they are, in the test thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: 'bash .ci/test' installs it (or apt-get install chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _csp_violations(context) -> list[str]:
    """Console reports of anything the Content-Security-Policy blocked, in any page of `context`."""
    seen: list[str] = []

    def record(message):
        if "Content Security Policy" in message.text:
            seen.append(f"{message.location.get('url')}:{message.location.get('lineNumber')}: {message.text}")

    context.on("console", record)
    return seen


@pytest.fixture
def desktop(browser, live_server):
    context = browser.new_context(base_url=live_server.url, **DESKTOP)
    blocked = _csp_violations(context)
    yield context
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


def requests_seen(context) -> list[str]:
    """Every request the context makes from now on, as "METHOD /path" ("sw: " first when the page's service
    worker made it), for an offline test's failure message.

    Listening matters as well: with no listener on the context's requests, set_offline(False) did not always
    reach the service worker (seen in CI and here under load, 1 run in 3 or more: the page online, its
    kept report posted through a worker that still failed every fetch, nothing reaching the server for
    40 s); with one, 10 runs of 10 passed. A phone's own worker goes back online with the phone."""
    seen: list[str] = []

    def note(request) -> None:
        by_worker = "sw: " if getattr(request, "service_worker", None) is not None else ""
        seen.append(f"{by_worker}{request.method} {request.url.split('//', 1)[-1].split('/', 1)[-1]}")

    context.on("request", note)
    return seen


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.requests_seen = requests_seen(context)
    blocked = _csp_violations(context)
    yield context
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


def login(context, user) -> None:
    """Sign `user` in for this browser context without going through the login form."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    base = context._impl_obj._options.get("baseURL")  # the live server's URL
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": base}])


def axe_violations(page) -> list[dict]:
    # Evaluated through the DevTools protocol: an inline <script> tag would be (rightly) blocked
    # by the pages' Content-Security-Policy.
    page.evaluate(AXE_SCRIPT + "\n;undefined")
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result["violations"]
    ]


def poll(check, timeout: float = 20, *, page=None) -> bool:
    """True once check() is, polling every 0.2 s for up to `timeout` seconds. With `page`, the waits happen
    in the page (Playwright then runs route handlers meanwhile); otherwise the thread sleeps."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        if page is not None:
            page.wait_for_timeout(200)
        else:
            time.sleep(0.2)
    return False


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
