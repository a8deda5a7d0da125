"""Fictional demo coverage: 42 authorities we cover, and a few others' providers. Safe to run again.

Each of these 46 authorities also gets a fictional local offer and SENDIASS, for the "Useful
documents and links" page. Phone numbers are in Ofcom's ranges kept for drama (0808 157 0xxx,
01632 960xxx); the email and web addresses use the reserved .example domain.
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from sendmediation.common.demo import refuse_demo_data_in_production
from sendmediation.localities.authorities import authority_by_code
from sendmediation.localities.coverage import place_name
from sendmediation.localities.models import LocalAuthority
from sendmediation.localities.services import sync_authorities, update_coverage

VIA = "load_demo_coverage"
DEMO_NOTE = "Demo data: the contact details are fictional."

# Team name, phone, email, first day covered, and the authorities the team serves.
TEAMS: tuple[tuple[str, str, str, datetime.date, tuple[str, ...]], ...] = (
    (
        "London team",
        "0808 157 0210",
        "london@kestrel-mediation.example",
        datetime.date(2023, 4, 1),
        (
            "E09000001",  # City of London
            "E09000003",  # Barnet
            "E09000005",  # Brent
            "E09000007",  # Camden
            "E09000010",  # Enfield
            "E09000011",  # Greenwich
            "E09000012",  # Hackney
            "E09000013",  # Hammersmith and Fulham
            "E09000014",  # Haringey
            "E09000019",  # Islington
            "E09000020",  # Kensington and Chelsea
            "E09000022",  # Lambeth
            "E09000023",  # Lewisham
            "E09000025",  # Newham
            "E09000028",  # Southwark
            "E09000030",  # Tower Hamlets
            "E09000032",  # Wandsworth
            "E09000033",  # Westminster
        ),
    ),
    (
        "South East team",
        "0808 157 0220",
        "southeast@kestrel-mediation.example",
        datetime.date(2024, 4, 1),
        (
            "E06000036",  # Bracknell Forest
            "E06000037",  # West Berkshire
            "E06000038",  # Reading
            "E06000041",  # Wokingham
            "E06000043",  # Brighton and Hove
            "E06000044",  # Portsmouth
            "E06000045",  # Southampton
            "E06000046",  # Isle of Wight
            "E10000011",  # East Sussex
            "E10000014",  # Hampshire
            "E10000030",  # Surrey
            "E10000032",  # West Sussex
        ),
    ),
    (
        "North West team",
        "0808 157 0230",
        "northwest@kestrel-mediation.example",
        datetime.date(2025, 4, 1),
        (
            "E06000008",  # Blackburn with Darwen
            "E06000009",  # Blackpool
            "E06000063",  # Cumberland
            "E06000064",  # Westmorland and Furness
            "E08000012",  # Liverpool
            "E10000017",  # Lancashire
        ),
    ),
    (
        "Yorkshire team",
        "0808 157 0240",
        "yorkshire@kestrel-mediation.example",
        datetime.date(2024, 9, 1),
        (
            "E06000014",  # York
            "E06000065",  # North Yorkshire
            "E08000032",  # Bradford
            "E08000033",  # Calderdale
            "E08000034",  # Kirklees
            "E08000035",  # Leeds
        ),
    ),
)

# Authorities we do not cover whose (fictional) mediation provider is known.
OTHER_PROVIDERS: tuple[tuple[str, str, str, str], ...] = (
    ("E10000016", "Weald Family Mediation", "https://weald-mediation.example", "01632 960411"),
    ("E09000008", "Southbank SEND Mediation", "https://southbank-send.example", "01632 960422"),
    ("E08000003", "Pennine Mediation Partnership", "https://pennine-mediation.example", "01632 960433"),
    ("E10000008", "Tamar Valley Mediation Service", "https://tamar-mediation.example", "01632 960444"),
)

NOT_COVERED = {
    "covered_from": None,
    "covered_to": None,
    "contact_name": "",
    "contact_phone": "",
    "contact_email": "",
    "notes": DEMO_NOTE,
}


def demo_local_support(code: str, number: int) -> dict[str, str]:
    """A fictional local offer and SENDIASS for the authority; ``number`` keeps the phone numbers apart."""
    name = place_name(authority_by_code(code))
    slug = slugify(name)
    return {
        "local_offer_website": f"https://local-offer.{slug}.example",
        "sendiass_name": f"{name} SENDIASS",
        "sendiass_website": f"https://sendiass.{slug}.example",
        "sendiass_phone": f"01632 960{500 + number:03d}",
    }


def demo_coverage() -> dict[str, dict[str, Any]]:
    """Authority code to the coverage fields the demo gives it."""
    wanted: dict[str, dict[str, Any]] = {}
    for team, phone, email, start, codes in TEAMS:
        for code in codes:
            authority_by_code(code)  # a typo in the table fails here, not halfway through
            wanted[code] = {
                "covered_from": start,
                "covered_to": None,
                "contact_name": team,
                "contact_phone": phone,
                "contact_email": email,
                "notes": DEMO_NOTE,
                "other_provider_name": "",
                "other_provider_website": "",
                "other_provider_phone": "",
            }
    for code, name, website, phone in OTHER_PROVIDERS:
        authority_by_code(code)
        wanted[code] = {
            **NOT_COVERED,
            "other_provider_name": name,
            "other_provider_website": website,
            "other_provider_phone": phone,
        }
    for number, code in enumerate(sorted(wanted)):
        wanted[code].update(demo_local_support(code, number))
    return wanted


class Command(BaseCommand):
    help = "Mark 42 authorities as covered, with fictional contact details. Safe to run more than once."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        refuse_demo_data_in_production()
        sync_authorities()
        wanted = demo_coverage()
        authorities = LocalAuthority.objects.filter(code__in=wanted)
        changed = 0
        for authority in authorities:
            changed += len(
                update_coverage(authority=authority, actor=None, changes=wanted[authority.code], via=VIA)
            )
        covered = sum(1 for values in wanted.values() if values["covered_from"] is not None)
        self.stdout.write(
            f"Demo coverage: {covered} authorities covered, {len(OTHER_PROVIDERS)} other providers known; "
            f"{changed} fields changed."
        )
