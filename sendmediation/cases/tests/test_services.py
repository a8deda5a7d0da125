"""The front doors: what each writes, the events it leaves, and what it refuses."""

from __future__ import annotations

import datetime
import hashlib
import io
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader

from sendmediation.accounts.models import User
from sendmediation.cases import certificates, family, services
from sendmediation.cases.errors import ActionNotPermitted, InvalidChange
from sendmediation.cases.models import AppendOnlyError, Case, CaseEvent, Certificate, Document, Note, Party
from sendmediation.cases.models.case import Decision
from sendmediation.cases.queries import find_duplicates
from sendmediation.cases.tests.builders import case_in, open_case
from sendmediation.common.tests.files import pdf_saying
from sendmediation.intake.journey import RequestAnswers
from sendmediation.intake.models import HelpRequest
from sendmediation.intake.services import record_phone_request
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.services import send_due_messages
from sendmediation.statutory.services import base_calendar
from sendmediation.testing.outbox import link_in

pytestmark = pytest.mark.django_db

Status = Case.Status


def phone_request(personas, **changes) -> HelpRequest:
    values: dict[str, Any] = {
        "who": "parent",
        "help_wanted": "mediation",
        "decisions": ("refused_assessment", "health_care"),
        "decision_letter_date": timezone.localdate() - datetime.timedelta(days=5),
        "child_name": "Noah James Smith",
        "child_date_of_birth": datetime.date(2018, 3, 2),
        "postcode": "SW1A 1AA",
        "contact_name": "Ella Smith",
        "phone": "07700 900982",
        "email": "ella.smith@example.org",
        "needs_interpreter": True,
        "interpreter_language": "Polish",
    }
    values.update(changes)
    return record_phone_request(actor=personas.coordinator, answers=RequestAnswers(**values))


# --- opening -------------------------------------------------------------------------------------


def test_a_keyed_in_case_gets_the_next_reference_from_the_shared_sequence(personas):
    request = phone_request(personas)
    case = open_case(personas)
    year = timezone.localdate().year
    assert request.reference == f"MED-{year}-000001"
    assert case.reference == f"MED-{year}-000002"
    event = case.events.get()
    assert (event.kind, event.actor, event.data["source"]) == ("opened", personas.coordinator, "keyed_in")
    assert case.parties.get().role == Party.Role.PARENT


def test_accepting_a_request_opens_its_case_with_its_reference(personas):
    request = phone_request(personas)
    case = services.open_case_from_request(
        actor=personas.coordinator,
        help_request=request,
        local_authority=personas.authority,
        calendar=base_calendar(),
    )
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.ACCEPTED
    assert case.reference == request.reference
    assert case.source_request == request
    assert (case.child_first_name, case.child_last_name) == ("Noah James", "Smith")
    assert case.decisions == ["refused_assessment", "health_care"]
    assert case.issues_health and case.issues_education
    assert case.decision_letter_sent == request.decision_letter_date
    assert case.coordinator == personas.coordinator
    assert case.parties.get().email == "ella.smith@example.org"
    assert "Polish" in Note.objects.get(case=case).text
    assert case.deadlines.filter(rule="appeal_by").exists()
    assert case.events.get().data == {
        "to": "received",
        "kind": "mediation",
        "source": "request",
        "request": request.reference,
    }


def test_a_request_is_accepted_once(personas):
    from sendmediation.intake.services import RequestAlreadyDecided

    request = phone_request(personas)
    services.open_case_from_request(
        actor=personas.coordinator, help_request=request, local_authority=personas.authority
    )
    with pytest.raises(RequestAlreadyDecided):
        services.open_case_from_request(
            actor=personas.coordinator, help_request=request, local_authority=personas.authority
        )
    assert Case.objects.count() == 1


