"""GET /api/v1/coverage?postcode=... : which authority a postcode is in and whether we cover it.

The postcode index is opened once per process and the covered authorities are cached per process
(see ``localities.coverage``), so a request costs one lookup and no query. The answer is built
as a JSON response here rather than validated field by field on the way out: that validation
costs more than the lookup. The schema below documents it and the tests hold it to the schema.
"""

import json
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import WithJsonSchema

from sendmediation.api.errors import BadRequest, NotFound
from sendmediation.api.ratelimit import check_public_rate_limit
from sendmediation.api.schemas import ErrorOut
from sendmediation.localities.coverage import check_postcode
from sendmediation.localities.postcodes import InvalidPostcodeError, PostcodeNotFoundError

router = Router()


class LocalAuthorityOut(Schema):
    code: str
    name: str


class CoverageOut(Schema):
    postcode: str
    country: str
    local_authority: LocalAuthorityOut | None
    covered: bool


# A UK postcode as people write it: any case, with or without the space (other punctuation between the
# characters is read too). The schema says so, so that a client can tell a 400 from a postcode it
# should not have sent.
Postcode = Annotated[
    str,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^ *([A-Za-z]{1,2}[0-9][A-Za-z0-9]? *[0-9][A-Za-z]{2}|[Gg][Ii][Rr] *0[Aa]{2}) *$",
            "example": "SW1A 1AA",
        }
    ),
]

_encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


@router.get(
    "",
    response={200: CoverageOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Check whether we cover a postcode",
    description=(
        "Finds the English local authority with SEND duties for a UK postcode (any case, spacing or "
        "punctuation) and says whether we offer mediation there today. Outside England "
        "`local_authority` is null and `covered` false. 400 `invalid_postcode` when the input cannot "
        "be a UK postcode, 404 `postcode_not_found` when it is not in the ONS postcode directory. "
        "Coverage changes show here within 30 seconds."
    ),
    openapi_extra={"security": []},
)
def coverage(request: HttpRequest, postcode: Query[Postcode]) -> HttpResponse:
    check_public_rate_limit(request)
    try:
        answer = check_postcode(postcode)
    except InvalidPostcodeError as error:
        raise BadRequest(error.code, error.message, fields={"postcode": error.message}) from None
    except PostcodeNotFoundError as error:
        raise NotFound(error.code, error.message, fields={"postcode": error.message}) from None
    authority = answer.authority
    body = {
        "postcode": answer.postcode,
        "country": answer.country.label,
        "local_authority": None if authority is None else {"code": authority.code, "name": authority.name},
        "covered": answer.covered,
    }
    return HttpResponse(_encode(body), content_type="application/json", charset="utf-8")
