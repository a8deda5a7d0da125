"""The manager dashboard: exact figures from a hand-built world, and each link opens a list of exactly
the items its figure counts.

The world is built around today (the page reads today's date), so every date below is a number of
days from today, and "this week" runs from today to Sunday whatever day the tests run.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.cases.models import Case
from sendmediation.cases.queries import end_of_week
from sendmediation.intake.models import HelpRequest
from sendmediation.localities.models import LocalAuthority
from sendmediation.notifications.models import OutboxMessage
from sendmediation.reports.tests import data
from sendmediation.testing.personas import make_staff

pytestmark = pytest.mark.django_db

URL = "/staff/reports/dashboard/"
Status = Case.Status


@dataclass
class World:
    personas: Any
    today: datetime.date
    old: User  # a coordinator whose account is closed
    cases: dict[str, Case]


def _days(today: datetime.date, n: int) -> datetime.date:
    return today + datetime.timedelta(days=n)


def build_world(personas: Any) -> World:
    today = timezone.localdate()
    ago = lambda n: _days(today, -n)  # noqa: E731
    cora, adam, mina = personas.coordinator, personas.adviser, personas.mediator
    old = make_staff("olga", User.Role.COORDINATOR, first_name="Olga", last_name="Vance")
    old.is_active = False
    old.save(update_fields=["is_active"])

    # Coverage: Westminster covered with no end; Kent ends in 30 days; Camden starts in 60; Barnet
    # was never covered but has an open case; Croydon's coverage ended and it has no open case.
    westminster, kent = personas.authority, personas.other_authority
    westminster.covered_from = ago(400)
    westminster.save()
    kent.covered_from, kent.covered_to = ago(400), _days(today, 30)
    kent.save()

    def authority(code: str, name: str, **coverage: Any) -> LocalAuthority:
        # Loaded by a migration, except in the browser tests' flushed database.
        found, _ = LocalAuthority.objects.update_or_create(
            code=code, defaults=coverage, create_defaults={"name": name, "kind": "london", **coverage}
        )
        assert found.name == name
        return found

    authority("E09000007", "Camden", covered_from=_days(today, 60))
    barnet = authority("E09000003", "Barnet")
    assert barnet.covered_from is None
    authority("E09000008", "Croydon", covered_from=ago(800), covered_to=ago(10))
    # Every other authority is not covered and has no case, so it is not on the dashboard.
    assert not LocalAuthority.objects.exclude(
        code__in=["E09000033", "E10000016", "E09000007", "E09000008"]
    ).filter(covered_from__isnull=False)

    def case(authority, status, received, **people):
        return data.make_case(authority, status=status, received_on=ago(received), **people)

    # Open cases, by status and age band (under 2 weeks, 2-6, 6-12, over 12):
    #   received     c1 (3 days), c2 (20), k2 (83)            -> 1, 1, 1, 0 = 3
    #   triaged      b1 (84: the first day of "over 12")      -> 0, 0, 0, 1 = 1
    #   advice given c6 (13)                                  -> 1, 0, 0, 0 = 1
    #   LA told      c5 (14), c3 (50), k1 (42), c4 (100)      -> 0, 1, 2, 1 = 4
    #   every open case                                       -> 2, 2, 3, 2 = 9
    cases = {
        "c1": case(westminster, Status.RECEIVED, 3, coordinator=cora),
        "c2": case(westminster, Status.RECEIVED, 20),
        "c3": case(westminster, Status.LA_NOTIFIED, 50, coordinator=cora, adviser=adam),
        "c4": case(westminster, Status.LA_NOTIFIED, 100, mediator=mina),
        "c5": case(westminster, Status.LA_NOTIFIED, 14, adviser=adam),
        "c6": case(westminster, Status.ADVICE_GIVEN, 13, adviser=adam),
        "k1": case(kent, Status.LA_NOTIFIED, 42, coordinator=cora),
        "k2": case(kent, Status.RECEIVED, 83, coordinator=old),
        "b1": case(barnet, Status.TRIAGED, 84),
    }
    # Closed and withdrawn cases are in no figure.
    cases["x1"] = case(westminster, Status.CLOSED, 5, closed_on=ago(1), outcome=Case.Outcome.RESOLVED)
    cases["x2"] = case(kent, Status.WITHDRAWN, 200, closed_on=ago(30), status_before_closing=Status.RECEIVED)

    # Deadlines. Overdue: c1 (Cora), c3 (Cora, Adam), k1 (Cora), b1 (nobody): 4 cases.
    # Due from today to Sunday: c3 (Cora, Adam), c2 (nobody), k2 (Olga, account closed): 3 cases.
    # Not at risk: c4's is next week, c5's was met, c6's stopped and its family date is the family's.
    def due(key, rule, days, **rest):
        data.add_deadline(cases[key], rule, start=ago(60), due=_days(today, days), **rest)

    due("c1", "certificate_after_advice", -2)
    due("c3", "health_notice", -1)
    due("c3", "mediation_by", 0)
    due("k1", "mediation_by", -10)
    due("b1", "certificate_after_advice", -1)
    due("c2", "mediation_by", 0)
    due("k2", "certificate_after_advice", 0)
    due("c4", "mediation_by", (end_of_week(today) - today).days + 1)
    due("c5", "certificate_after_advice", -5, met_on=ago(6))
    due("c6", "certificate_after_advice", 0, stopped_on=ago(1))
    due("c6", "appeal_by", -1)
    due("x1", "mediation_by", -3, stopped_on=ago(1))

    # Requests: 3 waiting (the oldest 6 days old), 1 accepted and 1 turned down.
    for days in (1, 6, 2):
        data.add_request(westminster, on=ago(days))
    decided = {"status_changed_at": timezone.now(), "status_changed_by": cora}
    data.add_request(westminster, on=ago(20), status=HelpRequest.Status.ACCEPTED, **decided)
    data.add_request(
        kent,
        on=ago(9),
        status=HelpRequest.Status.DECLINED,
        decline_reason=HelpRequest.DeclineReason.OTHER,
        **decided,
    )

    # Emails: 2 failed, 1 being tried again; 1 waiting for its first try and 1 sent are fine.
    for n, (status, attempts) in enumerate(
        [("failed", 8), ("failed", 1), ("queued", 2), ("queued", 0), ("sent", 1)]
    ):
        OutboxMessage.objects.create(
            template="request_received",
            recipients=["parent@example.org"],
            dedupe_key=f"dashboard-{n}",
            message_id=f"<dashboard-{n}@example.org>",
            case_reference=cases["c1"].reference,
            status=status,
            attempts=attempts,
            next_attempt_at=timezone.now(),
            last_error="The mail server refused the address." if attempts else "",
            sent_at=timezone.now() if status == "sent" else None,
        )
    return World(personas=personas, today=today, old=old, cases=cases)


@pytest.fixture
def world(personas):
    return build_world(personas)


def _manager(world) -> Client:
    client = Client()
    client.force_login(world.personas.manager)
    return client


def _counts(figures) -> list[int]:
    return [figure.count for _, figure in figures]


def test_the_figures_are_exactly_those_of_the_world(world):
    response = _manager(world).get(URL)
    assert response.status_code == 200
    board = response.context["dashboard"]

    rows = {row.label: (_counts(row.bands), row.total.count) for row in board.open_cases.rows}
    assert rows == {
        "Received": ([1, 1, 1, 0], 3),
        "Triaged": ([0, 0, 0, 1], 1),
        "Advice given": ([1, 0, 0, 0], 1),
        "Local authority told": ([0, 1, 2, 1], 4),
    }
    # In the order a case moves through its statuses.
    assert [row.label for row in board.open_cases.rows] == [
        "Received",
        "Triaged",
        "Advice given",
        "Local authority told",
    ]
    assert _counts(board.open_cases.band_totals) == [2, 2, 3, 2]
    assert board.open_cases.total.count == 9

    at_risk = board.at_risk
    assert at_risk.week_ends == end_of_week(world.today)
    people = {row.name: (row.overdue.count, row.this_week.count, row.active) for row in at_risk.people}
    assert people == {
        "Adam Reeve": (1, 1, True),
        "Cora Lind": (3, 1, True),
        "Olga Vance": (0, 1, False),
    }
    assert (at_risk.nobody.overdue.count, at_risk.nobody.this_week.count) == (1, 1)
    assert (at_risk.every_case.overdue.count, at_risk.every_case.this_week.count) == (4, 3)

    assert board.requests.waiting.count == 3
    assert board.requests.oldest_received == _days(world.today, -6)
    assert board.requests.oldest_days == 6

    assert (board.emails.failed.count, board.emails.retrying.count) == (2, 1)

    coverage = board.coverage
    names = lambda rows: {row.name: row.open_cases.count for row in rows}  # noqa: E731
    assert names(coverage.covered) == {"Kent": 2, "Westminster": 6}
    assert names(coverage.ending) == {"Kent": 2}
    assert names(coverage.starting) == {"Camden": 0}
    assert names(coverage.not_covered_with_cases) == {"Barnet": 1}

    html = response.content.decode()
    assert "Account closed" in html and "give them to someone else" in html


FIGURE_LINK = re.compile(
    r'<a class="govuk-link" href="([^"]+)">(\d+)<span class="govuk-visually-hidden"> ([^<]+)</span></a>'
)


def _links(html: str) -> list[tuple[str, int, str]]:
    return [(unescape(href), int(count), about) for href, count, about in FIGURE_LINK.findall(html)]


def _table_rows(html: str, labelled_by: str) -> int:
    table = re.search(rf'<table[^>]*aria-labelledby="{labelled_by}".*?</table>', html, re.S)
    assert table is not None, labelled_by
    return len(re.findall(r"<tr[^>]*>", table.group(0).split("<tbody", 1)[1]))


def test_every_figure_links_to_a_list_of_exactly_what_it_counts(world):
    client = _manager(world)
    html = client.get(URL).content.decode()
    links = _links(html)
    # Every non-zero figure on the page is a link; each is checked against the list it opens.
    assert len(links) >= 30
    checked = {"cases": 0, "requests": 0, "emails": 0, "coverage": 0}
    for href, count, about in links:
        if href == reverse("cases:request_list"):
            assert client.get(href).context["page"].paginator.count == count
            checked["requests"] += 1
        elif href.startswith(f"{reverse('cases:case_list')}?"):
            page = client.get(href).context["page"]
            assert page.paginator.count == count, f"{about}: {href}"
            # The filters were taken: a list that fell back to every case would show all 11.
            assert page.paginator.count < Case.objects.count(), f"{about}: {href}"
            checked["cases"] += 1
        elif href.startswith(reverse("notifications:outbox")):
            context = client.get(href).context
            listed = context["failed"] if href.endswith("#failed") else context["retrying"]
            assert href.endswith(("#failed", "#retrying"))
            assert len(listed) == count, about
            checked["emails"] += 1
        else:
            assert href.startswith("#coverage-"), href
            assert _table_rows(html, href[1:]) == count, about
            checked["coverage"] += 1
    assert checked == {"cases": checked["cases"], "requests": 1, "emails": 2, "coverage": 4}
    assert checked["cases"] >= 25


def test_a_figure_for_someone_whose_account_is_closed_is_not_a_link(world):
    html = _manager(world).get(URL).content.decode()
    assert not any(about.startswith("Olga Vance") for _, _, about in _links(html))
    # Her case is still in the figures for everyone's work this week.
    assert any(about == "every case: due this week" and count == 3 for _, count, about in _links(html))


def test_the_cases_behind_a_figure_are_the_right_ones(world):
    client = _manager(world)
    board = client.get(URL).context["dashboard"]
    references = lambda url: {  # noqa: E731
        case.reference for case in client.get(url).context["page"].object_list
    }
    cases = world.cases
    cora = next(row for row in board.at_risk.people if row.name == "Cora Lind")
    assert references(cora.overdue.url) == {cases[k].reference for k in ("c1", "c3", "k1")}
    assert references(board.at_risk.nobody.overdue.url) == {cases["b1"].reference}
    assert references(board.at_risk.every_case.this_week.url) == {
        cases[k].reference for k in ("c3", "c2", "k2")
    }
    told = next(row for row in board.open_cases.rows if row.label == "Local authority told")
    assert references(told.bands[2][1].url) == {cases["c3"].reference, cases["k1"].reference}
    barnet = board.coverage.not_covered_with_cases[0]
    assert references(barnet.open_cases.url) == {cases["b1"].reference}


def test_only_a_manager_sees_the_dashboard(world):
    people = world.personas
    for user in (people.coordinator, people.adviser, people.mediator, people.la_officer):
        client = Client()
        client.force_login(user)
        assert client.get(URL).status_code == 403, user.username
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and reverse("accounts:sign_in") in anonymous["Location"]


def test_the_dashboard_is_not_stored_and_carries_no_personal_data(world):
    response = _manager(world).get(URL)
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    for secret in data.SECRETS:
        assert secret not in html, secret
    assert "parent@example.org" not in html
    for case in world.cases.values():
        assert case.reference not in html


def test_the_menu_offers_the_dashboard_to_managers_only(world):
    html = _manager(world).get(URL).content.decode()
    assert f'href="{URL}" aria-current="page">Dashboard' in html
    coordinator = Client()
    coordinator.force_login(world.personas.coordinator)
    assert f'href="{URL}"' not in coordinator.get(reverse("cases:my_work")).content.decode()


_last_queries: list[str] = []


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    _last_queries[:] = [query["sql"][:150] for query in captured]
    return len(captured)


def test_the_query_count_does_not_grow_with_the_cases(world):
    client = _manager(world)
    before = _queries(client)
    people = world.personas
    today = world.today
    for n in range(30):
        authority = people.authority if n % 2 else people.other_authority
        case = data.make_case(
            authority,
            status=Status.LA_NOTIFIED,
            received_on=_days(today, -n * 5),
            coordinator=people.coordinator if n % 3 else None,
            mediator=people.mediator,
        )
        data.add_deadline(case, "mediation_by", start=_days(today, -40), due=_days(today, n % 4 - 2))
        data.add_request(people.authority, on=_days(today, -n))
    after = _queries(client)
    assert after == before, _last_queries
    # The session and the user; the dashboard's 8: open cases (1), at risk (2 totals and 1 by
    # person), requests (1), emails (2) and coverage (1); the menu's 1 for the website editor's
    # permission.
    assert before == 11, "\n".join(_last_queries)
