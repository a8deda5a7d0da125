"""The named predicates: which people each one lets through, written out by hand."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from sendmediation.accounts import permissions
from sendmediation.accounts.models import User

pytestmark = pytest.mark.django_db

STAFF = {"coordinator", "adviser", "mediator", "manager"}
ARRANGERS = {"coordinator", "manager"}

WHO_PASSES = {
    "is_service_staff": STAFF,
    "is_la_officer": {"la_officer"},
    "sees_every_case": ARRANGERS,
    "can_arrange": ARRANGERS,
    "can_triage_requests": ARRANGERS,
    "can_record_phone_requests": {"coordinator", "adviser", "manager"},
    "can_manage_emails": ARRANGERS,
    "can_review_feedback": {"manager"},
    "can_see_notes": STAFF,
    "can_see_documents": STAFF,
    "can_export_subject_access": {"manager"},
    "can_see_who_viewed": {"manager"},
    "has_staff_account": STAFF | {"la_officer"},
    "can_invite_to_second_factor": {"manager"},
}


def _people(personas) -> dict[str, object]:
    inactive = User.objects.create_user(username="gone", role=User.Role.COORDINATOR, is_active=False)
    return {
        "coordinator": personas.coordinator,
        "adviser": personas.adviser,
        "mediator": personas.mediator,
        "manager": personas.manager,
        "la_officer": personas.la_officer,
        "no role": User.objects.create_user(username="visitor", role=""),
        "inactive coordinator": inactive,
        "anonymous": AnonymousUser(),
        "nobody": None,
    }


def test_each_predicate_lets_through_exactly_its_people(personas):
    people = _people(personas)
    wrong = [
        f"{name}({who}) is {who not in passes}"
        for name, passes in WHO_PASSES.items()
        for who, user in people.items()
        if getattr(permissions, name)(user) != (who in passes)
    ]
    assert not wrong, "\n".join(wrong)


def test_a_familys_contact_details_reach_an_officer_only_with_the_familys_agreement(personas):
    people = _people(personas)
    parent = SimpleNamespace(is_family=True, contact_shared_with_la=False)
    agreed = SimpleNamespace(is_family=True, contact_shared_with_la=True)
    school = SimpleNamespace(is_family=False, contact_shared_with_la=False)
    for who, user in people.items():
        staff, officer = who in STAFF, who == "la_officer"
        assert permissions.can_see_family_contact(user, parent) is staff, who
        assert permissions.can_see_family_contact(user, agreed) is (staff or officer), who
        assert permissions.can_see_family_contact(user, school) is (staff or officer), who
