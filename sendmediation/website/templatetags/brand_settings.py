"""The brand settings for a page drawn without a request, where the context processor does not run.

Django draws the server error page with an empty context, so that it still works when the database
or a context processor is what failed. The settings come from brand.json, not the database.
"""

from typing import Any

from django import template

from config.brand import brand

register = template.Library()


@register.simple_tag
def brand_settings() -> dict[str, Any]:
    """Use as ``{% brand_settings as brand %}``."""
    return brand()
