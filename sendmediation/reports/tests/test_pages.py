"""The report pages, their period form, the exports and who may open them."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from sendmediation.reports.periods import last_quarter
from sendmediation.reports.tests import data
from sendmediation.reports.tests.conftest import QUARTER, D

pytestmark = pytest.mark.django_db

Q3 = {"from": QUARTER.start.isoformat(), "to": QUARTER.end.isoformat()}


def service_url(suffix=""):
    return reverse("reports:service") + suffix


def authority_url(world, suffix=""):
    return reverse("reports:authority", args=[world.westminster.code]) + suffix


def test_the_manager_sees_the_service_and_each_authority(client, world):
    client.force_login(world.personas.manager)
    page = client.get(service_url(), Q3)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Whole service" in html and "1 July 2026 to 30 September 2026" in html
    assert "Requests for help received" in html
    page = client.get(authority_url(world), Q3)
    assert page.status_code == 200
    html = page.content.decode()
    # Westminster's 15 requests beside the service's average over the 2 authorities covered (26 / 2).
    assert ">15<" in html and ">13.0<" in html
    index = client.get(reverse("reports:index"))
    assert index.status_code == 200
    assert reverse("reports:authority", args=[world.kent.code]) in index.content.decode()


def test_an_officer_sees_their_own_authority_only(client, world):
    client.force_login(world.personas.la_officer)
    assert client.get(authority_url(world), Q3).status_code == 200
    assert client.get(reverse("reports:authority", args=[world.kent.code]), Q3).status_code == 404
    assert client.get(reverse("reports:authority", args=["E99999999"]), Q3).status_code == 404
    assert client.get(service_url(), Q3).status_code == 403
    assert client.get(service_url("export.csv"), Q3).status_code == 403
    assert (
        client.get(reverse("reports:authority_export", args=[world.kent.code, "csv"]), Q3).status_code == 404
    )
    index = client.get(reverse("reports:index"))
    assert index.status_code == 302 and index["Location"] == authority_url(world)


@pytest.mark.parametrize("who", ["coordinator", "adviser", "mediator"])
def test_other_staff_are_refused(client, world, who):
    client.force_login(getattr(world.personas, who))
    for url in (reverse("reports:index"), service_url(), authority_url(world), service_url("export.csv")):
        assert client.get(url, Q3).status_code == 403, url


def test_the_default_period_is_the_last_quarter_with_the_years_a_click_away(client, world):
    client.force_login(world.personas.manager)
    html = client.get(service_url()).content.decode()
    quarter = last_quarter(timezone.localdate())
    assert quarter.label in html
    assert "Last financial year" in html and "Last academic year" in html
    assert "<script" not in html.split("</form>")[0].split("<form")[-1]  # a plain GET form


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            {"from": "2026-09-30", "to": "2026-07-01"},
            "to",
            "The last day must be the same as or after the first day",
        ),
        (
            {"from": "2026-02-30", "to": "2026-07-01"},
            "from",
            "The first day must be a real date in the form YYYY-MM-DD",
        ),
        (
            {"from": "yesterday", "to": "2026-07-01"},
            "from",
            "The first day must be a real date in the form YYYY-MM-DD",
        ),
        ({"from": "2026-07-01", "to": "2999-01-01"}, "to", "The last day must be today or in the past"),
        ({"from": "2999-01-01", "to": "2999-02-01"}, "from", "The first day must be today or in the past"),
        ({"from": "2026-07-01"}, "to", "Enter the last day of the period"),
        ({"to": "2026-07-01"}, "from", "Enter the first day of the period"),
    ],
)
def test_dates_that_make_no_period_are_refused_in_plain_words(client, world, query, field, message):
    client.force_login(world.personas.manager)
    page = client.get(service_url(), query)
    assert page.status_code == 400
    html = page.content.decode()
    assert message in html
    assert f'href="#period-{field}"' in html and f'id="period-{field}-error"' in html
    assert client.get(service_url("export.csv"), query).status_code == 400


def test_the_csv_is_streamed_and_suppressed(client, world):
    client.force_login(world.personas.manager)
    response = client.get(authority_url(world, "export.csv"), Q3)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Authority", "Section", "Figure", "Value", "Whole service"]
    by_figure = {(row[1], row[2]): row[3] for row in rows[1:]}
    assert by_figure[("Requests for help", "Requests for help received")] == "15"
    assert by_figure[("Requests for help", "Requests taken by phone")] == "fewer than 5"
    assert by_figure[("Mediation certificates", "After mediation")] == "fewer than 5"


def test_the_csv_has_the_appeals_from_the_follow_up_survey(client, world):
    client.force_login(world.personas.manager)
    response = client.get(service_url("export.csv"), Q3)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    sen2 = {(row[0], row[2]): row[3] for row in rows[1:] if row[1].startswith("SEN2")}
    assert sen2[("Whole service", "Of those, families who answered the follow-up survey")] == "11"
    assert sen2[("Whole service", "Followed by an appeal to the Tribunal")] == "6"
    assert sen2[("Whole service", "Share of families who answered who appealed")] == "55%"
    assert sen2[("Kent", "Followed by an appeal to the Tribunal")] == "5"
    assert sen2[("Westminster", "Followed by an appeal to the Tribunal")] == "fewer than 5"
    assert "not yet recorded" not in {value for value in sen2.values()}


def test_the_authority_page_shows_the_appeals(client, world):
    client.force_login(world.personas.la_officer)
    html = client.get(authority_url(world), Q3).content.decode()
    assert "Followed by an appeal to the Tribunal" in html
    assert "Of those, families who answered the follow-up survey" in html


def test_the_service_csv_adds_each_authority(client, world):
    client.force_login(world.personas.manager)
    response = client.get(service_url("export.csv"), Q3)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    authorities = {row[0] for row in rows[1:]}
    assert {"Whole service", "Westminster", "Kent"} <= authorities
    kent_mediations = [row[3] for row in rows if row[0] == "Kent" and row[2] == "Mediations held"]
    assert kent_mediations and set(kent_mediations) == {"10"}


def test_the_xlsx_has_the_same_suppressed_figures(client, world):
    client.force_login(world.personas.manager)
    response = client.get(service_url("export.xlsx"), Q3)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert book.sheetnames == ["Report", "Each authority"]
    rows = list(book["Each authority"].iter_rows(values_only=True))
    westminster = {row[2]: row[3] for row in rows if row[0] == "Westminster"}
    assert westminster["Requests taken by phone"] == "fewer than 5"
    assert westminster["Cases received"] == 7  # a number, so that a spreadsheet can add it up


def test_the_pdf_is_tagged_and_titled(client, world):
    client.force_login(world.personas.la_officer)
    response = client.get(authority_url(world, "export.pdf"), Q3)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    root: Any = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert str(root["/Lang"]).lower().startswith("en")
    assert reader.metadata is not None and "Westminster: report" in str(reader.metadata.title)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "fewer than 5" in text


def test_each_chart_has_a_title_a_description_a_summary_and_a_table(client, world):
    client.force_login(world.personas.manager)
    html = client.get(authority_url(world), Q3).content.decode()
    assert html.count('role="img"') == 3
    assert html.count('<title id="chart-title-') == 3 and html.count('<desc id="chart-desc-') == 3
    assert html.count("The figures in the chart") == 3
    assert "Certificates on time" in html and "against" in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, Q3).status_code == 200
    return len(captured)


def test_the_query_count_is_pinned_and_does_not_grow_with_the_cases(client, world, monkeypatch):
    from sendmediation.statutory import services as statutory

    # The working-day calendar is read once per process and its token again every few seconds; on a
    # slow machine that check can fall inside a measured request, so it is read now and kept.
    statutory.current_calendar()
    monkeypatch.setattr(statutory._cache, "_check_every", 3600.0)
    client.force_login(world.personas.manager)
    before = {url: _queries(client, url) for url in (service_url(), authority_url(world))}
    for _ in range(30):
        case = data.make_case(world.kent, received_on=D(2026, 8, 3), decisions=["needs"])
        data.add_meeting(case, world.personas.mediator, on=datetime.date(2026, 8, 20))
    after = {url: _queries(client, url) for url in (service_url(), authority_url(world))}
    assert before == after
    # 11 tallies (timeliness's time taken is two: in calendar days and in working days), the
    # authorities covered and 3 counts for the trend; the rest is the page around the report (the
    # session, the user, the menu's one permission, the calendar). An authority's page also looks the
    # authority up, and takes the 11 tallies twice: its own totals and the service's.
    assert before == {service_url(): 18, authority_url(world): 30}
