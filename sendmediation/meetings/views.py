"""Staff pages for arranging, changing, cancelling and recording meetings.

Each page is a small form and one call to a service in ``sendmediation.meetings.services``; the
service's complaint is shown beside the field it names, with the error summary above the form.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import SERVICE_STAFF, can_arrange, is_service_staff
from sendmediation.cases import workflow
from sendmediation.cases.errors import (
    ActionNotPermitted,
    CaseNotVisible,
    CaseworkError,
    InvalidChange,
    MeetingClash,
)
from sendmediation.cases.models import Case
from sendmediation.cases.queries import get_case_or_404
from sendmediation.localities.models import LocalAuthority
from sendmediation.meetings import availability, services, working_pattern
from sendmediation.meetings.diary import create_feed, has_feed, stop_feed
from sendmediation.meetings.diary import entries as diary_entries
from sendmediation.meetings.diary import feed as diary_feed_calendar
from sendmediation.meetings.forms import (
    CancelForm,
    FamilyAvailabilityForm,
    HeldForm,
    LeaveForm,
    MeetingForm,
    WorkingPatternForm,
)
from sendmediation.meetings.scheduling.accept import Proposal, accept_proposals, propose_schedule
from sendmediation.meetings.scheduling.from_database import aware, waiting_cases
from sendmediation.meetings.scheduling.problem import Placement

# Where a service's complaint about an argument shows on the form.
FIELDS = {"starts_at": "day", "minutes_taken": "minutes_taken"}

Make = Callable[[HttpRequest, Case, Any], forms.Form]
Perform = Callable[[HttpRequest, Case, Any], str]


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _page(
    request: HttpRequest,
    reference: str,
    *,
    action: str,
    make: Make,
    perform: Perform,
    button: str,
    template: str = "meetings/meeting_form.html",
    extra: Callable[[Case], dict[str, Any]] | None = None,
) -> HttpResponse:
    case = get_case_or_404(request.user, reference)
    definition = workflow.ACTIONS[action]
    if not workflow.role_allows(definition, request.user):
        raise PermissionDenied(f"You cannot {definition.verb}")
    form = make(request, case, request.POST if request.method == "POST" else None)
    problem = ""
    not_arranged_url = ""
    if request.method == "POST" and form.is_valid():
        try:
            message = perform(request, case, form)
        except CaseNotVisible:
            raise Http404("Case not found") from None
        except ActionNotPermitted as refused:
            raise PermissionDenied(refused.message) from None
        except (InvalidChange, MeetingClash) as refused:
            name = FIELDS.get(refused.field, refused.field)
            form.add_error(name if name in form.fields else None, refused.message)
            if isinstance(refused, services.OutsideMediationWindow) and workflow.is_allowed(
                refused.action, case=case, user=request.user
            ):
                not_arranged_url = reverse("cases:case_action", args=[case.reference, refused.action])
        except CaseworkError as refused:
            problem = refused.message
        else:
            messages.success(request, message)
            return redirect("cases:case_detail", case.reference)
    status = 200
    if not workflow.is_allowed(action, case=case, user=request.user) and not problem:
        problem = f"You cannot {definition.verb} now: the case is '{case.get_status_display().lower()}'"
        status = 409 if request.method == "POST" else 200
    elif problem:
        status = 409
    return render(
        request,
        template,
        {
            "nav": "cases",
            "can_triage": can_arrange(request.user),
            "case": case,
            "label": workflow.label_for(definition, case),
            "form": form,
            "button": button,
            "problem": problem,
            "not_arranged_url": not_arranged_url,
            "meeting": services.current_meeting(case),
            **(extra(case) if extra is not None else {}),
        },
        status=status,
    )


def _meeting_form(*, changing: bool) -> Make:
    def make(request: HttpRequest, case: Case, data: Any) -> forms.Form:
        meeting = services.current_meeting(case) if changing else None
        return MeetingForm(
            data,
            venues=services.venues_near(case),
            initial=MeetingForm.initial_for(case, meeting),
            now=timezone.now(),
        )

    return make


def _arrange(request: HttpRequest, case: Case, form: Any) -> str:
    services.arrange_meeting(actor=_actor(request), case=case, **form.arrangement())
    return "Meeting arranged: everyone invited has been emailed"


def _change(request: HttpRequest, case: Case, form: Any) -> str:
    services.change_meeting(actor=_actor(request), case=case, **form.arrangement())
    return "Meeting changed: everyone invited has been emailed the new details"


def _cancel(request: HttpRequest, case: Case, form: Any) -> str:
    services.cancel_meeting(actor=_actor(request), case=case, reason=form.cleaned_data["reason"])
    return "Meeting cancelled: everyone invited has been told"


def _held(request: HttpRequest, case: Case, form: Any) -> str:
    services.record_meeting_held(actor=_actor(request), case=case, **form.facts())
    return "Recorded that the meeting was held"


def _plain(form_class: type[forms.Form]) -> Make:
    def make(request: HttpRequest, case: Case, data: Any) -> forms.Form:
        return form_class(data) if data is not None else form_class()

    return make


def _family_postcode(case: Case) -> dict[str, Any]:
    return {"family_postcode": case.postcode}


@require_http_methods(["GET", "HEAD", "POST"])
def arrange(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(
        request,
        reference,
        action="arrange_meeting",
        make=_meeting_form(changing=False),
        perform=_arrange,
        button="Arrange the meeting",
        extra=_family_postcode,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def change(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(
        request,
        reference,
        action="change_meeting",
        make=_meeting_form(changing=True),
        perform=_change,
        button="Save the changes",
        extra=_family_postcode,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(
        request,
        reference,
        action="cancel_meeting",
        make=_plain(CancelForm),
        perform=_cancel,
        button="Cancel the meeting",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def held(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(
        request,
        reference,
        action="record_meeting_held",
        make=_plain(HeldForm),
        perform=_held,
        button="Record that the meeting was held",
    )


# --- proposing a schedule ------------------------------------------------------------------------

PLAN_SALT = "meetings.schedule.plan"
PLAN_MAX_AGE = 24 * 60 * 60


def _signed(placement: Placement) -> str:
    return signing.dumps(
        {
            "case": placement.case,
            "starts_at": placement.starts_at.isoformat(),
            "ends_at": placement.ends_at.isoformat(),
            "format": placement.format,
            "mediator": placement.mediator,
            "venue": placement.venue,
            "room": placement.room,
        },
        salt=PLAN_SALT,
    )


def _unsigned(value: str) -> Placement | None:
    try:
        data = signing.loads(value, salt=PLAN_SALT, max_age=PLAN_MAX_AGE)
        return Placement(
            case=str(data["case"]),
            starts_at=datetime.datetime.fromisoformat(data["starts_at"]),
            ends_at=datetime.datetime.fromisoformat(data["ends_at"]),
            format=str(data["format"]),
            mediator=str(data["mediator"]),
            venue=data["venue"],
            room=data["room"],
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _proposal_rows(proposal: Proposal) -> list[dict[str, Any]]:
    rows = []
    for placement in sorted(proposal.schedule.placements, key=lambda p: (p.starts_at, p.case)):
        if placement.venue is None:
            where = "Online (video call)"
        else:
            room = proposal.room_names.get(placement.room or 0, "")
            where = proposal.venue_names.get(placement.venue, "") + (f", {room}" if room else "")
        rows.append(
            {
                "placement": placement,
                "starts_at": aware(placement.starts_at),
                "ends_at": aware(placement.ends_at),
                "where": where,
                "mediator": proposal.mediator_names.get(placement.mediator, placement.mediator),
                "plan": _signed(placement),
                "online": placement.venue is None,
            }
        )
    return rows


@require_http_methods(["GET", "HEAD", "POST"])
def schedule(request: HttpRequest) -> HttpResponse:
    """Propose meetings for every case waiting for one (or one case), then arrange those ticked."""
    if not can_arrange(request.user):
        raise PermissionDenied("Only coordinators and managers arrange meetings")
    context: dict[str, Any] = {"nav": "schedule", "can_triage": True, "reference": "", "error": ""}
    if request.method == "POST" and request.POST.get("step") == "accept":
        return _accept(request, context)
    if request.method == "POST":
        reference = request.POST.get("reference", "").strip().upper()
        context["reference"] = reference
        try:
            proposal = propose_schedule(actor=_actor(request), references=[reference] if reference else None)
        except InvalidChange:
            context["error"] = f"There is no case {reference} waiting for a meeting. Check the reference"
            return render(request, "meetings/schedule.html", context, status=400)
        context.update(
            proposal=proposal,
            rows=_proposal_rows(proposal),
            unplaced=sorted(proposal.schedule.unplaced, key=lambda u: u.case),
        )
    else:
        context["waiting"] = len(waiting_cases(_actor(request)))
    return render(request, "meetings/schedule.html", context)


def _accept(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    chosen = set(request.POST.getlist("accept"))
    placements = []
    for value in request.POST.getlist("plan"):
        placement = _unsigned(value)
        if placement is not None and placement.case in chosen:
            placements.append(placement)
    if not placements:
        context["error"] = "Tick at least one proposed meeting to arrange, or propose a schedule again"
        context["waiting"] = len(waiting_cases(_actor(request)))
        return render(request, "meetings/schedule.html", context, status=400)
    links = {p.case: request.POST.get(f"link-{p.case}", "").strip() for p in placements}
    outcomes = accept_proposals(actor=_actor(request), placements=placements, online_links=links)
    context.update(
        arranged=[o for o in outcomes if o.meeting is not None],
        refused=[o for o in outcomes if o.meeting is None],
    )
    return render(request, "meetings/schedule_done.html", context)


# --- the diary -----------------------------------------------------------------------------------


def _day_asked(request: HttpRequest) -> datetime.date:
    """The day asked for; today when none is given, it is no date, or it is more than a hundred
    years away (a week around 31 December 9999 would run off the calendar)."""
    today = timezone.localdate()
    try:
        day = datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return today
    return day if abs((day - today).days) <= 36_500 else today


def _whose_diary(request: HttpRequest) -> User:
    user = _actor(request)
    username = request.GET.get("person", "").strip()
    if not username or username == user.username:
        return user
    if not can_arrange(user):
        raise PermissionDenied("You can see your own diary only")
    person = User.objects.filter(username=username, role__in=SERVICE_STAFF, is_active=True).first()
    if person is None:
        raise Http404("No such member of staff")
    return person


def _columns(person: Any, on: datetime.date, *, by_day: bool) -> list[tuple[datetime.date, list[Any]]]:
    """The day ``on``, or its week: Monday to Friday, and the Saturday and Sunday as well when
    something is on them or the day asked for is one of them, so that nothing in a week is hidden."""
    if by_day:
        days = [on]
    else:
        monday = on - datetime.timedelta(days=on.weekday())
        days = [monday + datetime.timedelta(days=i) for i in range(7)]
    found = diary_entries(person, days[0], days[-1])
    return [
        (day, [entry for entry in found if entry.day == day])
        for day in days
        if by_day or day.weekday() < 5 or day == on or any(entry.day == day for entry in found)
    ]


@require_http_methods(["GET", "HEAD"])
def diary(request: HttpRequest) -> HttpResponse:
    """A week (or a day) of someone's diary: meetings, advice calls and leave."""
    if not is_service_staff(request.user):
        raise PermissionDenied("The diary is for the service's staff")
    person = _whose_diary(request)
    on = _day_asked(request)
    by_day = request.GET.get("view") == "day"
    step = datetime.timedelta(days=1 if by_day else 7)
    columns = _columns(person, on, by_day=by_day)
    staff = (
        User.objects.filter(role__in=SERVICE_STAFF, is_active=True).order_by("first_name", "last_name")
        if can_arrange(request.user)
        else []
    )
    return render(
        request,
        "meetings/diary.html",
        {
            "nav": "diary",
            "person": person,
            "own": person.pk == request.user.pk,
            "columns": columns,
            "by_day": by_day,
            "on": on,
            "previous": on - step,
            "next": on + step,
            "staff": staff,
            "has_feed": has_feed(person),
            "feed_url": "",
        },
    )


