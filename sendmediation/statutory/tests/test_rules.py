"""The statutory rules, checked against the worked examples in docs/domain.md §5 and by hand."""

from __future__ import annotations

import subprocess
import sys
import typing
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from sendmediation.statutory.calendar import WorkingDayCalendar, england_calendar, format_date
from sendmediation.statutory.errors import (
    OutsideCalendar,
    StatutoryError,
    UnexpectedArgument,
    UnknownOrder,
    UnknownRule,
)
from sendmediation.statutory.rules import (
    ORDER_TYPES,
    PERIODS,
    RULES,
    Deadline,
    OrderDeadlines,
    SingleDateCode,
    agreement_as_order,
    appeal_by,
    certificate_after_advice,
    compute,
    contact_adviser_by,
    due_date,
    family_deadlines,
    meeting_notice,
    order_choices,
    order_due_dates,
    settle_appeal_date,
)

D = date
REPO_ROOT = Path(__file__).resolve().parents[3]

ALL_CODES = {
    "contact_adviser_by",
    "certificate_after_advice",
    "health_notice",
    "mediation_by",
    "meeting_notice",
    "certificate_when_not_arranged",
    "certificate_after_mediation",
    "agreement_non_appealable",
    "agreement_health_notifies_la",
    "agreement_as_order",
    "appeal_by",
}
SINGLE_DATE_CODES = sorted(ALL_CODES - {"agreement_as_order"})


@pytest.fixture(scope="module")
def calendar() -> WorkingDayCalendar:
    return england_calendar()


def single(result: Deadline | OrderDeadlines) -> Deadline:
    assert isinstance(result, Deadline)
    return result


# -- the worked examples in docs/domain.md §5, exactly -----------------------------------------


def test_worked_example_decision_1_october_no_certificate(calendar: WorkingDayCalendar) -> None:
    result = family_deadlines(D(2026, 10, 1), calendar=calendar)
    assert result.contact_mediation_adviser_by.due == D(2026, 12, 1)
    assert result.appeal_by.due == D(2026, 12, 1)
    assert result.contact_mediation_adviser_by.reasons == ("2 months after Thu 1 Oct 2026 is Tue 1 Dec 2026",)
    assert result.appeal_by.reasons == ("2 months after Thu 1 Oct 2026 is Tue 1 Dec 2026",)


def test_worked_example_certificate_29_november(calendar: WorkingDayCalendar) -> None:
    result = appeal_by(D(2026, 10, 1), calendar, certificate_issued=D(2026, 11, 29))
    assert result.due == D(2027, 1, 4)
    assert result.reasons == (
        "2 months after Thu 1 Oct 2026 is Tue 1 Dec 2026",
        "1 month after Sun 29 Nov 2026 is Tue 29 Dec 2026",
        "The later of the two is Tue 29 Dec 2026",
        "Tue 29 Dec 2026 falls between 25 December and 1 January, so it moves to the first "
        "working day after 1 January",
        "Sat 2 Jan 2027 is a weekend",
        "Sun 3 Jan 2027 is a weekend",
        "The first working day after 1 January 2027 is Mon 4 Jan 2027",
    )


def test_worked_example_decision_15_june(calendar: WorkingDayCalendar) -> None:
    result = appeal_by(D(2026, 6, 15), calendar)
    assert result.due == D(2026, 9, 1)
    assert result.reasons == (
        "2 months after Mon 15 Jun 2026 is Sat 15 Aug 2026",
        "Sat 15 Aug 2026 falls in August, so it moves to the first working day after 31 August",
        "The first working day after 31 August 2026 is Tue 1 Sep 2026",
    )


def test_worked_example_decision_31_december(calendar: WorkingDayCalendar) -> None:
    result = family_deadlines(D(2026, 12, 31), calendar=calendar)
    assert result.contact_mediation_adviser_by.due == D(2027, 2, 28)
    assert result.contact_mediation_adviser_by == contact_adviser_by(D(2026, 12, 31), calendar)
    assert result.appeal_by.due == D(2027, 3, 1)
    assert result.contact_mediation_adviser_by.reasons == (
        "2 months after Thu 31 Dec 2026 is Sun 28 Feb 2027, the last day of February, "
        "as there is no 31 February",
    )
    assert result.appeal_by.reasons[1:] == (
        "Sun 28 Feb 2027 is a weekend",
        "The next working day is Mon 1 Mar 2027",
    )


