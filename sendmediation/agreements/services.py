"""The front doors for an agreement: write it down, send it for signature, sign it, copy it to everybody.

Like casework's services, each takes keyword arguments only, runs in one transaction, checks the
workflow table (``record_agreement``, ``send_for_signature``, ``record_wet_signature``), writes its
rows and a ``CaseEvent``, and queues its emails in the same transaction. The last signature writes
``agreement_signed``, which starts the regulation 42 dates (``cases.deadlines``).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import secrets
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.agreements.models import (
    Agreement,
    AgreementCopy,
    AgreementItem,
    Signature,
    SignatureRequest,
)
from sendmediation.agreements.pdf import render_agreement_pdf, render_signed_pdf
from sendmediation.cases import workflow
from sendmediation.cases.errors import CaseworkError, InvalidChange, TransitionNotAllowed
from sendmediation.cases.models import Case, CaseEvent, Party
from sendmediation.cases.services import MAX_DOCUMENT_BYTES
from sendmediation.cases.services._common import family_link, locked, record_event
from sendmediation.cases.signals import case_stopped
from sendmediation.common.uploads import FileKind, UploadRefused, check_upload
from sendmediation.notifications.services import AttachmentRef, queue_email
from sendmediation.statutory.calendar import format_date
from sendmediation.statutory.rules import ORDER_TYPES, RuleCode

logger = logging.getLogger(__name__)

DUTIES = (
    RuleCode.AGREEMENT_NON_APPEALABLE,
    RuleCode.AGREEMENT_AS_ORDER,
    RuleCode.AGREEMENT_HEALTH_NOTIFIES_LA,
)
SIGNING_LINK_DAYS = 14
MAX_ITEMS = 100
# What the browser (or the API's caller) says the scan is must be one of these, and so must what its
# content shows (sendmediation/common/uploads.py).
SCAN_TYPES = frozenset({FileKind.PDF, FileKind.JPEG, FileKind.PNG})
SCAN_TYPE_REFUSED = "The selected file must be a PDF, JPG or PNG"
SCAN_CONTENT_REFUSED = "The selected file is not a PDF, JPG or PNG"

# What kind of order each decision disputed makes an agreement on it (reg 44), in the order tried.
ORDER_FOR_DECISION = {
    "refused_assessment": "assess",
    "refused_reassessment": "assess",
    "refused_plan": "make_plan",
    "cease": "make_plan",
    "placement": "name_school",
    "needs": "amend",
    "provision": "amend",
    "refused_amendment": "amend",
}
# Words in "who does it" that mean the local authority or the health commissioner.
AUTHORITY_WORDS = re.compile(
    r"\b(local authority|council|LA|integrated care board|ICB|NHS|health commissioner)\b", re.IGNORECASE
)


class SigningLinkError(CaseworkError):
    """A signing link that does not open a signature: unknown, expired, used or voided."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ItemIn(NamedTuple):
    what: str
    who: str
    by: datetime.date | None = None


# --- reading -----------------------------------------------------------------------------------


def agreement_for(case: Case) -> Agreement | None:
    return Agreement.objects.filter(case=case).first()


def signing_link_days() -> int:
    return int(getattr(settings, "AGREEMENT_SIGNING_LINK_DAYS", SIGNING_LINK_DAYS))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def default_duties(case: Case) -> tuple[list[str], str]:
    """Sensible duties for a new agreement, with an order type where one is needed.

    Decisions disputed: the agreement is treated as an order; health issues with a health
    commissioner and no local authority officer among the parties: the commissioner tells the
    authority; otherwise: matters that cannot be appealed."""
    roles = set(case.parties.values_list("role", flat=True))
    if case.issues_health and Party.Role.HEALTH_COMMISSIONER in roles and Party.Role.LA_OFFICER not in roles:
        return [RuleCode.AGREEMENT_HEALTH_NOTIFIES_LA], ""
    order = next((ORDER_FOR_DECISION[code] for code in case.decisions if code in ORDER_FOR_DECISION), "")
    if order:
        return [RuleCode.AGREEMENT_AS_ORDER], order
    return [RuleCode.AGREEMENT_NON_APPEALABLE], ""


