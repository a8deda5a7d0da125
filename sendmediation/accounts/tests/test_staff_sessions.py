"""Signed-in sessions: signed out after doing nothing, each person's own list, signing out everywhere."""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.backends.base import SessionBase
from django.test import Client
from django.urls import reverse

from sendmediation.accounts import staff_sessions
from sendmediation.accounts.models import StaffSession, User
from sendmediation.accounts.staff_sessions import LAST_ACTIVE_KEY, device_summary
from sendmediation.accounts.tests.test_second_factor import sign_in

pytestmark = pytest.mark.django_db

FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
SESSIONS_URL = "/staff/account/sessions/"


def idle_for(client: Client, minutes: float) -> None:
    """What doing nothing does: the last request, as the session keeps it, moves back."""
    session: SessionBase = client.session
    session[LAST_ACTIVE_KEY] = int(time.time() - minutes * 60)
    session.save()


def signed_in(user, user_agent: str = FIREFOX_ON_WINDOWS) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent)
    sign_in(client, user.username)
    return client


# --- the idle time-out ---------------------------------------------------------------------------


def test_31_minutes_of_doing_nothing_signs_the_person_out_and_keeps_the_page(personas, caplog):
    caplog.set_level(logging.INFO, logger="sendmediation.accounts")
    client = signed_in(personas.coordinator)
    wanted = reverse("cases:case_list") + "?status=open"
    assert client.get(wanted).status_code == 200
    record = StaffSession.objects.get(user=personas.coordinator)

    idle_for(client, 31)
    response = client.get(wanted)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("accounts:sign_in") and parse_qs(location.query) == {"next": [wanted]}
    assert "_auth_user_id" not in client.session
    assert not StaffSession.objects.filter(pk=record.pk).exists()
    assert f"session ended session_id={record.pk} reason=idle" in caplog.text

    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had not done anything for 30 minutes" in page
    assert f'name="next" value="{wanted}"' in page
    # Said once: signing in again is an ordinary sign-in.
    assert "You were signed out because" not in client.get(reverse("accounts:sign_in")).content.decode()


def test_29_minutes_is_not_enough_and_each_request_starts_the_clock_again(personas):
    client = signed_in(personas.coordinator)
    idle_for(client, 29)
    assert client.get(reverse("cases:my_work")).status_code == 200
    assert staff_sessions.ACTIVITY_PRECISION_SECONDS < 120
    assert client.session[LAST_ACTIVE_KEY] >= time.time() - 5
    idle_for(client, 29)
    assert client.get(reverse("cases:my_work")).status_code == 200


def test_the_time_out_follows_the_setting(personas, settings):
    settings.STAFF_IDLE_MINUTES = 10
    client = signed_in(personas.coordinator)
    idle_for(client, 11)
    assert client.get(reverse("cases:my_work")).status_code == 302


def test_a_post_after_the_time_out_changes_nothing_and_goes_to_sign_in(personas):
    client = signed_in(personas.manager)
    idle_for(client, 31)
    response = client.post(reverse("accounts:second_factor_invitations"), {"user": personas.adviser.pk})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:sign_in"))
    assert not personas.adviser.second_factor_invitations.exists()


def test_each_staff_page_says_when_the_session_ends_without_javascript(personas):
    client = signed_in(personas.coordinator)
    html = client.get(reverse("cases:my_work")).content.decode()
    assert "you will be signed out at <time" in html
    assert f'action="{reverse("accounts:stay_signed_in")}"' in html and "Stay signed in" in html
    assert 'id="idle-warning"' in html and "idle-warning.js" in html
    # No script in the page itself: the strict content security policy stays.
    assert "<script>" not in html and "onclick" not in html


