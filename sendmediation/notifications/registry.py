"""Every kind of email the service sends: its name, subject and the context it needs.

Bodies live in templates/notifications/emails/<name>.txt and <name>.html. Sample contexts are
fictional and feed the staff preview page and the tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


class UnknownMessageType(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"There is no email template called {name!r}")
        self.name = name


class MissingContext(ValueError):
    def __init__(self, name: str, missing: list[str]) -> None:
        super().__init__(f"The {name!r} email needs {', '.join(missing)} in its context")
        self.missing = missing


class InvalidContext(ValueError):
    def __init__(self, name: str, key: str, allowed: tuple[str, ...]) -> None:
        super().__init__(f"In the {name!r} email, {key} must be one of {', '.join(allowed)}")
        self.key = key


@dataclass(frozen=True)
class MessageType:
    name: str
    title: str
    subject: str
    audience: str
    required: tuple[str, ...]
    sample: Mapping[str, Any] = field(default_factory=dict)
    # Keys the templates use only when present and not empty.
    optional: tuple[str, ...] = ()
    # Keys whose value picks the wording, with the values the templates know.
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Other wordings worth previewing: a short name for the address, what it shows, and the
    # sample keys it adds or changes.
    variants: Mapping[str, tuple[str, Mapping[str, Any]]] = field(default_factory=dict)
    # Keys holding a link that opens something without signing in (the family's page, a signing,
    # consent or survey page). Kept only until the message is delivered; see without_private_links.
    private_links: tuple[str, ...] = ()

    def sample_for(self, variant: str = "") -> Mapping[str, Any]:
        """The sample context, with a variant's changes when one is named; KeyError if unknown."""
        if not variant:
            return self.sample
        return {**self.sample, **self.variants[variant][1]}

    @property
    def text_template(self) -> str:
        return f"notifications/emails/{self.name}.txt"

    @property
    def html_template(self) -> str:
        return f"notifications/emails/{self.name}.html"

    def check_context(self, context: Mapping[str, Any]) -> None:
        missing = [key for key in self.required if key not in context]
        if missing:
            raise MissingContext(self.name, missing)
        for key, allowed in self.choices.items():
            if key in context and context[key] not in allowed:
                raise InvalidContext(self.name, key, allowed)


# What stands in a delivered message for a link that opened something without signing in.
LINK_REMOVED = "[link removed after sending]"

CASE_KINDS = ("advice_only", "mediation", "disagreement_resolution")

_CASE_LINK = "https://mediation.example/your-case/sample-signed-link/"
_VERIFY_URL = "https://mediation.example/verify/"

_MEETING_SAMPLE = {
    "reference": "MED-2026-000042",
    "name": "Alex Example",
    "starts_at": "2026-11-12T10:00:00+00:00",
    "ends_at": "2026-11-12T12:30:00+00:00",
    "place": "Anytown Community Centre, 4 Station Road, Anytown, AN1 3XY",
    "online_link": "",
    "reply_by": "2026-11-05",
    "access_notes": "Step-free entrance on Mill Lane. Hearing loop in the Garden Room.",
    "step_free": True,
    "what_to_bring": "Any letters from the local authority about the decision.",
}

