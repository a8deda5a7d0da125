"""Two families' casework built through the front doors: cases with events, notes, documents,
certificates (their PDFs), a signed agreement and the emails queued about them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from sendmediation.agreements import services as agreement_services
from sendmediation.agreements.tests.helpers import ITEMS, held_case
from sendmediation.cases import certificates, services
from sendmediation.cases.models import Case, Certificate, Document, Party
from sendmediation.cases.tests.builders import case_in, open_case
from sendmediation.common.tests.files import pdf_saying
from sendmediation.statutory.services import base_calendar

OTHER_PARENT = "Bethany Quist"
OTHER_EMAIL = "bethany.quist@elsewhere.example"
OTHER_CHILD = ("Zebedee", "Quist")
OTHER_NOTE = "Bethany prefers calls after four"
OTHER_DOCUMENT = pdf_saying(b"Zebedee's EHC plan, Quist family")


@dataclass
class Casework:
    first: Case  # the first family's case with a certificate, a note and a document
    second: Case  # the same family's second case, with a signed agreement
    other: Case  # another family's case
    certificate: Certificate
    document: Document


def _document(actor, case, content: bytes, name: str) -> Document:
    return services.add_document(
        actor=actor,
        case=case,
        upload=SimpleUploadedFile("upload.pdf", content, content_type="application/pdf"),
        name=name,
        kind="evidence",
    )


def _sign_everyone(personas, case, monkeypatch) -> None:
    made: list[str] = []
    real = agreement_services.secrets.token_urlsafe

    def keep(n: int) -> str:
        token = real(n)
        made.append(token)
        return token

    monkeypatch.setattr(agreement_services.secrets, "token_urlsafe", keep)
    agreement_services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
    agreement_services.send_for_signature(actor=personas.mediator, case=case)
    for token in made:
        agreement_services.sign(
            token=token, full_name="Someone Signing", confirmed=True, ip="203.0.113.9", user_agent="UA"
        )


def build_casework(personas, monkeypatch) -> Casework:
    first = case_in(personas, Case.Status.MEDIATION_NOT_ARRANGED)
    services.issue_certificate(
        actor=personas.adviser, case=first, kind="not_arranged", calendar=base_calendar()
    )
    certificate = first.certificates.get()
    certificates.store_pdf(certificate.pk)
    certificate.refresh_from_db()
    services.add_note(actor=personas.coordinator, case=first, text="Sarah asked for calls in the morning")
    letter = pdf_saying(b"Amir's decision letter")
    document = _document(personas.coordinator, first, letter, "Decision letter")

    second = held_case(personas)
    _sign_everyone(personas, second, monkeypatch)

    other = open_case(
        personas,
        child_first_name=OTHER_CHILD[0],
        child_last_name=OTHER_CHILD[1],
        child_date_of_birth=datetime.date(2015, 3, 9),
        family=services.FamilyContact(
            role=Party.Role.PARENT, name=OTHER_PARENT, email=OTHER_EMAIL, phone="07700 900999"
        ),
    )
    services.add_note(actor=personas.coordinator, case=other, text=OTHER_NOTE)
    _document(personas.coordinator, other, OTHER_DOCUMENT, "Zebedee's EHC plan")
    for case in (first, second, other):
        case.refresh_from_db()
    return Casework(first=first, second=second, other=other, certificate=certificate, document=document)
