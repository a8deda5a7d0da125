"""Finding cases by name: any word of the child's or a party's name, from its first letters."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sendmediation.cases import services
from sendmediation.cases.demo import generate
from sendmediation.cases.models import Case, SearchWord
from sendmediation.cases.queries import case_list, known_order
from sendmediation.cases.search import newest_first, words
from sendmediation.cases.tests.builders import open_case
from sendmediation.statutory.services import base_calendar

pytestmark = pytest.mark.django_db


def found(personas, text: str) -> list[str]:
    return list(
        case_list(personas.manager, today=timezone.localdate(), q=text).values_list(
            "child_first_name", flat=True
        )
    )


def test_words_are_lower_case_without_accents_split_at_punctuation():
    assert words("Zoë O'Neil-Smith") == ["zoe", "o", "neil", "smith"]
    assert words("  ÁNGEL  de la Cruz ") == ["angel", "de", "la", "cruz"]
    assert words("2nd floor") == ["nd", "floor"]


def test_a_case_is_found_by_the_start_of_any_name_word(personas):
    open_case(personas, child_first_name="Zoë", child_last_name="O'Neil-Smith")
    open_case(personas, child_first_name="Sam", child_last_name="Neilson")
    assert sorted(found(personas, "neil")) == ["Sam", "Zoë"]
    assert found(personas, "zoe smi") == ["Zoë"]  # every word typed must match
    assert found(personas, "ZOË") == ["Zoë"]
    assert found(personas, "eil") == []  # the start of a word, not the middle
    # The parent, a party, is found too (the builder's parent is Sarah Khan).
    assert sorted(found(personas, "sarah")) == ["Sam", "Zoë"]


@pytest.mark.parametrize("text", ["2026", "-", "07/10", "  ' "])
def test_a_search_with_no_letters_and_no_reference_finds_nothing_rather_than_everything(personas, text):
    open_case(personas, child_first_name="Zoë", child_last_name="O'Neil-Smith")
    assert found(personas, text) == []
    assert found(personas, "") == ["Zoë"]  # an empty search is no filter at all


def test_changing_a_name_or_adding_a_party_keeps_the_words_in_step(personas):
    case = open_case(personas, child_first_name="Ruby", child_last_name="Hall")
    services.update_details(
        actor=personas.coordinator,
        case=case,
        child_first_name="Ruby",
        child_last_name="Hale",
        child_date_of_birth=case.child_date_of_birth,
        postcode=case.postcode,
        local_authority=case.local_authority,
        decisions=case.decisions,
        decision_letter_sent=case.decision_letter_sent,
        issues_education=case.issues_education,
        issues_health=case.issues_health,
        issues_social_care=case.issues_social_care,
        summary=case.summary,
        calendar=base_calendar(),
    )
    assert found(personas, "hall") == [] and found(personas, "hale") == ["Ruby"]
    services.add_party(
        actor=personas.coordinator,
        case=case,
        role="education_provider",
        name="Mrs Priya Venkataraman",
        organisation="",
    )
    assert found(personas, "venkat") == ["Ruby"]


def test_the_national_generator_writes_the_words_too(personas):
    generate(count=50, calendar=base_calendar(), today=datetime.date(2026, 11, 28), seed=7, progress=None)
    case = Case.objects.order_by("id").last()
    assert case is not None
    expected = set(words(case.child_first_name) + words(case.child_last_name))
    assert expected <= set(SearchWord.objects.filter(case=case).values_list("word", flat=True))
    assert case.child_first_name in found(personas, f"{case.child_first_name} {case.child_last_name}")


def test_each_word_keeps_its_cases_date(personas):
    case = open_case(
        personas, child_first_name="Ruby", child_last_name="Hall", received_on=datetime.date(2026, 9, 1)
    )
    services.add_party(
        actor=personas.coordinator,
        case=case,
        role="education_provider",
        name="Mr Idris Venn",
        organisation="",
    )
    generate(count=20, calendar=base_calendar(), today=datetime.date(2026, 11, 28), seed=3, progress=None)
    wrong = SearchWord.objects.exclude(received_on=F("case__received_on"))
    assert SearchWord.objects.filter(case=case, word="venn").exists() and not wrong.exists()


def test_a_name_searched_alone_is_paged_from_the_words_in_the_lists_own_order(personas):
    # Several cases a day, the word twice on one case (the child's and the parent's), and another
    # word starting the same way: the words give the same cases, in the same order, as the cases do.
    days = [datetime.date(2026, 10, day) for day in (2, 2, 5, 1, 5, 2, 3)]
    for number, day in enumerate(days):
        open_case(personas, child_first_name=f"Child{number}", child_last_name="Khanna", received_on=day)
    open_case(personas, child_first_name="Other", child_last_name="Okafor", received_on=days[0])
    for text in ("khan", "Khanna", "sarah", "child", "zz"):
        expected = list(
            case_list(personas.manager, today=timezone.localdate(), q=text).values_list("pk", flat=True)
        )
        from_words = newest_first(text)
        assert from_words is not None
        assert list(from_words) == expected, text
        assert list(from_words[2:5]) == expected[2:5], text
        assert known_order(personas.manager, {"q": text}) is not None or not words(text)
    assert newest_first("sarah khan") is None  # more than one word: the cases are intersected
    # Only for someone who sees every case, and for a name alone.
    assert known_order(personas.adviser, {"q": "khan"}) is None
    assert known_order(personas.la_officer, {"q": "khan"}) is None
    assert known_order(personas.manager, {"q": "khan", "status": "received"}) is None
    assert known_order(personas.manager, {"q": "MED-2026"}) is None

    client = Client()
    client.force_login(personas.manager)
    listed = client.get(reverse("cases:case_list"), {"q": "khan"}).context["page"].object_list
    references = case_list(personas.manager, today=timezone.localdate(), q="khan").values_list(
        "reference", flat=True
    )
    assert [row.reference for row in listed] == list(references)