def duty_reasons(case: Case) -> dict[str, str]:
    """Why each duty would apply, in words, for the form."""
    return {
        RuleCode.AGREEMENT_NON_APPEALABLE: (
            "The local authority or health commissioner agreed something that cannot be appealed to the "
            "Tribunal: it must do it within 2 weeks (regulation 42(3))."
        ),
        RuleCode.AGREEMENT_AS_ORDER: (
            "The agreement is about a decision that can be appealed ("
            + (", ".join(case.decision_labels()) or "none recorded")
            + "): the local authority must act as if the Tribunal had ordered it (regulations 42(2) and 44)."
        ),
        RuleCode.AGREEMENT_HEALTH_NOTIFIES_LA: (
            "The health commissioner agreed something and the local authority is not a party: the "
            "commissioner must tell the authority within 1 week (regulation 42(4))."
        ),
    }


# --- checking what was typed -------------------------------------------------------------------

# An agreement is written at a meeting: one must have been held on the case.
_HELD = (CaseEvent.Kind.MEDIATION_HELD, CaseEvent.Kind.DR_MEETING_HELD)


def _item(raw: Any) -> ItemIn:
    if isinstance(raw, Mapping):
        return ItemIn(str(raw.get("what", "")), str(raw.get("who", "")), raw.get("by"))
    what, who, *rest = raw
    return ItemIn(str(what), str(who), rest[0] if rest else None)


def _held_on(case: Case) -> datetime.date | None:
    """The day the last mediation or meeting on the case was held, if it was recorded."""
    event = case.events.filter(kind__in=_HELD).order_by("-id").first()
    raw = (event.data or {}).get("held_on") if event is not None else None
    try:
        return datetime.date.fromisoformat(str(raw)[:10]) if raw else None
    except ValueError:
        return None


def _checked_items(items: Sequence[Any], case: Case) -> list[tuple[str, str, datetime.date | None, bool]]:
    """What was agreed, checked. Fields count the items from 0, as the API's own checks do; the
    messages count them from 1, as people do."""
    if not items:
        raise InvalidChange("Enter at least one thing the parties agreed", field="items")
    if len(items) > MAX_ITEMS:
        raise InvalidChange(f"An agreement can have at most {MAX_ITEMS} items", field="items")
    authority_names = {case.local_authority.name.lower()} | {
        value.lower()
        for party in case.parties.filter(role__in=Party.SETTLING_ROLES)
        for value in (party.name, party.organisation)
        if value
    }
    held_on = _held_on(case)
    checked = []
    for number, raw in enumerate(items, start=1):
        item = _item(raw)
        what, who = item.what.strip(), item.who.strip()
        if not what:
            raise InvalidChange(f"Enter what will happen for item {number}", field=f"items.{number - 1}.what")
        if not who:
            raise InvalidChange(f"Enter who does item {number}", field=f"items.{number - 1}.who")
        if len(who) > 200:
            raise InvalidChange(
                f"Who does item {number} must be 200 characters or fewer", field=f"items.{number - 1}.who"
            )
        by = item.by
        if isinstance(by, str) and by:
            try:
                by = datetime.date.fromisoformat(by)
            except ValueError:
                raise InvalidChange(
                    f"Enter a real date for item {number}, in the form YYYY-MM-DD",
                    field=f"items.{number - 1}.by",
                ) from None
        if by is not None and not isinstance(by, datetime.date):
            by = None
        if by is not None and held_on is not None and by < held_on:
            raise InvalidChange(
                f"The date for item {number} must be on or after {format_date(held_on)}, when the "
                "meeting was held",
                field=f"items.{number - 1}.by",
            )
        authority = bool(AUTHORITY_WORDS.search(who)) or any(name in who.lower() for name in authority_names)
        checked.append((what, who, by or None, authority))
    return checked


def _checked_duties(
    case: Case,
    duties: Sequence[str] | None,
    order: str,
    agreed: Mapping[str, tuple[datetime.date, str]] | None,
) -> tuple[list[str], str, dict[str, dict[str, str]]]:
    if duties is None:
        chosen, default_order = default_duties(case)
        order = order or default_order
    else:
        chosen = list(dict.fromkeys(str(code) for code in duties))
    unknown = [code for code in chosen if code not in DUTIES]
    if unknown:
        raise InvalidChange("Choose the dates the agreement starts from the list", field="duties")
    if RuleCode.AGREEMENT_AS_ORDER in chosen:
        if order not in ORDER_TYPES:
            raise InvalidChange("Choose what the local authority must do, as for an order", field="order")
    else:
        order = ""
    written: dict[str, dict[str, str]] = {}
    for rule, value in (agreed or {}).items():
        if rule not in chosen:
            raise InvalidChange(
                "A date agreed in writing must be for one of the dates the agreement starts", field="agreed"
            )
        day, note = value
        if not isinstance(day, datetime.date):
            raise InvalidChange("Enter the date the parties agreed", field=f"agreed.{rule}.date")
        if not str(note).strip():
            raise InvalidChange(
                "Enter where the parties agreed this date in writing", field=f"agreed.{rule}.note"
            )
        written[str(rule)] = {"date": day.isoformat(), "note": str(note).strip()[:2000]}
    return chosen, order, written