def test_stay_signed_in_starts_the_clock_again_with_or_without_javascript(personas):
    client = signed_in(personas.coordinator)
    idle_for(client, 28)
    answer = client.post(reverse("accounts:stay_signed_in"), HTTP_ACCEPT="application/json")
    assert answer.status_code == 200 and answer.json()["seconds_left"] >= 30 * 60 - 5
    idle_for(client, 28)
    back = client.post(reverse("accounts:stay_signed_in"), {"next": reverse("cases:case_list")})
    assert back["Location"] == reverse("cases:case_list")
    assert client.session[LAST_ACTIVE_KEY] >= time.time() - 5
    elsewhere = client.post(reverse("accounts:stay_signed_in"), {"next": "https://evil.example/"})
    assert elsewhere["Location"] == "/staff/"
    # Something that is not a path on this site (the form fuzzing sent "0") is not taken for a
    # view's name: the staff home page, never a server error.
    for odd in ("0", "cases", "//evil.example/"):
        answer = client.post(reverse("accounts:stay_signed_in"), {"next": odd})
        assert (answer.status_code, answer["Location"]) == (302, "/staff/"), odd


def test_asking_how_long_is_left_does_not_count_as_doing_something(personas):
    assert reverse("accounts:session_status") == staff_sessions.STATUS_PATH
    client = signed_in(personas.coordinator)
    idle_for(client, 29)
    before = client.session[LAST_ACTIVE_KEY]
    answer = client.get(reverse("accounts:session_status"))
    assert 0 < answer.json()["seconds_left"] <= 60
    assert client.session[LAST_ACTIVE_KEY] == before
    idle_for(client, 31)
    late = client.get(reverse("accounts:session_status"))
    assert late.status_code == 302 and late["Location"].startswith(reverse("accounts:sign_in"))


# --- one's own sessions --------------------------------------------------------------------------


def test_the_list_shows_only_ones_own_sessions_with_the_browser_in_a_few_words(personas):
    laptop = signed_in(personas.coordinator, FIREFOX_ON_WINDOWS)
    signed_in(personas.coordinator, SAFARI_ON_IPHONE)
    signed_in(personas.adviser, "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36")
    page = laptop.get(SESSIONS_URL)
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert 'Firefox on Windows <strong class="govuk-tag govuk-tag--blue">This browser</strong>' in html
    assert "Safari on iPhone" in html and "Chrome on Linux" not in html
    # Neither the browser's full description nor the session key is kept.
    for record in StaffSession.objects.all():
        assert len(record.device) <= 30 and "Mozilla" not in record.device
        assert record.session_key_hash not in (laptop.session.session_key,)
    assert not StaffSession.objects.filter(session_key_hash=laptop.session.session_key).exists()


def test_sign_out_everywhere_else_ends_another_session_and_keeps_this_one(personas, caplog):
    caplog.set_level(logging.INFO, logger="sendmediation.accounts")
    mine = signed_in(personas.coordinator)
    phone = signed_in(personas.coordinator, SAFARI_ON_IPHONE)
    colleague = signed_in(personas.adviser)
    assert phone.get(reverse("cases:my_work")).status_code == 200

    response = mine.post(reverse("accounts:sign_out_sessions"), {"which": "others"}, follow=True)
    assert "Signed out of 1 other session" in response.content.decode()
    assert mine.get(reverse("cases:my_work")).status_code == 200
    ended = phone.get(reverse("cases:my_work"))
    assert ended.status_code == 302 and ended["Location"].startswith(reverse("accounts:sign_in"))
    assert colleague.get(reverse("cases:my_work")).status_code == 200
    assert list(StaffSession.objects.filter(user=personas.coordinator)) == [
        StaffSession.objects.get(pk=mine.session[staff_sessions.RECORD_KEY])
    ]
    assert f"signed out everywhere user_id={personas.coordinator.pk} kept_this_session=True" in caplog.text
    # Signing in again afterwards works as before.
    again = signed_in(personas.coordinator)
    assert again.get(reverse("cases:my_work")).status_code == 200


