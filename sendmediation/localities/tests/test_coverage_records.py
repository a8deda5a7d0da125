"""The 153 authorities in the database, coverage per authority, and the history of every change."""

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sendmediation.localities import coverage
from sendmediation.localities.authorities import AUTHORITIES
from sendmediation.localities.models import CoverageChange, LocalAuthority
from sendmediation.localities.services import sync_authorities, update_coverage

pytestmark = pytest.mark.django_db

APRIL_2024 = datetime.date(2024, 4, 1)


def westminster() -> LocalAuthority:
    return LocalAuthority.objects.get(code="E09000033")


# Loading the table


def test_the_migration_loads_all_153_authorities() -> None:
    assert LocalAuthority.objects.count() == 153
    assert {(a.code, a.name, a.kind) for a in LocalAuthority.objects.all()} == {
        (a.code, a.name, a.kind.value) for a in AUTHORITIES
    }


def test_loading_again_adds_nothing_and_corrects_names_and_kinds() -> None:
    LocalAuthority.objects.filter(code="E06000023").update(name="Bristol", kind="county")
    LocalAuthority.objects.filter(code="E09000012").delete()

    result = sync_authorities()

    assert (result.created, result.updated, result.unchanged) == (1, 1, 151)
    assert LocalAuthority.objects.count() == 153
    bristol = LocalAuthority.objects.get(code="E06000023")
    assert (bristol.name, bristol.kind) == ("Bristol, City of", "unitary")
    again = sync_authorities()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 153)


def test_loading_keeps_coverage_and_never_deletes() -> None:
    update_coverage(authority=westminster(), actor=None, changes={"covered_from": APRIL_2024}, via="test")
    LocalAuthority.objects.create(code="E10000006", name="Cumbria", kind="county")
    result = sync_authorities()
    assert result.not_in_table == ("E10000006",)
    assert LocalAuthority.objects.count() == 154
    assert westminster().covered_from == APRIL_2024


def test_personas_find_the_loaded_authorities(personas) -> None:
    assert personas.authority.code == "E09000033"
    assert personas.other_authority.name == "Kent"
    assert LocalAuthority.objects.count() == 153


# Coverage on a date


def test_covered_on_a_date_counts_both_ends_of_the_period() -> None:
    kent = LocalAuthority.objects.get(code="E10000016")
    update_coverage(authority=westminster(), actor=None, changes={"covered_from": APRIL_2024}, via="test")
    update_coverage(
        authority=kent,
        actor=None,
        changes={"covered_from": APRIL_2024, "covered_to": datetime.date(2025, 3, 31)},
        via="test",
    )

    def covered(day: datetime.date) -> set[str]:
        return set(LocalAuthority.objects.covered(on=day).values_list("code", flat=True))

    assert covered(datetime.date(2024, 3, 31)) == set()
    assert covered(APRIL_2024) == {"E09000033", "E10000016"}
    assert covered(datetime.date(2025, 3, 31)) == {"E09000033", "E10000016"}
    assert covered(datetime.date(2025, 4, 1)) == {"E09000033"}
    assert LocalAuthority.objects.not_covered(on=datetime.date(2025, 4, 1)).count() == 152
    assert kent.is_covered(on=datetime.date(2025, 3, 31))
    assert not kent.is_covered(on=datetime.date(2025, 4, 1))
    for day in (datetime.date(2024, 3, 31), APRIL_2024, datetime.date(2025, 4, 1)):
        assert coverage.is_covered("E10000016", on=day) is ("E10000016" in covered(day))


