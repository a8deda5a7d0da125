# mypy: disable-error-code="union-attr,index,operator"
from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sendmediation.agreements import services
from sendmediation.agreements.models import Agreement, SignatureRequest
from sendmediation.agreements.tests.helpers import ITEMS, held_case
from sendmediation.cases import services as case_services
from sendmediation.cases.errors import ActionNotPermitted, InvalidChange, TransitionNotAllowed
from sendmediation.cases.models import CaseEvent, Deadline
from sendmediation.common.tests.files import pdf_saying
from sendmediation.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
Kind = CaseEvent.Kind


def _tokens(monkeypatch):
    """Catch the tokens as they are made (only their hashes are kept)."""
    made: list[str] = []
    real = services.secrets.token_urlsafe

    def fake(n: int) -> str:
        token = real(n)
        made.append(token)
        return token

    monkeypatch.setattr(services.secrets, "token_urlsafe", fake)
    return made


def _sign_all(tokens, now=None):
    for token in tokens:
        services.sign(
            token=token,
            full_name="Someone Signing",
            confirmed=True,
            ip="203.0.113.9",
            user_agent="UA",
            now=now,
        )


def test_record_agreement_writes_items_defaults_and_event(personas):
    case = held_case(personas)
    agreement = services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
    assert [item.number for item in agreement.items.all()] == [1, 2]
    assert agreement.items.get(number=1).by_authority and not agreement.items.get(number=2).by_authority
    # refused_assessment disputed: treated as an order to assess.
    assert agreement.duties == ["agreement_as_order"] and agreement.order == "assess"
    event = case.events.get(kind=Kind.AGREEMENT_RECORDED)
    assert event.data["items"] == 2 and "Carry out" not in str(event.data)


def test_record_agreement_refuses_bad_input_and_wrong_role(personas):
    case = held_case(personas)
    with pytest.raises(InvalidChange) as problem:
        services.record_agreement(actor=personas.mediator, case=case, items=[])
    assert problem.value.field == "items"
    with pytest.raises(InvalidChange):
        services.record_agreement(actor=personas.mediator, case=case, items=[("", "LA", None)])
    with pytest.raises(InvalidChange) as problem:
        services.record_agreement(
            actor=personas.mediator, case=case, items=ITEMS, duties=["agreement_as_order"]
        )
    assert problem.value.field == "order"
    with pytest.raises(ActionNotPermitted):
        services.record_agreement(actor=personas.adviser, case=case, items=ITEMS)


def test_signatories_are_family_settling_officer_and_mediator(personas):
    case = held_case(personas)
    names = [name for _, _, name, _, _ in services.signatories(case)]
    assert names == [case.parties.family_contact().name, "Sam Lee", personas.mediator.display_name]


def test_send_freezes_pdf_hashes_it_and_sends_one_link_each(personas, monkeypatch):
    case = held_case(personas)
    tokens = _tokens(monkeypatch)
    services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
    agreement = services.send_for_signature(actor=personas.mediator, case=case)
    with agreement.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == agreement.sha256
    requests = list(agreement.current_requests())
    assert len(requests) == 3 == len(tokens)
    assert all(
        request.token_hash == hashlib.sha256(t.encode()).hexdigest()
        for request, t in zip(requests, tokens, strict=True)
    )
    assert all(t not in request.token_hash for request, t in zip(requests, tokens, strict=True))
    assert (requests[0].expires_at - agreement.sent_at).days == 14
    assert OutboxMessage.objects.filter(template="agreement_signature_request").count() == 3
    assert case.events.filter(kind=Kind.AGREEMENT_SENT).count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.send_for_signature(actor=personas.mediator, case=case)


