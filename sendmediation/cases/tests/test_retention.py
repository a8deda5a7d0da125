"""The retention schedule: each rule at its boundary, the dry run, the legal hold, the access log."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sendmediation.cases import retention, services
from sendmediation.cases.access_log import broken_links
from sendmediation.cases.family import max_age
from sendmediation.cases.models import AccessLog, AccessLogCheckpoint, Case, CaseEvent, Note, SearchWord
from sendmediation.cases.queries import log_access
from sendmediation.cases.tests.builders import case_in
from sendmediation.cases.tests.test_services import phone_request
from sendmediation.common import retention as schedule
from sendmediation.common.tests.files import pdf_saying
from sendmediation.intake.models import HelpRequest
from sendmediation.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _years_after(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year + years)


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _apply(day: datetime.date, **options):
    return retention.apply_retention(today=day, now=_at(day), **options)


@pytest.fixture
def closed(personas):
    case = case_in(personas, "closed")
    services.add_note(actor=personas.coordinator, case=case, text="Mum said Amir is struggling")
    return Case.objects.get(pk=case.pk)


# --- closed cases: six years after closing --------------------------------------------------------


def test_a_closed_case_is_kept_the_day_before_six_years_and_anonymised_on_the_day(closed):
    six_years = _years_after(closed.closed_on, 6)

    _apply(six_years - DAY)
    closed.refresh_from_db()
    assert closed.anonymised_on is None and closed.child_first_name == "Amir"

    found = _apply(six_years)
    assert found.references["closed_cases"] == [closed.reference]
    closed.refresh_from_db()
    assert closed.anonymised_on == six_years
    assert (closed.child_first_name, closed.child_last_name, closed.postcode, closed.summary) == (
        "",
        "",
        "",
        "",
    )
    assert closed.child_date_of_birth is None
    # What the reports read stays.
    assert closed.status == Case.Status.CLOSED and closed.outcome and closed.closed_on
    assert closed.kind == Case.Kind.MEDIATION and closed.local_authority_id
    party = closed.parties.get()
    assert (party.name, party.email, party.phone, party.address) == ("", "", "", "")
    assert Note.objects.get(case=closed).text == ""
    assert not SearchWord.objects.filter(case=closed).exists()
    assert closed.events.filter(kind=CaseEvent.Kind.ANONYMISED, actor=None).count() == 1


def test_the_case_list_says_an_anonymised_cases_personal_data_was_removed(closed, personas, client):
    six_years = _years_after(closed.closed_on, 6)
    _apply(six_years)
    client.force_login(personas.manager)
    html = client.get(reverse("cases:case_list")).content.decode()
    row = html[html.index(f">{closed.reference}</a>") :]
    row = row[: row.index("</td>")]
    assert f"Personal data removed {six_years.day} {six_years:%b %Y}" in row


def test_anonymising_twice_changes_nothing_more(closed):
    six_years = _years_after(closed.closed_on, 6)
    _apply(six_years)
    closed.refresh_from_db()
    key = closed.family_access_key
    found = _apply(six_years + DAY)
    assert found.references["closed_cases"] == []
    closed.refresh_from_db()
    assert closed.family_access_key == key
    assert closed.events.filter(kind=CaseEvent.Kind.ANONYMISED).count() == 1


def test_anonymising_deletes_documents_and_the_certificate_pdf_from_storage(
    personas, django_capture_on_commit_callbacks
):
    case = case_in(personas, "certificate_issued")
    services.add_document(
        actor=personas.coordinator,
        case=case,
        upload=_pdf("letter.pdf"),
        name="Decision letter for Amir",
        kind="decision_letter",
    )
    certificate = case.certificates.get()
    certificate.pdf.save("certificate.pdf", ContentFile(b"%PDF-1.4 certificate"), save=True)
    services.close_case(actor=personas.coordinator, case=case, outcome=Case.Outcome.CERTIFICATE_ISSUED)
    case.refresh_from_db()
    assert case.closed_on is not None
    stored = [case.documents.get().file.name, certificate.pdf.name]
    assert all(default_storage.exists(name) for name in stored)

    with django_capture_on_commit_callbacks(execute=True):
        _apply(_years_after(case.closed_on, 6))

    document = case.documents.get()
    assert (document.file.name, document.name) == ("", "")
    certificate.refresh_from_db()
    assert certificate.pdf.name == "" and certificate.number and certificate.child_initials == "AK"
    assert not any(default_storage.exists(name) for name in stored)


def _pdf(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, pdf_saying(name.encode()), content_type="application/pdf")


def test_a_legal_hold_stops_anonymisation_until_it_is_lifted(closed, personas):
    six_years = _years_after(closed.closed_on, 6)
    services.place_legal_hold(actor=personas.manager, case=closed, reason="A claim has been made")
    assert _apply(six_years).references["closed_cases"] == []
    closed.refresh_from_db()
    assert closed.anonymised_on is None and closed.child_first_name == "Amir"

    services.lift_legal_hold(actor=personas.manager, case=closed, reason="The claim was settled")
    assert _apply(six_years).references["closed_cases"] == [closed.reference]
    closed.refresh_from_db()
    assert closed.anonymised_on == six_years


def test_the_dry_run_lists_what_would_go_and_changes_nothing(closed):
    six_years = _years_after(closed.closed_on, 6)
    before = Case.objects.values().get(pk=closed.pk)
    events = closed.events.count()
    found = _apply(six_years, dry_run=True)
    assert found.references["closed_cases"] == [closed.reference]
    assert Case.objects.values().get(pk=closed.pk) == before
    assert closed.events.count() == events


def test_the_command_prints_references_and_counts_but_no_names(closed, capsys):
    six_years = _years_after(closed.closed_on, 6)
    call_command("apply_retention", "--dry-run", "--today", six_years.isoformat())
    out = capsys.readouterr().out
    assert closed.reference in out and "Dry run" in out
    assert "Amir" not in out and "Khan" not in out and "SW1A" not in out
    closed.refresh_from_db()
    assert closed.anonymised_on is None

    call_command("apply_retention", "--today", six_years.isoformat())
    closed.refresh_from_db()
    assert closed.anonymised_on == six_years


# --- turned-down requests: 90 days after --------------------------------------------------------


@pytest.fixture
def declined(personas):
    request = phone_request(personas)
    decided = _at(datetime.date(2026, 9, 1))
    services.decline_help_request(
        actor=personas.coordinator, help_request=request, reason="out_of_area", note="Lives in Wales"
    )
    HelpRequest.objects.filter(pk=request.pk).update(status_changed_at=decided)
    return HelpRequest.objects.get(pk=request.pk)


@pytest.mark.parametrize(("days", "removed"), [(89, False), (90, True), (91, True)])
def test_a_turned_down_request_loses_its_details_after_90_days(declined, days, removed):
    _apply(datetime.date(2026, 9, 1) + days * DAY)
    declined.refresh_from_db()
    assert (declined.anonymised_on is not None) is removed
    if removed:
        assert (declined.child_name, declined.contact_name, declined.postcode) == ("", "", "")
        assert (declined.email, declined.phone) == ("", "")
        assert declined.child_date_of_birth is None and declined.decline_note == ""
        # The figures count it still.
        assert declined.reference and declined.source and declined.created_at
    else:
        assert declined.child_name


# --- sent emails: 90 days after delivery ----------------------------------------------------------


@pytest.mark.parametrize(("days", "purged"), [(89, False), (90, True), (91, True)])
def test_a_sent_email_loses_its_body_recipients_and_attachments_after_90_days(days, purged):
    sent_on = datetime.date(2026, 6, 1)
    message = OutboxMessage.objects.create(
        template="family_link",
        recipients=["parent@example.com"],
        context={"link": "https://example.com/family/abc"},
        attachments=[{"text": "invite"}],
        dedupe_key="x",
        message_id="<x@example>",
        case_reference="MED-2026-000001",
        status=OutboxMessage.Status.SENT,
        sent_at=_at(sent_on),
        next_attempt_at=_at(sent_on),
    )
    _apply(sent_on + days * DAY)
    message.refresh_from_db()
    assert (message.purged_at is not None) is purged
    assert (message.context, message.recipients, message.attachments == []) == (
        ({}, [], True)
        if purged
        else ({"link": "https://example.com/family/abc"}, ["parent@example.com"], False)
    )


# --- the access log: two years, and its chain still holds -----------------------------------------


def test_pruning_the_access_log_keeps_its_chain_verifiable(personas, capsys):
    case = case_in(personas, "received")
    for _ in range(3):
        log_access(user=personas.coordinator, case=case, what="case_page")
    rows = list(AccessLog.objects.order_by("id"))
    old, kept = rows[:2], rows[2:]
    AccessLog.objects.filter(pk__in=[row.pk for row in old]).update(at=_at(datetime.date(2024, 1, 1)))
    # Moving the time changes what the hash covered: write the chain again as it would have been.
    _rechain()
    two_years = datetime.date(2026, 1, 1)

    _apply(two_years - DAY)
    assert AccessLog.objects.count() == 3
    _apply(two_years)
    assert list(AccessLog.objects.values_list("id", flat=True)) == [row.pk for row in kept]
    checkpoint = AccessLogCheckpoint.objects.get()
    assert (checkpoint.removed_rows, checkpoint.removed_through_id) == (2, old[-1].pk)
    call_command("verify_access_log")
    assert "chain holds: 1 rows checked" in capsys.readouterr().out
    # A new row follows on, and the chain still holds.
    log_access(user=personas.coordinator, case=case, what="case_page")
    assert list(broken_links()) == []


def test_removing_the_oldest_rows_without_a_checkpoint_is_still_found(personas):
    case = case_in(personas, "received")
    for _ in range(3):
        log_access(user=personas.coordinator, case=case, what="case_page")
    oldest = AccessLog.objects.order_by("id").first()
    assert oldest is not None
    AccessLog.objects.filter(pk=oldest.pk).delete()
    assert any("without a checkpoint" in problem for problem in broken_links())


def test_emptying_the_whole_log_leaves_a_checkpoint_the_next_row_follows(personas):
    case = case_in(personas, "received")
    log_access(user=personas.coordinator, case=case, what="case_page")
    AccessLog.objects.update(at=_at(datetime.date(2020, 1, 1)))
    _rechain()
    _apply(datetime.date(2026, 12, 1))
    assert AccessLog.objects.count() == 0
    log_access(user=personas.coordinator, case=case, what="case_page")
    assert AccessLog.objects.get().previous_hash == AccessLogCheckpoint.objects.get().last_hash
    assert list(broken_links()) == []


def _rechain() -> None:
    from sendmediation.cases.access_log import row_digest

    previous = ""
    for row in AccessLog.objects.order_by("id"):
        digest = row_digest(row, previous)
        AccessLog.objects.filter(pk=row.pk).update(previous_hash=previous, row_hash=digest)
        previous = digest


def test_a_family_link_expires_long_before_its_email_is_purged():
    # The privacy page says so: purging the stored copy is then all a sent link needs.
    purged_after = schedule.days("sent_emails")
    assert purged_after is not None and max_age() < datetime.timedelta(days=purged_after)
