"""What happens on a case: advice calls, certificates, deadlines, notes and documents."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case as DbCase
from django.db.models import Q, When
from django.db.models.functions import Coalesce

from sendmediation.statutory.rules import RULES, Binds


class AdviceCallQuerySet(models.QuerySet["AdviceCall"]):
    def reached(self) -> AdviceCallQuerySet:
        """Calls that were held and reached the family, so their outcome says what the family wants."""
        return self.filter(held_at__isnull=False).exclude(outcome=AdviceCall.Outcome.NO_ANSWER)

    def latest_reached(self) -> AdviceCall | None:
        return self.reached().order_by("-held_at", "-id").first()


class AdviceCall(models.Model):
    """A mediation information and advice (MIAS) call, booked and then held."""

    class Outcome(models.TextChoices):
        WANTS_MEDIATION = "wants_mediation", "The family wants mediation"
        DECLINES_MEDIATION = "declines_mediation", "The family does not want mediation"
        NOT_DECIDED = "not_decided", "The family has not decided yet"
        CERTIFICATE_NOT_NEEDED = "certificate_not_needed", "No certificate is needed for this appeal"
        NO_ANSWER = "no_answer", "We could not reach the family"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="advice_calls")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booked_for = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    notes = models.TextField(blank=True)

    objects = AdviceCallQuerySet.as_manager()

    PERSONAL_FIELDS = ("notes",)

    class Meta:
        ordering = ["id"]
        indexes = [
            # Reports: the calls held in a period, with what they are counted by (decisions/0007).
            models.Index(fields=["held_at", "case", "outcome"], name="advice_call_report_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="advice_call_held_has_outcome",
                condition=(Q(held_at__isnull=True) & Q(outcome=""))
                | (Q(held_at__isnull=False) & ~Q(outcome="")),
                violation_error_message="A call that was held has an outcome; a booked one has none yet.",
            ),
        ]

    def __str__(self) -> str:
        return f"Advice call {self.pk}"


def certificate_upload_to(instance: Certificate, filename: str) -> str:
    return f"certificates/{instance.issued_on.year}/{instance.number}.pdf"


class Certificate(models.Model):
    """A mediation certificate: the family sends it with an appeal (form SEND35)."""

    class Kind(models.TextChoices):
        AFTER_ADVICE = "after_advice", "After advice: the family did not want mediation"
        AFTER_MEDIATION = "after_mediation", "After mediation"
        NOT_ARRANGED = "not_arranged", "Mediation could not be arranged in time"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    issued_on = models.DateField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Kept as issued, so a certificate can be verified after the case is anonymised.
    authority_name = models.CharField(max_length=120)
    child_initials = models.CharField(max_length=4)
    # What the certificate is about, so a tribunal clerk can match it to the appeal in front of them.
    decisions = models.JSONField(default=list, blank=True, help_text="Codes from intake.models.Decision.")
    decision_letter_sent = models.DateField(null=True, blank=True)
    verification_code = models.CharField(max_length=14, editable=False)
    # For a certificate when mediation could not be arranged: the two dates it rests on.
    mediation_requested_on = models.DateField(null=True, blank=True)
    not_arranged_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the local authority said it could not hold mediation in time.",
    )
    pdf = models.FileField(upload_to=certificate_upload_to, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # A certificate issued in error stays on record, revoked, so that /verify/ can say so.
    revoked_on = models.DateField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_reason = models.TextField(blank=True)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces"
    )

    PERSONAL_FIELDS = ("child_initials", "pdf")

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [
            # Reports: the certificates issued in a period, with what they are counted by.
            models.Index(fields=["issued_on", "case", "kind", "revoked_on"], name="certificate_report_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="certificate_revoked_has_reason",
                condition=(Q(revoked_on__isnull=True) & Q(revoked_reason="") & Q(replaced_by__isnull=True))
                | (Q(revoked_on__isnull=False) & ~Q(revoked_reason="")),
                violation_error_message=(
                    "A revoked certificate has its date and reason; only a revoked one is replaced."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_on is not None

    def decision_labels(self) -> list[str]:
        from sendmediation.intake.models import Decision

        labels = dict(Decision.choices)
        return [str(labels.get(code, code)) for code in self.decisions]


def document_upload_to(instance: Document, filename: str) -> str:
    # A random name: the original one can hold personal data.
    return f"case-documents/{instance.case_id}/{instance.sha256[:16]}"


class Document(models.Model):
    class Kind(models.TextChoices):
        DECISION_LETTER = "decision_letter", "Decision letter"
        EHC_PLAN = "ehc_plan", "EHC plan"
        EVIDENCE = "evidence", "Evidence or report"
        CORRESPONDENCE = "correspondence", "Letter or email"
        OTHER = "other", "Other"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(upload_to=document_upload_to)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Sent by the family with its request: ``uploaded_by`` is then whoever accepted the request.
    from_family = models.BooleanField(default=False)
    sha256 = models.CharField(max_length=64)

    PERSONAL_FIELDS = ("file", "name")

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"Document {self.pk}"


class Note(models.Model):
    """Confidential: for the service's own staff, never for local authority officers or families."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_FIELDS = ("text",)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note {self.pk}"


