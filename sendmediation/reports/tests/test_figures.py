"""Each figure set on the small world in conftest.py, whose answers were worked out by hand."""

from __future__ import annotations

import datetime

import pytest

from sendmediation.reports import figures
from sendmediation.reports.figures import Median, Number, Share
from sendmediation.reports.suppression import cells
from sendmediation.reports.tests.conftest import QUARTER, TODAY
from sendmediation.statutory.services import base_calendar

pytestmark = pytest.mark.django_db


def values(figure_set):
    return {row.key: row.value for row in figure_set.rows}


def test_requests_by_route(world):
    own = values(figures.requests_received(authority=world.westminster, period=QUARTER))
    assert own == {
        "received": Number(15),
        "website": Number(6),
        "phone": Number(2),
        "keyed_in": Number(7),
    }
    # The service adds Kent's 5 requests and 5 cases, and the request that matched no authority;
    # keyed-in cases are every case received in the quarter (7 + 5).
    service = values(figures.requests_received(authority=None, period=QUARTER))
    assert service["website"] == Number(12)
    assert service["phone"] == Number(2)
    assert service["keyed_in"] == Number(12)
    assert service["received"] == Number(26)


def test_advice_calls_held(world):
    got = values(figures.advice_calls_held(authority=world.westminster, period=QUARTER))
    assert got["held"] == Number(6)
    assert got["wants_mediation"] == Number(5)
    assert got["declines_mediation"] == Number(1)
    assert got["not_decided"] == Number(0)
    assert got["no_answer"] == Number(2)
    assert values(figures.advice_calls_held(authority=world.kent, period=QUARTER))["held"] == Number(0)


def test_certificates_by_kind(world):
    got = values(figures.certificates_by_kind(authority=world.westminster, period=QUARTER))
    assert got == {
        "issued": Number(7),
        "after_advice": Number(6),
        "after_mediation": Number(1),
        "not_arranged": Number(0),
        "revoked": Number(1),
    }


def test_meetings_and_outcomes(world):
    held = values(figures.meetings_held(authority=world.westminster, period=QUARTER))
    assert held == {"held": Number(8), "mediations": Number(7), "dr_meetings": Number(1)}
    outcome = values(figures.outcomes(authority=world.westminster, period=QUARTER))
    assert outcome["full_agreement"] == Number(5)
    assert outcome["partial_agreement"] == Number(2)
    assert outcome["no_agreement"] == Number(1)
    assert outcome["any_agreement"] == Share(7, 8)
    assert outcome["withdrawn"] == Number(1)
    service = values(figures.meetings_held(authority=None, period=QUARTER))
    assert service["mediations"] == Number(17)


def test_attendance_and_authority_to_settle(world):
    got = values(figures.authority_attendance(authority=world.westminster, period=QUARTER))
    assert got["mediations"] == Number(7)
    assert got["attended"] == Number(6)
    assert got["absent"] == Number(1)
    assert got["could_settle"] == Number(5)
    assert got["could_not_settle"] == Number(1)
    assert got["attended_share"] == Share(6, 7)
    assert got["could_settle_share"] == Share(5, 6)


def test_disputed_decisions(world):
    got = values(figures.disputed_decisions(authority=world.westminster, period=QUARTER))
    assert got["cases"] == Number(7)
    assert got["placement"] == Number(2)
    assert got["needs"] == Number(1)
    assert got["refused_assessment"] == Number(5)
    assert got["refused_plan"] == Number(0)  # "refused_plan" is not matched inside another code
    assert got["cease"] == Number(0)
    assert values(figures.disputed_decisions(authority=None, period=QUARTER))["cease"] == Number(5)


def test_timeliness(world):
    got = values(
        figures.timeliness(authority=world.westminster, period=QUARTER, today=TODAY, calendar=base_calendar())
    )
    # Certificates: 2 on time, 1 late, 1 overdue and never issued; the stopped one is left out.
    assert got["certificates_on_time"] == Number(2)
    assert got["certificates_late"] == Number(2)
    assert got["certificates_late_cases"] == Number(2)
    assert got["certificates_share"] == Share(2, 4)
    assert got["certificates_median"] == Median(2, 3, "working days")
    # Mediations: 5 on time, 1 late; days taken 19, 36, 10, 10, 10, 10.
    assert got["mediations_share"] == Share(5, 6)
    assert got["mediations_median"] == Median(10, 6, "days")
    assert got["mediations_late_cases"] == Number(1)
    # Agreement actions: 5 items on time (14 days), 1 order step late (24 days).
    assert got["agreement_actions_share"] == Share(5, 6)
    assert got["agreement_actions_late_cases"] == Number(1)
    assert got["agreement_actions_median"] == Median(14, 6, "days")


def test_a_date_not_yet_due_is_waiting_not_late(world):
    october = figures.Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    # On 2 October the certificate due on 6 October is still to come.
    today = datetime.date(2026, 10, 2)
    got = values(
        figures.timeliness(authority=world.westminster, period=october, today=today, calendar=base_calendar())
    )
    assert got["certificates_waiting"] == Number(1)
    assert got["certificates_late"] == Number(0)
    assert got["certificates_share"] == Share(0, 0)


