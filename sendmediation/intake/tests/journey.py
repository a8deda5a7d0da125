"""Answers for the request journey, page by page, as a browser would post them."""

import datetime

from django.utils import timezone

from sendmediation.intake import facts


def today() -> datetime.date:
    return timezone.localdate()


def date_fields(prefix: str, value: datetime.date) -> dict[str, str]:
    return {f"{prefix}_0": str(value.day), f"{prefix}_1": str(value.month), f"{prefix}_2": str(value.year)}


def letter_sent(state: str) -> datetime.date:
    """A letter date whose time limit is open, near (within 10 days) or passed, counted from today."""
    days_back = {"open": 10, "near": 55, "passed": 90}[state]
    sent = today() - datetime.timedelta(days=days_back)
    assert facts.time_limit(sent, today=today()).state == state
    return sent


def years_ago(years: int) -> datetime.date:
    now = today()
    return now.replace(year=now.year - years, day=min(now.day, 28))


def parent_mediation():
    return [
        ("who", {"who_asking": "parent"}),
        ("help", {"help_wanted": "mediation"}),
        ("decisions", {"decisions": ["needs", "placement"]}),
        ("letter-date", {**date_fields("date", letter_sent("open"))}),
        ("letter", {}),
        ("child", {"name": "Amir Khan", **date_fields("date_of_birth", years_ago(9))}),
        ("postcode", {"postcode": "sw1a1aa"}),
        (
            "contact",
            {
                "name": "Sarah Khan",
                "methods": ["phone", "email"],
                "phone": "07700 900123",
                "good_times": "Weekday mornings",
                "email": "sarah.khan@example.org",
            },
        ),
        ("access", {"needs": ["interpreter"], "language": "Urdu"}),
    ]


def young_person_advice():
    return [
        ("who", {"who_asking": "young_person"}),
        ("help", {"help_wanted": "advice"}),
        ("decisions", {"decisions": ["cease"]}),
        ("letter-date", {"unknown": "on"}),
        ("child", {"name": "Jordan Price", **date_fields("date_of_birth", years_ago(19))}),
        ("postcode", {"postcode": "CT1 2EH"}),
        ("contact", {"methods": ["email"], "email": "jordan.price@example.org"}),
        ("access", {"needs": ["bsl"]}),
    ]


def professional_dr():
    return [
        ("who", {"who_asking": "professional"}),
        (
            "your-details",
            {
                "name": "Priya Shah",
                "organisation": "Hill Top School",
                "email": "senco@hilltop.example",
                "phone": "",
            },
        ),
        ("family-agreed", {"agreed": "on"}),
        ("help", {"help_wanted": "disagreement_resolution"}),
        ("disagreement", {"parties": ["school", "health"]}),
        ("child", {"name": "Lily Brown", **date_fields("date_of_birth", years_ago(6))}),
        ("postcode", {"postcode": "CF10 1EP"}),
        ("contact", {"name": "Dan Brown", "methods": ["phone"], "phone": "01632 960 001"}),
        ("access", {"needs": ["other"], "other": "Meetings after 3pm"}),
    ]


def not_sure():
    return [
        ("who", {"who_asking": "parent"}),
        ("help", {"help_wanted": "not_sure"}),
        ("decisions", {"decisions": ["not_sure"]}),
        ("letter-date", {"unknown": "on"}),
        ("child", {"name": "Sam Green", **date_fields("date_of_birth", years_ago(4))}),
        ("postcode", {"postcode": "ZZ9 9ZZ"}),
        ("contact", {"name": "Alex Green", "methods": ["phone"], "phone": "+44 808 157 0192"}),
        ("access", {"needs": ["none"]}),
    ]


def answer_all(client, steps):
    """Post each page's answer; returns the last response."""
    response = None
    for slug, data in steps:
        response = client.post(f"/request/{slug}/", data)
        assert response.status_code == 302, (slug, response.content.decode()[:3000])
    return response
