"""What tells a new member of staff what to do next, and what tells the family what is happening."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases import services
from sendmediation.cases.errors import ActionNotPermitted, InvalidChange, TransitionNotAllowed
from sendmediation.cases.models import AdviceCall, Case
from sendmediation.cases.tests.builders import BOOKED_AT, case_in, open_case
from sendmediation.cases.tests.test_services import phone_request
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.services import render_message

pytestmark = pytest.mark.django_db

Status = Case.Status


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _accept(client: Client, reference: str, personas) -> None:
    response = client.post(
        reverse("cases:accept_request", args=[reference]),
        {
            "child_first_name": "Noah",
            "child_last_name": "Smith",
            "local_authority": personas.authority.code,
            "kind": "advice_only",
        },
    )
    assert response.status_code == 302


# --- accepting a request is triage ---------------------------------------------------------------


def test_accepting_a_request_triages_the_case_and_emails_the_family_its_link(personas):
    request = phone_request(personas)
    _accept(signed_in(personas.coordinator), request.reference, personas)
    case = Case.objects.get(reference=request.reference)
    assert (case.status, case.kind) == (Status.TRIAGED, Case.Kind.ADVICE_ONLY)
    assert list(case.events.order_by("id").values_list("kind", flat=True)) == ["opened", "triaged"]
    message = OutboxMessage.objects.get(template="case_opened")
    assert message.recipients == ["ella.smith@example.org"]
    assert "/your-case/" in message.context["case_link"]
    assert message.context["kind"] == "advice_only"
    assert message.context["appeal_by"] == case.deadlines.get(rule="appeal_by").due.isoformat()
    assert message.context["adviser_call_by"] == request.reply_by.isoformat()
    # The family's name is in the greeting; the child's never is.
    assert "Noah" not in str(message.context)


def test_a_case_opened_by_phone_is_triaged_when_opened_from_the_page(personas):
    client = signed_in(personas.coordinator)
    response = client.post(
        reverse("cases:open_case"),
        {
            "kind": "mediation",
            "child_first_name": "Ruby",
            "child_last_name": "Hall",
            "child_date_of_birth_0": "2",
            "child_date_of_birth_1": "3",
            "child_date_of_birth_2": "2016",
            "local_authority": personas.authority.code,
            "decision_letter_sent_0": "1",
            "decision_letter_sent_1": "10",
            "decision_letter_sent_2": "2026",
            "decisions": ["refused_assessment"],
            "issues_education": "on",
            "family_role": "parent",
            "family_name": "Jo Hall",
            "family_email": "jo.hall@example.org",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(child_last_name="Hall")
    assert case.status == Status.TRIAGED
    assert OutboxMessage.objects.get(template="case_opened").recipients == ["jo.hall@example.org"]


def test_a_case_opened_without_triage_still_starts_at_received(personas):
    case = open_case(personas)
    assert case.status == Status.RECEIVED


# --- the next step on the case page --------------------------------------------------------------


def test_the_case_page_names_the_next_step_and_offers_it_to_whoever_may_take_it(personas):
    case = case_in(personas, Status.TRIAGED)
    url = reverse("cases:case_detail", args=[case.reference])
    coordinator_page = signed_in(personas.coordinator).get(url).content.decode()
    assert "Next step" in coordinator_page
    assert "Book a call between the family and a mediation adviser." in coordinator_page
    book = reverse("cases:case_action", args=[case.reference, "book_advice"])
    assert f'class="govuk-button govuk-!-margin-bottom-0" data-module="govuk-button" href="{book}"' in (
        coordinator_page
    )
    assert "Other things you can do" in coordinator_page

    case = case_in(personas, Status.ADVICE_GIVEN)  # the family declined mediation
    adviser_page = signed_in(personas.adviser).get(reverse("cases:case_detail", args=[case.reference]))
    assert "issue their certificate" in adviser_page.content.decode()
    coordinator_view = signed_in(personas.coordinator).get(
        reverse("cases:case_detail", args=[case.reference])
    )
    html = coordinator_view.content.decode()
    assert "This is done by the mediation adviser." in html
    assert reverse("cases:case_action", args=[case.reference, "issue_certificate"]) not in html


def test_a_closed_case_has_no_next_step(personas):
    case = case_in(personas, Status.CLOSED)
    page = signed_in(personas.coordinator).get(reverse("cases:case_detail", args=[case.reference]))
    assert "Next step" not in page.content.decode()


def test_an_action_already_done_is_offered_again_in_words_that_say_so(personas):
    case = case_in(personas, Status.ADVICE_BOOKED)
    page = signed_in(personas.coordinator).get(reverse("cases:case_detail", args=[case.reference]))
    html = page.content.decode()
    assert "Change the advice call" in html and "Book an advice call" not in html
    form = signed_in(personas.coordinator).get(
        reverse("cases:case_action", args=[case.reference, "book_advice"])
    )
    assert '<h1 class="govuk-heading-l">Change the advice call</h1>' in form.content.decode()
    # The form starts from the booking being changed.
    assert form.context["form"].initial == {
        "adviser": str(personas.adviser.pk),
        "day": datetime.date(2026, 10, 5),
        "time": datetime.time(10, 0),
    }


# --- booking and recording the advice call --------------------------------------------------------


def test_booking_offers_the_assigned_adviser_and_the_family_good_times_to_call(personas):
    request = phone_request(personas, good_times_to_call="Weekday mornings")
    coordinator = signed_in(personas.coordinator)
    _accept(coordinator, request.reference, personas)
    case = Case.objects.get(reference=request.reference)
    services.assign(
        actor=personas.coordinator,
        case=case,
        coordinator=personas.coordinator,
        adviser=personas.adviser,
        mediator=None,
    )
    page = coordinator.get(reverse("cases:case_action", args=[case.reference, "book_advice"]))
    assert page.context["form"].initial["adviser"] == str(personas.adviser.pk)
    html = page.content.decode()
    assert "Weekday mornings" in html and "07700 900982" in html


def test_booking_the_call_tells_the_family_when_and_a_change_tells_them_it_moved(personas):
    case = case_in(personas, Status.TRIAGED)
    first = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    first += datetime.timedelta(days=7)
    later = first + datetime.timedelta(days=1, hours=4, minutes=30)
    for moment in (first, first, later):
        services.book_advice(
            actor=personas.coordinator, case=case, adviser=personas.adviser, booked_for=moment
        )
    messages = list(OutboxMessage.objects.filter(template="advice_call_booked").order_by("id"))
    assert [m.context["starts_at"] for m in messages] == [first.isoformat(), later.isoformat()]
    assert messages[0].recipients == [personas.parent.email]
    assert messages[0].context["adviser_name"] == personas.adviser.display_name
    assert "/your-case/" in messages[0].context["case_link"]
    assert "previous_starts_at" not in messages[0].context
    assert render_message("advice_call_booked", messages[0].context).subject.startswith(
        "Your call with a mediation adviser (reference"
    )
    assert messages[1].context["previous_starts_at"] == first.isoformat()
    moved = render_message("advice_call_booked", messages[1].context)
    assert moved.subject.startswith("Your call with a mediation adviser has moved (reference")
    assert "has moved. It was going to be on" in moved.text
    assert "at 10am." in moved.text and "at 2:30pm." in moved.text
    assert "Your call with a mediation adviser has moved</h1>" in moved.html
    assert "Your call has moved. It was going to be on" in moved.html and "at 10am." in moved.html
    assert "will now phone you on <strong>" in moved.html

    page = signed_in(personas.coordinator).get(reverse("cases:case_detail", args=[case.reference]))
    timeline = [(heading, text) for _event, heading, text in page.context["timeline"]]
    assert timeline[0][0] == "Advice call changed"
    assert timeline[0][1].startswith("Call moved from ") and " at 10am to " in timeline[0][1]
    assert timeline[0][1].endswith(f"at 2:30pm with {personas.adviser.display_name}.")
    assert "moved from advice call booked" not in timeline[0][1]  # no status line when it stays the same
    assert timeline[1][0] == "Advice call booked"  # the first booking, newest first


def test_a_call_cannot_be_booked_for_a_time_that_has_passed(personas):
    case = case_in(personas, Status.TRIAGED)
    with pytest.raises(InvalidChange, match="has not passed yet"):
        services.book_advice(
            actor=personas.coordinator,
            case=case,
            adviser=personas.adviser,
            booked_for=timezone.now() - datetime.timedelta(hours=1),
        )
    assert not case.advice_calls.exists()
    assert not OutboxMessage.objects.filter(template="advice_call_booked").exists()

    coordinator = signed_in(personas.coordinator)
    url = reverse("cases:case_action", args=[case.reference, "book_advice"])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    answer = {"adviser": personas.adviser.pk, "day_0": yesterday.day, "day_1": yesterday.month}
    answer |= {"day_2": yesterday.year, "time": "2pm"}
    refused = coordinator.post(url, answer)
    assert refused.status_code == 200
    assert refused.context["form"].errors["day"] == ["The date of the call must be today or in the future"]
    assert not case.advice_calls.exists()

    tomorrow = yesterday + datetime.timedelta(days=2)
    answer |= {"day_0": tomorrow.day, "day_1": tomorrow.month, "day_2": tomorrow.year, "time": "2:30 PM"}
    booked = coordinator.post(url, answer)
    assert booked.status_code == 302
    call = case.advice_calls.get()
    assert call.booked_for is not None
    assert timezone.localtime(call.booked_for).time() == datetime.time(14, 30)
    again = coordinator.get(url)
    assert 'value="2:30pm"' in again.content.decode()  # the booked time, in the style it is shown


def test_a_call_a_few_minutes_ago_is_let_through_but_not_one_long_gone(personas):
    from sendmediation.cases.services.advice import BOOKING_GRACE

    case = case_in(personas, Status.TRIAGED)
    now = timezone.now()
    with pytest.raises(InvalidChange, match="has not passed yet"):
        services.book_advice(
            actor=personas.coordinator,
            case=case,
            adviser=personas.adviser,
            booked_for=now - BOOKING_GRACE - datetime.timedelta(minutes=1),
            now=now,
        )
    call = services.book_advice(
        actor=personas.coordinator,
        case=case,
        adviser=personas.adviser,
        booked_for=now - BOOKING_GRACE + datetime.timedelta(minutes=1),
        now=now,
    )
    assert call.booked_for == now - BOOKING_GRACE + datetime.timedelta(minutes=1)


def test_who_may_book_is_checked_before_whether_the_time_has_passed(personas):
    case = case_in(personas, Status.TRIAGED)
    # The mediator on the case sees it but may not book calls. (The authority's officer, who used
    # to be the example here, no longer sees a case at this stage at all: docs/access.md.)
    services.assign(
        actor=personas.coordinator, case=case, coordinator=None, adviser=None, mediator=personas.mediator
    )
    long_ago = timezone.now() - datetime.timedelta(days=30)
    with pytest.raises(ActionNotPermitted):
        services.book_advice(
            actor=personas.mediator, case=case, adviser=personas.adviser, booked_for=long_ago
        )
    closed = case_in(personas, Status.CERTIFICATE_ISSUED)
    with pytest.raises(TransitionNotAllowed):
        services.book_advice(
            actor=personas.coordinator, case=closed, adviser=personas.adviser, booked_for=long_ago
        )


def test_a_time_without_its_offset_is_refused(personas):
    case = case_in(personas, Status.TRIAGED)
    naive = datetime.datetime.now() + datetime.timedelta(days=2)
    with pytest.raises(InvalidChange, match="offset from UTC") as refused:
        services.book_advice(
            actor=personas.coordinator, case=case, adviser=personas.adviser, booked_for=naive
        )
    assert refused.value.field == "booked_for"
    with pytest.raises(InvalidChange, match="offset from UTC"):
        services.record_advice_outcome(
            actor=personas.coordinator, case=case, outcome="declines_mediation", held_at=naive
        )
    assert not case.advice_calls.exists()


def test_changing_only_the_adviser_tells_the_family_who_will_call(personas):
    from sendmediation.testing.personas import make_staff

    case = case_in(personas, Status.TRIAGED)
    moment = timezone.now() + datetime.timedelta(days=3)
    services.book_advice(actor=personas.coordinator, case=case, adviser=personas.adviser, booked_for=moment)
    other = make_staff("ada", "adviser")
    services.book_advice(actor=personas.coordinator, case=case, adviser=other, booked_for=moment)
    messages = list(OutboxMessage.objects.filter(template="advice_call_booked").order_by("id"))
    assert [m.context["adviser_name"] for m in messages] == [
        personas.adviser.display_name,
        other.display_name,
    ]
    assert "previous_starts_at" not in messages[1].context  # the time has not moved
    case.refresh_from_db()
    assert case.adviser == other
    page = signed_in(personas.coordinator).get(reverse("cases:case_detail", args=[case.reference]))
    heading, text = next((h, t) for _e, h, t in page.context["timeline"])
    assert heading == "Advice call changed"
    assert f"The adviser was {personas.adviser.display_name}." in text


@pytest.mark.parametrize(
    ("day", "time", "field", "error"),
    [
        ("28 3 2027", "1:30am", "time", "The clocks go forward an hour at 1am that day"),
        ("27 11 2026", "10am", "day", "The date of the call must be today or in the future"),
        ("28 11 2026", "9am", "time", "The call must be booked for a time that has not passed yet"),
    ],
)
def test_the_booking_form_puts_each_error_on_the_box_to_change(personas, day, time, field, error):
    from sendmediation.cases.forms import BookAdviceForm

    now = timezone.make_aware(datetime.datetime(2026, 11, 28, 12, 0))
    d, m, y = day.split()
    form = BookAdviceForm(
        {"adviser": personas.adviser.pk, "day_0": d, "day_1": m, "day_2": y, "time": time}, now=now
    )
    assert not form.is_valid()
    assert list(form.errors) == [field]
    assert str(form.errors[field][0]).startswith(error)
    fine = BookAdviceForm(
        {"adviser": personas.adviser.pk, "day_0": "28", "day_1": "3", "day_2": "2027", "time": "2:30am"},
        now=now,
    )
    assert fine.is_valid(), fine.errors


def test_the_advice_call_is_recorded_at_the_time_it_happened_never_in_the_future(personas):
    case = case_in(personas, Status.TRIAGED)
    soon = timezone.now() + datetime.timedelta(days=2)
    services.book_advice(actor=personas.coordinator, case=case, adviser=personas.adviser, booked_for=soon)
    adviser = signed_in(personas.adviser)
    url = reverse("cases:case_action", args=[case.reference, "record_advice_outcome"])
    form_page = adviser.get(url)
    assert form_page.context["form"].initial == {}  # booked for later: nothing to assume
    local_soon = timezone.localtime(soon)
    too_early = adviser.post(
        url,
        {
            "day_0": str(local_soon.day),
            "day_1": str(local_soon.month),
            "day_2": str(local_soon.year),
            "time": "10:00",
            "outcome": "declines_mediation",
        },
    )
    assert too_early.status_code == 200
    assert "The date of the call must be today or in the past" in too_early.content.decode()
    case.refresh_from_db()
    assert case.status == Status.ADVICE_BOOKED

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    done = adviser.post(
        url,
        {
            "day_0": str(yesterday.day),
            "day_1": str(yesterday.month),
            "day_2": str(yesterday.year),
            "time": "15:30",
            "outcome": "declines_mediation",
        },
    )
    assert done.status_code == 302
    call = AdviceCall.objects.get(case=case)
    assert timezone.localtime(call.held_at).replace(tzinfo=None) == datetime.datetime.combine(
        yesterday, datetime.time(15, 30)
    )
    assert case.events.get(kind="advice_given").data["held_on"] == yesterday.isoformat()
    assert case.deadlines.get(rule="certificate_after_advice").start == yesterday


def test_a_past_booking_is_offered_as_the_time_of_the_call(personas):
    case = case_in(personas, Status.ADVICE_BOOKED)  # booked for 5 October 2026, 10:00
    page = signed_in(personas.adviser).get(
        reverse("cases:case_action", args=[case.reference, "record_advice_outcome"])
    )
    assert page.context["form"].initial == {"day": datetime.date(2026, 10, 5), "time": datetime.time(10, 0)}


# --- my work -------------------------------------------------------------------------------------


def test_my_work_tells_a_coordinator_about_requests_waiting_and_an_adviser_about_calls(personas):
    phone_request(personas)
    phone_request(personas, child_name="Ava Lee", child_date_of_birth=datetime.date(2019, 1, 1))
    coordinator_page = signed_in(personas.coordinator).get(reverse("cases:my_work")).content.decode()
    assert "2 new requests for help are" in coordinator_page
    assert reverse("cases:request_list") in coordinator_page
    adviser = signed_in(personas.adviser)
    assert "new request" not in adviser.get(reverse("cases:my_work")).content.decode()

    past = case_in(personas, Status.ADVICE_BOOKED)  # booked in the past: to record
    later = case_in(personas, Status.TRIAGED)
    services.book_advice(
        actor=personas.coordinator,
        case=later,
        adviser=personas.adviser,
        booked_for=timezone.now() + datetime.timedelta(days=3),
    )
    page = adviser.get(reverse("cases:my_work"))
    calls = page.context["calls"]
    assert [call.case.reference for call in calls] == [past.reference, later.reference]
    html = page.content.decode()
    assert f"{personas.parent.first_name} {personas.parent.last_name}" in html  # who to phone
    assert reverse("cases:case_action", args=[past.reference, "record_advice_outcome"]) in html
    assert reverse("cases:case_action", args=[later.reference, "record_advice_outcome"]) not in html
    # Another adviser sees none of them.
    from sendmediation.testing.personas import make_staff

    other = make_staff("ada", "adviser")
    assert signed_in(other).get(reverse("cases:my_work")).context["calls"] == []


def test_the_request_list_names_the_contact_and_the_child(personas):
    phone_request(personas)
    html = signed_in(personas.coordinator).get(reverse("cases:request_list")).content.decode()
    assert "Ella Smith" in html and "Noah James Smith" in html


def test_a_call_later_today_cannot_be_recorded_yet(personas):
    # The service decides, so the page and the API refuse it alike; the form only reads the time.
    from sendmediation.cases.errors import InvalidChange

    case = case_in(personas, Status.ADVICE_BOOKED)
    now = timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 15))
    with pytest.raises(InvalidChange) as later:
        services.record_advice_outcome(
            actor=personas.adviser,
            case=case,
            outcome="declines_mediation",
            held_at=timezone.make_aware(datetime.datetime(2026, 11, 30, 10, 0)),
            now=now,
        )
    assert (later.value.field, later.value.message) == (
        "held_at",
        "The time of the call must be in the past: record the call after it ends",
    )
    call = services.record_advice_outcome(
        actor=personas.adviser,
        case=case,
        outcome="declines_mediation",
        held_at=timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 0)),
        now=now,
    )
    assert call.held_at == timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 0))


def test_the_certificate_page_shows_what_the_certificate_will_say_before_it_is_issued(personas):
    case = case_in(personas, Status.ADVICE_GIVEN)
    page = signed_in(personas.adviser).get(
        reverse("cases:case_action", args=[case.reference, "issue_certificate"])
    )
    html = page.content.decode()
    assert "The certificate will say" in html
    for expected in ("Amir Khan", personas.authority.name, "1 October 2026", personas.adviser.display_name):
        assert expected in html, expected
    assert f"{personas.parent.first_name} {personas.parent.last_name}" in html
    assert reverse("cases:case_action", args=[case.reference, "update_details"]) in html
    assert not case.certificates.exists()


def test_after_an_undecided_call_the_next_step_is_another_call(personas):
    case = case_in(personas, Status.ADVICE_BOOKED)
    services.record_advice_outcome(
        actor=personas.adviser,
        case=case,
        outcome="not_decided",
        held_at=timezone.make_aware(datetime.datetime(2026, 10, 6, 10, 0)),
    )
    html = (
        signed_in(personas.adviser).get(reverse("cases:case_detail", args=[case.reference])).content.decode()
    )
    assert "The family has not decided yet." in html
    record_again = reverse("cases:case_action", args=[case.reference, "record_advice_outcome"])
    assert f'data-module="govuk-button" href="{record_again}">Record another advice call</a>' in html


def test_the_family_page_gives_the_code_to_check_the_certificate_in_the_familys_words(personas, client):
    from sendmediation.cases import certificates
    from sendmediation.cases.family import family_token

    case = case_in(personas, Status.CERTIFICATE_ISSUED)
    certificate = case.certificates.get()
    certificates.store_pdf(certificate.pk)
    html = client.get(reverse("cases_public:family_case", args=[family_token(case)])).content.decode()
    assert certificate.verification_code in html
    assert reverse("cases_public:verify") in html
    assert 'href="tel:' in html

    advice = case_in(personas, Status.TRIAGED, kind=Case.Kind.ADVICE_ONLY)
    page = client.get(reverse("cases_public:family_case", args=[family_token(advice)])).content.decode()
    assert "Mediation advice, and a certificate if you decide not to try mediation" in page
    assert "Advice only" not in page


def test_a_call_that_does_not_reach_the_family_changes_nothing_but_says_so_and_asks_them_to_call(personas):
    case = case_in(personas, Status.ADVICE_BOOKED)
    before = list(case.deadlines.values_list("rule", "due", "met_on"))
    tried = timezone.make_aware(datetime.datetime(2026, 10, 5, 10, 5))
    services.record_advice_outcome(actor=personas.adviser, case=case, outcome="no_answer", held_at=tried)
    case.refresh_from_db()
    assert case.status == Status.ADVICE_BOOKED
    assert list(case.deadlines.values_list("rule", "due", "met_on")) == before
    event = case.events.get(kind="advice_call_missed")
    assert event.actor == personas.adviser
    message = OutboxMessage.objects.get(template="advice_call_missed")
    assert message.recipients == [personas.parent.email] and message.context["tried_at"] == tried.isoformat()

    # The case page says so, and offers another call; booking it makes a new call.
    html = (
        signed_in(personas.coordinator)
        .get(reverse("cases:case_detail", args=[case.reference]))
        .content.decode()
    )
    assert "The last call did not reach the family" in html
    assert "Book another advice call" in html and "Tried to phone the family on" in html
    later = timezone.make_aware(datetime.datetime(2026, 10, 7, 14, 0))
    services.book_advice(
        actor=personas.coordinator, case=case, adviser=personas.adviser, booked_for=later, now=tried
    )
    assert list(case.advice_calls.order_by("id").values_list("outcome", "booked_for")) == [
        ("no_answer", timezone.make_aware(datetime.datetime(2026, 10, 5, 10, 0))),
        ("", later),
    ]
    html = (
        signed_in(personas.coordinator)
        .get(reverse("cases:case_detail", args=[case.reference]))
        .content.decode()
    )
    assert "The last call did not reach the family" not in html and "Change the advice call" in html


def test_a_missed_call_logged_after_the_call_that_reached_the_family_does_not_hide_its_answer(personas):
    case = case_in(personas, Status.ADVICE_BOOKED)
    missed = timezone.make_aware(datetime.datetime(2026, 10, 6, 16, 0))
    services.record_advice_outcome(actor=personas.adviser, case=case, outcome="no_answer", held_at=missed)
    # The family rang back the same morning, before the missed call was tried: that call is entered now.
    reached = timezone.make_aware(datetime.datetime(2026, 10, 6, 10, 0))
    services.record_advice_outcome(
        actor=personas.adviser, case=case, outcome="declines_mediation", held_at=reached
    )
    latest = case.advice_calls.latest_reached()
    assert latest is not None and latest.held_at == reached
    page = signed_in(personas.coordinator).get(reverse("cases:case_detail", args=[case.reference]))
    assert "The family does not want mediation: issue their certificate" in page.content.decode()
    certificate = services.issue_certificate(actor=personas.adviser, case=case)
    assert certificate.kind == "after_advice"


def test_a_call_that_missed_the_family_after_advice_is_refused_and_not_offered(personas):
    case = case_in(personas, Status.ADVICE_GIVEN)
    with pytest.raises(InvalidChange, match="already had advice"):
        services.record_advice_outcome(actor=personas.adviser, case=case, outcome="no_answer")
    assert not OutboxMessage.objects.filter(template="advice_call_missed").exists()
    form = signed_in(personas.adviser).get(
        reverse("cases:case_action", args=[case.reference, "record_advice_outcome"])
    )
    html = form.content.decode()
    assert form.status_code == 200 and "The family does not want mediation" in html
    assert "We could not reach the family" not in html


def test_moving_the_call_to_another_adviser_at_the_same_time_tells_the_family_again(personas):
    case = case_in(personas, Status.ADVICE_BOOKED)
    booked_for = case.advice_calls.get().booked_for
    assert booked_for is not None
    other = User.objects.create_user(
        username="ade", password="x", role=User.Role.ADVISER, first_name="Ade", last_name="Okafor"
    )
    services.book_advice(
        actor=personas.coordinator, case=case, adviser=other, booked_for=booked_for, now=BOOKED_AT
    )
    sent = list(OutboxMessage.objects.filter(template="advice_call_booked").order_by("id"))
    assert len(sent) == 2 and sent[-1].context["adviser_name"] == other.display_name
    # Back to the first adviser: the family is told again, so their last email is right.
    services.book_advice(
        actor=personas.coordinator, case=case, adviser=personas.adviser, booked_for=booked_for, now=BOOKED_AT
    )
    # The same booking sent twice is one email.
    services.book_advice(
        actor=personas.coordinator, case=case, adviser=personas.adviser, booked_for=booked_for, now=BOOKED_AT
    )
    sent = list(OutboxMessage.objects.filter(template="advice_call_booked").order_by("id"))
    assert len(sent) == 3 and sent[-1].context["adviser_name"] == personas.adviser.display_name
