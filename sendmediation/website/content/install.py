"""Install the first content where it is missing, through Wagtail's own page tree operations.

Only what is missing is added: the home page when there is none, each page by its slug under the
home page, and the testimonials when there are none at all. A page an editor changed is never
touched, so running this again (on every deployment) is safe. The one exception is a correction
(``corrections.py``) of words we installed wrongly, made only where those exact words are still there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_supported_language_variant
from wagtail.models import Locale, Page, Site

from config.brand import brand
from sendmediation.localities.models import LocalAuthority
from sendmediation.website.content import PAGES, home
from sendmediation.website.content.corrections import CORRECTIONS, REPLACEMENTS
from sendmediation.website.content.testimonials import TESTIMONIALS
from sendmediation.website.models import HomePage, Testimonial


@dataclass
class Installed:
    """What one run added."""

    home_page: bool = False
    pages: list[str] = field(default_factory=list)
    testimonials: int = 0
    corrected: list[str] = field(default_factory=list)
    left_for_editors: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.home_page or bool(self.pages or self.testimonials or self.corrected)


def _root() -> Page:
    root = Page.get_first_root_node()
    if root is not None:
        return root
    # A flushed database has no tree at all; Wagtail's own migration made the root first time round.
    locale = Locale.objects.order_by("pk").first() or Locale.objects.create(
        language_code=get_supported_language_variant(settings.LANGUAGE_CODE)
    )
    return Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


def _remove_wagtail_placeholder(root: Page) -> Page:
    """Wagtail installs a "Welcome" page as the site's root: the home page takes its place."""
    placeholder = root.get_children().filter(slug="home", numchild=0).exact_type(Page).first()
    if placeholder is None:
        return root
    placeholder.delete()  # its Site goes with it
    return Page.objects.get(pk=root.pk)  # the tree's counts as they are now


def _home_page(installed: Installed) -> HomePage:
    existing = HomePage.objects.order_by("path").first()
    if existing is not None:
        return existing
    root = _remove_wagtail_placeholder(_root())
    page = HomePage(title=home.TITLE, slug="home", intro=home.INTRO)
    root.add_child(instance=page)
    installed.home_page = True
    return page


def _default_site(home_page: HomePage) -> None:
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(
            hostname="localhost",
            port=80,
            site_name=brand()["service_name"],
            root_page=home_page,
            is_default_site=True,
        )


def _testimonials() -> int:
    if Testimonial.objects.exists():
        return 0
    today = timezone.localdate()
    areas = dict(
        LocalAuthority.objects.filter(code__in=[t.area_code for t in TESTIMONIALS]).values_list("code", "pk")
    )
    Testimonial.objects.bulk_create(
        Testimonial(
            quote=testimonial.quote,
            attribution=testimonial.attribution,
            area_id=areas.get(testimonial.area_code),
            consent_recorded=testimonial.consented,
            consent_date=today if testimonial.consented else None,
        )
        for testimonial in TESTIMONIALS
    )
    return len(TESTIMONIALS)


def _correct(home_page: HomePage, installed: Installed) -> None:
    """Replace words installed earlier that were wrong, where nobody has changed them since."""
    for correction in CORRECTIONS:
        page = home_page.get_children().filter(slug=correction.slug).specific().first()
        if page is None:
            continue
        blocks = [dict(block) for block in getattr(page, correction.field).raw_data]
        wrong = [block for block in blocks if correction.wrong in str(block.get("value"))]
        if not wrong:
            continue
        if page.has_unpublished_changes:
            installed.left_for_editors.append(correction.slug)  # publishing would drop the draft
            continue
        for block in wrong:
            block["value"] = block["value"].replace(correction.wrong, correction.right)
        setattr(page, correction.field, json.dumps(blocks))
        page.save_revision(log_action=True).publish()
        installed.corrected.append(correction.slug)


def _without_ids(raw: object) -> object:
    if isinstance(raw, dict):
        return {key: _without_ids(value) for key, value in raw.items() if key != "id"}
    if isinstance(raw, list):
        return [_without_ids(item) for item in raw]
    return raw


def _replace_untouched(home_page: HomePage, installed: Installed) -> None:
    """Give a field the new content where it is still exactly what an earlier install put there."""
    builders = dict(PAGES)
    for replacement in REPLACEMENTS:
        page = home_page.get_children().filter(slug=replacement.slug).specific().first()
        if page is None:
            continue
        stored = [dict(block) for block in getattr(page, replacement.field).raw_data]
        if _without_ids(json.loads(json.dumps(stored, default=str))) != _without_ids(
            json.loads(replacement.installed)
        ):
            continue
        if page.has_unpublished_changes:
            installed.left_for_editors.append(replacement.slug)
            continue
        fresh = builders[replacement.slug]()
        setattr(page, replacement.field, getattr(fresh, replacement.field))
        if getattr(page, "summary", None) == replacement.installed_summary:
            page.summary = fresh.summary
        page.save_revision(log_action=True).publish()
        installed.corrected.append(replacement.slug)


def install_site_content() -> Installed:
    """Add the home page, the content pages and the testimonials where they are missing."""
    installed = Installed()
    with transaction.atomic():
        home_page = _home_page(installed)
        _default_site(home_page)
        existing = dict(home_page.get_children().values_list("slug", "pk"))
        for slug, build in PAGES:
            if slug in existing:
                continue
            page = build()
            home_page.add_child(instance=page)
            page.save_revision().publish()
            existing[slug] = page.pk
            installed.pages.append(slug)
        if installed.home_page:
            for name, value in home.fields(existing).items():
                setattr(home_page, name, value)
            home_page.save_revision().publish()
        installed.testimonials = _testimonials()
        _correct(home_page, installed)
        _replace_untouched(home_page, installed)
    Site.clear_site_root_paths_cache()
    return installed
