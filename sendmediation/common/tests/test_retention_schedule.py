"""The retention schedule: read from settings.RETENTION, and docs/data-protection.md agrees with it."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sendmediation.common import retention

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "data-protection.md"


def test_the_document_matches_the_settings():
    text = DOCUMENT.read_text(encoding="utf-8")
    begin, end = text.index(retention.DOC_BEGIN), text.index(retention.DOC_END) + len(retention.DOC_END)
    assert text[begin:end] == retention.schedule_markdown(), (
        "docs/data-protection.md is out of date: paste in the output of "
        "sendmediation.common.retention.schedule_markdown()"
    )


def test_the_document_would_notice_a_changed_setting(settings):
    text = DOCUMENT.read_text(encoding="utf-8")
    settings.RETENTION = {**settings.RETENTION, "sent_emails": {"days": 60}}
    assert retention.schedule_markdown() not in text
    assert "| 60 days after the email was delivered |" in retention.schedule_markdown()


def test_every_rule_has_a_setting_and_every_setting_a_rule():
    assert {rule.kind for rule in retention.RULES} == set(settings.RETENTION)


@pytest.mark.parametrize(
    ("kind", "today", "last"),
    [
        ("declined_requests", datetime.date(2026, 11, 30), datetime.date(2026, 9, 1)),
        ("closed_cases", datetime.date(2032, 12, 3), datetime.date(2026, 12, 3)),
        # Six years after 29 February is 28 February, in a year without one.
        ("closed_cases", datetime.date(2030, 2, 28), datetime.date(2024, 2, 28)),
        ("access_log", datetime.date(2028, 2, 29), datetime.date(2026, 2, 28)),
    ],
)
def test_the_last_day_to_go(kind, today, last):
    assert retention.last_day_to_go(kind, today=today) == last


@pytest.mark.parametrize("entry", [{"days": 0}, {"weeks": 3}, {"days": 3, "years": 1}, 90, {"days": "90"}])
def test_a_wrong_setting_is_refused_in_words(settings, entry):
    settings.RETENTION = {**settings.RETENTION, "sent_emails": entry}
    with pytest.raises(ImproperlyConfigured, match='RETENTION\\["sent_emails"\\]'):
        retention.in_words("sent_emails")


def test_periods_in_words():
    assert retention.in_words("closed_cases") == "6 years"
    assert retention.in_words("declined_requests") == "90 days"
