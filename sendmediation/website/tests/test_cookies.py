"""The cookies page's table comes from the settings that set the cookies, so it cannot drift."""

import datetime

import pytest
from django.core.cache import caches

from sendmediation.intake.services import DRAFT_LIFETIME
from sendmediation.website.cookies import duration, essential_cookies


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(8 * 3600, "8 hours"), (3600, "1 hour"), (7 * 86400, "7 days"), (31449600, "1 year"), (90, "2 minutes")],
)
def test_a_lifetime_is_said_as_people_say_it(seconds, said):
    assert duration(seconds) == said


def test_the_table_follows_the_settings(settings):
    rows = {cookie.name: cookie for cookie in essential_cookies()}
    session = rows[settings.SESSION_COOKIE_NAME]
    assert session.expires == (
        f"{duration(DRAFT_LIFETIME.total_seconds())} after you start a request for help; "
        f"{duration(settings.SESSION_COOKIE_AGE)} after a member of staff signs in"
    )
    assert "7 days after you start a request for help" in session.expires  # what the journey keeps
    assert rows[settings.CSRF_COOKIE_NAME].expires == "1 year"

    settings.SESSION_COOKIE_NAME = "kestrel_session"
    settings.SESSION_COOKIE_AGE = 2 * 3600
    settings.CSRF_COOKIE_AGE = None
    changed = {cookie.name: cookie for cookie in essential_cookies()}
    assert "2 hours after a member of staff signs in" in changed["kestrel_session"].expires
    assert changed[settings.CSRF_COOKIE_NAME].expires == "When you close your browser"
    assert datetime.timedelta(days=7) == DRAFT_LIFETIME


def _main(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split('id="main-content"', 1)[1].split("</main>", 1)[0]


@pytest.mark.django_db
@pytest.mark.usefixtures("site_content")
def test_the_cookies_page_shows_the_table_from_the_settings(client, settings):
    main = _main(client.get("/cookies/"))
    assert "<code>sessionid</code>" in main and "<code>csrftoken</code>" in main
    assert "7 days after you start a request for help; 8 hours after a member of staff signs in" in main
    settings.SESSION_COOKIE_NAME = "kestrel_session"
    caches["pages"].clear()  # settings change only with a release, which starts with an empty cache
    assert "<code>kestrel_session</code>" in _main(client.get("/cookies/"))


@pytest.mark.django_db
@pytest.mark.usefixtures("site_content")
def test_a_cookies_page_left_as_first_installed_gets_the_table_from_the_settings(client):
    from io import StringIO

    from django.core.management import call_command

    from sendmediation.website.content.corrections import REPLACEMENTS
    from sendmediation.website.models import StandardPage

    replacement = next(r for r in REPLACEMENTS if r.slug == "cookies")
    page = StandardPage.objects.get(slug="cookies")
    page.body = replacement.installed
    page.save_revision().publish()
    assert "8 hours</td>" in _main(client.get("/cookies/"))
    call_command("install_site_content", stdout=StringIO())
    main = _main(client.get("/cookies/"))
    assert "7 days after you start a request for help" in main and "8 hours</td>" not in main