def _editable(case: Case, name: str, actor: User) -> Case:
    current = locked(case, actor)
    action = workflow.check(name, case=current, user=actor)
    if not current.events.filter(kind__in=_HELD).exists():
        raise TransitionNotAllowed(
            f"Cannot {action.verb}: no mediation or meeting has been held on this case",
            action=name,
            status=current.status,
        )
    return current


# --- the front doors ---------------------------------------------------------------------------


def record_agreement(
    *,
    actor: User,
    case: Case,
    items: Sequence[Any],
    duties: Sequence[str] | None = None,
    order: str = "",
    agreed: Mapping[str, tuple[datetime.date, str]] | None = None,
) -> Agreement:
    """Write down (or change) what was agreed. A change after it was sent for signature voids the
    signatures collected so far and sends it again: a new PDF and new links, and everybody told."""
    with transaction.atomic():
        current = _editable(case, "record_agreement", actor)
        checked = _checked_items(items, current)
        chosen, order, written = _checked_duties(current, duties, order, agreed)
        agreement = Agreement.objects.select_for_update().filter(case=current).first()
        if agreement is not None and agreement.is_signed:
            raise TransitionNotAllowed(
                "Cannot change the agreement: everybody has signed it",
                action="record_agreement",
                status=current.status,
            )
        resend = agreement is not None and agreement.status == Agreement.Status.SENT_FOR_SIGNATURE
        if agreement is None:
            agreement = Agreement(case=current)
        elif resend:
            _void(agreement, current, actor)
            agreement.version += 1
        agreement.duties, agreement.order, agreement.agreed = chosen, order, written
        agreement.status = Agreement.Status.DRAFT
        agreement.save()
        agreement.items.all().delete()
        AgreementItem.objects.bulk_create(
            AgreementItem(
                agreement=agreement, number=number, what=what, who=who, by=by, by_authority=authority
            )
            for number, (what, who, by, authority) in enumerate(checked, start=1)
        )
        record_event(
            current,
            CaseEvent.Kind.AGREEMENT_RECORDED,
            actor,
            version=agreement.version,
            items=len(checked),
            duties=chosen,
            order=order,
            agreed=written,
        )
        if resend:
            _send(agreement, current, actor, now=timezone.now())
    return agreement


def send_for_signature(*, actor: User, case: Case, now: datetime.datetime | None = None) -> Agreement:
    """Freeze the agreement as a PDF and send each signatory their own link to sign it."""
    with transaction.atomic():
        current = _editable(case, "send_for_signature", actor)
        agreement = Agreement.objects.select_for_update().filter(case=current).first()
        if agreement is None:
            raise TransitionNotAllowed(
                "Cannot send the agreement for signature: it has not been written down yet",
                action="send_for_signature",
                status=current.status,
            )
        if agreement.status != Agreement.Status.DRAFT:
            raise TransitionNotAllowed(
                "Cannot send the agreement for signature: it is already "
                + ("signed" if agreement.is_signed else "sent"),
                action="send_for_signature",
                status=current.status,
            )
        _send(agreement, current, actor, now=now or timezone.now())
    return agreement


def signatories(case: Case) -> list[tuple[Party | None, User | None, str, str, str]]:
    """Who signs: the family contact, every local authority officer and health commissioner with
    authority to settle, and the mediator. Each as (party, user, name, role, email)."""
    people: list[tuple[Party | None, User | None, str, str, str]] = []
    family = case.parties.family_contact()
    if family is not None:
        people.append((family, None, family.name, family.get_role_display(), family.email))
    for party in case.parties.filter(role__in=Party.SETTLING_ROLES, has_authority_to_settle=True).order_by(
        "id"
    ):
        people.append((party, None, party.name, party.get_role_display(), party.email))
    if case.kind == Case.Kind.DISAGREEMENT_RESOLUTION:
        # A school, college or early years provider is a party to disagreement resolution.
        for party in case.parties.filter(role=Party.Role.EDUCATION_PROVIDER).order_by("id"):
            people.append((party, None, party.name, party.get_role_display(), party.email))
    if case.mediator is not None:
        people.append((None, case.mediator, case.mediator.display_name, "Mediator", case.mediator.email))
    return people


