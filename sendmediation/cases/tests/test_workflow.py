"""Every action from every status, and by every role: allowed where the table says, refused elsewhere."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.agreements import services as agreements
from sendmediation.cases import deadlines, services, workflow
from sendmediation.cases.errors import ActionNotPermitted, CaseNotVisible, TransitionNotAllowed
from sendmediation.cases.models import Case, CaseEvent, Certificate, Party
from sendmediation.cases.tests.builders import (
    ANY_KIND,
    MEETING_ARRANGED_AT,
    MEETING_LINK,
    MEETING_STARTS_AT,
    ROUTES,
    case_in,
)
from sendmediation.common.tests.files import pdf_saying
from sendmediation.meetings import services as meetings
from sendmediation.statutory.services import base_calendar

pytestmark = pytest.mark.django_db

Status = Case.Status


def _certificate_kind(case):
    if case.status == Status.MEDIATION_NOT_ARRANGED:
        return Certificate.Kind.NOT_ARRANGED
    if case.status == Status.MEDIATION_HELD:
        return Certificate.Kind.AFTER_MEDIATION
    return Certificate.Kind.AFTER_ADVICE


def _la_duty(actor, case, personas):
    deadlines.start_deadline(
        case, "agreement_non_appealable", datetime.date(2026, 11, 2), calendar=base_calendar()
    )
    return services.record_la_duty(
        actor=actor,
        case=case,
        rule="agreement_non_appealable",
        on=datetime.date(2026, 11, 10),
        how="email",
        person="Sam Lee, SEND team",
        calendar=base_calendar(),
    )


def _revoke(actor, case, personas):
    certificate = case.certificates.order_by("-id").first() or Certificate(pk=0)
    return services.revoke_certificate(
        actor=actor, case=case, certificate=certificate, reason="Issued against the wrong decision"
    )


def _close(actor, case, personas):
    outcomes = workflow.close_outcomes(case) or ["other"]
    # "Agreement reached" needs a signed agreement, which these probes do not make.
    fitting = [outcome for outcome in outcomes if outcome != "agreement_reached"] or outcomes
    return services.close_case(actor=actor, case=case, outcome=fitting[0])


def _override(actor, case, personas):
    row = deadlines.start_deadline(
        case, "agreement_non_appealable", datetime.date(2026, 11, 2), calendar=base_calendar()
    )
    return services.record_agreed_override(
        actor=actor,
        case=case,
        deadline=row,
        agreed_date=datetime.date(2026, 12, 1),
        note="Signed agreement, item 2",
    )


def _ready_to_sign(actor, case, personas):
    """Everything sending for signature needs besides the status and the role: the agreement
    written down, the mediator assigned, the authority's representative with authority to settle
    and an email for every party who signs. Nothing is set up for someone the table refuses."""
    if not workflow.is_allowed("send_for_signature", case=case, user=actor):
        return
    if not case.events.filter(kind__in=[CaseEvent.Kind.MEDIATION_HELD, CaseEvent.Kind.DR_MEETING_HELD]):
        return
    services.assign(
        actor=personas.manager,
        case=case,
        coordinator=case.coordinator,
        adviser=case.adviser,
        mediator=personas.mediator,
    )
    if not case.parties.filter(role=Party.Role.LA_OFFICER, has_authority_to_settle=True).exists():
        services.add_party(
            actor=personas.manager,
            case=case,
            role="la_officer",
            name="Sam Lee",
            email="sam.lee@council.example",
            has_authority_to_settle=True,
        )
    Party.objects.filter(case=case, email="").update(email="party@example.org")
    agreements.record_agreement(actor=personas.manager, case=case, items=AGREEMENT_ITEMS)
    case.refresh_from_db()


AGREEMENT_ITEMS = [{"what": "Carry out the assessment", "who": "The local authority", "by": None}]


def _send_for_signature(actor, case, personas):
    _ready_to_sign(actor, case, personas)
    return agreements.send_for_signature(actor=actor, case=case)


def _wet_signature(actor, case, personas):
    _ready_to_sign(actor, case, personas)
    agreement = agreements.agreement_for(case)
    if agreement is not None:
        agreements.send_for_signature(actor=actor, case=case)
    first = agreement.current_requests().first() if agreement is not None else None
    signatory = first.pk if first is not None else 0
    return agreements.record_wet_signature(
        actor=actor,
        case=case,
        signatory=signatory,
        signed_on=timezone.localdate(),
        scan=SimpleUploadedFile("signed.pdf", pdf_saying(b"signed"), content_type="application/pdf"),
    )


# One valid call per action; the arguments are right, so only the table can refuse it.
def _lift_hold(actor, case, p):
    Case.objects.filter(pk=case.pk).update(legal_hold=True)
    case.refresh_from_db()
    return services.lift_legal_hold(actor=actor, case=case, reason="The claim was settled")


PROBES = {
    "triage": lambda actor, case, p: services.triage(actor=actor, case=case),
    "book_advice": lambda actor, case, p: services.book_advice(
        actor=actor, case=case, adviser=p.adviser, booked_for=timezone.now() + datetime.timedelta(days=2)
    ),
    "record_advice_outcome": lambda actor, case, p: services.record_advice_outcome(
        actor=actor, case=case, outcome="declines_mediation", calendar=base_calendar()
    ),
    "request_mediation": lambda actor, case, p: services.request_mediation(
        actor=actor, case=case, calendar=base_calendar()
    ),
    "notify_la": lambda actor, case, p: services.notify_la(
        actor=actor, case=case, how="phone", person="Sam Lee, SEND team"
    ),
    "record_mediation_not_arranged": lambda actor, case, p: services.record_mediation_not_arranged(
        actor=actor,
        case=case,
        how="email",
        person="Sam Lee, SEND team",
        reason="No room free",
        calendar=base_calendar(),
    ),
    "record_mediation_held": lambda actor, case, p: services.record_mediation_held(
        actor=actor,
        case=case,
        held_on=timezone.localdate(),
        how="email",
        person="Sam Lee, SEND team",
        calendar=base_calendar(),
    ),
    "revoke_certificate": _revoke,
    "record_la_duty": _la_duty,
    "issue_certificate": lambda actor, case, p: services.issue_certificate(
        actor=actor, case=case, kind=_certificate_kind(case), calendar=base_calendar()
    ),
    "seek_dr_consent": lambda actor, case, p: services.seek_dr_consent(actor=actor, case=case),
    "record_dr_consent": lambda actor, case, p: services.record_dr_consent(
        actor=actor, case=case, party=case.parties.get(role=Party.Role.PARENT), consent="yes"
    ),
    "close_case": _close,
    "withdraw_case": lambda actor, case, p: services.withdraw_case(
        actor=actor, case=case, reason="Asked to stop"
    ),
    "reopen_case": lambda actor, case, p: services.reopen_case(actor=actor, case=case, reason="Called back"),
    "update_details": lambda actor, case, p: services.update_details(
        actor=actor,
        case=case,
        child_first_name="Amira",
        child_last_name=case.child_last_name,
        child_date_of_birth=case.child_date_of_birth,
        postcode=case.postcode,
        local_authority=case.local_authority,
        decisions=case.decisions,
        decision_letter_sent=case.decision_letter_sent,
        issues_education=True,
        issues_health=False,
        issues_social_care=False,
    ),
    "assign": lambda actor, case, p: services.assign(
        actor=actor, case=case, coordinator=p.coordinator, adviser=p.adviser, mediator=p.mediator
    ),
    "add_party": lambda actor, case, p: services.add_party(
        actor=actor, case=case, role=Party.Role.SUPPORTER, name="Dee Advocate"
    ),
    "add_document": lambda actor, case, p: services.add_document(
        actor=actor,
        case=case,
        upload=SimpleUploadedFile("report.pdf", pdf_saying(b"report"), content_type="application/pdf"),
        name="Report",
        kind="evidence",
    ),
    "record_agreed_override": lambda actor, case, p: _override(actor, case, p),
    "add_note": lambda actor, case, p: services.add_note(
        actor=actor, case=case, text="Prefers calls after 3pm"
    ),
    "arrange_meeting": lambda actor, case, p: meetings.arrange_meeting(
        actor=actor,
        case=case,
        starts_at=MEETING_STARTS_AT,
        minutes=120,
        format="online",
        online_link=MEETING_LINK,
        mediator=p.mediator,
        now=MEETING_ARRANGED_AT,
    ),
    "change_meeting": lambda actor, case, p: meetings.change_meeting(
        actor=actor, case=case, minutes=120, now=MEETING_ARRANGED_AT
    ),
    "cancel_meeting": lambda actor, case, p: meetings.cancel_meeting(
        actor=actor, case=case, reason="The mediator is ill", now=MEETING_ARRANGED_AT
    ),
    "record_meeting_held": lambda actor, case, p: meetings.record_meeting_held(
        actor=actor,
        case=case,
        la_attended=True,
        la_could_settle=True,
        outcome="partial_agreement",
        now=MEETING_STARTS_AT + datetime.timedelta(hours=3),
    ),
    "record_agreement": lambda actor, case, p: agreements.record_agreement(
        actor=actor, case=case, items=AGREEMENT_ITEMS
    ),
    "send_for_signature": _send_for_signature,
    "record_wet_signature": _wet_signature,
    "place_legal_hold": lambda actor, case, p: services.place_legal_hold(
        actor=actor, case=case, reason="A claim has been made"
    ),
    "lift_legal_hold": _lift_hold,
    "correct_details": lambda actor, case, p: services.correct_details_on_request(
        actor=actor, case=case, reason="The parent phoned: the name was misspelt", child_first_name="Amira"
    ),
    "erase_case": lambda actor, case, p: services.erase_case_on_request(
        actor=actor, case=case, reason="The parent asked by email"
    ),
    "revoke_family_link": lambda actor, case, p: services.revoke_family_link(
        actor=actor, case=case, reason="The parent thinks someone else read the email"
    ),
    "reissue_family_link": lambda actor, case, p: services.reissue_family_link(
        actor=actor, case=case, reason="The parent asked for a new link"
    ),
}

PROBED_ACTIONS = list(workflow.ACTIONS)


def test_every_action_in_the_table_has_a_probe():
    assert set(PROBES) == set(workflow.ACTIONS)


def test_every_status_is_reachable_and_every_action_can_happen_from_some_status():
    assert set(ROUTES) == set(Status)
    for action in workflow.ACTIONS.values():
        assert action.sources, action.name
        assert action.roles, action.name


def _allowed_from(action: workflow.Action, case: Case) -> bool:
    if case.status not in action.sources or case.kind not in action.kinds:
        return False
    if action.name == "issue_certificate":
        return case.status in workflow.CERTIFICATE_KINDS[_certificate_kind(case)].sources
    if action.name in ("record_agreement", "send_for_signature", "record_wet_signature"):
        # An agreement is written at a meeting: the route to "certificate issued" holds none.
        held = (CaseEvent.Kind.MEDIATION_HELD, CaseEvent.Kind.DR_MEETING_HELD)
        return case.events.filter(kind__in=held).exists()
    return True


STATES = [(status, ROUTES[status][0]) for status in Status if status not in ANY_KIND] + [
    (status, kind) for status in ANY_KIND for kind in Case.Kind
]


@pytest.mark.parametrize(("status", "kind"), STATES)
@pytest.mark.parametrize("name", PROBED_ACTIONS)
def test_each_action_from_each_status(personas, name, status, kind):
    case = case_in(personas, status, kind=kind)
    # Advisers and mediators must be on the case to see it; the manager may do every action.
    if case.is_open:
        services.assign(
            actor=personas.manager, case=case, coordinator=None, adviser=personas.adviser, mediator=None
        )
    case.refresh_from_db()
    action = workflow.ACTIONS[name]
    events_before = CaseEvent.objects.filter(case=case).count()
    if _allowed_from(action, case):
        PROBES[name](personas.manager, case, personas)
        case.refresh_from_db()
        if action.targets:
            assert case.status in action.targets
        else:
            assert case.status == status
        assert CaseEvent.objects.filter(case=case, kind=action.event).exists()
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            PROBES[name](personas.manager, case, personas)
        assert refused.value.message.startswith(f"Cannot {action.verb.split(' (')[0]}")
        case.refresh_from_db()
        assert case.status == status
        assert CaseEvent.objects.filter(case=case).count() == events_before


def _first_source(action: workflow.Action) -> tuple[str, str]:
    preferred = [
        (status, kind)
        for status, kind in STATES
        if status in action.sources
        and kind in action.kinds
        and (action.name != "issue_certificate" or status == Status.ADVICE_GIVEN)
    ]
    return preferred[0]


ROLES = ["coordinator", "adviser", "mediator", "manager", "la_officer", "other_la_officer"]


def _roles(action: workflow.Action, case: Case) -> frozenset[str]:
    """Who may do it here: for a certificate, who may issue (or revoke) that kind."""
    if action.name == "issue_certificate":
        return workflow.CERTIFICATE_KINDS[_certificate_kind(case)].roles
    if action.name == "revoke_certificate":
        return workflow.CERTIFICATE_KINDS[case.certificates.get().kind].roles
    return action.roles


def _authority_takes_part(case: Case) -> bool:
    """Whether the authority's own officer sees the case at all (docs/access.md), written out again."""
    if case.kind == Case.Kind.MEDIATION:
        return case.events.filter(kind__in=["la_notified", "mediation_not_arranged"]).exists()
    if case.kind == Case.Kind.DISAGREEMENT_RESOLUTION:
        return case.parties.filter(role="la_officer").exists()
    return False


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("name", PROBED_ACTIONS)
def test_each_action_by_each_role(personas, name, who):
    action = workflow.ACTIONS[name]
    status, kind = _first_source(action)
    case = case_in(personas, status, kind=kind)
    if case.is_open:
        services.assign(
            actor=personas.manager,
            case=case,
            coordinator=None,
            adviser=personas.adviser,
            mediator=personas.mediator,
        )
    else:  # a closed case keeps who it had; put the adviser and mediator on it directly for this test
        Case.objects.filter(pk=case.pk).update(adviser=personas.adviser, mediator=personas.mediator)
    case.refresh_from_db()
    actor = getattr(personas, who)
    events_before = CaseEvent.objects.filter(case=case).count()
    if who == "other_la_officer" or (who == "la_officer" and not _authority_takes_part(case)):
        with pytest.raises(CaseNotVisible):
            PROBES[name](actor, case, personas)
    elif actor.role in _roles(action, case):
        PROBES[name](actor, case, personas)
        assert CaseEvent.objects.filter(case=case).count() > events_before
    else:
        with pytest.raises(ActionNotPermitted) as refused:
            PROBES[name](actor, case, personas)
        assert "may not do this" in refused.value.message
        assert CaseEvent.objects.filter(case=case).count() == events_before


