"""The front doors: references, sending once, accepting and declining, phone requests, clean-up."""

import datetime
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sendmediation.intake import services
from sendmediation.intake.forms import QUESTION_FORMS
from sendmediation.intake.journey import IncompleteRequest, RequestAnswers
from sendmediation.intake.models import HelpRequest, ReferenceCounter, RequestDraft
from sendmediation.intake.tests import files
from sendmediation.intake.tests.journey import parent_mediation, professional_dr, today, years_ago
from sendmediation.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"


def complete_draft(steps=None, *, now=None) -> RequestDraft:
    """A draft with every page answered, through the same forms the pages use."""
    draft = services.start_draft(now=now)
    who = ""
    for slug, data in steps or parent_mediation():
        form = QUESTION_FORMS[slug](data, who=who, today=today())
        assert form.is_valid(), (slug, form.errors)
        answer = form.answer()
        if slug == "letter":
            answer = {"uploaded": False}
        services.save_answer(draft=draft, slug=slug, answer=answer, now=now)
        if slug == "who":
            who = answer["who"]
    return draft


def phone_answers(**changes) -> RequestAnswers:
    values: dict[str, Any] = {
        "who": "parent",
        "help_wanted": "advice",
        "decisions": ("refused_assessment",),
        "decision_letter_date": today() - datetime.timedelta(days=3),
        "child_name": "Noah Smith",
        "child_date_of_birth": years_ago(5),
        "postcode": "SW1A 1AA",
        "contact_name": "Ella Smith",
        "phone": "07700 900 982",
        "email": "ella.smith@example.org",
    }
    values.update(changes)
    return RequestAnswers(**values)


def test_references_run_in_sequence_within_a_year_and_restart_in_the_next():
    moment = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)  # 31 Dec in London
    first = services.submit_request(draft=complete_draft(now=moment), now=moment)
    second = services.submit_request(draft=complete_draft(now=moment), now=moment)
    new_year = moment + datetime.timedelta(hours=1)
    third = services.submit_request(draft=complete_draft(now=new_year), now=new_year)
    assert [first.reference, second.reference, third.reference] == [
        "MED-2026-000001",
        "MED-2026-000002",
        "MED-2027-000001",
    ]
    assert dict(ReferenceCounter.objects.values_list("year", "last_number")) == {2026: 2, 2027: 1}


def test_a_send_that_fails_gives_its_number_back():
    services.submit_request(draft=complete_draft())
    draft = complete_draft()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.submit_request(draft=draft)
        raise RuntimeError("the server fell over before commit")
    draft.refresh_from_db()
    assert draft.submitted_at is None
    again = services.submit_request(draft=draft)
    assert again.number == 2


def test_sending_a_draft_twice_returns_the_same_request():
    draft = complete_draft()
    first = services.submit_request(draft=draft)
    second = services.submit_request(draft=draft)
    assert first == second
    assert HelpRequest.objects.count() == 1 and OutboxMessage.objects.count() == 1


def test_an_incomplete_draft_is_not_sent_and_names_the_missing_page():
    draft = complete_draft(parent_mediation()[:5])
    with pytest.raises(IncompleteRequest) as raised:
        services.submit_request(draft=draft)
    assert raised.value.slug == "child"
    draft.refresh_from_db()
    assert draft.submitted_at is None and not HelpRequest.objects.exists()


def test_an_expired_draft_is_gone():
    draft = complete_draft()
    with pytest.raises(services.DraftGone):
        services.submit_request(draft=draft, now=timezone.now() + services.DRAFT_LIFETIME)


