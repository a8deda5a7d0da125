"""The second factor for staff: a code from an authenticator app after the password.

Codes are computed from each app's key with django-otp's own TOTP, as a phone would; nothing that
checks a code is mocked.
"""

from __future__ import annotations

import datetime
import logging
import re
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendmediation.accounts import services
from sendmediation.accounts.middleware import STAFF_PATH_PREFIXES
from sendmediation.accounts.second_factor import base32_secret, grouped_secret
from sendmediation.accounts.tokens import create_api_token
from sendmediation.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

CODE_URL = "/sign-in/code/"
SET_UP_URL = "/sign-in/set-up-app/"
WRONG = "The code is wrong or has expired: enter the newest code from the app"


@pytest.fixture
def second_factor_on(settings):
    settings.STAFF_SECOND_FACTOR = True


def fresh_code(device: TOTPDevice) -> str:
    """The code the app shows now, or the next one when this one has already been used."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        totp.drift += device.last_t + 1 - totp.t()
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A 6-digit code that no step near now would accept."""
    valid = {
        TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + offset).token()
        for offset in range(-3, 4)
    }
    return next(f"{n:06d}" for n in range(1_000_000) if n not in valid)


def wait_out_throttle(device: TOTPDevice) -> None:
    """What waiting does: move the last failure back an hour, so the throttle has lifted."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=F("throttling_failure_timestamp") - datetime.timedelta(hours=1)
    )


def opened_invitation(user) -> int:
    """A manager's link for ``user``, opened: the id a session keeps to set up the app."""
    _, token = services.invite_to_second_factor(user=user, invited_by=None)
    return services.open_invitation(token=token, user=user).pk


def app_for(user) -> TOTPDevice:
    """Set up an authenticator app through the front door, as the set-up page does."""
    invitation = opened_invitation(user)
    device = services.start_authenticator_set_up(user=user, invitation_id=invitation)
    return services.confirm_authenticator(
        user=user, invitation_id=invitation, device_id=device.pk, code=fresh_code(device)
    )


def open_link(client, user) -> None:
    """A manager makes a link for ``user``, who opens it in this browser and presses Continue."""
    _, token = services.invite_to_second_factor(user=user, invited_by=None)
    link = reverse("accounts:open_second_factor_invitation", args=[token])
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302


def sign_in(client, username: str, next_url: str | None = None):
    data = {"username": username, "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    return client.post(reverse("accounts:sign_in"), data)


def code_page_for(next_url: str) -> str:
    return f"{CODE_URL}?{urlencode({'next': next_url})}"


def is_sent_to_code_page(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(CODE_URL)


# --- signing in with an app ----------------------------------------------------------------------


def test_the_password_leads_to_the_code_and_the_right_code_to_the_staff_pages(
    client, personas, second_factor_on
):
    device = app_for(personas.coordinator)
    response = sign_in(client, "cora")
    assert response["Location"] == code_page_for("/staff/")
    assert is_sent_to_code_page(client.get(reverse("cases:my_work")))

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "<title>Enter the 6-digit code from your authenticator app" in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html

    session_before = client.session.session_key
    done = client.post(CODE_URL, {"code": fresh_code(device), "next": "/staff/"})
    assert done.status_code == 302 and done["Location"] == "/staff/"
    assert client.session.session_key != session_before
    assert client.get(reverse("cases:my_work")).status_code == 200
    # Once verified, the code page has nothing more to ask.
    assert client.get(CODE_URL)["Location"] == "/staff/"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the code"),
        ("   ", "Enter the code"),
        ("12345", "The code must be 6 digits"),
        ("1234567", "The code must be 6 digits"),
        ("12a456", "The code must be 6 digits"),
        ("١٢٣٤٥٦", "The code must be 6 digits"),
    ],
)
def test_a_code_in_the_wrong_form_says_what_to_do(client, personas, second_factor_on, typed, message):
    app_for(personas.coordinator)
    sign_in(client, "cora")
    html = client.post(CODE_URL, {"code": typed}).content.decode()
    assert "<title>Error: Enter the 6-digit code" in html
    assert message in html and 'href="#id_code"' in html
    assert is_sent_to_code_page(client.get(reverse("cases:my_work")))