def test_the_refusal_names_the_action_and_the_status(personas):
    case = case_in(personas, Status.RECEIVED)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.issue_certificate(actor=personas.manager, case=case, calendar=base_calendar())
    assert refused.value.message == "Cannot issue a certificate: the case is 'received'"


def test_an_adviser_not_on_the_case_cannot_see_it_to_change_it(personas):
    case = case_in(personas, Status.ADVICE_GIVEN)
    other = User.objects.create_user(username="other-adviser", role=User.Role.ADVISER)
    with pytest.raises(CaseNotVisible):
        services.issue_certificate(actor=other, case=case, calendar=base_calendar())


def test_a_mediator_cannot_issue_a_certificate_after_advice(personas):
    case = case_in(personas, Status.ADVICE_GIVEN)
    services.assign(
        actor=personas.coordinator,
        case=case,
        coordinator=None,
        adviser=personas.adviser,
        mediator=personas.mediator,
    )
    with pytest.raises(ActionNotPermitted):
        services.issue_certificate(actor=personas.mediator, case=case, calendar=base_calendar())


def test_allowed_actions_follow_the_table(personas):
    case = case_in(personas, Status.RECEIVED)
    names = [action.name for action in workflow.allowed_actions(case, personas.coordinator)]
    assert names[0] == "triage"
    assert "issue_certificate" not in names
    # An officer records the authority's duties done, and nothing else; the case page offers even
    # that only once the authority has a date to meet on a case its officers can see.
    assert [action.name for action in workflow.allowed_actions(case, personas.la_officer)] == [
        "record_la_duty"
    ]


def test_reopening_returns_to_the_status_before(personas):
    case = case_in(personas, Status.LA_NOTIFIED)
    services.withdraw_case(actor=personas.coordinator, case=case, reason="No reply from the family")
    assert case.status == Status.WITHDRAWN
    services.reopen_case(actor=personas.coordinator, case=case, reason="The family called back")
    assert case.status == Status.LA_NOTIFIED
    assert case.closed_on is None
    kinds = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == [CaseEvent.Kind.WITHDRAWN, CaseEvent.Kind.REOPENED]
    assert (
        CaseEvent.objects.filter(case=case, kind="reopened").get().data["reason"] == "The family called back"
    )
