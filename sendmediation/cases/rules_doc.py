"""The statutory rules and the events that move them, in words, for ``docs/statutory-rules.md``.

The document's tables are this module's output, and a test keeps the two the same, so the
documentation cannot say something the code does not do.
"""

from __future__ import annotations

from sendmediation.cases import deadlines
from sendmediation.cases.models import CaseEvent
from sendmediation.statutory.rules import RULES

BEGIN = "<!-- generated: rules -->"
END = "<!-- end generated -->"


def _events(triggers: tuple[deadlines.On, ...]) -> str:
    labels = []
    for trigger in triggers:
        label = str(CaseEvent.Kind(trigger.event).label)
        labels.append(f"{label}: {trigger.words}" if trigger.words else label)
    return "; ".join(labels) or "—"


def rules_markdown() -> str:
    lines = [
        BEGIN,
        "",
        "| code | what | binds | starts from | period | source |",
        "|---|---|---|---|---|---|",
    ]
    for code, rule in RULES.items():
        lines.append(
            f"| `{code}` | {rule.label} | {rule.binds.value.replace('_', ' ')} | {rule.starts_from} | "
            f"{rule.period} | {rule.source} |"
        )
    lines += [
        "",
        "What starts, meets and stops each date on a case (`sendmediation/cases/deadlines.py`, `CLOCKS`):",
        "",
        "| code | started by | met by | stopped by |",
        "|---|---|---|---|",
    ]
    for code, clock in deadlines.CLOCKS.items():
        started = (
            "the case's facts: the decision letter's date" if clock.from_facts else _events(clock.starts)
        )
        if clock.note and not clock.starts:
            started = clock.note.rstrip(".")
        met = _events(clock.meets)
        if code == "contact_adviser_by":
            met = "the family getting in touch with us (the day the case was received)"
        lines.append(f"| `{code}` | {started} | {met} | {_events(clock.stops)} |")
    closing = ", ".join(str(CaseEvent.Kind(kind).label).lower() for kind in deadlines.STOPS_ALL)
    lines += [
        "",
        f"Every running date also stops when the case is {closing.replace(', ', ' or ')}, and runs again "
        "when it is reopened. A date met after it was due keeps how many working days late it was.",
        "",
        END,
    ]
    return "\n".join(lines)