def test_the_database_refuses_an_end_before_the_start() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        LocalAuthority.objects.filter(code="E09000033").update(
            covered_from=APRIL_2024, covered_to=datetime.date(2024, 3, 1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        LocalAuthority.objects.filter(code="E09000033").update(covered_to=APRIL_2024)


# Changing coverage and its history


def test_each_changed_field_is_recorded_with_who_when_old_and_new(personas) -> None:
    authority = westminster()
    recorded = update_coverage(
        authority=authority,
        actor=personas.manager,
        changes={
            "covered_from": APRIL_2024,
            "contact_name": "London team",
            "contact_phone": "0808 157 0210",
            "notes": "",
        },
    )

    assert {change.field for change in recorded} == {"covered_from", "contact_name", "contact_phone"}
    rows = CoverageChange.objects.filter(authority=authority).order_by("field")
    assert [(row.field, row.old_value, row.new_value, row.changed_by, row.via) for row in rows] == [
        ("contact_name", "", "London team", personas.manager, "admin"),
        ("contact_phone", "", "0808 157 0210", personas.manager, "admin"),
        ("covered_from", "", "2024-04-01", personas.manager, "admin"),
    ]
    assert len({row.changed_at for row in rows}) == 1
    assert authority.covered_from == APRIL_2024  # the caller's copy is brought up to date
    assert westminster().contact_name == "London team"

    update_coverage(
        authority=authority,
        actor=personas.coordinator,
        changes={"covered_to": datetime.date(2027, 3, 31), "contact_name": "London team"},
    )
    latest = CoverageChange.objects.filter(authority=authority).first()
    assert latest is not None
    assert (latest.field, latest.old_value, latest.new_value, latest.changed_by) == (
        "covered_to",
        "",
        "2027-03-31",
        personas.coordinator,
    )
    assert CoverageChange.objects.filter(authority=authority).count() == 4


def test_stopping_coverage_records_the_old_dates(personas) -> None:
    authority = westminster()
    update_coverage(authority=authority, actor=personas.manager, changes={"covered_from": APRIL_2024})
    update_coverage(authority=authority, actor=personas.manager, changes={"covered_from": None})
    latest = CoverageChange.objects.filter(authority=authority).first()
    assert latest is not None
    assert (latest.field, latest.old_value, latest.new_value) == ("covered_from", "2024-04-01", "")
    assert not westminster().is_covered(on=datetime.date(2026, 1, 1))


def test_no_change_records_nothing(personas) -> None:
    assert update_coverage(authority=westminster(), actor=personas.manager, changes={"notes": ""}) == []
    assert not CoverageChange.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"covered_to": APRIL_2024}, "covered_from"),
        ({"covered_from": APRIL_2024, "covered_to": datetime.date(2024, 3, 31)}, "covered_to"),
    ],
)
def test_impossible_dates_change_nothing(personas, changes, field) -> None:
    with pytest.raises(ValidationError) as raised:
        update_coverage(authority=westminster(), actor=personas.manager, changes=changes)
    assert field in raised.value.message_dict
    assert not CoverageChange.objects.exists()
    assert westminster().covered_from is None


def test_unknown_fields_are_refused(personas) -> None:
    with pytest.raises(ValueError, match="name"):
        update_coverage(authority=westminster(), actor=personas.manager, changes={"name": "Elsewhere"})


def test_a_change_is_seen_at_once_by_the_process_that_made_it(personas) -> None:
    assert coverage.is_covered("E09000033") is False  # now cached
    update_coverage(authority=westminster(), actor=personas.manager, changes={"covered_from": APRIL_2024})
    assert coverage.is_covered("E09000033") is True


def test_other_processes_see_a_change_within_the_cache_lifetime(personas, settings) -> None:
    settings.COVERAGE_CACHE_SECONDS = 2
    assert coverage.is_covered("E09000033") is False
    # Another process's change: the database moves, and this process's cache does not know yet.
    LocalAuthority.objects.filter(code="E09000033").update(covered_from=APRIL_2024)
    assert coverage.is_covered("E09000033") is False
    time.sleep(2.1)
    assert coverage.is_covered("E09000033") is True


