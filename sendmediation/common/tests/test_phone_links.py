"""Every phone number a page shows is a link a phone can call."""

import re
from pathlib import Path

import pytest

from sendmediation.common.templatetags.phone import tel_address, tel_link

ROOT = Path(__file__).resolve().parents[2]
# A printed page (PDF) cannot be tapped; emails write their own links, checked in notifications.
NOT_PAGES = re.compile(r"(_pdf\.html|/emails/)")
# A phone number in a template: {{ brand.phone }}, {{ party.phone }}, {{ x.contact_phone|default:… }}…
PHONE = re.compile(r"{{\s*[\w.]*phone(?!_hours|_charges)\b[^}]*}}")
TEL_LINK = re.compile(r'<a\b[^>]*?href="tel:.*?</a>', re.DOTALL)


def _pages():
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        if not NOT_PAGES.search(path.as_posix()):
            yield path


def test_every_phone_number_on_a_page_is_a_tel_link():
    bare = []
    for path in _pages():
        text = TEL_LINK.sub("", path.read_text())
        for match in PHONE.finditer(text):
            if "tel_link" not in match.group():
                bare.append(f"{path.relative_to(ROOT)}: {match.group()}")
    assert bare == []


@pytest.mark.parametrize(
    ("number", "address"),
    [
        ("0300 123 4567", "tel:03001234567"),
        ("+44 (0)20 7946 0000", "tel:+442079460000"),
        ("01632-960 001", "tel:01632960001"),
    ],
)
def test_the_link_dials_the_digits(number, address):
    assert tel_address(number) == address


def test_the_link_shows_the_number_as_written_and_escapes_it():
    assert tel_link("0300 123 4567") == '<a class="govuk-link" href="tel:03001234567">0300 123 4567</a>'
    assert tel_link("") == "" and tel_link(None) == ""
    assert "<b>" not in tel_link("<b>0300</b>")
