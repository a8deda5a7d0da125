"""The privacy page's retention schedule, at 320 px with JavaScript off and on, checked with axe."""

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("site_content"),
]

WIDTH = 320


@pytest.fixture(params=[False, True], ids=["javascript-off", "javascript-on"])
def small_page(request: Any, chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(
        java_script_enabled=request.param, viewport={"width": WIDTH, "height": 900}, locale="en-GB"
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.javascript_off = not request.param
    yield tab
    context.close()


def test_the_retention_schedule_reads_at_320_px(live_server, small_page, assert_accessible):
    page = small_page
    page.goto(f"{live_server.url}/privacy/")
    assert page.get_by_role("heading", name="How long we keep it").is_visible()
    schedule = page.locator(".app-retention-schedule")
    row = schedule.locator(".govuk-summary-list__row").filter(has_text="Cases that are closed or withdrawn")
    assert row.get_by_text("Kept for 6 years after the case was closed.").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert_accessible(page, label=f"the privacy page at {WIDTH} px")