@require_http_methods(["POST"])
def diary_feed(request: HttpRequest) -> HttpResponse:
    """Make a new private calendar link (stopping any old one), or stop it."""
    if not is_service_staff(request.user):
        raise PermissionDenied("The diary is for the service's staff")
    person = _actor(request)
    feed_url = ""
    if request.POST.get("stop"):
        stop_feed(person=person)
        messages.success(request, "Your calendar link has stopped working")
    else:
        token = create_feed(person=person)
        feed_url = request.build_absolute_uri(reverse("meetings_feed:feed", args=[token]))
    on = timezone.localdate()
    return render(
        request,
        "meetings/diary.html",
        {
            "nav": "diary",
            "person": person,
            "own": True,
            "columns": _columns(person, on, by_day=False),
            "by_day": False,
            "on": on,
            "previous": on - datetime.timedelta(days=7),
            "next": on + datetime.timedelta(days=7),
            "staff": [],
            "has_feed": bool(feed_url),
            "feed_url": feed_url,
        },
    )


@login_not_required
@require_http_methods(["GET", "HEAD"])
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's diary as a calendar file, for their calendar app: only through their own link."""
    body = diary_feed_calendar(token)
    if body is None:
        raise Http404("No such calendar")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _authorities(diary: Any) -> Any:
    """The authorities the service covers, and any a mediator already travels to."""
    chosen = list(diary.travels_to.values_list("pk", flat=True)) if diary.pk else []
    covered = LocalAuthority.objects.covered(on=timezone.localdate())
    return LocalAuthority.objects.filter(Q(pk__in=covered.values("pk")) | Q(pk__in=chosen)).order_by("name")


