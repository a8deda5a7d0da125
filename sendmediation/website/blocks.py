"""The pieces staff build content pages from, each drawn as a GOV.UK Design System component."""

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

# Headings come from the heading block, so every page keeps one heading structure.
TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]

address_validator = RegexValidator(
    r"^(/|https://|http://|mailto:|tel:)",
    "Enter an address on this website that starts with /, or a full address that starts with https://",
)


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading"), ("h3", "Sub-heading")], default="h2", label="Kind"
    )

    class Meta:
        icon = "title"
        template = "website/blocks/heading.html"


class LinkValue(blocks.StructValue):
    def href(self) -> str:
        page = self.get("page")
        if page is not None:
            return str(page.url or "")
        return str(self.get("address") or "")


class LinkBlock(blocks.StructBlock):
    """A link to a page of this website or to an address (a path like /request/, or a full URL)."""

    text = blocks.CharBlock(max_length=120, label="Link text")
    page = blocks.PageChooserBlock(required=False)
    address = blocks.CharBlock(
        required=False,
        max_length=500,
        validators=[address_validator],
        help_text="Leave empty when you choose a page. For example /request/ or https://www.gov.uk/…",
    )

    class Meta:
        icon = "link"
        value_class = LinkValue

    def clean(self, value: Any) -> Any:
        cleaned = super().clean(value)
        if bool(cleaned.get("page")) == bool(cleaned.get("address")):
            raise blocks.StructBlockValidationError(
                block_errors={"address": ValidationError("Choose a page or enter an address, not both")}
            )
        return cleaned


class DescribedLinkBlock(LinkBlock):
    description = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        template = "website/blocks/link.html"


class ButtonBlock(LinkBlock):
    class Meta:
        icon = "pick"
        template = "website/blocks/button.html"


class LinkListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    links = blocks.ListBlock(DescribedLinkBlock())

    class Meta:
        icon = "list-ul"
        template = "website/blocks/link_list.html"


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(max_length=200, help_text="The line people select to open the details")
    text = blocks.RichTextBlock(features=TEXT_FEATURES)

    class Meta:
        icon = "collapse-down"
        template = "website/blocks/details.html"


class TableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(max_length=200)
    headers = blocks.ListBlock(blocks.CharBlock(max_length=100, label="Column heading"))
    rows = blocks.ListBlock(blocks.ListBlock(blocks.CharBlock(max_length=500, label="Cell"), label="Row"))

    class Meta:
        icon = "table"
        template = "website/blocks/table.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(
        required=False, max_length=200, help_text="Leave empty to use the document's title"
    )
    description = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        template = "website/blocks/document.html"


class ContactDetailsBlock(blocks.StaticBlock):
    class Meta:
        icon = "mail"
        admin_text = (
            "Our phone number, opening hours, call charges and email address, from the brand settings."
        )
        template = "website/blocks/contact_details.html"


