"""A subject access export: everything the service holds about a family, as one zip with an index.

The one front door is ``write_subject_access_export``: the staff page and
``manage.py subject_access_export`` both call it. It checks who asks, gathers the family's cases,
writes the zip and records the export in each case's access log (no personal data in the log).

Which cases are the family's: the case asked about, and every other case on which a parent or young
person has exactly the same email address (ignoring capital letters) as a parent or young person on
it. Names alone never join cases (two families can share a name); a case with no family email is
exported on its own. The index says so, and names the addresses used.
"""

from __future__ import annotations

import datetime
import json
import logging
import mimetypes
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import can_export_subject_access
from sendmediation.agreements.models import Agreement
from sendmediation.cases.errors import ActionNotPermitted, CaseNotVisible
from sendmediation.cases.models import AccessLog, Case, Party
from sendmediation.cases.queries import log_access
from sendmediation.cases.timeline import describe, title
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.registry import UnknownMessageType, without_private_links
from sendmediation.notifications.services import render_message, render_subject

# Keys, not information about anyone: a family link's key and the hashes of signing and consent links.
HIDDEN_FIELDS = frozenset({"family_access_key", "token_hash"})
PRIVATE_LINK = "[a private link, left out of this copy]"

logger = logging.getLogger(__name__)


@dataclass
class Item:
    path: str
    what: str


@dataclass
class CaseSection:
    case: Case
    items: list[Item] = field(default_factory=list)


@dataclass
class ExportSummary:
    reference: str
    made_at: datetime.datetime
    emails: list[str]
    sections: list[CaseSection]

    @property
    def filename(self) -> str:
        return f"subject-access-{self.reference}-{self.made_at:%Y%m%d}.zip"


# --- which cases --------------------------------------------------------------------------------


def family_emails(case: Case) -> list[str]:
    """The email addresses of the parents and young people on a case, in lower case."""
    emails = case.parties.filter(role__in=Party.FAMILY_ROLES).values_list("email", flat=True)
    return sorted({email.strip().lower() for email in emails if email.strip()})


def family_cases(case: Case, actor: Any) -> list[Case]:
    """The case, and the others where a parent or young person has one of its family's addresses."""
    emails = family_emails(case)
    same_email = Q()
    for email in emails:
        same_email |= Q(email__iexact=email)
    others = (
        Party.objects.filter(role__in=Party.FAMILY_ROLES).filter(same_email).values("case_id")
        if emails
        else Party.objects.none().values("case_id")
    )
    return list(
        Case.objects.visible_to(actor)
        .filter(Q(pk=case.pk) | Q(pk__in=others))
        .select_related("local_authority", "coordinator", "adviser", "mediator")
        .order_by("received_on", "id")
    )


# --- turning rows into words --------------------------------------------------------------------


def _user_name(user_id: Any, names: dict[int, str]) -> str:
    if user_id is None:
        return ""
    if user_id not in names:
        user = User.objects.filter(pk=user_id).first()
        names[user_id] = user.display_name if user else f"account {user_id}"
    return names[user_id]


def record(row: models.Model, names: dict[int, str]) -> dict[str, Any]:
    """Every stored field of a row, with choices in words and staff named."""
    out: dict[str, Any] = {}
    for model_field in row._meta.concrete_fields:
        if model_field.name in HIDDEN_FIELDS:
            continue
        value = getattr(row, model_field.attname)
        if isinstance(model_field, models.FileField):
            value = value.name if value else ""
        out[model_field.attname] = value
        if model_field.choices and value not in (None, ""):
            out[f"{model_field.name}_label"] = str(dict(model_field.flatchoices).get(value, value))
        if model_field.is_relation and model_field.related_model is User:
            out[f"{model_field.name}_name"] = _user_name(value, names)
    return out


