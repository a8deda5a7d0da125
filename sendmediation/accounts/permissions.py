"""Who may do what, named in the service's words: the one place that says which roles each rule covers.

Pages, templates, the API, the services and the workflow table ask these predicates (or take these
sets) rather than spelling roles out again. Which cases a person sees at all is
``Case.objects.visible_to(user)``, built from the same words. docs/access.md sets the policy out.

Every predicate takes whoever is asking: a signed-in user, an anonymous one or None. Only someone
signed in, active and with a role passes any of them (deny by default).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from sendmediation.accounts.models import User

Role = User.Role

# The service's own people. Local authority officers sign in too, but are not the service's staff.
SERVICE_STAFF = frozenset({Role.COORDINATOR, Role.ADVISER, Role.MEDIATOR, Role.MANAGER})
# Those who arrange casework: triage requests and cases, open cases, assign staff, tell the
# local authority, and look after the emails that could not be sent.
ARRANGERS = frozenset({Role.COORDINATOR, Role.MANAGER})
# Those who may key in a request for help taken by phone.
PHONE_TAKERS = frozenset({Role.COORDINATOR, Role.ADVISER, Role.MANAGER})


def role_of(user: Any) -> str:
    """The role of someone signed in and active; "" for anyone else."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ""
    return str(getattr(user, "role", "") or "")


def is_service_staff(user: Any) -> bool:
    """A coordinator, adviser, mediator or manager of the service."""
    return role_of(user) in SERVICE_STAFF


def is_la_officer(user: Any) -> bool:
    """An officer of one local authority (every officer has exactly one)."""
    return role_of(user) == Role.LA_OFFICER and getattr(user, "local_authority_id", None) is not None


def sees_every_case(user: Any) -> bool:
    """Coordinators and managers see all the service's cases; others only those they work on."""
    return role_of(user) in ARRANGERS


def can_arrange(user: Any) -> bool:
    """May open cases, assign staff, see the cases nobody coordinates and retry emails."""
    return role_of(user) in ARRANGERS


def can_triage_requests(user: Any) -> bool:
    """May read, accept or turn down the requests for help that come in from the website."""
    return role_of(user) in ARRANGERS


def can_record_phone_requests(user: Any) -> bool:
    """May key in a request for help a family made by phone."""
    return role_of(user) in PHONE_TAKERS


def can_manage_emails(user: Any) -> bool:
    """May see the emails that could not be sent, and send them again."""
    return role_of(user) in ARRANGERS


def can_review_feedback(user: Any) -> bool:
    """May read families' comments from the follow-up survey and turn a consented one into a
    testimonial: managers only, since it puts a family's words on the public website."""
    return role_of(user) == Role.MANAGER


def can_see_notes(user: Any) -> bool:
    """Notes are the service's own: never for local authority officers (or families)."""
    return is_service_staff(user)


def can_see_documents(user: Any) -> bool:
    """Documents on a case, and the emails the service sent about it: the service's staff only.

    Whatever a family sends us stays with the independent service; an authority gets its own
    letters in its own inbox.
    """
    return is_service_staff(user)


def can_export_subject_access(user: Any) -> bool:
    """May export everything held about a family (a subject access request): managers only."""
    return role_of(user) == Role.MANAGER


def has_staff_account(user: Any) -> bool:
    """Anyone who signs in with a role, officers included: may see and end their own sessions."""
    return role_of(user) != ""


def can_invite_to_second_factor(user: Any) -> bool:
    """May make the one-time link with which a person sets up their authenticator app: managers only,
    so that a password alone never adds an app."""
    return role_of(user) == Role.MANAGER


def can_see_who_viewed(user: Any) -> bool:
    """May see who looked at a case, and what each person opened: managers only."""
    return role_of(user) == Role.MANAGER


def can_see_family_contact(user: Any, party: Any) -> bool:
    """May this person see this party's email address and phone number?

    The service's staff always may. A local authority officer sees a parent's or young person's
    only when the family agreed to share them with the authority; other parties' (the authority's
    own officer, a school, a health commissioner) are not the family's. Anyone else sees none.
    """
    if is_service_staff(user):
        return True
    if not is_la_officer(user):
        return False
    if not getattr(party, "is_family", False):
        return True
    return bool(getattr(party, "contact_shared_with_la", False))


def can_edit_website(user: Any) -> bool:
    """Whether the staff menu offers the website's editor (Wagtail's "access admin" permission, given
    through a group or to the person). One small query for that one permission: a template's
    ``perms`` would load every permission the person has, in two queries, on every staff page."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    # Written out: Django's query joins the permission to both ways of holding it, six tables the
    # planner takes longer over than the answer takes to find, and building it costs more again.
    with connection.cursor() as cursor:
        cursor.execute(_EDITS_WEBSITE, {"user": user.pk, "app": "wagtailadmin", "codename": "access_admin"})
        return bool(cursor.fetchone()[0])


_EDITS_WEBSITE = f"""
    SELECT EXISTS (
        SELECT 1 FROM {Permission._meta.db_table} p
        JOIN {ContentType._meta.db_table} t ON t.id = p.content_type_id
        WHERE t.app_label = %(app)s AND p.codename = %(codename)s AND (
            EXISTS (
                SELECT 1 FROM {User.user_permissions.through._meta.db_table} mine
                WHERE mine.user_id = %(user)s AND mine.permission_id = p.id
            )
            OR EXISTS (
                SELECT 1 FROM {Group.permissions.through._meta.db_table} held
                JOIN {User.groups.through._meta.db_table} member ON member.group_id = held.group_id
                WHERE member.user_id = %(user)s AND held.permission_id = p.id
            )
        )
    )
"""  # noqa: S608 - table names from the models; every value is a parameter
