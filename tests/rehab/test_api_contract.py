"""The API keeps its contract: schemathesis drives every operation of the live OpenAPI schema, as the
demo physiotherapist and as the demo patient, and fails on any server error or answer the schema does
not describe (status code, content type, body).

In process (WSGI, no server), on the demo data (`seed_demo --force`) seeded once per module; each
operation runs in its own transaction, rolled back after it. Phases: the schema's examples, coverage
(boundary and invalid values of every parameter and body field), fuzzing, and stateful workflows that
follow the links schemathesis infers (create a check-in, then read it ...). A fixed seed and
derandomized generation: the same inputs on every run.

Slow-ish (about a minute), so it is its own CI step: `bash .ci/contract` (or `API_CONTRACT=1 pytest
tests/rehab/test_api_contract.py`); the ordinary suite skips it. Knobs: API_CONTRACT_EXAMPLES (the
examples per operation in the fuzzing phase, default 25) and API_CONTRACT_STEPS (stateful scenarios,
default 20).

Not exercised: auth/logout/ and auth/logout-all/, which revoke the very tokens the run signs in with
(every later call would be a documented 401 and test nothing); tests/rehab/test_api_tokens.py covers
them.
"""

import os

import pytest

if os.environ.get("API_CONTRACT") != "1":
    pytest.skip("API contract run: bash .ci/contract (API_CONTRACT=1)", allow_module_level=True)

import hypothesis
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck
from rest_framework.test import APIClient
from schemathesis.config import SchemathesisConfig

from rehab.wsgi import application

SEED = 20260412
EXAMPLES = int(os.environ.get("API_CONTRACT_EXAMPLES", "25"))
STEPS = int(os.environ.get("API_CONTRACT_STEPS", "20"))
PASSWORD = "contract-demo-password"

CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance")
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True, "max-steps": 10},
        },
    }
)
# Hypothesis runs each operation's examples inside one test (and one transaction); the demo data and
# the tokens are shared on purpose.
SETTINGS = hypothesis.settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)

# The schema exactly as /api/schema/ serves it (public here, whatever API_DOCS_PUBLIC says).
with override_settings(API_DOCS_PUBLIC=True):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG).exclude(
        path_regex=r"^/api/v1/auth/logout(-all)?/$"
    )


@pytest.fixture(scope="module")
def tokens(django_db_setup, django_db_blocker):
    """The demo data and a token each for the demo physiotherapist and patient, for the whole module."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            DEMO_PASSWORD=PASSWORD,
            MFA_REQUIRED=False,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        call_command("seed_demo", "--force", verbosity=0)
        issued = {}
        for username in ("physio", "patient"):
            answer = APIClient().post("/api/v1/auth/token/", {"username": username, "password": PASSWORD})
            assert answer.status_code == 200, answer.content
            issued[username] = answer.json()["token"]
        yield issued
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _one_connection():
    # A WSGI server closes the database connection after each request; in a test transaction that would
    # end the test's transaction, so keep it open (as Django's test client does).
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def _headers(tokens, who):
    return {"Authorization": f"Token {tokens[who]}"}


@schema.parametrize()
@SETTINGS
def test_every_operation_keeps_the_contract_for_the_physiotherapist(case, tokens, db):
    case.call_and_validate(headers=_headers(tokens, "physio"))


@schema.parametrize()
@SETTINGS
def test_every_operation_keeps_the_contract_for_the_patient(case, tokens, db):
    case.call_and_validate(headers=_headers(tokens, "patient"))


@pytest.mark.parametrize("who", ["physio", "patient"])
def test_workflows_keep_the_contract(who, tokens, db):
    headers = _headers(tokens, who)

    class Workflow(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": headers}

    Workflow.run(settings=hypothesis.settings(SETTINGS, max_examples=STEPS, stateful_step_count=10))
