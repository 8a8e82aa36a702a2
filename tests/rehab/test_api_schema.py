"""The OpenAPI schema says what the API really answers: errors, nullable fields, the plan list's brief
form and which lists are paginated (rehab/api/schema.py). The contract run (test_api_contract.py)
checks live answers against it; these tests pin the shape of the schema itself."""

import pytest
from django.core.management import call_command

from rehab.api.plan_representation import INCLUDES, plan_representation
from tests import builders
from tests.conftest import client_for

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    from rest_framework.test import APIClient

    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _component(schema, ref):
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def test_the_schema_generates_without_a_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert (tmp_path / "schema.yaml").read_text().startswith("openapi:")


def test_every_signed_in_operation_documents_401_with_www_authenticate_403_and_429(schema):
    for path, method, operation in _operations(schema):
        codes = operation["responses"]
        assert "429" in codes, (method, path)
        if {} in operation.get("security", [{}]):
            continue  # open to anyone: sign-in, FHIR metadata
        assert {"401", "403"} <= set(codes), (method, path)
        assert "WWW-Authenticate" in codes["401"]["headers"], (method, path)
        assert codes["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorDetail")


def test_operations_with_an_id_document_404_and_those_with_a_body_400_and_415(schema):
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        if "{" in path:
            assert "404" in codes, (method, path)
        if "requestBody" in operation:
            assert {"400", "415"} <= codes, (method, path)


def test_operations_whose_state_can_refuse_a_change_document_409(schema):
    conflicts = [
        ("post", "/api/v1/alerts/{id}/acknowledge/"),
        ("patch", "/api/v1/plans/{id}/items/{item_id}/"),
        ("patch", "/api/v1/plans/{id}/limits/"),
        ("post", "/api/v1/plans/{id}/activate/"),
        ("post", "/api/v1/plans/{id}/resume/"),
        ("post", "/api/v1/plans/{id}/clearance/"),
    ]
    for method, path in conflicts:
        assert "409" in schema["paths"][path][method]["responses"], (method, path)
    assert "409" not in schema["paths"]["/api/v1/patients/"]["get"]["responses"]


def test_fields_that_can_be_null_are_nullable(schema):
    components = schema["components"]["schemas"]
    for component, field in [
        ("Exercise", "easier"),
        ("Exercise", "harder"),
        ("Alert", "acknowledged_by"),
        ("CheckIn", "supervised_by"),
        ("PlanBrief", "author"),
        ("PlanBrief", "activated_at"),
    ]:
        assert components[component]["properties"][field].get("nullable") is True, (component, field)


def test_the_plan_list_documents_the_brief_form_it_returns(world, schema):
    plan = builders.make_active_plan(world.patient, world.physio)
    listed = client_for(world.physio).get("/api/v1/plans/").json()["results"][0]

    page = schema["paths"]["/api/v1/plans/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    brief = _component(schema, _component(schema, page["$ref"])["properties"]["results"]["items"]["$ref"])
    assert set(brief["properties"]) == set(listed) == set(plan_representation(plan, brief=True))
    assert set(brief["required"]) == set(listed)

    one = schema["paths"]["/api/v1/plans/{id}/"]["get"]["responses"]["200"]["content"]["application/json"]
    full = _component(schema, one["schema"]["$ref"])
    # Compact by default: what `?include=` adds is documented as optional.
    compact, everything = plan_representation(plan), plan_representation(plan, include=frozenset(INCLUDES))
    assert set(full["properties"]) == set(everything)
    assert set(full["required"]) == set(compact)
    item = _component(schema, full["properties"]["items"]["items"]["$ref"])
    assert set(item["properties"]) == set(everything["items"][0])
    assert set(item["required"]) == set(compact["items"][0])


def test_audit_trail_and_plan_history_are_documented_as_the_plain_lists_they_are(world, schema):
    plan = builders.make_active_plan(world.patient, world.physio)
    client = client_for(world.physio)

    for path, url in [
        ("/api/v1/patients/{id}/audit/", f"/api/v1/patients/{world.patient.pk}/audit/"),
        ("/api/v1/plans/{id}/history/", f"/api/v1/plans/{plan.pk}/history/"),
    ]:
        operation = schema["paths"][path]["get"]
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
        assert "page" not in {parameter["name"] for parameter in operation.get("parameters", [])}
        assert isinstance(client.get(url).json(), list)


def test_real_lists_stay_documented_as_pages(schema):
    for path in ("/api/v1/patients/", "/api/v1/plans/", "/api/v1/checkins/", "/api/v1/alerts/"):
        operation = schema["paths"][path]["get"]
        assert "page" in {parameter["name"] for parameter in operation["parameters"]}, path
        assert (
            operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            .split("/")[-1]
            .startswith("Paginated")
        )


def test_path_ids_are_documented_with_their_bounds(schema):
    parameter = next(p for p in schema["paths"]["/api/v1/plans/{id}/pdf/"]["get"]["parameters"] if p["name"] == "id")
    assert parameter["schema"] == {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}
