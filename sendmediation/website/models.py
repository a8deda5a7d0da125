"""The public pages staff edit in Wagtail, and the testimonials shown on them."""

from __future__ import annotations

import datetime
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.documents.models import Document
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from sendmediation.common.invalid_forms import keep_and_redirect, restore
from sendmediation.localities.models import LocalAuthority
from sendmediation.website import blocks, local_support
from sendmediation.website.leaflet import check_leaflet_fits

VIDEO_EXTENSIONS = {".mp4", ".webm"}
CAPTION_EXTENSIONS = {".vtt"}


class TestimonialQuerySet(models.QuerySet["Testimonial"]):
    def with_consent(self) -> TestimonialQuerySet:
        """Only what the person agreed we may show."""
        return self.filter(consent_recorded=True, consent_date__isnull=False)

    def shown_on_website(self, *, on: datetime.date) -> TestimonialQuerySet:
        """What pages show: agreed to, and from an area we cover on that day, so that nobody reads a
        family's words from a place where we cannot help them. The one way pages fetch testimonials."""
        return self.with_consent().filter(area__in=LocalAuthority.objects.covered(on=on))


class Testimonial(models.Model):
    """What a family said about the service, shown only once they have agreed to it."""

    quote = models.TextField()
    attribution = models.CharField(
        max_length=100,
        help_text='Who said it, without their name: for example "Parent, Hampshire" or "Young person, 17"',
    )
    area: models.ForeignKey[LocalAuthority | None, LocalAuthority | None] = models.ForeignKey(
        LocalAuthority,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Their local authority",
        help_text="Where the person lives. The testimonial is shown only while we cover that area.",
    )
    consent_recorded = models.BooleanField(
        "The person agreed that we may show this on the website", default=False
    )
    consent_date = models.DateField(
        "Date they agreed", null=True, blank=True, help_text="Needed when the person has agreed"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The follow-up survey comment it was made from, if any: one testimonial per comment.
    from_survey = models.OneToOneField(
        "feedback.FollowUpSurvey",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="testimonial",
    )

    objects = TestimonialQuerySet.as_manager()

    panels = [
        FieldPanel("quote"),
        FieldPanel("attribution"),
        FieldPanel("area"),
        MultiFieldPanel(
            [
                HelpPanel(
                    "A testimonial is shown only when the person's agreement is recorded here. "
                    "Untick the box if they change their mind."
                ),
                FieldPanel("consent_recorded"),
                FieldPanel("consent_date"),
            ],
            heading="Consent",
        ),
    ]

    class Meta:
        ordering = ["-consent_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_recorded=False) | models.Q(consent_date__isnull=False),
                name="testimonial_consent_has_a_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.attribution}: {self.quote[:60]}"

    def clean(self) -> None:
        if self.consent_recorded and self.consent_date is None:
            raise ValidationError({"consent_date": "Enter the date the person agreed"})
        if self.consent_date is not None and self.consent_date > timezone.localdate():
            raise ValidationError({"consent_date": "The date they agreed must be today or in the past"})


class HomePage(Page):
    intro = RichTextField(features=["bold", "link"], help_text="The service in a few lines")
    ways_heading: models.CharField[str, str] = models.CharField(max_length=120, default="How we can help")
    ways_we_help = StreamField([("way", blocks.WayWeHelpBlock())])
    body = StreamField(blocks.content_blocks(), blank=True, help_text="Shown after the ways we help")
    testimonials_heading: models.CharField[str, str] = models.CharField(
        max_length=120, default="What families say"
    )

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("ways_heading"),
        FieldPanel("ways_we_help"),
        FieldPanel("body"),
        FieldPanel("testimonials_heading"),
        HelpPanel(
            "The home page also shows the buttons to ask for help and work out deadlines, the "
            "postcode check, up to three testimonials whose consent is recorded and whose area we cover, "
            "and our contact details."
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    def testimonials(self) -> TestimonialQuerySet:
        return Testimonial.objects.shown_on_website(on=timezone.localdate())[:3]

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        # The real number, from the coverage records, so the promise never drifts from the list.
        context["covered_count"] = LocalAuthority.objects.covered(on=timezone.localdate()).count()
        return context


class StandardPage(Page):
    summary: models.TextField[str, str] = models.TextField(
        blank=True, help_text="One or two sentences shown under the title"
    )
    body = StreamField(blocks.content_blocks())

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]


def _extension(document: Any) -> str:
    return PurePosixPath(document.file.name).suffix.lower()


class ArticlePage(Page):
    """An article that can carry a captioned video, played by the browser from our own server."""

    summary: models.TextField[str, str] = models.TextField(
        blank=True, help_text="One or two sentences shown under the title"
    )
    video: models.ForeignKey[Document | None, Document | None] = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="An MP4 or WebM file uploaded to Documents",
    )
    captions: models.ForeignKey[Document | None, Document | None] = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Captions for the video: a WebVTT (.vtt) file uploaded to Documents",
    )
    transcript = RichTextField(
        features=blocks.TEXT_FEATURES, blank=True, help_text="Everything said in the video, as text"
    )
    body = StreamField(blocks.content_blocks(), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("video"), FieldPanel("captions")], heading="Video"),
        FieldPanel("transcript"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("transcript"),
        index.SearchField("body"),
    ]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.video is not None:
            if _extension(self.video) not in VIDEO_EXTENSIONS:
                errors["video"] = "The video must be an MP4 or WebM file"
            if self.captions is None:
                errors["captions"] = "Add a captions file (WebVTT) for the video"
            if not self.transcript:
                errors["transcript"] = "Add a transcript of the video"
        if self.captions is not None and _extension(self.captions) not in CAPTION_EXTENSIONS:
            errors["captions"] = "The captions must be a WebVTT file, ending .vtt"
        if errors:
            raise ValidationError(errors)