def test_only_coordinators_and_managers_open_cases(personas):
    request = phone_request(personas)
    for actor in (personas.adviser, personas.mediator, personas.la_officer):
        with pytest.raises(ActionNotPermitted):
            services.open_case_from_request(
                actor=actor, help_request=request, local_authority=personas.authority
            )
        with pytest.raises(ActionNotPermitted):
            open_case(personas, actor=actor)
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.NEW
    assert not Case.objects.exists()


def test_the_same_child_with_the_same_authority_is_found_as_a_duplicate(personas):
    case = open_case(personas, child_first_name="Amir", child_last_name="Khan")
    found = find_duplicates(
        child_first_name="amir ",
        child_last_name="KHAN",
        child_date_of_birth=case.child_date_of_birth,
        local_authority_id=personas.authority.pk,
    )
    assert found == [case]
    assert not find_duplicates(
        child_first_name="Amir",
        child_last_name="Khan",
        child_date_of_birth=case.child_date_of_birth,
        local_authority_id=personas.other_authority.pk,
    )
    services.withdraw_case(actor=personas.coordinator, case=case, reason="Stopped")
    assert not find_duplicates(
        child_first_name="Amir",
        child_last_name="Khan",
        child_date_of_birth=case.child_date_of_birth,
        local_authority_id=personas.authority.pk,
    )


def test_a_duplicate_request_is_turned_down_and_noted_on_the_existing_case(personas):
    case = open_case(personas)
    request = phone_request(personas, child_name="Amir Khan", child_date_of_birth=case.child_date_of_birth)
    services.decline_help_request(
        actor=personas.coordinator, help_request=request, reason="duplicate", duplicate_of=case
    )
    request.refresh_from_db()
    assert (request.status, request.decline_reason) == ("declined", "duplicate")
    assert case.events.get(kind="duplicate_request").data == {"request": request.reference}


# --- the certificate -----------------------------------------------------------------------------


def test_a_certificate_drawn_again_says_what_it_said_when_issued(personas):
    """The PDF and the verify page agree: both give the decision and letter date as issued."""
    case = case_in(personas, Status.ADVICE_GIVEN)
    certificate = services.issue_certificate(
        actor=personas.adviser, case=case, today=datetime.date(2026, 10, 7), calendar=base_calendar()
    )
    # A later correction to the case does not rewrite a certificate already sent.
    Case.objects.filter(pk=case.pk).update(
        decisions=["health_care"], decision_letter_sent=datetime.date(2026, 9, 1)
    )
    certificate = Certificate.objects.get(pk=certificate.pk)
    reader = PdfReader(io.BytesIO(certificates.render_pdf(certificate)))
    text = " ".join("".join(page.extract_text() for page in reader.pages).split())
    assert "1 October 2026" in text and "1 September 2026" not in text
    assert Decision("refused_assessment").label in text
    assert Decision("health_care").label not in text


def test_issuing_a_certificate_renders_it_and_emails_the_family(personas, django_capture_on_commit_callbacks):
    case = case_in(personas, Status.ADVICE_GIVEN)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_certificate(
            actor=personas.adviser, case=case, today=datetime.date(2026, 10, 7), calendar=base_calendar()
        )
    certificate.refresh_from_db()
    case.refresh_from_db()
    assert case.status == Status.CERTIFICATE_ISSUED
    assert certificate.number == "MC-2026-000001"
    assert (certificate.kind, certificate.authority_name, certificate.child_initials) == (
        "after_advice",
        "Westminster",
        "AK",
    )
    data = certificate.pdf.read()
    assert hashlib.sha256(data).hexdigest() == certificate.sha256
    reader = PdfReader(certificate.pdf.path)
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (
        certificate.number,
        "Amir Khan",
        "Sarah Khan",
        "Westminster",
        "1 October 2026",
        "7 October 2026",
        "Adam Reeve",
        "independent",
        certificate.verification_code,
        "/verify/",
        "Tuesday 1 December 2026",  # the appeal time limit, worked out on the issue date
    ):
        assert expected in text, expected
    assert Decision("refused_assessment").label in " ".join(text.split())
    assert reader.metadata is not None
    assert reader.metadata.title == f"Mediation certificate {certificate.number}"
    catalog: Any = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in catalog  # tagged
    assert catalog["/MarkInfo"]["/Marked"]

    family_message = OutboxMessage.objects.get(template="certificate_issued")
    assert family_message.recipients == [personas.parent.email]
    assert family_message.context["appeal_by"] == "2026-12-01"
    assert "/your-case/" in link_in(family_message, "case_link")
    assert family_message.context["verification_code"] == certificate.verification_code
    assert family_message.context["verify_url"].endswith("/verify/")
    # After advice alone the authority takes no part in the case, so it is not told (docs/access.md;
    # test_permissions checks the authority is told when it does).
    assert not OutboxMessage.objects.filter(template="certificate_issued_la").exists()
    event = case.events.get(kind="certificate_issued")
    assert event.data["certificate"] == certificate.number
    assert event.data["family_emailed"] and not event.data["la_emailed"]

    send_due_messages()
    family_email = next(m for m in mail.outbox if m.subject.startswith("Your mediation certificate"))
    assert family_email.to == [personas.parent.email]
    name, content, content_type = family_email.attachments[0]
    assert (name, content_type) == (f"mediation-certificate-{certificate.number}.pdf", "application/pdf")
    assert content == data


