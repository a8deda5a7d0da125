"""Staff pages: messages that could not be sent (with a retry), and previews of every email."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from sendmediation.accounts.permissions import can_manage_emails
from sendmediation.notifications import services
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.registry import MESSAGE_TYPES, UnknownMessageType, message_type

FAILED_SHOWN = 200
# The email's own inline styles may run inside the sandboxed preview frame, nothing else.
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'self'"
)


def coordinators_and_managers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_manage_emails(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_safe
@coordinators_and_managers
def outbox(request: HttpRequest) -> HttpResponse:
    failed = list(OutboxMessage.objects.failed().order_by("-updated_at", "-id")[:FAILED_SHOWN])
    retrying = list(OutboxMessage.objects.retrying().order_by("next_attempt_at", "id")[:FAILED_SHOWN])
    titles = {name: kind.title for name, kind in MESSAGE_TYPES.items()}
    for message in [*failed, *retrying]:
        message.title = titles.get(message.template, message.template)  # type: ignore[attr-defined]
    return render(
        request,
        "notifications/outbox.html",
        {
            "failed": failed,
            "failed_count": OutboxMessage.objects.failed().count(),
            "retrying": retrying,
            "retrying_count": OutboxMessage.objects.retrying().count(),
            "queued_count": OutboxMessage.objects.queued().count(),
            "sending_count": OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING).count(),
        },
    )


@require_POST
@coordinators_and_managers
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        message = services.retry_failed_email(message_pk=pk, actor=request.user)
    except OutboxMessage.DoesNotExist:
        raise Http404 from None
    except services.NotRetryable:
        messages.info(request, "That email is no longer failed, so it was not retried.")
        return redirect("notifications:outbox")
    reference = f" for {message.case_reference}" if message.case_reference else ""
    messages.success(request, f"The email{reference} will be sent again shortly.")
    return redirect("notifications:outbox")


@require_safe
@coordinators_and_managers
def previews(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/previews.html", {"message_types": MESSAGE_TYPES.values()})


def _sample(request: HttpRequest, name: str) -> tuple[Any, str, services.RenderedMessage]:
    variant = request.GET.get("variant", "")
    try:
        kind = message_type(name)
        sample = kind.sample_for(variant)
    except (UnknownMessageType, KeyError):
        raise Http404 from None
    return kind, variant, services.render_message(kind.name, sample)


@require_safe
@coordinators_and_managers
def preview(request: HttpRequest, name: str) -> HttpResponse:
    kind, variant, rendered = _sample(request, name)
    return render(
        request,
        "notifications/preview.html",
        {
            "kind": kind,
            "rendered": rendered,
            "variant": variant,
            "variant_label": kind.variants[variant][0] if variant else "",
            "variants": [(key, label) for key, (label, _changes) in kind.variants.items()],
        },
    )


@require_safe
@coordinators_and_managers
@xframe_options_sameorigin
def preview_html(request: HttpRequest, name: str) -> HttpResponse:
    _, _variant, rendered = _sample(request, name)
    response = HttpResponse(rendered.html)
    response["Content-Security-Policy"] = PREVIEW_POLICY
    return response
