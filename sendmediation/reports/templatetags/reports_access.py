"""``{% load reports_access %}``: whether the staff menu offers reports and the dashboard to this person."""

from typing import Any

from django import template

from sendmediation.reports.access import can_see_dashboard, can_see_reports

register = template.Library()


@register.filter(name="can_see_reports")
def can_see_reports_filter(user: Any) -> bool:
    return can_see_reports(user)


@register.filter(name="can_see_dashboard")
def can_see_dashboard_filter(user: Any) -> bool:
    return can_see_dashboard(user)
