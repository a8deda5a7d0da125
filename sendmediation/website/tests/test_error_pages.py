"""The pages shown when something goes wrong: 400, 403, 404 and 500.

They follow the GOV.UK Design System's "page not found" and "there is a problem with the service"
patterns: a plain heading, what to do next and how to reach us, and never a technical detail.
"""

import re
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.views.decorators.http import require_safe
from django.views.defaults import server_error

from config.brand import brand
from config.urls import urlpatterns as site_urlpatterns
from sendmediation.cases.tests.builders import open_case

# A detail that must never reach the reader.
SECRET = "internal-detail-4f1c"


def _bad_request(request: HttpRequest) -> HttpResponse:
    raise BadRequest(SECRET)


def _permission_denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(SECRET)


def _server_error(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET)


def _database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError(f"could not connect to server: {SECRET}")


def _public(view: Any) -> Any:
    from django.contrib.auth.decorators import login_not_required

    return login_not_required(require_safe(view))


# The site's own addresses (the pages link to them) with four that fail on purpose in front.
urlpatterns = [
    path("test-errors/bad-request/", _public(_bad_request)),
    path("test-errors/permission-denied/", _public(_permission_denied)),
    path("test-errors/server-error/", _public(_server_error)),
    path("test-errors/database-down/", _public(_database_down)),
    *site_urlpatterns,
]

with_failing_views = pytest.mark.urls(__name__)

HEADINGS = {
    400: "Sorry, we could not open that page",
    403: "You do not have permission to see this page",
    404: "Page not found",
    500: "Sorry, there is a problem with the service",
}


def _heading(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    assert match, "the page has no heading"
    return match.group(1).strip()


def _assert_error_page(response: Any, status: int) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert _heading(html) == HEADINGS[status]
    assert f"<title>{HEADINGS[status]} \N{EN DASH} {brand()['service_name']}</title>" in html
    assert '<html lang="en-GB" class="govuk-template">' in html
    assert "/static/website/css/app.css" in html
    assert 'href="#main-content"' in html
    # How to reach us, from the brand settings.
    assert brand()["phone"] in html
    assert f'href="mailto:{brand()["email"]}"' in html
    # Nothing technical: no status codes, exception names, messages or tracebacks.
    for leak in (SECRET, "Traceback", "Exception", "Error (", "Not Found", "Forbidden", str(status)):
        assert leak not in _main(html), leak
    return html


def _main(html: str) -> str:
    match = re.search(r"<main\b.*?</main>", html, re.DOTALL)
    assert match, "the page has no main landmark"
    return match.group(0)


def test_the_tests_run_with_debug_off():
    assert settings.DEBUG is False


# 404


@pytest.mark.django_db
def test_an_address_that_does_not_exist_shows_page_not_found(client):
    html = _assert_error_page(client.get("/no-such-page/"), 404)
    assert "If you typed the web address, check it is correct." in html
    assert "If you pasted the web address, check you copied the entire address." in html
    assert f'href="{reverse("website:home")}"' in html
    assert "Go to your work" not in html
    assert "/no-such-page/" not in html


def _same_page(html: str) -> str:
    """The page without what changes on every response: the script nonce, the form token and the
    signed-in countdown (whole seconds, so two pages a moment apart can differ by one)."""
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    html = re.sub(r'data-seconds-left="[^"]*"', 'data-seconds-left=""', html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', html)


@pytest.mark.django_db
def test_a_case_outside_someones_scope_looks_exactly_like_one_that_does_not_exist(personas):
    case = open_case(personas)
    missing = "MED-2026-999999"

    def page_for(user: Any, reference: str) -> str:
        browser = Client()
        browser.force_login(user)
        response = browser.get(reverse("cases:case_detail", args=[reference]))
        html = _assert_error_page(response, 404)
        assert reference not in html
        return _same_page(html)

    coordinator = Client()
    coordinator.force_login(personas.coordinator)
    assert coordinator.get(reverse("cases:case_detail", args=[case.reference])).status_code == 200

    unknown_to_coordinator = page_for(personas.coordinator, missing)
    assert "Go to your work" in unknown_to_coordinator
    # The mediator is not assigned to the case; the other authority's officer is from Kent.
    for outsider in (personas.mediator, personas.other_la_officer):
        out_of_scope = page_for(outsider, case.reference)
        assert out_of_scope == page_for(outsider, missing)
        assert _main(out_of_scope) == _main(unknown_to_coordinator)
        for detail in (case.child_first_name, case.child_last_name, "Westminster"):
            assert detail not in out_of_scope


# 403


@pytest.mark.django_db
@with_failing_views
def test_permission_denied_shows_the_access_denied_page_without_the_reason(client):
    html = _assert_error_page(client.get("/test-errors/permission-denied/"), 403)
    assert "ask a manager to check what your account can do" in html


# 400


@pytest.mark.django_db
@with_failing_views
def test_a_bad_request_shows_the_bad_request_page(client):
    html = _assert_error_page(client.get("/test-errors/bad-request/"), 400)
    assert "If you typed the web address, check it is correct." in html


@pytest.mark.django_db
def test_a_request_for_a_host_we_do_not_serve_shows_the_bad_request_page(client):
    _assert_error_page(client.get("/", HTTP_HOST="elsewhere.example"), 400)


# 500


@pytest.mark.django_db
@with_failing_views
def test_an_unexpected_error_shows_the_problem_with_the_service_page():
    client = Client(raise_request_exception=False)
    html = _assert_error_page(client.get("/test-errors/server-error/"), 500)
    assert "Try again later." in html
    assert "RuntimeError" not in html
    assert "<script" not in html  # nothing that needs the request's nonce


# No django_db marker: any query at all fails the test, as it would with the database down.
@with_failing_views
def test_the_problem_with_the_service_page_draws_with_the_database_down():
    from sendmediation.accounts.models import User

    with pytest.raises(RuntimeError, match="Database access not allowed"):
        User.objects.exists()
    client = Client(raise_request_exception=False)
    html = _assert_error_page(client.get("/test-errors/database-down/"), 500)
    assert "could not connect" not in html
    assert "OperationalError" not in html


def test_djangos_own_server_error_view_draws_the_page_without_a_database_or_request_context():
    response = server_error(RequestFactory().get("/"))
    html = _assert_error_page(response, 500)
    assert brand()["service_name"] in html
    assert brand()["organisation_name"] in html


# In a real browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@with_failing_views
@pytest.mark.parametrize(
    ("address", "status"),
    [("/no-such-page/", 404), ("/test-errors/server-error/", 500)],
)
def test_error_pages_have_no_axe_violations(live_server, page, assert_accessible, address, status):
    response = page.goto(live_server.url + address)
    assert response.status == status
    assert page.get_by_role("heading", level=1).inner_text() == HEADINGS[status]
    assert_accessible(page, label=HEADINGS[status])


# A form without its security token


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/request/who/", "/sign-in/"])
def test_a_form_sent_without_its_security_token_says_what_to_do_in_the_sites_layout(url):
    client = Client(enforce_csrf_checks=True)
    client.get("/request/")
    response = client.post(url, {"who": "parent", "username": "cora", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert _heading(html) == "Sorry, we could not send your answers"
    assert '<html lang="en-GB" class="govuk-template">' in html and 'href="#main-content"' in html
    assert "Go back to the page, reload it, then send your answers again." in html
    assert brand()["phone"] in html and f'href="mailto:{brand()["email"]}"' in html
    for leak in ("CSRF", "csrf", "token", "Forbidden", "403"):
        assert leak not in _main(html), leak