def test_a_wrong_code_is_refused_and_the_staff_pages_stay_shut(client, personas, second_factor_on):
    device = app_for(personas.coordinator)
    sign_in(client, "cora")
    html = client.post(CODE_URL, {"code": wrong_code(device)}).content.decode()
    assert WRONG in html
    assert is_sent_to_code_page(client.get(reverse("cases:my_work")))
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_code_typed_with_spaces_is_accepted(client, personas, second_factor_on):
    device = app_for(personas.coordinator)
    sign_in(client, "cora")
    code = fresh_code(device)
    assert client.post(CODE_URL, {"code": f" {code[:3]} {code[3:]} "}).status_code == 302
    assert client.get(reverse("cases:my_work")).status_code == 200


def test_after_wrong_codes_even_the_right_code_waits_for_the_throttle(client, personas, second_factor_on):
    device = app_for(personas.coordinator)
    sign_in(client, "cora")
    for _ in range(5):
        wait_out_throttle(device)
        assert WRONG in client.post(CODE_URL, {"code": wrong_code(device)}).content.decode()

    # Five failures in a row: django-otp now refuses every code for 2**4 = 16 seconds.
    refused = client.post(CODE_URL, {"code": fresh_code(device)}).content.decode()
    waited = r"You have entered too many wrong codes\. Wait 1[56] seconds, then enter the newest code"
    assert re.search(waited, refused)
    assert WRONG not in refused
    assert is_sent_to_code_page(client.get(reverse("cases:my_work")))
    device.refresh_from_db()
    assert device.throttling_failure_count == 5  # a refused attempt is not heard, so not counted

    wait_out_throttle(device)
    assert client.post(CODE_URL, {"code": fresh_code(device)}).status_code == 302
    assert client.get(reverse("cases:my_work")).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_the_throttle_belongs_to_the_app_not_the_session(client, personas, second_factor_on):
    device = app_for(personas.coordinator)
    sign_in(client, "cora")
    for _ in range(3):
        wait_out_throttle(device)
        client.post(CODE_URL, {"code": wrong_code(device)})
    other = Client()
    sign_in(other, "cora")
    html = other.post(CODE_URL, {"code": fresh_code(device)}).content.decode()
    assert "too many wrong codes" in html


def test_a_signed_in_person_must_still_give_a_code_to_see_the_sign_in_page_pass(
    client, personas, second_factor_on
):
    app_for(personas.coordinator)
    sign_in(client, "cora")
    assert is_sent_to_code_page(client.get(reverse("accounts:sign_in")))


def test_the_lock_out_after_wrong_passwords_still_works(client, personas, second_factor_on):
    for _ in range(5):
        client.post(reverse("accounts:sign_in"), {"username": "adam", "password": "wrong"})
    assert sign_in(client, "adam").status_code == 429


# --- setting up an app ---------------------------------------------------------------------------


def test_someone_without_an_app_sets_one_up_and_goes_on_to_the_page_they_asked_for(
    client, personas, second_factor_on, caplog
):
    caplog.set_level(logging.INFO, logger="sendmediation.accounts")
    wanted = reverse("cases:request_list")
    open_link(client, personas.coordinator)
    response = sign_in(client, "cora", next_url=wanted)
    assert response["Location"] == code_page_for(wanted)
    to_set_up = client.get(response["Location"])
    assert to_set_up["Location"] == f"{SET_UP_URL}?{urlencode({'next': wanted})}"

    page = client.get(to_set_up["Location"])
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=personas.coordinator)
    assert not device.confirmed
    assert "no-store" in page["Cache-Control"]
    assert "<title>Set up an authenticator app" in html
    secret = grouped_secret(device)
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret) and secret in html
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None and 'role="img"' in svg.group(0) and "<title>QR code" in svg.group(0)
    assert "style=" not in svg.group(0)
    # Coming back shows the same key, so an app that scanned it still works.
    assert secret in client.get(to_set_up["Location"]).content.decode()
    assert TOTPDevice.objects.filter(user=personas.coordinator).count() == 1

    # An app not yet confirmed opens nothing.
    assert is_sent_to_code_page(client.get(wanted))
    assert client.get(CODE_URL)["Location"].startswith(SET_UP_URL)

    assert WRONG in client.post(SET_UP_URL, {"code": wrong_code(device), "next": wanted}).content.decode()
    wait_out_throttle(device)
    done = client.post(SET_UP_URL, {"code": fresh_code(device), "next": wanted})
    assert done.status_code == 302 and done["Location"] == wanted
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(wanted).status_code == 200

    log = caplog.text
    assert f"second factor set up user_id={personas.coordinator.pk}" in log
    for secret_form in (device.key, base32_secret(device), fresh_code(device)):
        assert secret_form not in log
    assert "cora" not in log


