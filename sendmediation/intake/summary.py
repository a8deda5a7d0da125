"""The rows of "Check your answers": what each answer says, and the page to change it on."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_datetime

from sendmediation.intake import facts
from sendmediation.intake.forms import AccessForm, DecisionsForm, DisagreementForm, HelpForm, WhoForm
from sendmediation.intake.journey import Answers, applicable
from sendmediation.intake.models import RequestDraft, Who


def long_date(value: datetime.date) -> str:
    return dateformat.format(value, "j F Y")


def time_and_date(value: datetime.datetime) -> str:
    """GOV.UK style: "2:05pm on 28 November 2026"."""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'} on {long_date(local.date())}"


@dataclass
class Row:
    key: str
    lines: list[str]
    change: str  # the page's slug
    change_text: str  # what the hidden text after "Change" says

    @property
    def href(self) -> str:
        return reverse(f"intake:{self.change}") + "?change=1"


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)


def _labels(form: type[Any], name: str, codes: list[str], **init: Any) -> list[str]:
    choices = dict(form(**init).fields[name].choices)
    return [str(choices.get(code, code)) for code in codes]


@dataclass
class CheckAnswers:
    sections: list[Section]
    time_limit: facts.TimeLimit | None
    area: facts.Area | None


def check_answers(draft: RequestDraft, *, today: datetime.date) -> CheckAnswers:
    answers: Answers = draft.answers
    slugs = {step.slug for step in applicable(answers)}
    who = answers["who"]["who"]
    professional = who == Who.PROFESSIONAL
    young_person = who == Who.YOUNG_PERSON
    request = Section("Your request")
    request.rows.append(Row("Who is asking", _labels(WhoForm, "who_asking", [who]), "who", "who is asking"))
    if "your-details" in slugs:
        details = answers["your-details"]
        lines = [details["name"], details["organisation"], details["email"]]
        if details.get("phone"):
            lines.append(details["phone"])
        request.rows.append(Row("Your details", lines, "your-details", "your details"))
        agreed_at = parse_datetime(answers["family-agreed"].get("agreed_at", ""))
        when = time_and_date(agreed_at) if agreed_at is not None else ""
        request.rows.append(
            Row(
                "Family's agreement",
                [f"Yes, you confirmed this at {when}" if when else "Yes"],
                "family-agreed",
                "the family's agreement",
            )
        )
    help_wanted = answers["help"]["help"]
    request.rows.append(
        Row("Help wanted", _labels(HelpForm, "help_wanted", [help_wanted]), "help", "what help is wanted")
    )
    if "decisions" in slugs:
        request.rows.append(
            Row(
                "Decisions disagreed with",
                _labels(DecisionsForm, "decisions", answers["decisions"]["decisions"]),
                "decisions",
                "which decisions",
            )
        )
    if "disagreement" in slugs:
        request.rows.append(
            Row(
                "Disagreement with",
                _labels(DisagreementForm, "parties", answers["disagreement"]["parties"]),
                "disagreement",
                "who the disagreement is with",
            )
        )
    limit = None
    if "letter-date" in slugs:
        letter = answers["letter-date"]
        if letter.get("known") == "yes" and letter.get("date"):
            sent = datetime.date.fromisoformat(letter["date"])
            limit = facts.time_limit(sent, today=today)
            lines = [long_date(sent), f"Contact a mediation adviser by {long_date(limit.contact_by)}"]
        else:
            lines = ["No letter, or the date is not known"]
        request.rows.append(
            Row("Date on the decision letter", lines, "letter-date", "the date on the letter")
        )
    if "letter" in slugs:
        uploaded = [draft.decision_letter_name] if draft.decision_letter else ["Not uploaded"]
        request.rows.append(Row("Decision letter", uploaded, "letter", "the decision letter"))

    person = Section("About you" if young_person else "About the child or young person")
    child = answers["child"]
    born = datetime.date.fromisoformat(child["date_of_birth"])
    person.rows.append(Row("Name", [child["name"]], "child", "the name"))
    person.rows.append(Row("Date of birth", [long_date(born)], "child", "the date of birth"))
    postcode = answers["postcode"]["postcode"]
    area = facts.area_for(postcode, on=today)
    person.rows.append(Row("Postcode", [postcode, area.summary], "postcode", "the postcode"))

    contact_section = Section("The family's contact details" if professional else "Your contact details")
    contact = answers["contact"]
    if not young_person:
        contact_section.rows.append(Row("Name", [contact["name"]], "contact", "the name to contact"))
    ways = []
    if "phone" in contact["methods"]:
        ways.append(f"Phone: {contact['phone']}")
        if contact.get("good_times"):
            ways.append(f"Good times to call: {contact['good_times']}")
    if "email" in contact["methods"]:
        ways.append(f"Email: {contact['email']}")
    contact_section.rows.append(Row("How to contact", ways, "contact", "how to contact"))
    access = answers["access"]
    needs = _labels(AccessForm, "needs", access["needs"], who=who)
    if "interpreter" in access["needs"]:
        needs[access["needs"].index("interpreter")] = f"An interpreter for {access['language']}"
    if "other" in access["needs"]:
        needs[access["needs"].index("other")] = f"Something else: {access['other']}"
    contact_section.rows.append(Row("Help to take part", needs, "access", "help to take part"))
    return CheckAnswers(sections=[request, person, contact_section], time_limit=limit, area=area)
