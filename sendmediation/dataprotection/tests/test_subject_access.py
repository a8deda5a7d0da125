"""The subject access export: one zip with everything held about a family, and nothing else."""

from __future__ import annotations

import io
import json
import stat
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sendmediation.agreements.models import Agreement
from sendmediation.cases.access_log import broken_links
from sendmediation.cases.errors import ActionNotPermitted
from sendmediation.cases.models import AccessLog
from sendmediation.dataprotection.subject_access import write_subject_access_export
from sendmediation.dataprotection.tests.builders import (
    OTHER_CHILD,
    OTHER_DOCUMENT,
    OTHER_EMAIL,
    OTHER_NOTE,
    OTHER_PARENT,
    build_casework,
)
from sendmediation.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def casework(personas, monkeypatch):
    return build_casework(personas, monkeypatch)


def _export(actor, case) -> zipfile.ZipFile:
    out = io.BytesIO()
    write_subject_access_export(actor=actor, case=case, out=out)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def _read(stored) -> bytes:
    with stored.open("rb") as handle:
        return handle.read()


def test_the_zip_holds_every_kind_of_item_for_each_of_the_familys_cases(casework, personas):
    archive = _export(personas.manager, casework.first)
    names = set(archive.namelist())
    first, second = casework.first.reference, casework.second.reference

    for reference in (first, second):
        for part in ("case.json", "case.txt", "events.json", "events.txt", "notes.txt", "access-log.txt"):
            assert f"{reference}/{part}" in names, (reference, part)
    details = json.loads(archive.read(f"{first}/case.json"))
    assert details["case"]["child_first_name"] == "Amir" and "family_access_key" not in details["case"]
    assert {party["email"] for party in details["parties"]} >= {personas.parent.email}
    assert "Amir" in archive.read(f"{first}/case.txt").decode()
    assert "Certificate issued" in archive.read(f"{first}/events.txt").decode()
    assert "Sarah asked for calls in the morning" in archive.read(f"{first}/notes.txt").decode()

    document = casework.document
    assert archive.read(f"{first}/documents/{document.pk}-Decision-letter.pdf") == _read(document.file)
    certificate = casework.certificate
    assert archive.read(f"{first}/certificates/{certificate.number}.pdf") == _read(certificate.pdf)

    agreement = Agreement.objects.get(case=casework.second)
    assert archive.read(f"{second}/agreement/agreement-signed.pdf") == _read(agreement.signed_pdf)
    assert archive.read(f"{second}/agreement/agreement-version-{agreement.version}.pdf") == _read(
        agreement.pdf
    )
    record = json.loads(archive.read(f"{second}/agreement/agreement.json"))
    assert len(record["signatures"]) == agreement.requests.filter(used_at__isnull=False).count() > 0
    assert all("token_hash" not in link for link in record["signing_links"])
    assert "Someone Signing" in archive.read(f"{second}/agreement/signatures.txt").decode()

    to_family = [
        message
        for message in OutboxMessage.objects.filter(case_reference__in=[first, second])
        if personas.parent.email in message.recipients
    ]
    assert to_family
    for message in to_family:
        text = archive.read(f"{message.case_reference}/emails/{message.pk}.txt").decode()
        assert text.startswith(f"To: {personas.parent.email}") and "Subject: " in text
    not_to_family = OutboxMessage.objects.filter(case_reference=second).exclude(
        pk__in=[message.pk for message in to_family]
    )
    assert not_to_family  # the officer's and the mediator's copies of the agreement
    assert all(f"{second}/emails/{message.pk}.txt" not in names for message in not_to_family)

    # The index lists (and the HTML links to) every file in the zip.
    html = archive.read("index.html").decode()
    text = archive.read("index.txt").decode()
    assert '<html lang="en-GB">' in html and personas.parent.email in html
    for name in names - {"index.html", "index.txt"}:
        assert f'href="{name}"' in html and name in text, name