class CookieTableBlock(blocks.StaticBlock):
    """The table of the cookies this site sets, drawn from the settings that set them."""

    class Meta:
        icon = "table"
        admin_text = "The cookies this website sets, their names and how long they last, from the settings."
        template = "website/blocks/cookie_table.html"

    def get_context(self, value: Any, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
        # Here, not at the top: the page models import these blocks before the apps are ready.
        from sendmediation.website.cookies import essential_cookies

        context = super().get_context(value, parent_context=parent_context)
        context["cookies"] = essential_cookies()
        return context


def text_block(**kwargs: Any) -> blocks.RichTextBlock:
    return blocks.RichTextBlock(features=TEXT_FEATURES, template="website/blocks/text.html", **kwargs)


def content_blocks() -> list[tuple[str, blocks.Block]]:
    """The blocks of an ordinary content page."""
    return [
        ("heading", HeadingBlock()),
        ("text", text_block()),
        (
            "inset_text",
            blocks.RichTextBlock(
                features=TEXT_FEATURES, icon="openquote", template="website/blocks/inset_text.html"
            ),
        ),
        ("warning_text", blocks.TextBlock(icon="warning", template="website/blocks/warning_text.html")),
        ("details", DetailsBlock()),
        ("button", ButtonBlock()),
        ("links", LinkListBlock()),
        ("table", TableBlock()),
        ("contact_details", ContactDetailsBlock()),
        ("cookie_table", CookieTableBlock()),
    ]


def leaflet_blocks() -> list[tuple[str, blocks.Block]]:
    """What a printed side of the leaflet can hold: no buttons or folding sections on paper."""
    return [
        ("heading", HeadingBlock()),
        ("text", text_block()),
        (
            "inset_text",
            blocks.RichTextBlock(
                features=TEXT_FEATURES, icon="openquote", template="website/blocks/inset_text.html"
            ),
        ),
        ("warning_text", blocks.TextBlock(icon="warning", template="website/blocks/warning_text.html")),
        ("contact_details", ContactDetailsBlock()),
    ]


class ListedDocumentValue(blocks.StructValue):
    def href(self) -> str:
        document, page = self.get("document"), self.get("page")
        if document is not None:
            return str(document.url)
        if page is not None:
            return str(page.url or "")
        return str(self.get("address") or "")

    def title(self) -> str:
        document = self.get("document")
        return str(self.get("text") or (document.title if document is not None else ""))

    def source(self) -> str:
        """Where the link goes, for the line under the description: "GOV.UK", "ipsea.org.uk"."""
        address = str(self.get("address") or "")
        if not address.startswith(("https://", "http://")):
            return ""
        host = urlsplit(address).hostname or ""
        host = host.removeprefix("www.")
        return "GOV.UK" if host == "gov.uk" else host


class ListedDocumentBlock(blocks.StructBlock):
    """One entry of a document list: a document from the library, a page of ours, or an address."""

    text = blocks.CharBlock(
        required=False, max_length=200, label="Link text", help_text="Leave empty to use the document's title"
    )
    document = DocumentChooserBlock(required=False)
    page = blocks.PageChooserBlock(required=False)
    address = blocks.CharBlock(
        required=False,
        max_length=500,
        validators=[address_validator],
        help_text="For example https://www.gov.uk/… Leave empty when you choose a document or a page.",
    )
    description = blocks.CharBlock(required=False, max_length=300, help_text="What it is, in a sentence")

    class Meta:
        icon = "doc-full"
        value_class = ListedDocumentValue

    def clean(self, value: Any) -> Any:
        cleaned = super().clean(value)
        chosen = [name for name in ("document", "page", "address") if cleaned.get(name)]
        if len(chosen) != 1:
            raise blocks.StructBlockValidationError(
                block_errors={"address": ValidationError("Choose a document or a page, or enter an address")}
            )
        if not cleaned.get("document") and not cleaned.get("text"):
            raise blocks.StructBlockValidationError(
                block_errors={"text": ValidationError("Enter the link text")}
            )
        return cleaned


class DocumentListBlock(blocks.StructBlock):
    """Documents and links in the GOV.UK document list style: title, then description, then source."""

    heading = blocks.CharBlock(required=False, max_length=120)
    items = blocks.ListBlock(ListedDocumentBlock(), label="Documents and links")

    class Meta:
        icon = "list-ul"
        template = "website/blocks/document_list.html"


class LocalSupportBlock(blocks.StructBlock):
    """The family's own local authority's local offer and SENDIASS, found from their postcode."""

    heading = blocks.CharBlock(max_length=120, default="Help where you live")

    class Meta:
        icon = "site"
        template = "website/blocks/local_support.html"
        help_text = (
            "Shows the local offer and SENDIASS of the family's local authority, from the postcode they "
            "checked or typed here. Staff record them for each authority in the Django admin."
        )


def useful_links_blocks() -> list[tuple[str, blocks.Block]]:
    return [
        ("heading", HeadingBlock()),
        ("text", text_block()),
        ("document_list", DocumentListBlock()),
        ("local_support", LocalSupportBlock()),
        ("document", DocumentBlock()),
        ("link", DescribedLinkBlock()),
    ]


class WayWeHelpBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=80)
    text = blocks.TextBlock()
    page = blocks.PageChooserBlock(help_text="The page that explains it")

    class Meta:
        icon = "help"
        template = "website/blocks/way_we_help.html"
