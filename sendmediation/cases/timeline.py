"""Plain-English lines for the case timeline, from CaseEvent rows."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from sendmediation.cases.models import AdviceCall, AuthorityContact, Case, CaseEvent, Certificate, Party
from sendmediation.common.clock_times import format_clock_time
from sendmediation.statutory.calendar import format_date
from sendmediation.statutory.rules import RULES


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _date(value: Any) -> str:
    if not value:
        return ""
    try:
        return format_date(datetime.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


def _when(value: Any) -> str:
    """Mon 30 Nov 2026 at 2:30pm, from a stored ISO date and time."""
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    if moment.tzinfo is not None:
        moment = timezone.localtime(moment)
    return f"{format_date(moment.date())} at {format_clock_time(moment)}"


def _status_change(data: dict[str, Any]) -> str:
    if "from" in data and "to" in data and data["from"] != data["to"]:
        before, after = _label(Case.Status, data["from"]).lower(), _label(Case.Status, data["to"]).lower()
        return f"The case moved from {before} to {after}."
    return ""


def title(event: CaseEvent) -> str:
    """The event's heading: what kind of thing happened."""
    data: dict[str, Any] = event.data or {}
    if event.kind == CaseEvent.Kind.ADVICE_BOOKED and (
        data.get("previous_booked_for") or data.get("previous_adviser")
    ):
        return "Advice call changed"
    return str(event.get_kind_display())


