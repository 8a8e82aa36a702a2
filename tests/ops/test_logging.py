"""One log line per request, without patient data; 4xx never log tracebacks; 5xx do, once."""

import json
import logging

import pytest
from django.urls import path

from rehab.logs import DropClientErrors, JsonFormatter
from tests.conftest import client_for


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


def test_an_api_request_logs_one_line_with_the_url_template_and_no_patient_data(world, caplog):
    caplog.set_level(logging.INFO)
    response = client_for(world.physio).get(f"/api/v1/patients/{world.patient.pk}/")
    assert response.status_code == 200
    lines = [r for r in caplog.records if r.name == "rehab.request"]
    assert len(lines) == 1
    assert lines[0].http == {
        "method": "GET",
        "path": "/api/v1/patients/{id}/",
        "status": 200,
        "duration_ms": lines[0].http["duration_ms"],
        "user_id": world.physio.pk,
    }
    entry = json.loads(JsonFormatter().format(lines[0]))
    assert entry["path"] == "/api/v1/patients/{id}/"
    assert entry["user_id"] == world.physio.pk
    assert world.patient.first_name not in json.dumps(entry)


def test_a_patient_on_a_staff_page_logs_a_warning_line_and_no_traceback(world, caplog, client):
    caplog.set_level(logging.INFO)
    client.force_login(world.patient_user)
    client.get("/api/v1/patients/", HTTP_ACCEPT="application/json")
    kept = [r for r in caplog.records if DropClientErrors().filter(r) and r.name == "django.request"]
    assert kept == []
    assert not any(r.exc_info for r in caplog.records if r.name == "rehab.request")


@pytest.mark.urls("tests.ops.test_logging")
def test_a_server_error_keeps_its_traceback_once(db, caplog, client):
    caplog.set_level(logging.INFO)
    client.raise_request_exception = False
    assert client.get("/boom/").status_code == 500
    tracebacks = [r for r in caplog.records if r.exc_info and DropClientErrors().filter(r)]
    assert len(tracebacks) == 1
    assert [r.http["status"] for r in caplog.records if r.name == "rehab.request"] == [500]
