import datetime

import pytest

from sendmediation.cases import services
from sendmediation.cases.models import Deadline
from sendmediation.cases.reminders import deadlines_for_reminders
from sendmediation.cases.tests.builders import open_case


@pytest.mark.django_db
def test_reminders_read_running_deadlines_due_by_the_day_with_who_acts(personas):
    case = open_case(personas, actor=personas.manager)  # a manager keying a case in leaves it unassigned
    unassigned = list(deadlines_for_reminders(until=datetime.date(2099, 1, 1)))
    assert unassigned and all(item.assignee is None for item in unassigned)
    services.assign(
        actor=personas.coordinator,
        case=case,
        coordinator=personas.coordinator,
        adviser=personas.adviser,
        mediator=None,
    )
    running = Deadline.objects.filter(case=case).running()
    assert running.exists(), "the case has running deadlines to remind about"
    latest = max(d.effective_due for d in running)
    found = list(deadlines_for_reminders(until=latest))
    assert {d.rule for d in found} == {d.rule for d in running}
    for item in found:
        assert item.case_reference == case.reference
        assert item.case_path.endswith(f"/{case.reference}/")
        assert item.assignee == personas.coordinator
    earliest = min(d.effective_due for d in running)
    assert list(deadlines_for_reminders(until=earliest - datetime.timedelta(days=1))) == []


@pytest.mark.django_db
def test_the_authoritys_own_dates_remind_its_officers_once_it_takes_part(personas):
    from sendmediation.cases.models import Case
    from sendmediation.cases.tests.builders import case_in
    from sendmediation.testing.personas import make_staff

    far = datetime.date(2099, 1, 1)
    # Mediation asked for, the authority not told yet: its officers cannot see the case.
    asked = case_in(personas, Case.Status.MEDIATION_REQUESTED)
    assert Deadline.objects.filter(case=asked, rule="mediation_by").running().exists()
    assert not [item for item in deadlines_for_reminders(until=far) if item.assignee == personas.la_officer]

    told = case_in(personas, Case.Status.LA_NOTIFIED)
    from sendmediation.localities.models import LocalAuthority

    kent, _ = LocalAuthority.objects.get_or_create(code="E10000016", defaults={"name": "Kent"})
    elsewhere = make_staff("kent_officer", role="la_officer", authority=kent)
    officer_items = [
        item for item in deadlines_for_reminders(until=far) if item.assignee == personas.la_officer
    ]
    # Only the authority's own dates, on the case it takes part in; never the family's or ours.
    assert {(item.case_reference, item.rule) for item in officer_items} == {(told.reference, "mediation_by")}
    assert not [item for item in deadlines_for_reminders(until=far) if item.assignee == elsewhere]
