"""The family's own local offer and SENDIASS on "Useful documents and links", found from a postcode.

The postcode comes from the coverage check (``CHECKED_POSTCODE`` in the session) or is typed on the
page itself and posted, never put in an address. Only the authority's code is kept afterwards
(``SESSION_KEY``); the postcode typed here is not stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest

from sendmediation.common.session_keys import CHECKED_POSTCODE
from sendmediation.localities.authorities import authority_by_code
from sendmediation.localities.coverage import place_name, postcode_index
from sendmediation.localities.models import LocalAuthority
from sendmediation.localities.postcodes import (
    INVALID_POSTCODE_MESSAGE,
    POSTCODE_NOT_FOUND_MESSAGE,
    InvalidPostcodeError,
    PostcodeError,
    PostcodeNotFoundError,
    normalise_postcode,
)

SESSION_KEY = "local_support_authority"
FORM_KEY = "local-support-postcode"
NOT_IN_ENGLAND_MESSAGE = "Enter a postcode in England"


@dataclass(frozen=True)
class LocalSupport:
    """What we know of an authority's local offer and SENDIASS; empty strings where nothing is recorded."""

    code: str
    name: str
    local_offer_website: str
    sendiass_name: str
    sendiass_website: str
    sendiass_phone: str

    @property
    def recorded(self) -> bool:
        return bool(self.local_offer_website or self.sendiass_website or self.sendiass_phone)


class LocalSupportForm(forms.Form):
    postcode = forms.CharField(
        label="Postcode",
        max_length=40,
        error_messages={"required": "Enter a postcode", "max_length": INVALID_POSTCODE_MESSAGE},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("auto_id", "local-support-%s")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean_postcode(self) -> str:
        """The postcode's authority code: the only thing kept."""
        try:
            location = postcode_index().lookup(normalise_postcode(self.cleaned_data["postcode"]))
        except InvalidPostcodeError:
            raise forms.ValidationError(INVALID_POSTCODE_MESSAGE, code="invalid_postcode") from None
        except PostcodeNotFoundError:
            raise forms.ValidationError(POSTCODE_NOT_FOUND_MESSAGE, code="not_found") from None
        if location.authority_code is None:
            raise forms.ValidationError(NOT_IN_ENGLAND_MESSAGE, code="not_in_england")
        return location.authority_code


def remember_authority(request: HttpRequest, code: str) -> None:
    request.session[SESSION_KEY] = code


def _authority_code(request: HttpRequest) -> str | None:
    code = request.session.get(SESSION_KEY)
    if isinstance(code, str):
        return code
    postcode = request.session.get(CHECKED_POSTCODE)
    if not isinstance(postcode, str) or not postcode:
        return None
    try:
        return postcode_index().lookup(postcode).authority_code
    except PostcodeError:
        return None


def local_support_for(request: HttpRequest) -> LocalSupport | None:
    """The local offer and SENDIASS for the family's authority, if we know where they live."""
    code = _authority_code(request)
    if code is None:
        return None
    try:
        authority = authority_by_code(code)
    except KeyError:
        return None
    row = LocalAuthority.objects.filter(code=code).first()
    return LocalSupport(
        code=code,
        name=place_name(authority),
        local_offer_website=row.local_offer_website if row else "",
        sendiass_name=row.sendiass_name if row else "",
        sendiass_website=row.sendiass_website if row else "",
        sendiass_phone=row.sendiass_phone if row else "",
    )