def test_a_certificate_needs_the_decision_its_letter_date_and_the_family(personas):
    case = case_in(personas, Status.ADVICE_GIVEN, decision_letter_sent=None)
    with pytest.raises(InvalidChange) as refused:
        services.issue_certificate(actor=personas.adviser, case=case, calendar=base_calendar())
    assert refused.value.field == "decision_letter_sent"
    assert not Certificate.objects.exists()
    case.refresh_from_db()
    assert case.status == Status.ADVICE_GIVEN


def test_a_certificate_after_advice_needs_the_family_to_have_declined(personas):
    case = case_in(personas, Status.ADVICE_BOOKED)
    services.record_advice_outcome(
        actor=personas.adviser, case=case, outcome="not_decided", calendar=base_calendar()
    )
    with pytest.raises(InvalidChange):
        services.issue_certificate(actor=personas.adviser, case=case, calendar=base_calendar())


def test_verification_needs_both_the_number_and_the_code(personas):
    case = case_in(personas, Status.CERTIFICATE_ISSUED)
    certificate = case.certificates.get()
    code = certificate.verification_code
    assert len(code) == 14 and code.count("-") == 2
    assert certificates.verify(certificate.number, code) == certificate
    assert certificates.verify(certificate.number.lower(), code.replace("-", "").lower()) == certificate
    assert certificates.verify(certificate.number, "AAAA-AAAA-AAAA") is None
    assert certificates.verify("MC-2026-999999", code) is None
    codes = {certificates.new_verification_code() for _ in range(500)}
    assert len(codes) == 500


# --- disagreement resolution ---------------------------------------------------------------------


def test_everyone_agreeing_gives_consent_and_one_refusal_refuses(personas):
    case = case_in(personas, Status.CONSENT_PENDING)
    parent = case.parties.get(role=Party.Role.PARENT)
    school = case.parties.get(role=Party.Role.EDUCATION_PROVIDER)
    services.add_party(actor=personas.coordinator, case=case, role=Party.Role.SUPPORTER, name="An advocate")
    services.record_dr_consent(actor=personas.coordinator, case=case, party=parent, consent="yes")
    assert case.status == Status.CONSENT_PENDING
    services.record_dr_consent(actor=personas.coordinator, case=case, party=school, consent="yes")
    assert case.status == Status.CONSENT_GIVEN
    events = case.events.filter(kind="dr_consent_recorded").order_by("id")
    assert [event.data["to"] for event in events] == ["consent_pending", "consent_given"]

    refused = case_in(personas, Status.CONSENT_PENDING, child_first_name="Zara")
    school = refused.parties.get(role=Party.Role.EDUCATION_PROVIDER)
    services.record_dr_consent(actor=personas.coordinator, case=refused, party=school, consent="no")
    assert refused.status == Status.CONSENT_REFUSED


