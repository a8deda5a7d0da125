"""The deadlines each event sets, against the worked examples in domain.md section 5."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from sendmediation.cases import services
from sendmediation.cases.models import Case, Deadline
from sendmediation.cases.tests.builders import case_in, open_case
from sendmediation.statutory.calendar import england_calendar
from sendmediation.statutory.services import base_calendar

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
Status = Case.Status
d = datetime.date


def _due(case, rule):
    return Deadline.objects.get(case=case, rule=rule).due


@pytest.mark.parametrize(
    ("letter", "contact_by", "appeal_by"),
    [
        (d(2026, 10, 1), d(2026, 12, 1), d(2026, 12, 1)),
        (d(2026, 6, 15), d(2026, 8, 15), d(2026, 9, 1)),
        (d(2026, 12, 31), d(2027, 2, 28), d(2027, 3, 1)),
    ],
)
def test_the_decision_letter_sets_the_familys_two_dates(personas, letter, contact_by, appeal_by):
    received = letter + datetime.timedelta(days=3)
    case = open_case(personas, decision_letter_sent=letter, received_on=received, today=received)
    assert _due(case, "contact_adviser_by") == contact_by
    assert _due(case, "appeal_by") == appeal_by
    contact = Deadline.objects.get(case=case, rule="contact_adviser_by")
    assert contact.met_on == letter + datetime.timedelta(days=3)  # getting in touch with us meets it
    assert contact.reasons


def test_no_letter_date_no_family_dates_until_it_is_entered(personas):
    case = open_case(personas, decision_letter_sent=None)
    assert not case.deadlines.exists()
    services.update_details(
        actor=personas.coordinator,
        case=case,
        child_first_name="Amir",
        child_last_name="Khan",
        child_date_of_birth=None,
        postcode="",
        local_authority=personas.authority,
        decisions=["refused_assessment"],
        decision_letter_sent=d(2026, 10, 1),
        issues_education=True,
        issues_health=False,
        issues_social_care=False,
        calendar=base_calendar(),
    )
    assert _due(case, "appeal_by") == d(2026, 12, 1)
    event = case.events.get(kind="details_changed")
    assert "decision_letter_sent" in event.data["fields"]
    assert "Amir" not in str(event.data)


def test_declining_mediation_on_23_december_makes_the_certificate_due_on_30_december(personas):
    case = case_in(personas, Status.ADVICE_BOOKED)
    services.record_advice_outcome(
        actor=personas.adviser,
        case=case,
        outcome="declines_mediation",
        held_at=datetime.datetime(2026, 12, 23, 11, 0, tzinfo=LONDON),
        calendar=base_calendar(),
        now=datetime.datetime(2026, 12, 23, 12, 0, tzinfo=LONDON),
    )
    row = Deadline.objects.get(case=case, rule="certificate_after_advice")
    assert (row.start, row.due, row.met_on) == (d(2026, 12, 23), d(2026, 12, 30), None)
    assert any("Christmas" in reason for reason in row.reasons)
    assert case.events.filter(kind="advice_given", data__outcome="declines_mediation").exists()


def test_a_certificate_meets_its_deadline_and_restarts_the_appeal_clock(personas):
    case = case_in(personas, Status.ADVICE_GIVEN)
    assert _due(case, "appeal_by") == d(2026, 12, 1)
    services.issue_certificate(
        actor=personas.adviser, case=case, today=d(2026, 11, 29), calendar=base_calendar()
    )
    assert Deadline.objects.get(case=case, rule="certificate_after_advice").met_on == d(2026, 11, 29)
    # 1 Oct letter, certificate 29 Nov: 29 Dec is in the Christmas window, 1 Jan a holiday, 2-3 Jan a weekend.
    assert _due(case, "appeal_by") == d(2027, 1, 4)
    event = case.events.get(kind="certificate_issued")
    assert event.data["appeal_by"] == "2027-01-04"


def test_asking_for_mediation_starts_the_30_days_and_health_notice_when_health_is_raised(personas):
    case = case_in(personas, Status.ADVICE_GIVEN, issues_health=True)
    services.request_mediation(
        actor=personas.adviser, case=case, requested_on=d(2026, 10, 8), calendar=base_calendar()
    )
    assert _due(case, "mediation_by") == d(2026, 11, 7)
    assert _due(case, "health_notice") == d(2026, 10, 13)
    # The certificate clock the family started by declining stops when they change their mind.
    assert Deadline.objects.get(case=case, rule="certificate_after_advice").stopped_on == d(2026, 10, 8)
    assert case.events.get(kind="mediation_requested").data["deadlines"] == ["mediation_by", "health_notice"]


def test_no_health_notice_without_health_issues(personas):
    case = case_in(personas, Status.MEDIATION_REQUESTED)
    assert case.deadlines.filter(rule="mediation_by").exists()
    assert not case.deadlines.filter(rule="health_notice").exists()


def test_mediation_that_cannot_be_held_in_time_makes_a_certificate_due(personas):
    case = case_in(personas, Status.LA_NOTIFIED)
    services.record_mediation_not_arranged(
        actor=personas.coordinator,
        case=case,
        told_on=d(2026, 10, 30),
        how="email",
        person="Sam Lee, SEND team",
        reason="No officer with authority to settle is free in time",
        calendar=base_calendar(),
    )
    assert _due(case, "certificate_when_not_arranged") == d(2026, 11, 4)
    assert Deadline.objects.get(case=case, rule="mediation_by").stopped_on == d(2026, 10, 30)
    services.issue_certificate(
        actor=personas.adviser,
        case=case,
        kind="not_arranged",
        today=d(2026, 11, 2),
        calendar=base_calendar(),
    )
    assert Deadline.objects.get(case=case, rule="certificate_when_not_arranged").met_on == d(2026, 11, 2)


def test_the_calendar_passed_in_decides_the_dates(personas):
    case = case_in(personas, Status.ADVICE_BOOKED)
    with_holiday = england_calendar(range(2025, 2029), extra_holidays={d(2026, 10, 7): "A one-off holiday"})
    services.record_advice_outcome(
        actor=personas.adviser,
        case=case,
        outcome="declines_mediation",
        held_at=datetime.datetime(2026, 10, 5, 11, 0, tzinfo=LONDON),
        calendar=with_holiday,
    )
    row = Deadline.objects.get(case=case, rule="certificate_after_advice")
    assert row.due == d(2026, 10, 9)  # Tue 6, (Wed 7 off), Thu 8, Fri 9
    assert any("A one-off holiday" in reason for reason in row.reasons)


def test_withdrawing_stops_the_deadlines_and_reopening_starts_them_again(personas):
    case = case_in(personas, Status.MEDIATION_REQUESTED)
    services.withdraw_case(
        actor=personas.coordinator, case=case, reason="Family withdrew", on=d(2026, 10, 10)
    )
    assert not Deadline.objects.filter(case=case).running().filter(rule="mediation_by").exists()
    services.reopen_case(
        actor=personas.coordinator, case=case, reason="Family came back", calendar=base_calendar()
    )
    assert Deadline.objects.filter(case=case).running().filter(rule="mediation_by").exists()


def test_an_agreed_date_keeps_the_statutory_one_beside_it(personas):
    from sendmediation.cases import deadlines

    case = case_in(personas, Status.LA_NOTIFIED)
    row = deadlines.start_deadline(case, "agreement_non_appealable", d(2026, 11, 2), calendar=base_calendar())
    services.record_agreed_override(
        actor=personas.coordinator,
        case=case,
        deadline=row,
        agreed_date=d(2026, 12, 1),
        note="Agreement item 3",
    )
    row.refresh_from_db()
    assert (row.due, row.agreed_override, row.effective_due) == (
        d(2026, 11, 16),
        d(2026, 12, 1),
        d(2026, 12, 1),
    )
    event = case.events.get(kind="override_agreed")
    assert event.data == {
        "rule": "agreement_non_appealable",
        "statutory_due": "2026-11-16",
        "agreed": "2026-12-01",
    }


def test_only_regulation_42_dates_can_be_varied_by_agreement(personas):
    from sendmediation.cases.errors import InvalidChange

    case = case_in(personas, Status.MEDIATION_REQUESTED)
    row = Deadline.objects.get(case=case, rule="mediation_by")
    with pytest.raises(InvalidChange):
        services.record_agreed_override(
            actor=personas.coordinator, case=case, deadline=row, agreed_date=d(2026, 12, 1), note="Agreed"
        )
    assert not case.events.filter(kind="override_agreed").exists()


def test_the_date_staff_must_meet_is_kept_for_running_staff_dates_only(personas):
    """``staff_due`` (kept by the database for My work and the list's filters) is the date that counts
    while a date is running and staff must meet it, and empty for a date met, stopped or the family's."""
    from sendmediation.cases.deadlines import FAMILY_RULES
    from sendmediation.statutory.rules import RULES

    case = case_in(personas, Status.MEDIATION_REQUESTED)
    rows = {}
    for n, rule in enumerate(RULES):
        for state in ("running", "agreed", "met", "stopped"):
            rows[rule, state] = Deadline.objects.create(
                case=case,
                rule=rule,
                step=f"check-{state}-{n}",
                start=d(2026, 10, 1),
                due=d(2026, 11, 2),
                agreed_override=d(2026, 11, 20) if state == "agreed" else None,
                agreed_override_note="Agreed in writing" if state == "agreed" else "",
                met_on=d(2026, 10, 20) if state == "met" else None,
                stopped_on=d(2026, 10, 21) if state == "stopped" else None,
            )
    assert {rule for rule in RULES if RULES[rule].binds == "family"} == set(FAMILY_RULES)
    for (rule, state), row in rows.items():
        row.refresh_from_db()
        staff_work = rule not in FAMILY_RULES and state in ("running", "agreed")
        expected = row.effective_due if staff_work else None
        assert row.staff_due == expected, (rule, state)
    staff_running = Deadline.objects.staff_work().filter(case=case, step__startswith="check-")
    assert staff_running.count() == 2 * (len(RULES) - len(FAMILY_RULES))
    assert set(Deadline.objects.staff_due_by(d(2026, 11, 2)).filter(step__startswith="check-")) == {
        rows[rule, "running"] for rule in RULES if rule not in FAMILY_RULES
    }
