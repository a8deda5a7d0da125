"""Production refuses unsafe set-ups; every response carries the Permissions-Policy; /healthz sees a
database that cannot be written."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from sendmediation.common.middleware import PERMISSIONS_POLICY

ROOT = Path(__file__).resolve().parents[3]


def _production_env(**changes: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env[key] = value
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL="sqlite:///:memory:",
        VAR_DIR=str(ROOT / "var" / "deploy-check"),
        **changes,
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_the_example_secret_key():
    refused = _run(["-c", "import django; django.setup()"], _production_env())
    assert refused.returncode != 0
    assert "SECRET_KEY is still the example value" in refused.stderr
    accepted = _run(
        ["-c", "import django; django.setup()"], _production_env(SECRET_KEY=secrets.token_urlsafe(50))
    )
    assert accepted.returncode == 0, accepted.stderr


def test_production_refuses_a_key_anyone_could_guess():
    for key in ("x" * 60, "django-insecure-" + secrets.token_urlsafe(50)):
        result = _run(["-c", "import django; django.setup()"], _production_env(SECRET_KEY=key))
        assert result.returncode != 0, key


def test_demo_data_is_refused_with_production_settings():
    result = _run(["manage.py", "load_demo_data"], _production_env(SECRET_KEY=secrets.token_urlsafe(50)))
    assert result.returncode != 0
    assert "Demo data cannot be loaded with production settings" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    "command",
    ["load_demo_data", "load_demo_coverage", "load_demo_cases", "load_demo_meetings", "generate_demo_data"],
)
def test_every_demo_command_refuses_before_writing(command):
    with override_settings(DEMO_DATA_ALLOWED=False), pytest.raises(CommandError, match="production settings"):
        call_command(command, *(["--cases", "5"] if command == "generate_demo_data" else []))
    assert not get_user_model().objects.exists()
    assert not apps.get_model("cases", "Case").objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/healthz", "/static/website/css/app.css", "/api/v1/nowhere", "/staff/cases/", "/no-such-page/"],
)
def test_every_response_carries_the_permissions_policy(client, url):
    response = client.get(url)
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "camera=()" in PERMISSIONS_POLICY and "geolocation=()" in PERMISSIONS_POLICY


def _read_only(on: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA query_only = {'ON' if on else 'OFF'}")
        else:
            cursor.execute(
                f"SET SESSION CHARACTERISTICS AS TRANSACTION {'READ ONLY' if on else 'READ WRITE'}"
            )


@pytest.mark.django_db(transaction=True)
def test_healthz_fails_when_the_database_cannot_be_written(client):
    assert client.get("/healthz").status_code == 200
    _read_only(True)
    try:
        response = client.get("/healthz")
    finally:
        _read_only(False)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "read-only"}
    assert client.get("/healthz").status_code == 200
