"""Reads for pages and the API, every one scoped to the person asking."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import is_la_officer, role_of, sees_every_case
from sendmediation.cases import access_log
from sendmediation.cases.access_alerts import alert_on_many_cases_opened
from sendmediation.cases.case_total import case_total
from sendmediation.cases.deadlines import FAMILY_RULES, LA_RULES
from sendmediation.cases.models import (
    AccessLog,
    AdviceCall,
    Case,
    CaseQuerySet,
    Deadline,
    DeadlineQuerySet,
    Party,
)
from sendmediation.cases.references import normalise_reference
from sendmediation.cases.search import name_count, name_filter, newest_first
from sendmediation.intake.models import HelpRequest

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
# Far past the last page of any list (a million pages of 100), and inside every database's integers
# (the access log keeps the page read).
MAX_PAGE = 1_000_000
# How many of each of My work's lists it shows; the rest are counted and found in the case list.
MY_WORK_ROWS = 50


def get_case_or_404(user: Any, reference: str) -> Case:
    """The one way to fetch a case for someone: outside their scope it does not exist."""
    case = (
        Case.objects.visible_to(user)
        .select_related("local_authority", "coordinator", "adviser", "mediator")
        .filter(reference=normalise_reference(reference))
        .first()
    )
    if case is None:
        raise Http404("Case not found")
    return case


def log_access(
    *,
    user: Any,
    what: str,
    case: Case | None = None,
    help_request: HelpRequest | None = None,
    item: str = "",
) -> None:
    """Record that someone saw a case or a request for help (one of the two; a record in the admin
    may belong to neither), and which certificate, document, email or record when it was one of
    those. Lists are recorded by ``log_list_read``."""
    row = access_log.append(
        user=user if getattr(user, "is_authenticated", False) else None,
        case=case,
        help_request=help_request,
        what=what,
        item=item,
    )
    alert_on_many_cases_opened(row=row)


# Longest value kept of any one filter: a search box takes 100 characters; anything longer was not
# typed into this service's forms.
QUERY_VALUE_LENGTH = 200


def asked_for(params: Any, names: Iterable[str]) -> dict[str, str]:
    """The filters and the search a list was asked for, as they were sent: only these names, only
    those with a value, each cut to a sensible length. Nothing about the results."""
    asked: dict[str, str] = {}
    for name in names:
        value = params.get(name)
        if value is None or value is False:
            continue
        text = str(value).strip()[:QUERY_VALUE_LENGTH]
        if text:
            asked[name] = text
    return asked


def _storable(value: Any) -> str:
    """Text as it was sent, but for the NUL character, which PostgreSQL's JSON cannot hold (a search
    with one in it was a server error): it is kept as the replacement character, so the log still
    shows that something unprintable was sent. The form refuses such a search in words."""
    return str(value).replace("\x00", "\ufffd")


def log_list_read(
    *, user: Any, what: str, query: dict[str, str], shown: int, page: int | None = None
) -> None:
    """Record that someone saw a list of cases or requests: what they asked for (the filters and the
    search), how many results the page showed and which page. Never the results themselves, and it
    never counts as opening a case."""
    if what not in AccessLog.LIST_READS:
        raise ValueError(f"{what} is not a list")
    access_log.append(
        user=user if getattr(user, "is_authenticated", False) else None,
        what=what,
        query={_storable(name): _storable(value) for name, value in query.items()},
        shown=shown,
        page=page,
    )


# --- "My work" -----------------------------------------------------------------------------------


def end_of_week(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=6 - today.weekday())


COMING_UP_DAYS = 14


def coming_up(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """After this week and within the next two weeks: time to prepare, before it is urgent."""
    return end_of_week(today) + datetime.timedelta(days=1), today + datetime.timedelta(days=COMING_UP_DAYS)


def work_deadlines(user: Any, *, by: datetime.date) -> DeadlineQuerySet:
    """The running deadlines this person answers for, due on or before ``by``.

    Read from the person's open cases to their dates: an adviser has a few hundred open cases, the
    country a few thousand dates in the next two weeks, and the database joins the two from indexes
    (``case_open_*_idx`` and ``deadline_staff_due_idx``) without reading a case's row. The bound is
    the only test of ``staff_due``: "set and before the day" would count the empty dates twice in
    PostgreSQL's estimate, which then expected 59 dates for 5,184 and looked each case up in turn.
    A withdrawn or closed case stops its deadlines, so running ones are all on open cases.
    """
    staff_work = Deadline.objects.staff_due_by(by)
    role = role_of(user)
    if not role:
        return staff_work.none()
    if role == User.Role.MANAGER:
        return staff_work
    if is_la_officer(user):
        # A large authority has tens of thousands of cases, most of them closed: its open ones the
        # authority takes part in are read from ``case_authority_open_idx`` alone.
        theirs = Case.objects.visible_to(user).filter(status__in=Case.OPEN_STATUSES).values("pk")
        return staff_work.filter(rule__in=LA_RULES, case_id__in=theirs)
    slots: dict[str, str] = {
        User.Role.COORDINATOR: "coordinator",
        User.Role.ADVISER: "adviser",
        User.Role.MEDIATOR: "mediator",
    }
    slot = slots.get(role)
    if slot is None:
        return staff_work.none()
    theirs = Case.objects.filter(**{slot: user}, status__in=Case.OPEN_STATUSES).values("pk")
    return staff_work.filter(case_id__in=theirs)


@dataclass(frozen=True)
class Bucket:
    key: str
    title: str
    rows: list[Deadline]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


BUCKETS = (
    ("overdue", "Overdue"),
    ("today", "Due today"),
    ("week", "Due later this week"),
    ("next", "Coming up in the next two weeks"),
)


def my_work(user: Any, *, today: datetime.date, limit: int = MY_WORK_ROWS) -> list[Bucket]:
    """Overdue, due today, due later this week and coming up in the next two weeks.

    Two queries whatever the volume. The four lists run on from one another up to two weeks ahead, so
    one query counts all four in a pass over those running dates, and the other numbers each date
    within its list (earliest first) and loads the first few of each, with their case and authority.
    """
    week_end = end_of_week(today)
    # Read by ``staff_due``, the date that counts while staff have work to do: the same day as the
    # effective one for every date ``work_deadlines`` gives.
    lists = (
        Q(staff_due__lt=today),
        Q(staff_due=today),
        Q(staff_due__gt=today, staff_due__lte=week_end),
        Q(staff_due__gt=week_end),
    )
    mine = work_deadlines(user, by=coming_up(today)[1])
    counts = mine.aggregate(
        **{key: Count("pk", filter=where) for (key, _), where in zip(BUCKETS, lists, strict=True)}
    )
    which = DbCase(*(When(where, then=Value(index)) for index, where in enumerate(lists)))
    first_few = (
        mine.annotate(
            place=Window(RowNumber(), partition_by=[which], order_by=[F("due").asc(), F("pk").asc()])
        )
        .filter(place__lte=limit)
        .order_by()
        .values("pk")
    )[: len(BUCKETS) * limit]  # changes nothing but tells the planner how few rows come back
    shown = (
        Deadline.objects.filter(pk__in=first_few)
        .select_related("case__local_authority")
        .only(
            "case__reference",
            "case__local_authority__name",
            "rule",
            "due",
            "agreed_override",
            "effective_due",
        )
        .annotate(list_index=which)
        .order_by("due", "id")
    )
    rows: list[list[Deadline]] = [[] for _ in BUCKETS]
    for row in shown:
        rows[row.list_index].append(row)  # type: ignore[attr-defined]  # annotated above
    return [Bucket(key, title, rows[index], counts[key]) for index, (key, title) in enumerate(BUCKETS)]


def booked_advice_calls(user: Any, *, limit: int = 20) -> list[AdviceCall]:
    """An adviser's calls booked and not yet recorded, earliest first (those past need recording)."""
    if role_of(user) != User.Role.ADVISER:
        return []
    # Each of the few calls booked checks its own case: no list of every case the adviser has.
    visible = Case.objects.visible_to(user).open().filter(pk=OuterRef("case_id"))
    calls = AdviceCall.objects.filter(adviser=user, held_at__isnull=True, booked_for__isnull=False).filter(
        Exists(visible)
    )
    family = Prefetch(
        "case__parties",
        queryset=Party.objects.filter(role__in=Party.FAMILY_ROLES).order_by("id"),
        to_attr="family_parties",
    )
    return list(calls.select_related("case").prefetch_related(family).order_by("booked_for", "id")[:limit])