def _words(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d %B %Y at %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d %B %Y")
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return str(value)


def _text_block(heading: str, rows: Iterable[dict[str, Any]]) -> str:
    lines = [heading, "=" * len(heading), ""]
    empty = True
    for number, row in enumerate(rows, start=1):
        empty = False
        lines.append(f"{number}.")
        for key, value in row.items():
            lines.append(f"   {key.replace('_', ' ')}: {_words(value)}")
        lines.append("")
    if empty:
        lines += ["None.", ""]
    return "\n".join(lines) + "\n"


def _json(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n"


def _safe(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return cleaned[:80] or "file"


# --- one case ------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    def text(self, section: CaseSection, path: str, content: str, what: str) -> None:
        self.archive.writestr(path, content.encode("utf-8"))
        section.items.append(Item(path, what))

    def file(self, section: CaseSection, path: str, stored: Any, what: str) -> None:
        if not stored:
            return
        try:
            with stored.open("rb") as handle, self.archive.open(path, "w", force_zip64=True) as target:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    target.write(block)
        except FileNotFoundError:
            self.text(section, path + ".missing.txt", "This file is recorded but was not found.\n", what)
            return
        section.items.append(Item(path, what))


def _emails_to_family(case: Case, emails: list[str]) -> list[OutboxMessage]:
    wanted = set(emails)
    return [
        message
        for message in OutboxMessage.objects.filter(case_reference=case.reference).order_by(
            "created_at", "id"
        )
        if wanted & {str(address).strip().lower() for address in message.recipients}
    ]


def _email_text(message: OutboxMessage) -> str:
    # A copy that could open a page (the family's, a signing, consent or survey page) is a key left
    # lying about: every such link is left out, whether or not the email has gone yet.
    context = without_private_links(message.template, message.context, PRIVATE_LINK)
    try:
        subject = render_subject(message.template, context)
        body = render_message(message.template, context).text
    except (UnknownMessageType, TemplateSyntaxError, TemplateDoesNotExist):
        subject, body = message.template, "(This email can no longer be shown: its wording has changed.)\n"
    sent = _words(message.sent_at) if message.sent_at else f"not sent ({message.get_status_display()})"
    return (
        f"To: {', '.join(message.recipients)}\nSubject: {subject}\nQueued: {_words(message.created_at)}\n"
        f"Sent: {sent}\n\n{body}"
    )


def _write_case(writer: _Writer, case: Case, emails: list[str], names: dict[int, str]) -> CaseSection:
    section = CaseSection(case)
    base = case.reference
    parties = list(case.parties.all())
    details: dict[str, Any] = {
        "case": record(case, names),
        "local_authority": case.local_authority.name,
        "parties": [record(party, names) for party in parties],
        "advice_calls": [record(call, names) for call in case.advice_calls.all()],
        "deadlines": [record(row, names) for row in case.deadlines.order_by("due", "id")],
        "authority_contacts": [record(row, names) for row in case.authority_contacts.all()],
        "meetings": [
            {**record(meeting, names), "attendees": [record(a, names) for a in meeting.attendees.all()]}
            for meeting in case.meetings.order_by("starts_at", "id")
        ],
    }
    writer.text(section, f"{base}/case.json", _json(details), "The case's details, as data (JSON)")
    readable = "".join(
        [
            f"Case {case.reference}\n\n",
            _text_block("The case", [details["case"]]),
            _text_block("People and organisations taking part", details["parties"]),
            _text_block("Advice calls", details["advice_calls"]),
            _text_block("Deadlines", details["deadlines"]),
            _text_block(
                "What passed between the service and the local authority", details["authority_contacts"]
            ),
            _text_block("Meetings", details["meetings"]),
        ]
    )
    writer.text(section, f"{base}/case.txt", readable, "The case's details, to read")

    events = list(case.events.select_related("actor").order_by("at", "id"))
    writer.text(
        section,
        f"{base}/events.json",
        _json(
            [
                {**record(event, names), "title": title(event), "description": describe(event)}
                for event in events
            ]
        ),
        "Everything that happened on the case, as data (JSON)",
    )
    writer.text(
        section,
        f"{base}/events.txt",
        "".join(
            f"{_words(event.at)}: {title(event)}\n   {describe(event)}\n"
            + (f"   By {event.actor.display_name}\n" if event.actor else "")
            for event in events
        )
        or "None.\n",
        "Everything that happened on the case, to read",
    )

    notes = [record(note, names) for note in case.notes.order_by("created_at", "id")]
    writer.text(section, f"{base}/notes.txt", _text_block("Staff notes", notes), "Staff notes on the case")

    documents = list(case.documents.order_by("uploaded_at", "id"))
    writer.text(
        section,
        f"{base}/documents.json",
        _json([record(document, names) for document in documents]),
        "The list of documents, as data (JSON)",
    )
    for document in documents:
        name = _safe(document.name)
        if "." not in name:
            name += mimetypes.guess_extension(document.content_type or "") or ""
        writer.file(
            section,
            f"{base}/documents/{document.pk}-{name}",
            document.file,
            f"Document: {document.name} ({document.get_kind_display()}), as uploaded",
        )

    certificates = list(case.certificates.order_by("issued_on", "id"))
    writer.text(
        section,
        f"{base}/certificates.json",
        _json([record(certificate, names) for certificate in certificates]),
        "The certificates' details, as data (JSON)",
    )
    for certificate in certificates:
        writer.file(
            section,
            f"{base}/certificates/{_safe(certificate.number)}.pdf",
            certificate.pdf,
            f"Certificate {certificate.number}, the PDF as issued",
        )

    for agreement in Agreement.objects.filter(case=case).order_by("id"):
        requests = list(agreement.requests.order_by("id"))
        signatures = [
            record(request.signature, names) for request in requests if hasattr(request, "signature")
        ]
        agreement_record: dict[str, Any] = {
            "agreement": record(agreement, names),
            "items": [record(item, names) for item in agreement.items.all()],
            "signing_links": [record(request, names) for request in requests],
            "signatures": signatures,
            "copies_sent": [record(copy, names) for copy in agreement.copies.all()],
        }
        writer.text(
            section,
            f"{base}/agreement/agreement.json",
            _json(agreement_record),
            "The agreement, its items, who was asked to sign, the signatures and the copies sent (JSON)",
        )
        writer.text(
            section,
            f"{base}/agreement/signatures.txt",
            _text_block("Signatures", signatures)
            + _text_block("Who was asked to sign", agreement_record["signing_links"]),
            "The signatures record, to read",
        )
        writer.file(
            section,
            f"{base}/agreement/agreement-version-{agreement.version}.pdf",
            agreement.pdf,
            "The agreement as sent for signature (PDF)",
        )
        writer.file(
            section,
            f"{base}/agreement/agreement-signed.pdf",
            agreement.signed_pdf,
            "The signed agreement (PDF)",
        )
        for request in requests:
            signature = getattr(request, "signature", None)
            if signature is not None and signature.scan:
                writer.file(
                    section,
                    f"{base}/agreement/scans/signature-{signature.pk}.pdf",
                    signature.scan,
                    "A scan of an agreement signed on paper",
                )

    for message in _emails_to_family(case, emails):
        writer.text(
            section,
            f"{base}/emails/{message.pk}.txt",
            _email_text(message),
            f"Email {message.pk} to the family",
        )

    log = [
        {
            "at": row.at,
            "who": row.user.display_name if row.user else "The family, through their link",
            "what": row.get_what_display(),
            "item": row.item,
        }
        for row in AccessLog.objects.filter(case=case).select_related("user").order_by("at", "id")
    ]
    writer.text(
        section,
        f"{base}/access-log.txt",
        _text_block("Who looked at the case", log),
        "Who looked at the case, and when",
    )
    return section


# --- the front door --------------------------------------------------------------------------------


def write_subject_access_export(*, actor: Any, case: Case, out: IO[bytes]) -> ExportSummary:
    """Write the zip for ``case``'s family to ``out`` and record it in the access log."""
    if not can_export_subject_access(actor):
        raise ActionNotPermitted(
            "Only a manager can export everything held about a family",
            action="subject_access_export",
            role=str(getattr(actor, "role", "") or ""),
        )
    if not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise CaseNotVisible()
    made_at = timezone.now()
    emails = family_emails(case)
    cases = family_cases(case, actor)
    names: dict[int, str] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        writer = _Writer(archive)
        sections = [_write_case(writer, each, emails, names) for each in cases]
        summary = ExportSummary(reference=case.reference, made_at=made_at, emails=emails, sections=sections)
        context = {"summary": summary, "made_by": actor.display_name}
        archive.writestr("index.html", render_to_string("dataprotection/export/index.html", context))
        archive.writestr("index.txt", render_to_string("dataprotection/export/index.txt", context))
    for each in cases:
        log_access(
            user=actor, case=each, what=AccessLog.What.SUBJECT_ACCESS, item=f"asked on {case.reference}"
        )
    logger.info(
        "Subject access export for case %s (%s cases) by user id=%s", case.reference, len(cases), actor.pk
    )
    return summary
