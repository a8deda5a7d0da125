"""The first content: installed by a command through Wagtail's own tree operations, never by a migration."""

import ast
import io
import json
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from wagtail.models import Page, Site

from sendmediation.website import apps as website_apps
from sendmediation.website import models
from sendmediation.website.content import PAGES
from sendmediation.website.content.install import install_site_content
from sendmediation.website.content.testimonials import TESTIMONIALS
from sendmediation.website.models import HomePage, StandardPage

MIGRATIONS = Path(website_apps.__file__).parent / "migrations"


def _imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def _tree() -> list[tuple[str, str, int, str]]:
    return list(Page.objects.order_by("path").values_list("path", "slug", "numchild", "url_path"))


def _run_command() -> str:
    output = io.StringIO()
    call_command("install_site_content", stdout=output)
    return output.getvalue()


def test_no_website_migration_imports_the_project_code():
    """A migration must do the same thing whenever it runs: editing the content must not change it."""
    for migration in sorted(MIGRATIONS.glob("0*.py")):
        imported = _imported_modules(migration)
        ours = {name for name in imported if name.split(".")[0] in {"sendmediation", "config"}}
        assert not ours, f"{migration.name} imports {sorted(ours)}"


def test_migration_0002_now_does_nothing():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migration = loader.disk_migrations[("website", "0002_site_content")]
    assert migration.operations == []


@pytest.mark.django_db
def test_the_migrated_test_database_has_every_page_without_installing_again():
    """No site_content fixture here: the pages come from migrating the empty test database."""
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert set(home.get_children().live().values_list("slug", flat=True)) == {slug for slug, _ in PAGES}
    assert home.intro and len(home.ways_we_help) == 3
    assert models.Testimonial.objects.count() == len(TESTIMONIALS)
    assert not any(Page.find_problems())
    for page in Page.objects.filter(depth__gt=1):
        assert page.live and page.live_revision_id is not None, f"{page.slug} was published as a revision"


@pytest.mark.django_db
@pytest.mark.usefixtures("site_content")
def test_installing_again_changes_nothing_and_leaves_an_edited_page_alone():
    tree = _tree()
    mediation = StandardPage.objects.get(slug="mediation")
    mediation.title = "Mediation, edited by staff"
    mediation.body = json.dumps([{"type": "text", "value": "<p>Our own words</p>"}])
    mediation.save_revision().publish()
    home = HomePage.objects.get()
    home.intro = "<p>The home page, edited by staff</p>"
    home.save_revision().publish()
    kept = models.Testimonial.objects.order_by("pk").first()
    assert kept is not None
    models.Testimonial.objects.exclude(pk=kept.pk).delete()

    assert _run_command() == "Site content: nothing was missing.\n"
    assert _run_command() == "Site content: nothing was missing.\n"

    assert _tree() == tree
    mediation.refresh_from_db()
    assert mediation.title == "Mediation, edited by staff"
    assert "Our own words" in str(mediation.body)
    assert HomePage.objects.get().intro == "<p>The home page, edited by staff</p>"
    assert models.Testimonial.objects.count() == 1, "testimonials come back only when there are none at all"


@pytest.mark.django_db
@pytest.mark.usefixtures("site_content")
def test_installing_fills_in_a_missing_page_with_wagtails_own_tree_operations():
    Page.objects.get(slug="young-people").delete()
    assert _run_command() == "Site content: added 1 pages (young-people).\n"
    page = Page.objects.get(slug="young-people")
    assert page.live and page.url_path == "/home/young-people/"
    assert page.get_latest_revision() is not None
    assert not any(Page.find_problems())


@pytest.mark.django_db(transaction=True)
def test_an_empty_database_gets_the_whole_site():
    """A flushed database has no page tree at all, not even Wagtail's root."""
    call_command("flush", interactive=False)  # sends post_migrate without a plan: nothing is installed
    ContentType.objects.clear_cache()
    assert not Page.objects.exists()
    installed = install_site_content()
    assert installed.home_page and installed.pages == [slug for slug, _ in PAGES]
    home = Site.objects.get(is_default_site=True).root_page.specific
    assert isinstance(home, HomePage)
    assert [p.slug for p in home.get_children()] == [slug for slug, _ in PAGES]
    assert not any(Page.find_problems())
    assert not install_site_content()


def _plan(*names: str) -> list:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [(loader.disk_migrations[("website", name)], False) for name in names]


@pytest.mark.django_db
@pytest.mark.usefixtures("site_content")
def test_a_later_migrate_never_brings_back_a_page_an_editor_deleted():
    Page.objects.get(slug="professionals").delete()
    config = website_apps.WebsiteConfig.create("sendmediation.website")
    install = website_apps.install_content_into_a_new_database
    install(config, plan=[], using="default")
    install(config, plan=_plan("0004_testimonial_area"), using="default")
    assert not Page.objects.filter(slug="professionals").exists()
    # Only the migrate that applies 0002, which sets a database up, installs.
    install(config, plan=_plan("0002_site_content"), using="default")
    assert Page.objects.filter(slug="professionals", live=True).exists()
