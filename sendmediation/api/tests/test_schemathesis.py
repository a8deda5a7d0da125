"""The API keeps to its own OpenAPI schema, with a staff token and without one.

Schemathesis reads /api/v1/openapi.json from the app and calls every operation in this process (no
server), with requests that fit the schema and requests that do not. Every default check runs: no
5xx, status codes, headers and bodies as documented, requests that break the schema refused, and
requests that fit it not refused ("valid request rejected"). Examples are bounded and derandomised,
so a run repeats exactly.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from sendmediation.accounts.models import ApiToken
from sendmediation.accounts.tokens import create_api_token
from sendmediation.api.api import api
from sendmediation.cases.tests.builders import open_case

EXAMPLES = 12
pytestmark = pytest.mark.django_db


def _load_schema() -> Any:
    """The schema /api/v1/openapi.json serves (test_the_schema_tested_is_the_one_served checks), with
    the app to call in this process."""
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    loaded.app = get_wsgi_application()
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES,
        deterministic=True,
        database="none",
    )
    return loaded


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """The app is called in the test's own transaction. As Django's test client does, stop the end
    of each request closing the connection, which on PostgreSQL would end that transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_staff_limit(settings):
    settings.STAFF_API_RATE_LIMIT = 0  # hundreds of calls a minute from one token, on purpose


@pytest.fixture
def staff_token(personas):
    """A manager's read-and-act token, with cases in the manager's scope to read and act on."""
    open_case(personas)
    _, token = create_api_token(user=personas.manager, scope=ApiToken.Scope.READ_AND_ACT)
    return token


def test_the_schema_tested_is_the_one_served(client):
    assert client.get("/api/v1/openapi.json").json() == schema.raw_schema


# Rules between a request's fields, or against the working-day calendar's range, that an OpenAPI
# schema cannot state. A request that fits the schema and breaks one of these is refused with a 400
# naming the field and saying why; any other 400 to a request that fits the schema is a failure.
_OUTSIDE_CALENDAR = re.compile(r"Enter a date from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}")
_CERTIFICATE_FIRST = re.compile("The certificate cannot be issued before the decision letter was sent")
CROSS_FIELD_RULES: dict[tuple[str, str], dict[str, list[re.Pattern[str]]]] = {
    ("GET", "/api/v1/deadlines"): {
        "decision_letter_sent": [_OUTSIDE_CALENDAR],
        "certificate_issued": [_OUTSIDE_CALENDAR, _CERTIFICATE_FIRST],
    },
    ("GET", "/api/v1/deadlines/rules/{code}"): {
        "from": [_OUTSIDE_CALENDAR],
        "certificate_issued": [
            _OUTSIDE_CALENDAR,
            _CERTIFICATE_FIRST,
            re.compile(r"Leave this out: \w+ does not take a certificate date"),
        ],
        "order": [
            re.compile(r"Give the order type: one of .+"),
            re.compile(r"Leave this out: \w+ does not take an order type"),
        ],
    },
    ("GET", "/api/v1/cases"): {"open": [re.compile("Choose a status or open cases, not both")]},
    ("GET", "/api/v1/reports/service"): {
        "from": [
            re.compile("Enter the first day of the period"),
            re.compile("The first day must be on or after 1 January 2000"),
            re.compile("The first day must be today or in the past"),
        ],
        "to": [
            re.compile("Enter the last day of the period"),
            re.compile("The last day must be on or after 1 January 2000"),
            re.compile("The last day must be today or in the past"),
            re.compile("The last day must be the same as or after the first day"),
        ],
    },
    ("PATCH", "/api/v1/cases/{reference}"): {"local_authority": [re.compile("Unknown code")]},
    # Values that must name a record that exists: a schema can say only what one looks like.
    ("POST", "/api/v1/cases"): {"local_authority": [re.compile("Unknown code")]},
    ("POST", "/api/v1/schedule/proposals"): {
        "cases": [re.compile(r".*: no case you can see with that reference is waiting for a meeting")]
    },
}


def _breaks_only_a_cross_field_rule(case: Any, response: Any) -> bool:
    key = (case.method.upper(), case.path)
    rules = CROSS_FIELD_RULES.get(key, {})
    if not rules or response.status_code != 400:
        return False
    fields = response.json()["error"]["fields"]
    return bool(fields) and all(
        any(rule.fullmatch(message) for rule in rules.get(field, [])) for field, message in fields.items()
    )


@schemathesis.check
def valid_requests_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis's "valid request rejected" check, less the rules above."""
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if positive and _breaks_only_a_cross_field_rule(case, response):
        return None
    return positive_data_acceptance(ctx, response, case)


def _call_and_validate(case: Any, **headers: str) -> None:
    case.call_and_validate(
        headers=headers,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_requests_accepted],
    )


@schema.parametrize()
# One token for all of an operation's examples, on purpose.
@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_keeps_to_its_schema_with_a_staff_token(case, staff_token):
    _call_and_validate(case, Authorization=f"Bearer {staff_token}")


@schema.parametrize()
def test_the_api_keeps_to_its_schema_without_a_token(case):
    _call_and_validate(case)
