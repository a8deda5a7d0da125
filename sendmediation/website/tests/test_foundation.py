import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]
STATIC = ROOT / "sendmediation" / "website" / "static" / "website"

PUBLIC_PAGES = [
    "website:home",
    "website:accessibility",
    "website:privacy",
    "website:cookies",
    "website:contact",
    "accounts:sign_in",
]


@pytest.mark.django_db
@pytest.mark.usefixtures("site_content")
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_answer_without_signing_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en-GB"' in html
    assert 'href="#main-content"' in html  # skip link
    assert "Kestrel SEND Mediation" in html
    assert "Contains National Statistics data" in html
    for footer_link in ("Accessibility statement", "Privacy", "Contact"):
        assert footer_link in html


@pytest.mark.django_db
@pytest.mark.usefixtures("site_content")
@pytest.mark.parametrize("name", ["website:coverage", "accounts:sign_in"])
def test_every_script_carries_the_nonce_from_a_strict_policy(client, name):
    # Public CMS pages kept for anonymous visitors carry the same policy without the nonce:
    # test_page_cache.py checks them.
    response = client.get(reverse(name))
    policy = response["Content-Security-Policy"]
    nonce_match = re.search(r"'nonce-([^']+)'", policy)
    script_src_match = re.search(r"script-src ([^;]+)", policy)
    assert nonce_match and script_src_match, policy
    nonce, script_src = nonce_match.group(1), script_src_match.group(1)
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts, "the page loads GOV.UK Frontend's JavaScript"
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag and "src=" in tag, tag
    assert script_src.startswith("'self' 'nonce-")
    second = client.get(reverse(name))["Content-Security-Policy"]
    assert second != policy, "a fresh nonce on every response"


@pytest.mark.django_db
@pytest.mark.usefixtures("site_content")
def test_security_headers(client):
    response = client.get(reverse("website:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


def test_healthz_answers_503_when_the_database_does_not():
    # A real connection attempt to a port where no database listens.
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='localhost').get('/healthz');"
        "print(r.status_code, json.dumps(r.json()))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == '503 {"status": "unavailable", "database": "down"}'


def test_production_settings_pass_the_deployment_check():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env[key] = value
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    env["DATABASE_URL"] = "sqlite:///:memory:"
    env["VAR_DIR"] = str(ROOT / "var" / "deploy-check")
    # Production refuses the example's placeholder: a real installation sets its own random key.
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # The one warning left is explained in docs/deployment.md: HSTS preload is a choice per domain.
    assert set(re.findall(r"\((\w+\.[EW]\d+)\)", output)) <= {"security.W021"}, output
    deployment = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    for code in set(re.findall(r"\((\w+\.[EW]\d+)\)", output)):
        assert code in deployment, f"docs/deployment.md does not explain {code}"


def test_compiled_css_carries_no_gov_uk_font_or_crown():
    css_files = sorted(STATIC.glob("css/*.css"))
    assert {path.name for path in css_files} >= {"app.css", "staff.css"}
    for path in css_files:
        text = path.read_text(encoding="utf-8").lower()
        assert "gds transport" not in text, path
        assert "crown" not in text, path
        assert "govuk-logotype" not in text or "govuk-header__logotype" in text, path
    licences = {path.name for path in (STATIC / "licences").iterdir()}
    assert {"govuk-frontend-LICENSE.txt", "moj-frontend-LICENSE.txt"} <= licences


def test_every_asset_the_css_refers_to_exists():
    for path in STATIC.glob("css/*.css"):
        for url in re.findall(r"url\(([^)]+)\)", path.read_text(encoding="utf-8")):
            url = url.strip("'\"")
            if url.startswith("data:"):
                continue
            assert not url.startswith(("http:", "https:", "//")), url
            assert (path.parent / url).resolve().exists(), url


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_it_was_given():
    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
