"""The public website's first content, one definition per page.

``manage.py install_site_content`` installs it (see ``install.py``).

Each page module has ``SLUG`` and ``page()``, which returns the page, unsaved, with its content.
``PAGES`` is the order they take under the home page. Editors change the pages in Wagtail after
that; nothing here runs again for a page that exists.
"""

from __future__ import annotations

from collections.abc import Callable

from sendmediation.website.content import (
    accessibility,
    contact,
    cookies,
    disagreement_resolution,
    leaflet,
    mediation,
    mediation_advice,
    mediators_view,
    privacy,
    professionals,
    useful_links,
    young_people,
)
from sendmediation.website.models import (
    ArticlePage,
    LeafletPage,
    StandardPage,
    UsefulLinksPage,
)

PageBuilder = Callable[[], StandardPage | ArticlePage | UsefulLinksPage | LeafletPage]

PAGES: tuple[tuple[str, PageBuilder], ...] = tuple(
    (module.SLUG, module.page)
    for module in (
        mediation,
        disagreement_resolution,
        mediation_advice,
        mediators_view,
        useful_links,
        young_people,
        professionals,
        leaflet,
        contact,
        accessibility,
        privacy,
        cookies,
    )
)
