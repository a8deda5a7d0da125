"""Forms for the staff pages: they check what was typed; the services decide what happens."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.accounts.permissions import ARRANGERS, SERVICE_STAFF, can_arrange, is_la_officer
from sendmediation.cases.models import (
    AdviceCall,
    AuthorityContact,
    Case,
    Certificate,
    Deadline,
    Decision,
    Document,
    Party,
)
from sendmediation.cases.queries import AGE_BANDS, DEADLINE_FILTERS, NO_COORDINATOR, OPEN_CASES
from sendmediation.cases.services.advice import BOOKING_GRACE
from sendmediation.common.govuk_forms import FlatChoices, GovukDateField, GovukTimeField
from sendmediation.intake.models import HelpRequest
from sendmediation.localities.models import LocalAuthority
from sendmediation.statutory.rules import RULES


def _staff_choices(roles: list[str], blank: str) -> list[tuple[str, str]]:
    people = User.objects.filter(role__in=roles, is_active=True).order_by(
        "first_name", "last_name", "username"
    )
    # Names only, not whole people: the case list offers every member of staff on every page. The
    # name is made as ``User.display_name`` makes it.
    named = people.values_list("pk", "first_name", "last_name", "username")
    return [("", blank), *[(str(pk), f"{first} {last}".strip() or login) for pk, first, last, login in named]]


def _authority_choices(blank: str = "Choose the local authority") -> list[tuple[str, str]]:
    return [("", blank), *LocalAuthority.objects.order_by("name").values_list("code", "name")]


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


KIND_HINT = (
    "Advice only: a mediation adviser talks it through with the family, and issues a certificate if "
    "they decide against mediation. Mediation: the family already wants mediation. Disagreement "
    "resolution: a disagreement that cannot go to the Tribunal."
)


class StaffChoiceField(forms.ChoiceField):
    """A member of staff chosen from a list, by id; returns the User (or None for the blank)."""

    def __init__(self, *, roles: list[str], blank: str, **kwargs: Any) -> None:
        self.roles = roles
        super().__init__(choices=lambda: _staff_choices(roles, blank), **kwargs)

    def clean(self, value: Any) -> User | None:
        key = super().clean(value)
        if not key:
            return None
        user = User.objects.filter(pk=key, role__in=self.roles, is_active=True).first()
        if user is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return user


class AuthorityField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Local authority")
        kwargs.setdefault("error_messages", {"required": "Choose the local authority"})
        super().__init__(choices=_authority_choices, **kwargs)

    def clean(self, value: Any) -> LocalAuthority | None:
        code = super().clean(value)
        return LocalAuthority.objects.filter(code=code).first() if code else None


# --- finding cases -------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label="Search", required=False, max_length=100, help_text="Reference, name or postcode"
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), (OPEN_CASES, "Any open status"), *Case.Status.choices],
    )
    age = forms.ChoiceField(
        label="Time since received",
        required=False,
        choices=[("", "Any"), *((key, label) for key, label, _, _ in AGE_BANDS)],
    )
    authority = forms.ChoiceField(label="Local authority", required=False)
    assignee = forms.ChoiceField(label="Assigned to", required=False)
    deadline = forms.ChoiceField(
        label="Deadline", required=False, choices=[("", "Any"), *DEADLINE_FILTERS.items()]
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if is_la_officer(user):
            # An officer sees one authority's cases and is never assigned one: neither filter helps.
            del self.fields["authority"], self.fields["assignee"]
            return
        _choices(self, "authority").choices = FlatChoices(_authority_choices("Any local authority"))
        staff = [("", "Anyone"), ("me", "Me"), ("none", "Nobody")]
        if can_arrange(user):
            staff.append((NO_COORDINATOR, "No coordinator (open cases)"))
            staff += _staff_choices(list(SERVICE_STAFF), "")[1:]
        _choices(self, "assignee").choices = FlatChoices(staff)

    def active(self, query: Any) -> list[tuple[str, str, str]]:
        """The filters in use, each as (name, what was chosen, the query string without it), so the
        list can say what it shows and each filter can be removed on its own."""
        if not self.is_valid():
            return []
        chosen = []
        for name, value in self.cleaned_data.items():
            if not value:
                continue
            field = self.fields[name]
            labels: dict[Any, Any] = dict(getattr(field, "choices", ()))
            shown = labels.get(value, value)
            rest = query.copy()
            rest.pop(name, None)
            rest.pop("page", None)
            chosen.append((str(field.label), f'"{shown}"' if name == "q" else str(shown), rest.urlencode()))
        return chosen


# --- opening a case ------------------------------------------------------------------------------

CONFIRM_AUTHORITY = "confirm_other_authority"


def add_authority_confirmation(form: forms.Form) -> None:
    """A box to confirm the local authority when the postcode is in another one. It is shown only
    once that has been found (or was already ticked), so that nobody ticks it before being asked."""
    asked = bool(form.data.get(f"{form.add_prefix(CONFIRM_AUTHORITY)}_asked"))
    form.fields[CONFIRM_AUTHORITY] = forms.BooleanField(
        label="Yes, this local authority is responsible for the child",
        required=False,
        widget=forms.CheckboxInput if asked else forms.HiddenInput,
    )
    form.asking_authority = asked  # type: ignore[attr-defined]
    # Asked right after the local authority, where the person is looking.
    names = [name for name in form.fields if name != CONFIRM_AUTHORITY]
    at = names.index("local_authority") + 1 if "local_authority" in names else len(names)
    form.order_fields([*names[:at], CONFIRM_AUTHORITY, *names[at:]])


def ask_authority_confirmation(form: forms.Form) -> None:
    form.fields[CONFIRM_AUTHORITY].widget = forms.CheckboxInput()
    form.asking_authority = True  # type: ignore[attr-defined]


def authority_confirmed(form: forms.Form) -> bool:
    return bool(getattr(form, "asking_authority", False) and form.cleaned_data.get(CONFIRM_AUTHORITY))


FAMILY_ROLE_CHOICES = [(Party.Role.PARENT, "Parent or carer"), (Party.Role.YOUNG_PERSON, "Young person")]


class ChildDetailsFields(forms.Form):
    """The child's names, date of birth and the family's postcode: the first fields of the forms that
    key in a case's facts and that correct them on request."""

    child_first_name = forms.CharField(
        label="Child's first name",
        max_length=100,
        error_messages={"required": "Enter the child's first name"},
    )
    child_last_name = forms.CharField(
        label="Child's last name", max_length=100, error_messages={"required": "Enter the child's last name"}
    )
    child_date_of_birth = GovukDateField(
        subject="the child's date of birth", required=False, label="Child's date of birth"
    )
    postcode = forms.CharField(label="Family's postcode", max_length=10, required=False)


