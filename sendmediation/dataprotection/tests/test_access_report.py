"""Who looked at what: the list on a case, the report per person, and the managers' alert when one
person opens many cases within an hour."""

from __future__ import annotations

import datetime
import html as html_lib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.accounts.tokens import create_api_token
from sendmediation.cases.access_log import broken_links
from sendmediation.cases.models import AccessLog, Case
from sendmediation.cases.queries import log_access
from sendmediation.cases.tests.builders import case_in, open_case
from sendmediation.notifications.models import OutboxMessage
from sendmediation.notifications.services import render_message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


NOON = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock(monkeypatch):
    """The time the access log and the pages read; a test moves it on by hand."""

    class Clock:
        now = NOON

        def move(self, **delta: float) -> None:
            self.now = self.now + datetime.timedelta(**delta)

    moment = Clock()
    monkeypatch.setattr(timezone, "now", lambda: moment.now)
    return moment


def _cells(html: str, label: str) -> list[str]:
    """The text of each table cell with this data-label, top to bottom, tags removed."""
    found = re.findall(rf'<td data-label="{label}"[^>]*>(.*?)</td>', html, flags=re.S)
    return [html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", cell).split())) for cell in found]


# --- Who viewed this case ---------------------------------------------------------------------


def test_the_list_shows_every_access_to_the_case_newest_first(personas, client, clock):
    case = case_in(personas, Case.Status.CERTIFICATE_ISSUED)
    other = open_case(personas)
    certificate = case.certificates.get()
    assert not AccessLog.objects.filter(case=case).exists()

    client.force_login(personas.coordinator)
    assert client.get(reverse("cases:case_detail", args=[case.reference])).status_code == 200
    clock.move(minutes=1)
    download = client.get(reverse("cases:certificate_download", args=[case.reference, certificate.number]))
    assert download.status_code == 200
    _ = b"".join(download.streaming_content) if download.streaming else download.content
    clock.move(minutes=1)
    _, token = create_api_token(user=personas.manager)
    api = client.get(f"/api/v1/cases/{case.reference}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200
    clock.move(minutes=1)
    assert (
        client.get(reverse("cases:case_detail", args=[other.reference])).status_code == 200
    )  # not this case
    clock.move(minutes=1)
    log_access(user=None, case=case, what=AccessLog.What.FAMILY_PAGE)
    clock.move(minutes=1)

    client.force_login(personas.manager)
    page = client.get(reverse("dataprotection:case_viewers", args=[case.reference]))

    assert page.status_code == 200
    html = page.content.decode()
    manager, coordinator = personas.manager.display_name, personas.coordinator.display_name
    assert _cells(html, "Who") == [
        f"{manager} Manager",
        "The family, from their own link",
        f"{manager} Manager",
        f"{coordinator} Case coordinator",
        f"{coordinator} Case coordinator",
    ]
    assert _cells(html, "What") == [
        "Who viewed the case",
        "Family's page (from a link)",
        "Case read through the API",
        f"Certificate downloaded ({certificate.number})",
        "Case page",
    ]
    assert _cells(html, "When")[0] == "3 December 2026, 12:05:00"
    assert _cells(html, "When")[-1] == "3 December 2026, 12:00:00"
    # Reading the list was recorded as a look at the case, and the chain still holds.
    assert (
        AccessLog.objects.filter(case=case, what=AccessLog.What.VIEWERS, user=personas.manager).count() == 1
    )
    assert list(broken_links()) == []


def test_the_list_comes_a_page_at_a_time(personas, client):
    case = open_case(personas)
    for _ in range(30):
        log_access(user=personas.coordinator, case=case, what=AccessLog.What.CASE_PAGE)
    client.force_login(personas.manager)
    url = reverse("dataprotection:case_viewers", args=[case.reference])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert len(_cells(first, "What")) == 25
    assert _cells(first, "What")[0] == "Who viewed the case"  # this very look, at the top
    # 30 openings and two looks at the list: 32 rows, 25 then 7.
    assert len(_cells(second, "What")) == 7
    assert "Page 2 of 2" in second


def test_only_a_manager_is_offered_the_list_on_the_case_page(personas, client):
    case = open_case(personas)
    url = reverse("dataprotection:case_viewers", args=[case.reference])
    for person, offered in ((personas.manager, True), (personas.coordinator, False)):
        client.force_login(person)
        page = client.get(reverse("cases:case_detail", args=[case.reference])).content.decode()
        assert (url in page) is offered, person.username
    client.force_login(personas.coordinator)
    assert client.get(url).status_code == 403
    assert not AccessLog.objects.filter(case=case, what=AccessLog.What.VIEWERS).exists()


def test_the_pages_are_never_stored(personas, client):
    case = open_case(personas)
    client.force_login(personas.manager)
    for url in (
        reverse("dataprotection:case_viewers", args=[case.reference]),
        reverse("access_report:people"),
        reverse("access_report:person", args=[personas.coordinator.pk]),
    ):
        assert "no-store" in client.get(url)["Cache-Control"], url


# --- What each person opened -------------------------------------------------------------------


@pytest.fixture
def openings(personas, clock):
    """The coordinator opens a: twice 2 hours ago and once 30 hours ago; b 3 days ago; c 8 days
    ago; and a request for help yesterday. The adviser opens nothing."""
    a, b, c = (open_case(personas, child_first_name=name) for name in ("Anna", "Bea", "Cleo"))
    start = clock.now
    for case, ago in ((c, 8 * 24), (b, 3 * 24), (a, 30), (a, 2), (a, 2)):
        clock.now = start - datetime.timedelta(hours=ago)
        log_access(user=personas.coordinator, case=case, what=AccessLog.What.CASE_PAGE)
    clock.now = start
    return a, b, c


def test_the_report_counts_the_different_cases_each_person_opened(personas, client, openings):
    client.force_login(personas.manager)
    html = client.get(reverse("access_report:people")).content.decode()

    people = _cells(html, "Person")
    day, week = _cells(html, "Last 24 hours"), _cells(html, "Last 7 days")
    counts = {person.split(" ")[0]: (d, w) for person, d, w in zip(people, day, week, strict=True)}
    coordinator = personas.coordinator.display_name.split(" ")[0]
    adviser = personas.adviser.display_name.split(" ")[0]
    # a (three openings, one case) in the last day; a and b in the week; c is older than a week.
    assert counts[coordinator] == ("1", "2")
    assert counts[adviser] == ("0", "0")
    assert people[0].startswith(personas.coordinator.display_name)  # the busiest first


def test_a_persons_report_lists_what_they_opened_over_the_period_chosen(personas, client, openings):
    a, b, c = openings
    client.force_login(personas.manager)
    url = reverse("access_report:person", args=[personas.coordinator.pk])

    week = client.get(url).content.decode()  # the last 7 days unless another period is chosen
    day = client.get(url, {"period": "day"}).content.decode()
    everything = client.get(url, {"period": "all"}).content.decode()
    nonsense = client.get(url, {"period": "forever"}).content.decode()

    assert _cells(day, "Reference") == [a.reference, a.reference]
    assert _cells(week, "Reference") == [a.reference, a.reference, a.reference, b.reference]
    assert _cells(everything, "Reference") == [a.reference] * 3 + [b.reference, c.reference]
    assert _cells(nonsense, "Reference") == _cells(week, "Reference")
    assert '<option value="all" selected>' in everything
    # References only: no child's name on the page.
    for name in ("Anna", "Bea", "Cleo", "Khan"):
        assert name not in everything


def test_reading_a_persons_report_is_not_a_look_at_any_case(personas, client, openings):
    """The overview of counts writes nothing; a person's report, which shows their searches, is
    logged as a list read (decision 0017), naming no case."""
    before = set(AccessLog.objects.values_list("pk", flat=True))
    client.force_login(personas.manager)
    client.get(reverse("access_report:people"))
    client.get(reverse("access_report:person", args=[personas.coordinator.pk]))
    written = AccessLog.objects.exclude(pk__in=before)
    assert [(row.what, row.case_id, row.help_request_id) for row in written] == [
        (AccessLog.What.ACCESS_REPORT, None, None)
    ]


def test_an_unknown_person_is_not_found(personas, client):
    client.force_login(personas.manager)
    assert client.get(reverse("access_report:person", args=[987654])).status_code == 404


# --- The alert ---------------------------------------------------------------------------------


@pytest.fixture
def alert_world(personas, settings, clock):
    settings.ACCESS_ALERT_CASES_PER_HOUR = 3
    second_manager = User.objects.create_user(
        username="mo", first_name="Mo", last_name="Manager", email="mo@example.org", role=User.Role.MANAGER
    )
    User.objects.create_user(
        username="gone", email="gone@example.org", role=User.Role.MANAGER, is_active=False
    )
    cases = [open_case(personas, child_first_name=f"Child{n}") for n in range(6)]
    OutboxMessage.objects.all().delete()  # the cases' own emails to families
    return cases, [personas.manager, second_manager]


def _alerts() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template="access_alert").order_by("id"))


