"""The first testimonials: each from an area the demo coverage includes, so the home page can show it."""

from __future__ import annotations

from typing import NamedTuple


class FirstTestimonial(NamedTuple):
    quote: str
    attribution: str
    area_code: str  # the GSS code of the local authority where the person lives
    consented: bool


TESTIMONIALS = (
    FirstTestimonial(
        "I was dreading the meeting, but the mediator kept everyone focused on what my son needs. We left "
        "with a plan that said exactly who would do what, and by when.",
        "Parent, Hampshire",
        "E10000014",
        True,
    ),
    FirstTestimonial(
        "I didn't know I could ask for mediation myself. The adviser explained everything in one phone call.",
        "Young person, 17, Leeds",
        "E08000035",
        True,
    ),
    FirstTestimonial(
        "The school and the local authority were finally in the same room. It was the first time I felt "
        "listened to.",
        "Parent, Surrey",
        "E10000030",
        True,
    ),
    FirstTestimonial(
        "After the advice call I knew I wanted to appeal, and the certificate came two days later.",
        "Parent, Lancashire",
        "E10000017",
        False,  # the person has not agreed: it must never be shown
    ),
)