# --- the case list -------------------------------------------------------------------------------

DEADLINE_FILTERS = {
    "overdue": "Overdue",
    "today": "Due today",
    "week": "Due this week",
    "next": "Coming up in the next two weeks",
}

# The status filter's value for every case not withdrawn or closed.
OPEN_CASES = "open"

# How long ago a case was received, in whole days: (key, label, from, up to but not including).
AGE_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("under_2_weeks", "Under 2 weeks", 0, 14),
    ("2_to_6_weeks", "2 to 6 weeks", 14, 42),
    ("6_to_12_weeks", "6 to 12 weeks", 42, 84),
    ("over_12_weeks", "Over 12 weeks", 84, None),
)


def received_age_filter(band: str, *, today: datetime.date) -> Q:
    """Cases received in the age band ``band`` (a key of AGE_BANDS) as of ``today``."""
    for key, _label, first_day, last_day in AGE_BANDS:
        if key == band:
            condition = Q(received_on__lte=today - datetime.timedelta(days=first_day))
            if last_day is not None:
                condition &= Q(received_on__gt=today - datetime.timedelta(days=last_day))
            return condition
    raise ValueError(f"No such age band: {band}")


_REFERENCE_LIKE = re.compile(r"^MED-?\d", re.IGNORECASE)
_POSTCODE_LIKE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?( ?\d[A-Z]{0,2})?$", re.IGNORECASE)


