"""One URL-parameter convention across the API (written down in rehab/api/urls.py): the record a path
starts from is `{id}`, a second record further down is `{<its name>_id}`, a record addressed by a name
is `{slug}`. Walks every path of the OpenAPI schema, so a new route that names its parameter otherwise
fails here; and the request log names the router's `pk` as the schema does."""

import logging
import re

import pytest

from rehab.logs import route_template
from tests.conftest import client_for

PARAMETER = re.compile(r"\{([^}]+)\}")
BY_NAME = {"exercises"}  # collections whose records are addressed by their slug


def _expected(path: str) -> list[str]:
    """The parameter names the convention gives a path, from the segments before each parameter."""
    segments = path.strip("/").split("/")
    names = []
    for position, segment in enumerate(segments):
        if not PARAMETER.fullmatch(segment):
            continue
        collection = segments[position - 1]
        if collection in BY_NAME:
            names.append("slug")
        elif not names:
            names.append("id")
        else:
            names.append(f"{collection.removesuffix('s').replace('-', '_')}_id")
    return names


@pytest.fixture(scope="module")
def paths(django_db_setup, django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()["paths"]


def test_the_convention_reads_a_path_as_written_in_the_urls_module():
    assert _expected("/api/v1/plans/{id}/") == ["id"]
    assert _expected("/api/v1/patients/{x}/assessments/") == ["id"]
    assert _expected("/api/v1/plans/{id}/items/{y}/") == ["id", "item_id"]
    assert _expected("/api/v1/exercises/{slug}/illustration.svg") == ["slug"]
    assert _expected("/api/v1/plans/") == []


def test_every_path_parameter_in_the_schema_follows_the_convention(paths):
    wrong = {
        path: PARAMETER.findall(path)
        for path in paths
        if PARAMETER.findall(path) != _expected(path)
        and not re.search(r"\{[^}]+\}\.", path)  # a file name such as {slug}.svg is checked with its segment
    }
    assert wrong == {}, f"paths whose parameters break the convention in rehab/api/urls.py: {wrong}"
    # Every operation declares the same names as its path (no stray `pk` or old `plan_id` left in a view).
    for path, item in paths.items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "parameters" not in operation:
                continue
            declared = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert declared == set(PARAMETER.findall(path)), (method, path, declared)


def test_nested_paths_name_their_parent_id_too(paths):
    # The paths that used to say {plan_id} or {patient_id} are the same URLs with the one name.
    for path in (
        "/api/v1/patients/{id}/assessments/",
        "/api/v1/patients/{id}/measurements/",
        "/api/v1/patients/{id}/access-log/",
        "/api/v1/patients/{id}/report/pdf/",
        "/api/v1/patients/{id}/fhir/",
        "/api/v1/plans/{id}/progress/",
        "/api/v1/plans/{id}/pdf/",
        "/api/v1/plans/{id}/email/",
        "/api/v1/plans/{id}/template-origin/",
        "/api/v1/plans/{id}/fhir/",
        "/api/v1/plans/{id}/items/{item_id}/",
        "/api/v1/me/push-subscriptions/{id}/",
    ):
        assert path in paths


def test_the_request_log_names_a_router_id_as_the_schema_does(world, caplog):
    caplog.set_level(logging.INFO)
    response = client_for(world.physio).get(f"/api/v1/patients/{world.patient.pk}/assessments/")
    assert response.status_code == 200
    assert route_template(response.wsgi_request) == "/api/v1/patients/{id}/assessments/"
    response = client_for(world.physio).get(f"/api/v1/patients/{world.patient.pk}/audit/")
    assert response.status_code == 200
    assert route_template(response.wsgi_request) == "/api/v1/patients/{id}/audit/"
