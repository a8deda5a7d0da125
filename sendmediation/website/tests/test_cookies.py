"""The cookies page's table comes from the settings that set the cookies, so it cannot drift."""

import datetime

import pytest

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