def search_kind(text: str) -> str:
    """What a search is for: "reference", "postcode", "name", or "" for nothing typed."""
    joined = " ".join(text.split())
    if not joined:
        return ""
    if _REFERENCE_LIKE.match(joined):
        return "reference"
    if _POSTCODE_LIKE.match(joined) and any(ch.isdigit() for ch in joined):
        return "postcode"
    return "name"


def search_filter(text: str) -> Q:
    kind = search_kind(text)
    if not kind:
        return Q()
    joined = " ".join(text.split())
    if kind == "reference":
        return Q(reference__istartswith=normalise_reference(joined))
    if kind == "postcode":
        compact = joined.upper().replace(" ", "")
        outward = compact[:-3] if len(compact) >= 5 else compact
        wanted = f"{outward} {compact[-3:]}" if len(compact) >= 5 else compact
        return Q(postcode__istartswith=wanted)
    return name_filter(joined)


def _running_for_case() -> DeadlineQuerySet:
    return Deadline.objects.running().filter(case=OuterRef("pk")).exclude(rule__in=FAMILY_RULES)


NO_COORDINATOR = "no_coordinator"


def assigned_to_person(person: Any) -> Q:
    """Cases this member of staff (a user, an id, or an OuterRef to one) coordinates, advises or mediates."""
    return Q(coordinator=person) | Q(adviser=person) | Q(mediator=person)


def assigned_to_nobody() -> Q:
    return Q(coordinator__isnull=True, adviser__isnull=True, mediator__isnull=True)


def without_coordinator(cases: CaseQuerySet) -> CaseQuerySet:
    """Open cases nobody coordinates: each needs a coordinator before its work can be planned."""
    return cases.filter(status__in=Case.OPEN_STATUSES, coordinator__isnull=True)


def case_list(
    user: Any,
    *,
    today: datetime.date,
    status: str = "",
    age: str = "",
    authority: str = "",
    assignee: str = "",
    deadline: str = "",
    q: str = "",
) -> QuerySet[Case]:
    """The cases this person may see, filtered, newest first, each with its next staff deadline."""
    cases = Case.objects.visible_to(user)
    if status == OPEN_CASES:
        cases = cases.filter(status__in=Case.OPEN_STATUSES)
    elif status:
        cases = cases.filter(status=status)
    if age:
        cases = cases.filter(received_age_filter(age, today=today))
    if authority:
        cases = cases.filter(local_authority__code=authority)
    if assignee == "me":
        cases = cases.assigned_to(user)
    elif assignee == "none":
        cases = cases.filter(assigned_to_nobody())
    elif assignee == NO_COORDINATOR:
        cases = without_coordinator(cases)
    elif assignee.isdigit():
        cases = cases.filter(assigned_to_person(int(assignee)))
    # From the few running deadlines to their cases, not from every case to its deadlines.
    staff_work = Deadline.objects
    if deadline == "overdue":
        yesterday = today - datetime.timedelta(days=1)
        cases = cases.filter(pk__in=staff_work.staff_due_by(yesterday).values("case_id"))
    elif deadline == "today":
        cases = cases.filter(pk__in=staff_work.staff_due_between(today, today).values("case_id"))
    elif deadline == "week":
        cases = cases.filter(pk__in=staff_work.staff_due_between(today, end_of_week(today)).values("case_id"))
    elif deadline == "next":
        cases = cases.filter(pk__in=staff_work.staff_due_between(*coming_up(today)).values("case_id"))
    if q.strip():
        cases = cases.filter(search_filter(q))
    return cases.order_by("-received_on", "-id")


# What a row of the list, or of the API's list, shows, read as plain values: a case's other fields
# are not read, and no case, authority or member of staff is made for a row (making them cost more
# than the query that reads them).
_STAFF_SLOTS = ("coordinator", "adviser", "mediator")
_LIST_VALUES = (
    "pk",
    "reference",
    "kind",
    "status",
    "received_on",
    "anonymised_on",
    "child_first_name",
    "child_last_name",
    "local_authority__code",
    "local_authority__name",
    *(f"{slot}__{name}" for slot in _STAFF_SLOTS for name in ("first_name", "last_name", "username")),
    "next_due",
)


_STATUS_LABELS = dict(Case.Status.choices)


@dataclass(frozen=True, slots=True)
class ListedAuthority:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class ListedPerson:
    display_name: str


