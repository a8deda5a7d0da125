"""Requests for help: the answers kept between pages, and the request once it is sent."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

REFERENCE_PREFIX = "MED"


class Who(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    YOUNG_PERSON = "young_person", "Young person (16 to 25)"
    PROFESSIONAL = "professional", "Professional, with the family's agreement"


class HelpWanted(models.TextChoices):
    ADVICE = "advice", "Mediation advice and a certificate"
    MEDIATION = "mediation", "Mediation"
    DISAGREEMENT_RESOLUTION = "disagreement_resolution", "Disagreement resolution"
    NOT_SURE = "not_sure", "Not sure"


class Decision(models.TextChoices):
    """The decisions a family can appeal (Children and Families Act 2014 s51), and the health and
    social care parts of a plan, which they may also mediate."""

    REFUSED_ASSESSMENT = "refused_assessment", "Not carrying out an EHC needs assessment"
    REFUSED_PLAN = "refused_plan", "Not issuing an EHC plan after an assessment"
    NEEDS = "needs", "The special educational needs in the plan (section B)"
    PROVISION = "provision", "The special educational provision in the plan (section F)"
    PLACEMENT = "placement", "The school or college in the plan, its type, or that none is named (section I)"
    REFUSED_REASSESSMENT = "refused_reassessment", "Not carrying out a re-assessment"
    REFUSED_AMENDMENT = "refused_amendment", "Not changing or replacing the plan after a review"
    CEASE = "cease", "Stopping the EHC plan"
    HEALTH_CARE = "health_care", "The health care parts of the plan (sections C and G)"
    SOCIAL_CARE = "social_care", "The social care parts of the plan (sections D, H1 and H2)"
    NOT_SURE = "not_sure", "Not sure which decision"


class DisagreementWith(models.TextChoices):
    """Who a family can use disagreement resolution with (SEND Code of Practice 2015, 11.6 to 11.10)."""

    LOCAL_AUTHORITY = "local_authority", "The local authority"
    SCHOOL = "school", "A school or academy"
    EARLY_YEARS = "early_years", "A nursery or other early years provider"
    COLLEGE = "college", "A college or other post-16 provider"
    HEALTH = "health", "The health service (integrated care board)"


class RequestDraftQuerySet(models.QuerySet["RequestDraft"]):
    def active(self, *, now: datetime.datetime) -> RequestDraftQuerySet:
        return self.filter(expires_at__gt=now)

    def expired(self, *, now: datetime.datetime) -> RequestDraftQuerySet:
        return self.filter(expires_at__lte=now)


class RequestDraft(models.Model):
    """Answers to the request journey so far, found through a random token kept in the session.

    ``answers`` maps each page's slug to what was given on it. Once sent, ``help_request`` is set
    and the answers are cleared, so sending again shows the same confirmation.
    """

    PERSONAL_FIELDS = frozenset({"answers", "decision_letter", "decision_letter_name", "letter_address_hash"})

    token = models.CharField(max_length=64, unique=True)
    answers = models.JSONField(default=dict, blank=True)
    decision_letter = models.FileField(upload_to="intake/letters/", blank=True)
    decision_letter_name = models.CharField(max_length=255, blank=True)
    decision_letter_type = models.CharField(max_length=10, blank=True)
    decision_letter_size = models.PositiveIntegerField(null=True, blank=True)
    # For the daily limit on letters from one address: a keyed hash of it (never the address
    # itself) and when a letter was last uploaded. Kept when the letter is removed or sent.
    letter_address_hash = models.CharField(max_length=64, blank=True)
    letter_uploaded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    help_request = models.OneToOneField(
        "HelpRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RequestDraftQuerySet.as_manager()

    class Meta:
        verbose_name = "request in progress"
        verbose_name_plural = "requests in progress"
        indexes = [
            models.Index(
                fields=["letter_address_hash", "letter_uploaded_at"], name="draft_letters_by_address"
            ),
        ]

    def __str__(self) -> str:
        return f"Request in progress {self.pk}"


class ReferenceCounter(models.Model):
    """The last reference number given out in a year; locked and raised in the sending transaction."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"

    @staticmethod
    def take_next(year: int) -> tuple[int, str]:
        """The year's next number and its MED reference, for requests and cases alike.

        Call it inside the transaction that uses the number: the conditional UPDATE locks the year's
        row until commit, so two callers never share a number on PostgreSQL (SQLite runs one writing
        transaction at a time), and a rollback gives the number back.
        """
        rows = ReferenceCounter.objects
        rows.bulk_create([ReferenceCounter(year=year, last_number=0)], ignore_conflicts=True)
        rows.filter(year=year).update(last_number=models.F("last_number") + 1)
        number = rows.values_list("last_number", flat=True).get(year=year)
        return number, f"{REFERENCE_PREFIX}-{year}-{number:06d}"


class HelpRequestQuerySet(models.QuerySet["HelpRequest"]):
    def new(self) -> HelpRequestQuerySet:
        return self.filter(status=HelpRequest.Status.NEW)


