"""Post/redirect/get for a form with errors, so the browser's Back button always finds a page.

A form posted with mistakes used to be answered with the page itself. That page is the result of a
POST: going Back to it later makes the browser ask to send the form again ("Confirm Form
Resubmission"). Instead, what was typed and the errors are kept in the session for one view and the
browser is sent to the same address with GET (303), which shows them. Each is shown once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponseRedirect, QueryDict

from sendmediation.common.govuk_forms import messages as govuk_messages

F = TypeVar("F", bound=forms.BaseForm)

_PREFIX = "invalid-form:"
# Never kept: the token changes, and a file cannot be kept in the session.
_LEFT_OUT = frozenset({"csrfmiddlewaretoken"})


def keep_and_redirect(request: HttpRequest, form: forms.BaseForm, *, key: str) -> HttpResponseRedirect:
    """Keep what was typed and the form's errors, and send the browser back to this page with GET."""
    typed = [(name, values) for name, values in request.POST.lists() if name not in _LEFT_OUT]
    errors = {
        field: govuk_messages(form[field]) if field != NON_FIELD_ERRORS else [str(m) for m in said]
        for field, said in form.errors.items()
    }
    request.session[_PREFIX + key] = {"typed": typed, "errors": errors}
    return HttpResponseRedirect(request.get_full_path(), status=303)


def restore(request: HttpRequest, make_form: Callable[..., F], *, key: str) -> F | None:
    """The form as it was posted, with its errors, when this is the view after a failed post."""
    kept: Any = request.session.pop(_PREFIX + key, None)
    if not isinstance(kept, dict):
        return None
    data = QueryDict(mutable=True)
    for name, values in kept.get("typed", []):
        data.setlist(name, values)
    form = make_form(data)
    errors = ErrorDict(renderer=form.renderer)
    for field, messages in kept.get("errors", {}).items():
        kind = "nonfield" if field == NON_FIELD_ERRORS else None
        errors[field] = form.error_class(messages, error_class=kind, renderer=form.renderer)
    # Shown as they were found when posted, without checking again (a file cannot come back).
    form._errors = errors  # type: ignore[attr-defined]
    return form
