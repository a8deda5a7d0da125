"""The order of the request journey's pages, which of them apply, and the answers they add up to.

A draft's answers map each page's slug to what was given on it (JSON). A page applies or not
depending on earlier answers, so changing an answer can bring in pages that were skipped; the
answers of pages that no longer apply stay in the draft but are never sent.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sendmediation.intake.models import Decision, DisagreementWith, HelpWanted, Who

Answers = Mapping[str, Any]

PREFILL = "_prefill"


def _who(answers: Answers) -> str:
    return str(answers.get("who", {}).get("who", ""))


def _help(answers: Answers) -> str:
    return str(answers.get("help", {}).get("help", ""))


def _has_letter_date(answers: Answers) -> bool:
    page = answers.get("letter-date", {})
    return _not_dr(answers) and page.get("known") == "yes" and bool(page.get("date"))


def _is_professional(answers: Answers) -> bool:
    return _who(answers) == Who.PROFESSIONAL


def _is_dr(answers: Answers) -> bool:
    return _help(answers) == HelpWanted.DISAGREEMENT_RESOLUTION


def _not_dr(answers: Answers) -> bool:
    return bool(_help(answers)) and not _is_dr(answers)


def _always(answers: Answers) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    slug: str
    applies: Callable[[Answers], bool]
    # Information pages show what an answer means; they ask nothing, so they are never "unanswered".
    asks: bool = True


STEPS: tuple[Step, ...] = (
    Step("who", _always),
    Step("your-details", _is_professional),
    Step("family-agreed", _is_professional),
    Step("help", _always),
    Step("decisions", _not_dr),
    Step("disagreement", _is_dr),
    Step("letter-date", _not_dr),
    Step("time-limit", _has_letter_date, asks=False),
    Step("letter", _has_letter_date),
    Step("child", _always),
    Step("postcode", _always),
    Step("area", lambda answers: bool(answers.get("postcode", {}).get("postcode")), asks=False),
    Step("contact", _always),
    Step("access", _always),
)
CHECK = "check"


def applicable(answers: Answers) -> list[Step]:
    """The pages that apply, in order, given the answers so far."""
    return [step for step in STEPS if step.applies(answers)]


def first_unanswered(answers: Answers) -> str | None:
    """The first question that applies and has no answer, or None when the journey is complete."""
    for step in applicable(answers):
        if step.asks and step.slug not in answers:
            return step.slug
    return None


def can_visit(slug: str, answers: Answers) -> bool:
    """Whether a page applies and every question before it has an answer."""
    steps = applicable(answers)
    for step in steps:
        if step.slug == slug:
            return True
        if step.asks and step.slug not in answers:
            return False
    return False


def next_slug(slug: str, answers: Answers, *, changing: bool) -> str:
    """Where to go after a page: on through the journey, or back to check answers when changing one.

    While changing, a newly needed question (for example a professional's details after changing
    who is asking) comes first; information pages are skipped since check answers shows the same.
    """
    if changing:
        return first_unanswered(answers) or CHECK
    slugs = [step.slug for step in applicable(answers)]
    if slug in slugs and slug != slugs[-1]:
        return slugs[slugs.index(slug) + 1]
    return first_unanswered(answers) or CHECK


def previous_slug(slug: str, answers: Answers) -> str | None:
    """The page before this one, or None for the first."""
    if slug == CHECK:
        steps = applicable(answers)
        return steps[-1].slug if steps else None
    before = None
    for step in applicable(answers):
        if step.slug == slug:
            return before
        before = step.slug
    return before


# Pages whose questions mean something else when a young person asks for themselves.
_WORDED_FOR_WHO = ("child", "contact")


def with_answer(answers: Answers, slug: str, answer: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with one page's answer set, dropping answers the change has made meaningless."""
    updated = {**answers, slug: dict(answer)}
    if slug == "who":
        before, after = _who(answers), _who(updated)
        if before and before != after and Who.YOUNG_PERSON in (before, after):
            for dependent in _WORDED_FOR_WHO:
                updated.pop(dependent, None)
    return updated


class IncompleteRequest(Exception):
    """The answers miss a question; ``slug`` names the page that asks it."""

    def __init__(self, slug: str) -> None:
        super().__init__(f"The request has no answer on the page {slug!r}")
        self.slug = slug