def _send(agreement: Agreement, case: Case, actor: User | None, *, now: datetime.datetime) -> None:
    people = signatories(case)
    if case.parties.family_contact() is None:
        raise InvalidChange("Add the parent or young person to the case before sending", field="signatories")
    if case.mediator is None:
        raise InvalidChange(
            "Assign the mediator before sending the agreement for signature", field="signatories"
        )
    if (
        case.kind == Case.Kind.MEDIATION
        and not case.parties.filter(role=Party.Role.LA_OFFICER, has_authority_to_settle=True).exists()
    ):
        raise InvalidChange(
            "Add the local authority's representative, with authority to settle, before sending: the "
            "authority signs the agreement too",
            field="signatories",
        )
    missing = [name for _, _, name, _, email in people if not email]
    if missing:
        raise InvalidChange(
            f"Add an email address for {', '.join(missing)} so that they can sign", field="signatories"
        )
    data = render_agreement_pdf(agreement)
    agreement.pdf.save(f"{case.reference}-agreement-v{agreement.version}.pdf", ContentFile(data), save=False)
    agreement.sha256 = hashlib.sha256(data).hexdigest()
    agreement.status = Agreement.Status.SENT_FOR_SIGNATURE
    agreement.sent_at = now
    agreement.save(update_fields=["pdf", "sha256", "status", "sent_at", "updated_at"])
    expires = now + datetime.timedelta(days=signing_link_days())
    for party, user, name, role, email in people:
        token = secrets.token_urlsafe(32)
        request = SignatureRequest.objects.create(
            agreement=agreement,
            version=agreement.version,
            party=party,
            user=user,
            name=name,
            role=role,
            email=email,
            token_hash=hash_token(token),
            expires_at=expires,
        )
        queue_email(
            to=email,
            template="agreement_signature_request",
            context={
                "reference": case.reference,
                "name": name,
                "sign_link": sign_url(token),
                "expires_on": timezone.localdate(expires).isoformat(),
                "changed": agreement.version > 1,
            },
            dedupe_key=f"agreement-sign:{request.pk}",
            case=case,
        )
    record_event(
        case,
        CaseEvent.Kind.AGREEMENT_SENT,
        actor,
        version=agreement.version,
        sha256=agreement.sha256,
        signatories=len(people),
        expires_on=timezone.localdate(expires),
    )


def _void(agreement: Agreement, case: Case, actor: User) -> None:
    """The agreement changed after it was sent: every link and signature of this version is void."""
    now = timezone.now()
    requests = list(agreement.current_requests())
    signed = sum(1 for request in requests if hasattr(request, "signature"))
    SignatureRequest.objects.filter(pk__in=[r.pk for r in requests], voided_at__isnull=True).update(
        voided_at=now
    )
    for request in requests:
        if request.email:
            queue_email(
                to=request.email,
                template="agreement_signatures_voided",
                context={
                    "reference": case.reference,
                    "name": request.name,
                    "signed": hasattr(request, "signature"),
                },
                dedupe_key=f"agreement-voided:{request.pk}",
                case=case,
            )
    record_event(
        case,
        CaseEvent.Kind.SIGNATURES_VOIDED,
        actor,
        version=agreement.version,
        signatures_voided=signed,
        told=sum(1 for request in requests if request.email),
    )


def sign(
    *,
    token: str,
    full_name: str,
    confirmed: bool,
    ip: str,
    user_agent: str,
    now: datetime.datetime | None = None,
) -> Signature:
    """A signatory signs through their link: their full name and a confirmation, once."""
    moment = now or timezone.now()
    with transaction.atomic():
        request = open_request(token, now=moment, lock=True)
        if not full_name.strip():
            raise InvalidChange("Enter your full name", field="full_name")
        if "\x00" in full_name:  # a hidden character no name has, and no database column takes
            raise InvalidChange("Enter your full name without hidden characters", field="full_name")
        if not confirmed:
            raise InvalidChange("Confirm that you agree to what the agreement says", field="confirmed")
        agreement = Agreement.objects.select_for_update().get(pk=request.agreement_id)
        case = Case.objects.select_for_update().get(pk=agreement.case_id)
        signature = Signature.objects.create(
            request=request,
            full_name=full_name.strip()[:200],
            signed_at=moment,
            ip=ip or None,
            user_agent=user_agent.replace("\x00", "")[:500],
            sha256=_stored_hash(agreement),
        )
        request.used_at = moment
        request.save(update_fields=["used_at"])
        _signed(agreement, case, request, signature, actor=None)
    return signature


