"""Mediation certificates: the verification code, the PDF, and checking one is genuine."""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from config.brand import brand
from sendmediation.cases.models import Certificate
from sendmediation.statutory.rules import Deadline, RuleCode, compute
from sendmediation.statutory.services import current_calendar

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: a clerk reads the code off paper. 31 symbols x 12 is about 59 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4

INDEPENDENCE_STATEMENT = (
    "{organisation} is an independent mediation provider. It is not part of any local authority, "
    "integrated care board or NHS England, and the adviser who issued this certificate is not employed "
    "by any of them."
)


def new_verification_code() -> str:
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def normalise_code(raw: str) -> str:
    letters = "".join(ch for ch in raw.upper() if ch.isalnum())
    return "-".join(letters[i : i + CODE_GROUP_LENGTH] for i in range(0, len(letters), CODE_GROUP_LENGTH))


def normalise_number(raw: str) -> str:
    return "".join(raw.split()).upper()


def verify(number: str, code: str) -> Certificate | None:
    """The certificate with this number when the code matches; None otherwise (same for both)."""
    certificate = Certificate.objects.select_related("case").filter(number=normalise_number(number)).first()
    expected = certificate.verification_code if certificate else new_verification_code()
    if not constant_time_compare(expected, normalise_code(code)) or certificate is None:
        return None
    return certificate


def verify_url() -> str:
    return settings.SITE_URL + reverse("cases_public:verify")


def certificate_context(certificate: Certificate) -> dict[str, object]:
    case = certificate.case
    details = brand()
    return {
        "certificate": certificate,
        "case": case,
        "family": case.parties.family_contact(),
        # The facts as they were when the certificate was issued, as the verify page shows them.
        "decisions": certificate.decision_labels(),
        "decision_letter_sent": certificate.decision_letter_sent,
        "brand": details,
        "independence": INDEPENDENCE_STATEMENT.format(organisation=details["organisation_name"]),
        "verify_url": verify_url(),
        # Worked out with this certificate's issue date (the appeal_by row may come from a later one).
        "appeal_by": appeal_date(certificate.decision_letter_sent, certificate.issued_on),
    }


def appeal_date(letter_sent: datetime.date | None, issued_on: datetime.date) -> datetime.date | None:
    if letter_sent is None:
        return None
    deadline = compute(RuleCode.APPEAL_BY, letter_sent, current_calendar(), certificate_issued=issued_on)
    assert isinstance(deadline, Deadline)
    return deadline.due


def render_pdf(certificate: Certificate) -> bytes:
    """A tagged PDF (PDF/UA-1) with a title and language, from the same kind of HTML as the pages."""
    from weasyprint import HTML

    html = render_to_string("cases/certificate_pdf.html", certificate_context(certificate))
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True, custom_metadata=True
    )
    return pdf


def store_pdf(certificate_id: int) -> bool:
    """Render and keep the PDF once; returns False when it was already there."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update()
            .select_related("case", "case__local_authority", "issued_by")
            .get(pk=certificate_id)
        )
        if certificate.pdf:
            return False
        data = render_pdf(certificate)
        certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(data), save=False)
        certificate.sha256 = hashlib.sha256(data).hexdigest()
        certificate.save(update_fields=["pdf", "sha256"])
    logger.info("Certificate id=%s rendered", certificate_id)
    return True


RENDER_RETRY_SECONDS = 300


def ready_pdf(certificate: Certificate) -> Certificate | None:
    """The certificate with its PDF, rendered now if the background worker has not got to it yet,
    so a download does not ask anyone to come back later. None when it cannot be rendered just now:
    the failure is logged and the background worker is asked to try again."""
    if not certificate.pdf:
        try:
            store_pdf(certificate.pk)
        except Exception:
            logger.exception("Certificate id=%s could not be rendered for a download", certificate.pk)
            from sendmediation.cases.tasks import render_certificate_task

            # Once every few minutes at most, however often the download is tried meanwhile.
            if cache.add(f"certificate-render-retry:{certificate.pk}", 1, RENDER_RETRY_SECONDS):
                render_certificate_task.enqueue(certificate.pk)
            return None
        certificate.refresh_from_db(fields=["pdf", "sha256"])
    return certificate


def pdf_bytes(certificate_id: str) -> bytes | None:
    """The PDF for an email attachment; None until it has been rendered (the email then waits)."""
    certificate = Certificate.objects.filter(pk=int(certificate_id)).first()
    if certificate is None or not certificate.pdf:
        return None
    with certificate.pdf.open("rb") as handle:
        data: bytes = handle.read()
    return data
