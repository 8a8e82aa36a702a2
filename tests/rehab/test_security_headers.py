"""Security headers: a strict Content-Security-Policy, Permissions-Policy, and no-store on health data.

Also: the API docs and schema need a staff sign-in when they are not public (production).
"""

import re

import pytest
from django.test import Client

from tests import builders
from tests.conftest import client_for


def _csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_secure_headers(response):
    csp = _csp(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no CDN
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def plan(world):
    return builders.make_active_plan(world.patient, world.physio)


def test_the_login_page_has_the_headers(db):
    assert_secure_headers(Client().get("/login/"))


def test_a_staff_page_and_a_patient_page_have_the_headers(world, client):
    client.force_login(world.physio)
    assert_secure_headers(client.get("/caseload/"))
    client.force_login(world.patient_user)
    response = client.get("/today/")
    assert response.status_code == 200
    assert_secure_headers(response)


def test_an_api_answer_with_health_data_has_the_headers(world):
    response = client_for(world.physio).get(f"/api/v1/patients/{world.patient.pk}/")
    assert response.status_code == 200
    assert_secure_headers(response)


def test_an_api_error_is_not_stored_either(db, api):
    response = api.get("/api/v1/patients/")
    assert response.status_code == 401
    assert "no-store" in response["Cache-Control"]


def test_the_plan_pdf_has_the_headers(world, plan):
    response = client_for(world.patient_user).get(f"/api/v1/plans/{plan.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert_secure_headers(response)


def test_pages_carry_no_inline_script(world, client, plan):
    """Every <script> is a file of ours or a JSON data block: the policy would block anything else."""
    client.force_login(world.physio)
    pages = ["/caseload/", f"/patients/{world.patient.pk}/", f"/plans/{plan.pk}/", "/dashboard/"]
    bodies = [client.get(url).content.decode() for url in pages]
    client.force_login(world.patient_user)
    bodies += [client.get(url).content.decode() for url in ("/today/", "/history/", "/log/", "/offline/")]
    bodies.append(Client().get("/login/").content.decode())
    for html in bodies:
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, tag
        assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
        assert "javascript:" not in html


def test_the_docs_and_schema_need_a_staff_sign_in_when_not_public(world, client, settings):
    settings.API_DOCS_PUBLIC = False
    docs = client.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/login/?next=/api/docs/")
    assert client.get("/api/schema/").status_code == 401
    client.force_login(world.patient_user)
    assert client.get("/api/schema/").status_code == 403
    client.force_login(world.physio)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_the_docs_page_runs_under_the_policy(db, client, settings):
    settings.API_DOCS_PUBLIC = True
    html = client.get("/api/docs/").content.decode()
    assert "<style>" not in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_admin_needs_a_staff_sign_in(world, client):
    assert client.get("/admin/").status_code == 302
    client.force_login(world.physio)  # staff of the clinic, but not an admin-site user
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
