"""Families see their own case through a signed, expiring link; they never sign in.

The link names the case and carries its family access key, signed with a salt used for nothing
else. It expires after FAMILY_LINK_DAYS; changing the case's key stops every link sent so far.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from sendmediation.cases.models import Case

SALT = "sendmediation.cases.family-link"
FAMILY_LINK_DAYS = 30


def max_age() -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, "FAMILY_LINK_DAYS", FAMILY_LINK_DAYS)))


def family_token(case: Case) -> str:
    return signing.dumps({"c": case.pk, "k": case.family_access_key}, salt=SALT, compress=True)


def family_url(case: Case) -> str:
    """The full address of the family's page, for emails."""
    return settings.SITE_URL + reverse("cases_public:family_case", args=[family_token(case)])


class LinkProblem:
    """Why a token opens nothing: it was never ours (or was changed), it ran out, or it was stopped."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    STOPPED = "stopped"


def check_token(token: str) -> tuple[Case | None, str]:
    """The case a token opens and "", or None and the LinkProblem that says why it opens nothing."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        return None, LinkProblem.EXPIRED
    except signing.BadSignature:
        return None, LinkProblem.UNKNOWN
    if not isinstance(payload, dict):
        return None, LinkProblem.UNKNOWN
    case_id, key = payload.get("c"), payload.get("k")
    if not isinstance(case_id, int) or not isinstance(key, str):
        return None, LinkProblem.UNKNOWN
    case = Case.objects.select_related("local_authority").filter(pk=case_id).first()
    if case is None:
        return None, LinkProblem.UNKNOWN
    if not constant_time_compare(case.family_access_key, key):
        # Signed by us for this case, but its key has changed since: the link was stopped.
        return None, LinkProblem.STOPPED
    return case, ""


def case_for_token(token: str) -> Case | None:
    """The case a token opens, or None when it is forged, expired, or its key has changed."""
    return check_token(token)[0]