def test_sen2_counts_cases_with_a_mediation_held_in_the_calendar_year(world):
    got = values(figures.sen2(authority=world.westminster, period=QUARTER))
    # The 7 mediated in the quarter (one also in March, counted once) and the one held in May.
    assert got["mediation_cases"] == Number(8)
    # From the follow-up survey: 6 of the 8 families answered, 1 appealed and 5 did not.
    assert got["followed_up"] == Number(6)
    assert got["followed_by_appeal"] == Number(1)
    assert got["not_appealed"] == Number(5)
    assert got["may_appeal"] == Number(0)
    assert got["appeal_share"] == Share(1, 6)
    # The service adds Kent's 5 answers, all appealed; the disagreement resolution case's answer is
    # not a mediation and is left out.
    service = values(figures.sen2(authority=None, period=QUARTER))
    assert service["mediation_cases"] == Number(13)
    assert service["followed_up"] == Number(11)
    assert service["followed_by_appeal"] == Number(6)
    assert service["appeal_share"] == Share(6, 11)


def test_sen2_appeals_are_suppressed_like_every_other_count(world):
    shown = cells(figures.sen2(authority=world.westminster, period=QUARTER))
    assert shown["followed_up"].text == "6"
    assert shown["followed_by_appeal"].text == "fewer than 5"
    # 6 answered and 0 "may still appeal" would give the 1 away from the 5: the 5 is hidden too.
    assert shown["not_appealed"].text == "not shown (small numbers)"
    assert shown["appeal_share"].text == "not shown (small numbers)"
    kent = cells(figures.sen2(authority=world.kent, period=QUARTER))
    assert (kent["followed_by_appeal"].text, kent["not_appealed"].text, kent["appeal_share"].text) == (
        "5",
        "0",
        "100%",
    )


def test_one_total_counts_what_the_counts_per_authority_add_up_to(world):
    """A report counts its own total and the service's without grouping by authority; the export
    groups by authority. Both must give the same figures, for each authority and for the service."""
    from sendmediation.reports.report import collect

    calendar = base_calendar()
    grouped = collect(QUARTER, today=TODAY, calendar=calendar)
    service = collect(QUARTER, today=TODAY, calendar=calendar, by_authority=False)
    assert service.sets_for(None) == grouped.sets_for(None)
    for authority in (world.westminster, world.kent):
        own = collect(QUARTER, today=TODAY, calendar=calendar, authority_id=authority.pk, by_authority=False)
        assert own.sets_for(authority.pk) == grouped.sets_for(authority.pk)
    # The world has figures in every set, so the comparison above compares counts, not empty sets.
    shown = {row.key: row.value for figure_set in service.sets_for(None) for row in figure_set.rows}
    assert shown["received"] != Number(0) and shown["mediations"] != Number(0)
    assert shown["certificates_due"] != Number(0) and shown["mediation_cases"] != Number(0)


def test_median_from_a_spread():
    from collections import Counter

    assert figures.median(Counter()) is None
    assert figures.median(Counter({3: 1})) == 3
    assert figures.median(Counter({1: 1, 5: 1})) == 3
    assert figures.median(Counter({2: 2, 9: 1})) == 2
    assert figures.median(Counter({1: 2, 4: 2})) == 2.5


def test_the_trend_counts_each_quarter_on_its_own_days(personas):
    """Each of the 8 quarters counts only what fell on its own days (the first and last day of a
    quarter included), for one authority and for the whole service; a revoked certificate and a
    meeting not held are not counted. Worked out by hand, on data of its own."""
    from sendmediation.cases.models import Case as CaseModel
    from sendmediation.reports import report
    from sendmediation.reports.tests import data

    westminster, kent = personas.authority, personas.other_authority
    mediator, adviser = personas.mediator, personas.adviser
    d = datetime.date
    # Quarters of the trend ending with July to September 2026: Oct 2024 ... Jul 2026.
    for day in (d(2024, 10, 1), d(2024, 12, 31), d(2026, 9, 30), d(2026, 9, 30), d(2024, 9, 30)):
        data.make_case(westminster, received_on=day)
    data.make_case(kent, received_on=d(2025, 5, 5))
    case = data.make_case(westminster, received_on=d(2026, 7, 1))
    dr = data.make_case(westminster, received_on=d(2026, 7, 1), kind=CaseModel.Kind.DISAGREEMENT_RESOLUTION)
    data.add_certificate(case, adviser, kind="after_advice", on=d(2025, 1, 1))
    data.add_certificate(case, adviser, kind="after_advice", on=d(2025, 3, 31))
    data.add_certificate(case, adviser, kind="after_advice", on=d(2025, 3, 31), revoked=True)
    data.add_meeting(case, mediator, on=d(2026, 8, 1))
    data.add_meeting(dr, mediator, on=d(2026, 8, 2))
    data.add_meeting(dr, mediator, on=d(2025, 11, 3))
    data.add_meeting(case, mediator, on=d(2026, 8, 3), status="provisional")

    def counts(authority_id):
        quarters, found = report.trend_counts(QUARTER, authority_id)
        assert (quarters[0].start, quarters[-1].end) == (d(2024, 10, 1), d(2026, 9, 30))
        return found

    own = counts(westminster.pk)
    assert own["cases"] == [2, 0, 0, 0, 0, 0, 0, 4]
    assert own["certificates"] == [0, 2, 0, 0, 0, 0, 0, 0]
    assert own["mediations"] == [0, 0, 0, 0, 0, 0, 0, 1]
    assert own["dr_meetings"] == [0, 0, 0, 0, 1, 0, 0, 1]
    service = counts(None)
    assert service["cases"] == [2, 0, 1, 0, 0, 0, 0, 4]
    assert counts(kent.pk)["cases"] == [0, 0, 1, 0, 0, 0, 0, 0]
