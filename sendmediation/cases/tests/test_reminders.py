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
