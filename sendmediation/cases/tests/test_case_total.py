"""The number of cases the database keeps for the case list agrees with a count, on both databases,
however the cases are added or removed, and the unfiltered list shows it without counting."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sendmediation.cases import case_total as kept
from sendmediation.cases.models import Case
from sendmediation.cases.tests.builders import open_case

pytestmark = pytest.mark.django_db


def _agrees() -> int:
    total = kept.case_total()
    assert total == Case.objects.count()
    return total


def test_the_triggers_that_keep_the_total_are_there_after_every_migration():
    """SQLite drops a table's triggers when a migration rebuilds the table: one that does must make
    them again (see ``sendmediation/cases/case_total.py``)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases_case'"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'cases_case'::regclass AND NOT tgisinternal"
            )
        found = {name for (name,) in cursor.fetchall()}
    wanted = {"cases_case_total_added", "cases_case_total_removed"}
    if connection.vendor == "postgresql":
        wanted.add("cases_case_total_emptied")
    assert wanted <= found, f"missing: {sorted(wanted - found)}; a migration must make them again"


def test_the_total_follows_cases_opened_copied_in_bulk_and_removed(personas):
    start = _agrees()
    first = open_case(personas)
    open_case(personas, child_first_name="Zara")
    assert _agrees() == start + 2

    # Many rows in one statement, as the demo data and a restore write them.
    copies = []
    for number in range(7):
        copy = Case.objects.get(pk=first.pk)
        copy.pk = None
        copy.reference = f"MED-2026-{900000 + number:06d}"
        copies.append(copy)
    Case.objects.bulk_create(copies)
    assert _agrees() == start + 9

    # The copies have no history, so they may be removed: one alone, then the rest in one statement.
    Case.objects.get(reference="MED-2026-900006").delete()
    assert _agrees() == start + 8
    Case.objects.filter(reference__startswith="MED-2026-9000").delete()
    assert _agrees() == start + 2


def test_a_removal_that_finds_nothing_changes_nothing(personas):
    start = _agrees()
    Case.objects.filter(reference="MED-1999-000000").delete()
    assert _agrees() == start


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="folding is how PostgreSQL keeps the total small"
)
def test_postgresql_folds_its_changes_into_one_row_and_keeps_the_total(personas, monkeypatch):
    monkeypatch.setattr(kept, "FOLD_AFTER", 3)
    for number in range(5):
        open_case(personas, child_first_name=f"Child{number}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {kept.TABLE}")  # noqa: S608 - constant
        assert cursor.fetchone()[0] > 3
    total = _agrees()  # reading folds
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), SUM(change) FROM {kept.TABLE}")  # noqa: S608 - constant
        assert cursor.fetchone() == (1, total)
    open_case(personas, child_first_name="After")
    assert _agrees() == total + 1


@pytest.mark.django_db(transaction=True)
def test_the_total_is_right_after_the_database_is_emptied(personas):
    """``flush`` empties the tables between tests that commit (TRUNCATE on PostgreSQL, DELETE on
    SQLite): the total must empty with them, since the table is not a model flush knows about."""
    open_case(personas)
    call_command("flush", interactive=False, verbosity=0)
    assert Case.objects.count() == 0
    assert kept.case_total() == 0


def test_the_unfiltered_list_shows_the_kept_total_and_does_not_count_the_cases(personas, client):
    for number in range(3):
        open_case(personas, child_first_name=f"Child{number}", received_on=datetime.date(2026, 10, 2))
    client.force_login(personas.manager)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("cases:case_list"))
    assert response.status_code == 200
    assert f"{Case.objects.count()} cases" in response.content.decode()
    counted = [
        q["sql"] for q in captured.captured_queries if 'COUNT(*) AS "__count" FROM "cases_case"' in q["sql"]
    ]
    assert counted == []

    # A filter counts its own cases, as before.
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("cases:case_list"), {"status": Case.Status.CLOSED})
    assert "0 cases" in response.content.decode()
    assert any('COUNT(*) AS "__count" FROM "cases_case"' in q["sql"] for q in captured.captured_queries)


def test_someone_who_sees_some_cases_only_gets_a_count_of_those(personas, client):
    open_case(personas)
    client.force_login(personas.adviser)
    response = client.get(reverse("cases:case_list"))
    shown = Case.objects.visible_to(personas.adviser).count()
    assert shown < Case.objects.count() or Case.objects.count() == shown
    assert f"{shown} case" in response.content.decode()


def test_a_search_for_one_name_word_shows_the_cases_it_finds_counted_from_the_words(personas, client):
    from sendmediation.cases.queries import search_filter

    open_case(personas, child_last_name="Okafor")
    open_case(personas, child_last_name="Okafor-Smith", child_first_name="Ada")
    open_case(personas, child_last_name="Oakley")
    client.force_login(personas.manager)
    for typed, counted in (("okaf", False), ("Ada Okafor", True), ("MED-2026", True)):
        found = Case.objects.filter(search_filter(typed)).count()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("cases:case_list"), {"q": typed})
        assert f">{found} case" in response.content.decode(), typed
        counts_cases = any(
            'COUNT(*) AS "__count" FROM "cases_case"' in q["sql"] for q in captured.captured_queries
        )
        assert counts_cases is counted, typed
    assert Case.objects.filter(search_filter("okaf")).count() == 2
