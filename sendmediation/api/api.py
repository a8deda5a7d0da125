"""The JSON API under /api/v1/, with its OpenAPI schema at /api/v1/openapi.json."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from sendmediation.api.errors import ApiError

api = NinjaAPI(
    title="Kestrel SEND Mediation API",
    version="1",
    description=(
        "Public endpoints (coverage, deadlines) need no sign-in and are rate-limited per client. "
        "Staff endpoints need a bearer token. Errors are JSON: "
        '{"error": {"code": "...", "message": "...", "fields": {...}}}. Dates are ISO 8601.'
    ),
    urls_namespace="api",
    docs_url=None,  # the interactive page loads scripts from elsewhere; the schema is enough
)


def _respond(request: HttpRequest, error: ApiError) -> HttpResponse:
    response = api.create_response(request, error.body(), status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


def _field_name(location: Any) -> str:
    """The field as the client wrote it: ("body", "data", "kind") is "kind", not "data.kind"."""
    steps = list(location)
    if steps[:1] == ["body"] and len(steps) > 2:
        steps = steps[2:]  # the second step names the view's argument, which the client never sees
    # A key of a mapping that is not allowed comes with a "[key]" step after it: the key is the field.
    parts = [str(part) for part in steps if part not in ("query", "path", "body", "form", "[key]")]
    return ".".join(parts) or "request"


_MESSAGES = {
    "date_from_datetime_parsing": "Enter a real date in the form YYYY-MM-DD",
    "date_parsing": "Enter a real date in the form YYYY-MM-DD",
    "date_from_datetime_inexact": "Enter a date in the form YYYY-MM-DD",
    "missing": "This is required",
    "extra_forbidden": "Leave this out: this request has no such field",
}


def _message(item: dict[str, Any]) -> str:
    kind = item.get("type", "")
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    message = str(item.get("msg", "Not valid"))
    # A check of our own says what to do; pydantic puts "Value error, " before it.
    return message.removeprefix("Value error, ")


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    for item in exc.errors:
        name = _field_name(item.get("loc", ()))
        fields.setdefault(name, _message(item))
    names = ", ".join(sorted(fields))
    return _respond(request, ApiError(400, "invalid_input", f"Check these fields: {names}", fields=fields))


@api.exception_handler(ApiError)
def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _respond(request, exc)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _respond(request, ApiError(401, "unauthenticated", "Send a valid bearer token."))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _respond(request, ApiError(exc.status_code, "http_error", str(exc)))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, ApiError(404, "not_found", "Not found."))


api.add_router("/deadlines", "sendmediation.api.deadlines.router", tags=["Deadlines"])
api.add_router("/coverage", "sendmediation.api.coverage.router", tags=["Coverage"])
api.add_router("/cases", "sendmediation.api.cases.router", tags=["Cases"])
api.add_router("/cases", "sendmediation.api.agreements.router", tags=["Agreements"])
api.add_router("/cases", "sendmediation.api.meetings.router", tags=["Meetings"])
api.add_router("/schedule", "sendmediation.api.schedule.router", tags=["Schedule"])
api.add_router("/reports", "sendmediation.reports.api.router", tags=["Reports"])