def test_a_password_alone_never_adds_a_second_app(client, personas, second_factor_on):
    device = app_for(personas.coordinator)
    sign_in(client, "cora")
    assert client.get(SET_UP_URL)["Location"].startswith(CODE_URL)
    response = client.post(SET_UP_URL, {"code": "123456"})
    assert is_sent_to_code_page(response)
    assert list(TOTPDevice.objects.filter(user=personas.coordinator)) == [device]


def test_only_the_session_that_opened_the_link_sees_the_secret(personas, second_factor_on):
    """Someone who has only the password must not learn the secret of the app being set up elsewhere,
    nor set up an app of their own."""
    mine, theirs = Client(), Client()
    open_link(mine, personas.coordinator)
    for session in (mine, theirs):
        sign_in(session, "cora")
    my_page = mine.get(SET_UP_URL).content.decode()
    their_page = theirs.get(SET_UP_URL)
    (my_device,) = TOTPDevice.objects.filter(user=personas.coordinator)
    assert grouped_secret(my_device) in my_page
    assert their_page.status_code == 403 and grouped_secret(my_device) not in their_page.content.decode()
    assert "Ask a manager for a link" in their_page.content.decode()

    # A code from this session's app does not let the other session set one up.
    refused = theirs.post(SET_UP_URL, {"code": fresh_code(my_device)})
    assert refused.status_code == 403
    assert mine.post(SET_UP_URL, {"code": fresh_code(my_device)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=personas.coordinator)) == [my_device]
    assert is_sent_to_code_page(theirs.get(reverse("cases:my_work")))


def test_a_set_up_finished_elsewhere_sends_the_other_session_to_the_code(personas):
    user = personas.coordinator
    invitation = opened_invitation(user)
    mine = services.start_authenticator_set_up(user=user, invitation_id=invitation)
    theirs = services.start_authenticator_set_up(user=user, invitation_id=invitation)
    services.confirm_authenticator(
        user=user, invitation_id=invitation, device_id=theirs.pk, code=fresh_code(theirs)
    )
    with pytest.raises(services.AlreadySetUp):
        services.confirm_authenticator(
            user=user, invitation_id=invitation, device_id=mine.pk, code=fresh_code(theirs)
        )
    with pytest.raises(services.AlreadySetUp):
        services.start_authenticator_set_up(user=user, invitation_id=invitation, device_id=mine.pk)
    assert list(TOTPDevice.objects.filter(user=user)) == [theirs]


def test_unfinished_set_ups_do_not_pile_up(personas, second_factor_on):
    user = personas.coordinator
    invitation = opened_invitation(user)
    started = [services.start_authenticator_set_up(user=user, invitation_id=invitation) for _ in range(6)]
    kept = list(TOTPDevice.objects.filter(user=user).order_by("pk"))
    assert kept == started[-services.UNFINISHED_SET_UPS_KEPT :]
    # A set-up left for longer than a working day is dropped when the next one starts.
    TOTPDevice.objects.filter(pk=kept[-1].pk).update(
        created_at=F("created_at") - services.UNFINISHED_SET_UP_LIFETIME - datetime.timedelta(minutes=1)
    )
    newest = services.start_authenticator_set_up(user=user, invitation_id=invitation)
    assert kept[-1].pk not in TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)
    assert TOTPDevice.objects.filter(user=user).count() <= services.UNFINISHED_SET_UPS_KEPT
    assert (
        services.start_authenticator_set_up(user=user, invitation_id=invitation, device_id=newest.pk)
        == newest
    )


def test_the_set_up_page_asks_again_for_a_code_in_the_wrong_form(client, personas, second_factor_on):
    open_link(client, personas.coordinator)
    sign_in(client, "cora")
    html = client.post(SET_UP_URL, {"code": "12"}).content.decode()
    assert "<title>Error: Set up an authenticator app" in html
    assert "The code must be 6 digits" in html and "<svg" in html


# --- what the second factor guards --------------------------------------------------------------

STAFF_PAGES = [
    ("accounts:staff_home", ()),
    ("cases:my_work", ()),
    ("cases:case_list", ()),
    ("cases:request_list", ()),
    ("cases:case_detail", ("SM-0000-0000",)),
    ("notifications:outbox", ()),
    ("feedback_review:comments", ()),
    ("wagtailadmin_home", ()),
    ("wagtailadmin_account", ()),
    ("wagtailadmin_explore_root", ()),
    ("cms_sign_in", ()),
    ("admin:index", ()),
    ("admin:accounts_user_changelist", ()),
]


