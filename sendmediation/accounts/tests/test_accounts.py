import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from sendmediation.accounts.models import User
from sendmediation.testing.personas import PASSWORD


@pytest.mark.django_db
def test_staff_pages_send_strangers_to_sign_in(client):
    response = client.get(reverse("accounts:staff_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_a_coordinator_signs_in_and_out(client, personas):
    response = client.post(reverse("accounts:sign_in"), {"username": "cora", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:staff_home")
    home = client.get(reverse("accounts:staff_home"))
    assert home.status_code == 302 and home["Location"] == reverse("cases:my_work")
    assert client.get(reverse("cases:my_work")).status_code == 200
    client.post(reverse("accounts:sign_out"))
    assert client.get(reverse("accounts:staff_home")).status_code == 302


def test_sign_in_errors_speak_plainly(client, personas):
    empty = client.post(reverse("accounts:sign_in"), {"username": "", "password": ""})
    html = empty.content.decode()
    assert "<title>Error: Sign in" in html
    assert "Enter your username" in html and "Enter your password" in html
    wrong = client.post(reverse("accounts:sign_in"), {"username": "cora", "password": "nope"})
    assert "The username or password is not right" in wrong.content.decode()


def test_a_username_too_long_for_any_account_is_refused_in_words(client, personas):
    # Found by the form fuzzer on PostgreSQL: the failed sign-in record keeps 255 characters.
    response = client.post(reverse("accounts:sign_in"), {"username": "a" * 5000, "password": "x"})
    assert response.status_code == 200
    assert "Username must be 150 characters or fewer" in response.content.decode()


def test_repeated_failures_lock_the_account(client, personas):
    for _ in range(5):
        client.post(reverse("accounts:sign_in"), {"username": "adam", "password": "wrong"})
    locked = client.post(reverse("accounts:sign_in"), {"username": "adam", "password": PASSWORD})
    assert locked.status_code == 429
    assert "You cannot sign in for now" in locked.content.decode()


def test_an_la_officer_belongs_to_exactly_one_authority(personas):
    assert personas.la_officer.local_authority == personas.authority
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="nola", password=PASSWORD, role=User.Role.LA_OFFICER)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(
            username="cara", password=PASSWORD, role=User.Role.COORDINATOR, local_authority=personas.authority
        )


@pytest.mark.django_db
def test_demo_data_loads_every_role_and_a_second_run_changes_nothing():
    call_command("load_demo_data")
    first = sorted(User.objects.values_list("username", "role", "password"))
    call_command("load_demo_data")
    assert sorted(User.objects.values_list("username", "role", "password")) == first
    assert {role for _, role, _ in first} == set(User.Role.values)


def test_signing_in_after_starting_a_request_gives_the_normal_staff_session(client, personas, settings):
    from sendmediation.intake.tests.journey import answer_all, parent_mediation

    answer_all(client, parent_mediation()[:1])  # a visitor's session lasts as long as their answers
    assert client.session.get_expiry_age() > settings.SESSION_COOKIE_AGE
    response = client.post(
        reverse("accounts:sign_in"), {"username": personas.coordinator.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert int(response.cookies["sessionid"]["max-age"]) == settings.SESSION_COOKIE_AGE
