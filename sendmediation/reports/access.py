"""Who may read which report: deny by default.

A manager reads every authority's report and the whole service's. A local authority officer reads
their own authority's only: any other authority's is a 404, as a case outside their scope is, and
the whole service's is refused. Everyone else is refused.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import is_la_officer, role_of
from sendmediation.localities.models import LocalAuthority


def can_see_service_report(user: Any) -> bool:
    return role_of(user) == User.Role.MANAGER


def can_see_reports(user: Any) -> bool:
    """A manager, or an officer of an authority (their own authority's report)."""
    return can_see_service_report(user) or is_la_officer(user)


def authority_for(user: Any, code: str) -> LocalAuthority:
    """The authority whose report this person asked for; PermissionDenied or Http404 otherwise."""
    if not can_see_reports(user):
        raise PermissionDenied("Only managers and local authority officers read reports")
    authority = LocalAuthority.objects.filter(code=code.upper()).first()
    if authority is None:
        raise Http404("No such authority")
    if not can_see_service_report(user) and authority.pk != user.local_authority_id:
        raise Http404("No such authority")
    return authority


def check_service(user: Any) -> None:
    if not can_see_service_report(user):
        raise PermissionDenied("Only managers read the whole service's report")


def can_see_dashboard(user: Any) -> bool:
    """The manager dashboard: the whole service's casework, for managers only."""
    return role_of(user) == User.Role.MANAGER


def check_dashboard(user: Any) -> None:
    if not can_see_dashboard(user):
        raise PermissionDenied("Only managers see the dashboard")