@dataclass(frozen=True, slots=True)
class ListedCase:
    """A row of the case list, the page's or the API's: what it shows, by the names a case uses."""

    pk: int
    reference: str
    kind: str
    status: str
    received_on: datetime.date
    anonymised_on: datetime.date | None
    child_first_name: str
    child_last_name: str
    local_authority: ListedAuthority
    coordinator: ListedPerson | None
    adviser: ListedPerson | None
    mediator: ListedPerson | None
    next_due: datetime.date | None

    def get_status_display(self) -> str:
        # As a case's own does: a stored value no longer among the statuses is shown as it is.
        return str(_STATUS_LABELS.get(self.status, self.status))


def _listed_person(first: str | None, last: str | None, username: str | None) -> ListedPerson | None:
    if username is None:
        return None
    # As ``User.display_name`` makes it: the full name, or the username when there is none.
    return ListedPerson(f"{first} {last}".strip() or username)


def _only_a_name(user: Any, filters: dict[str, Any]) -> str | None:
    """The search, when the list is searched by name and nothing else, by someone who sees every
    case: the words alone then say which cases the list holds."""
    used = {name for name, value in filters.items() if value}
    if used == {"q"} and sees_every_case(user) and search_kind(filters["q"]) == "name":
        return str(filters["q"])
    return None


def known_total(user: Any, filters: dict[str, Any]) -> int | None:
    """How many cases the list holds, where something smaller than the list says it exactly, for
    someone who sees every case: with no filter, the total the database keeps (``case_total``);
    searching one name word, the cases with a word starting with it. None when the list must be
    counted (any other filter, or someone who sees only some cases)."""
    if sees_every_case(user) and not any(filters.values()):
        return case_total()
    name = _only_a_name(user, filters)
    return name_count(name) if name is not None else None


def known_order(user: Any, filters: dict[str, Any]) -> QuerySet[Any] | None:
    """The ids of the list's cases in the list's order, where the words say them: searching one
    name word, for someone who sees every case (the words' index holds each case's date). None when
    the cases themselves must be read. Walking the cases newest first until enough have the word
    costs as much as the word is rare: a name nobody has would read every case."""
    name = _only_a_name(user, filters)
    return newest_first(name) if name is not None else None


def with_list_details(ids: Iterable[int]) -> list[ListedCase]:
    """One page of cases, by id, as the list shows them: one query, whatever the page size."""
    ids = list(ids)
    next_due = _running_for_case().order_by("due").values("due")[:1]
    rows = Case.objects.filter(pk__in=ids).annotate(next_due=Subquery(next_due)).values_list(*_LIST_VALUES)
    by_pk = {}
    for pk, reference, kind, status, received, anonymised, first, last, code, name, *staff, due in rows:
        coordinator, adviser, mediator = (_listed_person(*staff[at : at + 3]) for at in (0, 3, 6))
        by_pk[pk] = ListedCase(
            pk=pk,
            reference=reference,
            kind=kind,
            status=status,
            received_on=received,
            anonymised_on=anonymised,
            child_first_name=first,
            child_last_name=last,
            local_authority=ListedAuthority(code, name),
            coordinator=coordinator,
            adviser=adviser,
            mediator=mediator,
            next_due=due,
        )
    return [by_pk[pk] for pk in ids]


class CasePage:
    """A page of the list. Counting and paging use the bare query (or the ids in order, where they
    are known without it), so that the deadline look-ups run for the rows shown and not for every
    row skipped."""

    def __init__(
        self,
        cases: QuerySet[Case],
        *,
        number: Any,
        per_page: int,
        count: int | None = None,
        ids: QuerySet[Any] | None = None,
    ) -> None:
        from django.core.paginator import Paginator

        paginator = Paginator(cases.values_list("pk", flat=True) if ids is None else ids, per_page)
        if count is not None:
            paginator.count = count  # known already: the query is not counted again
        self.page = paginator.get_page(number)
        self.object_list = with_list_details(self.page.object_list)
        self.paginator = self.page.paginator
        self.number = self.page.number

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)


def find_duplicates(
    *,
    child_first_name: str,
    child_last_name: str,
    child_date_of_birth: datetime.date | None,
    local_authority_id: int | None,
) -> list[Case]:
    """Open cases for the same child (name and date of birth) with the same authority."""
    if child_date_of_birth is None or local_authority_id is None:
        return []
    wanted = " ".join(f"{child_first_name} {child_last_name}".lower().split())
    candidates = Case.objects.open().filter(
        local_authority_id=local_authority_id, child_date_of_birth=child_date_of_birth
    )
    return [
        case
        for case in candidates.order_by("-received_on")
        if " ".join(f"{case.child_first_name} {case.child_last_name}".lower().split()) == wanted
    ]