class CaseFactsForm(ChildDetailsFields):
    """The facts of a case, keyed in or corrected."""

    local_authority = AuthorityField()
    decisions = forms.MultipleChoiceField(
        label="Which decisions does the family disagree with?",
        choices=Decision.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    decision_letter_sent = GovukDateField(
        subject="the date on the decision letter",
        required=False,
        label="Date the decision letter was sent",
        help_text="The date on the letter, not the day it arrived. For example, 27 3 2026",
    )
    issues = forms.MultipleChoiceField(
        label="What are the issues about?",
        choices=[("education", "Education"), ("health", "Health care"), ("social_care", "Social care")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(label="What the disagreement is about", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        day = today or timezone.localdate()
        for name in ("child_date_of_birth", "decision_letter_sent"):
            self.fields[name].today = day  # type: ignore[attr-defined]
        add_authority_confirmation(self)

    def facts(self) -> dict[str, Any]:
        data = self.cleaned_data
        issues = set(data["issues"])
        return {
            "child_first_name": data["child_first_name"],
            "child_last_name": data["child_last_name"],
            "child_date_of_birth": data["child_date_of_birth"],
            "postcode": data["postcode"],
            "local_authority": data["local_authority"],
            "decisions": data["decisions"],
            "decision_letter_sent": data["decision_letter_sent"],
            "issues_education": "education" in issues,
            "issues_health": "health" in issues,
            "issues_social_care": "social_care" in issues,
            "summary": data["summary"],
        }

    @classmethod
    def initial_for(cls, case: Case) -> dict[str, Any]:
        issues = [
            name
            for name, on in (
                ("education", case.issues_education),
                ("health", case.issues_health),
                ("social_care", case.issues_social_care),
            )
            if on
        ]
        return {
            "child_first_name": case.child_first_name,
            "child_last_name": case.child_last_name,
            "child_date_of_birth": case.child_date_of_birth,
            "postcode": case.postcode,
            "local_authority": case.local_authority.code,
            "decisions": case.decisions,
            "decision_letter_sent": case.decision_letter_sent,
            "issues": issues,
            "summary": case.summary,
        }


class OpenCaseForm(CaseFactsForm):
    kind = forms.ChoiceField(
        label="What does the family need?",
        help_text=KIND_HINT,
        choices=Case.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the family needs"},
    )
    family_role = forms.ChoiceField(
        label="Who is the case for?",
        choices=FAMILY_ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether a parent or the young person asked"},
    )
    family_name = forms.CharField(
        label="Parent's or young person's full name",
        max_length=200,
        error_messages={"required": "Enter the parent's or young person's name"},
    )
    family_email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    family_phone = forms.CharField(label="Phone number", max_length=30, required=False)


# --- requests from the website -------------------------------------------------------------------


class AcceptRequestForm(forms.Form):
    child_first_name = forms.CharField(
        label="Child's first name",
        max_length=100,
        error_messages={"required": "Enter the child's first name"},
    )
    child_last_name = forms.CharField(
        label="Child's last name", max_length=100, error_messages={"required": "Enter the child's last name"}
    )
    local_authority = AuthorityField()
    kind = forms.ChoiceField(
        label="What does the family need?",
        help_text=KIND_HINT,
        choices=Case.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the family needs"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_authority_confirmation(self)


class DeclineRequestForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you turning it down?",
        choices=HelpRequest.DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why you are turning the request down"},
    )
    note = forms.CharField(label="More detail", required=False, widget=forms.Textarea, max_length=2000)
    duplicate_of = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == HelpRequest.DeclineReason.OTHER and not data.get("note", "").strip():
            self.add_error("note", "Enter why you are turning the request down")
        return data


# --- actions on a case ---------------------------------------------------------------------------


class ConfirmForm(forms.Form):
    """An action with nothing to ask: the button is the whole form."""


class TriageForm(forms.Form):
    kind = forms.ChoiceField(
        label="What does the family need?",
        help_text=KIND_HINT,
        choices=Case.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the family needs"},
    )


def _local_time(moment: datetime.datetime) -> datetime.time:
    return timezone.localtime(moment).time()


def _moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


_CLOCKS_GO_FORWARD = (
    "The clocks go forward an hour at 1am that day, so that time does not exist: choose another"
)


def _exists(day: datetime.date, time: datetime.time) -> bool:
    """False for the hour skipped when the clocks go forward (1am to 2am on the last Sunday of March).

    The hour that happens twice when they go back in October is read as its first time (summer
    time): a call booked then is off by an hour at worst, and nobody books one at 1:30am."""
    there_and_back = timezone.localtime(_moment(day, time).astimezone(datetime.UTC))
    return (there_and_back.date(), there_and_back.time()) == (day, time)


class BookAdviceForm(forms.Form):
    adviser = StaffChoiceField(
        roles=[User.Role.ADVISER],
        blank="Choose an adviser",
        label="Adviser",
        error_messages={"required": "Choose the adviser"},
    )
    day = GovukDateField(
        subject="the date of the call", label="Date of the call", help_text="For example, 4 12 2026"
    )
    time = GovukTimeField(subject="the call", label="Time of the call")
    allow_clash = forms.BooleanField(
        label="Book it anyway: the adviser can take both calls",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, now: datetime.datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        if self.data.get("allow_clash_asked"):
            self.show_clash()

    def show_clash(self) -> None:
        self.fields["allow_clash"].widget = forms.CheckboxInput()
        self.clash_shown = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("day") and data.get("time")):
            return data
        if not _exists(data["day"], data["time"]):
            self.add_error("time", _CLOCKS_GO_FORWARD)
        elif data["day"] < timezone.localdate(self.now):
            self.add_error("day", "The date of the call must be today or in the future")
        elif self.booked_for() < self.now - BOOKING_GRACE:
            self.add_error("time", "The call must be booked for a time that has not passed yet")
        return data

    def booked_for(self) -> datetime.datetime:
        return _moment(self.cleaned_data["day"], self.cleaned_data["time"])

    @staticmethod
    def initial_for(case: Case) -> dict[str, Any]:
        """The case's adviser, and the time already booked when the call is being changed."""
        initial: dict[str, Any] = {"adviser": str(case.adviser_id) if case.adviser_id else ""}
        call = (
            case.advice_calls.filter(held_at__isnull=True, booked_for__isnull=False).order_by("-id").first()
        )
        if call is not None and call.booked_for is not None:
            initial.update(
                adviser=str(call.adviser_id),
                day=timezone.localdate(call.booked_for),
                time=_local_time(call.booked_for),
            )
        return initial


class AdviceOutcomeForm(forms.Form):
    day = GovukDateField(
        subject="the date of the call",
        label="Date of the call",
        help_text="When the call happened, which may not be when it was booked. For example, 27 11 2026",
    )
    time = GovukTimeField(subject="the call", label="Time of the call")
    outcome = forms.ChoiceField(
        label="What happened on the call?",
        choices=AdviceCall.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened on the call"},
    )
    notes = forms.CharField(
        label="Notes from the call", required=False, widget=forms.Textarea, max_length=5000
    )

    def __init__(
        self,
        *args: Any,
        now: datetime.datetime | None = None,
        missed_allowed: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.fields["day"].today = timezone.localdate(self.now)  # type: ignore[attr-defined]
        if not missed_allowed:
            _choices(self, "outcome").choices = [
                choice for choice in AdviceCall.Outcome.choices if choice[0] != AdviceCall.Outcome.NO_ANSWER
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("day") and data.get("time")):
            return data
        if not _exists(data["day"], data["time"]):
            self.add_error("time", _CLOCKS_GO_FORWARD)
        # Whether the call can have happened then is the service's to say, for the API too.
        return data

    def held_at(self) -> datetime.datetime:
        return _moment(self.cleaned_data["day"], self.cleaned_data["time"])

    @staticmethod
    def initial_for(case: Case, *, now: datetime.datetime) -> dict[str, Any]:
        """The booked time when it has passed; otherwise blank, so nobody records a call too early."""
        call = (
            case.advice_calls.filter(held_at__isnull=True, booked_for__isnull=False).order_by("-id").first()
        )
        if call is None or call.booked_for is None or call.booked_for > now:
            return {}
        return {"day": timezone.localdate(call.booked_for), "time": _local_time(call.booked_for)}


class IssueCertificateForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which certificate?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which certificate to issue"},
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Certificate.Kind.choices)
        _choices(self, "kind").choices = [(kind, labels[kind]) for kind in kinds]
        # With only one certificate possible there is nothing to choose: the page names it instead.
        self.only = labels[kinds[0]] if len(kinds) == 1 else ""
        if self.only:
            self.fields["kind"].initial = kinds[0]
            self.fields["kind"].widget = forms.HiddenInput()


class DrConsentForm(forms.Form):
    party = forms.ChoiceField(label="Whose answer is it?", error_messages={"required": "Choose the party"})
    consent = forms.ChoiceField(
        label="Did they agree to take part?",
        choices=[(Party.Consent.YES, "Yes, they agreed"), (Party.Consent.NO, "No, they refused")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they agreed to take part"},
    )
    answered_by = forms.CharField(
        label="Who gave the answer?",
        max_length=200,
        help_text="Their name and role, for example Sam Lee, head teacher",
        error_messages={"required": "Enter who gave the answer"},
    )
    how = forms.ChoiceField(
        label="How did the answer come?",
        choices=[
            (Party.AnswerHow.PHONE, "Phone"),
            (Party.AnswerHow.EMAIL, "Email"),
            (Party.AnswerHow.LETTER, "Letter"),
            (Party.AnswerHow.IN_PERSON, "In person"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the answer came"},
    )
    reason = forms.CharField(
        label="If they did not agree, why not?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In their words, if they gave a reason",
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from sendmediation.cases.services import CONSENTING_ROLES

        parties = case.parties.filter(role__in=CONSENTING_ROLES)
        self.parties = {str(party.pk): party for party in parties}
        _choices(self, "party").choices = [("", "Choose a party")] + [
            (key, f"{party.name} ({party.get_role_display()})") for key, party in self.parties.items()
        ]


HOW_CHOICES = AuthorityContact.How.choices


class AuthorityEvidenceForm(forms.Form):
    """When something passed between us and the local authority, how, and with whom."""

    # Whether the date may be this one (not in the future, not before the step it follows) is the
    # service's to say, in the same words for every door.
    on = GovukDateField(subject="the date", label="Date", help_text="For example, 27 11 2026")
    how = forms.ChoiceField(
        label="How?",
        choices=HOW_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the local authority was contacted"},
    )
    person = forms.CharField(
        label="Who at the local authority?",
        help_text="Their name and role, for example Sam Lee, SEND casework officer",
        max_length=200,
        error_messages={"required": "Enter who at the local authority it was"},
    )
    date_label = "Date"

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = self.date_label
        self.fields["on"].subject = self.date_label.lower()  # type: ignore[attr-defined]
        self.fields["on"].error_messages["required"] = f"Enter the {self.date_label.lower()}"
        self.fields["on"].today = today or timezone.localdate()  # type: ignore[attr-defined]


class NotifyLaForm(AuthorityEvidenceForm):
    date_label = "Date the local authority was told"


class NotArrangedForm(AuthorityEvidenceForm):
    date_label = "Date the local authority said so"
    reason = forms.CharField(
        label="What reason did the local authority give?",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter the reason the local authority gave"},
    )


class MediationHeldForm(AuthorityEvidenceForm):
    date_label = "Date the mediation was held"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].label = "Who confirmed it?"
        self.fields[
            "person"
        ].help_text = "Their name and role, for example the mediator, or Sam Lee, SEND team"


class LaDutyForm(AuthorityEvidenceForm):
    date_label = "Date it was done"
    rule = forms.ChoiceField(label="What did the local authority do?", widget=forms.RadioSelect)

    field_order = ["rule", "on", "how", "person"]

    def __init__(self, *args: Any, duties: list[Deadline], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "rule").choices = [(row.rule, row.label) for row in duties]
        self.fields["rule"].error_messages["required"] = "Choose what the local authority did"
        self.order_fields(self.field_order)


class RevokeCertificateForm(forms.Form):
    certificate = forms.ChoiceField(label="Which certificate?", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Why is it being revoked?",
        help_text="For example, it named the wrong decision. The reason is kept with the certificate.",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter why the certificate is being revoked"},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = case.certificates.filter(revoked_on__isnull=True).order_by("-issued_on", "-id")
        self.certificates = {row.number: row for row in current}
        _choices(self, "certificate").choices = [
            (number, f"{number}, issued {row.issued_on:%-d %B %Y}")
            for number, row in self.certificates.items()
        ]
        self.fields["certificate"].error_messages["required"] = "Choose the certificate to revoke"
        if len(self.certificates) == 1:
            self.fields["certificate"].initial = next(iter(self.certificates))


def reason_field(label: str, required: str, help_text: str = "") -> forms.CharField:
    """A reason staff must give in their own words, up to 2,000 characters."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": required},
    )


class ReasonForm(forms.Form):
    reason = reason_field("Why?", "Enter the reason")


class WithdrawForm(ReasonForm):
    reason = reason_field("Why is the case being withdrawn?", "Enter why the case is being withdrawn")


class ReopenForm(ReasonForm):
    reason = reason_field("Why is the case being reopened?", "Enter why the case is being reopened")


class RevokeFamilyLinkForm(ReasonForm):
    reason = reason_field(
        "Why must the family's link stop?",
        "Enter why the family's link must stop",
        "For example, the family think someone else has seen their email. Do not name the family.",
    )


class ReissueFamilyLinkForm(ReasonForm):
    reason = reason_field(
        "Why does the family need a new link?",
        "Enter why the family needs a new link",
        "For example, the parent asked by phone because the link had run out. Do not name the family.",
    )


class LegalHoldForm(ReasonForm):
    reason = reason_field(
        "Why must the case be kept?",
        "Enter why the case must be kept",
        "For example, a claim or a complaint that needs the record. Do not name the family.",
    )


class LiftHoldForm(ReasonForm):
    reason = reason_field("Why is the legal hold being lifted?", "Enter why the legal hold is being lifted")


class EraseForm(ReasonForm):
    reason = reason_field(
        "Who asked for their data to be erased, and when?",
        "Enter who asked for their data to be erased, and when",
        "For example, the parent asked by email on 3 December. Do not write their name.",
    )


class CorrectionForm(ChildDetailsFields):
    """A personal detail corrected because the family asked, with what they asked."""

    summary = forms.CharField(
        label="What the disagreement is about", widget=forms.Textarea, max_length=10000, required=False
    )
    reason = forms.CharField(
        label="Who asked for the correction, and what did they say was wrong?",
        help_text="For example, the young person phoned on 3 December: their date of birth was wrong.",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter who asked for the correction and what was wrong"},
    )

    FIELDS = ("child_first_name", "child_last_name", "child_date_of_birth", "postcode", "summary")

    @classmethod
    def initial_for(cls, case: Case) -> dict[str, object]:
        return {name: getattr(case, name) for name in cls.FIELDS}


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What was the outcome?",
        choices=Case.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )

    def __init__(self, *args: Any, outcomes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Case.Outcome.choices)
        # Only the outcomes that fit the case are offered; the service refuses any other, in words.
        self.fields["outcome"].widget.choices = [(outcome, labels[outcome]) for outcome in outcomes]


class AssignForm(forms.Form):
    coordinator = StaffChoiceField(roles=list(ARRANGERS), blank="Nobody", label="Coordinator", required=False)
    adviser = StaffChoiceField(roles=[User.Role.ADVISER], blank="Nobody", label="Adviser", required=False)
    mediator = StaffChoiceField(roles=[User.Role.MEDIATOR], blank="Nobody", label="Mediator", required=False)


class PartyForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=Party.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their role"},
    )
    name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter their full name"}
    )
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = forms.CharField(label="Phone number", max_length=30, required=False)
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea)
    has_authority_to_settle = forms.ChoiceField(
        label="Do they have authority to settle?",
        help_text="Only for local authority and health representatives",
        choices=[("yes", "Yes"), ("no", "No"), ("unknown", "Not known yet")],
        widget=forms.RadioSelect,
        required=False,
    )
    contact_shared_with_la = forms.BooleanField(
        label="They agreed that the local authority may have their email address and phone number",
        help_text=(
            "Only for a parent, carer or young person. Without their agreement, the local authority "
            "does not see them."
        ),
        required=False,
    )

    def authority_to_settle(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("has_authority_to_settle") or "")


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note",
        widget=forms.Textarea,
        max_length=10000,
        error_messages={"required": "Enter the note"},
    )


class DocumentForm(forms.Form):
    file = forms.FileField(label="Upload a file", error_messages={"required": "Select a file"})
    name = forms.CharField(label="Name of the document", max_length=200, required=False)
    kind = forms.ChoiceField(
        label="What is it?",
        choices=Document.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the document is"},
    )


class OverrideForm(forms.Form):
    deadline = forms.ChoiceField(label="Which deadline?", error_messages={"required": "Choose the deadline"})
    agreed_date = GovukDateField(subject="the agreed date", label="Date the parties agreed")
    note = forms.CharField(
        label="Where did they agree it?",
        help_text="For example, the signed agreement of 3 March 2027, item 4",
        widget=forms.Textarea,
        error_messages={"required": "Enter where and when the parties agreed the date"},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rows = [row for row in case.deadlines.all() if RULES[row.rule].may_be_varied_by_agreement]
        self.rows: dict[str, Deadline] = {str(row.pk): row for row in rows}
        _choices(self, "deadline").choices = [("", "Choose a deadline")] + [
            (key, row.label) for key, row in self.rows.items()
        ]


class VerifyForm(forms.Form):
    number = forms.CharField(
        label="Certificate number",
        max_length=30,
        help_text="For example, MC-2026-000123",
        error_messages={"required": "Enter the certificate number"},
    )
    code = forms.CharField(
        label="Verification code",
        max_length=30,
        help_text="12 letters and numbers, for example ABCD-EFGH-JKMN",
        error_messages={"required": "Enter the verification code"},
    )


class DrConsentAnswerForm(forms.Form):
    """An organisation's answer through its link: agree, or decline and say why."""

    consent = forms.ChoiceField(
        label="Do you agree to take part in disagreement resolution?",
        choices=[(Party.Consent.YES, "Yes, we agree"), (Party.Consent.NO, "No, we do not agree")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether you agree to take part",
            "invalid_choice": "Choose whether you agree to take part",
        },
    )
    reason = forms.CharField(
        label="Why do you not agree?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Your reason must be 2,000 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("consent") == Party.Consent.NO and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Tell us why you do not agree to disagreement resolution")
        return cleaned
