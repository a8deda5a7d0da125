"""Setting up an authenticator app needs a manager's one-time link: a password alone is not enough."""

from __future__ import annotations

import datetime
import hashlib
import logging
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendmediation.accounts import services
from sendmediation.accounts.models import SecondFactorInvitation
from sendmediation.accounts.tests.test_second_factor import (
    CODE_URL,
    SET_UP_URL,
    app_for,
    fresh_code,
    sign_in,
)

pytestmark = pytest.mark.django_db

ASK = "Ask a manager for a link to set up your authenticator app"


@pytest.fixture
def second_factor_on(settings):
    settings.STAFF_SECOND_FACTOR = True


def link_to(token: str) -> str:
    return reverse("accounts:open_second_factor_invitation", args=[token])


def invite(user, by=None) -> str:
    _, token = services.invite_to_second_factor(user=user, invited_by=by)
    return token


def set_up_with_link(client, personas, token: str) -> TOTPDevice:
    """Open the link, sign in, set the app up: the whole journey through the pages."""
    assert client.post(link_to(token))["Location"] == reverse("accounts:sign_in")
    sign_in(client, "cora")
    client.get(SET_UP_URL)
    device = TOTPDevice.objects.get(user=personas.coordinator, confirmed=False)
    assert client.post(SET_UP_URL, {"code": fresh_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


# --- without a link ------------------------------------------------------------------------------


def test_a_password_alone_does_not_set_up_an_app(client, personas, second_factor_on):
    sign_in(client, "cora")
    assert client.get(CODE_URL)["Location"].startswith(SET_UP_URL)
    page = client.get(SET_UP_URL)
    html = page.content.decode()
    assert page.status_code == 403 and ASK in html and "no-store" in page["Cache-Control"]
    assert "<svg" not in html and "secret-key" not in html
    assert not TOTPDevice.objects.filter(user=personas.coordinator).exists()
    # Nor by sending a code straight to the page.
    assert client.post(SET_UP_URL, {"code": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=personas.coordinator).exists()
    # The service refuses too, whatever door calls it.
    with pytest.raises(services.NoInvitation):
        services.start_authenticator_set_up(user=personas.coordinator, invitation_id=None)


def test_a_link_opened_in_another_session_does_not_help_this_one(personas, second_factor_on):
    theirs, mine = Client(), Client()
    theirs.post(link_to(invite(personas.coordinator)))
    sign_in(mine, "cora")
    assert ASK in mine.get(SET_UP_URL).content.decode()


# --- the link ------------------------------------------------------------------------------------


def test_the_link_leads_to_sign_in_then_to_setting_up_and_is_spent(
    client, personas, second_factor_on, caplog
):
    caplog.set_level(logging.INFO, logger="sendmediation.accounts")
    token = invite(personas.coordinator, by=personas.manager)
    invitation = SecondFactorInvitation.objects.get(user=personas.coordinator)
    # Only a hash of the secret is kept.
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not SecondFactorInvitation.objects.filter(token_hash__contains=token).exists()

    # Opening the link (as a mail scanner would) only shows a button: the link is not spent.
    page = client.get(link_to(token))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "<title>Set up your authenticator app" in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.opened_at is None

    device = set_up_with_link(client, personas, token)
    invitation.refresh_from_db()
    assert invitation.opened_at is not None and invitation.set_up_at is not None
    assert client.get(reverse("cases:my_work")).status_code == 200
    assert device.user == personas.coordinator

    log = caplog.text
    assert (
        f"invitation_id={invitation.pk} user_id={personas.coordinator.pk} invited_by={personas.manager.pk}"
        in log
    )
    assert f"second factor invitation opened invitation_id={invitation.pk}" in log
    assert f"invitation_id={invitation.pk}" in log and token not in log and "cora" not in log


def test_a_signed_in_person_opens_their_link_and_goes_straight_to_setting_up(
    client, personas, second_factor_on
):
    sign_in(client, "cora")
    response = client.post(link_to(invite(personas.coordinator)))
    assert response["Location"] == SET_UP_URL
    assert "<svg" in client.get(SET_UP_URL).content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_link_works_once(personas, second_factor_on, method):
    token = invite(personas.coordinator)
    Client().post(link_to(token))
    again = getattr(Client(), method)(link_to(token))
    assert again.status_code == 410
    assert "This link has already been used. Ask a manager for a new one" in again.content.decode()


def test_an_expired_a_replaced_and_a_made_up_link_are_refused_in_words(personas, second_factor_on):
    old = invite(personas.coordinator)
    newer = invite(personas.coordinator)
    expired = invite(personas.adviser)
    SecondFactorInvitation.objects.filter(user=personas.adviser).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    cases = {
        old: "This link has been replaced or withdrawn. Ask a manager for a new one",
        expired: "This link has expired. Ask a manager for a new one",
        newer[:-2]
        + "xx": "This link does not work. Check you copied all of it, or ask a manager for a new one",
        "enrol_made-up": "This link does not work",
    }
    for token, words in cases.items():
        for method in ("get", "post"):
            response = getattr(Client(), method)(link_to(token))
            assert response.status_code == 410 and words in response.content.decode(), (token, method)
    # The newest one still works.
    assert Client().post(link_to(newer)).status_code == 302


def test_a_link_for_someone_else_is_refused_to_whoever_is_signed_in(client, personas, second_factor_on):
    sign_in(client, "adam")
    response = client.post(link_to(invite(personas.coordinator)))
    assert response.status_code == 410
    assert "This link is for someone else&#x27;s account" in response.content.decode()
    # Opened by nobody signed in, then the wrong person signs in: no set-up for them either.
    other = Client()
    other.post(link_to(invite(personas.coordinator)))
    sign_in(other, "adam")
    assert ASK in other.get(SET_UP_URL).content.decode()


def test_a_link_that_has_expired_since_it_was_opened_sets_up_nothing(client, personas, second_factor_on):
    client.post(link_to(invite(personas.coordinator)))
    sign_in(client, "cora")
    client.get(SET_UP_URL)
    device = TOTPDevice.objects.get(user=personas.coordinator)
    SecondFactorInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.post(SET_UP_URL, {"code": fresh_code(device)}).status_code == 403
    device.refresh_from_db()
    assert not device.confirmed


def test_removing_an_app_needs_a_new_link_and_stops_the_old_one(client, personas, second_factor_on):
    app_for(personas.coordinator)
    waiting = invite(personas.adviser)
    with pytest.raises(services.CannotInvite, match="already have an authenticator app"):
        invite(personas.coordinator)
    services.remove_second_factor(user=personas.adviser, removed_by=personas.manager)
    assert Client().get(link_to(waiting)).status_code == 410
    services.remove_second_factor(user=personas.coordinator, removed_by=personas.manager)
    sign_in(client, "cora")
    assert ASK in client.get(SET_UP_URL).content.decode()
    token = invite(personas.coordinator, by=personas.manager)
    client.post(link_to(token))
    assert "<svg" in client.get(SET_UP_URL).content.decode()


# --- the managers' page and the command ----------------------------------------------------------

LINKS_URL = "/staff/second-factor-links/"


def test_a_manager_makes_a_link_which_is_shown_once(client, personas, caplog):
    caplog.set_level(logging.INFO, logger="sendmediation.accounts")
    assert reverse("accounts:second_factor_invitations") == LINKS_URL
    app_for(personas.adviser)
    client.force_login(personas.manager)
    page = client.get(LINKS_URL)
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert 'Make a link<span class="govuk-visually-hidden"> for Cora Lind' in html
    assert 'Make a link<span class="govuk-visually-hidden"> for Adam Reeve' not in html  # has an app

    made = client.post(LINKS_URL, {"user": personas.coordinator.pk}).content.decode()
    link = re.search(r'id="invitation-link" type="text" value="([^"]+)"', made)
    assert link is not None and link.group(1).startswith("http://testserver/sign-in/set-up-app/enrol_")
    token = link.group(1).rsplit("/", 2)[-2]
    assert SecondFactorInvitation.objects.get(user=personas.coordinator).invited_by == personas.manager
    assert token not in caplog.text
    later = client.get(LINKS_URL).content.decode()
    assert token not in later and "Link not used yet" in later and "Make a new link" in later

    refused = client.post(LINKS_URL, {"user": personas.adviser.pk}).content.decode()
    assert "No link was made for Adam Reeve" in refused and "already have an authenticator app" in refused
    assert client.post(LINKS_URL, {"user": 999999}).status_code == 404


@pytest.mark.parametrize("who", ["coordinator", "adviser", "mediator", "la_officer"])
def test_only_a_manager_makes_links(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(LINKS_URL).status_code == 403
    assert client.post(LINKS_URL, {"user": personas.coordinator.pk}).status_code == 403
    assert not SecondFactorInvitation.objects.exists()


def test_the_command_prints_a_link_for_a_fresh_installations_first_manager(personas, capsys, settings):
    settings.SITE_URL = "https://mediation.example"
    call_command("invite_to_second_factor", "max")
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("https://mediation.example/sign-in/set-up-app/enrol_")
    invitation = SecondFactorInvitation.objects.get(user=personas.manager)
    assert invitation.invited_by is None
    assert invitation.token_hash == hashlib.sha256(printed.rsplit("/", 2)[-2].encode()).hexdigest()
    with pytest.raises(CommandError, match="no user called nobody"):
        call_command("invite_to_second_factor", "nobody")
    app_for(personas.manager)
    with pytest.raises(CommandError, match="already have an authenticator app"):
        call_command("invite_to_second_factor", "max")


def test_the_demo_prints_a_link_for_each_person_when_the_second_factor_is_on(settings, capsys):
    settings.STAFF_SECOND_FACTOR = False
    call_command("load_demo_data")
    assert "set-up-app" not in capsys.readouterr().out
    settings.STAFF_SECOND_FACTOR = True
    call_command("load_demo_data")
    out = capsys.readouterr().out
    links = dict(re.findall(r"^  (\w+) +\S+(/sign-in/set-up-app/\S+/)$", out, re.M))
    assert set(links) == {"coordinator", "adviser", "mediator", "manager", "officer"}
    client = Client()
    assert client.post(links["manager"])["Location"] == reverse("accounts:sign_in")