class UsefulLinksPage(Page):
    """Documents and links, and the family's own local offer and SENDIASS found from their postcode."""

    summary: models.TextField[str, str] = models.TextField(
        blank=True, help_text="One or two sentences shown under the title"
    )
    body = StreamField(blocks.useful_links_blocks())

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        form = restore(request, local_support.LocalSupportForm, key=local_support.FORM_KEY)
        context["local_support_form"] = form or local_support.LocalSupportForm()
        context["local_support"] = local_support.local_support_for(request)
        return context

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            form = local_support.LocalSupportForm(request.POST)
            if not form.is_valid():
                return keep_and_redirect(request, form, key=local_support.FORM_KEY)
            local_support.remember_authority(request, form.cleaned_data["postcode"])
            return HttpResponseRedirect(f"{self.url}#local-support", status=303)
        response: HttpResponse = super().serve(request, *args, **kwargs)
        if not request.session.is_empty():
            # What it shows depends on this visitor's session: never kept by any cache. A visitor
            # with no session sees the page everyone sees, which the page cache may keep.
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class LeafletPage(Page):
    """The printable leaflet: side 1 and side 2 of an A4 sheet, also shown as a web page."""

    summary: models.TextField[str, str] = models.TextField(
        blank=True, help_text="Shown on the web page only, under the title"
    )
    front = StreamField(blocks.leaflet_blocks(), verbose_name="side 1")
    back = StreamField(blocks.leaflet_blocks(), verbose_name="side 2")

    max_count = 1
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        HelpPanel(
            "The leaflet prints on both sides of one A4 sheet. Side 1 starts with the title. Our phone "
            "number, email address and website are added at the end of side 2. If a side is too long "
            "to fit, you will be asked to shorten it."
        ),
        FieldPanel("front"),
        FieldPanel("back"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("front"), index.SearchField("back")]

    def clean(self) -> None:
        super().clean()
        check_leaflet_fits(self)
