"""Your sessions, the idle warning and a manager's links page in a real browser, checked with axe."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from playwright.sync_api import expect

from sendmediation.accounts import staff_sessions
from sendmediation.accounts.models import StaffSession
from sendmediation.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_as(page, live_server, username: str, then: str) -> None:
    page.goto(f"{live_server.url}{then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}{then}")


def idle_for(page, minutes: float) -> None:
    """What doing nothing does: the last request, as this browser's session keeps it, moves back."""
    key = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[staff_sessions.LAST_ACTIVE_KEY] = int(time.time() - minutes * 60)
    session.save()


def fits(page) -> bool:
    return not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_your_sessions_with_and_without_javascript_and_at_320_pixels(
    live_server, page, page_without_js, phone_page, personas, assert_accessible
):
    sessions = reverse("accounts:own_sessions")
    for tab in (page, page_without_js, phone_page):
        sign_in_as(tab, live_server, "cora", sessions)
    assert StaffSession.objects.filter(user=personas.coordinator).count() == 3
    for tab, label in ((page, "JavaScript on"), (page_without_js, "JavaScript off"), (phone_page, "320 px")):
        tab.reload()
        expect(tab.get_by_role("heading", name="Where you are signed in")).to_be_visible()
        expect(tab.get_by_text("This browser")).to_have_count(1)
        assert_accessible(tab, label=f"your sessions, {label}")
        assert fits(tab), label

    page_without_js.get_by_role("button", name="Sign out everywhere else").click()
    expect(page_without_js.get_by_text("Signed out of 2 other sessions")).to_be_visible()
    assert_accessible(page_without_js, label="signed out everywhere else, JavaScript off")
    # The other two are sent to sign in at their next page.
    for tab in (page, phone_page):
        tab.goto(f"{live_server.url}{reverse('cases:my_work')}")
        expect(tab.get_by_role("heading", name="Sign in")).to_be_visible()

    page_without_js.get_by_role("button", name="Sign out everywhere", exact=True).click()
    expect(page_without_js.get_by_role("heading", name="Sign in")).to_be_visible()
    assert not StaffSession.objects.filter(user=personas.coordinator).exists()


def test_the_idle_warning_with_javascript(
    live_server, page, phone_page, personas, monkeypatch, assert_accessible
):
    # The warning comes 3 seconds after the page opens rather than after 28 minutes.
    monkeypatch.setattr(staff_sessions, "WARNING_SECONDS", 30 * 60 - 3)
    my_work = reverse("cases:my_work")
    for tab, label in ((page, "1024 px"), (phone_page, "320 px")):
        sign_in_as(tab, live_server, "cora", my_work)
        dialog = tab.get_by_role("dialog", name="You will be signed out soon")
        expect(dialog).to_be_visible(timeout=10_000)
        # A modal dialog: the focus is in it and the page behind does not take it.
        assert tab.evaluate("document.getElementById('idle-warning').contains(document.activeElement)")
        assert_accessible(tab, label=f"the idle warning, {label}")
        assert fits(tab), label

    idle_for(page, 20)
    page.get_by_role("dialog").get_by_role("button", name="Stay signed in").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    key = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "sessionid")
    assert SessionStore(session_key=key)[staff_sessions.LAST_ACTIVE_KEY] >= time.time() - 10

    # Signed out on the server: the script finds out and takes the person to sign in, then back.
    expect(page.get_by_role("dialog")).to_be_visible(timeout=10_000)
    idle_for(page, 31)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_url(re.compile(re.escape(f"{live_server.url}{reverse('accounts:sign_in')}?next=") + ".+"))
    expect(
        page.get_by_text("You were signed out because you had not done anything for 30 minutes")
    ).to_be_visible()
    assert_accessible(page, label="signed out after doing nothing")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}{my_work}")


def test_the_idle_notice_without_javascript(live_server, page_without_js, personas, assert_accessible):
    my_work = reverse("cases:my_work")
    sign_in_as(page_without_js, live_server, "cora", my_work)
    expect(page_without_js.get_by_text("you will be signed out at")).to_be_visible()
    expect(page_without_js.get_by_role("dialog")).to_have_count(0)
    assert_accessible(page_without_js, label="the idle notice, JavaScript off")
    idle_for(page_without_js, 20)
    page_without_js.get_by_role("button", name="Stay signed in").click()
    page_without_js.wait_for_url(f"{live_server.url}{my_work}")
    key = next(c["value"] for c in page_without_js.context.cookies() if c["name"] == "sessionid")
    assert SessionStore(session_key=key)[staff_sessions.LAST_ACTIVE_KEY] >= time.time() - 10


def test_a_managers_links_page(live_server, page, phone_page, personas, assert_accessible):
    links = reverse("accounts:second_factor_invitations")
    for tab, label in ((page, "1024 px"), (phone_page, "320 px")):
        sign_in_as(tab, live_server, "max", links)
        expect(tab.get_by_role("heading", name="Links to set up an authenticator app")).to_be_visible()
        # The second time, Cora already has a link waiting: the button makes a new one.
        tab.get_by_role("button", name=re.compile(r"^Make a (new )?link for Cora Lind$")).click()
        link = tab.get_by_label("Link for Cora Lind").input_value()
        assert link.startswith(f"{live_server.url}/sign-in/set-up-app/enrol_")
        assert_accessible(tab, label=f"a link made, {label}")
        assert fits(tab), label