def test_the_confirmation_email_goes_out_with_the_reference(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.submit_request(draft=complete_draft())
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sarah.khan@example.org"]
    assert request.reference in email.subject and request.reference in email.body


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite runs one writing transaction at a time by design")
def test_concurrent_sends_get_distinct_numbers_without_gaps():
    drafts = [complete_draft() for _ in range(8)]
    results, errors = _run_together([lambda d=d: services.submit_request(draft=d) for d in drafts])
    assert not errors
    assert sorted(r.number for r in results) == list(range(1, 9))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite runs one writing transaction at a time by design")
def test_concurrent_sends_of_one_draft_make_one_request():
    draft = complete_draft()
    results, errors = _run_together([lambda: services.submit_request(draft=draft) for _ in range(4)])
    assert not errors
    assert len({r.pk for r in results}) == 1
    assert HelpRequest.objects.count() == 1 and OutboxMessage.objects.count() == 1


@pytest.mark.skipif(ON_POSTGRES, reason="the threaded tests above cover PostgreSQL")
def test_concurrent_sends_on_a_sqlite_file_get_distinct_numbers_and_one_request_per_draft(tmp_path):
    # The suite's SQLite database is in memory, where a lock fails at once instead of waiting.
    result = subprocess.run(
        [sys.executable, "-m", "sendmediation.intake.tests.sqlite_race", str(tmp_path / "race.sqlite3")],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=settings.BASE_DIR,
    )
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["numbers"] == list(range(1, 10))
    assert outcome["from_shared"] == [outcome["shared_sent_as"]]


def _run_together(calls):
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_a_coordinator_accepts_a_new_request(personas):
    request = services.submit_request(draft=complete_draft())
    moment = timezone.now()
    services.accept_request(actor=personas.coordinator, help_request=request, now=moment)
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.ACCEPTED
    assert (request.status_changed_by, request.status_changed_at) == (personas.coordinator, moment)
    with pytest.raises(services.RequestAlreadyDecided, match="is already accepted: it cannot be declined"):
        services.decline_request(
            actor=personas.manager, help_request=request, reason=HelpRequest.DeclineReason.DUPLICATE
        )
    with pytest.raises(services.RequestAlreadyDecided):
        services.accept_request(actor=personas.coordinator, help_request=request)


@pytest.mark.parametrize(
    ("reason", "note"),
    [
        (HelpRequest.DeclineReason.DUPLICATE, ""),
        (HelpRequest.DeclineReason.OUT_OF_AREA, "Lives in Wales"),
        (HelpRequest.DeclineReason.OTHER, "Asked us to stop"),
    ],
)
def test_a_manager_declines_a_request_with_a_reason(personas, reason, note):
    request = services.submit_request(draft=complete_draft())
    services.decline_request(actor=personas.manager, help_request=request, reason=reason, note=note)
    request.refresh_from_db()
    assert (request.status, request.decline_reason, request.decline_note) == ("declined", reason, note)
    assert request.status_changed_by == personas.manager


def test_declining_for_another_reason_needs_a_note(personas):
    request = services.submit_request(draft=complete_draft())
    with pytest.raises(services.InvalidAnswers):
        services.decline_request(
            actor=personas.coordinator, help_request=request, reason=HelpRequest.DeclineReason.OTHER, note=" "
        )
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.NEW


@pytest.mark.parametrize("who", ["adviser", "mediator", "la_officer"])
def test_only_coordinators_and_managers_accept_or_decline(personas, who):
    request = services.submit_request(draft=complete_draft())
    actor = getattr(personas, who)
    with pytest.raises(PermissionDenied):
        services.accept_request(actor=actor, help_request=request)
    with pytest.raises(PermissionDenied):
        services.decline_request(
            actor=actor, help_request=request, reason=HelpRequest.DeclineReason.DUPLICATE
        )
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.NEW


def test_the_database_refuses_impossible_requests(personas):
    request = services.submit_request(draft=complete_draft())
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpRequest.objects.filter(pk=request.pk).update(status="declined")
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpRequest.objects.filter(pk=request.pk).update(who="professional")
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpRequest.objects.filter(pk=request.pk).update(contact_by_phone=False, contact_by_email=False)


def test_staff_record_a_request_taken_on_the_phone(personas):
    request = services.record_phone_request(actor=personas.adviser, answers=phone_answers())
    assert request.source == HelpRequest.Source.PHONE and request.recorded_by == personas.adviser
    assert request.reference.endswith("000001") and request.status == HelpRequest.Status.NEW
    assert request.local_authority == personas.authority
    assert request.contact_adviser_by is not None
    assert OutboxMessage.objects.get().dedupe_key == f"request-received:{request.reference}"
    # It shares the year's sequence with the website.
    assert services.submit_request(draft=complete_draft()).number == 2


def test_a_phone_referral_needs_the_family_agreement_and_the_right_person(personas):
    referral = phone_answers(who="professional", referrer_name="Priya Shah")
    with pytest.raises(services.InvalidAnswers):
        services.record_phone_request(actor=personas.coordinator, answers=referral)
    with pytest.raises(PermissionDenied):
        services.record_phone_request(actor=personas.la_officer, answers=phone_answers())
    with pytest.raises(services.InvalidAnswers):
        services.record_phone_request(actor=personas.coordinator, answers=phone_answers(phone="", email=""))
    assert not HelpRequest.objects.exists()
    agreed = phone_answers(who="professional", referrer_name="Priya Shah", family_agreed_at=timezone.now())
    assert services.record_phone_request(actor=personas.coordinator, answers=agreed).family_agreed_at


def test_a_professional_referral_records_when_the_family_agreed():
    request = services.submit_request(draft=complete_draft(professional_dr()))
    assert request.family_agreed_at is not None
    assert request.referrer_name == "Priya Shah"


def test_expired_drafts_and_their_letters_are_deleted(private_media, django_capture_on_commit_callbacks):
    old = timezone.now() - services.DRAFT_LIFETIME - datetime.timedelta(minutes=1)
    abandoned = complete_draft(parent_mediation()[:4], now=old)
    services.attach_decision_letter(
        draft=abandoned, upload=SimpleUploadedFile("a.pdf", files.PDF), client_address="192.0.2.1", now=old
    )
    abandoned_file = Path(private_media) / abandoned.decision_letter.name
    sent = complete_draft(parent_mediation()[:4], now=old)
    services.attach_decision_letter(
        draft=sent, upload=SimpleUploadedFile("b.pdf", files.PDF), client_address="192.0.2.1", now=old
    )
    sent_file = Path(private_media) / sent.decision_letter.name
    for slug, data in parent_mediation()[5:]:
        form = QUESTION_FORMS[slug](data, who="parent", today=today())
        assert form.is_valid()
        services.save_answer(draft=sent, slug=slug, answer=form.answer(), now=old)
    request = services.submit_request(draft=sent, now=old + datetime.timedelta(seconds=1))
    recent = complete_draft(parent_mediation()[:2])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("delete_expired_request_drafts")
    assert list(RequestDraft.objects.all()) == [recent]
    assert not abandoned_file.exists()
    assert (
        sent_file.exists() and HelpRequest.objects.get().decision_letter.name == request.decision_letter.name
    )


def test_personal_fields_are_real_fields():
    for model in (HelpRequest, RequestDraft):
        names = {field.name for field in model._meta.get_fields()}
        assert names >= model.PERSONAL_FIELDS
    assert {"child_name", "child_date_of_birth", "postcode", "email", "phone"} <= HelpRequest.PERSONAL_FIELDS