class AuthorityContact(models.Model):
    """Evidence of what passed between the service and a local authority (or health commissioner):
    when, how, with whom, and what was said. The events on the case point to it."""

    class Kind(models.TextChoices):
        TOLD = "told", "The local authority was told the family wants mediation"
        CANNOT_HOLD = "cannot_hold", "The local authority said it cannot hold mediation within 30 days"
        MEDIATION_HELD = "mediation_held", "The date the mediation was held was confirmed"
        DUTY_DONE = "duty_done", "The local authority said it did what it must"

    class How(models.TextChoices):
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        PHONE = "phone", "Phone"
        IN_PERSON = "in_person", "In person or at a meeting"
        SECURE_PORTAL = "portal", "The authority's secure portal"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="authority_contacts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on = models.DateField()
    how = models.CharField(max_length=20, choices=How.choices)
    # Who told us, or whom we told: a name and role at the authority, for example "Sam Lee, SEND team".
    person = models.CharField(max_length=200)
    reason = models.TextField(blank=True, help_text="The reason the authority gave, where it gave one.")
    rule = models.CharField(max_length=40, blank=True, help_text="The duty done, for a duty.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_FIELDS = ("person", "reason")

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on.isoformat()}"

    @property
    def rule_label(self) -> str:
        return RULES[self.rule].label if self.rule in RULES else ""


class DeadlineQuerySet(models.QuerySet["Deadline"]):
    def running(self) -> DeadlineQuerySet:
        """Not met and not stopped (a withdrawn or closed case stops its deadlines)."""
        return self.filter(met_on__isnull=True, stopped_on__isnull=True)

    def due_by(self, day: datetime.date) -> DeadlineQuerySet:
        """Running deadlines whose date (the agreed one where there is one) is on or before ``day``."""
        return self.running().filter(effective_due__lte=day)

    def due_between(self, first: datetime.date, last: datetime.date) -> DeadlineQuerySet:
        return self.running().filter(effective_due__gte=first, effective_due__lte=last)

    def staff_work(self) -> DeadlineQuerySet:
        """Running deadlines that the service or the authority must meet (not the family's own)."""
        return self.filter(staff_due__isnull=False)

    def staff_due_by(self, day: datetime.date) -> DeadlineQuerySet:
        return self.filter(staff_due__lte=day)

    def staff_due_between(self, first: datetime.date, last: datetime.date) -> DeadlineQuerySet:
        return self.filter(staff_due__gte=first, staff_due__lte=last)


RULE_CHOICES = [(code, rule.label) for code, rule in RULES.items()]

# The rules whose dates the family meets (asking for a certificate, appealing): nobody on the staff
# side has work to do for them. The same set as ``cases.deadlines.FAMILY_RULES``.
FAMILY_RULE_CODES = sorted(str(code) for code, rule in RULES.items() if rule.binds == Binds.FAMILY)