def open_request(token: str, *, now: datetime.datetime | None = None, lock: bool = False) -> SignatureRequest:
    """The link's request if it opens a signature now; a plain error saying why not otherwise."""
    moment = now or timezone.now()
    rows = SignatureRequest.objects.select_related("agreement", "agreement__case")
    if lock:
        rows = rows.select_for_update()
    request = rows.filter(token_hash=hash_token(token or "")).first()
    if request is None:
        raise SigningLinkError(
            "This link is not right. Check you used the whole link in the email, or contact us.",
            reason="unknown",
        )
    if request.used_at is not None:
        raise SigningLinkError("This link has already been used to sign the agreement.", reason="used")
    if request.voided_at is not None:
        raise SigningLinkError(
            "This link no longer works: the agreement was changed, or the case has ended. If the agreement "
            "changed, we have emailed you a new link.",
            reason="voided",
        )
    if request.expires_at <= moment:
        raise SigningLinkError("This link has expired. Contact us for a new one.", reason="expired")
    return request


def _stored_hash(agreement: Agreement) -> str:
    """The SHA-256 of the exact file kept, read back from storage."""
    with agreement.pdf.open("rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    if digest != agreement.sha256:
        raise CaseworkError("The agreement's PDF does not match the one sent for signature. Contact us.")
    return digest


def record_wet_signature(
    *,
    actor: User,
    case: Case,
    signatory: int,
    signed_on: datetime.date,
    scan: UploadedFile,
) -> Signature:
    """A signatory signed a printed copy instead: keep the scan and its SHA-256."""
    with transaction.atomic():
        current = _editable(case, "record_wet_signature", actor)
        agreement = Agreement.objects.select_for_update().filter(case=current).first()
        if agreement is None or agreement.status != Agreement.Status.SENT_FOR_SIGNATURE:
            raise TransitionNotAllowed(
                "Cannot record a signature on paper: the agreement is not waiting for signatures",
                action="record_wet_signature",
                status=current.status,
            )
        request = (
            agreement.current_requests()
            .select_for_update()
            .filter(pk=signatory, used_at__isnull=True, voided_at__isnull=True)
            .first()
        )
        if request is None:
            if agreement.current_requests().filter(pk=signatory, used_at__isnull=False).exists():
                raise TransitionNotAllowed(
                    "Cannot record a signature on paper: they have already signed this agreement",
                    action="record_wet_signature",
                    status=current.status,
                )
            raise InvalidChange("Choose someone who has not signed yet", field="signatory")
        today = timezone.localdate()
        sent_on = timezone.localdate(agreement.sent_at) if agreement.sent_at else today
        if signed_on > today:
            raise InvalidChange("The date they signed must be today or in the past", field="signed_on")
        if signed_on < sent_on:
            raise InvalidChange(
                "The date they signed must be on or after the day the agreement was sent", field="signed_on"
            )
        if scan is None or not scan.size:
            raise InvalidChange("Select the scan of the signed agreement", field="scan")
        if (scan.content_type or "").split(";")[0].strip() not in {kind.content_type for kind in SCAN_TYPES}:
            raise InvalidChange(SCAN_TYPE_REFUSED, field="scan")
        try:
            checked = check_upload(
                scan,
                allowed=SCAN_TYPES,
                max_bytes=MAX_DOCUMENT_BYTES,
                wrong_type=SCAN_CONTENT_REFUSED,
                too_big="The selected file must be smaller than 20MB",
            )
        except UploadRefused as refused:
            raise InvalidChange(refused.message, field="scan") from None
        digest = hashlib.sha256(checked.content)
        moment = timezone.now()
        signature = Signature(
            request=request,
            full_name=request.name,
            signed_at=moment,
            sha256=_stored_hash(agreement),
            wet_ink=True,
            scan_sha256=digest.hexdigest(),
            recorded_by=actor,
        )
        signature.scan.save(
            f"{current.reference}-v{agreement.version}-{request.pk}.{checked.kind.value}",
            ContentFile(checked.content),
            save=False,
        )
        signature.save()
        request.used_at = moment
        request.save(update_fields=["used_at"])
        _signed(agreement, current, request, signature, actor=actor, signed_on=signed_on)
    return signature


def _signed(
    agreement: Agreement,
    case: Case,
    request: SignatureRequest,
    signature: Signature,
    *,
    actor: User | None,
    signed_on: datetime.date | None = None,
) -> None:
    record_event(
        case,
        CaseEvent.Kind.AGREEMENT_SIGNATURE,
        actor,
        version=agreement.version,
        request=request.pk,
        party_id=request.party_id,
        mediator=request.user_id is not None,
        sha256=signature.sha256,
        wet_ink=signature.wet_ink,
        data={"signed_on": signed_on} if signed_on else None,
    )
    if agreement.current_requests().filter(used_at__isnull=True).exists():
        return
    _complete(agreement, case, actor, last_day=signed_on or timezone.localdate(signature.signed_at))


def _complete(agreement: Agreement, case: Case, actor: User | None, *, last_day: datetime.date) -> None:
    """Everybody signed: the final PDF with its signature page, the reg 42 dates, a copy each."""
    requests = list(agreement.current_requests().select_related("signature"))
    data = render_signed_pdf(agreement, requests)
    agreement.signed_pdf.save(
        f"{case.reference}-agreement-v{agreement.version}-signed.pdf", ContentFile(data), save=False
    )
    agreement.signed_sha256 = hashlib.sha256(data).hexdigest()
    agreement.signed_on = last_day
    agreement.status = Agreement.Status.SIGNED
    agreement.save(update_fields=["signed_pdf", "signed_sha256", "signed_on", "status", "updated_at"])
    items = [
        {"number": item.number, "by": str(item.by)}
        for item in agreement.items.filter(by_authority=True, by__isnull=False)
    ]
    record_event(
        case,
        CaseEvent.Kind.AGREEMENT_SIGNED,
        actor,
        signed_on=last_day,
        duties=list(agreement.duties),
        order=agreement.order,
        agreed=dict(agreement.agreed),
        items=items,
        version=agreement.version,
        sha256=agreement.signed_sha256,
    )
    link = family_link(case)
    for request in requests:
        if not request.email:
            continue
        family = request.party is not None and request.party.is_family
        message = queue_email(
            to=request.email,
            template="agreement_signed_copy",
            context={
                "reference": case.reference,
                "name": request.name,
                "signed_on": last_day.isoformat(),
                "sha256": agreement.signed_sha256,
                "verify_url": _verify_url(),
                **({"case_link": link} if family and link else {}),
            },
            dedupe_key=f"agreement-copy:{agreement.pk}:v{agreement.version}:{request.pk}",
            attachments=[
                AttachmentRef.stored(
                    agreement.signed_pdf.name,
                    filename=f"mediation-agreement-{case.reference}.pdf",
                    content_type="application/pdf",
                )
            ],
            case=case,
        )
        copy = AgreementCopy.objects.create(
            agreement=agreement,
            request=request,
            party=request.party,
            email=request.email,
            message=message,
            queued_at=timezone.now(),
        )
        record_event(
            case,
            CaseEvent.Kind.AGREEMENT_COPY_SENT,
            actor,
            copy=copy.pk,
            party_id=request.party_id,
            mediator=request.user_id is not None,
            message=message.pk,
        )


# --- links ---------------------------------------------------------------------------------------


def sign_url(token: str) -> str:
    try:
        return settings.SITE_URL + reverse("agreements_public:sign", args=[token])
    except NoReverseMatch:  # the public pages are not mounted in this deployment
        return ""


def _verify_url() -> str:
    try:
        return settings.SITE_URL + reverse("cases_public:verify")
    except NoReverseMatch:
        return ""


@receiver(case_stopped, dispatch_uid="agreements-stop-signing-links")
def stop_signing_links(sender: Any, *, case: Case, **kwargs: Any) -> None:
    """A withdrawn or closed case: the links not used yet stop working."""
    SignatureRequest.objects.filter(
        agreement__case=case, used_at__isnull=True, voided_at__isnull=True
    ).update(voided_at=timezone.now())
