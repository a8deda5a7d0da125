"""Stopping the family's link, and sending the family a new one.

The link carries the case's family access key: a new key stops every link sent so far, in emails,
browsers' histories or forwarded messages alike. Withdrawing a case stops it too (closing.py)."""

from __future__ import annotations

from django.db import transaction

from sendmediation.accounts.models import User
from sendmediation.cases import workflow
from sendmediation.cases.errors import InvalidChange
from sendmediation.cases.models import Case, CaseEvent, Party
from sendmediation.cases.models.case import new_family_access_key
from sendmediation.cases.services._common import family_link, locked, record_event, refreshed
from sendmediation.notifications.services import queue_email


def _reason(reason: str, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidChange(f"Enter why {what}", field="reason")
    return text


def stop_family_link(case: Case) -> None:
    """Give the (locked) case a new key: every link made with the old one stops working. The caller
    records why on the event it writes."""
    case.family_access_key = new_family_access_key()
    case.save(update_fields=["family_access_key", "updated_at"])


def _record_stopped(case: Case, actor: User, reason: str) -> None:
    # Staff's reason only: never the key or a link.
    record_event(case, CaseEvent.Kind.FAMILY_LINK_REVOKED, actor, reason=reason)


def revoke_family_link(*, actor: User, case: Case, reason: str) -> Case:
    """Stop every link to the family's page sent so far, and send none in its place."""
    text = _reason(reason, "the family's link is being stopped")
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("revoke_family_link", case=current, user=actor)
        stop_family_link(current)
        _record_stopped(current, actor, text)
    return refreshed(case, current)


def reissue_family_link(*, actor: User, case: Case, reason: str) -> Case:
    """Stop the old link and email a new one to each of the family's contacts with an email address."""
    text = _reason(reason, "the family needs a new link")
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("reissue_family_link", case=current, user=actor)
        if current.anonymised_on is not None:
            raise InvalidChange("The case's personal data has been removed: there is nobody to send it to")
        family = [
            party
            for party in current.parties.filter(role__in=Party.FAMILY_ROLES).order_by("id")
            if party.email
        ]
        if not family:
            raise InvalidChange(
                "The family has no email address on the case. Add one, or give them the news by phone",
                field="reason",
            )
        stop_family_link(current)
        _record_stopped(current, actor, text)
        link = family_link(current)
        event = record_event(
            current,
            CaseEvent.Kind.FAMILY_LINK_REISSUED,
            actor,
            sent_to=[party.pk for party in family],
        )
        for party in family:
            queue_email(
                to=party.email,
                template="family_link_reissued",
                context={"reference": current.reference, "name": party.name, "case_link": link},
                dedupe_key=f"family-link-reissued:{event.pk}:{party.pk}",
                case=current,
            )
    return refreshed(case, current)
