"""An agreement's part in the retention schedule (``cases.retention``)."""

from __future__ import annotations

from sendmediation.agreements.models import (
    Agreement,
    AgreementCopy,
    AgreementItem,
    Signature,
    SignatureRequest,
)
from sendmediation.cases.models import Case
from sendmediation.cases.retention import clear_fields


def anonymise_agreements(case: Case) -> None:
    """The items, the names and emails of the people asked to sign, their signatures and the PDFs."""
    agreements = Agreement.objects.filter(case=case)
    clear_fields(agreements, ("pdf", "signed_pdf"))
    clear_fields(AgreementItem.objects.filter(agreement__case=case), AgreementItem.PERSONAL_FIELDS)
    clear_fields(SignatureRequest.objects.filter(agreement__case=case), SignatureRequest.PERSONAL_FIELDS)
    clear_fields(
        Signature.objects.filter(request__agreement__case=case), (*Signature.PERSONAL_FIELDS, "scan")
    )
    clear_fields(AgreementCopy.objects.filter(agreement__case=case), AgreementCopy.PERSONAL_FIELDS)


def signed_agreement(case: Case) -> str:
    """Why a case with a signed agreement is kept when erasure is asked for."""
    if Agreement.objects.filter(case=case, status=Agreement.Status.SIGNED).exists():
        return (
            "Everyone signed an agreement on this case. The local authority must do what it agreed, "
            "so we keep the agreement for as long as our retention schedule says."
        )
    return ""
