"""Run axe-core in the page with the WCAG 2.2 A and AA rules plus target-size; fail on any violation."""

from typing import Any

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}

_axe = Axe()


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


def _run_axe(page: Any) -> dict[str, Any]:
    if not getattr(page, "javascript_off", False):
        return dict(_axe.run(page, options=AXE_OPTIONS).response)
    # axe needs timers, which a page with JavaScript off does not run. Check the same DOM, served
    # at the same address with the page's own scripts blocked, in a tab where axe can run.
    html, url = page.content(), page.url
    context = page.context.browser.new_context(viewport=page.viewport_size, locale="en-GB")
    try:
        mirror = context.new_page()
        mirror.route("**/*.js", lambda route: route.abort())
        mirror.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
        mirror.goto(url)
        assert not mirror.evaluate("document.documentElement.classList.contains('govuk-frontend-supported')")
        return dict(_axe.run(mirror, options=AXE_OPTIONS).response)
    finally:
        context.close()


def assert_no_axe_violations(page: Any, *, label: str = "") -> None:
    """Check the page as it is now, with JavaScript on or off."""
    response = _run_axe(page)
    ran = {
        rule["id"]
        for key in ("violations", "passes", "incomplete", "inapplicable")
        for rule in response.get(key, [])
    }
    assert "target-size" in ran, "axe did not run the target-size rule"
    assert "color-contrast" in ran, "axe did not run the WCAG AA rules"
    violations = response["violations"]
    where = f" on {label or page.url}"
    assert not violations, f"axe found {len(violations)} violation(s){where}:\n{_describe(violations)}"