def test_link_is_one_use_expires_and_must_be_right(personas, monkeypatch):
    case = held_case(personas)
    tokens = _tokens(monkeypatch)
    services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
    services.send_for_signature(actor=personas.mediator, case=case)
    with pytest.raises(services.SigningLinkError) as problem:
        services.sign(token="not-a-token", full_name="X", confirmed=True, ip="", user_agent="")
    assert problem.value.reason == "unknown"
    with pytest.raises(InvalidChange) as missing:
        services.sign(token=tokens[0], full_name=" ", confirmed=True, ip="", user_agent="")
    assert missing.value.field == "full_name"
    with pytest.raises(InvalidChange) as unconfirmed:
        services.sign(token=tokens[0], full_name="Pat Parent", confirmed=False, ip="", user_agent="")
    assert unconfirmed.value.field == "confirmed"
    signature = services.sign(
        token=tokens[0], full_name="Pat Parent", confirmed=True, ip="203.0.113.9", user_agent="Firefox"
    )
    agreement = services.agreement_for(case)
    assert (signature.ip, signature.user_agent, signature.sha256) == (
        "203.0.113.9",
        "Firefox",
        agreement.sha256,
    )
    with pytest.raises(services.SigningLinkError) as used:
        services.sign(token=tokens[0], full_name="Pat Parent", confirmed=True, ip="", user_agent="")
    assert used.value.reason == "used"
    later = timezone.now() + datetime.timedelta(days=15)
    with pytest.raises(services.SigningLinkError) as expired:
        services.sign(token=tokens[1], full_name="Sam Lee", confirmed=True, ip="", user_agent="", now=later)
    assert expired.value.reason == "expired"
    event = case.events.get(kind=Kind.AGREEMENT_SIGNATURE)
    assert "Pat Parent" not in str(event.data)


def test_a_change_after_sending_voids_signatures_and_sends_again(personas, monkeypatch):
    case = held_case(personas)
    tokens = _tokens(monkeypatch)
    services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
    first = services.send_for_signature(actor=personas.mediator, case=case)
    first_hash = first.sha256
    services.sign(token=tokens[0], full_name="Pat Parent", confirmed=True, ip="", user_agent="")
    changed = services.record_agreement(
        actor=personas.mediator, case=case, items=[*ITEMS, ("Meet again", "Everybody", None)]
    )
    assert changed.version == 2 and changed.status == Agreement.Status.SENT_FOR_SIGNATURE
    assert changed.sha256 != first_hash
    assert SignatureRequest.objects.filter(version=1, voided_at__isnull=False).count() == 3
    assert changed.current_requests().count() == 3 and len(tokens) == 6
    assert OutboxMessage.objects.filter(template="agreement_signatures_voided").count() == 3
    voided = case.events.get(kind=Kind.SIGNATURES_VOIDED)
    assert voided.data["signatures_voided"] == 1
    with pytest.raises(services.SigningLinkError) as old:
        services.sign(token=tokens[1], full_name="Sam Lee", confirmed=True, ip="", user_agent="")
    assert old.value.reason == "voided"


def test_last_signature_sends_copies_records_them_and_starts_the_dates(personas, monkeypatch):
    case = held_case(personas)
    tokens = _tokens(monkeypatch)
    services.record_agreement(
        actor=personas.mediator,
        case=case,
        items=ITEMS,
        duties=["agreement_non_appealable"],
        agreed={"agreement_non_appealable": (datetime.date(2027, 1, 15), "Email from Sam Lee, 3 December")},
    )
    services.send_for_signature(actor=personas.mediator, case=case)
    _sign_all(tokens)
    agreement = services.agreement_for(case)
    assert agreement.status == Agreement.Status.SIGNED and agreement.signed_sha256
    with agreement.signed_pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == agreement.signed_sha256
    signed = case.events.get(kind=Kind.AGREEMENT_SIGNED)
    assert signed.data["items"] == [{"number": 1, "by": "2026-12-18"}]
    assert "Sam Lee" not in str({k: v for k, v in signed.data.items() if k != "agreed"})
    rows = Deadline.objects.filter(case=case)
    plain = rows.get(rule="agreement_non_appealable", step="")
    assert plain.agreed_override == datetime.date(2027, 1, 15) and plain.due != plain.agreed_override
    assert rows.get(rule="agreement_non_appealable", step="item-1").due == datetime.date(2026, 12, 18)
    copies = list(agreement.copies.select_related("message"))
    assert len(copies) == 3 and case.events.filter(kind=Kind.AGREEMENT_COPY_SENT).count() == 3
    message = copies[0].message
    assert message.template == "agreement_signed_copy"
    assert message.attachments[0]["storage_path"] == agreement.signed_pdf.name
    assert not copies[0].delivered
    message.status, message.sent_at = OutboxMessage.Status.SENT, timezone.now()
    message.save()
    copies[0].refresh_from_db()
    assert copies[0].delivered and copies[0].sent_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)


