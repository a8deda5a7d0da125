"""The retention schedule for the privacy page, read from settings.RETENTION when the page is drawn."""

from django import template

from sendmediation.common import retention

register = template.Library()


@register.simple_tag
def retention_schedule() -> list[tuple[retention.Rule, str]]:
    """Use as ``{% retention_schedule as rows %}``: each rule with its period in words."""
    return retention.schedule()
