"""What every page that acts on a case does first, wherever the page lives (cases, meetings,
agreements): a role that may never do the action is refused (403); a case where the action cannot
be taken now gets a page that says why (409), like the case's own action pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sendmediation.cases import workflow
from sendmediation.cases.models import Case


def refuse_unless_allowed(request: HttpRequest, case: Case, action: str) -> HttpResponse | None:
    """None when this person may take ``action`` on ``case`` now; otherwise the refusal to send."""
    definition = workflow.ACTIONS[action]
    if not workflow.role_allows(definition, request.user):
        raise PermissionDenied(f"You cannot {definition.verb}")
    if workflow.is_allowed(action, case=case, user=request.user):
        return None
    return render(
        request,
        "cases/not_now.html",
        {
            "case": case,
            "label": workflow.label_for(definition, case),
            "problem": f"You cannot {definition.verb} now: the case is '{case.get_status_display().lower()}'",
        },
        status=409,
    )