def test_worked_example_declined_23_december(calendar: WorkingDayCalendar) -> None:
    result = certificate_after_advice(D(2026, 12, 23), calendar)
    assert result.due == D(2026, 12, 30)
    assert result.due.weekday() == 2  # a Wednesday, as the example says
    assert result.reasons == (
        "3 working days after Wed 23 Dec 2026 is Wed 30 Dec 2026",
        "Christmas Day, Fri 25 Dec 2026, is not a working day",
        "Sat 26 Dec 2026 is a weekend",
        "Sun 27 Dec 2026 is a weekend",
        "Boxing Day (substitute day), Mon 28 Dec 2026, is not a working day",
    )


# -- every rule, worked by hand ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "start", "due"),
    [
        ("contact_adviser_by", D(2026, 10, 1), D(2026, 12, 1)),
        ("contact_adviser_by", D(2027, 12, 31), D(2028, 2, 29)),
        ("certificate_after_advice", D(2026, 12, 23), D(2026, 12, 30)),
        ("health_notice", D(2026, 4, 2), D(2026, 4, 9)),  # Easter skipped
        ("mediation_by", D(2026, 10, 1), D(2026, 10, 31)),  # a Saturday: calendar days
        ("mediation_by", D(2026, 12, 20), D(2027, 1, 19)),
        ("meeting_notice", D(2026, 10, 12), D(2026, 10, 5)),
        ("meeting_notice", D(2026, 4, 7), D(2026, 3, 27)),
        ("certificate_when_not_arranged", D(2027, 12, 24), D(2027, 12, 31)),
        ("certificate_after_mediation", D(2026, 8, 28), D(2026, 9, 3)),
        ("agreement_non_appealable", D(2026, 10, 1), D(2026, 10, 15)),
        ("agreement_non_appealable", D(2026, 12, 14), D(2026, 12, 28)),  # not moved off a holiday
        ("agreement_health_notifies_la", D(2026, 10, 1), D(2026, 10, 8)),
        ("appeal_by", D(2026, 10, 1), D(2026, 12, 1)),
    ],
)
def test_rule(calendar: WorkingDayCalendar, code: str, start: date, due: date) -> None:
    assert typing.get_args(SingleDateCode) == tuple(c for c in RULES if c != "agreement_as_order")
    result = single(compute(code, start, calendar))
    assert (result.rule, result.start, result.due) == (code, start, due)
    assert due_date(code, start, calendar) == due


def test_meeting_notice_reasons(calendar: WorkingDayCalendar) -> None:
    assert meeting_notice(D(2026, 4, 7), calendar).reasons == (
        "5 working days before Tue 7 Apr 2026 is Fri 27 Mar 2026",
        "Sat 28 Mar 2026 is a weekend",
        "Sun 29 Mar 2026 is a weekend",
        "Good Friday, Fri 3 Apr 2026, is not a working day",
        "Sat 4 Apr 2026 is a weekend",
        "Sun 5 Apr 2026 is a weekend",
        "Easter Monday, Mon 6 Apr 2026, is not a working day",
    )


@pytest.mark.parametrize(
    ("code", "start", "reason"),
    [
        ("mediation_by", D(2026, 10, 1), "30 days after Thu 1 Oct 2026 is Sat 31 Oct 2026"),
        ("agreement_non_appealable", D(2026, 10, 1), "2 weeks after Thu 1 Oct 2026 is Thu 15 Oct 2026"),
        ("agreement_health_notifies_la", D(2026, 10, 1), "1 week after Thu 1 Oct 2026 is Thu 8 Oct 2026"),
        ("health_notice", D(2026, 10, 5), "3 working days after Mon 5 Oct 2026 is Thu 8 Oct 2026"),
    ],
)
def test_simple_reasons(calendar: WorkingDayCalendar, code: str, start: date, reason: str) -> None:
    assert single(compute(code, start, calendar)).reasons == (reason,)


