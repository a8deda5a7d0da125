"""Issuing a mediation certificate."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases import deadlines, workflow
from sendmediation.cases.certificates import new_verification_code, verify_url
from sendmediation.cases.errors import InvalidChange, TransitionNotAllowed
from sendmediation.cases.models import (
    AdviceCall,
    Case,
    CaseEvent,
    Certificate,
    Deadline,
    Decision,
    Party,
)
from sendmediation.cases.references import allocate_certificate_number
from sendmediation.cases.services._common import (
    Status,
    calendar_or_current,
    case_url,
    day_of_last,
    family_link,
    locked,
    move_to,
    record_event,
    refreshed,
    today_or_given,
)
from sendmediation.notifications.services import AttachmentRef, queue_email
from sendmediation.statutory.calendar import WorkingDayCalendar
from sendmediation.statutory.rules import RuleCode

logger = logging.getLogger(__name__)


def _check_certificate_facts(case: Case, kind: str) -> None:
    if not [code for code in case.decisions if code != Decision.NOT_SURE]:
        raise InvalidChange(
            "Enter the decision the family disagrees with before issuing a certificate", field="decisions"
        )
    if case.decision_letter_sent is None:
        raise InvalidChange(
            "Enter the date the decision letter was sent before issuing a certificate",
            field="decision_letter_sent",
        )
    if not case.parties.filter(role__in=Party.FAMILY_ROLES).exists():
        raise InvalidChange("Add the parent or young person before issuing a certificate", field="parties")
    if kind == Certificate.Kind.AFTER_ADVICE:
        last = case.advice_calls.latest_reached()
        if last is None or last.outcome != AdviceCall.Outcome.DECLINES_MEDIATION:
            raise InvalidChange(
                "Record that the family does not want mediation before issuing this certificate", field="kind"
            )


def issue_certificate(
    *,
    actor: User,
    case: Case,
    kind: str = Certificate.Kind.AFTER_ADVICE,
    calendar: WorkingDayCalendar | None = None,
    today: datetime.date | None = None,
) -> Certificate:
    """Issue the mediation certificate, dated the day it is issued: it meets its deadline, restarts
    the appeal clock, is rendered to PDF and emailed to the family, and the local authority is told
    if it takes part in the case. A certificate revoked on this case is marked as replaced by it."""
    kind = Certificate.Kind(kind)
    day = today_or_given(today)
    cal = calendar_or_current(calendar)
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("issue_certificate", case=current, user=actor, to=Status.CERTIFICATE_ISSUED)
        workflow.check_certificate(kind, case=current, user=actor)
        _check_certificate_facts(current, kind)
        not_arranged = kind == Certificate.Kind.NOT_ARRANGED
        certificate = Certificate.objects.create(
            case=current,
            number=allocate_certificate_number(on=day),
            kind=kind,
            issued_on=day,
            issued_by=actor,
            authority_name=current.local_authority.name,
            child_initials=current.child_initials,
            decisions=[code for code in current.decisions if code != Decision.NOT_SURE],
            decision_letter_sent=current.decision_letter_sent,
            mediation_requested_on=(
                day_of_last(current, CaseEvent.Kind.MEDIATION_REQUESTED, "requested_on")
                if not_arranged
                else None
            ),
            not_arranged_on=(
                day_of_last(current, CaseEvent.Kind.MEDIATION_NOT_ARRANGED, "told_on")
                if not_arranged
                else None
            ),
            verification_code=new_verification_code(),
        )
        replaced = (
            current.certificates.filter(revoked_on__isnull=False, replaced_by__isnull=True)
            .exclude(pk=certificate.pk)
            .order_by("-revoked_on", "-id")
            .first()
        )
        if replaced is not None:
            replaced.replaced_by = certificate
            replaced.save(update_fields=["replaced_by"])
        before = move_to(current, Status.CERTIFICATE_ISSUED)
        # The certificate's date restarts the family's appeal clock.
        deadlines.recompute_deadlines(current, calendar=cal)
        appeal = Deadline.objects.filter(case=current, rule=RuleCode.APPEAL_BY).first()
        family = current.parties.family_contact()
        emailed = bool(family and family.email)
        la_recipients = _la_recipients(current)
        record_event(
            current,
            CaseEvent.Kind.CERTIFICATE_ISSUED,
            actor,
            calendar=cal,
            data={
                "from": before,
                "to": current.status,
                "certificate": certificate.number,
                "certificate_kind": kind,
                "issued_on": day,
                "replaces": replaced.number if replaced is not None else "",
                "appeal_by": appeal.due if appeal else None,
                "family_emailed": emailed,
                "la_emailed": bool(la_recipients),
            },
        )
        # Rendering is queued first so that, where tasks run at once, the PDF exists before the email goes.
        transaction.on_commit(lambda: _render_certificate(certificate.pk), robust=True)
        if family is not None and family.email:
            queue_email(
                to=family.email,
                template="certificate_issued",
                context={
                    "reference": current.reference,
                    "name": family.name,
                    "certificate_number": certificate.number,
                    "issued_on": day.isoformat(),
                    "appeal_by": appeal.due.isoformat() if appeal else "",
                    "case_link": family_link(current),
                    "verification_code": certificate.verification_code,
                    "verify_url": verify_url(),
                },
                dedupe_key=f"certificate-issued:{certificate.pk}:family",
                attachments=[
                    AttachmentRef.resolved(
                        "sendmediation.cases.certificates.pdf_bytes",
                        str(certificate.pk),
                        filename=f"mediation-certificate-{certificate.number}.pdf",
                        content_type="application/pdf",
                    )
                ],
                case=current,
            )
        if la_recipients:
            queue_email(
                to=la_recipients,
                template="certificate_issued_la",
                context={
                    "reference": current.reference,
                    "authority_name": current.local_authority.name,
                    "certificate_number": certificate.number,
                    "issued_on": day.isoformat(),
                    "case_url": case_url(current),
                    "verification_code": certificate.verification_code,
                    "verify_url": verify_url(),
                },
                dedupe_key=f"certificate-issued:{certificate.pk}:la",
                case=current,
            )
    logger.info(
        "Certificate id=%s issued on case %s by user id=%s", certificate.pk, current.reference, actor.pk
    )
    refreshed(case, current)
    return certificate


def revoke_certificate(
    *,
    actor: User,
    case: Case,
    certificate: Certificate,
    reason: str,
    calendar: WorkingDayCalendar | None = None,
    today: datetime.date | None = None,
) -> Certificate:
    """A certificate issued in error is revoked: /verify/ says so from now on, and the case goes
    back to where it was before, so that a corrected one can be issued."""
    if not reason.strip():
        raise InvalidChange("Enter why the certificate is being revoked", field="reason")
    day = today_or_given(today)
    cal = calendar_or_current(calendar)
    with transaction.atomic():
        current = locked(case, actor)
        workflow.check("revoke_certificate", case=current, user=actor)
        row = Certificate.objects.select_for_update().filter(pk=certificate.pk, case=current).first()
        if row is None:
            raise InvalidChange("Choose a certificate issued on this case", field="certificate")
        if row.is_revoked:
            raise TransitionNotAllowed(
                f"Cannot revoke certificate {row.number}: it was revoked on {row.revoked_on}",
                action="revoke_certificate",
                status=current.status,
            )
        rule = workflow.check_certificate(row.kind, case=current, user=actor, revoking=True)
        workflow.check("revoke_certificate", case=current, user=actor, to=rule.source)
        row.revoked_on, row.revoked_by, row.revoked_reason = day, actor, reason.strip()
        row.save(update_fields=["revoked_on", "revoked_by", "revoked_reason"])
        before = move_to(current, rule.source)
        record_event(
            current,
            CaseEvent.Kind.CERTIFICATE_REVOKED,
            actor,
            calendar=cal,
            data={
                "from": before,
                "to": current.status,
                "certificate": row.number,
                "revoked_on": day,
                "reason": reason.strip(),
            },
        )
        deadlines.recompute_deadlines(current, calendar=cal)
    logger.info("Certificate id=%s revoked on case %s by user id=%s", row.pk, current.reference, actor.pk)
    refreshed(case, current)
    return row


def _render_certificate(certificate_id: int) -> None:
    from sendmediation.cases.tasks import render_certificate_task

    render_certificate_task.enqueue(certificate_id)


def _la_recipients(case: Case) -> list[str]:
    """The authority's officers on the case; otherwise its officers who use the service.

    Nobody, unless the authority takes part in the case (docs/access.md): after advice alone the
    certificate is the family's, to use or not, and the authority sees it with the appeal.
    """
    if not Case.objects.taking_part(case.local_authority_id).filter(pk=case.pk).exists():
        return []
    on_case = list(
        case.parties.filter(role=Party.Role.LA_OFFICER).exclude(email="").values_list("email", flat=True)
    )
    if on_case:
        return list(dict.fromkeys(on_case))
    officers = User.objects.filter(
        role=User.Role.LA_OFFICER, local_authority=case.local_authority, is_active=True
    ).exclude(email="")
    return list(dict.fromkeys(officers.order_by("id").values_list("email", flat=True)))


def certificate_asked_on(case: Case) -> datetime.date | None:
    """The day the family asked for its certificate after the mediation, if it has."""
    held = case.events.filter(kind=CaseEvent.Kind.MEDIATION_HELD).order_by("-at", "-id").first()
    asked = case.events.filter(kind=CaseEvent.Kind.CERTIFICATE_ASKED)
    if held is not None:
        asked = asked.filter(at__gte=held.at)
    event = asked.order_by("-at", "-id").first()
    return None if event is None else timezone.localdate(event.at)


def may_ask_for_certificate(case: Case) -> bool:
    """After a mediation, until the certificate is issued, the family can ask for it."""
    return case.kind == Case.Kind.MEDIATION and case.status == Status.MEDIATION_HELD


def ask_for_certificate(*, case: Case) -> bool:
    """The family asks, from its own link, for the certificate after mediation (regulation 39: due
    within 3 working days of the mediation). The mediator and the coordinator are told. Returns
    False when it had already asked, so that asking twice tells nobody twice."""
    with transaction.atomic():
        current = Case.objects.select_for_update().get(pk=case.pk)
        if not may_ask_for_certificate(current):
            raise TransitionNotAllowed(
                "You cannot ask for a certificate after mediation now: "
                f"the case is '{current.get_status_display().lower()}'",
                action="ask_for_certificate",
                status=current.status,
            )
        if certificate_asked_on(current) is not None:
            return False
        event = record_event(current, CaseEvent.Kind.CERTIFICATE_ASKED, None, via="family link")
        due = (
            Deadline.objects.filter(case=current, rule=RuleCode.CERTIFICATE_AFTER_MEDIATION)
            .running()
            .values_list("effective_due", flat=True)
            .first()
        )
        staff = {
            user.email for user in (current.mediator, current.coordinator) if user is not None and user.email
        }
        for address in sorted(staff):
            queue_email(
                to=address,
                template="certificate_asked",
                context={"reference": current.reference, "case_url": case_url(current), "due": due},
                dedupe_key=f"certificate-asked:{event.pk}:{address}",
                case=current,
            )
    logger.info("Case %s: the family asked for its certificate after mediation", current.reference)
    return True
