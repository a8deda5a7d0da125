"""The privacy page shows the retention schedule from settings.RETENTION, as the retention job uses it."""

import re

import pytest

from sendmediation.website import page_cache

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]


def _periods(client) -> dict[str, str]:
    response = client.get("/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(
        r'<dt class="govuk-summary-list__key">([^<]+)</dt>\s*'
        r'<dd class="govuk-summary-list__value">'
        r'<p class="govuk-body app-retention-period">Kept for ([^<]+)\.</p>',
        html,
    )
    return {what.replace("&#x27;", "'"): period for what, period in rows}


def test_the_privacy_page_shows_each_period_from_the_settings(client, settings):
    periods = _periods(client)
    assert periods["Cases that are closed or withdrawn"] == "6 years after the case was closed"
    assert periods["Requests for help that we turned down"] == "90 days after we turned the request down"
    assert (
        periods["The record of who looked at a case or a request"] == "2 years after the page was looked at"
    )
    assert len(periods) == 5

    settings.RETENTION = {
        **settings.RETENTION,
        "closed_cases": {"years": 7},
        "declined_requests": {"days": 30},
    }
    # A changed schedule is a new release for the page cache (worked out again when the service
    # restarts with it): no visitor is served the table kept before.
    page_cache.release.cache_clear()
    periods = _periods(client)
    assert periods["Cases that are closed or withdrawn"] == "7 years after the case was closed"
    assert periods["Requests for help that we turned down"] == "30 days after we turned the request down"


def test_the_privacy_page_tells_families_about_the_survey_after_their_case_closes(client):
    html = client.get("/privacy/").content.decode()
    assert '<h2 class="govuk-heading-m" id="follow-up-survey">The survey after your case closes</h2>' in html
    assert "we publish it only if you tick the box to agree, and then without any names" in html
    assert "Your answers are removed with the rest of your case's personal data" in html