def _open(personas, client, case, clock) -> None:
    clock.move(minutes=1)
    assert client.get(reverse("cases:case_detail", args=[case.reference])).status_code == 200


def test_opening_as_many_cases_as_the_threshold_emails_nobody(personas, client, alert_world, clock):
    cases, _ = alert_world
    client.force_login(personas.coordinator)
    for case in cases[:3]:
        _open(personas, client, case, clock)
    for case in cases[:3]:  # opening the same cases again is not opening more
        _open(personas, client, case, clock)
    assert _alerts() == []


def test_one_case_over_the_threshold_emails_each_active_manager_once(personas, client, alert_world, clock):
    cases, managers = alert_world
    client.force_login(personas.coordinator)
    for case in cases[:4]:
        _open(personas, client, case, clock)

    alerts = _alerts()
    assert sorted(address for message in alerts for address in message.recipients) == sorted(
        manager.email for manager in managers
    )
    assert all(message.context["count"] == 4 for message in alerts)

    # More cases within the same hour: nobody is emailed again.
    for case in cases[4:]:
        _open(personas, client, case, clock)
    _open(personas, client, cases[0], clock)
    assert _alerts() == alerts


def test_the_alert_names_the_person_and_links_their_report_but_no_family(
    personas, client, alert_world, clock
):
    cases, _ = alert_world
    client.force_login(personas.coordinator)
    for case in cases[:4]:
        _open(personas, client, case, clock)

    message = _alerts()[0]
    rendered = render_message(message.template, message.context)
    body = rendered.subject + rendered.text + rendered.html
    report = reverse("access_report:person", args=[personas.coordinator.pk])
    assert personas.coordinator.display_name in rendered.subject
    assert "opened 4 different cases" in rendered.text
    assert report in rendered.text and report in rendered.html
    for case in cases:
        assert case.reference not in body
        for party in case.parties.all():
            assert party.name not in body
            assert not party.email or party.email not in body
    assert "Child" not in body and "Khan" not in body and "SW1A" not in body


def test_the_next_hour_can_alert_again(personas, client, alert_world, clock):
    cases, managers = alert_world
    client.force_login(personas.coordinator)
    for case in cases[:4]:
        _open(personas, client, case, clock)
    assert len(_alerts()) == len(managers)

    clock.move(hours=1)
    for case in cases[:4]:
        _open(personas, client, case, clock)
    assert len(_alerts()) == 2 * len(managers)


def test_the_hour_is_a_sliding_one(personas, client, alert_world, clock):
    cases, _ = alert_world
    client.force_login(personas.coordinator)
    for case in cases[:3]:
        _open(personas, client, case, clock)
    clock.move(minutes=58)  # the first case opened is now more than an hour ago
    _open(personas, client, cases[3], clock)
    assert _alerts() == []
