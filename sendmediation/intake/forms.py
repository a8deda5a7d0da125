"""One form per question page. Forms check what was typed; the services decide what happens.

Each form turns its cleaned data into a JSON answer for the draft (``answer``) and back into
initial values (``initial_from``). Wording follows who is asking: "your child", "you" (a young
person asking for themselves) or "the child" (a professional).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from sendmediation.common.govuk_forms import GovukDateField
from sendmediation.common.uploads import EMPTY
from sendmediation.intake.models import Decision, DisagreementWith, HelpWanted, Who
from sendmediation.intake.uploads import WRONG_TYPE_MESSAGE
from sendmediation.localities.postcodes import InvalidPostcodeError, normalise_postcode

PHONE_MESSAGE = "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"
_PHONE_CHARACTERS = re.compile(r"[\s\-().]")


class TelInput(forms.TextInput):
    input_type = "tel"


class ChoiceField(forms.ChoiceField):
    """Radios with GOV.UK extras: a hint per option, an "or" divider, and questions revealed by an option."""

    def __init__(
        self,
        *,
        hints: Mapping[str, str] | None = None,
        divider_before: str = "",
        conditionals: Mapping[str, Sequence[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(**kwargs)
        self.hints = dict(hints or {})
        self.divider_before = divider_before
        self.conditionals = {value: list(names) for value, names in (conditionals or {}).items()}
        self.exclusive = ""


class MultipleChoiceField(forms.MultipleChoiceField):
    """Checkboxes with the same extras, and an exclusive "none of these" option."""

    def __init__(
        self,
        *,
        hints: Mapping[str, str] | None = None,
        divider_before: str = "",
        conditionals: Mapping[str, Sequence[str]] | None = None,
        exclusive: str = "",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)
        self.hints = dict(hints or {})
        self.divider_before = divider_before
        self.conditionals = {value: list(names) for value, names in (conditionals or {}).items()}
        self.exclusive = exclusive


def _required(message: str) -> dict[str, str]:
    return {"required": message, "invalid_choice": message}


def _clean_phone(value: str) -> str:
    digits = _PHONE_CHARACTERS.sub("", value)
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits.isdigit() or not 10 <= len(digits) <= 15:
        raise ValidationError(PHONE_MESSAGE, code="invalid")
    return " ".join(value.split())


class QuestionForm(forms.Form):
    """A page of the journey: knows its slug, its heading, and how to store its answer."""

    slug: ClassVar[str]
    heading_text: ClassVar[str] = ""
    # Options for the shared govuk_field tag, by field name (autocomplete, widths).
    FIELD_OPTIONS: ClassVar[dict[str, dict[str, Any]]] = {}

    def __init__(self, *args: Any, who: str = "", today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.who = who
        self.today = today or timezone.localdate()
        self.professional = who == Who.PROFESSIONAL
        self.young_person = who == Who.YOUNG_PERSON
        self.field_options: dict[str, dict[str, Any]] = dict(self.FIELD_OPTIONS)
        self.date_parts = ["", "", ""]

    def heading(self) -> str:
        return self.heading_text

    @classmethod
    def initial_from(cls, answer: Mapping[str, Any]) -> dict[str, Any]:
        return dict(answer)

    def answer(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items()}

    def options(self, name: str) -> dict[str, Any]:
        options = dict(self.field_options.get(name, {}))
        if name in self.fields and isinstance(self.fields[name], GovukDateField):
            options["autocomplete_parts"] = self.date_parts
        return options


class WhoForm(QuestionForm):
    slug = "who"
    who_asking = ChoiceField(
        label="Who is asking for help?",
        choices=[
            (Who.PARENT, "A parent or carer"),
            (Who.YOUNG_PERSON, "A young person aged 16 to 25, asking for myself"),
            (Who.PROFESSIONAL, "A professional, referring a family"),
        ],
        hints={
            Who.PROFESSIONAL: "For example, from a school, a college, a local authority or SENDIASS. "
            "You need the family's agreement.",
        },
        error_messages=_required("Select who is asking for help"),
    )

    heading_text = "Who is asking for help?"

    @classmethod
    def initial_from(cls, answer: Mapping[str, Any]) -> dict[str, Any]:
        return {"who_asking": answer.get("who", "")}

    def answer(self) -> dict[str, Any]:
        return {"who": self.cleaned_data["who_asking"]}


class YourDetailsForm(QuestionForm):
    slug = "your-details"
    heading_text = "Your details"
    FIELD_OPTIONS = {
        "name": {"autocomplete": "name", "spellcheck": False},
        "organisation": {"autocomplete": "organization"},
        "email": {"autocomplete": "email", "spellcheck": False},
        "phone": {"autocomplete": "tel", "input_class": "govuk-input--width-20"},
    }

    name = forms.CharField(
        label="Full name", max_length=120, error_messages=_required("Enter your full name")
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=120,
        help_text="For example, the school, college or service you work for",
        error_messages=_required("Enter the name of your organisation"),
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        error_messages={"required": "Enter your work email address", "invalid": EMAIL_MESSAGE},
    )
    phone = forms.CharField(
        label="Work phone number (optional)", max_length=30, required=False, widget=TelInput
    )

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return _clean_phone(value) if value else ""


class FamilyAgreedForm(QuestionForm):
    slug = "family-agreed"
    heading_text = "Has the family agreed to this referral?"

    agreed = forms.BooleanField(
        label="The family has agreed that I can refer them to you",
        error_messages={"required": "Confirm that the family has agreed to the referral"},
    )

    @classmethod
    def initial_from(cls, answer: Mapping[str, Any]) -> dict[str, Any]:
        return {"agreed": bool(answer.get("agreed_at"))}

    def answer(self) -> dict[str, Any]:
        # The view stamps the time the professional confirmed it.
        return {"agreed": True}


class HelpForm(QuestionForm):
    slug = "help"

    help_wanted = ChoiceField(
        label="What help do you want?",
        choices=[
            (HelpWanted.ADVICE, "Mediation advice and a certificate"),
            (HelpWanted.MEDIATION, "Mediation"),
            (HelpWanted.DISAGREEMENT_RESOLUTION, "Disagreement resolution"),
            (HelpWanted.NOT_SURE, "I'm not sure"),
        ],
        hints={
            HelpWanted.ADVICE: "A phone call of about 20 minutes about mediation. You need a mediation "
            "certificate to appeal to the Tribunal.",
            HelpWanted.MEDIATION: "A meeting with the local authority, led by an independent mediator, about "
            "an education, health and care (EHC) needs assessment or plan.",
            HelpWanted.DISAGREEMENT_RESOLUTION: "A meeting about how special educational needs are being "
            "met, with or without an EHC plan. Everyone must agree to take part.",
            HelpWanted.NOT_SURE: "We will talk to you about what could help.",
        },
        divider_before=HelpWanted.NOT_SURE,
        error_messages=_required("Select what help you want"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.professional:
            self.fields["help_wanted"].label = "What help does the family want?"
            self.fields["help_wanted"].error_messages.update(_required("Select what help the family wants"))

    def heading(self) -> str:
        return str(self.fields["help_wanted"].label)

    @classmethod
    def initial_from(cls, answer: Mapping[str, Any]) -> dict[str, Any]:
        return {"help_wanted": answer.get("help", "")}

    def answer(self) -> dict[str, Any]:
        return {"help": self.cleaned_data["help_wanted"]}


# Plain words for the decisions and the sections of a plan they are about (SEND Code of Practice 9.62).
# Filled in with who the request is about: {who} "your child", {whose} "your child's", {they} "they",
# {s} "s" or "", {has} "has" or "have".
DECISION_HINTS = {
    Decision.REFUSED_ASSESSMENT: "The assessment decides if {who} need{s} an EHC plan.",
    Decision.REFUSED_PLAN: "An EHC plan is a legal document. It describes {whose} needs and the help {they} "
    "must get.",
    Decision.NEEDS: "Section B describes what {who} find{s} difficult and need{s} help with.",
    Decision.PROVISION: "Section F sets out the help {who} must get, for example speech and language "
    "therapy or extra support in class.",
    Decision.PLACEMENT: "Section I names the school or college, or the type of school or college, that {who} "
    "will go to.",
    Decision.REFUSED_REASSESSMENT: "A new EHC needs assessment when {who} already {has} a plan.",
    Decision.REFUSED_AMENDMENT: "For example, after the annual review of the plan.",
    Decision.CEASE: 'The letter may say it will "cease to maintain" the plan.',
    Decision.HEALTH_CARE: "Section C describes {whose} health needs, and section G the health care {they} "
    "need.",
    Decision.SOCIAL_CARE: "Section D describes {whose} social care needs, and sections H1 and H2 the social "
    "care {they} need.",
}
_PARENT_WORDS = {"who": "your child", "whose": "your child's", "they": "they", "s": "s", "has": "has"}
_YOUNG_PERSON_WORDS = {"who": "you", "whose": "your", "they": "you", "s": "", "has": "have"}
_PROFESSIONAL_WORDS = {
    "who": "the child or young person",
    "whose": "the child or young person's",
    "they": "they",
    "s": "s",
    "has": "has",
}


class DecisionsForm(QuestionForm):
    slug = "decisions"
    heading_text = "Which decisions do you disagree with?"

    decisions = MultipleChoiceField(
        label="Which decisions do you disagree with?",
        help_text="The local authority's decision letter says what it has decided. Select all that apply.",
        choices=[
            (
                Decision.REFUSED_ASSESSMENT,
                "It will not carry out an education, health and care (EHC) needs assessment",
            ),
            (Decision.REFUSED_PLAN, "It will not issue an EHC plan after an assessment"),
            (Decision.NEEDS, "The special educational needs described in the plan (section B)"),
            (Decision.PROVISION, "The special educational provision in the plan (section F)"),
            (
                Decision.PLACEMENT,
                "The school or college named in the plan, or its type, or that none is named (section I)",
            ),
            (Decision.REFUSED_REASSESSMENT, "It will not carry out a new assessment (re-assessment)"),
            (Decision.REFUSED_AMENDMENT, "It will not change or replace the plan after a review"),
            (Decision.CEASE, "It will stop the EHC plan"),
            (Decision.HEALTH_CARE, "The health care parts of the plan (sections C and G)"),
            (Decision.SOCIAL_CARE, "The social care parts of the plan (sections D, H1 and H2)"),
            (Decision.NOT_SURE, "I'm not sure"),
        ],
        divider_before=Decision.NOT_SURE,
        exclusive=Decision.NOT_SURE,
        error_messages=_required("Select which decisions you disagree with"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decisions"]
        assert isinstance(field, MultipleChoiceField)
        if self.professional:
            field.label = "Which decisions does the family disagree with?"
            field.error_messages.update(_required("Select which decisions the family disagrees with"))
        words = (
            _YOUNG_PERSON_WORDS
            if self.young_person
            else _PROFESSIONAL_WORDS
            if self.professional
            else _PARENT_WORDS
        )
        field.hints = {code: hint.format(**words) for code, hint in DECISION_HINTS.items()}

    def heading(self) -> str:
        return str(self.fields["decisions"].label)

    def clean_decisions(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["decisions"]
        if Decision.NOT_SURE in chosen and len(chosen) > 1:
            raise ValidationError(
                "Select which decisions you disagree with, or select 'I'm not sure'", code="exclusive"
            )
        return chosen


class DisagreementForm(QuestionForm):
    slug = "disagreement"
    heading_text = "Who is the disagreement with?"

    parties = MultipleChoiceField(
        label="Who is the disagreement with?",
        help_text="Select all that apply.",
        choices=[
            (DisagreementWith.LOCAL_AUTHORITY, "The local authority"),
            (DisagreementWith.SCHOOL, "A school or academy"),
            (DisagreementWith.EARLY_YEARS, "A nursery or other early years provider"),
            (DisagreementWith.COLLEGE, "A college or other post-16 provider"),
            (DisagreementWith.HEALTH, "The health service (integrated care board)"),
        ],
        hints={
            DisagreementWith.LOCAL_AUTHORITY: "How it carries out its duties for special educational needs, "
            "including health and social care during an assessment or plan",
            DisagreementWith.HEALTH: "Health care during an assessment, a plan or a review",
        },
        error_messages=_required("Select who the disagreement is with"),
    )


class LetterDateForm(QuestionForm):
    """The date on the decision letter, or that there is none to give.

    A checkbox rather than radios revealing the date: GOV.UK Frontend marks revealing radios with
    aria-expanded, which ARIA does not allow on radios.
    """

    slug = "letter-date"
    heading_text = "What is the date on the decision letter?"

    date = GovukDateField(
        label="What is the date on the decision letter?",
        subject="the date on the decision letter",
        past_only=True,
        required=False,
        help_text="It is usually near the top, for example 27 3 2026. Use this date, not the day the letter "
        "arrived: the time limit starts when the local authority sent it.",
    )
    unknown = forms.BooleanField(label="I do not know the date, or I have not had a letter", required=False)

    NEITHER = "Enter the date on the decision letter, or select that you do not know it"
    BOTH = "Enter the date on the decision letter, or select that you do not know it, not both"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        date_field = self.fields["date"]
        assert isinstance(date_field, GovukDateField)
        date_field.today = self.today
        if self.professional:
            self.fields["unknown"].label = "The family does not know the date, or has not had a letter"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "date" in self.errors:
            return cleaned
        given, unknown = cleaned.get("date") is not None, cleaned.get("unknown", False)
        if given and unknown:
            self.add_error("date", ValidationError(self.BOTH, code="both"))
        elif not given and not unknown:
            self.add_error("date", ValidationError(self.NEITHER, code="required"))
        return cleaned

    @classmethod
    def initial_from(cls, answer: Mapping[str, Any]) -> dict[str, Any]:
        date = answer.get("date")
        return {
            "date": datetime.date.fromisoformat(date) if date else None,
            "unknown": answer.get("known") == "no",
        }

    def answer(self) -> dict[str, Any]:
        date = self.cleaned_data.get("date")
        return {"known": "yes" if date else "no", "date": date.isoformat() if date else None}


class LetterForm(QuestionForm):
    """Only whether a file was chosen: the file itself is checked where it is stored
    (services.attach_decision_letter), with the daily limit and the total budget."""

    slug = "letter"
    heading_text = "Upload the decision letter (optional)"

    letter = forms.FileField(
        label="Upload a file",
        required=False,
        help_text="It helps us get ready to talk to you. The file must be a PDF, JPG, PNG or Word (DOCX) "
        "document, and smaller than 10MB.",
        error_messages={"empty": EMPTY, "invalid": WRONG_TYPE_MESSAGE, "missing": EMPTY},
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}),
    )


class ChildForm(QuestionForm):
    slug = "child"
    FIELD_OPTIONS = {"name": {"spellcheck": False}}

    name = forms.CharField(label="Full name", max_length=120)
    date_of_birth = GovukDateField(
        subject="the date of birth", past_only=True, help_text="For example, 27 3 2012"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name, dob = self.fields["name"], self.fields["date_of_birth"]
        assert isinstance(dob, GovukDateField)
        dob.today = self.today
        if self.young_person:
            self.field_options = {"name": {"autocomplete": "name", "spellcheck": False}}
            self.date_parts = ["bday-day", "bday-month", "bday-year"]
            name.label, subject = "Your full name", "your date of birth"
            name.error_messages.update(_required("Enter your full name"))
            dob.help_text = "For example, 27 3 2008"
        elif self.professional:
            name.label, subject = "Their full name", "their date of birth"
            name.error_messages.update(_required("Enter their full name"))
        else:
            name.label, subject = "Your child's full name", "your child's date of birth"
            name.error_messages.update(_required("Enter your child's full name"))
        dob.label = subject[0].upper() + subject[1:]
        dob.subject = subject
        dob.error_messages["required"] = f"Enter {subject}"

    def heading(self) -> str:
        if self.young_person:
            return "About you"
        if self.professional:
            return "About the child or young person"
        return "About your child"

    def clean_date_of_birth(self) -> datetime.date:
        born: datetime.date = self.cleaned_data["date_of_birth"]
        age = self.today.year - born.year - ((self.today.month, self.today.day) < (born.month, born.day))
        if self.young_person and not 16 <= age <= 25:
            raise ValidationError(
                "You must be 16 to 25 to ask for yourself. If you are younger, a parent or carer can ask "
                "for you",
                code="age",
            )
        if age > 25:
            raise ValidationError(
                "We can only help with children and young people aged 25 or under", code="age"
            )
        return born

    @classmethod
    def initial_from(cls, answer: Mapping[str, Any]) -> dict[str, Any]:
        born = answer.get("date_of_birth")
        return {
            "name": answer.get("name", ""),
            "date_of_birth": datetime.date.fromisoformat(born) if born else None,
        }

    def answer(self) -> dict[str, Any]:
        return {
            "name": self.cleaned_data["name"].strip(),
            "date_of_birth": self.cleaned_data["date_of_birth"].isoformat(),
        }


class PostcodeForm(QuestionForm):
    slug = "postcode"
    FIELD_OPTIONS = {
        "postcode": {
            "autocomplete": "postal-code",
            "input_class": "govuk-input--width-10",
            "spellcheck": False,
        }
    }

    postcode = forms.CharField(
        label="What is your home postcode?",
        max_length=20,
        help_text="We use it to find your local authority.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["postcode"]
        if self.professional:
            field.label = "What is the family's postcode?"
            field.help_text = "We use it to find the family's local authority."
            field.error_messages.update(_required("Enter the family's postcode"))
            self.field_options = {
                "postcode": {
                    "input_class": "govuk-input--width-10",
                    "spellcheck": False,
                    "autocomplete": "off",
                }
            }
        else:
            field.error_messages.update(_required("Enter your postcode"))

    def heading(self) -> str:
        return str(self.fields["postcode"].label)

    def clean_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except InvalidPostcodeError as error:
            raise ValidationError(error.message, code=error.code) from None


class ContactForm(QuestionForm):
    slug = "contact"

    name = forms.CharField(label="Your full name", max_length=120, required=False)
    methods = MultipleChoiceField(
        label="How can we contact you?",
        help_text="Select all that apply. Choose phone if you would like a call: we will ask for the number.",
        choices=[("phone", "Phone"), ("email", "Email")],
        conditionals={"phone": ["phone", "good_times"], "email": ["email"]},
        error_messages=_required("Select how we can contact you"),
    )
    phone = forms.CharField(label="Phone number", max_length=30, required=False, widget=TelInput)
    good_times = forms.CharField(
        label="Good times to call (optional)",
        max_length=200,
        required=False,
        help_text="For example, weekday mornings, or after 3pm",
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        required=False,
        error_messages={"invalid": EMAIL_MESSAGE},
        help_text="We will send a confirmation to this address.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = not self.professional
        self.field_options = {
            "name": {"autocomplete": "name" if own else "off", "spellcheck": False},
            "phone": {"autocomplete": "tel" if own else "off", "input_class": "govuk-input--width-20"},
            "email": {"autocomplete": "email" if own else "off", "spellcheck": False},
        }
        if self.young_person:
            del self.fields["name"]
        elif self.professional:
            self.fields["name"].label = "Name of the parent, carer or young person to contact"
            self.fields["methods"].label = "How can we contact them?"
            self.fields["methods"].error_messages.update(_required("Select how we can contact them"))
            self.fields["email"].help_text = "We will send them a confirmation to this address."

    def heading(self) -> str:
        return "The family's contact details" if self.professional else "Your contact details"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        methods = cleaned.get("methods") or []
        if "name" in self.fields and not (cleaned.get("name") or "").strip() and "name" not in self.errors:
            self.add_error(
                "name",
                ValidationError(
                    "Enter the name of the person to contact"
                    if self.professional
                    else "Enter your full name",
                    code="required",
                ),
            )
        if "phone" in methods and "phone" not in self.errors:
            phone = (cleaned.get("phone") or "").strip()
            if not phone:
                self.add_error("phone", ValidationError("Enter a phone number", code="required"))
            else:
                try:
                    cleaned["phone"] = _clean_phone(phone)
                except ValidationError as error:
                    self.add_error("phone", error)
        if "email" in methods and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", ValidationError("Enter an email address", code="required"))
        return cleaned

    def answer(self) -> dict[str, Any]:
        data = self.cleaned_data
        methods = list(data["methods"])
        return {
            "name": (data.get("name") or "").strip(),
            "methods": methods,
            "phone": data.get("phone", "") if "phone" in methods else "",
            "good_times": (data.get("good_times") or "").strip() if "phone" in methods else "",
            "email": data.get("email", "") if "email" in methods else "",
        }


ACCESS_CHOICES = [
    ("interpreter", "An interpreter for another spoken language"),
    ("bsl", "A British Sign Language (BSL) interpreter"),
    ("other", "Something else, for example large print or a step-free room"),
    ("none", "No, I do not need any of these"),
]


class AccessForm(QuestionForm):
    slug = "access"

    needs = MultipleChoiceField(
        label="Do you need any help to take part?",
        help_text="For example, in phone calls and meetings. Select all that apply.",
        choices=ACCESS_CHOICES,
        conditionals={"interpreter": ["language"], "other": ["other"]},
        divider_before="none",
        exclusive="none",
        error_messages=_required("Select if you need any help to take part, or select 'No'"),
    )
    language = forms.CharField(label="Which language?", max_length=100, required=False)
    other = forms.CharField(
        label="What do you need?", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.professional:
            needs = self.fields["needs"]
            assert isinstance(needs, MultipleChoiceField)
            needs.label = "Does the family need any help to take part?"
            needs.choices = [*ACCESS_CHOICES[:3], ("none", "No, they do not need any of these")]
            needs.error_messages.update(
                _required("Select if the family needs any help to take part, or select 'No'")
            )

    def heading(self) -> str:
        return str(self.fields["needs"].label)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        needs = cleaned.get("needs") or []
        if "none" in needs and len(needs) > 1:
            self.add_error(
                "needs",
                ValidationError("Select the help needed, or select 'No'", code="exclusive"),
            )
        if "interpreter" in needs and not (cleaned.get("language") or "").strip():
            self.add_error(
                "language", ValidationError("Enter the language for the interpreter", code="required")
            )
        if "other" in needs and not (cleaned.get("other") or "").strip():
            self.add_error("other", ValidationError("Enter what help is needed", code="required"))
        return cleaned

    def answer(self) -> dict[str, Any]:
        needs = list(self.cleaned_data["needs"])
        return {
            "needs": needs,
            "language": self.cleaned_data.get("language", "").strip() if "interpreter" in needs else "",
            "other": self.cleaned_data.get("other", "").strip() if "other" in needs else "",
        }


class SendForm(forms.Form):
    """The button on check answers, and a box only bots fill in."""

    website = forms.CharField(required=False, label="Leave this empty")

    def is_from_a_bot(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data["website"])


QUESTION_FORMS: dict[str, type[QuestionForm]] = {
    form.slug: form
    for form in (
        WhoForm,
        YourDetailsForm,
        FamilyAgreedForm,
        HelpForm,
        DecisionsForm,
        DisagreementForm,
        LetterDateForm,
        LetterForm,
        ChildForm,
        PostcodeForm,
        ContactForm,
        AccessForm,
    )
}