@pytest.mark.parametrize(
    ("order", "due"),
    [
        (
            "assess",
            {
                "notify": D(2026, 10, 26),
                "no_plan_decision": D(2026, 12, 21),
                "final_plan": D(2027, 1, 18),
            },
        ),
        ("make_plan", {"draft_plan": D(2026, 11, 16), "final_plan": D(2026, 12, 28)}),
        ("amend", {"amended_plan": D(2026, 11, 16)}),
        ("name_school", {"amended_plan": D(2026, 10, 26)}),
    ],
)
def test_agreement_as_order(calendar: WorkingDayCalendar, order: str, due: dict[str, date]) -> None:
    result = compute("agreement_as_order", D(2026, 10, 12), calendar, order=order)
    assert isinstance(result, OrderDeadlines)
    assert result.order == order
    assert dict(result.due) == due
    assert list(result.due) == list(due)  # steps in the order they fall due
    assert order_due_dates(D(2026, 10, 12), order) == due
    assert len(result.reasons) == len(due)


def test_agreement_as_order_reasons(calendar: WorkingDayCalendar) -> None:
    assert agreement_as_order(D(2026, 10, 12), calendar, "make_plan").reasons == (
        "Issue the draft EHC plan: 5 weeks after Mon 12 Oct 2026 is Mon 16 Nov 2026",
        "Issue the final EHC plan: 11 weeks after Mon 12 Oct 2026 is Mon 28 Dec 2026",
    )


def test_order_types_follow_regulation_44() -> None:
    weeks = {slug: {step.slug: step.weeks for step in order.steps} for slug, order in ORDER_TYPES.items()}
    assert weeks == {
        "assess": {"notify": 2, "no_plan_decision": 10, "final_plan": 14},
        "make_plan": {"draft_plan": 5, "final_plan": 11},
        "amend": {"amended_plan": 5},
        "name_school": {"amended_plan": 2},
    }
    assert [slug for slug, _ in order_choices()] == ["assess", "make_plan", "amend", "name_school"]
    assert all(label for _, label in order_choices())


# -- the appeal deadline in detail -------------------------------------------------------------


@pytest.mark.parametrize("day", range(25, 33))
def test_every_day_of_the_christmas_window_moves(calendar: WorkingDayCalendar, day: int) -> None:
    # Decisions sent 25 Oct to 1 Nov 2026 give raw dates 25 Dec 2026 to 1 Jan 2027.
    sent = D(2026, 10, 1) + timedelta(days=day - 1)
    result = appeal_by(sent, calendar)
    assert result.due == D(2027, 1, 4)
    assert "falls between 25 December and 1 January" in result.reasons[1]


@pytest.mark.parametrize(
    ("sent", "certificate", "due"),
    [
        (D(2026, 10, 24), None, D(2026, 12, 24)),  # Thu 24 Dec is a working day: no move
        (D(2026, 11, 2), None, D(2027, 1, 4)),  # Sat 2 Jan: the next working day
        (D(2026, 6, 1), None, D(2026, 9, 1)),
        (D(2026, 6, 30), None, D(2026, 9, 1)),  # 30 Aug; 31 Aug 2026 is a bank holiday anyway
        (D(2026, 7, 1), None, D(2026, 9, 1)),  # 1 Sep itself
        (D(2027, 6, 30), None, D(2027, 9, 1)),
        (D(2029, 6, 15), None, D(2029, 9, 3)),  # 31 Aug 2029 is a Friday
        (D(2027, 5, 31), None, D(2027, 9, 1)),  # Sat 31 Jul rolls into August, then out of it
        (D(2028, 10, 24), None, D(2029, 1, 2)),  # Sun 24 Dec rolls into the window, then out
        (D(2026, 10, 1), D(2026, 10, 15), D(2026, 12, 1)),  # the decision's date is later
        (D(2026, 10, 1), D(2026, 11, 10), D(2026, 12, 10)),  # the certificate's date is later
        (D(2026, 10, 1), D(2026, 11, 1), D(2026, 12, 1)),  # both the same
        (D(2026, 12, 1), D(2027, 1, 31), D(2027, 3, 1)),  # 28 Feb 2027 is a Sunday
        (D(2026, 3, 31), None, D(2026, 6, 1)),  # 31 May 2026 is a Sunday
    ],
)
def test_appeal_by(calendar: WorkingDayCalendar, sent: date, certificate: date | None, due: date) -> None:
    assert appeal_by(sent, calendar, certificate).due == due
    assert due_date("appeal_by", sent, calendar, certificate_issued=certificate) == due


