"""docs/statutory-rules.md says what the code does: its tables are generated from the rules."""

from pathlib import Path

from django.conf import settings

from sendmediation.cases.rules_doc import BEGIN, END, rules_markdown

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "statutory-rules.md"


def test_the_rules_document_matches_the_rules_and_the_clock_table():
    text = DOCUMENT.read_text(encoding="utf-8")
    written = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert written == rules_markdown(), (
        "docs/statutory-rules.md is out of date: paste in the output of "
        "sendmediation.cases.rules_doc.rules_markdown()"
    )
