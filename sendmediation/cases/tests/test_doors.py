"""One rule, every door: the same bad input is refused the same way by the API and by the case's pages.

Each refusal names the same field at both doors, and nothing about the case changes: not its status,
its history, its certificates, its evidence or its dates.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sendmediation.accounts.tokens import create_api_token
from sendmediation.cases import services
from sendmediation.cases.errors import InvalidChange
from sendmediation.cases.forms import CaseFactsForm
from sendmediation.cases.models import Case, CaseEvent, Party
from sendmediation.cases.tests.builders import LETTER_SENT, case_in

pytestmark = pytest.mark.django_db

Status = Case.Status

ONE_DAY = datetime.timedelta(days=1)

FACTS = (
    "child_first_name",
    "child_last_name",
    "child_date_of_birth",
    "postcode",
    "local_authority_id",
    "decisions",
    "decision_letter_sent",
    "issues_education",
    "issues_health",
    "issues_social_care",
    "summary",
    "kind",
    "adviser_id",
)


# --- the doors -----------------------------------------------------------------------------------


def bearer(user: Any) -> dict[str, str]:
    _, token = create_api_token(user=user)
    return {"Authorization": f"Bearer {token}"}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_action(user: Any, case: Case, action: str, body: dict[str, Any]) -> Any:
    """The action's own endpoint; changing the details is a PATCH of the case itself."""
    if action == "update_details":
        return Client().patch(
            f"/api/v1/cases/{case.reference}", body, content_type="application/json", headers=bearer(user)
        )
    return Client().post(
        f"/api/v1/cases/{case.reference}/actions/{action}",
        body,
        content_type="application/json",
        headers=bearer(user),
    )


def page_action(user: Any, case: Case, action: str, data: dict[str, Any]) -> Any:
    return signed_in(user).post(reverse("cases:case_action", args=[case.reference, action]), data)


def snapshot(case: Case) -> dict[str, Any]:
    """Everything a refused change must leave as it was."""
    case.refresh_from_db()
    return {
        "status": case.status,
        "events": CaseEvent.objects.filter(case=case).count(),
        "certificates": list(
            case.certificates.order_by("id").values_list("number", "issued_on", "revoked_on", "replaced_by")
        ),
        "facts": {name: getattr(case, name) for name in FACTS},
        "parties": list(case.parties.order_by("id").values_list("role", "name", "email", "dr_consent")),
        "evidence": case.authority_contacts.count(),
        "calls": list(case.advice_calls.order_by("id").values_list("booked_for", "held_at", "outcome")),
        "deadlines": list(
            case.deadlines.order_by("rule", "step").values_list(
                "rule", "start", "due", "met_on", "stopped_on", "working_days_late"
            )
        ),
    }


def date_fields(name: str, day: datetime.date) -> dict[str, str]:
    """A GOV.UK date input as the browser sends it: day, month and year boxes."""
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def tomorrow() -> datetime.date:
    return timezone.localdate() + ONE_DAY


def details_form_data(case: Case, **changes: Any) -> dict[str, Any]:
    """The case's details page as the browser sends it back: every box filled in as it was shown."""
    initial = CaseFactsForm.initial_for(case)
    data: dict[str, Any] = {
        "child_first_name": initial["child_first_name"],
        "child_last_name": initial["child_last_name"],
        "postcode": initial["postcode"],
        "local_authority": initial["local_authority"],
        "decisions": list(initial["decisions"]),
        "issues": list(initial["issues"]),
        "summary": initial["summary"],
    }
    for name in ("child_date_of_birth", "decision_letter_sent"):
        if initial[name] is not None:
            data.update(date_fields(name, initial[name]))
    for name, value in changes.items():
        if name in ("child_date_of_birth", "decision_letter_sent"):
            for part in range(3):
                data.pop(f"{name}_{part}", None)
            if value is not None:
                data.update(date_fields(name, value))
        else:
            data[name] = value
    return data


def evidence(on: datetime.date, **extra: str) -> dict[str, str]:
    """The page's fields for something that passed between us and the local authority."""
    return {**date_fields("on", on), "how": "email", "person": "Sam Lee, SEND team", **extra}