def test_wet_signature_keeps_scan_and_its_hash(personas, monkeypatch):
    case = held_case(personas)
    _tokens(monkeypatch)
    services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
    agreement = services.send_for_signature(actor=personas.mediator, case=case)
    request = agreement.current_requests().first()
    content = pdf_saying(b"scanned")
    with pytest.raises(InvalidChange) as problem:
        services.record_wet_signature(
            actor=personas.mediator,
            case=case,
            signatory=request.pk,
            signed_on=timezone.localdate(),
            scan=SimpleUploadedFile("scan.txt", b"x", content_type="text/plain"),
        )
    assert problem.value.field == "scan"
    signature = services.record_wet_signature(
        actor=personas.mediator,
        case=case,
        signatory=request.pk,
        signed_on=timezone.localdate(),
        scan=SimpleUploadedFile("scan.pdf", content, content_type="application/pdf"),
    )
    assert signature.wet_ink and signature.scan_sha256 == hashlib.sha256(content).hexdigest()
    assert signature.sha256 == agreement.sha256
    with pytest.raises(TransitionNotAllowed, match="already signed"):
        services.record_wet_signature(
            actor=personas.mediator,
            case=case,
            signatory=request.pk,
            signed_on=timezone.localdate(),
            scan=SimpleUploadedFile("scan.pdf", content, content_type="application/pdf"),
        )


def test_la_officer_records_one_item_done(personas, monkeypatch):
    case = held_case(personas)
    tokens = _tokens(monkeypatch)
    services.record_agreement(
        actor=personas.mediator, case=case, items=ITEMS, duties=["agreement_non_appealable"]
    )
    services.send_for_signature(actor=personas.mediator, case=case)
    _sign_all(tokens)
    today = timezone.localdate()
    row = case_services.record_la_duty(
        actor=personas.la_officer,
        case=case,
        rule="agreement_non_appealable",
        step="item-1",
        on=today,
        note="Done",
    )
    assert row.step == "item-1" and row.met_on == today
    assert Deadline.objects.get(case=case, rule="agreement_non_appealable", step="").met_on is None
    event = case.events.get(kind=Kind.LA_DUTY_DONE)
    assert event.data["step"] == "item-1" and event.actor == personas.la_officer


def test_officer_of_another_authority_may_not_record(personas):
    from sendmediation.testing.personas import make_staff

    case = held_case(personas)
    other = make_staff("otto", "la_officer", personas.other_authority)
    with pytest.raises(Exception) as problem:
        case_services.record_la_duty(
            actor=other, case=case, rule="agreement_non_appealable", on=timezone.localdate()
        )
    assert type(problem.value).__name__ in {"CaseNotVisible", "ActionNotPermitted"}


def test_closing_checks_the_outcome_against_the_agreement(personas, monkeypatch):
    case = held_case(personas)
    with pytest.raises(InvalidChange) as problem:
        case_services.close_case(actor=personas.coordinator, case=case, outcome="agreement_reached")
    assert problem.value.field == "outcome"
    tokens = _tokens(monkeypatch)
    services.record_agreement(
        actor=personas.mediator, case=case, items=ITEMS, duties=["agreement_non_appealable"]
    )
    services.send_for_signature(actor=personas.mediator, case=case)
    _sign_all(tokens)
    with pytest.raises(InvalidChange) as refused:
        case_services.close_case(actor=personas.coordinator, case=case, outcome="no_agreement")
    assert refused.value.field == "outcome"
    closed = case_services.close_case(actor=personas.coordinator, case=case, outcome="agreement_reached")
    assert closed.status == "closed"


def test_withdrawing_stops_the_links(personas, monkeypatch):
    case = held_case(personas)
    tokens = _tokens(monkeypatch)
    services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
    services.send_for_signature(actor=personas.mediator, case=case)
    case_services.withdraw_case(actor=personas.coordinator, case=case, reason="The family asked us to stop")
    with pytest.raises(services.SigningLinkError):
        services.sign(token=tokens[0], full_name="Pat", confirmed=True, ip="", user_agent="")


def test_an_agreement_treated_as_an_order_starts_each_step(personas, monkeypatch):
    case = held_case(personas)
    tokens = _tokens(monkeypatch)
    services.record_agreement(
        actor=personas.mediator, case=case, items=ITEMS, duties=["agreement_as_order"], order="assess"
    )
    services.send_for_signature(actor=personas.mediator, case=case)
    _sign_all(tokens)
    assert case.events.get(kind=Kind.AGREEMENT_SIGNED).data["order"] == "assess"
    # Notify, no-plan decision, final plan.
    assert Deadline.objects.filter(case=case, rule="agreement_as_order").count() == 3
