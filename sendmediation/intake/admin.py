"""Staff see requests for help here until casework turns them into cases. Nothing is edited here:
requests change only through the services, and the decision letter is never linked publicly."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat

from sendmediation.intake.models import HelpRequest
from sendmediation.statutory.rules import RuleCode


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin[HelpRequest]):
    list_display = ["reference", "created_at", "status", "help_wanted", "local_authority", "source"]
    list_filter = ["status", "help_wanted", "source", "who", "local_authority"]
    list_select_related = ["local_authority"]
    search_fields = ["=reference"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    fieldsets = [
        (None, {"fields": ["reference", "status", "source", "created_at", "recorded_by", "reply_by"]}),
        (
            "Who asked",
            {
                "fields": [
                    "who",
                    "referrer_name",
                    "referrer_organisation",
                    "referrer_email",
                    "referrer_phone",
                    "family_agreed_at",
                ]
            },
        ),
        (
            "Help wanted",
            {
                "fields": [
                    "help_wanted",
                    "decisions_list",
                    "disagreement_with_list",
                    "decision_letter_date",
                    RuleCode.CONTACT_ADVISER_BY,
                    "decision_letter_file",
                ]
            },
        ),
        (
            "Child or young person",
            {
                "fields": [
                    "child_name",
                    "child_date_of_birth",
                    "postcode",
                    "local_authority",
                    "postcode_country",
                ]
            },
        ),
        (
            "Contact",
            {
                "fields": [
                    "contact_name",
                    "contact_by_phone",
                    "phone",
                    "good_times_to_call",
                    "contact_by_email",
                    "email",
                ]
            },
        ),
        (
            "Help to take part",
            {"fields": ["needs_interpreter", "interpreter_language", "needs_bsl", "other_adjustments"]},
        ),
        (
            "Decision",
            {"fields": ["status_changed_at", "status_changed_by", "decline_reason", "decline_note"]},
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: HelpRequest | None = None) -> list[str]:
        return [name for _, options in self.fieldsets for name in options["fields"]]  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Decisions disagreed with")
    def decisions_list(self, obj: HelpRequest) -> str:
        return "; ".join(obj.decision_labels()) or "-"

    @admin.display(description="Disagreement with")
    def disagreement_with_list(self, obj: HelpRequest) -> str:
        return "; ".join(obj.disagreement_with_labels()) or "-"

    @admin.display(description="Decision letter")
    def decision_letter_file(self, obj: HelpRequest) -> str:
        if not obj.decision_letter:
            return "Not uploaded"
        size = filesizeformat(obj.decision_letter_size or 0)
        return f"{obj.decision_letter_name} ({obj.decision_letter_type.upper()}, {size}), stored privately"