def test_appeal_rolled_into_the_window_says_so(calendar: WorkingDayCalendar) -> None:
    assert appeal_by(D(2028, 10, 24), calendar).reasons == (
        "2 months after Tue 24 Oct 2028 is Sun 24 Dec 2028",
        "Sun 24 Dec 2028 is a weekend",
        "Christmas Day, Mon 25 Dec 2028, is not a working day",
        "Boxing Day, Tue 26 Dec 2028, is not a working day",
        "The next working day is Wed 27 Dec 2028",
        "Wed 27 Dec 2028 falls between 25 December and 1 January, so it moves to the first "
        "working day after 1 January",
        "The first working day after 1 January 2029 is Tue 2 Jan 2029",
    )


def test_settle_appeal_date(calendar: WorkingDayCalendar) -> None:
    assert settle_appeal_date(D(2026, 12, 24), calendar) == D(2026, 12, 24)
    assert settle_appeal_date(D(2027, 1, 1), calendar) == D(2027, 1, 4)
    assert settle_appeal_date(D(2026, 8, 1), calendar) == D(2026, 9, 1)
    assert settle_appeal_date(D(2026, 10, 10), calendar) == D(2026, 10, 12)


# -- the registry and the dispatcher -----------------------------------------------------------


def test_registry_holds_every_rule_in_the_domain() -> None:
    assert set(RULES) == ALL_CODES
    for code, rule in RULES.items():
        assert rule.code == code
        assert rule.label and rule.who_acts and rule.starts_from and rule.period and rule.source
    assert [c for c, r in RULES.items() if r.needs_order] == ["agreement_as_order"]
    assert [c for c, r in RULES.items() if r.uses_certificate] == ["appeal_by"]
    assert {c for c, r in RULES.items() if r.may_be_varied_by_agreement} == {
        "agreement_non_appealable",
        "agreement_health_notifies_la",
        "agreement_as_order",
    }
    assert set(PERIODS) == ALL_CODES - {"agreement_as_order", "appeal_by"}
    assert "regulation 33" in RULES["contact_adviser_by"].source
    assert "sent" in RULES["contact_adviser_by"].note


def test_unknown_rule(calendar: WorkingDayCalendar) -> None:
    with pytest.raises(UnknownRule, match="Unknown deadline rule 'appeal'"):
        compute("appeal", D(2026, 10, 1), calendar)
    with pytest.raises(UnknownRule):
        due_date("appeal", D(2026, 10, 1), calendar)
    assert issubclass(UnknownRule, StatutoryError)
    assert issubclass(StatutoryError, ValueError)


def test_unknown_or_missing_order(calendar: WorkingDayCalendar) -> None:
    with pytest.raises(UnknownOrder, match="needs an order type"):
        compute("agreement_as_order", D(2026, 10, 1), calendar)
    with pytest.raises(UnknownOrder, match="Unknown order type 'reassess'"):
        compute("agreement_as_order", D(2026, 10, 1), calendar, order="reassess")
    with pytest.raises(UnknownOrder):
        order_due_dates(D(2026, 10, 1), "reassess")
    with pytest.raises(UnexpectedArgument, match="use order_due_dates"):
        due_date("agreement_as_order", D(2026, 10, 1), calendar)