def test_nothing_about_another_family_is_in_the_zip(casework, personas):
    archive = _export(personas.manager, casework.first)
    other = casework.other
    assert not any(name.startswith(other.reference) for name in archive.namelist())
    words = [OTHER_PARENT, OTHER_EMAIL, *OTHER_CHILD, OTHER_NOTE, other.reference, "Quist"]
    for name in archive.namelist():
        content = archive.read(name)
        assert OTHER_DOCUMENT not in content, name
        for word in words:
            assert word.encode() not in content, (name, word)
            assert word.lower() not in content.decode("utf-8", "ignore").lower(), (name, word)


def test_the_other_familys_export_holds_only_their_case(casework, personas):
    archive = _export(personas.manager, casework.other)
    assert {name.split("/")[0] for name in archive.namelist()} == {
        casework.other.reference,
        "index.html",
        "index.txt",
    }
    for name in archive.namelist():
        content = archive.read(name).decode("utf-8", "ignore")
        assert personas.parent.email not in content and "Amir" not in content, name


def test_the_export_is_recorded_in_each_cases_access_log(casework, personas):
    _export(personas.manager, casework.first)
    logged = AccessLog.objects.filter(what=AccessLog.What.SUBJECT_ACCESS)
    assert {row.case_id for row in logged} == {casework.first.pk, casework.second.pk}
    assert {row.user_id for row in logged} == {personas.manager.pk}
    assert all(row.item == f"asked on {casework.first.reference}" for row in logged)
    assert list(broken_links()) == []


@pytest.mark.parametrize("who", ["coordinator", "adviser", "mediator", "la_officer"])
def test_only_a_manager_may_export(casework, personas, who):
    with pytest.raises(ActionNotPermitted):
        _export(getattr(personas, who), casework.first)
    assert not AccessLog.objects.filter(what=AccessLog.What.SUBJECT_ACCESS).exists()


def test_the_page_lists_the_cases_and_the_button_downloads_the_zip(casework, personas, client):
    url = reverse("dataprotection:subject_access", args=[casework.first.reference])
    client.force_login(personas.manager)
    case_page = client.get(reverse("cases:case_detail", args=[casework.first.reference])).content.decode()
    assert url in case_page and "Export everything held about this family" in case_page

    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert casework.second.reference in html and casework.other.reference not in html

    response = client.post(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "index.html" in archive.namelist()
    assert AccessLog.objects.filter(what=AccessLog.What.SUBJECT_ACCESS, case=casework.first).count() == 1


def test_the_case_page_offers_the_export_to_managers_only(casework, personas, client):
    client.force_login(personas.coordinator)
    case_page = client.get(reverse("cases:case_detail", args=[casework.first.reference])).content.decode()
    assert "Export everything held about this family" not in case_page
    url = reverse("dataprotection:subject_access", args=[casework.first.reference])
    assert client.get(url).status_code == 403 and client.post(url).status_code == 403


def test_the_command_writes_the_same_zip_for_the_data_protection_officer(casework, personas, tmp_path):
    target = tmp_path / "export.zip"
    out = io.StringIO()
    call_command(
        "subject_access_export",
        casework.first.reference,
        to=str(target),
        by=personas.manager.username,
        stdout=out,
    )
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    names = zipfile.ZipFile(target).namelist()
    assert f"{casework.second.reference}/case.json" in names and "index.txt" in names
    assert casework.second.reference in out.getvalue()
    assert AccessLog.objects.filter(what=AccessLog.What.SUBJECT_ACCESS).count() == 2

    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "subject_access_export", casework.first.reference, to=str(target), by=personas.manager.username
        )
    refused = tmp_path / "refused.zip"
    with pytest.raises(CommandError, match="Only a manager"):
        call_command(
            "subject_access_export",
            casework.first.reference,
            to=str(refused),
            by=personas.coordinator.username,
        )
    assert not refused.exists()