@dataclass(frozen=True, kw_only=True)
class RequestAnswers:
    """Everything a request says, typed: from the website journey or keyed in by staff."""

    who: Who
    help_wanted: HelpWanted
    child_name: str
    child_date_of_birth: datetime.date
    postcode: str
    contact_name: str
    phone: str = ""
    good_times_to_call: str = ""
    email: str = ""
    decisions: tuple[Decision, ...] = ()
    disagreement_with: tuple[DisagreementWith, ...] = ()
    decision_letter_date: datetime.date | None = None
    referrer_name: str = ""
    referrer_organisation: str = ""
    referrer_email: str = ""
    referrer_phone: str = ""
    family_agreed_at: datetime.datetime | None = None
    needs_interpreter: bool = False
    interpreter_language: str = ""
    needs_bsl: bool = False
    other_adjustments: str = ""

    def problems(self) -> list[str]:
        """What makes these answers unusable, in words for staff; empty when they are fine."""
        found = []
        if not (self.phone or self.email):
            found.append("Give a phone number or an email address")
        if self.who == Who.PROFESSIONAL and self.family_agreed_at is None:
            found.append("A professional can refer a family only with the family's agreement")
        if self.who == Who.PROFESSIONAL and not self.referrer_name:
            found.append("Give the professional's name")
        if self.help_wanted == HelpWanted.DISAGREEMENT_RESOLUTION:
            if not self.disagreement_with:
                found.append("Say who the disagreement is with")
            if self.decisions or self.decision_letter_date:
                found.append("Disagreement resolution is not about a decision letter")
        elif not self.decisions:
            found.append("Say which decisions the family disagrees with")
        if not self.child_name.strip() or not self.contact_name.strip():
            found.append("Give the names of the child and the person to contact")
        if self.needs_interpreter and not self.interpreter_language:
            found.append("Give the language for the interpreter")
        return found


def _date(value: object) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) and value else None


def answers_from(answers: Answers) -> RequestAnswers:
    """The typed answers of a complete journey; raises IncompleteRequest naming the first gap."""
    missing = first_unanswered(answers)
    if missing is not None:
        raise IncompleteRequest(missing)
    steps = {step.slug for step in applicable(answers)}

    def page(slug: str) -> Mapping[str, Any]:
        return answers[slug] if slug in steps else {}

    who = Who(_who(answers))
    referrer = page("your-details")
    agreed = page("family-agreed")
    letter = page("letter-date")
    child = page("child")
    contact = page("contact")
    access = page("access")
    needs = set(access.get("needs", []))
    child_dob = _date(child.get("date_of_birth"))
    if child_dob is None:
        raise IncompleteRequest("child")
    by_phone = "phone" in contact.get("methods", [])
    by_email = "email" in contact.get("methods", [])
    child_name = str(child.get("name", ""))
    return RequestAnswers(
        who=who,
        help_wanted=HelpWanted(_help(answers)),
        decisions=tuple(Decision(code) for code in page("decisions").get("decisions", [])),
        disagreement_with=tuple(DisagreementWith(code) for code in page("disagreement").get("parties", [])),
        decision_letter_date=_date(letter.get("date")) if letter.get("known") == "yes" else None,
        referrer_name=str(referrer.get("name", "")),
        referrer_organisation=str(referrer.get("organisation", "")),
        referrer_email=str(referrer.get("email", "")),
        referrer_phone=str(referrer.get("phone", "")),
        family_agreed_at=(
            datetime.datetime.fromisoformat(agreed["agreed_at"]) if agreed.get("agreed_at") else None
        ),
        child_name=child_name,
        child_date_of_birth=child_dob,
        postcode=str(page("postcode").get("postcode", "")),
        contact_name=child_name if who == Who.YOUNG_PERSON else str(contact.get("name", "")),
        phone=str(contact.get("phone", "")) if by_phone else "",
        good_times_to_call=str(contact.get("good_times", "")) if by_phone else "",
        email=str(contact.get("email", "")) if by_email else "",
        needs_interpreter="interpreter" in needs,
        interpreter_language=str(access.get("language", "")) if "interpreter" in needs else "",
        needs_bsl="bsl" in needs,
        other_adjustments=str(access.get("other", "")) if "other" in needs else "",
    )
