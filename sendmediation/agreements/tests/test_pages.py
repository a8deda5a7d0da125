# mypy: disable-error-code="union-attr,index,operator"
from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from sendmediation.agreements import services
from sendmediation.agreements.pdf import render_agreement_pdf
from sendmediation.agreements.tests.helpers import ITEMS, held_case
from sendmediation.agreements.tests.test_services import _sign_all, _tokens
from sendmediation.cases.family import family_token

pytestmark = pytest.mark.django_db


def test_the_pdf_is_tagged_with_a_language_and_title(personas):
    case = held_case(personas)
    agreement = services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
    reader = PdfReader(io.BytesIO(render_agreement_pdf(agreement)))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).lower().startswith("en")
    assert "Mediation agreement" in reader.metadata.title
    assert "/StructTreeRoot" in root


def test_the_signing_page_works_without_javascript(client, personas, monkeypatch):
    case = held_case(personas)
    tokens = _tokens(monkeypatch)
    services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
    services.send_for_signature(actor=personas.mediator, case=case)
    url = reverse("agreements_public:sign", args=[tokens[0]])
    page = client.get(url)
    assert page.status_code == 200 and b"<script" not in page.content.split(b"<form")[1].split(b"</form>")[0]
    # Never sent to another site, yet the form posts with its own origin (not "null", which CSRF refuses).
    assert page["Referrer-Policy"] == "same-origin"
    assert b"Carry out an EHC needs assessment" in page.content
    # Not "no-referrer": with it, browsers post the form with Origin "null" and CSRF refuses it.
    assert page["Referrer-Policy"] == "same-origin"
    assert client.get(reverse("agreements_public:sign_pdf", args=[tokens[0]])).status_code == 200
    missing = client.post(url, {"full_name": "", "confirmed": "yes"})
    assert missing.status_code == 400 and b"Enter your full name" in missing.content
    done = client.post(url, {"full_name": "Sarah Khan", "confirmed": "yes"}, REMOTE_ADDR="198.51.100.7")
    assert done.status_code == 200 and b"You have signed the agreement" in done.content
    again = client.get(url)
    assert again.status_code == 410 and b"already been used" in again.content
    assert client.get(reverse("agreements_public:sign", args=["nonsense"])).status_code == 410


def test_verify_confirms_a_signed_agreement_hash_and_family_download(client, personas, monkeypatch):
    case = held_case(personas)
    tokens = _tokens(monkeypatch)
    services.record_agreement(
        actor=personas.mediator, case=case, items=ITEMS, duties=["agreement_non_appealable"]
    )
    services.send_for_signature(actor=personas.mediator, case=case)
    _sign_all(tokens)
    agreement = services.agreement_for(case)
    verify = reverse("cases_public:verify")
    found = client.post(verify, {"sha256": agreement.signed_sha256.upper()}, follow=True)
    assert b"This agreement is genuine" in found.content and case.reference.encode() in found.content
    assert b"Khan" not in found.content.split(b"This agreement is genuine")[1].split(b"</div>")[1]
    wrong = client.post(verify, {"sha256": "0" * 64}, follow=True)
    assert b"We could not confirm this agreement" in wrong.content
    token = family_token(case)
    page = client.get(reverse("cases_public:family_case", args=[token]))
    assert b"Download the signed agreement" in page.content
    download = client.get(reverse("agreements_public:family_agreement", args=[token]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_staff_pages_record_and_send(client, personas):
    case = held_case(personas)
    client.force_login(personas.mediator)
    edit = reverse("agreements:edit", args=[case.reference])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "rows": "2",
            "item-0-what": "Carry out an assessment",
            "item-0-who": "The local authority",
            "item-0-by-day": "18",
            "item-0-by-month": "12",
            "item-0-by-year": "2026",
            "duties": ["agreement_non_appealable"],
        },
    )
    assert response.status_code == 302
    assert services.agreement_for(case).items.get().by.isoformat() == "2026-12-18"
    assert client.post(reverse("agreements:send", args=[case.reference])).status_code == 302
    detail = client.get(reverse("cases:case_detail", args=[case.reference]))
    assert b"Sent for signature" in detail.content


def test_a_mistake_is_shown_beside_the_row_it_is_in(client, personas):
    """Rows are numbered as the form numbers them, even with an empty row before them."""
    case = held_case(personas)
    client.force_login(personas.mediator)
    edit = reverse("agreements:edit", args=[case.reference])
    row_1 = {"item-1-what": "Carry out an assessment", "item-1-who": "The local authority"}
    bad_date = {"item-1-by-day": "31", "item-1-by-month": "2", "item-1-by-year": "2027"}

    response = client.post(edit, {"rows": "3", **row_1, **bad_date})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#item-1-by-day">Item 2: Enter a real date, for example 27 3 2027</a>' in page
    assert 'id="item-1-by-error"' in page and 'aria-describedby="item-1-by-error"' in page
    assert 'id="item-1-by-day" name="item-1-by-day" type="text" inputmode="numeric" value="31"' in page

    # The service numbers the items it was sent; the page shows its complaint on the form's row.
    response = client.post(edit, {"rows": "3", "item-2-what": "Share the reports", **row_1})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#item-2-who">Enter who does item 2</a>' in page
    assert 'aria-describedby="item-2-who-error"' in page

    assert client.post(edit, {"rows": "lots", **row_1}).status_code == 400  # not a server error


def test_the_pages_answer_a_refusal_of_the_cases_state_with_409_as_the_api_does(personas, client):
    case = held_case(personas)
    client.force_login(personas.mediator)
    # Nothing written down yet: sending is refused by the case's state, not by what was typed.
    response = client.post(reverse("agreements:send", args=[case.reference]))
    assert response.status_code == 409
    assert "Write down the agreement" in response.content.decode()
