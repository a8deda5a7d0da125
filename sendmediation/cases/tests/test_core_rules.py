"""Each rule of the casework core, through the front doors: what the case becomes, and what it records."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sendmediation.accounts.tokens import create_api_token
from sendmediation.cases import certificates, deadlines, services, workflow
from sendmediation.cases.errors import InvalidChange
from sendmediation.cases.models import AuthorityContact, Case, CaseEvent, Certificate, Deadline, Party
from sendmediation.cases.tests.builders import (
    BOOKED_AT,
    CALL_BOOKED_FOR,
    LETTER_SENT,
    ROUTES,
    case_in,
    open_case,
)
from sendmediation.notifications.models import OutboxMessage
from sendmediation.statutory.rules import RULES, RuleCode, compute
from sendmediation.statutory.services import base_calendar

pytestmark = pytest.mark.django_db

Status = Case.Status
Event = CaseEvent.Kind
d = datetime.date


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(user: Any) -> dict[str, str]:
    _, token = create_api_token(user=user)
    return {"Authorization": f"Bearer {token}"}


def row(case: Case, rule: str) -> Deadline:
    return Deadline.objects.get(case=case, rule=rule)


def kinds(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))


def last_event(case: Case, kind: str) -> CaseEvent:
    return CaseEvent.objects.filter(case=case, kind=kind).latest("id")


# --- the clock table -----------------------------------------------------------------------------


def test_every_clock_that_starts_can_be_met_or_stopped():
    for code, clock in deadlines.CLOCKS.items():
        if clock.starts:
            assert clock.meets or clock.stops, code


def test_every_event_that_moves_a_clock_comes_from_an_action_or_from_closing():
    produced = {action.event for action in workflow.ACTIONS.values()} | {
        # Written by the last signature on an agreement, which no staff action takes.
        Event.AGREEMENT_SIGNED,
        Event.CLOSED,
        Event.WITHDRAWN,
        Event.REOPENED,
    }
    for code, clock in deadlines.CLOCKS.items():
        for trigger in (*clock.starts, *clock.meets, *clock.stops):
            assert trigger.event in produced, (code, trigger.event)
    assert set(deadlines.STOPS_ALL) | deadlines.RESUMES_ALL <= produced


def test_the_clock_table_names_only_statutory_rules_and_says_why_a_clock_never_starts():
    assert set(deadlines.CLOCKS) <= set(RULES)
    for code, clock in deadlines.CLOCKS.items():
        if not (clock.starts or clock.from_facts):
            assert clock.note, code


# --- the local authority's duties ----------------------------------------------------------------


def test_holding_the_mediation_meets_the_30_days_and_counts_how_late_in_working_days(personas):
    case = case_in(personas, Status.LA_NOTIFIED)
    assert (row(case, "mediation_by").start, row(case, "mediation_by").due) == (
        d(2026, 10, 6),
        d(2026, 11, 5),
    )

    services.record_mediation_held(
        actor=personas.coordinator,
        case=case,
        held_on=d(2026, 11, 10),
        how="phone",
        person="Mina Patel, mediator",
        calendar=base_calendar(),
    )

    held = row(case, "mediation_by")
    # Due Thu 5 Nov; held Tue 10 Nov: Fri 6, Mon 9 and Tue 10 are working days (Sat 7, Sun 8 are not).
    assert (held.met_on, held.working_days_late) == (d(2026, 11, 10), 3)
    assert held.state(today=timezone.localdate()) == "met_late"
    assert deadlines.working_days_late(held.due, d(2026, 11, 10), calendar=base_calendar()) == 3
    assert row(case, "certificate_after_mediation").start == d(2026, 11, 10)
    case.refresh_from_db()
    assert case.status == Status.MEDIATION_HELD
    assert kinds(case)[-1] == Event.MEDIATION_HELD
    event = last_event(case, Event.MEDIATION_HELD)
    contact = AuthorityContact.objects.get(case=case, kind=AuthorityContact.Kind.MEDIATION_HELD)
    assert event.data["held_on"] == "2026-11-10" and event.data["evidence"] == contact.pk
    assert (contact.on, contact.how, contact.person) == (d(2026, 11, 10), "phone", "Mina Patel, mediator")


def test_telling_each_health_commissioner_is_recorded_with_its_evidence(personas):
    case = case_in(personas, Status.MEDIATION_REQUESTED, issues_health=True)
    assert (row(case, "health_notice").start, row(case, "health_notice").due) == (
        d(2026, 10, 6),
        d(2026, 10, 9),
    )

    services.record_la_duty(
        actor=personas.coordinator,
        case=case,
        rule=RuleCode.HEALTH_NOTICE,
        on=d(2026, 10, 8),
        how="phone",
        person="Dr Ana Ruiz, integrated care board",
        calendar=base_calendar(),
    )

    met = row(case, "health_notice")
    assert (met.met_on, met.working_days_late) == (d(2026, 10, 8), 0)
    assert met.state(today=timezone.localdate()) == "met"
    contact = AuthorityContact.objects.get(case=case, kind=AuthorityContact.Kind.DUTY_DONE)
    assert (contact.rule, contact.on, contact.how, contact.person, contact.recorded_by) == (
        "health_notice",
        d(2026, 10, 8),
        "phone",
        "Dr Ana Ruiz, integrated care board",
        personas.coordinator,
    )
    event = last_event(case, Event.LA_DUTY_DONE)
    assert event.data == {"rule": "health_notice", "on": "2026-10-08", "how": "phone", "evidence": contact.pk}
    assert event.actor == personas.coordinator


def test_a_duty_already_done_cannot_be_recorded_again(personas):
    case = case_in(personas, Status.MEDIATION_REQUESTED, issues_health=True)
    duty = {
        "actor": personas.coordinator,
        "case": case,
        "rule": RuleCode.HEALTH_NOTICE,
        "on": d(2026, 10, 8),
        "how": "email",
        "person": "Dr Ana Ruiz, integrated care board",
    }
    services.record_la_duty(**duty)
    events = kinds(case)
    with pytest.raises(InvalidChange) as raised:
        services.record_la_duty(**duty)
    assert raised.value.field == "rule"
    assert kinds(case) == events
    assert AuthorityContact.objects.filter(case=case, kind=AuthorityContact.Kind.DUTY_DONE).count() == 1


def test_a_duty_whose_date_is_not_running_cannot_be_recorded(personas):
    case = case_in(personas, Status.MEDIATION_REQUESTED)  # no health care issues: no health notice
    events = kinds(case)
    with pytest.raises(InvalidChange) as raised:
        services.record_la_duty(
            actor=personas.coordinator,
            case=case,
            rule=RuleCode.HEALTH_NOTICE,
            on=d(2026, 10, 8),
            how="email",
            person="Dr Ana Ruiz, integrated care board",
        )
    assert raised.value.field == "rule"
    assert kinds(case) == events
    assert not AuthorityContact.objects.filter(case=case, kind=AuthorityContact.Kind.DUTY_DONE).exists()


# --- a date met late -----------------------------------------------------------------------------


def _certificate_after_christmas(personas) -> Case:
    """The family declined mediation on Friday 19 December 2025; the certificate went on 2 January."""
    case = open_case(personas, received_on=d(2025, 12, 15), decision_letter_sent=d(2025, 12, 1))
    services.triage(actor=personas.coordinator, case=case)
    services.assign(
        actor=personas.coordinator,
        case=case,
        coordinator=personas.coordinator,
        adviser=personas.adviser,
        mediator=None,
    )
    services.record_advice_outcome(
        actor=personas.adviser,
        case=case,
        outcome="declines_mediation",
        held_at=timezone.make_aware(datetime.datetime(2025, 12, 19, 11, 0)),
        calendar=base_calendar(),
    )
    services.issue_certificate(
        actor=personas.adviser, case=case, today=d(2026, 1, 2), calendar=base_calendar()
    )
    return case


def test_a_certificate_issued_late_is_met_late_by_the_working_days_it_was_late(personas):
    case = _certificate_after_christmas(personas)
    late = row(case, "certificate_after_advice")
    # 3 working days after Fri 19 Dec 2025 is Wed 24 Dec. Issued Fri 2 Jan 2026: of the days after
    # 24 Dec, Thu 25 (Christmas Day), Fri 26 (Boxing Day), Sat 27, Sun 28 and Thu 1 Jan (New Year's
    # Day) are not working days; Mon 29, Tue 30, Wed 31 and Fri 2 are: 4 working days late.
    assert (late.start, late.due, late.met_on) == (d(2025, 12, 19), d(2025, 12, 24), d(2026, 1, 2))
    assert late.working_days_late == 4
    assert late.state(today=timezone.localdate()) == "met_late"
    assert last_event(case, Event.CERTIFICATE_ISSUED).data["issued_on"] == "2026-01-02"


def test_a_date_met_late_says_so_on_the_case_page_and_in_the_api(personas):
    case = _certificate_after_christmas(personas)
    page = signed_in(personas.adviser).get(reverse("cases:case_detail", args=[case.reference]))
    assert "Met late: 4 working days" in page.content.decode()

    read = Client().get(f"/api/v1/cases/{case.reference}", headers=bearer(personas.adviser))
    assert read.status_code == 200
    shown = next(item for item in read.json()["deadlines"] if item["rule"] == "certificate_after_advice")
    assert (shown["state"], shown["working_days_late"], shown["met_on"]) == ("met_late", 4, "2026-01-02")


def test_met_dates_are_history_when_the_calendar_changes_but_running_ones_move(personas):
    case = case_in(personas, Status.MEDIATION_HELD, issues_health=True)
    services.record_la_duty(
        actor=personas.coordinator,
        case=case,
        rule=RuleCode.HEALTH_NOTICE,
        on=d(2026, 10, 8),
        how="email",
        person="Dr Ana Ruiz, integrated care board",
        calendar=base_calendar(),
    )
    met_before = Deadline.objects.filter(case=case).exclude(met_on=None).order_by("rule")
    history = list(met_before.values_list("rule", "start", "due", "reasons", "met_on", "working_days_late"))
    assert {item[0] for item in history} >= {"health_notice", "mediation_by"}
    assert row(case, "certificate_after_mediation").due == d(2026, 11, 2)

    # A one-off holiday inside the met health notice's 3 working days, and one inside the running
    # certificate's.
    calendar = base_calendar().with_extra_holidays(
        {d(2026, 10, 7): "A one-off bank holiday", d(2026, 10, 29): "Another one-off bank holiday"}
    )
    assert compute(RuleCode.HEALTH_NOTICE, d(2026, 10, 6), calendar).due == d(2026, 10, 12)
    moved = deadlines.recompute_deadlines(case, calendar=calendar)

    after = Deadline.objects.filter(case=case).exclude(met_on=None).order_by("rule")
    assert (
        list(after.values_list("rule", "start", "due", "reasons", "met_on", "working_days_late")) == history
    )
    running = row(case, "certificate_after_mediation")
    # Thu 29 Oct is now a holiday: Fri 30 Oct, Mon 2 Nov, Tue 3 Nov.
    assert running.due == d(2026, 11, 3)
    assert any("Another one-off bank holiday" in reason for reason in running.reasons)
    assert {"rule": "certificate_after_mediation", "from": "2026-11-02", "to": "2026-11-03"} in moved
    assert not any(item["rule"] in {"health_notice", "mediation_by"} for item in moved)


# --- evidence of what passed between us and the local authority ----------------------------------

CANNOT_HOLD_REASON = "No officer with authority to settle is free before 6 November"


def test_telling_the_authority_and_hearing_it_cannot_hold_mediation_keep_their_evidence(personas):
    case = case_in(personas, Status.MEDIATION_NOT_ARRANGED)
    told, cannot_hold = AuthorityContact.objects.filter(case=case).order_by("on", "id")
    assert (told.kind, told.on, told.how, told.person, told.reason) == (
        "told",
        d(2026, 10, 7),
        "email",
        "Sam Lee, SEND team",
        "",
    )
    assert (cannot_hold.kind, cannot_hold.on, cannot_hold.how, cannot_hold.person, cannot_hold.reason) == (
        "cannot_hold",
        d(2026, 10, 20),
        "email",
        "Sam Lee, SEND team",
        CANNOT_HOLD_REASON,
    )
    assert {told.recorded_by, cannot_hold.recorded_by} == {personas.coordinator}
    notified = last_event(case, Event.LA_NOTIFIED).data
    assert (notified["notified_on"], notified["how"], notified["evidence"]) == (
        "2026-10-07",
        "email",
        told.pk,
    )
    not_arranged = last_event(case, Event.MEDIATION_NOT_ARRANGED).data
    assert (not_arranged["told_on"], not_arranged["evidence"]) == ("2026-10-20", cannot_hold.pk)
    assert (not_arranged["from"], not_arranged["to"]) == ("la_notified", "mediation_not_arranged")
    assert row(case, "mediation_by").stopped_on == d(2026, 10, 20)
    assert row(case, "certificate_when_not_arranged").start == d(2026, 10, 20)


def test_the_not_arranged_certificate_carries_and_prints_both_of_its_dates(personas):
    case = case_in(personas, Status.MEDIATION_NOT_ARRANGED)
    certificate = services.issue_certificate(
        actor=personas.adviser,
        case=case,
        kind="not_arranged",
        today=d(2026, 10, 22),
        calendar=base_calendar(),
    )
    certificate.refresh_from_db()
    assert (certificate.mediation_requested_on, certificate.not_arranged_on) == (
        d(2026, 10, 6),
        d(2026, 10, 20),
    )
    assert row(case, "certificate_when_not_arranged").met_on == d(2026, 10, 22)

    html = render_to_string("cases/certificate_pdf.html", certificates.certificate_context(certificate))
    assert "Date mediation was asked for</th><td>6 October 2026</td>" in html
    assert (
        "Date the local authority said mediation could not be held within 30 days</th>"
        "<td>20 October 2026</td>" in html
    )


def test_a_certificate_after_advice_has_neither_date(personas):
    case = case_in(personas, Status.CERTIFICATE_ISSUED)
    certificate = case.certificates.get()
    assert (certificate.mediation_requested_on, certificate.not_arranged_on) == (None, None)
    html = render_to_string("cases/certificate_pdf.html", certificates.certificate_context(certificate))
    assert "Date mediation was asked for" not in html


# --- revoking a certificate ----------------------------------------------------------------------


def _verify(number: str, code: str) -> str:
    url = reverse("cases_public:verify")
    return Client().post(url, {"number": number, "code": code}, follow=True).content.decode()


def test_revoking_needs_a_reason(personas):
    case = case_in(personas, Status.CERTIFICATE_ISSUED)
    certificate = case.certificates.get()
    events = kinds(case)
    with pytest.raises(InvalidChange) as raised:
        services.revoke_certificate(actor=personas.adviser, case=case, certificate=certificate, reason="  ")
    assert raised.value.field == "reason"
    certificate.refresh_from_db()
    case.refresh_from_db()
    assert (certificate.revoked_on, case.status, kinds(case)) == (None, Status.CERTIFICATE_ISSUED, events)


def test_revoking_sends_the_case_back_to_where_the_certificate_came_from(personas):
    case = case_in(personas, Status.CERTIFICATE_ISSUED)
    certificate = case.certificates.get()
    services.revoke_certificate(
        actor=personas.adviser,
        case=case,
        certificate=certificate,
        reason="It named the wrong decision",
        today=d(2026, 11, 10),
        calendar=base_calendar(),
    )
    case.refresh_from_db()
    certificate.refresh_from_db()
    assert (
        case.status == workflow.CERTIFICATE_KINDS[Certificate.Kind.AFTER_ADVICE].source == Status.ADVICE_GIVEN
    )
    assert (certificate.revoked_on, certificate.revoked_reason, certificate.revoked_by) == (
        d(2026, 11, 10),
        "It named the wrong decision",
        personas.adviser,
    )
    event = last_event(case, Event.CERTIFICATE_REVOKED)
    assert event.data == {
        "from": "certificate_issued",
        "to": "advice_given",
        "certificate": certificate.number,
        "revoked_on": "2026-11-10",
        "reason": "It named the wrong decision",
    }
    # With no certificate standing, the appeal date goes back to 2 months after the letter.
    assert row(case, "appeal_by").due == d(2026, 12, 1)


def test_a_replacement_takes_the_revoked_certificates_place_at_verify_and_in_the_appeal_date(personas):
    case = case_in(personas, Status.CERTIFICATE_ISSUED)
    old = case.certificates.get()
    services.revoke_certificate(
        actor=personas.adviser,
        case=case,
        certificate=old,
        reason="It named the wrong decision",
        today=d(2026, 11, 10),
        calendar=base_calendar(),
    )
    new = services.issue_certificate(
        actor=personas.adviser, case=case, today=d(2026, 11, 10), calendar=base_calendar()
    )
    old.refresh_from_db()
    assert old.replaced_by == new
    assert last_event(case, Event.CERTIFICATE_ISSUED).data["replaces"] == old.number
    # 1 month after the replacement (Thu 10 Dec 2026) is later than 2 months after the letter (1 Dec).
    appeal = compute(RuleCode.APPEAL_BY, LETTER_SENT, base_calendar(), certificate_issued=new.issued_on)
    assert row(case, "appeal_by").due == appeal.due == d(2026, 12, 10)

    revoked = _verify(old.number, old.verification_code)
    assert "This certificate was revoked on Tue 10 Nov 2026" in revoked
    assert f"It was replaced by certificate {new.number}" in revoked
    assert "This certificate is genuine" not in revoked
    genuine = _verify(new.number, new.verification_code)
    assert "This certificate is genuine" in genuine
    assert "revoked" not in genuine


# --- disagreement resolution ---------------------------------------------------------------------


def test_a_new_party_who_must_consent_asks_everyone_for_consent_again(personas):
    case = case_in(personas, Status.CONSENT_GIVEN)
    services.add_party(
        actor=personas.coordinator, case=case, role=Party.Role.HEALTH_COMMISSIONER, name="North Central ICB"
    )
    case.refresh_from_db()
    assert case.status == Status.CONSENT_PENDING
    assert kinds(case)[-2:] == [Event.PARTY_ADDED, Event.DR_CONSENT_REOPENED]
    assert last_event(case, Event.DR_CONSENT_REOPENED).data == {
        "from": "consent_given",
        "to": "consent_pending",
        "party_role": "health_commissioner",
    }


def test_a_new_supporter_does_not_reopen_consent(personas):
    case = case_in(personas, Status.CONSENT_GIVEN)
    services.add_party(
        actor=personas.coordinator, case=case, role=Party.Role.SUPPORTER, name="Pat Doe, advocate"
    )
    case.refresh_from_db()
    assert case.status == Status.CONSENT_GIVEN
    assert kinds(case)[-1] == Event.PARTY_ADDED
    assert Event.DR_CONSENT_REOPENED not in kinds(case)


# --- closing and reopening -----------------------------------------------------------------------

DR_STATUSES = [status for status, (kind, _) in ROUTES.items() if kind == Case.Kind.DISAGREEMENT_RESOLUTION]


@pytest.mark.parametrize("status", DR_STATUSES)
def test_a_disagreement_resolution_case_never_closes_with_a_certificate(personas, status):
    case = case_in(personas, status)
    assert Case.Outcome.CERTIFICATE_ISSUED not in workflow.close_outcomes(case)


def test_after_an_advice_certificate_the_only_outcome_is_certificate_issued(personas):
    case = case_in(personas, Status.CERTIFICATE_ISSUED)
    assert workflow.close_outcomes(case) == [Case.Outcome.CERTIFICATE_ISSUED]


def test_closing_with_an_outcome_that_does_not_fit_is_refused_naming_the_outcome(personas):
    case = case_in(personas, Status.CERTIFICATE_ISSUED)
    events = kinds(case)
    with pytest.raises(InvalidChange) as raised:
        services.close_case(actor=personas.coordinator, case=case, outcome=Case.Outcome.ADVICE_ONLY)
    assert raised.value.field == "outcome"
    assert "'Certificate issued'" in raised.value.message
    case.refresh_from_db()
    assert (case.status, case.outcome, kinds(case)) == (Status.CERTIFICATE_ISSUED, "", events)


def _not_arranged_certificate_closed(personas, *, issued: datetime.date, closed: datetime.date) -> Case:
    case = case_in(personas, Status.MEDIATION_NOT_ARRANGED)  # the 30 days stopped on 20 October
    services.issue_certificate(
        actor=personas.adviser, case=case, kind="not_arranged", today=issued, calendar=base_calendar()
    )
    services.close_case(
        actor=personas.coordinator, case=case, outcome=Case.Outcome.CERTIFICATE_ISSUED, on=closed
    )
    return case


def test_reopening_resumes_only_the_dates_the_closing_stopped(personas):
    case = _not_arranged_certificate_closed(personas, issued=d(2026, 10, 22), closed=d(2026, 10, 26))
    assert row(case, "appeal_by").stopped_on == d(2026, 10, 26)
    assert row(case, "mediation_by").stopped_on == d(2026, 10, 20)

    services.reopen_case(
        actor=personas.coordinator, case=case, reason="Closed in error", calendar=base_calendar()
    )

    case.refresh_from_db()
    assert case.status == Status.CERTIFICATE_ISSUED
    assert row(case, "appeal_by").stopped_on is None
    assert row(case, "mediation_by").stopped_on == d(2026, 10, 20)
    assert kinds(case)[-2:] == [Event.CLOSED, Event.REOPENED]
    assert last_event(case, Event.REOPENED).data["closed_on"] == "2026-10-26"


def test_reopening_leaves_a_date_stopped_for_another_reason_on_the_closing_day_stopped(personas):
    """The 30 days stopped when the authority said it could not hold mediation, on the day the case
    then closed: closing did not stop them, so reopening does not start them again."""
    case = _not_arranged_certificate_closed(personas, issued=d(2026, 10, 20), closed=d(2026, 10, 20))
    assert row(case, "mediation_by").stopped_on == d(2026, 10, 20)

    services.reopen_case(
        actor=personas.coordinator, case=case, reason="Closed in error", calendar=base_calendar()
    )

    assert row(case, "appeal_by").stopped_on is None
    assert row(case, "mediation_by").stopped_on == d(2026, 10, 20)


# --- whom the service writes to ------------------------------------------------------------------


def test_the_family_contact_is_the_first_parent_until_a_young_person_is_added(personas):
    case = open_case(personas)
    first = case.parties.get(role=Party.Role.PARENT)
    assert case.parties.family_contact() == first
    services.add_party(actor=personas.coordinator, case=case, role=Party.Role.PARENT, name="Omar Khan")
    assert case.parties.family_contact() == first
    young = services.add_party(
        actor=personas.coordinator,
        case=case,
        role=Party.Role.YOUNG_PERSON,
        name=f"{personas.young_person.first_name} {personas.young_person.last_name}",
        email=personas.young_person.email,
    )
    assert case.parties.family_contact() == young


@pytest.mark.parametrize("with_young_person", [False, True], ids=["parent only", "with a young person"])
def test_the_call_and_the_certificate_are_emailed_to_the_family_contact(personas, with_young_person):
    case = case_in(personas, Status.TRIAGED)
    if with_young_person:
        services.add_party(
            actor=personas.coordinator,
            case=case,
            role=Party.Role.YOUNG_PERSON,
            name=f"{personas.young_person.first_name} {personas.young_person.last_name}",
            email=personas.young_person.email,
        )
    contact = case.parties.family_contact()
    assert contact is not None
    assert contact.email == (personas.young_person.email if with_young_person else personas.parent.email)

    services.book_advice(
        actor=personas.coordinator,
        case=case,
        adviser=personas.adviser,
        booked_for=CALL_BOOKED_FOR,
        now=BOOKED_AT,
    )
    services.record_advice_outcome(
        actor=personas.adviser,
        case=case,
        outcome="declines_mediation",
        held_at=timezone.make_aware(datetime.datetime(2026, 10, 6, 10, 0)),
        calendar=base_calendar(),
    )
    services.issue_certificate(
        actor=personas.adviser, case=case, today=d(2026, 10, 7), calendar=base_calendar()
    )

    sent = OutboxMessage.objects.filter(case_reference=case.reference)
    assert sent.get(template="advice_call_booked").recipients == [contact.email]
    assert sent.get(template="certificate_issued").recipients == [contact.email]
    assert sent.get(template="certificate_issued").context["name"] == contact.name


# --- what the case page offers when the local authority has been told ----------------------------


def test_once_the_authority_is_told_the_next_step_is_arranging_the_meeting(personas):
    case = case_in(personas, Status.LA_NOTIFIED)
    page = signed_in(personas.coordinator).get(reverse("cases:case_detail", args=[case.reference]))
    action, label = page.context["next_action"]
    assert (action.name, label) == ("arrange_meeting", "Arrange the meeting")
    arrange_url = reverse("meetings:arrange", args=[case.reference])
    next_step = page.content.decode().split("app-next-step", 1)[1].split("</div>", 1)[0]
    assert "govuk-button" in next_step
    assert f'href="{arrange_url}">Arrange the meeting</a>' in next_step
    others = [(other.name, other_label) for other, other_label in page.context["actions"]]
    assert (
        "record_mediation_not_arranged",
        "Record that mediation cannot be held within 30 days",
    ) in others
    # A mediation the authority arranged itself can still be recorded as held.
    assert ("record_mediation_held", "Record a mediation the local authority arranged itself") in others


def test_recording_that_mediation_cannot_be_held_warns_and_asks_to_confirm(personas):
    case = case_in(personas, Status.LA_NOTIFIED)
    url = reverse("cases:case_action", args=[case.reference, "record_mediation_not_arranged"])
    html = signed_in(personas.coordinator).get(url).content.decode()
    assert (
        escape(
            "Only record this if the local authority has said it cannot hold the mediation within 30 days."
        )
        in html
    )
    assert "Yes, record that mediation cannot be held in time</button>" in html
