"""The agreement as a tagged PDF (PDF/UA-1), from the same kind of HTML as the certificate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from config.brand import brand
from sendmediation.agreements.models import Agreement, SignatureRequest
from sendmediation.statutory.rules import ORDER_TYPES, RULES


def agreement_context(agreement: Agreement) -> dict[str, Any]:
    case = agreement.case
    agreed = agreement.agreed_dates()
    return {
        "agreement": agreement,
        "case": case,
        "items": list(agreement.items.all()),
        "duties": [
            {
                "code": code,
                "label": RULES[code].label,
                "source": RULES[code].source,
                "agreed": agreed.get(code),
                "note": agreement.agreed.get(code, {}).get("note", ""),
            }
            for code in agreement.duties
            if code in RULES
        ],
        "order": ORDER_TYPES[agreement.order].label if agreement.order in ORDER_TYPES else "",
        "parties": list(case.parties.all()),
        "mediator": case.mediator,
        "brand": brand(),
    }


def _write(html: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True
    )
    return pdf


def render_agreement_pdf(agreement: Agreement) -> bytes:
    """The agreement as sent for signature (also the preview)."""
    return _write(render_to_string("agreements/agreement_pdf.html", agreement_context(agreement)))


def render_signed_pdf(agreement: Agreement, requests: Sequence[SignatureRequest]) -> bytes:
    """The agreement with a signature page: who signed, when, how, and the hash of what they signed."""
    context = agreement_context(agreement)
    context["signatures"] = [(request, request.signature) for request in requests]
    return _write(render_to_string("agreements/agreement_pdf.html", context))