# Every route outside the guarded staff areas, and why it needs no code: public pages, the
# family's signed links, the API (a bearer token of its own), signing in, and Wagtail's pages and
# documents (their own view restrictions). A new route must be placed in one or the other.
PUBLIC_ROUTES = {
    "", "mediation/", "disagreement-resolution/", "mediation-advice/", "leaflet/", "leaflet.pdf",
    "contact/", "accessibility/", "privacy/", "cookies/", "healthz", "deadlines/", "deadlines/results/",
    "verify/", "sign-in/", "sign-in/code/", "sign-in/set-up-app/", "sign-in/set-up-app/<str:token>/",
    "sign-out/",
    r"^((?:[\w\-]+/)*)$",
}  # fmt: skip
# "dr-consent/" and "sign/" are single-purpose links for the other parties to answer and to sign;
# "diary-feed/" is a person's private calendar link, which a calendar app fetches without signing in
# (the token is the key, stored hashed, and the person can stop it); "survey/" is the family's
# one-use link to the follow-up survey.
PUBLIC_ROUTE_FAMILIES = (
    "request/", "check-your-area/", "api/v1/", "your-case/", "documents/", "_util/", "dr-consent/", "sign/",
    "diary-feed/", "survey/",
)  # fmt: skip


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(tuple(p.lstrip("/") for p in STAFF_PATH_PREFIXES)):
            yield route
        elif isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route


def test_every_route_is_either_a_guarded_staff_area_or_known_to_be_public():
    staff = tuple(p.lstrip("/") for p in STAFF_PATH_PREFIXES)
    unplaced = [
        route
        for route in _routes(get_resolver().url_patterns)
        if not route.startswith(staff)
        and route not in PUBLIC_ROUTES
        and not route.startswith(PUBLIC_ROUTE_FAMILIES)
    ]
    assert unplaced == [], f"Routes neither guarded nor known to be public: {unplaced}"
    for prefix in STAFF_PATH_PREFIXES:
        assert any(reverse(name, args=args).startswith(prefix) for name, args in STAFF_PAGES)


@pytest.mark.parametrize(("name", "args"), STAFF_PAGES)
def test_a_session_without_the_code_reaches_no_staff_page(client, personas, settings, name, args):
    manager = personas.manager
    manager.is_staff = manager.is_superuser = True  # so that the CMS and Django's admin would open
    manager.save(update_fields=["is_staff", "is_superuser"])
    app_for(manager)
    client.force_login(manager)
    url = reverse(name, args=args)

    settings.STAFF_SECOND_FACTOR = False
    assert not is_sent_to_code_page(client.get(url))

    settings.STAFF_SECOND_FACTOR = True
    response = client.get(url)
    assert is_sent_to_code_page(response)
    assert response["Location"] == code_page_for(url)
    assert is_sent_to_code_page(client.post(url, {}))


def test_one_code_opens_every_staff_area(client, personas, second_factor_on):
    manager = personas.manager
    manager.is_staff = manager.is_superuser = True
    manager.save(update_fields=["is_staff", "is_superuser"])
    device = app_for(manager)
    sign_in(client, "max")
    client.post(CODE_URL, {"code": fresh_code(device)})
    for name in ("cases:my_work", "notifications:outbox", "wagtailadmin_home", "admin:index"):
        assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize(
    "url",
    ["/check-your-area/", "/deadlines/", "/request/", "/verify/", "/healthz", "/static/website/css/app.css"],
)
def test_public_pages_and_files_open_without_the_code(client, personas, second_factor_on, url):
    client.force_login(personas.coordinator)
    response = client.get(url)
    assert response.status_code == 200, url


def test_the_api_answers_a_bearer_token_whatever_the_session(client, personas, second_factor_on):
    client.force_login(personas.coordinator)
    _, token = create_api_token(user=personas.coordinator)
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    no_token = client.get("/api/v1/cases")
    assert no_token.status_code == 401 and no_token["Content-Type"].startswith("application/json")
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_signing_out_needs_no_code(client, personas, second_factor_on):
    app_for(personas.coordinator)
    sign_in(client, "cora")
    response = client.post(reverse("accounts:sign_out"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:sign_in")
    assert "_auth_user_id" not in client.session


@pytest.mark.urls("sendmediation.accounts.tests.urls")
def test_a_page_that_needs_a_sign_in_outside_the_staff_areas_needs_the_code_too(
    client, personas, second_factor_on
):
    client.force_login(personas.coordinator)
    response = client.get("/reports/")
    assert response.status_code == 302 and response["Location"] == code_page_for("/reports/")
    assert client.get("/open/").status_code == 200


# --- where the person goes next ------------------------------------------------------------------


def test_the_page_first_asked_for_is_kept_through_the_code(client, personas, second_factor_on):
    device = app_for(personas.coordinator)
    wanted = reverse("notifications:outbox")
    first = client.get(wanted)
    assert first["Location"].startswith(reverse("accounts:sign_in"))
    response = sign_in(client, "cora", next_url=wanted)
    assert response["Location"] == code_page_for(wanted)
    assert f'name="next" value="{wanted}"' in client.get(response["Location"]).content.decode()
    done = client.post(CODE_URL, {"code": fresh_code(device), "next": wanted})
    assert done["Location"] == wanted


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.example/steal",
        "//evil.example/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
    ],
)
def test_a_next_page_on_another_site_is_refused(client, personas, second_factor_on, elsewhere):
    device = app_for(personas.coordinator)
    assert sign_in(client, "cora", next_url=elsewhere)["Location"] == code_page_for("/staff/")
    page = client.get(f"{CODE_URL}?{urlencode({'next': elsewhere})}").content.decode()
    assert "evil" not in page and "javascript:" not in page
    done = client.post(CODE_URL, {"code": fresh_code(device), "next": elsewhere})
    assert done["Location"] == "/staff/"


