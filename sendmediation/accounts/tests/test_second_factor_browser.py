"""Setting up an authenticator app and signing in with its code, in a real browser, checked with axe."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from sendmediation.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from_key(secret: str, *, after_step: int = -1) -> str:
    """What an authenticator app shows for the key typed into it; a later code if this one is used."""
    totp = TOTP(b32decode(secret.replace(" ", "")))
    if totp.t() <= after_step:
        totp.drift = after_step + 1 - totp.t()
    return f"{totp.token():06d}"


def open_link(page, live_server, user) -> None:
    """A manager's link to set up an app, opened in this browser: Continue spends it."""
    from sendmediation.accounts import services

    _, token = services.invite_to_second_factor(user=user, invited_by=None)
    page.goto(f"{live_server.url}{reverse('accounts:open_second_factor_invitation', args=[token])}")
    page.get_by_role("button", name="Continue").click()


def enter_password(page, live_server, then: str) -> None:
    page.goto(f"{live_server.url}{then}")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_set_up_an_app_then_sign_in_with_its_code(
    live_server, page, page_without_js, personas, settings, assert_accessible
):
    settings.STAFF_SECOND_FACTOR = True
    wanted = reverse("cases:case_list")

    # First sign-in: no app yet, so the person opens a manager's link, sets one up and goes on to
    # the page they asked for.
    from sendmediation.accounts import services

    _, token = services.invite_to_second_factor(user=personas.coordinator, invited_by=None)
    page.goto(f"{live_server.url}{reverse('accounts:open_second_factor_invitation', args=[token])}")
    assert page.get_by_role("heading", name="Set up your authenticator app").is_visible()
    assert_accessible(page, label="the manager's link")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}{reverse('accounts:sign_in')}")
    enter_password(page, live_server, wanted)
    page.wait_for_url(f"{live_server.url}{reverse('accounts:set_up_second_factor')}?*")
    assert page.get_by_role("heading", name="Set up an authenticator app").is_visible()
    assert page.get_by_role("img", name="QR code to scan with your authenticator app").is_visible()
    assert_accessible(page, label="set up an authenticator app")
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#secret-key").inner_text()
    assert_accessible(page, label="set up, with the key shown")

    page.get_by_label("Enter the 6-digit code from your authenticator app").fill("12")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: Set up an authenticator app"))
    expect(page.get_by_role("link", name="The code must be 6 digits")).to_be_visible()
    assert_accessible(page, label="set up with an error")
    assert page.locator("#secret-key").text_content() == secret

    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(code_from_key(secret))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}{wanted}")
    assert TOTPDevice.objects.get(user=personas.coordinator).confirmed
    page.get_by_role("button", name="Sign out").click()

    # Next sign-in, in a browser with JavaScript off: the code page only.
    used = TOTPDevice.objects.get(user=personas.coordinator).last_t
    enter_password(page_without_js, live_server, wanted)
    page_without_js.wait_for_url(f"{live_server.url}{reverse('accounts:second_factor')}?*")
    label = "Enter the 6-digit code from your authenticator app"
    assert page_without_js.get_by_role("heading", name=label).is_visible()
    assert_accessible(page_without_js, label="the code page, JavaScript off")
    page_without_js.get_by_label(label).fill("")
    page_without_js.get_by_role("button", name="Continue").click()
    expect(page_without_js).to_have_title(re.compile(r"^Error: Enter the 6-digit code"))
    expect(page_without_js.get_by_role("link", name="Enter the code")).to_be_visible()
    assert_accessible(page_without_js, label="the code page with an error, JavaScript off")
    page_without_js.get_by_label(label).fill(code_from_key(secret, after_step=used))
    page_without_js.get_by_role("button", name="Continue").click()
    page_without_js.wait_for_url(f"{live_server.url}{wanted}")


def test_the_code_page_with_javascript_and_at_320_pixels(
    live_server, page, phone_page, personas, settings, assert_accessible
):
    settings.STAFF_SECOND_FACTOR = True
    from sendmediation.accounts import services

    _, token = services.invite_to_second_factor(user=personas.coordinator, invited_by=None)
    invitation = services.open_invitation(token=token, user=personas.coordinator).pk
    device = services.start_authenticator_set_up(user=personas.coordinator, invitation_id=invitation)
    secret = TOTP(device.bin_key).token()
    services.confirm_authenticator(
        user=personas.coordinator, invitation_id=invitation, device_id=device.pk, code=f"{secret:06d}"
    )
    for tab in (page, phone_page):
        enter_password(tab, live_server, reverse("cases:my_work"))
        tab.wait_for_url(f"{live_server.url}{reverse('accounts:second_factor')}?*")
        assert_accessible(tab, label=f"the code page, {tab.viewport_size['width']} px")
        overflow = tab.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow
    # The set-up page at 320 px: the QR code and the key fit the screen.
    services.remove_second_factor(user=personas.coordinator, removed_by=None)
    phone_page.goto(f"{live_server.url}{reverse('accounts:set_up_second_factor')}")
    # Without a new link, the person is told to ask a manager.
    assert phone_page.get_by_role("heading", name="Ask a manager for a link").is_visible()
    assert_accessible(phone_page, label="ask a manager, 320 px")
    assert not phone_page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    open_link(phone_page, live_server, personas.coordinator)
    phone_page.wait_for_url(f"{live_server.url}{reverse('accounts:set_up_second_factor')}")
    phone_page.get_by_text("I cannot scan the QR code").click()
    assert_accessible(phone_page, label="set up at 320 px")
    assert not phone_page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