@require_http_methods(["GET", "HEAD", "POST"])
def working_days(request: HttpRequest) -> HttpResponse:
    """A person's working pattern (mediators) and leave: their own, or anyone's for coordinators
    and managers (``?person=``)."""
    if not is_service_staff(request.user):
        raise PermissionDenied("The diary is for the service's staff")
    actor = _actor(request)
    person = _whose_diary(request)
    if not working_pattern.may_change(actor, person):
        raise PermissionDenied("You can change your own working pattern and leave only")
    diary = working_pattern.working_pattern(person)
    authorities = _authorities(diary)
    pattern_form = WorkingPatternForm(initial=WorkingPatternForm.initial_for(diary), authorities=authorities)
    leave_form = LeaveForm()
    problem = ""
    status = 200
    if request.method == "POST":
        which = request.POST.get("form", "")
        try:
            if which == "pattern":
                pattern_form = WorkingPatternForm(request.POST, authorities=authorities)
                if pattern_form.is_valid():
                    working_pattern.save_working_pattern(actor=actor, person=person, **pattern_form.pattern())
                    messages.success(request, "Working pattern saved")
                    return redirect(
                        f"{reverse('meetings:working_days')}?{urlencode({'person': person.username})}"
                    )
            elif which == "leave":
                leave_form = LeaveForm(request.POST)
                if leave_form.is_valid():
                    working_pattern.add_leave(actor=actor, person=person, **leave_form.cleaned_data)
                    messages.success(request, "Leave added")
                    return redirect(
                        f"{reverse('meetings:working_days')}?{urlencode({'person': person.username})}"
                    )
            elif which == "remove":
                try:
                    leave_id = int(request.POST.get("leave", ""))
                except ValueError:
                    raise InvalidChange("That leave is not in the diary") from None
                working_pattern.remove_leave(actor=actor, person=person, leave_id=leave_id)
                messages.success(request, "Leave taken back")
                return redirect(
                    f"{reverse('meetings:working_days')}?{urlencode({'person': person.username})}"
                )
            else:
                problem = "Something went wrong with the form: try again"
        except ActionNotPermitted as refused:
            raise PermissionDenied(refused.message) from None
        except InvalidChange as refused:
            form: forms.Form = pattern_form if which == "pattern" else leave_form
            if which == "remove":
                problem = refused.message
            else:
                form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        status = 400
    return render(
        request,
        "meetings/working_days.html",
        {
            "nav": "diary",
            "person": person,
            "own": person.pk == actor.pk,
            "is_mediator": person.role == User.Role.MEDIATOR,
            "pattern_form": pattern_form,
            "leave_form": leave_form,
            "leave": working_pattern.leave_from(person),
            "problem": problem,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def family_can_make(request: HttpRequest, reference: str) -> HttpResponse:
    """What the family can make for the meeting, which proposed schedules follow."""
    case = get_case_or_404(request.user, reference)
    if not can_arrange(request.user):
        raise PermissionDenied("Only coordinators and managers record what the family can make")
    record = availability.family_availability(case)
    form = FamilyAvailabilityForm(
        request.POST if request.method == "POST" else None, initial=FamilyAvailabilityForm.initial_for(record)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                availability.record_family_availability(actor=_actor(request), case=case, **form.facts())
            except ActionNotPermitted as refused:
                raise PermissionDenied(refused.message) from None
            except InvalidChange as refused:
                form.add_error(refused.field if refused.field in form.fields else None, refused.message)
            else:
                messages.success(request, "What the family can make is saved: proposed schedules follow it")
                return redirect(reverse("cases:case_detail", args=[case.reference]) + "#meetings")
        status = 400
    return render(
        request,
        "meetings/family_can_make.html",
        {"nav": "cases", "case": case, "form": form},
        status=status,
    )
