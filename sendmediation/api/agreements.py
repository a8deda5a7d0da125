"""The agreement's actions over JSON: write it down, send it for signature, record a signature on paper.

They follow the case actions in ``api.cases``: the same token, scope, error shape and case output,
and the agreements app's own front doors. A scan of a paper signature comes as base64 in the body.
"""

from __future__ import annotations

import base64
import binascii
import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from ninja import Field, Router

from sendmediation.accounts.models import User
from sendmediation.agreements import services as agreements
from sendmediation.agreements.services import SCAN_TYPE_REFUSED
from sendmediation.api.cases import ERRORS, CaseOut, In, NoInput, StaffToken, _act, _described
from sendmediation.api.errors import ApiError
from sendmediation.cases.errors import InvalidChange
from sendmediation.cases.models import Case
from sendmediation.statutory.rules import ORDER_TYPES

router = Router(auth=StaffToken())

if TYPE_CHECKING:
    AgreementDuty = str
    AgreementOrder = str
else:
    AgreementDuty = StrEnum("AgreementDuty", {code.upper(): code for code in agreements.DUTIES})
    AgreementOrder = StrEnum("AgreementOrder", {slug.upper(): slug for slug in ORDER_TYPES})


class AgreementItemIn(In):
    what: str = Field(min_length=1, max_length=5000, description="What will happen")
    who: str = Field(min_length=1, max_length=200, description="Who does it")
    by: datetime.date | None = Field(None, description="By when, if there is a date")


class AgreedDateIn(In):
    date: datetime.date
    note: str = Field(min_length=1, max_length=2000, description="Where the parties agreed it in writing")


class AgreementIn(In):
    items: list[AgreementItemIn] = Field(min_length=1, max_length=agreements.MAX_ITEMS)
    duties: list[AgreementDuty] | None = Field(
        None, description="The reg 42 dates the agreement starts; left out, the case's usual ones"
    )
    order: AgreementOrder | None = Field(None, description="For agreement_as_order: the kind of order")
    agreed: dict[AgreementDuty, AgreedDateIn] = Field(
        default_factory=dict, description="A different date the parties agreed in writing (reg 42(5))"
    )


@router.post(
    "/{reference}/actions/record_agreement",
    response={200: CaseOut, **ERRORS},
    **_described("record_agreement"),
)
def record_agreement(request: HttpRequest, reference: str, data: AgreementIn) -> dict[str, Any]:
    return _act(
        request,
        reference,
        lambda user, case: agreements.record_agreement(
            actor=user,
            case=case,
            items=[{"what": item.what, "who": item.who, "by": item.by} for item in data.items],
            duties=[str(code) for code in data.duties] if data.duties is not None else None,
            order=str(data.order or ""),
            agreed={str(code): (value.date, value.note) for code, value in data.agreed.items()},
        ),
    )


@router.post(
    "/{reference}/actions/send_for_signature",
    response={200: CaseOut, **ERRORS},
    **_described("send_for_signature"),
)
def send_for_signature(request: HttpRequest, reference: str, data: NoInput) -> dict[str, Any]:
    return _act(request, reference, lambda user, case: agreements.send_for_signature(actor=user, case=case))


class WetSignatureIn(In):
    signatory: int = Field(description="The id of the signing link, from the case's agreement.signatures")
    signed_on: datetime.date
    scan_base64: str = Field(
        min_length=1, description="The scan, base64-encoded", json_schema_extra={"format": "byte"}
    )
    scan_content_type: str = Field(description="application/pdf, image/jpeg or image/png")
    scan_filename: str = Field("scan", max_length=200)


@router.post(
    "/{reference}/actions/record_wet_signature",
    response={200: CaseOut, **ERRORS},
    **_described("record_wet_signature"),
)
def record_wet_signature(request: HttpRequest, reference: str, data: WetSignatureIn) -> dict[str, Any]:
    try:
        content = base64.b64decode(data.scan_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(
            400, "invalid_input", "The scan is not valid base64", fields={"scan_base64": "Not valid base64"}
        ) from None
    scan = SimpleUploadedFile(data.scan_filename, content, content_type=data.scan_content_type)

    def change(user: User, case: Case) -> None:
        try:
            agreements.record_wet_signature(
                actor=user, case=case, signatory=data.signatory, signed_on=data.signed_on, scan=scan
            )
        except InvalidChange as problem:
            # The page has one file field; here the file comes as two: name the one at fault.
            if problem.field == "scan":
                problem.field = "scan_content_type" if problem.message == SCAN_TYPE_REFUSED else "scan_base64"
            raise

    return _act(request, reference, change)
