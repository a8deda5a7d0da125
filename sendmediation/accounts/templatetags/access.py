"""The predicates of ``sendmediation.accounts.permissions``, for templates: ``user|can_manage_emails``."""

from __future__ import annotations

from typing import Any

from django import template

from sendmediation.accounts import permissions

register = template.Library()


@register.filter
def can_triage_requests(user: Any) -> bool:
    return permissions.can_triage_requests(user)


@register.filter
def is_service_staff(user: Any) -> bool:
    return permissions.is_service_staff(user)


@register.filter
def can_arrange(user: Any) -> bool:
    return permissions.can_arrange(user)


@register.filter
def can_manage_emails(user: Any) -> bool:
    return permissions.can_manage_emails(user)


@register.filter
def can_export_subject_access(user: Any) -> bool:
    return permissions.can_export_subject_access(user)


@register.filter
def can_review_feedback(user: Any) -> bool:
    return permissions.can_review_feedback(user)


@register.filter
def can_see_who_viewed(user: Any) -> bool:
    return permissions.can_see_who_viewed(user)


@register.filter
def can_edit_website(user: Any) -> bool:
    return permissions.can_edit_website(user)


@register.filter
def can_invite_to_second_factor(user: Any) -> bool:
    return permissions.can_invite_to_second_factor(user)


@register.filter
def has_staff_account(user: Any) -> bool:
    return permissions.has_staff_account(user)