def describe(event: CaseEvent) -> str:
    """One or two sentences saying what happened, with no personal details."""
    data: dict[str, Any] = event.data or {}
    kind = event.kind
    lines: list[str] = []
    if kind == CaseEvent.Kind.OPENED:
        lines.append(f"From request {data['request']}." if data.get("request") else "Keyed in by staff.")
    elif kind == CaseEvent.Kind.TRIAGED:
        lines.append(f"{_label(Case.Kind, data.get('kind'))}.")
    elif kind == CaseEvent.Kind.ADVICE_BOOKED:
        adviser = (data.get("adviser") or {}).get("name", "")
        with_whom = f" with {adviser}" if adviser else ""
        if data.get("previous_booked_for"):
            lines.append(
                f"Call moved from {_when(data['previous_booked_for'])} to {_when(data.get('booked_for'))}"
                f"{with_whom}."
            )
        elif data.get("booked_for"):
            lines.append(f"Call on {_when(data['booked_for'])}{with_whom}.")
        else:
            lines.append(f"Call booked{with_whom}.")
        if data.get("previous_adviser"):
            lines.append(f"The adviser was {data['previous_adviser'].get('name', '')}.")
    elif kind == CaseEvent.Kind.ADVICE_CALL_MISSED:
        lines.append(
            f"Tried to phone the family on {_date(data.get('tried_at'))}; no answer. They were emailed."
        )
    elif kind == CaseEvent.Kind.ADVICE_GIVEN:
        lines.append(f"{_label(AdviceCall.Outcome, data.get('outcome'))}.")
    elif kind == CaseEvent.Kind.MEDIATION_REQUESTED:
        started = ", ".join(RULES[code].label.lower() for code in data.get("deadlines", []) if code in RULES)
        lines.append(f"Clock started: {started}." if started else "")
    elif kind == CaseEvent.Kind.CERTIFICATE_ISSUED:
        kind_label = _label(Certificate.Kind, data.get("certificate_kind")).lower()
        lines.append(f"Certificate {data.get('certificate')} ({kind_label}).")
        if data.get("replaces"):
            lines.append(f"It replaces certificate {data['replaces']}, which was revoked.")
        if data.get("appeal_by"):
            lines.append(f"Appeal by {_date(data['appeal_by'])}.")
        lines.append(
            "Emailed to the family." if data.get("family_emailed") else "Not emailed: no email address."
        )
    elif kind in (
        CaseEvent.Kind.LA_NOTIFIED,
        CaseEvent.Kind.MEDIATION_NOT_ARRANGED,
        CaseEvent.Kind.MEDIATION_HELD,
    ):
        day = data.get("notified_on") or data.get("told_on") or data.get("held_on")
        how = _label(AuthorityContact.How, data.get("how")).lower() if data.get("how") else ""
        what = {
            CaseEvent.Kind.LA_NOTIFIED.value: "Told",
            CaseEvent.Kind.MEDIATION_NOT_ARRANGED.value: "The local authority said so",
            CaseEvent.Kind.MEDIATION_HELD.value: "Held",
        }[str(kind)]
        lines.append(f"{what} on {_date(day)}{f' (by {how})' if how else ''}." if day else "")
    elif kind == CaseEvent.Kind.LA_DUTY_DONE:
        rule = RULES.get(data.get("rule", ""))
        how = _label(AuthorityContact.How, data.get("how")).lower() if data.get("how") else ""
        lines.append(
            f"{rule.label if rule else data.get('rule')}: done on {_date(data.get('on'))} (told by {how})."
        )
    elif kind == CaseEvent.Kind.CERTIFICATE_REVOKED:
        lines.append(f"Certificate {data.get('certificate')} revoked. Reason: {data.get('reason', '')}")
    elif kind == CaseEvent.Kind.DR_CONSENT_REOPENED:
        lines.append(
            f"{_label(Party.Role, data.get('party_role'))} added after everyone had agreed: "
            "their answer is needed."
        )
    elif kind == CaseEvent.Kind.DR_CONSENT_RECORDED:
        answer = "agreed" if data.get("consent") == Party.Consent.YES else "refused"
        via = ""
        if data.get("via") == "link":
            via = " through their link"
        elif data.get("how"):
            via = f" ({_label(Party.AnswerHow, data.get('how')).lower()})"
        lines.append(f"{_label(Party.Role, data.get('party_role'))} {answer}{via}.")
        if "family_emailed" in data:
            lines.append(
                "The family was emailed what they can do next."
                if data["family_emailed"]
                else "The family has no email address: tell them what they can do next."
            )
    elif kind == CaseEvent.Kind.DR_CONSENT_LINK_SENT:
        until = f", working until {_date(data['expires_on'])}" if data.get("expires_on") else ""
        lines.append(f"{_label(Party.Role, data.get('party_role'))} sent a link to answer{until}.")
    elif kind in (CaseEvent.Kind.WITHDRAWN, CaseEvent.Kind.REOPENED):
        # An anonymised case's history no longer holds the reason staff gave.
        lines.append(f"Reason: {data['reason']}" if data.get("reason") else "")
    elif kind == CaseEvent.Kind.FAMILY_LINK_REVOKED:
        lines.append("Every link sent to the family so far no longer works.")
        lines.append(f"Reason: {data['reason']}" if data.get("reason") else "")
    elif kind == CaseEvent.Kind.FAMILY_LINK_REISSUED:
        count = len(data.get("sent_to", []))
        lines.append(f"Emailed to {count} family contact{'s' if count != 1 else ''}.")
    elif kind in (CaseEvent.Kind.LEGAL_HOLD_PLACED, CaseEvent.Kind.LEGAL_HOLD_LIFTED):
        lines.append(f"Reason: {data['reason']}" if data.get("reason") else "")
    elif kind == CaseEvent.Kind.DETAILS_CORRECTED:
        lines.append(
            "Corrected: " + ", ".join(name.replace("_", " ") for name in data.get("fields", [])) + "."
        )
        lines.append(f"Reason: {data['reason']}" if data.get("reason") else "")
    elif kind == CaseEvent.Kind.ANONYMISED:
        lines.append(
            "Erased because it was asked for." if data.get("on_request") else "Under the retention schedule."
        )
        lines.append(f"Reason: {data['reason']}" if data.get("reason") else "")
    elif kind == CaseEvent.Kind.CLOSED:
        lines.append(f"Outcome: {_label(Case.Outcome, data.get('outcome')).lower()}.")
    elif kind == CaseEvent.Kind.ASSIGNED:
        for slot in ("coordinator", "adviser", "mediator"):
            if slot in data:
                person = data[slot]
                lines.append(f"{slot.capitalize()}: {person['name'] if person else 'nobody'}.")
    elif kind == CaseEvent.Kind.PARTY_ADDED:
        lines.append(f"{_label(Party.Role, data.get('party_role'))}.")
        if data.get("contact_shared_with_la"):
            lines.append("They agreed to share their email and phone with the local authority.")
    elif kind == CaseEvent.Kind.OVERRIDE_AGREED:
        rule = RULES.get(data.get("rule", ""))
        lines.append(
            f"{rule.label if rule else data.get('rule')}: agreed {_date(data.get('agreed'))} "
            f"instead of {_date(data.get('statutory_due'))}."
        )
    elif kind == CaseEvent.Kind.DETAILS_CHANGED:
        lines.append("Changed: " + ", ".join(name.replace("_", " ") for name in data.get("fields", [])) + ".")
    elif kind == CaseEvent.Kind.DUPLICATE_REQUEST:
        lines.append(f"Request {data.get('request')} was for this child.")
    elif kind == CaseEvent.Kind.DEADLINES_RECALCULATED:
        change = "added" if data.get("added") else "removed"
        lines.append(f"A one-off bank holiday on {_date(data.get('holiday'))} was {change}.")
        for move in data.get("moved", []):
            label = RULES[move["rule"]].label if move.get("rule") in RULES else move.get("rule", "")
            lines.append(f"{label}: {_date(move.get('from'))} is now {_date(move.get('to'))}.")
    lines.append(_status_change(data))
    return " ".join(line for line in lines if line)


def format_moment(moment: datetime.datetime) -> str:
    """Mon 30 Nov 2026 at 2:30pm, in the service's time zone."""
    return _when(moment.isoformat())