class HelpRequest(models.Model):
    """A request for help, sent on the website or taken on the phone, waiting to become a case."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    class Source(models.TextChoices):
        WEBSITE = "website", "Website"
        PHONE = "phone", "Phone"

    class DeclineReason(models.TextChoices):
        DUPLICATE = "duplicate", "Duplicate of another request"
        OUT_OF_AREA = "out_of_area", "Outside the areas we cover"
        OTHER = "other", "Other reason"

    Who = Who
    HelpWanted = HelpWanted
    Decision = Decision
    DisagreementWith = DisagreementWith

    PERSONAL_FIELDS = frozenset(
        {
            "referrer_name",
            "referrer_email",
            "referrer_phone",
            "child_name",
            "child_date_of_birth",
            "postcode",
            "contact_name",
            "phone",
            "good_times_to_call",
            "email",
            "interpreter_language",
            "other_adjustments",
            "decision_letter",
            "decision_letter_name",
            "decline_note",
        }
    )

    reference = models.CharField(max_length=20, unique=True)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The member of staff who took the request on the phone.",
    )

    who = models.CharField("who asked", max_length=20, choices=Who.choices)
    referrer_name = models.CharField(max_length=120, blank=True)
    referrer_organisation = models.CharField(max_length=120, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=30, blank=True)
    family_agreed_at = models.DateTimeField(
        "family agreed to the referral at",
        null=True,
        blank=True,
        help_text="When the professional confirmed that the family agreed to the referral.",
    )

    help_wanted = models.CharField(max_length=30, choices=HelpWanted.choices)
    decisions = models.JSONField(
        default=list,
        blank=True,
        help_text="Codes of the decisions disagreed with (not for disagreement resolution).",
    )
    disagreement_with = models.JSONField(
        default=list, blank=True, help_text="Codes of who the disagreement is with (disagreement resolution)."
    )
    decision_letter_date = models.DateField(null=True, blank=True)
    contact_adviser_by = models.DateField(
        null=True, blank=True, help_text="Two months after the decision letter was sent."
    )

    child_name = models.CharField("child or young person's name", max_length=120)
    child_date_of_birth = models.DateField("child or young person's date of birth", null=True, blank=True)
    postcode = models.CharField(max_length=10)
    local_authority = models.ForeignKey(
        "localities.LocalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="help_requests",
        help_text="From the postcode; blank when it is not found or not in England.",
    )
    postcode_country = models.CharField(max_length=30, blank=True)

    contact_name = models.CharField(max_length=120)
    contact_by_phone = models.BooleanField(default=False)
    phone = models.CharField(max_length=30, blank=True)
    good_times_to_call = models.CharField(max_length=200, blank=True)
    contact_by_email = models.BooleanField(default=False)
    email = models.EmailField(blank=True)

    needs_interpreter = models.BooleanField(default=False)
    interpreter_language = models.CharField(max_length=100, blank=True)
    needs_bsl = models.BooleanField("needs a British Sign Language interpreter", default=False)
    other_adjustments = models.TextField(blank=True)

    decision_letter = models.FileField(upload_to="intake/letters/", blank=True)
    decision_letter_name = models.CharField(max_length=255, blank=True)
    decision_letter_type = models.CharField(max_length=10, blank=True)
    decision_letter_size = models.PositiveIntegerField(null=True, blank=True)

    reply_by = models.DateField(help_text="The working day by which we promised to contact the family.")

    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    decline_note = models.TextField(blank=True)
    # The day its personal details were removed under the retention schedule.
    anonymised_on = models.DateField(null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "request for help"
        verbose_name_plural = "requests for help"
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="help_request_number_unique_in_year"),
            models.CheckConstraint(
                name="help_request_declined_has_reason",
                condition=(Q(status="declined") & ~Q(decline_reason=""))
                | (~Q(status="declined") & Q(decline_reason="")),
                violation_error_message="A declined request needs a reason; only a declined one has one.",
            ),
            models.CheckConstraint(
                name="help_request_decided_has_actor",
                condition=Q(status="new")
                | (Q(status_changed_at__isnull=False) & Q(status_changed_by__isnull=False)),
                violation_error_message="An accepted or declined request records who decided and when.",
            ),
            models.CheckConstraint(
                name="help_request_has_birth_date",
                condition=Q(child_date_of_birth__isnull=False) | Q(anonymised_on__isnull=False),
                violation_error_message="A request needs the child's date of birth.",
            ),
            models.CheckConstraint(
                name="help_request_referral_has_agreement",
                condition=~Q(who="professional") | Q(family_agreed_at__isnull=False),
                violation_error_message="A professional's referral records when the family agreed to it.",
            ),
            models.CheckConstraint(
                name="help_request_phone_has_recorder",
                condition=~Q(source="phone") | Q(recorded_by__isnull=False),
                violation_error_message="A request taken on the phone records who took it.",
            ),
            models.CheckConstraint(
                name="help_request_has_a_way_to_reach",
                condition=(Q(contact_by_phone=True) & ~Q(phone=""))
                | (Q(contact_by_email=True) & ~Q(email=""))
                | Q(anonymised_on__isnull=False),
                violation_error_message="A request needs a phone number or an email address to reach them.",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def decision_labels(self) -> list[str]:
        return [Decision(code).label for code in self.decisions if code in Decision.values]

    def disagreement_with_labels(self) -> list[str]:
        return [
            DisagreementWith(code).label for code in self.disagreement_with if code in DisagreementWith.values
        ]
