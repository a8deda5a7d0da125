"""The staff menu: the same on every staff page, with the areas each person's role opens."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import can_edit_website

pytestmark = pytest.mark.django_db


def menu(user, url: str) -> list[str]:
    client = Client()
    client.force_login(user)
    html = client.get(url).content.decode()
    nav = re.search(r'<nav aria-label="Staff menu".*?</nav>', html, re.S)
    assert nav is not None, url
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li.*?</li>", nav.group(0), re.S)]


def test_a_coordinator_reaches_requests_the_diary_the_schedule_and_emails_from_every_staff_page(personas):
    for url in (reverse("cases:my_work"), reverse("cases:case_list"), reverse("notifications:outbox")):
        assert menu(personas.coordinator, url)[:6] == [
            "My work",
            "Cases",
            "Requests",
            "Diary",
            "Schedule",
            "Emails",
        ], url


def test_an_adviser_and_an_officer_see_only_their_own_areas(personas):
    # An adviser keeps a diary of calls; an officer reads their own authority's report.
    assert menu(personas.adviser, reverse("cases:my_work")) == [
        "My work",
        "Cases",
        "Diary",
        "Your sessions",
        "Sign out",
    ]
    assert menu(personas.la_officer, reverse("cases:my_work")) == [
        "My work",
        "Cases",
        "Reports",
        "Your sessions",
        "Sign out",
    ]


def test_a_manager_reaches_the_dashboard_and_the_reports(personas):
    assert menu(personas.manager, reverse("cases:my_work")) == [
        "My work",
        "Cases",
        "Requests",
        "Diary",
        "Schedule",
        "Emails",
        "Dashboard",
        "Reports",
        "Feedback",
        "Access",
        "Authenticator apps",
        "Your sessions",
        "Sign out",
    ]
    # Nobody else is offered the dashboard, nor links to set up an authenticator app.
    for who in (personas.coordinator, personas.mediator, personas.la_officer):
        items = menu(who, reverse("cases:my_work"))
        assert "Dashboard" not in items and "Authenticator apps" not in items, who.username


def test_the_website_content_and_administration_are_offered_to_those_who_may_use_them(personas):
    manager = personas.manager
    assert "Website content" not in menu(manager, reverse("cases:my_work"))
    manager.groups.add(Group.objects.get(name="Moderators"))
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    items = menu(manager, reverse("cases:my_work"))
    assert items[-3:] == ["Website content", "Administration", "Sign out"]


def test_the_website_content_is_offered_by_that_permission_alone_given_to_the_person_or_a_group(personas):
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    other = Permission.objects.exclude(pk=access.pk).first()
    assert other is not None
    coordinator, mediator, adviser = personas.coordinator, personas.mediator, personas.adviser
    coordinator.user_permissions.add(other)
    unrelated = Group.objects.create(name="Something else")
    unrelated.permissions.add(other)
    mediator.groups.add(unrelated)
    editors = Group.objects.create(name="Editors of nothing yet")
    adviser.groups.add(editors)
    assert not any(can_edit_website(person) for person in (coordinator, mediator, adviser))

    coordinator.user_permissions.add(access)  # to the person
    editors.permissions.add(access)  # to a group someone else is in
    assert can_edit_website(coordinator) and can_edit_website(adviser) and not can_edit_website(mediator)
    assert "Website content" in menu(coordinator, reverse("cases:my_work"))
    for person in (coordinator, mediator, adviser):  # as Django's own reckoning has it
        fresh = User.objects.get(pk=person.pk)
        assert can_edit_website(fresh) == fresh.has_perm("wagtailadmin.access_admin"), person.username
    coordinator.is_active = False
    assert not can_edit_website(coordinator)


def test_the_page_being_shown_is_marked_in_the_menu(personas):
    client = Client()
    client.force_login(personas.coordinator)
    html = client.get(reverse("notifications:outbox")).content.decode()
    assert f'href="{reverse("notifications:outbox")}" aria-current="page">Emails' in html
    html = client.get(reverse("cases:case_list")).content.decode()
    assert f'href="{reverse("cases:case_list")}" aria-current="page">Cases' in html


def test_the_website_editor_and_the_administration_lead_back_to_the_staff_pages(personas):
    manager = personas.manager
    manager.is_staff = manager.is_superuser = True
    manager.save()
    client = Client()
    client.force_login(manager)
    my_work = reverse("cases:my_work")

    cms = client.get("/cms/").content.decode()
    assert "Back to the staff pages" in cms and my_work in cms

    admin = client.get(reverse("admin:index")).content.decode()
    assert f'<a href="{my_work}">Back to the staff pages</a>' in admin
    assert "Kestrel SEND Mediation: administration" in admin
    assert "Django administration" not in admin and "Django site admin" not in admin
    users = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "Back to the staff pages" in users


def test_only_a_manager_is_offered_the_familys_feedback(personas):
    assert "Feedback" in menu(personas.manager, reverse("cases:my_work"))
    for person in (personas.coordinator, personas.adviser, personas.mediator, personas.la_officer):
        assert "Feedback" not in menu(person, reverse("cases:my_work"))
    client = Client()
    client.force_login(personas.manager)
    html = client.get(reverse("feedback_review:comments")).content.decode()
    assert f'href="{reverse("feedback_review:comments")}" aria-current="page">Feedback' in html
