"""Check if we cover your area: a postcode (or a council chosen from a list) to a plain answer.

The postcode is posted, never put in a URL: the answer pages are keyed by the authority's code or
the country, so addresses in server logs, browser history and Referer headers name a council at
most. The postcode is kept in the session only to carry it into the request journey.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from sendmediation.common.invalid_forms import keep_and_redirect, restore
from sendmediation.common.session_keys import CHECKED_POSTCODE
from sendmediation.localities.authorities import AUTHORITIES, Country, authority_by_code
from sendmediation.localities.coverage import place_name, postcode_index
from sendmediation.localities.models import LocalAuthority
from sendmediation.localities.postcodes import (
    INVALID_POSTCODE_MESSAGE,
    InvalidPostcodeError,
    PostcodeNotFoundError,
    normalise_postcode,
)

REQUEST_PATH = "/request/"
SESSION_KEY = "coverage_check"
NOT_FOUND = "not-found"

_IN_PLACE = {
    Country.WALES: "in Wales",
    Country.SCOTLAND: "in Scotland",
    Country.NORTHERN_IRELAND: "in Northern Ireland",
    Country.CHANNEL_ISLANDS: "in the Channel Islands",
    Country.ISLE_OF_MAN: "on the Isle of Man",
}
_COUNTRY_SLUGS = {
    country.value.replace("_", "-"): country for country in Country if country is not Country.ENGLAND
}


class PostcodeForm(forms.Form):
    postcode = forms.CharField(
        label="Postcode",
        max_length=40,
        error_messages={"required": "Enter a postcode", "max_length": INVALID_POSTCODE_MESSAGE},
    )

    def clean_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except InvalidPostcodeError:
            raise forms.ValidationError(INVALID_POSTCODE_MESSAGE, code="invalid_postcode") from None


COVERED_MARK = " (we cover this area)"


def _council_choices() -> list[tuple[str, str]]:
    """Every council with SEND duties, the ones we cover marked, so a family sees the answer in the list."""
    ordered = sorted(AUTHORITIES, key=lambda authority: place_name(authority).casefold())
    covered = set(LocalAuthority.objects.covered(on=timezone.localdate()).values_list("code", flat=True))
    return [("", "")] + [
        (authority.code, place_name(authority) + (COVERED_MARK if authority.code in covered else ""))
        for authority in ordered
    ]


def _family_name(row: LocalAuthority) -> str:
    try:
        return place_name(authority_by_code(row.code))
    except KeyError:
        return row.name


def covered_authorities(*, on: datetime.date, search: str = "") -> list[dict[str, str]]:
    """The authorities we cover on a date (code and the name families know), in order of name.

    ``search`` keeps those whose name holds every word of it, in any case.
    """
    named = sorted(
        ({"code": row.code, "name": _family_name(row)} for row in LocalAuthority.objects.covered(on=on)),
        key=lambda authority: authority["name"].casefold(),
    )
    words = search.casefold().split()
    return [authority for authority in named if all(word in authority["name"].casefold() for word in words)]


class CouncilForm(forms.Form):
    council = forms.ChoiceField(
        label="Choose your council",
        choices=_council_choices,
        error_messages={"required": "Select your council", "invalid_choice": "Select your council"},
    )


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _remember(request: HttpRequest, *, postcode: str | None, answer: str) -> None:
    """Keep the postcode with the answer it led to: an authority code, a country slug or NOT_FOUND."""
    request.session[SESSION_KEY] = {"postcode": postcode, "answer": answer}


def _postcode_for(request: HttpRequest, answer: str) -> str | None:
    """The postcode the family typed, if it led to this answer."""
    remembered = request.session.get(SESSION_KEY)
    if isinstance(remembered, dict) and remembered.get("answer") == answer:
        postcode = remembered.get("postcode")
        return postcode if isinstance(postcode, str) else None
    return None


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    form = PostcodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not form.is_valid():
        return keep_and_redirect(request, form, key="coverage-postcode")
    if request.method != "POST":
        form = restore(request, PostcodeForm, key="coverage-postcode") or form
    if form.is_bound and form.is_valid():
        postcode = form.cleaned_data["postcode"]
        try:
            location = postcode_index().lookup(postcode)
        except PostcodeNotFoundError:
            _remember(request, postcode=postcode, answer=NOT_FOUND)
            return _see_other(reverse("website:coverage_not_found"))
        if location.authority_code is None:
            slug = location.country.value.replace("_", "-")
            _remember(request, postcode=location.postcode, answer=slug)
            return _see_other(reverse("website:coverage_outside_england", args=[slug]))
        _remember(request, postcode=location.postcode, answer=location.authority_code)
        return _see_other(reverse("website:coverage_result", args=[location.authority_code]))
    return render(request, "website/coverage/question.html", {"form": form})


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def choose_council(request: HttpRequest, *, not_found: bool = False) -> HttpResponse:
    form = CouncilForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not form.is_valid():
        return keep_and_redirect(request, form, key="coverage-council")
    if request.method != "POST":
        form = restore(request, CouncilForm, key="coverage-council") or form
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["council"]
        if _postcode_for(request, code) is None and SESSION_KEY in request.session:
            del request.session[SESSION_KEY]
        return _see_other(reverse("website:coverage_result", args=[code]))
    postcode = _postcode_for(request, NOT_FOUND) if not_found else None
    return render(
        request,
        "website/coverage/choose_council.html",
        {"form": form, "not_found": not_found, "postcode": postcode},
    )


@login_not_required
@never_cache
@require_safe
def result(request: HttpRequest, code: str) -> HttpResponse:
    try:
        authority = authority_by_code(code)
    except KeyError:
        raise Http404("No such local authority") from None
    postcode = _postcode_for(request, code)
    today = timezone.localdate()
    # The name comes from the table in code, so the page works even before the table is loaded.
    row = LocalAuthority.objects.filter(code=code).first()
    covered = row is not None and row.is_covered(on=today)
    context: dict[str, Any] = {
        "authority": authority,
        "name": place_name(authority),
        "postcode": postcode,
        "coverage": row,
        "covered": covered,
        "starts_later": row is not None and row.covered_from is not None and row.covered_from > today,
    }
    if covered:
        if postcode:
            request.session[CHECKED_POSTCODE] = postcode
        context["start_url"] = REQUEST_PATH
        return render(request, "website/coverage/covered.html", context)
    return render(request, "website/coverage/not_covered.html", context)


@login_not_required
@require_safe
def areas_we_cover(request: HttpRequest) -> HttpResponse:
    """The list of authorities we cover, from the coverage records, with a search box that needs no script."""
    search = request.GET.get("search", "")[:100].strip()
    today = timezone.localdate()
    everyone = covered_authorities(on=today)
    shown = covered_authorities(on=today, search=search) if search else everyone
    starting = LocalAuthority.objects.filter(covered_from__gt=today).order_by("covered_from", "name")
    return render(
        request,
        "website/coverage/areas.html",
        {"count": len(everyone), "shown": shown, "search": search, "starting": starting},
    )


@login_not_required
@never_cache
@require_safe
def outside_england(request: HttpRequest, country: str) -> HttpResponse:
    where = _COUNTRY_SLUGS.get(country)
    if where is None:
        raise Http404("Not a country outside England")
    postcode = _postcode_for(request, country)
    return render(
        request,
        "website/coverage/outside_england.html",
        {"country": where, "in_place": _IN_PLACE[where], "postcode": postcode},
    )


urlpatterns = [
    path("", check, name="coverage"),
    path("areas-we-cover/", areas_we_cover, name="coverage_areas"),
    path("council/", choose_council, name="coverage_choose_council"),
    path("not-found/", choose_council, {"not_found": True}, name="coverage_not_found"),
    path("council/<str:code>/", result, name="coverage_result"),
    path("outside-england/<slug:country>/", outside_england, name="coverage_outside_england"),
]
