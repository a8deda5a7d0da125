"""The references the service gives out: MED-2026-000123 for requests and cases, MC-2026-000045 for
certificates.

Requests and cases keyed in by staff share one MED sequence (the request journey's yearly counter),
so a request's reference can become its case's and never clashes with a case opened on the phone.
"""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.db.models import F

from sendmediation.cases.models import ReferenceSequence
from sendmediation.intake.models import ReferenceCounter

CERTIFICATE_PREFIX = "MC"
REFERENCE_PATTERN = re.compile(r"^MED-[0-9]{4}-[0-9]{6}$")
CERTIFICATE_PATTERN = re.compile(r"^MC-[0-9]{4}-[0-9]{6}$")


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:06d}"


def allocate_case_reference(*, on: datetime.date) -> str:
    """The next MED-YYYY-NNNNNN, from the same counter as requests sent on the website."""
    with transaction.atomic():
        _, reference = ReferenceCounter.take_next(on.year)
    return reference


def reserve_numbers(prefix: str, year: int, count: int) -> int:
    """Reserve ``count`` numbers of a sequence of ours; returns the last one reserved."""
    with transaction.atomic():
        ReferenceSequence.objects.bulk_create(
            [ReferenceSequence(prefix=prefix, year=year, last_number=0)], ignore_conflicts=True
        )
        ReferenceSequence.objects.filter(prefix=prefix, year=year).update(
            last_number=F("last_number") + count
        )
        return ReferenceSequence.objects.values_list("last_number", flat=True).get(prefix=prefix, year=year)


def allocate_certificate_number(*, on: datetime.date) -> str:
    return format_reference(CERTIFICATE_PREFIX, on.year, reserve_numbers(CERTIFICATE_PREFIX, on.year, 1))


def normalise_reference(raw: str) -> str:
    return "".join(raw.split()).upper()