def test_arguments_a_rule_does_not_take(calendar: WorkingDayCalendar) -> None:
    with pytest.raises(UnexpectedArgument):
        compute("mediation_by", D(2026, 10, 1), calendar, order="assess")
    with pytest.raises(UnexpectedArgument):
        compute("mediation_by", D(2026, 10, 1), calendar, certificate_issued=D(2026, 10, 2))
    with pytest.raises(UnexpectedArgument):
        due_date("mediation_by", D(2026, 10, 1), calendar, certificate_issued=D(2026, 10, 2))
    with pytest.raises(UnexpectedArgument):
        compute(
            "agreement_as_order",
            D(2026, 10, 1),
            calendar,
            order="assess",
            certificate_issued=D(2026, 10, 2),
        )


def test_a_datetime_is_refused(calendar: WorkingDayCalendar) -> None:
    with pytest.raises(TypeError, match="must be a date"):
        compute("mediation_by", datetime(2026, 10, 1, 23, 30), calendar)
    with pytest.raises(TypeError):
        appeal_by(D(2026, 10, 1), calendar, certificate_issued="2026-11-01")  # type: ignore[arg-type]


def test_outside_the_calendar(calendar: WorkingDayCalendar) -> None:
    small = england_calendar(years=range(2025, 2031))
    with pytest.raises(OutsideCalendar):
        compute("certificate_after_advice", D(2030, 12, 31), small)
    with pytest.raises(OutsideCalendar):
        compute("appeal_by", D(2030, 11, 1), small)
    with pytest.raises(OutsideCalendar):
        due_date("meeting_notice", D(2025, 1, 2), small)
    # Calendar-day rules need no calendar, so they still answer (and correctly).
    assert due_date("mediation_by", D(2040, 12, 20), small) == D(2041, 1, 19)


def test_as_dict(calendar: WorkingDayCalendar) -> None:
    result = family_deadlines(D(2026, 10, 1), D(2026, 11, 29), calendar=calendar).as_dict()
    assert result["decision_letter_sent"] == "2026-10-01"
    assert result["certificate_issued"] == "2026-11-29"
    assert result["appeal_by"] == {
        "rule": "appeal_by",
        "start": "2026-10-01",
        "due": "2027-01-04",
        "reasons": list(appeal_by(D(2026, 10, 1), calendar, D(2026, 11, 29)).reasons),
    }
    order = agreement_as_order(D(2026, 10, 12), calendar, "amend").as_dict()
    assert order["due"] == {"amended_plan": "2026-11-16"}
    assert order["labels"] == {"amended_plan": "Issue the amended EHC plan"}


# -- the two ways of computing agree everywhere -------------------------------------------------


@pytest.mark.parametrize("code", SINGLE_DATE_CODES)
def test_reasons_and_fast_path_agree_for_every_day(calendar: WorkingDayCalendar, code: str) -> None:
    day = D(2025, 1, 1)
    while day.year < 2031:
        result = single(compute(code, day, calendar))
        assert result.due == due_date(code, day, calendar), day
        assert f"after {format_date(day)} is " in result.reasons[0] or (
            f"before {format_date(day)} is " in result.reasons[0]
        ), day
        day += timedelta(days=1)


def test_appeal_with_certificates_agrees_for_every_day(calendar: WorkingDayCalendar) -> None:
    day = D(2025, 1, 1)
    while day.year < 2031:
        for gap in (0, 17, 45, 80):
            certificate = day + timedelta(days=gap)
            explained = appeal_by(day, calendar, certificate)
            assert explained.due == due_date("appeal_by", day, calendar, certificate_issued=certificate)
        day += timedelta(days=1)


# -- purity ------------------------------------------------------------------------------------


def test_importing_the_package_does_not_import_django() -> None:
    code = (
        "import sys; import sendmediation.statutory.rules, sendmediation.statutory.calendar, "
        "sendmediation.statutory.bulk, sendmediation.statutory.errors; "
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "assert not loaded, loaded"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr


def test_the_modules_never_mention_django() -> None:
    package = REPO_ROOT / "sendmediation" / "statutory"
    for name in ("calendar.py", "rules.py", "bulk.py", "errors.py"):
        source = (package / name).read_text()
        assert "django" not in source.lower(), name
