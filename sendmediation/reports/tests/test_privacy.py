"""No personal data, by construction and in fact.

Every export (the page, CSV, XLSX, PDF and the API) is searched for the names, emails and postcode
written into the fixture cases; and every query the reports run is read to check that none selects
a column a model tags as personal.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sendmediation.accounts.tokens import create_api_token
from sendmediation.feedback.models import FollowUpSurvey
from sendmediation.reports.report import authority_report, collect, each_authority_rows, service_report
from sendmediation.reports.tests import data
from sendmediation.reports.tests.conftest import QUARTER, TODAY
from sendmediation.statutory.services import base_calendar

pytestmark = pytest.mark.django_db

Q3 = {"from": QUARTER.start.isoformat(), "to": QUARTER.end.isoformat()}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _everything_exported(client, world) -> dict[str, str]:
    texts = {}
    for label, url in (
        ("service", reverse("reports:service")),
        ("authority", reverse("reports:authority", args=[world.westminster.code])),
    ):
        texts[f"{label} page"] = client.get(url, Q3).content.decode()
        texts[f"{label} csv"] = _body(client.get(f"{url}export.csv", Q3)).decode("utf-8-sig")
        book = load_workbook(io.BytesIO(_body(client.get(f"{url}export.xlsx", Q3))), read_only=True)
        texts[f"{label} xlsx"] = "\n".join(
            " ".join(str(value) for value in row if value is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
        reader = PdfReader(io.BytesIO(_body(client.get(f"{url}export.pdf", Q3))))
        texts[f"{label} pdf"] = "".join(page.extract_text() for page in reader.pages) + str(reader.metadata)
    token = create_api_token(user=world.personas.manager)[1]
    for path in ("/api/v1/reports/service", f"/api/v1/reports/authorities/{world.westminster.code}"):
        response = client.get(path, Q3, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200
        texts[f"api {path}"] = response.content.decode()
    return texts


def test_no_export_holds_a_name_an_email_or_a_postcode(client, world):
    client.force_login(world.personas.manager)
    texts = _everything_exported(client, world)
    # The exports are not empty: the fixture's figures are there.
    assert all("fewer than 5" in text for text in texts.values()), [
        k for k, t in texts.items() if "fewer" not in t
    ]
    # The survey's comment is in the world, consented for publishing, and still in no report.
    assert FollowUpSurvey.objects.filter(comment=data.SURVEY_COMMENT, comment_may_be_published=True).exists()
    found = [
        f"{label}: {secret}"
        for label, text in texts.items()
        for secret in data.SECRETS
        if secret.lower() in text.lower()
    ]
    assert not found


def _personal_columns() -> set[str]:
    columns = set()
    for model in apps.get_models():
        for name in getattr(model, "PERSONAL_FIELDS", ()):
            field: Any = model._meta.get_field(name)
            columns.add(f'"{model._meta.db_table}"."{field.column}"')
    return columns


def test_no_query_selects_a_personal_field(world):
    personal = _personal_columns()
    assert '"cases_case"."child_first_name"' in personal and '"cases_party"."email"' in personal
    # The family's own words in the follow-up survey are personal too.
    assert '"feedback_followupsurvey"."comment"' in personal
    with CaptureQueriesContext(connection) as captured:
        authority_report(authority=world.westminster, period=QUARTER, today=TODAY, calendar=base_calendar())
        service_report(period=QUARTER, today=TODAY, calendar=base_calendar())
        list(each_authority_rows(collect(QUARTER, today=TODAY, calendar=base_calendar())))
    assert len(captured) > 10
    # The survey's answers are read (for SEN2), so the check below covers its table.
    assert any('"feedback_followupsurvey"' in query["sql"] for query in captured.captured_queries)
    for query in captured.captured_queries:
        sql = query["sql"]
        selected = re.split(r"\bFROM\b", sql, maxsplit=1)[0]
        assert not [column for column in personal if column in selected], sql
        # Personal fields are not even filtered on, nor read in a WHERE clause.
        assert not [column for column in personal if column in sql], sql
