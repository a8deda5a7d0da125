"""Do we cover this postcode? The answer for the public page and the API, fast enough for both.

The postcode index is opened once per process. Which authorities we cover is read from the
database at most once every COVERAGE_CACHE_SECONDS per process (30 by default) and again at
midnight, so a coverage change shows everywhere within that time, and at once in the process that
made it.
"""

from __future__ import annotations

import datetime
import threading
import time
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone

from sendmediation.localities.authorities import Authority, Country, authority_by_code
from sendmediation.localities.models import LocalAuthority
from sendmediation.localities.postcodes import PostcodeIndex, PostcodeLocation, load_index

__all__ = [
    "DEFAULT_CACHE_SECONDS",
    "CoverageAnswer",
    "check_postcode",
    "coverage_periods",
    "forget_cached_coverage",
    "is_covered",
    "place_name",
    "postcode_index",
]

DEFAULT_CACHE_SECONDS = 30.0

Period = tuple[datetime.date, datetime.date | None]


class CoverageAnswer(NamedTuple):
    """Where a postcode is and whether we offer mediation there."""

    location: PostcodeLocation
    authority: Authority | None
    covered: bool

    @property
    def postcode(self) -> str:
        return self.location.postcode

    @property
    def country(self) -> Country:
        return self.location.country


_index: tuple[object, PostcodeIndex] | None = None
_index_lock = threading.Lock()


def postcode_index() -> PostcodeIndex:
    """The process's postcode index in settings.VAR_DIR, opened (and built if need be) on first use."""
    global _index
    directory = settings.VAR_DIR
    held = _index
    if held is not None and held[0] is directory:
        return held[1]
    with _index_lock:
        held = _index
        if held is None or held[0] is not directory:
            held = _index = (directory, load_index(Path(directory)))
    return held[1]


class _Coverage(NamedTuple):
    periods: dict[str, Period]
    covered_today: frozenset[str]
    expires: float  # time.time() after which to read the database again


_cached: _Coverage | None = None


def _coverage() -> _Coverage:
    global _cached
    held = _cached
    now = time.time()
    if held is not None and now < held.expires:
        return held
    rows = LocalAuthority.objects.filter(covered_from__isnull=False).values_list(
        "code", "covered_from", "covered_to"
    )
    periods: dict[str, Period] = {code: (start, end) for code, start, end in rows if start is not None}
    local_now = timezone.localtime()
    today = local_now.date()
    # Read again at midnight too, so that periods starting or ending today take effect.
    midnight = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time(), local_now.tzinfo
    )
    lifetime = float(getattr(settings, "COVERAGE_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))
    held = _cached = _Coverage(
        periods,
        frozenset(code for code, (start, end) in periods.items() if _within(today, start, end)),
        min(now + lifetime, midnight.timestamp()),
    )
    return held


def _within(day: datetime.date, start: datetime.date, end: datetime.date | None) -> bool:
    return start <= day and (end is None or day <= end)


def coverage_periods() -> dict[str, Period]:
    """Authority code to the dates we cover it from and to, for every authority we ever cover."""
    return _coverage().periods


def forget_cached_coverage() -> None:
    """Make the next read in this process go to the database."""
    global _cached
    _cached = None


def is_covered(code: str, *, on: datetime.date | None = None) -> bool:
    """Whether we cover the authority on ``on``, today (in Europe/London) by default."""
    if on is None:
        return code in _coverage().covered_today
    period = _coverage().periods.get(code)
    return period is not None and _within(on, *period)


def place_name(authority: Authority) -> str:
    """The name families know: "Bristol" for the ONS "Bristol, City of"."""
    name = authority.name
    for suffix in (", City of", ", County of"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def check_postcode(raw: str, *, on: datetime.date | None = None) -> CoverageAnswer:
    """Look a postcode up and say whether we cover its authority on ``on`` (today by default).

    Raises InvalidPostcodeError or PostcodeNotFoundError (from ``postcodes``) when it cannot answer.
    """
    location = postcode_index().lookup(raw)
    code = location.authority_code
    if code is None:
        return CoverageAnswer(location, None, False)
    return CoverageAnswer(location, authority_by_code(code), is_covered(code, on=on))