MESSAGE_TYPES: Mapping[str, MessageType] = MappingProxyType(
    {
        message.name: message
        for message in (
            MessageType(
                name="request_received",
                title="We have your request",
                subject="We have your request (reference {{ reference }})",
                audience="The family",
                required=("reference", "name", "contact_by"),
                optional=("by_phone", "appeal_by"),
                sample={
                    "reference": "MED-2026-000042",
                    "name": "Alex Example",
                    "contact_by": "2026-10-06",
                    "appeal_by": "2026-12-01",
                },
            ),
            MessageType(
                name="case_opened",
                title="We have opened your case",
                subject="We have opened your case (reference {{ reference }})",
                audience="The family",
                private_links=("case_link",),
                required=("reference", "name", "case_link", "kind"),
                optional=("appeal_by", "adviser_call_by"),
                choices={"kind": CASE_KINDS},
                sample={
                    "reference": "MED-2026-000042",
                    "name": "Alex Example",
                    "case_link": _CASE_LINK,
                    "kind": "advice_only",
                    "appeal_by": "2026-12-01",
                    "adviser_call_by": "2026-10-13",
                },
            ),
            MessageType(
                name="advice_call_booked",
                title="Your call with a mediation adviser",
                subject=(
                    "Your call with a mediation adviser{% if previous_starts_at %} has moved{% endif %} "
                    "(reference {{ reference }})"
                ),
                audience="The family",
                private_links=("case_link",),
                required=("reference", "name", "starts_at", "adviser_name", "case_link"),
                # Present when an earlier booking changed: the email then says the call has moved.
                optional=("previous_starts_at",),
                sample={
                    "reference": "MED-2026-000042",
                    "name": "Alex Example",
                    "starts_at": "2026-11-30T10:00:00+00:00",
                    "adviser_name": "Sam Adviser",
                    "case_link": _CASE_LINK,
                },
                variants={
                    "moved": (
                        "When the call has moved",
                        {
                            "starts_at": "2026-12-01T14:30:00+00:00",
                            "previous_starts_at": "2026-11-30T10:00:00+00:00",
                        },
                    ),
                },
            ),
            MessageType(
                name="advice_call_missed",
                title="We could not reach you (an advice call)",
                subject="We could not reach you (reference {{ reference }})",
                audience="The family",
                private_links=("case_link",),
                required=("reference", "name", "tried_at", "case_link"),
                sample={
                    "reference": "MED-2026-000042",
                    "name": "Alex Example",
                    "tried_at": "2026-11-30T10:00:00+00:00",
                    "case_link": _CASE_LINK,
                },
            ),
            MessageType(
                name="certificate_issued",
                title="Your mediation certificate",
                subject="Your mediation certificate (reference {{ reference }})",
                audience="The family",
                private_links=("case_link",),
                required=(
                    "reference",
                    "name",
                    "certificate_number",
                    "issued_on",
                    "appeal_by",
                    "case_link",
                    "verification_code",
                    "verify_url",
                ),
                sample={
                    "reference": "MED-2026-000042",
                    "name": "Alex Example",
                    "certificate_number": "MC-2026-000107",
                    "issued_on": "2026-11-29",
                    "appeal_by": "2027-01-04",
                    "case_link": _CASE_LINK,
                    "verification_code": "KZ7P-M4QX-9RTB",
                    "verify_url": _VERIFY_URL,
                },
            ),
            MessageType(
                name="certificate_issued_la",
                title="A mediation certificate was issued (to the local authority)",
                subject="Mediation certificate issued (reference {{ reference }})",
                audience="The local authority",
                required=("reference", "authority_name", "certificate_number", "issued_on"),
                optional=("case_url", "verification_code", "verify_url"),
                sample={
                    "reference": "MED-2026-000042",
                    "authority_name": "Anytown Council",
                    "certificate_number": "MC-2026-000107",
                    "issued_on": "2026-11-29",
                    "case_url": "https://mediation.example/staff/cases/MED-2026-000042/",
                    "verification_code": "KZ7P-M4QX-9RTB",
                    "verify_url": _VERIFY_URL,
                },
            ),
            MessageType(
                name="dr_consent_request",
                title="Do you agree to disagreement resolution? (to an organisation)",
                subject="Do you agree to disagreement resolution? (reference {{ reference }})",
                audience="A school, college, local authority or health commissioner in the disagreement",
                private_links=("link",),
                required=("reference", "name", "link", "answer_by"),
                optional=("organisation",),
                sample={
                    "reference": "MED-2026-000042",
                    "name": "Jo Example",
                    "organisation": "Hill Top Primary School",
                    "link": "https://mediation.example/dr-consent/sample-single-purpose-link/",
                    "answer_by": "2026-11-20",
                },
            ),
            MessageType(
                name="dr_consent_refused",
                title="Disagreement resolution cannot go ahead: what you can do next",
                subject="Disagreement resolution cannot go ahead (reference {{ reference }})",
                audience="The family",
                private_links=("case_link",),
                required=("reference", "name", "case_link"),
                optional=("appeal_by",),
                sample={
                    "reference": "MED-2026-000042",
                    "name": "Alex Example",
                    "case_link": _CASE_LINK,
                    "appeal_by": "2026-12-01",
                },
            ),
            MessageType(
                name="follow_up_survey",
                title="How did it go? The follow-up survey after a case closes",
                subject="How did it go? A few questions about your case (reference {{ reference }})",
                audience="The family",
                private_links=("survey_link",),
                required=("reference", "name", "survey_link", "link_days"),
                sample={
                    "reference": "MED-2026-000042",
                    "name": "Alex Example",
                    "survey_link": "https://mediation.example/survey/sample-signed-link/",
                    "link_days": 60,
                },
            ),
            MessageType(
                name="certificate_asked",
                title="The family asked for its certificate after mediation (to staff)",
                subject="Certificate after mediation asked for (reference {{ reference }})",
                audience="The mediator and the coordinator on the case",
                required=("reference", "case_url"),
                optional=("due",),
                sample={
                    "reference": "MED-2026-000042",
                    "case_url": "https://mediation.example/staff/cases/MED-2026-000042/",
                    "due": "2026-12-08",
                },
            ),
            MessageType(
                name="access_alert",
                title="One person opened many cases within an hour (to managers)",
                subject="{{ name }} opened {{ count }} cases within an hour",
                audience="Every active manager",
                required=("name", "role", "count", "threshold", "at", "report_url"),
                sample={
                    "name": "Cora Example",
                    "role": "Case coordinator",
                    "count": 51,
                    "threshold": 50,
                    "at": "2026-12-03T14:25:00+00:00",
                    "report_url": "https://mediation.example/staff/access/7/",
                },
            ),
            MessageType(
                name="deadline_digest",
                title="Deadlines to act on (daily reminder)",
                subject="Your deadlines: {{ overdue|length }} overdue, {{ due_soon|length }} due soon",
                audience="Staff assigned to cases",
                required=("name", "today", "overdue", "due_soon"),
                sample={
                    "name": "Cora Example",
                    "today": "2026-12-21",
                    "overdue": [
                        {
                            "case_reference": "MED-2026-000031",
                            "label": "Issue the certificate after advice",
                            "due": "2026-12-18",
                            "case_url": "https://mediation.example/staff/cases/MED-2026-000031/",
                        }
                    ],
                    "due_soon": [
                        {
                            "case_reference": "MED-2026-000042",
                            "label": "Hold the mediation",
                            "due": "2026-12-23",
                            "case_url": "https://mediation.example/staff/cases/MED-2026-000042/",
                        }
                    ],
                },
            ),
            MessageType(
                name="meeting_invitation",
                title="Invitation to a mediation meeting",
                subject=(
                    "{% if updated %}Changed: m{% else %}M{% endif %}ediation meeting"
                    " (reference {{ reference }})"
                ),
                audience="Everyone invited to the meeting",
                required=("reference", "name", "starts_at", "ends_at"),
                optional=(
                    "place",
                    "online_link",
                    "reply_by",
                    "updated",
                    "access_notes",
                    "step_free",
                    "by_phone",
                    "what_to_bring",
                ),
                sample={**_MEETING_SAMPLE, "updated": False},
                variants={
                    "changed": ("The meeting has moved", {"updated": True}),
                    "online": (
                        "An online meeting",
                        {"place": "Online (video call)", "online_link": "https://meet.example/sample"},
                    ),
                },
            ),
            MessageType(
                name="meeting_reminder",
                title="Reminder of a mediation meeting",
                subject="Reminder: mediation meeting (reference {{ reference }})",
                audience="Everyone invited to the meeting, 2 working days before it",
                required=("reference", "name", "starts_at", "ends_at"),
                optional=("place", "online_link", "access_notes", "step_free", "by_phone", "what_to_bring"),
                sample=_MEETING_SAMPLE,
            ),
            MessageType(
                name="meeting_cancelled",
                title="A mediation meeting is cancelled",
                subject="Cancelled: mediation meeting (reference {{ reference }})",
                audience="Everyone invited to the meeting",
                required=("reference", "name", "starts_at"),
                sample=_MEETING_SAMPLE,
            ),
            MessageType(
                name="agreement_signature_request",
                title="Please sign the mediation agreement",
                subject=(
                    "{% if changed %}Changed: p{% else %}P{% endif %}lease sign the mediation agreement"
                    " (reference {{ reference }})"
                ),
                audience="Everybody who signs the agreement",
                private_links=("sign_link",),
                required=("reference", "name", "sign_link", "expires_on"),
                optional=("changed",),
                sample={
                    "reference": "MED-2026-000042",
                    "name": "Alex Example",
                    "sign_link": "https://mediation.example/sign/sample-single-use-link/",
                    "expires_on": "2026-11-25",
                    "changed": False,
                },
                variants={"changed": ("After the agreement changed", {"changed": True})},
            ),
            MessageType(
                name="agreement_signatures_voided",
                title="The mediation agreement changed",
                subject="The mediation agreement changed: please sign again (reference {{ reference }})",
                audience="Everybody who was asked to sign the agreement",
                required=("reference", "name"),
                optional=("signed",),
                sample={"reference": "MED-2026-000042", "name": "Alex Example", "signed": True},
            ),
            MessageType(
                name="agreement_signed_copy",
                title="Your copy of the signed mediation agreement",
                subject="Your copy of the signed mediation agreement (reference {{ reference }})",
                audience="Everybody who signed the agreement",
                private_links=("case_link",),
                required=("reference", "name", "signed_on", "sha256", "verify_url"),
                optional=("case_link",),
                sample={
                    "reference": "MED-2026-000042",
                    "name": "Alex Example",
                    "signed_on": "2026-11-13",
                    "sha256": "9f2c" * 16,
                    "verify_url": _VERIFY_URL,
                    "case_link": _CASE_LINK,
                },
            ),
            MessageType(
                name="family_link_reissued",
                title="A new link to your case (the old one no longer works)",
                subject="A new link to see your case (reference {{ reference }})",
                audience="The family",
                private_links=("case_link",),
                required=("reference", "name", "case_link"),
                sample={
                    "reference": "MED-2026-000042",
                    "name": "Alex Example",
                    "case_link": _CASE_LINK,
                },
            ),
        )
    }
)


def without_private_links(
    template: str,
    context: Mapping[str, Any],
    placeholder: str = LINK_REMOVED,
    *,
    named: Mapping[str, str] = MappingProxyType({}),
) -> dict[str, Any]:
    """The context with each private link still in it replaced by ``placeholder`` (or by the
    placeholder ``named`` gives for its key). A link already removed after sending stays so."""
    kind = MESSAGE_TYPES.get(template)
    keys = kind.private_links if kind is not None else ()
    return {
        key: named.get(key, placeholder) if key in keys and value and value != LINK_REMOVED else value
        for key, value in context.items()
    }


def message_type(name: str) -> MessageType:
    try:
        return MESSAGE_TYPES[name]
    except KeyError:
        raise UnknownMessageType(name) from None