def test_the_cache_is_read_again_at_midnight(settings) -> None:
    settings.COVERAGE_CACHE_SECONDS = 7 * 24 * 3600
    coverage.is_covered("E09000033")
    assert coverage._cached is not None
    local_now = timezone.localtime()
    midnight = datetime.datetime.combine(
        local_now.date() + datetime.timedelta(days=1), datetime.time(), local_now.tzinfo
    )
    assert coverage._cached.expires == midnight.timestamp()


def test_reading_coverage_costs_one_query_per_cache_lifetime(django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        for _ in range(50):
            coverage.is_covered("E09000033")


# Admin


@pytest.fixture
def admin_client(client, personas):
    personas.manager.is_staff = True
    personas.manager.is_superuser = True
    personas.manager.save()
    client.force_login(personas.manager)
    return client


def admin_form(authority: LocalAuthority, **values: str) -> dict[str, str]:
    form = {
        "covered_from": "",
        "covered_to": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        "notes": "",
        "other_provider_name": "",
        "other_provider_website": "",
        "other_provider_phone": "",
        "coverage_changes-TOTAL_FORMS": "0",
        "coverage_changes-INITIAL_FORMS": "0",
        "coverage_changes-MIN_NUM_FORMS": "0",
        "coverage_changes-MAX_NUM_FORMS": "1000",
    }
    form.update(values)
    return form


def test_staff_change_coverage_in_admin_and_the_change_is_recorded(admin_client, personas) -> None:
    authority = westminster()
    url = reverse("admin:localities_localauthority_change", args=[authority.pk])
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(
        url,
        admin_form(authority, covered_from="2024-04-01", contact_email="london@kestrel-mediation.example"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    rows = CoverageChange.objects.filter(authority=authority).order_by("field")
    assert [(row.field, row.old_value, row.new_value, row.changed_by, row.via) for row in rows] == [
        ("contact_email", "", "london@kestrel-mediation.example", personas.manager, "admin"),
        ("covered_from", "", "2024-04-01", personas.manager, "admin"),
    ]
    assert westminster().covered_from == APRIL_2024
    page = admin_client.get(url).content.decode()
    assert "History of coverage changes" in page
    assert "london@kestrel-mediation.example" in page


def test_admin_shows_impossible_dates_as_an_error(admin_client) -> None:
    authority = westminster()
    url = reverse("admin:localities_localauthority_change", args=[authority.pk])
    response = admin_client.post(
        url, admin_form(authority, covered_from="2024-04-01", covered_to="2024-03-01")
    )
    assert response.status_code == 200
    assert "must be the same as or after the start" in response.content.decode()
    assert not CoverageChange.objects.exists()


def test_admin_cannot_add_or_delete_authorities_or_rewrite_history(admin_client, personas) -> None:
    update_coverage(authority=westminster(), actor=personas.manager, changes={"covered_from": APRIL_2024})
    change = CoverageChange.objects.get()
    assert admin_client.get(reverse("admin:localities_localauthority_add")).status_code == 403
    delete = reverse("admin:localities_localauthority_delete", args=[westminster().pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:localities_coveragechange_changelist")).status_code == 200
    history = reverse("admin:localities_coveragechange_change", args=[change.pk])
    admin_client.post(history, {"new_value": "2020-01-01"})
    change.refresh_from_db()
    assert change.new_value == "2024-04-01"
    assert (
        admin_client.post(
            reverse("admin:localities_coveragechange_delete", args=[change.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert CoverageChange.objects.count() == 1


def test_admin_lists_coverage_today(admin_client, personas) -> None:
    update_coverage(authority=westminster(), actor=personas.manager, changes={"covered_from": APRIL_2024})
    url = reverse("admin:localities_localauthority_changelist")
    covered = admin_client.get(url, {"covered": "yes"})
    assert list(covered.context["cl"].result_list) == [westminster()]
    assert admin_client.get(url, {"covered": "no"}).context["cl"].result_count == 152