class Deadline(models.Model):
    """A statutory date on a case, worked out by ``sendmediation.statutory.rules``."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines")
    rule = models.CharField(max_length=40, choices=RULE_CHOICES)
    # For rules with several dates (an agreement treated as a Tribunal order): the step.
    step = models.CharField(max_length=40, blank=True)
    start = models.DateField()
    due = models.DateField(help_text="The statutory date.")
    met_on = models.DateField(null=True, blank=True)
    # Working days after the date that counted, kept when it is met: a late date stays late.
    working_days_late = models.PositiveSmallIntegerField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True, help_text="The case was withdrawn or closed.")
    agreed_override = models.DateField(
        null=True, blank=True, help_text="A date the parties agreed in writing (regulation 42(5))."
    )
    agreed_override_note = models.TextField(blank=True)
    # The date that counts: the agreed one where there is one. Kept by the database, for the index.
    effective_due = models.GeneratedField(
        expression=Coalesce("agreed_override", "due"), output_field=models.DateField(), db_persist=True
    )
    # The same date while staff still have work to do for it (running, and not one of the family's
    # own dates); empty otherwise. Kept by the database so that its statistics describe exactly what
    # "My work" and the case list's deadline filters ask for: the few dates running, not the hundreds
    # of thousands met (docs/decisions/0008-casework-at-national-scale.md).
    staff_due = models.GeneratedField(
        expression=DbCase(
            When(
                Q(met_on__isnull=True, stopped_on__isnull=True) & ~Q(rule__in=FAMILY_RULE_CODES),
                then=Coalesce("agreed_override", "due"),
            ),
            default=None,
            output_field=models.DateField(),
        ),
        output_field=models.DateField(null=True),
        db_persist=True,
    )
    reasons = models.JSONField(default=list, help_text="Why the date falls where it does, in plain English.")

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["due"], condition=Q(met_on__isnull=True), name="deadline_open_due_idx"),
            # Reminders read this one: only running deadlines (the family's too), by the date that counts.
            models.Index(
                fields=["effective_due", "rule", "due", "case", "id"],
                condition=Q(met_on__isnull=True, stopped_on__isnull=True),
                name="deadline_running_work_idx",
            ),
            # "My work" and the list's deadline filters: the dates staff must meet, with what they are
            # filtered and ordered by, so no row is read for them.
            models.Index(
                fields=["staff_due", "rule", "due", "case", "id"],
                condition=Q(staff_due__isnull=False),
                name="deadline_staff_due_idx",
            ),
            # Reports: every date due in a period, running or not, with what timeliness counts it by.
            models.Index(
                fields=["effective_due", "rule", "case", "start", "met_on", "stopped_on"],
                name="deadline_report_idx",
            ),
            # Reports for one authority: its cases' dates, found case by case, read from the index alone.
            models.Index(
                fields=["case", "rule", "effective_due", "start", "met_on", "stopped_on"],
                name="deadline_case_report_idx",
            ),
            # A case's next running date (the case list), without reading the case's met ones.
            models.Index(
                fields=["case", "due", "rule"],
                condition=Q(met_on__isnull=True, stopped_on__isnull=True),
                name="deadline_running_case_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "rule", "step"], name="deadline_one_per_rule"),
            models.CheckConstraint(
                name="deadline_override_has_note",
                condition=Q(agreed_override__isnull=True) | ~Q(agreed_override_note=""),
                violation_error_message="Say where the parties agreed the different date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} due {self.due.isoformat()}"

    @property
    def label(self) -> str:
        return RULES[self.rule].label if self.rule in RULES else self.rule

    @property
    def who_acts(self) -> str:
        return RULES[self.rule].who_acts if self.rule in RULES else ""

    def is_overdue(self, *, today: datetime.date) -> bool:
        return self.met_on is None and self.stopped_on is None and self.effective_due < today

    def state(self, *, today: datetime.date) -> str:
        if self.met_on is not None:
            return "met_late" if self.working_days_late else "met"
        if self.stopped_on is not None:
            return "stopped"
        if self.effective_due < today:
            return "overdue"
        if self.effective_due == today:
            return "due_today"
        return "running"