# --- the table -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """One bad input, the door's answer to it, and the words both doors use.

    The API names ``field`` (with ``message``, where the words are given here); the page shows the
    very sentence the API gave on its own form field (``page_field``, the same name unless the page
    asks for it differently). Only where the page's form itself asks for a missing answer does it
    say so in its own words (``page_message``). A refusal with no ``page`` has no page door: that
    page does not ask for the thing refused.
    """

    status: str
    actor: str
    action: str
    api: Callable[[Case], dict[str, Any]]
    field: str
    message: str = ""
    page: Callable[[Case], dict[str, Any]] | None = None
    page_field: str = ""
    page_message: str = ""
    api_status: int = 400
    changes: dict[str, Any] = dataclass_field(default_factory=dict)


TOLD_AFTER_REQUEST = (
    "The date the local authority was told must be on or after Tue 6 Oct 2026, "
    "when the family asked for mediation"
)
SAID_AFTER_REQUEST = (
    "The date the local authority said so must be on or after Tue 6 Oct 2026, "
    "when the family asked for mediation"
)
NOT_A_DR_OUTCOME = (
    "A case that is 'everyone consented' cannot close as 'Certificate issued'. Choose from: "
    "'Resolved without mediation', 'Other'"
)
KENT_POSTCODE = (
    "The postcode ME14 1XQ is in Kent, not Westminster. Check the postcode and the local authority, "
    "or confirm that Westminster is responsible for the child"
)
BAD_EMAIL = "Enter an email address in the correct format, like name@example.com"

REFUSALS = {
    "an advice call held in the future": Refusal(
        status=Status.ADVICE_BOOKED,
        actor="adviser",
        action="record_advice_outcome",
        api=lambda case: {
            "outcome": "declines_mediation",
            "held_at": timezone.make_aware(
                datetime.datetime.combine(tomorrow(), datetime.time(10, 0))
            ).isoformat(),
        },
        field="held_at",
        page=lambda case: {
            **date_fields("day", tomorrow()),
            "time": "10:00",
            "outcome": "declines_mediation",
        },
        page_field="time",
    ),
    "the local authority told in the future": Refusal(
        status=Status.MEDIATION_REQUESTED,
        actor="coordinator",
        action="notify_la",
        api=lambda case: {"on": tomorrow().isoformat(), "how": "email", "person": "Sam Lee, SEND team"},
        field="on",
        message="The date the local authority was told must be today or in the past",
        page=lambda case: evidence(tomorrow()),
    ),
    "the local authority told before mediation was asked for": Refusal(
        status=Status.MEDIATION_REQUESTED,
        actor="coordinator",
        action="notify_la",
        api=lambda case: {"on": "2026-10-01", "how": "email", "person": "Sam Lee, SEND team"},
        field="on",
        message=TOLD_AFTER_REQUEST,
        page=lambda case: evidence(datetime.date(2026, 10, 1)),
    ),
    "mediation not arranged, said before it was asked for": Refusal(
        status=Status.LA_NOTIFIED,
        actor="coordinator",
        action="record_mediation_not_arranged",
        api=lambda case: {
            "on": "2025-01-01",
            "how": "email",
            "person": "Sam Lee, SEND team",
            "reason": "No room",
        },
        field="on",
        message=SAID_AFTER_REQUEST,
        page=lambda case: evidence(datetime.date(2025, 1, 1), reason="No room"),
    ),
    "mediation not arranged, with a blank reason": Refusal(
        status=Status.LA_NOTIFIED,
        actor="coordinator",
        action="record_mediation_not_arranged",
        api=lambda case: {"on": "2026-10-20", "how": "email", "person": "Sam Lee, SEND team", "reason": "  "},
        field="reason",
        message="Enter the reason the local authority gave",
        page=lambda case: evidence(datetime.date(2026, 10, 20), reason=""),
    ),
    "mediation not arranged, with no reason at all": Refusal(
        status=Status.LA_NOTIFIED,
        actor="coordinator",
        action="record_mediation_not_arranged",
        api=lambda case: {"on": "2026-10-20", "how": "email", "person": "Sam Lee, SEND team"},
        field="reason",
        message="This is required",
        page=lambda case: evidence(datetime.date(2026, 10, 20)),
        page_message="Enter the reason the local authority gave",
    ),
    "mediation held before the local authority was told": Refusal(
        status=Status.LA_NOTIFIED,
        actor="coordinator",
        action="record_mediation_held",
        api=lambda case: {"on": "2026-10-06", "how": "email", "person": "Sam Lee, SEND team"},
        field="on",
        message=(
            "The date the mediation was held must be on or after Wed 7 Oct 2026, "
            "when the local authority was told"
        ),
        page=lambda case: evidence(datetime.date(2026, 10, 6)),
    ),
    "mediation held in the future": Refusal(
        status=Status.LA_NOTIFIED,
        actor="coordinator",
        action="record_mediation_held",
        api=lambda case: {"on": tomorrow().isoformat(), "how": "email", "person": "Sam Lee, SEND team"},
        field="on",
        message="The date the mediation was held must be today or in the past",
        page=lambda case: evidence(tomorrow()),
    ),
    "a health commissioner told before the date started": Refusal(
        status=Status.MEDIATION_REQUESTED,
        changes={"issues_health": True},
        actor="coordinator",
        action="record_la_duty",
        api=lambda case: {
            "rule": "health_notice",
            "on": "2026-10-05",
            "how": "email",
            "person": "Dr Ana Ruiz, integrated care board",
        },
        field="on",
        message="The date it was done must be on or after Tue 6 Oct 2026, when the date started",
        page=lambda case: {
            **evidence(datetime.date(2026, 10, 5)),
            "rule": "health_notice",
            "person": "Dr Ana Ruiz, integrated care board",
        },
    ),
    "a DR case closing with a certificate": Refusal(
        status=Status.CONSENT_GIVEN,
        actor="coordinator",
        action="close_case",
        api=lambda case: {"outcome": "certificate_issued"},
        field="outcome",
        message=NOT_A_DR_OUTCOME,
        # The page offers only fitting outcomes; a crafted form still reaches the service.
        page=lambda case: {"outcome": "certificate_issued"},
    ),
    "a certificate revoked without a reason": Refusal(
        status=Status.CERTIFICATE_ISSUED,
        actor="adviser",
        action="revoke_certificate",
        api=lambda case: {"certificate": case.certificates.get().number, "reason": "   "},
        field="reason",
        message="Enter why the certificate is being revoked",
        page=lambda case: {"certificate": case.certificates.get().number, "reason": ""},
    ),
    "a party with an email address that is not one": Refusal(
        status=Status.TRIAGED,
        actor="coordinator",
        action="add_party",
        api=lambda case: {"role": "supporter", "name": "Pat Doe", "email": "not-an-email"},
        field="email",
        message=BAD_EMAIL,
        page=lambda case: {"role": "supporter", "name": "Pat Doe", "email": "not-an-email"},
    ),
    "a decision letter sent in 2030": Refusal(
        status=Status.ADVICE_GIVEN,
        actor="coordinator",
        action="update_details",
        api=lambda case: {"decision_letter_sent": "2030-01-01"},
        field="decision_letter_sent",
        message="The date the decision letter was sent must be today or in the past",
        page=lambda case: details_form_data(case, decision_letter_sent=datetime.date(2030, 1, 1)),
    ),
    "a child born in 1990": Refusal(
        status=Status.ADVICE_GIVEN,
        actor="coordinator",
        action="update_details",
        api=lambda case: {"child_date_of_birth": "1990-06-01"},
        field="child_date_of_birth",
        message="We can only help with children and young people aged 25 or under",
        page=lambda case: details_form_data(case, child_date_of_birth=datetime.date(1990, 6, 1)),
    ),
    "the child's first name emptied": Refusal(
        status=Status.ADVICE_GIVEN,
        actor="coordinator",
        action="update_details",
        api=lambda case: {"child_first_name": None},
        field="child_first_name",
        message="This cannot be emptied: the case needs it",
        page=lambda case: details_form_data(case, child_first_name=""),
        page_message="Enter the child's first name",
    ),
    "a postcode in another authority, not confirmed": Refusal(
        status=Status.ADVICE_GIVEN,
        actor="coordinator",
        action="update_details",
        api=lambda case: {"postcode": "ME14 1XQ"},
        field="postcode",
        message=KENT_POSTCODE,
        page=lambda case: details_form_data(case, postcode="ME14 1XQ"),
    ),
    # Doors the pages do not have: the page records these as happening today.
    "mediation asked for before the advice call": Refusal(
        status=Status.ADVICE_GIVEN,
        actor="adviser",
        action="request_mediation",
        api=lambda case: {"on": "2026-10-05"},
        field="on",
        message=(
            "The date the family asked for mediation must be on or after Tue 6 Oct 2026, "
            "the day of their advice call"
        ),
    ),
    "a case withdrawn in the future": Refusal(
        status=Status.TRIAGED,
        actor="coordinator",
        action="withdraw_case",
        api=lambda case: {"reason": "The family asked us to stop", "on": tomorrow().isoformat()},
        field="on",
        message="The closing date must be today or in the past",
    ),
    "a case closed before its last step": Refusal(
        status=Status.CERTIFICATE_ISSUED,
        actor="coordinator",
        action="close_case",
        api=lambda case: {"outcome": "certificate_issued", "on": "2026-10-06"},
        field="on",
        message="The closing date must be on or after Wed 7 Oct 2026, the case's last step",
    ),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_the_same_bad_input_is_refused_the_same_way_at_every_door(personas, name):
    refusal = REFUSALS[name]
    case = case_in(personas, refusal.status, **refusal.changes)
    actor = getattr(personas, refusal.actor)
    before = snapshot(case)

    response = api_action(actor, case, refusal.action, refusal.api(case))
    assert response.status_code == refusal.api_status, response.content
    error = response.json()["error"]
    said = error["fields"].get(refusal.field)
    assert said, error
    if refusal.message:
        assert said == refusal.message
    assert snapshot(case) == before

    if refusal.page is None:
        return
    page = page_action(actor, case, refusal.action, refusal.page(case))
    assert page.status_code == 200, page.content
    shown = refusal.page_message or said
    errors = page.context["form"].errors
    assert errors.get(refusal.page_field or refusal.field) == [shown], errors
    assert escape(shown) in page.content.decode()
    assert snapshot(case) == before


# --- a certificate is dated the day it is issued -------------------------------------------------


def test_the_api_refuses_an_issue_date_because_a_certificate_is_dated_today(personas):
    case = case_in(personas, Status.ADVICE_GIVEN)
    before = snapshot(case)
    refused = api_action(
        personas.adviser, case, "issue_certificate", {"kind": "after_advice", "issued_on": "2026-10-07"}
    )
    assert refused.status_code == 400
    assert "issued_on" in refused.json()["error"]["fields"]
    assert snapshot(case) == before

    issued = api_action(personas.adviser, case, "issue_certificate", {"kind": "after_advice"})
    assert issued.status_code == 200, issued.content
    assert [row["issued_on"] for row in issued.json()["certificates"]] == [timezone.localdate().isoformat()]
    assert case.certificates.get().issued_on == timezone.localdate()


def test_the_certificate_page_dates_a_certificate_today_whatever_is_posted(personas):
    case = case_in(personas, Status.ADVICE_GIVEN)
    response = page_action(
        personas.adviser, case, "issue_certificate", {"kind": "after_advice", "issued_on": "2026-10-07"}
    )
    assert response.status_code == 302
    assert case.certificates.get().issued_on == timezone.localdate()


# --- consent to disagreement resolution ----------------------------------------------------------


def test_a_consent_answer_dated_in_the_future_is_refused_and_the_page_dates_answers_today(personas):
    """The API and the service take the date of an answer; the page has no date and records today."""
    case = case_in(personas, Status.CONSENT_PENDING)
    school = case.parties.get(role=Party.Role.EDUCATION_PROVIDER)
    before = snapshot(case)
    message = "The date they answered must be today or in the past"

    refused = api_action(
        personas.coordinator,
        case,
        "record_dr_consent",
        {"party_id": school.pk, "consent": "yes", "on": tomorrow().isoformat()},
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"on": message}
    with pytest.raises(InvalidChange) as raised:
        services.record_dr_consent(
            actor=personas.coordinator, case=case, party=school, consent="yes", on=tomorrow()
        )
    assert (raised.value.field, raised.value.message) == ("on", message)
    assert snapshot(case) == before

    url = reverse("cases:case_action", args=[case.reference, "record_dr_consent"])
    client = signed_in(personas.coordinator)
    assert "on" not in client.get(url).context["form"].fields
    answered = client.post(
        url,
        {
            "party": str(school.pk),
            "consent": "yes",
            "answered_by": "Sam Lee, head teacher",
            "how": "phone",
            **date_fields("on", tomorrow()),
            "on": "2030-01-01",
        },
    )
    assert answered.status_code == 302
    school.refresh_from_db()
    assert (school.dr_consent, school.dr_consent_on) == ("yes", timezone.localdate())


# --- changing the case's details -----------------------------------------------------------------


def _kept_facts(case: Case) -> tuple[Any, ...]:
    case.refresh_from_db()
    appeal = case.deadlines.get(rule="appeal_by")
    return (
        case.child_date_of_birth,
        case.postcode,
        list(case.decisions),
        case.decision_letter_sent,
        (appeal.start, appeal.due),
    )


def test_sending_only_the_names_and_authority_keeps_every_other_fact(personas):
    case = case_in(personas, Status.ADVICE_GIVEN)
    kept = _kept_facts(case)
    assert kept[:4] == (datetime.date(2017, 5, 4), "SW1A 1AA", ["refused_assessment"], LETTER_SENT)

    patched = api_action(
        personas.coordinator,
        case,
        "update_details",
        {"child_first_name": "Amira", "child_last_name": "Khan-Ali", "local_authority": "E09000033"},
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["child_first_name"], patched.json()["child_last_name"]) == ("Amira", "Khan-Ali")
    assert _kept_facts(case) == kept

    services.update_details(
        actor=personas.coordinator,
        case=case,
        child_first_name="Amara",
        child_last_name="Khan",
        local_authority=personas.authority,
    )
    assert _kept_facts(case) == kept

    page = page_action(
        personas.coordinator, case, "update_details", details_form_data(case, child_first_name="Amir")
    )
    assert page.status_code == 302
    assert _kept_facts(case) == kept
    assert case.child_first_name == "Amir"
    assert case.events.filter(kind="details_changed").count() == 3


def test_emptying_the_postcode_clears_it_at_every_door(personas):
    case = case_in(personas, Status.ADVICE_GIVEN)
    patched = api_action(personas.coordinator, case, "update_details", {"postcode": None})
    assert patched.status_code == 200, patched.content
    case.refresh_from_db()
    assert case.postcode == ""
    assert case.events.filter(kind="details_changed", data__fields=["postcode"]).exists()

    other = case_in(personas, Status.ADVICE_GIVEN)
    page = page_action(personas.coordinator, other, "update_details", details_form_data(other, postcode=""))
    assert page.status_code == 302
    other.refresh_from_db()
    assert other.postcode == ""
    assert other.decision_letter_sent == LETTER_SENT


def test_a_postcode_in_another_authority_is_saved_once_the_authority_is_confirmed_by_api(personas):
    case = case_in(personas, Status.ADVICE_GIVEN)
    saved = api_action(
        personas.coordinator,
        case,
        "update_details",
        {"postcode": "ME14 1XQ", "confirm_other_authority": True},
    )
    assert saved.status_code == 200, saved.content
    case.refresh_from_db()
    assert (case.postcode, case.local_authority.code) == ("ME14 1XQ", "E09000033")


def test_the_details_page_asks_before_saving_a_postcode_in_another_authority(personas):
    case = case_in(personas, Status.ADVICE_GIVEN)
    before = snapshot(case)
    client = signed_in(personas.coordinator)
    url = reverse("cases:case_action", args=[case.reference, "update_details"])
    data = details_form_data(case, postcode="ME14 1XQ")

    # Ticking the box before being asked does not count.
    early = client.post(url, {**data, "confirm_other_authority": "on"})
    assert early.status_code == 200
    assert early.context["form"].errors["postcode"] == [KENT_POSTCODE]

    asked = client.post(url, data)
    assert asked.status_code == 200
    html = asked.content.decode()
    assert asked.context["form"].errors["postcode"] == [KENT_POSTCODE]
    assert 'name="confirm_other_authority_asked"' in html
    assert 'name="confirm_other_authority" type="checkbox"' in html
    assert "Yes, this local authority is responsible for the child" in html
    assert snapshot(case) == before

    confirmed = client.post(
        url, {**data, "confirm_other_authority_asked": "1", "confirm_other_authority": "on"}
    )
    assert confirmed.status_code == 302
    case.refresh_from_db()
    assert (case.postcode, case.local_authority.code) == ("ME14 1XQ", "E09000033")


# --- the case list -------------------------------------------------------------------------------


def test_an_assignee_that_is_not_a_person_is_a_400_naming_it(personas):
    response = Client().get("/api/v1/cases", {"assignee": "abc"}, headers=bearer(personas.coordinator))
    assert response.status_code == 400
    assert "assignee" in response.json()["error"]["fields"]


# --- booking the advice call ---------------------------------------------------------------------


def _call_tomorrow_at(hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(tomorrow(), datetime.time(hour, minute)))


def _first_call_booked(personas) -> tuple[Case, Case]:
    booked = case_in(personas, Status.TRIAGED, child_first_name="Bella")
    services.book_advice(
        actor=personas.coordinator, case=booked, adviser=personas.adviser, booked_for=_call_tomorrow_at(10, 0)
    )
    return booked, case_in(personas, Status.TRIAGED)


def test_a_call_within_half_an_hour_of_another_is_a_clash_by_api_unless_accepted(personas):
    booked, case = _first_call_booked(personas)
    before = snapshot(case)
    body = {"adviser": personas.adviser.username, "booked_for": _call_tomorrow_at(10, 20).isoformat()}

    clash = api_action(personas.coordinator, case, "book_advice", body)
    assert clash.status_code == 409
    error = clash.json()["error"]
    assert error["code"] == "booking_clash"
    assert "booked_for" in error["fields"]
    assert booked.reference in error["message"] and "allow_clash" in error["message"]
    assert snapshot(case) == before

    accepted = api_action(personas.coordinator, case, "book_advice", {**body, "allow_clash": True})
    assert accepted.status_code == 200, accepted.content
    case.refresh_from_db()
    assert case.status == Status.ADVICE_BOOKED
    assert case.advice_calls.get().booked_for == _call_tomorrow_at(10, 20)


def test_the_booking_page_shows_the_clash_with_a_box_to_book_it_anyway(personas):
    booked, case = _first_call_booked(personas)
    before = snapshot(case)
    client = signed_in(personas.coordinator)
    url = reverse("cases:case_action", args=[case.reference, "book_advice"])
    data = {"adviser": str(personas.adviser.pk), **date_fields("day", tomorrow()), "time": "10:20"}

    clash = client.post(url, data)
    assert clash.status_code == 200
    errors = clash.context["form"].errors["allow_clash"]
    assert len(errors) == 1 and booked.reference in errors[0] and "tick the box" in errors[0]
    html = clash.content.decode()
    assert 'name="allow_clash_asked"' in html
    assert 'name="allow_clash" type="checkbox"' in html
    assert snapshot(case) == before

    accepted = client.post(url, {**data, "allow_clash_asked": "1", "allow_clash": "on"})
    assert accepted.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ADVICE_BOOKED
    assert case.advice_calls.get().booked_for == _call_tomorrow_at(10, 20)