# --- the rest ------------------------------------------------------------------------------------


def test_assigning_checks_each_persons_role(personas):
    case = open_case(personas, actor=personas.manager)
    with pytest.raises(InvalidChange) as refused:
        services.assign(
            actor=personas.coordinator, case=case, coordinator=None, adviser=personas.mediator, mediator=None
        )
    assert refused.value.field == "adviser"
    services.assign(
        actor=personas.coordinator,
        case=case,
        coordinator=personas.coordinator,
        adviser=personas.adviser,
        mediator=None,
    )
    event = case.events.get(kind="assigned")
    assert event.data == {
        "coordinator": {"id": personas.coordinator.pk, "name": "Cora Lind"},
        "adviser": {"id": personas.adviser.pk, "name": "Adam Reeve"},
    }
    services.assign(
        actor=personas.coordinator,
        case=case,
        coordinator=personas.coordinator,
        adviser=personas.adviser,
        mediator=None,
    )
    assert case.events.filter(kind="assigned").count() == 1  # nothing changed, nothing recorded


def test_a_note_event_carries_no_text(personas):
    case = open_case(personas)
    note = services.add_note(actor=personas.coordinator, case=case, text="Mum works nights: call after 2pm")
    assert note.author == personas.coordinator
    assert case.events.get(kind="note_added").data == {}


def test_a_document_is_stored_with_its_hash(personas):
    case = open_case(personas)
    content = pdf_saying(b"a report")
    document = services.add_document(
        actor=personas.coordinator,
        case=case,
        upload=SimpleUploadedFile("Amir Khan report.pdf", content, content_type="application/pdf"),
        name="Educational psychologist report",
        kind=Document.Kind.EVIDENCE,
    )
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert "Amir" not in document.file.name
    assert document.file.read() == content


def test_case_events_are_append_only(personas):
    case = open_case(personas)
    event = case.events.get()
    event.data = {"changed": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(case=case).update(data={})
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(case=case).delete()


def test_the_database_refuses_a_closed_case_without_its_closing_date_and_outcome(personas):
    case = open_case(personas)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=Status.CLOSED, closed_on=datetime.date(2026, 10, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(reference="CASE-1")


def test_closing_records_the_date_and_outcome(personas):
    case = case_in(personas, Status.CERTIFICATE_ISSUED)
    services.close_case(
        actor=personas.coordinator, case=case, outcome="certificate_issued", on=datetime.date(2026, 11, 1)
    )
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.outcome) == (
        "closed",
        datetime.date(2026, 11, 1),
        "certificate_issued",
    )
    assert case.events.get(kind="closed").data["outcome"] == "certificate_issued"


# --- the family's link ---------------------------------------------------------------------------


def test_a_family_link_opens_only_its_case_and_expires(personas, settings):
    case = open_case(personas)
    other = open_case(personas, child_first_name="Zara")
    token = family.family_token(case)
    assert family.case_for_token(token) == case
    assert family.case_for_token(token + "x") is None
    assert family.case_for_token(family.family_token(other)) == other
    settings.FAMILY_LINK_DAYS = 0
    assert family.case_for_token(token) is None


def test_a_new_family_key_stops_old_links(personas):
    case = open_case(personas)
    token = family.family_token(case)
    Case.objects.filter(pk=case.pk).update(family_access_key="rotated-key")
    assert family.case_for_token(token) is None


def test_a_user_without_a_role_sees_nothing(personas):
    open_case(personas)
    nobody = User.objects.create_user(username="nobody", role="")
    assert not Case.objects.visible_to(nobody).exists()
    assert Case.objects.visible_to(personas.manager).count() == 1
    assert not Case.objects.visible_to(personas.other_la_officer).exists()
    # Nor does the authority's own officer: it has not been told of the case (docs/access.md).
    assert not Case.objects.visible_to(personas.la_officer).exists()
    assert not Case.objects.visible_to(personas.adviser).exists()
