"""The staff pages and the public ones, through the test client."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sendmediation.cases import certificates, services
from sendmediation.cases.errors import TransitionNotAllowed
from sendmediation.cases.family import family_token
from sendmediation.cases.models import AccessLog, Case, CaseEvent, Deadline
from sendmediation.cases.templatetags.casework import case_page
from sendmediation.cases.tests.builders import case_in, open_case
from sendmediation.cases.tests.test_services import phone_request
from sendmediation.common.tests.files import pdf_saying
from sendmediation.intake.models import HelpRequest
from sendmediation.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

Status = Case.Status


def signed_in(client, user):
    client.force_login(user)
    return client


# --- my work -------------------------------------------------------------------------------------


def test_my_work_shows_overdue_due_today_due_this_week_and_coming_up(personas, client):
    today = timezone.localdate()
    names = ("Ann", "Bob", "Cat", "Eve", "Dan")
    cases = [case_in(personas, Status.ADVICE_GIVEN, child_first_name=name) for name in names]
    monday = today - datetime.timedelta(days=today.weekday())
    in_ten_days = today + datetime.timedelta(days=10)  # always after this week, within two weeks
    sunday = monday + datetime.timedelta(days=6)
    # On a Sunday nothing is "later this week", so Dan's date goes beyond every list instead.
    dans = sunday if today < sunday else today + datetime.timedelta(days=41)
    dues = [today - datetime.timedelta(days=3), today, today + datetime.timedelta(days=40), in_ten_days, dans]
    for case, due in zip(cases, dues, strict=True):
        Deadline.objects.filter(case=case, rule="certificate_after_advice").update(due=due)
    page = signed_in(client, personas.adviser).get(reverse("cases:my_work"))
    assert page.status_code == 200
    buckets = {bucket.key: [row.case for row in bucket.rows] for bucket in page.context["buckets"]}
    assert buckets["overdue"] == [cases[0]]
    assert buckets["today"] == [cases[1]]
    assert buckets["week"] == ([cases[4]] if today < sunday else [])
    assert buckets["next"] == [cases[3]]  # 40 days away is in no bucket
    assert "Coming up in the next two weeks" in page.content.decode()
    listed = client.get(reverse("cases:case_list"), {"deadline": "next"}).context["page"].object_list
    assert [case.child_first_name for case in listed] == ["Eve"]
    # The family's own dates (appeal_by) are not staff work.
    assert all(row.rule != "appeal_by" for bucket in page.context["buckets"] for row in bucket.rows)
    # Someone else's work is not mine.
    assert not any(
        bucket.rows
        for bucket in signed_in(client, personas.mediator).get(reverse("cases:my_work")).context["buckets"]
    )


def test_an_la_officer_sees_the_authoritys_own_deadlines(personas, client):
    case_in(personas, Status.LA_NOTIFIED)
    Deadline.objects.filter(rule="mediation_by").update(due=timezone.localdate() - datetime.timedelta(days=1))
    mine = signed_in(client, personas.la_officer).get(reverse("cases:my_work")).context["buckets"]
    assert [row.rule for row in mine[0].rows] == ["mediation_by"]
    theirs = signed_in(client, personas.other_la_officer).get(reverse("cases:my_work")).context["buckets"]
    assert not theirs[0].rows


def test_an_la_officer_sees_a_duty_coming_up_before_it_is_urgent(personas, client):
    case_in(personas, Status.LA_NOTIFIED)
    Deadline.objects.filter(rule="mediation_by").update(due=timezone.localdate() + datetime.timedelta(days=9))
    buckets = signed_in(client, personas.la_officer).get(reverse("cases:my_work")).context["buckets"]
    assert {bucket.key: [row.rule for row in bucket.rows] for bucket in buckets}["next"] == ["mediation_by"]


# --- the case list -------------------------------------------------------------------------------


def test_the_list_filters_and_searches(personas, client):
    amir = open_case(personas, child_first_name="Amir", child_last_name="Khan", postcode="SW1A 1AA")
    open_case(personas, child_first_name="Bella", child_last_name="Jones", postcode="SW1P 3BU")
    kent = open_case(
        personas,
        child_first_name="Cai",
        child_last_name="Ng",
        postcode="CT2 7NZ",
        local_authority=personas.other_authority,
    )
    services.triage(actor=personas.coordinator, case=kent)
    client = signed_in(client, personas.coordinator)

    def found(**query):
        response = client.get(reverse("cases:case_list"), query)
        assert response.status_code == 200
        return sorted(case.child_first_name for case in response.context["page"].object_list)

    assert found() == ["Amir", "Bella", "Cai"]
    assert found(q="amir") == ["Amir"]
    assert found(q="jon") == ["Bella"]
    assert found(q="Sarah") == ["Amir", "Bella", "Cai"]  # the parent's name on every case
    assert found(q=amir.reference) == ["Amir"]
    assert found(q="sw1a") == ["Amir"]
    assert found(q="SW1P 3BU") == ["Bella"]
    assert found(status="triaged") == ["Cai"]
    assert found(authority=personas.other_authority.code) == ["Cai"]
    assert found(deadline="overdue") == []
    # Not one of them has reached the authority yet, so its officer sees none (docs/access.md).
    assert (
        signed_in(client, personas.la_officer).get(reverse("cases:case_list")).context["page"].paginator.count
        == 0
    )


def test_the_list_filters_by_time_since_received_and_by_any_open_status(personas, client):
    today = timezone.localdate()
    # Days since received on each side of every band's edge: 13 | 14 ... 41 | 42 ... 83 | 84.
    ages = {"Ann": 0, "Bob": 13, "Cat": 14, "Dan": 41, "Eve": 42, "Fay": 83, "Gus": 84, "Hal": 400}
    for name, days in ages.items():
        case = open_case(personas, child_first_name=name)
        Case.objects.filter(pk=case.pk).update(received_on=today - datetime.timedelta(days=days))
    withdrawn = case_in(personas, Status.WITHDRAWN, child_first_name="Ida")
    Case.objects.filter(pk=withdrawn.pk).update(received_on=today - datetime.timedelta(days=20))
    client = signed_in(client, personas.coordinator)

    def found(**query):
        response = client.get(reverse("cases:case_list"), query)
        assert response.status_code == 200 and response.context["form"].is_valid()
        return sorted(case.child_first_name for case in response.context["page"].object_list)

    assert found(age="under_2_weeks") == ["Ann", "Bob"]
    assert found(age="2_to_6_weeks") == ["Cat", "Dan", "Ida"]
    assert found(age="6_to_12_weeks") == ["Eve", "Fay"]
    assert found(age="over_12_weeks") == ["Gus", "Hal"]
    assert found(status="open", age="2_to_6_weeks") == ["Cat", "Dan"]
    assert found(status="open") == sorted(ages)
    assert found(status="withdrawn") == ["Ida"]
    response = client.get(reverse("cases:case_list"), {"status": "open", "age": "over_12_weeks"})
    assert response.context["active_filters"] == [
        ("Status", "Any open status", "age=over_12_weeks"),
        ("Time since received", "Over 12 weeks", "status=open"),
    ]
    # A band that does not exist is refused by the form, as any other unknown choice is.
    assert not client.get(reverse("cases:case_list"), {"age": "forever"}).context["form"].is_valid()


def test_the_list_names_its_filters_and_each_can_be_removed(personas, client):
    open_case(personas, child_first_name="Amir", child_last_name="Khan")
    client = signed_in(client, personas.coordinator)
    response = client.get(reverse("cases:case_list"), {"status": "received", "q": "amir", "page": "1"})
    assert response.context["active_filters"] == [
        ("Search", '"amir"', "status=received"),
        ("Status", "Received", "q=amir"),
    ]
    html = response.content.decode()
    assert "Showing only cases where:" in html and "Clear all filters" in html
    assert "Newest first, by the day the request for help was received." in html
    assert "Showing only" not in client.get(reverse("cases:case_list")).content.decode()


def test_an_officer_filters_only_by_what_applies_to_them(personas, client):
    mine = case_in(personas, Status.LA_NOTIFIED, child_first_name="Amir", child_last_name="Khan")
    open_case(
        personas, child_first_name="Cai", child_last_name="Ng", local_authority=personas.other_authority
    )
    officer = signed_in(client, personas.la_officer)
    page = officer.get(reverse("cases:case_list"))
    form = page.context["form"]
    assert list(form.fields) == ["q", "status", "age", "deadline"]  # no authority list, no "Assigned to: Me"
    html = page.content.decode()
    assert personas.other_authority.name not in html and 'name="assignee"' not in html
    # Asking for another authority's cases by hand changes nothing: the officer still sees their own.
    other = officer.get(reverse("cases:case_list"), {"authority": personas.other_authority.code})
    assert [case.reference for case in other.context["page"].object_list] == [mine.reference]
    coordinator = signed_in(Client(), personas.coordinator).get(reverse("cases:case_list"))
    assert {"authority", "assignee"} <= set(coordinator.context["form"].fields)


def test_a_case_keyed_in_by_a_coordinator_is_theirs_and_one_with_no_coordinator_is_flagged(personas, client):
    keyed_in = open_case(personas)
    assert keyed_in.coordinator == personas.coordinator
    by_manager = open_case(personas, actor=personas.manager, child_first_name="Bella")
    assert by_manager.coordinator is None
    named = open_case(
        personas, actor=personas.manager, coordinator=personas.coordinator, child_first_name="Cai"
    )
    assert named.coordinator == personas.coordinator

    page = signed_in(client, personas.coordinator).get(reverse("cases:my_work"))
    html = page.content.decode()
    assert "1 open case has no coordinator." in html
    assert reverse("cases:case_list") + "?assignee=no_coordinator" in html
    listed = client.get(reverse("cases:case_list"), {"assignee": "no_coordinator"})
    assert [case.reference for case in listed.context["page"].object_list] == [by_manager.reference]
    # A closed case needs nobody.
    services.withdraw_case(actor=personas.manager, case=by_manager, reason="The family changed their mind")
    assert "no coordinator" not in client.get(reverse("cases:my_work")).content.decode()
    # Advisers are not asked to assign coordinators.
    adviser_page = signed_in(Client(), personas.adviser).get(reverse("cases:my_work")).content.decode()
    assert "no coordinator" not in adviser_page


def test_each_email_about_a_case_opens_as_the_family_saw_it_for_staff_who_see_the_case(personas, client):
    case = case_in(personas, Status.ADVICE_BOOKED)
    other = open_case(personas, child_first_name="Bella")
    booked = OutboxMessage.objects.get(case_reference=case.reference, template="advice_call_booked")
    client = signed_in(client, personas.coordinator)
    page = client.get(reverse("cases:case_detail", args=[case.reference])).content.decode()
    link = reverse("cases:case_email", args=[case.reference, booked.pk])
    # Listed under the subject the family saw, linked to the message itself.
    subject = f"Your call with a mediation adviser (reference {case.reference})"
    assert f'<a class="govuk-link" href="{link}">{subject}</a>' in page
    listed = client.get(reverse("cases:case_detail", args=[case.reference])).context["emails"][0]
    shown = [message.pk for message in listed]
    assert len(shown) >= 2
    assert shown == sorted(shown, reverse=True)  # newest first, in the order they were queued

    before = AccessLog.objects.filter(case=case, what=AccessLog.What.EMAIL).count()
    opened = client.get(link)
    assert opened.status_code == 200 and opened["Cache-Control"] == "private, no-store"
    html = opened.content.decode()
    assert f'<h1 class="govuk-heading-l">{subject}</h1>' in html
    assert "a mediation adviser, will phone you on" in html and personas.parent.email in html
    # The family's private link is not put in front of staff.
    assert "/your-case/" in booked.context["case_link"]
    assert booked.context["case_link"] not in html and "/your-case/" not in html
    assert "[the family&#x27;s private link, not shown]" in html
    assert "current wording" in html
    assert AccessLog.objects.filter(case=case, what=AccessLog.What.EMAIL).count() == before + 1
    assert (
        AccessLog.objects.filter(case=case, what=AccessLog.What.EMAIL).latest("id").item
        == f"email {booked.pk}"
    )
    # An email is opened only through its own case.
    assert client.get(reverse("cases:case_email", args=[other.reference, booked.pk])).status_code == 404
    officer = signed_in(Client(), personas.la_officer)
    assert officer.get(link).status_code == 404


def test_the_list_pages_with_the_same_number_of_queries_whatever_the_page_size(personas, client, monkeypatch):
    for index in range(30):
        case = open_case(personas, child_first_name=f"Child{index}")
        services.assign(
            actor=personas.coordinator,
            case=case,
            coordinator=personas.coordinator,
            adviser=personas.adviser,
            mediator=None,
        )
    client = signed_in(client, personas.coordinator)
    counts = {}
    for size in (5, 25):
        monkeypatch.setattr("sendmediation.cases.views.PAGE_SIZE", size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("cases:case_list"))
        assert len(response.context["page"].object_list) == size
        counts[size] = len(queries)
    assert counts[5] == counts[25]
    assert counts[25] <= 12


def test_my_work_takes_the_same_number_of_queries_for_few_or_many_rows(personas, client):
    client = signed_in(client, personas.manager)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:my_work"))
    for index in range(12):
        case_in(personas, Status.ADVICE_GIVEN, child_first_name=f"C{index}")
    Deadline.objects.filter(rule="certificate_after_advice").update(
        due=timezone.localdate() - datetime.timedelta(days=2)
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("cases:my_work"))
    assert response.context["buckets"][0].count == 12
    assert len(many) == len(few)


# Pinned: My work for each role, whatever the number of cases and rows (docs/decisions/0008).
MY_WORK_QUERIES = {"manager": 8, "coordinator": 8, "adviser": 7, "la_officer": 7}


def _access_row_queries() -> int:
    """What writing My work's access row costs (docs/decisions/0017): the last row's hash and the
    insert, and first, on PostgreSQL, the lock that lets one writer at a time extend the chain."""
    return 3 if connection.vendor == "postgresql" else 2


def _about_the_access_log(sql: str) -> bool:
    return "cases_accesslog" in sql or "pg_advisory_xact_lock" in sql


@pytest.mark.parametrize("who", sorted(MY_WORK_QUERIES))
def test_my_work_takes_a_fixed_number_of_queries_for_each_role(personas, who):
    client = signed_in(Client(), getattr(personas, who))

    def page():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("cases:my_work"))
        assert response.status_code == 200
        logging = [query for query in captured.captured_queries if _about_the_access_log(query["sql"])]
        assert len(logging) == _access_row_queries()
        return len(captured) - len(logging), response.context["buckets"]

    few, _ = page()
    for index in range(3):
        case_in(personas, Status.LA_NOTIFIED, child_first_name=f"C{index}")
    Deadline.objects.filter(rule="mediation_by").update(due=timezone.localdate() - datetime.timedelta(days=1))
    many, buckets = page()
    assert len(buckets[0].rows) == 3  # every role answers for the authority's date on these cases
    assert (few, many) == (MY_WORK_QUERIES[who], MY_WORK_QUERIES[who])


def test_each_row_links_to_its_case_page_as_reversing_the_address_would(personas, client):
    case = case_in(personas, Status.LA_NOTIFIED)
    Deadline.objects.filter(case=case, rule="mediation_by").update(due=timezone.localdate())
    for reference in (case.reference, "MED-2027-123456"):
        assert case_page(reference) == reverse("cases:case_detail", args=[reference])
    link = f'href="{reverse("cases:case_detail", args=[case.reference])}"'
    assert link in signed_in(client, personas.manager).get(reverse("cases:my_work")).content.decode()
    assert link in client.get(reverse("cases:case_list")).content.decode()


# --- a case --------------------------------------------------------------------------------------


def test_the_case_page_lists_the_emails_about_the_case_for_the_services_staff_only(personas):
    case = open_case(personas)
    # A case its authority takes part in, for the officer at the end.
    told = case_in(personas, Status.LA_NOTIFIED, child_first_name="Cai")
    other = open_case(personas, child_first_name="Bella")
    url = reverse("cases:case_detail", args=[case.reference])
    coordinator = signed_in(Client(), personas.coordinator)

    html = coordinator.get(url).content.decode()
    assert 'id="emails-heading">Emails</h2>' in html
    assert "We have opened your case" in html and personas.parent.email in html
    assert "Waiting to send" in html

    OutboxMessage.objects.filter(case_reference=case.reference).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.make_aware(datetime.datetime(2026, 10, 2, 9, 30))
    )
    OutboxMessage.objects.filter(case_reference=other.reference).update(
        status=OutboxMessage.Status.FAILED, last_error="The address was refused"
    )
    html = coordinator.get(url).content.decode()
    assert "Sent 2 October 2026 at 9:30am" in html and "Waiting to send" not in html
    assert "Could not be sent" not in html  # another case's email is not this case's
    other_page = coordinator.get(reverse("cases:case_detail", args=[other.reference])).content.decode()
    assert "Could not be sent" in other_page and "Try again from Emails" in other_page

    officer = signed_in(Client(), personas.la_officer).get(
        reverse("cases:case_detail", args=[told.reference])
    )
    assert officer.status_code == 200 and 'id="emails-heading"' not in officer.content.decode()


def test_the_case_page_shows_the_case_and_logs_who_saw_it(personas, client):
    case = case_in(personas, Status.ADVICE_GIVEN)
    services.add_note(actor=personas.adviser, case=case, text="Prefers a call after school")
    page = signed_in(client, personas.adviser).get(reverse("cases:case_detail", args=[case.reference]))
    html = page.content.decode()
    for text in (
        "Amir Khan",
        "Sarah Khan",
        "Issue the mediation certificate after advice",
        "Why this date",
        "Prefers a call after school",
        "Issue the mediation certificate",
        "moj-timeline",
    ):
        assert text in html, text
    assert AccessLog.objects.filter(case=case, user=personas.adviser, what="case_page").count() == 1

    officer = signed_in(client, personas.la_officer).get(reverse("cases:case_detail", args=[case.reference]))
    html = officer.content.decode()
    assert "Prefers a call after school" not in html and "Note added" not in html
    assert "What you can do" not in html


def test_an_action_form_calls_its_service(personas, client):
    case = open_case(personas)
    client = signed_in(client, personas.coordinator)
    url = reverse("cases:case_action", args=[case.reference, "triage"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "advice_only"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.kind) == (Status.TRIAGED, "advice_only")
    assert case.events.filter(kind="triaged", actor=personas.coordinator).exists()


def test_an_action_the_status_does_not_allow_says_so(personas, client):
    case = open_case(personas)
    client = signed_in(client, personas.coordinator)
    url = reverse("cases:case_action", args=[case.reference, "close_case"])
    page = client.get(url)
    assert "the case is &#x27;received&#x27;" in page.content.decode()
    response = client.post(url, {"outcome": "other"})
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_a_form_error_is_shown_with_the_gov_uk_wording(personas, client):
    case = case_in(personas, Status.TRIAGED)
    client = signed_in(client, personas.coordinator)
    response = client.post(
        reverse("cases:case_action", args=[case.reference, "withdraw_case"]), {"reason": ""}
    )
    html = response.content.decode()
    assert "There is a problem" in html and "Enter why the case is being withdrawn" in html
    assert "<title>Error: " in html


def test_a_missing_fact_comes_back_as_a_form_error(personas, client):
    case = case_in(personas, Status.ADVICE_GIVEN, decision_letter_sent=None)
    client = signed_in(client, personas.adviser)
    response = client.post(
        reverse("cases:case_action", args=[case.reference, "issue_certificate"]), {"kind": "after_advice"}
    )
    assert response.status_code == 200
    assert (
        "Enter the date the decision letter was sent before issuing a certificate"
        in response.content.decode()
    )


def test_uploading_and_downloading_a_document(personas, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = open_case(personas)
    client = signed_in(client, personas.coordinator)
    upload = SimpleUploadedFile("report.pdf", pdf_saying(b"report"), content_type="application/pdf")
    response = client.post(
        reverse("cases:case_action", args=[case.reference, "add_document"]),
        {"file": upload, "name": "Report", "kind": "evidence"},
    )
    assert response.status_code == 302
    document = case.documents.get()
    download = client.get(reverse("cases:document_download", args=[case.reference, document.pk]))
    assert b"".join(download.streaming_content) == pdf_saying(b"report")
    assert AccessLog.objects.get(case=case, what="document").item == f"document {document.pk}"


# --- opening cases and requests ------------------------------------------------------------------


def _open_form(personas, **changes):
    data = {
        "kind": "mediation",
        "family_role": "parent",
        "family_name": "Sarah Khan",
        "family_email": "sarah.khan@example.org",
        "child_first_name": "Amir",
        "child_last_name": "Khan",
        "child_date_of_birth_0": "4",
        "child_date_of_birth_1": "5",
        "child_date_of_birth_2": "2017",
        "local_authority": personas.authority.code,
        "decisions": ["refused_assessment"],
        "decision_letter_sent_0": "1",
        "decision_letter_sent_1": "10",
        "decision_letter_sent_2": "2026",
        "issues": ["education"],
    }
    data.update(changes)
    return data


def test_opening_a_case_warns_about_the_same_child_and_offers_the_existing_case(personas, client):
    client = signed_in(client, personas.coordinator)
    url = reverse("cases:open_case")
    first = client.post(url, _open_form(personas))
    case = Case.objects.get()
    assert first["Location"] == reverse("cases:case_detail", args=[case.reference])
    warned = client.post(url, _open_form(personas, child_first_name="amir"))
    assert warned.status_code == 200
    assert f"Go to case {case.reference}" in warned.content.decode()
    assert Case.objects.count() == 1
    client.post(url, _open_form(personas, confirm_new="yes"))
    assert Case.objects.count() == 2


def test_a_coordinator_accepts_a_request_from_its_page(personas, client):
    request = phone_request(personas)
    client = signed_in(client, personas.coordinator)
    listing = client.get(reverse("cases:request_list"))
    assert request.reference in listing.content.decode()
    page = client.get(reverse("cases:request_detail", args=[request.reference]))
    assert page.context["accept_form"].initial["child_first_name"] == "Noah James"
    response = client.post(
        reverse("cases:accept_request", args=[request.reference]),
        {
            "child_first_name": "Noah",
            "child_last_name": "James-Smith",
            "local_authority": personas.authority.code,
            "kind": "mediation",
        },
    )
    assert response["Location"] == reverse("cases:case_detail", args=[request.reference])
    case = Case.objects.get(reference=request.reference)
    assert case.child_last_name == "James-Smith"
    # A second press of the button lands on the same case.
    again = client.post(
        reverse("cases:accept_request", args=[request.reference]),
        {
            "child_first_name": "Noah",
            "child_last_name": "Smith",
            "local_authority": personas.authority.code,
            "kind": "mediation",
        },
    )
    assert again["Location"] == reverse("cases:case_detail", args=[request.reference])
    assert Case.objects.count() == 1


def test_a_duplicate_request_is_offered_the_existing_case_and_turned_down(personas, client):
    case = open_case(
        personas,
        child_first_name="Noah",
        child_last_name="Smith",
        child_date_of_birth=datetime.date(2018, 3, 2),
    )
    request = phone_request(personas, child_name="Noah Smith")
    client = signed_in(client, personas.coordinator)
    page = client.get(reverse("cases:request_detail", args=[request.reference]))
    assert f"Turn down as a duplicate of {case.reference}" in page.content.decode()
    response = client.post(
        reverse("cases:decline_request", args=[request.reference]),
        {"reason": "duplicate", "duplicate_of": case.reference},
    )
    assert response["Location"] == reverse("cases:case_detail", args=[case.reference])
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.DECLINED
    assert case.events.filter(kind="duplicate_request").exists()


# --- the family and the clerk --------------------------------------------------------------------


def test_the_family_sees_its_case_and_downloads_its_certificate(personas, client):
    case = case_in(personas, Status.CERTIFICATE_ISSUED)
    certificate = case.certificates.get()
    certificates.store_pdf(certificate.pk)
    token = family_token(case)
    page = client.get(reverse("cases_public:family_case", args=[token]))
    html = page.content.decode()
    assert "Appeal by" in html and "Tuesday 1 December 2026" in html
    assert "Download your mediation certificate" in html
    # Never sent to another site; "same-origin" so that the page's own forms pass the CSRF check.
    assert page["Referrer-Policy"] == "same-origin"
    pdf = client.get(reverse("cases_public:family_certificate", args=[token, certificate.number]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert list(AccessLog.objects.filter(case=case).values_list("what", "item").order_by("id")) == [
        ("family_page", ""),
        ("family_certificate", certificate.number),
    ]


def test_a_certificate_downloads_at_once_even_before_the_worker_has_drawn_it(personas, client):
    case = case_in(personas, Status.CERTIFICATE_ISSUED)
    certificate = case.certificates.get()
    assert not certificate.pdf  # the background worker has not run yet
    staff = signed_in(client, personas.adviser)
    page = staff.get(reverse("cases:case_detail", args=[case.reference])).content.decode()
    download = reverse("cases:certificate_download", args=[case.reference, certificate.number])
    assert f'href="{download}"' in page and "Refresh" not in page
    pdf = staff.get(download)
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    logged = AccessLog.objects.filter(case=case, what=AccessLog.What.CERTIFICATE).get()
    assert (logged.user, logged.item) == (personas.adviser, certificate.number)
    certificate.refresh_from_db()
    assert certificate.pdf and len(certificate.sha256) == 64  # drawn once, kept for next time
    first = certificate.pdf.name
    assert certificates.store_pdf(certificate.pk) is False  # the worker, arriving later, finds it done
    certificate.refresh_from_db()
    assert certificate.pdf.name == first

    other = case_in(personas, Status.CERTIFICATE_ISSUED, child_first_name="Bella")
    fresh = other.certificates.get()
    token = family_token(other)
    assert (
        "Download your mediation certificate"
        in Client().get(reverse("cases_public:family_case", args=[token])).content.decode()
    )
    family_pdf = Client().get(reverse("cases_public:family_certificate", args=[token, fresh.number]))
    assert b"".join(family_pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_a_certificate_that_cannot_be_drawn_just_now_says_so_plainly(personas, client, monkeypatch):
    case = case_in(personas, Status.CERTIFICATE_ISSUED)
    certificate = case.certificates.get()

    def broken(_certificate):
        raise OSError("the fonts are missing")

    monkeypatch.setattr(certificates, "render_pdf", broken)
    retried: list[int] = []

    class Worker:
        @staticmethod
        def enqueue(certificate_id: int) -> None:
            retried.append(certificate_id)

    monkeypatch.setattr("sendmediation.cases.tasks.render_certificate_task", Worker)
    staff = signed_in(client, personas.adviser)
    download = staff.get(reverse("cases:certificate_download", args=[case.reference, certificate.number]))
    assert download.status_code == 503 and download["Retry-After"] == "300"
    html = download.content.decode()
    assert "The certificate cannot be downloaded just now" in html
    assert "The certificate has been issued and is valid" in html
    assert 'aria-label="Staff menu"' in html  # staff keep their menu
    token = family_token(case)
    family = Client().get(reverse("cases_public:family_certificate", args=[token, certificate.number]))
    assert family.status_code == 503 and family["Referrer-Policy"] == "no-referrer"
    assert "phone or email us" in family.content.decode()
    assert 'aria-label="Staff menu"' not in family.content.decode()
    # Nothing was handed over, so no download is logged.
    logged = set(AccessLog.objects.filter(case=case).values_list("what", flat=True))
    assert not logged & {AccessLog.What.CERTIFICATE, AccessLog.What.FAMILY_CERTIFICATE}
    certificate.refresh_from_db()
    assert not certificate.pdf
    # The worker is asked to try again, once however often the download is tried meanwhile.
    assert retried == [certificate.pk]


def test_the_verify_page_says_genuine_or_not_with_no_personal_details(personas, client):
    case = case_in(personas, Status.CERTIFICATE_ISSUED)
    certificate = case.certificates.get()
    url = reverse("cases_public:verify")
    genuine = client.post(
        url, {"number": certificate.number, "code": certificate.verification_code.lower()}, follow=True
    )
    # Answered after a redirect, so that Back never offers to send the form again.
    assert genuine.redirect_chain == [(url, 303)]
    html = genuine.content.decode()
    assert "<title>Certificate confirmed as genuine" in html
    assert "This certificate is genuine" in html
    assert "Type of certificate" in html
    assert "Westminster" in html and "AK" in html
    # Enough for a clerk to match it to the appeal: the decision and the date of its letter.
    assert "Not carrying out an EHC needs assessment" in html and "1 October 2026" in html
    assert "Amir" not in html and "Khan" not in html and "Sarah" not in html
    wrong = client.post(url, {"number": certificate.number, "code": "AAAA-BBBB-CCCC"}, follow=True)
    html = wrong.content.decode()
    assert "<title>Certificate not confirmed" in html
    assert "We could not confirm this certificate" in html
    assert "Westminster" not in html
    # What was typed is there to correct and try again.
    assert "Try again" in html and f'value="{certificate.number}"' in html
    # Shown once: reloading the page starts afresh.
    assert "We could not confirm" not in client.get(url).content.decode()


def test_the_verify_page_limits_attempts(personas, client, settings):
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = 3
    url = reverse("cases_public:verify")
    for _ in range(3):
        assert client.post(url, {"number": "MC-2026-000001", "code": "AAAA-BBBB-CCCC"}).status_code == 303
    limited = client.post(url, {"number": "MC-2026-000001", "code": "AAAA-BBBB-CCCC"})
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1


def test_the_coordinator_opens_the_letter_sent_with_a_request_and_each_look_is_logged(personas, client):
    from django.core.files.base import ContentFile

    from sendmediation.cases.models import Document

    request = phone_request(personas)
    letter = b"%PDF-1.4 the authority's letter"
    request.decision_letter.save("stored-name.pdf", ContentFile(letter), save=False)
    request.decision_letter_name = "refusal-letter.pdf"
    request.decision_letter_type = "pdf"
    request.decision_letter_size = len(letter)
    request.save()
    url = reverse("cases:request_letter", args=[request.reference])

    adviser = signed_in(Client(), personas.adviser)
    assert adviser.get(url).status_code == 403
    coordinator = signed_in(client, personas.coordinator)
    page = coordinator.get(reverse("cases:request_detail", args=[request.reference])).content.decode()
    assert f'href="{url}"' in page and "Download refusal-letter.pdf" in page
    download = coordinator.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    assert 'filename="refusal-letter.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == letter
    looks = AccessLog.objects.filter(help_request=request, user=personas.coordinator)
    assert list(looks.values_list("what", flat=True)) == [
        AccessLog.What.REQUEST_LETTER,
        AccessLog.What.REQUEST_PAGE,
    ]

    # Once accepted, the letter is one of the case's documents, with its proper media type.
    coordinator.post(
        reverse("cases:accept_request", args=[request.reference]),
        {
            "child_first_name": "Noah",
            "child_last_name": "James",
            "local_authority": personas.authority.code,
            "kind": "mediation",
        },
    )
    document = Document.objects.get(case__reference=request.reference)
    assert (document.kind, document.content_type) == (Document.Kind.DECISION_LETTER, "application/pdf")
    # The request's own link then leads to the case, where the letter is read (and logged) as such.
    moved = coordinator.get(url)
    assert moved.status_code == 302
    assert moved["Location"] == reverse("cases:case_detail", args=[request.reference])
    assert AccessLog.objects.filter(help_request=request, what=AccessLog.What.REQUEST_LETTER).count() == 1


def test_a_request_without_a_letter_has_nothing_to_download(personas, client):
    request = phone_request(personas)
    coordinator = signed_in(client, personas.coordinator)
    assert coordinator.get(reverse("cases:request_letter", args=[request.reference])).status_code == 404


def test_back_links_sit_in_a_landmark_so_screen_reader_users_find_them(personas, client):
    case = open_case(personas)
    client = signed_in(client, personas.coordinator)
    for url in (
        reverse("cases:case_action", args=[case.reference, "add_note"]),
        reverse("cases:open_case"),
        reverse(
            "cases:case_email",
            args=[case.reference, OutboxMessage.objects.get(case_reference=case.reference).pk],
        ),
    ):
        html = client.get(url).content.decode()
        back = re.search(
            r'<nav aria-label="Back"><a href="[^"]+" class="govuk-back-link">[^<]+</a></nav>', html
        )
        assert back is not None, url
        assert html.index(back.group(0)) < html.index("<main"), (
            url
        )  # before the main content, as GOV.UK places it


class _StackedTables(HTMLParser):
    """Collects the table parts inside each stacked table with the role each one states."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "table" and "app-stacked-table" in (named.get("class") or ""):
            self.depth += 1
        if self.depth and tag in STACKED_ROLES:
            self.parts.append((tag, named.get("role")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1


STACKED_ROLES = {
    "table": "table",
    "thead": "rowgroup",
    "tbody": "rowgroup",
    "tr": "row",
    "th": "columnheader",
    "td": "cell",
}


def test_tables_shown_as_cards_on_a_phone_say_they_are_tables(personas, client):
    """Some screen readers stop treating a table as one once its CSS makes it blocks, so each
    part of a stacked table names its role in the markup."""
    case = case_in(personas, Status.ADVICE_GIVEN)
    phone_request(personas)
    Deadline.objects.filter(case=case).update(due=timezone.localdate() - datetime.timedelta(days=1))
    client = signed_in(client, personas.manager)
    pages = [
        reverse("cases:case_list"),
        reverse("cases:my_work"),
        reverse("cases:case_detail", args=[case.reference]),
        reverse("cases:request_list"),
    ]
    for url in pages:
        parser = _StackedTables()
        parser.feed(client.get(url).content.decode())
        assert {tag for tag, _ in parser.parts} >= {"table", "tr", "td"}, url
        wrong = [(tag, role) for tag, role in parser.parts if role != STACKED_ROLES[tag]]
        assert wrong == [], url


def test_staff_record_that_the_family_agreed_to_share_their_contact_details(personas, client):
    case = case_in(personas, Status.LA_NOTIFIED)
    client = signed_in(client, personas.coordinator)
    url = reverse("cases:case_action", args=[case.reference, "add_party"])
    assert 'name="contact_shared_with_la"' in client.get(url).content.decode()
    added = client.post(
        url,
        {
            "role": "young_person",
            "name": "Jordan Price",
            "email": personas.young_person.email,
            "contact_shared_with_la": "on",
        },
    )
    assert added.status_code == 302
    party = case.parties.get(name="Jordan Price")
    assert party.contact_shared_with_la and party.contact_shared_on == timezone.localdate()
    event = case.events.filter(kind="party_added").latest("id")
    assert event.data == {"party_role": "young_person", "contact_shared_with_la": True}
    # Only a parent or young person can agree; for anyone else the form says so and adds nobody.
    refused = client.post(url, {"role": "supporter", "name": "An advocate", "contact_shared_with_la": "on"})
    assert refused.status_code == 200
    assert (
        "Only a parent or young person can agree to share their contact details" in refused.content.decode()
    )
    assert not case.parties.filter(name="An advocate").exists()
    # Without the box ticked nothing is shared (the parent from the case's opening has not agreed).
    client.post(url, {"role": "parent", "name": "Sam Khan", "email": "sam@example.org"})
    assert not case.parties.get(name="Sam Khan").contact_shared_with_la
    html = client.get(reverse("cases:case_detail", args=[case.reference])).content.decode()
    assert "Contact details shared with the local authority (agreement recorded" in html
    assert "Contact details not shared with the local authority" in html
    officer = signed_in(Client(), personas.la_officer).get(
        reverse("cases:case_detail", args=[case.reference])
    )
    officer_html = officer.content.decode()
    assert personas.young_person.email in officer_html and "sam@example.org" not in officer_html


def test_a_case_whose_authority_we_no_longer_cover_says_so(personas, client):
    from sendmediation.accounts.tokens import create_api_token
    from sendmediation.localities.coverage import forget_cached_coverage
    from sendmediation.localities.services import update_coverage

    update_coverage(
        authority=personas.authority,
        actor=personas.manager,
        changes={"covered_from": datetime.date(2020, 4, 1)},
    )
    forget_cached_coverage()
    case = open_case(personas)
    page = signed_in(client, personas.coordinator).get(reverse("cases:case_detail", args=[case.reference]))
    assert "We do not cover" not in page.content.decode()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    update_coverage(
        authority=personas.authority,
        actor=personas.manager,
        changes={"covered_from": datetime.date(2020, 4, 1), "covered_to": yesterday},
    )
    forget_cached_coverage()
    page = client.get(reverse("cases:case_detail", args=[case.reference]))
    assert f"We do not cover {personas.authority.name} today" in page.content.decode()
    token = create_api_token(user=personas.coordinator)[1]
    read = Client().get(f"/api/v1/cases/{case.reference}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert read.json()["local_authority"]["covered"] is False
    forget_cached_coverage()  # the rows go with this test's transaction; so must the cache


def test_after_mediation_the_family_asks_for_its_certificate_once_from_its_link(personas, client):
    case = case_in(personas, Status.MEDIATION_HELD)
    services.assign(
        actor=personas.coordinator,
        case=case,
        coordinator=personas.coordinator,
        adviser=None,
        mediator=personas.mediator,
    )
    token = family_token(case)
    page_url = reverse("cases_public:family_case", args=[token])
    ask_url = reverse("cases_public:family_ask_for_certificate", args=[token])
    html = client.get(page_url).content.decode()
    assert "Ask for my certificate" in html and f'action="{ask_url}"' in html

    first = client.post(ask_url)
    second = client.post(ask_url)
    assert (first.status_code, first["Location"]) == (303, page_url)
    assert second.status_code == 303
    html = client.get(page_url).content.decode()
    assert "Ask for my certificate" not in html
    assert "You asked for your certificate on" in html
    asked = case.events.filter(kind=CaseEvent.Kind.CERTIFICATE_ASKED)
    assert asked.count() == 1 and asked.get().actor is None
    emails = OutboxMessage.objects.filter(template="certificate_asked")
    assert sorted(address for message in emails for address in message.recipients) == sorted(
        [personas.mediator.email, personas.coordinator.email]
    )
    # The email names no child or family.
    assert case.child_first_name not in str([message.context for message in emails])


def test_the_family_cannot_ask_for_a_certificate_after_mediation_before_one_is_held(personas, client):
    case = case_in(personas, Status.LA_NOTIFIED)
    token = family_token(case)
    assert (
        "Ask for my certificate"
        not in client.get(reverse("cases_public:family_case", args=[token])).content.decode()
    )
    response = client.post(reverse("cases_public:family_ask_for_certificate", args=[token]))
    assert response.status_code == 303
    assert not case.events.filter(kind=CaseEvent.Kind.CERTIFICATE_ASKED).exists()
    with pytest.raises(TransitionNotAllowed):
        services.ask_for_certificate(case=case)
    forged = client.post(reverse("cases_public:family_ask_for_certificate", args=["not-a-token"]))
    assert forged.status_code == 404


def test_a_verify_check_with_a_box_left_empty_is_answered_after_a_redirect(client):
    url = reverse("cases_public:verify")
    response = client.post(url, {"number": "MC-2026-000001", "code": ""}, follow=True)
    assert response.redirect_chain == [(url, 303)]
    html = response.content.decode()
    assert "<title>Error: Check a mediation certificate" in html
    assert html.count("Enter the verification code") == 2  # in the summary and beside the box
    assert 'value="MC-2026-000001"' in html