# --- switched off ----------------------------------------------------------------------------------


def test_with_the_setting_off_the_password_is_enough(client, personas, settings):
    settings.STAFF_SECOND_FACTOR = False
    app_for(personas.adviser)
    response = sign_in(client, "cora")
    assert response["Location"] == "/staff/"
    assert client.get(reverse("cases:my_work")).status_code == 200
    assert client.get(CODE_URL)["Location"] == "/staff/"
    assert client.get(SET_UP_URL)["Location"] == "/staff/"
    assert not TOTPDevice.objects.filter(user=personas.coordinator).exists()
    other = sign_in(Client(), "adam")
    assert other["Location"] == "/staff/"


# --- recovery ------------------------------------------------------------------------------------


def test_a_manager_removes_a_lost_app_in_django_admin_and_the_person_sets_up_again(
    client, personas, second_factor_on, caplog
):
    caplog.set_level(logging.INFO, logger="sendmediation.accounts")
    manager = personas.manager
    manager.is_staff = manager.is_superuser = True
    manager.save(update_fields=["is_staff", "is_superuser"])
    manager_app = app_for(manager)
    cora_app = app_for(personas.coordinator)

    cora = Client()
    sign_in(cora, "cora")
    cora.post(CODE_URL, {"code": fresh_code(cora_app)})
    assert cora.get(reverse("cases:my_work")).status_code == 200

    sign_in(client, "max")
    client.post(CODE_URL, {"code": fresh_code(manager_app)})
    changelist = reverse("admin:accounts_user_changelist")
    listing = client.get(changelist).content.decode()
    assert "Authenticator app" in listing and "remove_authenticator_app" in listing
    response = client.post(
        changelist,
        {"action": "remove_authenticator_app", "_selected_action": [personas.coordinator.pk]},
        follow=True,
    )
    assert "Removed the authenticator app for 1 person" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=personas.coordinator).exists()
    assert TOTPDevice.objects.filter(user=manager).exists()
    assert (
        f"second factor removed user_id={personas.coordinator.pk} removed_by={manager.pk} devices=1"
        in caplog.text
    )
    assert cora_app.key not in caplog.text

    # The session that gave a code named the app that is gone: it counts no more.
    assert is_sent_to_code_page(cora.get(reverse("cases:my_work")))
    assert cora.get(CODE_URL)["Location"].startswith(SET_UP_URL)
    # And a password alone does not set up a new one: a manager makes a new link.
    assert "Ask a manager for a link" in cora.get(SET_UP_URL).content.decode()


def test_django_otps_own_device_admin_with_its_secrets_is_not_offered():
    assert not admin.site.is_registered(TOTPDevice)


def test_a_command_removes_an_app_when_no_manager_can(personas, capsys, caplog):
    app_for(personas.manager)
    call_command("remove_second_factor", "max")
    assert "Removed" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=personas.manager).exists()
    assert f"user_id={personas.manager.pk} removed_by=command" in caplog.text
    call_command("remove_second_factor", "max")
    assert "nothing to remove" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_error_page_shows_no_staff_menu_until_the_second_factor_is_given(second_factor_on, personas):
    client = Client()
    client.force_login(personas.coordinator)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'aria-label="Staff menu"' not in html and "Page not found" in html
    # The way on is to finish signing in.
    assert "Go to your work" in html
    onward = client.get(reverse("accounts:staff_home"))
    assert onward.status_code == 302 and onward["Location"].startswith("/sign-in/")
