"""No page, leaflet or deadline result says an appeal only about health or social care needs no certificate.

The exemptions are an appeal only about section I (the school or college named, its type, or that
none is named) and a disability discrimination claim. Health and social care recommendations come
only with an appeal about education, which needs the certificate (domain.md section 3).
"""

import datetime
import io
import json
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page

from sendmediation.website.content.corrections import CORRECTIONS, Correction
from sendmediation.website.leaflet import leaflet_html
from sendmediation.website.models import LeafletPage, StandardPage
from sendmediation.website.tests.test_pages import CONTENT_PAGES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_content")]

# "only about …, health or social care" or "only about: … the health or social care
# recommendations": an exemption that does not exist, in any sentence.
NO_CERTIFICATE_FOR_HEALTH = re.compile(r"only about[^.]*\b(health|social care)\b", re.I)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _results(client, **dates: datetime.date) -> str:
    query = {}
    for name, when in dates.items():
        query.update({f"{name}_0": when.day, f"{name}_1": when.month, f"{name}_2": when.year})
    response = client.get(reverse("website:deadlines_results"), query)
    assert response.status_code == 200
    return _text(response.content.decode())


def test_no_public_page_says_health_or_social_care_alone_needs_no_certificate(client):
    for path in CONTENT_PAGES:
        text = _text(client.get(path).content.decode())
        assert not NO_CERTIFICATE_FOR_HEALTH.search(text), path


def test_the_advice_page_gives_the_real_exemptions(client):
    text = _text(client.get("/mediation-advice/").content.decode())
    assert (
        "You can appeal without a certificate if your appeal is only about the school or college named in "
        "the EHC plan, the type of school or college, or that none is named (section I)."
    ) in text
    assert "You do not need one for a disability discrimination claim either" in text
    assert (
        "An appeal cannot be about the health or social care parts of a plan on their own. The Tribunal "
        "can make recommendations about them only as part of an appeal about education"
    ) in text
    assert "and that appeal needs a certificate in the usual way." in text


def test_the_printed_leaflet_gives_the_real_exemptions():
    text = _text(leaflet_html(LeafletPage.objects.get()))
    assert not NO_CERTIFICATE_FOR_HEALTH.search(text)
    assert (
        "You need it to appeal, unless the appeal is only about the school or college named in the plan, "
        "its type, or that none is named. A disability discrimination claim does not need one."
    ) in text


def test_the_deadline_results_give_the_real_exemption(client):
    today = datetime.date.today()
    for text in (
        _results(client, decision_letter_sent=today - datetime.timedelta(days=10)),
        _results(client, decision_letter_sent=today - datetime.timedelta(days=75)),
    ):
        assert not NO_CERTIFICATE_FOR_HEALTH.search(text)
    text = _results(client, decision_letter_sent=today - datetime.timedelta(days=10))
    assert "only about the school or college named in the plan (section I), its type, or that" in text
    assert "An appeal cannot be about health or social care alone" in text


def _install_old_words(correction: Correction) -> Page:
    """The page as an earlier install left it."""
    page = Page.objects.get(slug=correction.slug).specific
    blocks = [dict(block) for block in getattr(page, correction.field).raw_data]
    for block in blocks:
        if correction.right in str(block["value"]):
            block["value"] = block["value"].replace(correction.right, correction.wrong)
    setattr(page, correction.field, json.dumps(blocks))
    page.save_revision().publish()
    assert correction.wrong in str(getattr(page, correction.field).raw_data)
    return page


def test_an_earlier_install_has_its_wrong_words_corrected_once():
    for correction in CORRECTIONS:
        _install_old_words(correction)
    output = io.StringIO()
    call_command("install_site_content", stdout=output)
    assert "corrections to mediation-advice, leaflet, a-mediators-view, accessibility" in output.getvalue()
    for correction in CORRECTIONS:
        page = Page.objects.get(slug=correction.slug).specific
        stored = str(getattr(page, correction.field).raw_data)
        assert correction.wrong not in stored and correction.right in stored, correction.slug
        assert not page.has_unpublished_changes
    output = io.StringIO()
    call_command("install_site_content", stdout=output)
    assert output.getvalue() == "Site content: nothing was missing.\n"


def test_a_page_with_an_editors_draft_or_own_words_is_left_for_the_editor():
    correction = next(c for c in CORRECTIONS if c.slug == "mediation-advice")
    page = _install_old_words(correction)
    page.title = "Advice, being rewritten"
    page.save_revision()  # a draft, not published
    errors = io.StringIO()
    call_command("install_site_content", stdout=io.StringIO(), stderr=errors)
    assert "/mediation-advice/ still has words we installed wrongly, and a draft waiting" in errors.getvalue()
    page = StandardPage.objects.get(slug="mediation-advice")
    assert correction.wrong in str(page.body.raw_data)
    assert page.get_latest_revision().as_object().title == "Advice, being rewritten"