def test_sign_out_everywhere_ends_this_session_too(personas):
    mine = signed_in(personas.coordinator)
    phone = signed_in(personas.coordinator, SAFARI_ON_IPHONE)
    response = mine.post(reverse("accounts:sign_out_sessions"), {"which": "everywhere"})
    assert response["Location"] == reverse("accounts:sign_in")
    for client in (mine, phone):
        assert client.get(reverse("cases:my_work")).status_code == 302
    assert not StaffSession.objects.filter(user=personas.coordinator).exists()
    assert User.objects.get(pk=personas.coordinator.pk).session_generation == 1


def test_signing_out_removes_the_session_from_the_list(personas):
    client = signed_in(personas.coordinator)
    assert StaffSession.objects.filter(user=personas.coordinator).count() == 1
    client.post(reverse("accounts:sign_out"))
    assert not StaffSession.objects.filter(user=personas.coordinator).exists()


def test_sessions_that_ended_without_signing_out_leave_the_list(personas):
    forgotten = signed_in(personas.coordinator, SAFARI_ON_IPHONE)
    StaffSession.objects.filter(pk=forgotten.session[staff_sessions.RECORD_KEY]).update(
        last_active_at=StaffSession.objects.get().last_active_at
        - staff_sessions.datetime.timedelta(minutes=40)
    )
    html = signed_in(personas.coordinator).get(SESSIONS_URL).content.decode()
    assert "Safari on iPhone" not in html
    assert StaffSession.objects.filter(user=personas.coordinator).count() == 1  # removed at the next sign-in


def test_a_session_from_before_the_list_joins_it_at_its_next_request(personas):
    client = signed_in(personas.coordinator)
    StaffSession.objects.all().delete()
    session = client.session
    del session[staff_sessions.RECORD_KEY]
    session.save()
    assert client.get(reverse("cases:my_work")).status_code == 200
    assert StaffSession.objects.filter(user=personas.coordinator).count() == 1


def test_someone_without_a_role_has_no_sessions_page(client):
    client.force_login(User.objects.create_user(username="visitor", role=""))
    assert client.get(SESSIONS_URL).status_code == 403
    assert client.post(reverse("accounts:sign_out_sessions"), {"which": "others"}).status_code == 403


@pytest.mark.parametrize(
    ("user_agent", "summary"),
    [
        (FIREFOX_ON_WINDOWS, "Firefox on Windows"),
        (SAFARI_ON_IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Mac",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
            "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
            "Samsung Internet on Android",
        ),
        ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) Chrome/126.0.0.0 Safari/537.36", "Chrome on ChromeOS"),
        ("curl/8.5.0", "Unknown browser"),
        ("", "Unknown browser"),
    ],
)
def test_the_device_in_a_few_words(user_agent, summary):
    assert device_summary(user_agent) == summary


def test_signing_in_again_under_the_same_session_key_replaces_its_row(personas, rf):
    """Two sign-ins under one key (as the test client and some sign-in flows do) leave one row for
    that key, not a clash on its unique hash."""
    from django.contrib.sessions.backends.db import SessionStore

    from sendmediation.accounts.models import StaffSession

    request = rf.get("/staff/")
    request.session = SessionStore()
    request.session.save()
    staff_sessions.start_staff_session(request=request, user=personas.coordinator)
    staff_sessions.start_staff_session(request=request, user=personas.coordinator)
    assert StaffSession.objects.filter(user=personas.coordinator).count() == 1


def test_a_row_another_request_of_the_same_session_just_made_is_taken_not_a_clash(personas):
    """Several tabs opened at once by someone signed in before sessions were listed each list the
    session: the request that comes second takes the first one's row instead of failing (the load
    benchmark found a 500 here on PostgreSQL)."""
    from django.utils import timezone

    moment = timezone.now()
    first = staff_sessions.listed_once(user=personas.adviser, key_hash="a" * 64, moment=moment, device="A")
    second = staff_sessions.listed_once(user=personas.adviser, key_hash="a" * 64, moment=moment, device="B")
    assert second.pk == first.pk
    assert StaffSession.objects.filter(session_key_hash="a" * 64).count() == 1
