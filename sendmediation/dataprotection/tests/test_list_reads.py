"""Every read of personal data is logged, lists included: the case list and search, My work, the
request list, the API's case list, admin change pages and previews. A list read keeps what was asked
for (the filters and the search), how many results were shown and the page, never the results."""

from __future__ import annotations

import datetime
import html as html_lib
import json
import re

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint, Q
from django.urls import reverse
from django.utils import timezone

from sendmediation.accounts.models import User
from sendmediation.accounts.tokens import create_api_token
from sendmediation.agreements import services as agreement_services
from sendmediation.agreements.tests.helpers import ITEMS, held_case
from sendmediation.cases.access_alerts import alert_on_many_cases_opened, cases_opened_within_the_hour
from sendmediation.cases.access_log import broken_links, row_digest
from sendmediation.cases.models import AccessLog, Case
from sendmediation.cases.queries import log_access, log_list_read
from sendmediation.cases.tests.builders import case_in, open_case
from sendmediation.dataprotection import access_report
from sendmediation.dataprotection.admin_reads import NO_PERSONAL_DATA, logs_reads
from sendmediation.intake import services as intake_services
from sendmediation.intake.tests.test_services import complete_draft
from sendmediation.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

# The names of the family in the builders' cases and requests: never in a list read's row.
NAMES = ("Amir", "Khan", "Sarah")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _only_row() -> AccessLog:
    rows = list(AccessLog.objects.all())
    assert len(rows) == 1, [(row.what, row.case_id) for row in rows]
    return rows[0]


def _holds_no_name(row: AccessLog, *, allowed: str = "") -> None:
    text = json.dumps(row.query) + row.item
    for name in NAMES:
        if name.lower() not in allowed.lower():
            assert name.lower() not in text.lower(), text


def _cells(page_html: str, label: str) -> list[str]:
    found = re.findall(rf'<td data-label="{label}"[^>]*>(.*?)</td>', page_html, flags=re.S)
    return [html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", cell).split())) for cell in found]


# --- each door writes one row ---------------------------------------------------------------------


def test_the_case_list_and_its_search_write_one_row_with_the_query(personas, client):
    for index in range(3):
        open_case(personas, child_first_name=f"Amir{index}")
    open_case(personas, child_first_name="Bea", child_last_name="Stone")
    AccessLog.objects.all().delete()
    client.force_login(personas.coordinator)

    response = client.get(reverse("cases:case_list"), {"q": "Khan", "status": "received", "page": "1"})
    assert response.status_code == 200
    assert "Amir0" in response.content.decode()  # the results are on the page...
    row = _only_row()
    assert row.what == AccessLog.What.CASE_LIST
    assert row.user == personas.coordinator
    assert row.case is None and row.help_request is None
    # ...and the row keeps what was asked for, not who was found.
    assert row.query == {"q": "Khan", "status": "received"}
    assert row.shown == len(response.context["page"].object_list) == 4 and row.page == 1
    _holds_no_name(row, allowed="Khan")
    assert "Amir" not in json.dumps(row.query)


def test_the_case_list_without_filters_keeps_an_empty_query(personas, client):
    open_case(personas)
    AccessLog.objects.all().delete()
    client.force_login(personas.manager)
    assert client.get(reverse("cases:case_list"), {"unknown": "Amir"}).status_code == 200
    row = _only_row()
    assert row.what == AccessLog.What.CASE_LIST and row.query == {} and row.shown == 1 and row.page == 1
    _holds_no_name(row)


def test_a_search_with_a_nul_character_is_refused_in_words_and_logged_without_it(personas, client):
    """PostgreSQL's JSON cannot hold the NUL character: the row keeps the replacement character."""
    open_case(personas)
    AccessLog.objects.all().delete()
    client.force_login(personas.manager)
    response = client.get(reverse("cases:case_list"), {"q": "\x00Kh\x00an"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    row = _only_row()
    assert row.query == {"q": "\ufffdKh\ufffdan"}
    assert not list(broken_links())


def test_my_work_writes_one_row(personas, client):
    case_in(personas, Case.Status.ADVICE_GIVEN)
    AccessLog.objects.all().delete()
    client.force_login(personas.manager)
    response = client.get(reverse("cases:my_work"))
    assert response.status_code == 200
    row = _only_row()
    assert row.what == AccessLog.What.MY_WORK and row.user == personas.manager
    assert row.case is None and row.query == {} and row.page is None
    shown = sum(len(bucket.rows) for bucket in response.context["buckets"])
    assert row.shown == shown and shown >= 1
    _holds_no_name(row)


def test_the_request_list_writes_one_row(personas, client):
    intake_services.submit_request(draft=complete_draft())
    intake_services.submit_request(draft=complete_draft())
    client.force_login(personas.coordinator)
    response = client.get(reverse("cases:request_list"))
    assert response.status_code == 200
    row = _only_row()
    assert row.what == AccessLog.What.REQUEST_LIST and row.help_request is None and row.case is None
    assert row.shown == 2 and row.page == 1 and row.query == {}
    _holds_no_name(row)


def test_a_persons_access_report_writes_one_row_naming_whose_and_the_period(personas, client):
    """The report shows what the person searched for, which can be a family's name, so reading it
    is logged like a list, and never counts as opening a case."""
    open_case(personas)
    client.force_login(personas.coordinator)
    client.get(reverse("cases:case_list"), {"q": "Khan"})
    AccessLog.objects.exclude(what=AccessLog.What.CASE_LIST).delete()
    client.force_login(personas.manager)
    response = client.get(reverse("access_report:person", args=[personas.coordinator.pk]), {"period": "week"})
    assert response.status_code == 200 and "Khan" in response.content.decode()
    row = AccessLog.objects.get(what=AccessLog.What.ACCESS_REPORT)
    assert row.user == personas.manager and row.case is None and row.help_request is None
    assert row.query == {"person": str(personas.coordinator.pk), "period": "week"}
    assert row.shown == 1 and row.page == 1
    _holds_no_name(row)
    assert cases_opened_within_the_hour(user_id=personas.manager.pk, until=timezone.now()) == 0


def test_the_api_case_list_writes_one_row_with_the_filters(personas, client):
    for _ in range(3):
        open_case(personas)
    AccessLog.objects.all().delete()
    _, token = create_api_token(user=personas.manager)
    response = client.get(
        "/api/v1/cases",
        {"q": "Khan", "open": "true", "page_size": "2", "page": "2"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == 1
    row = _only_row()
    assert row.what == AccessLog.What.API_CASE_LIST and row.user == personas.manager
    assert row.query == {"q": "Khan", "open": "True"}
    assert row.shown == 1 and row.page == 2
    _holds_no_name(row, allowed="Khan")


def test_the_certificate_preview_writes_one_row_on_the_case(personas, client):
    case = case_in(personas, Case.Status.ADVICE_GIVEN)
    AccessLog.objects.all().delete()
    client.force_login(personas.adviser)
    response = client.get(reverse("cases:case_action", args=[case.reference, "issue_certificate"]))
    assert response.status_code == 200 and "The certificate will say" in response.content.decode()
    row = _only_row()
    assert row.what == AccessLog.What.CERTIFICATE_PREVIEW and row.case == case and row.query == {}


def test_the_agreement_preview_writes_one_row_on_the_case(personas, client):
    case = held_case(personas)
    agreement_services.record_agreement(actor=personas.mediator, case=case, items=ITEMS)
    AccessLog.objects.all().delete()
    client.force_login(personas.mediator)
    response = client.get(reverse("agreements:edit", args=[case.reference]), {"preview": "1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    row = _only_row()
    assert row.what == AccessLog.What.AGREEMENT_PREVIEW and row.case == case


def test_the_agreement_form_itself_is_not_a_preview(personas, client):
    case = held_case(personas)
    AccessLog.objects.all().delete()
    client.force_login(personas.mediator)
    assert client.get(reverse("agreements:edit", args=[case.reference])).status_code == 200
    assert not AccessLog.objects.filter(what=AccessLog.What.AGREEMENT_PREVIEW).exists()


@pytest.fixture
def admin_user(personas):
    return User.objects.create_superuser(username="root", password="x" * 16, role=User.Role.MANAGER)


def test_an_admin_change_page_of_a_request_writes_one_row(admin_user, client):
    request = intake_services.submit_request(draft=complete_draft())
    AccessLog.objects.all().delete()
    client.force_login(admin_user)
    response = client.get(reverse("admin:intake_helprequest_change", args=[request.pk]))
    assert response.status_code == 200 and "Amir Khan" in response.content.decode()
    row = _only_row()
    assert row.what == AccessLog.What.ADMIN_CHANGE and row.help_request == request and row.case is None
    assert row.item == f"helprequest {request.pk}" and row.user == admin_user
    # The list of requests in the admin is not a change page.
    client.get(reverse("admin:intake_helprequest_changelist"))
    assert AccessLog.objects.count() == 1


def test_an_admin_change_page_of_a_cases_record_is_a_read_of_the_case(personas, admin_user, client):
    case = case_in(personas, Case.Status.CERTIFICATE_ISSUED)
    certificate = case.certificates.get()
    AccessLog.objects.all().delete()
    client.force_login(admin_user)
    assert client.get(reverse("admin:cases_certificate_change", args=[certificate.pk])).status_code == 200
    row = _only_row()
    assert row.what == AccessLog.What.ADMIN_CHANGE and row.case == case
    assert row.item == f"certificate {certificate.pk}"


def test_an_admin_change_page_of_a_staff_member_names_no_case(personas, admin_user, client):
    client.force_login(admin_user)
    assert client.get(reverse("admin:accounts_user_change", args=[personas.adviser.pk])).status_code == 200
    row = _only_row()
    assert row.what == AccessLog.What.ADMIN_CHANGE and row.case is None and row.help_request is None
    assert row.item == f"user {personas.adviser.pk}"


def test_every_admin_change_page_is_logged_unless_its_model_holds_no_personal_data():
    registered = {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}
    # The list of exceptions names only models that are registered, so it cannot go stale quietly.
    assert set(registered) >= NO_PERSONAL_DATA
    for label, model_admin in registered.items():
        assert logs_reads(model_admin) == (label not in NO_PERSONAL_DATA), label
    for label in ("intake.helprequest", "cases.case", "accounts.user", "notifications.outboxmessage"):
        assert logs_reads(registered[label])


# --- the chain, the constraint and the alert ------------------------------------------------------


def test_the_chain_holds_with_list_reads_and_a_changed_query_breaks_it(personas, client, capsys):
    case = open_case(personas)
    client.force_login(personas.coordinator)
    client.get(reverse("cases:case_list"), {"q": "Khan"})
    client.get(reverse("cases:case_detail", args=[case.reference]))
    client.get(reverse("cases:my_work"))
    assert list(broken_links()) == []
    call_command("verify_access_log")
    assert "chain holds" in capsys.readouterr().out

    listed = AccessLog.objects.get(what=AccessLog.What.CASE_LIST)
    AccessLog.objects.filter(pk=listed.pk).update(query={"q": "Smith"})
    assert list(broken_links()) == [f"Row {listed.pk} was changed after it was written"]


@pytest.mark.parametrize(("column", "value"), [("shown", 99), ("page", 7), ("hash_version", 1)])
def test_changing_the_count_the_page_or_the_hash_version_breaks_the_chain(personas, client, column, value):
    open_case(personas)
    client.force_login(personas.coordinator)
    client.get(reverse("cases:case_list"), {"page": "1"})
    listed = AccessLog.objects.get()
    AccessLog.objects.filter(pk=listed.pk).update(**{column: value})
    assert list(broken_links()) == [f"Row {listed.pk} was changed after it was written"]


def test_rows_written_before_list_reads_keep_their_hash(personas):
    """A row written before this change was hashed over its old fields and carries version 1 (the
    migration gives every existing row version 1): it still verifies, followed by new rows."""
    case = open_case(personas)
    log_access(user=personas.coordinator, case=case, what=AccessLog.What.CASE_PAGE)
    old = AccessLog.objects.get()
    import hashlib

    fields = [
        old.previous_hash,
        str(old.pk),
        old.at.isoformat(),
        str(old.user_id),
        str(old.case_id),
        "",
        old.what,
        old.item,
    ]
    old_hash = hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()
    AccessLog.objects.filter(pk=old.pk).update(hash_version=1, row_hash=old_hash)
    old.refresh_from_db()
    assert row_digest(old, old.previous_hash) == old_hash
    log_list_read(user=personas.coordinator, what=AccessLog.What.CASE_LIST, query={"q": "x"}, shown=0, page=1)
    newest = AccessLog.objects.order_by("-id").first()
    assert newest is not None and newest.hash_version == 2 and newest.previous_hash == old_hash
    assert list(broken_links()) == []


def test_a_row_cannot_claim_both_a_case_and_a_request(personas):
    case = open_case(personas)
    request = intake_services.submit_request(draft=complete_draft())
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLog.objects.create(
            user=personas.coordinator, case=case, help_request=request, what=AccessLog.What.CASE_PAGE
        )


def test_a_read_of_one_thing_must_name_it(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLog.objects.create(user=personas.coordinator, what=AccessLog.What.CASE_PAGE)
    # A list may name neither.
    AccessLog.objects.create(user=personas.coordinator, what=AccessLog.What.CASE_LIST)


def test_the_constraint_and_the_model_agree_on_what_may_name_nothing():
    constraint = next(c for c in AccessLog._meta.constraints if c.name == "access_log_subject_unless_list")
    assert isinstance(constraint, CheckConstraint) and isinstance(constraint.condition, Q)
    pairs = [child for child in constraint.condition.children if isinstance(child, tuple)]
    listed = next(value for name, value in pairs if name == "what__in")
    assert set(listed) == {str(what) for what in AccessLog.WITHOUT_SUBJECT}


def test_list_reads_never_count_as_cases_opened(personas, client, settings):
    settings.ACCESS_ALERT_CASES_PER_HOUR = 1
    case = open_case(personas)
    AccessLog.objects.all().delete()
    OutboxMessage.objects.all().delete()
    client.force_login(personas.coordinator)
    for _ in range(3):
        client.get(reverse("cases:case_list"), {"q": "Khan"})
        client.get(reverse("cases:my_work"))
    assert AccessLog.objects.count() == 6
    now = timezone.now()
    assert cases_opened_within_the_hour(user_id=personas.coordinator.pk, until=now) == 0
    counts = {row.person: row for row in access_report.access_counts(now=now)}
    assert counts[personas.coordinator].last_day == 0
    # A list row that somehow named a case still opens nothing.
    stray = AccessLog.objects.create(user=personas.coordinator, case=case, what=AccessLog.What.CASE_LIST)
    alert_on_many_cases_opened(row=stray)
    assert cases_opened_within_the_hour(user_id=personas.coordinator.pk, until=timezone.now()) == 0
    assert not OutboxMessage.objects.filter(template="access_alert").exists()


# --- what managers see ----------------------------------------------------------------------------


def test_the_person_report_shows_list_reads_with_their_query(personas, client):
    case = open_case(personas)
    client.force_login(personas.coordinator)
    client.get(reverse("cases:case_list"), {"q": "Khan", "status": "received"})
    client.get(reverse("cases:case_detail", args=[case.reference]))
    client.get(reverse("cases:my_work"))

    client.force_login(personas.manager)
    response = client.get(reverse("access_report:person", args=[personas.coordinator.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    whats, references = _cells(page, "What"), _cells(page, "Reference")
    assert whats[0].startswith("My work") and "no filters or search" in whats[0]
    assert whats[1] == "Case page" and references[1] == case.reference
    assert whats[2] == 'Case list or search search "Khan", status "received"; page 1, 1 result shown'
    assert references[0] == references[2] == "A list"
    # The list's results (the child's name) are not in the report.
    assert "Amir" not in page


def test_the_viewers_page_shows_previews_and_admin_reads_of_the_case_but_no_lists(
    personas, client, admin_user
):
    case = case_in(personas, Case.Status.ADVICE_GIVEN)
    client.force_login(personas.adviser)
    client.get(reverse("cases:case_list"), {"q": "Khan"})
    client.get(reverse("cases:case_action", args=[case.reference, "issue_certificate"]))
    client.force_login(admin_user)
    client.get(reverse("admin:cases_case_change", args=[case.pk]))

    client.force_login(personas.manager)
    response = client.get(reverse("dataprotection:case_viewers", args=[case.reference]))
    assert response.status_code == 200
    whats = _cells(response.content.decode(), "What")
    assert whats == [
        "Who viewed the case",
        f"Record opened in the admin (case {case.pk})",
        "Certificate previewed before it was issued",
    ]


def test_log_list_read_refuses_what_is_not_a_list(personas):
    with pytest.raises(ValueError, match="not a list"):
        log_list_read(user=personas.coordinator, what=AccessLog.What.CASE_PAGE, query={}, shown=0)


def test_a_long_search_is_cut_to_a_sensible_length(personas, client):
    client.force_login(personas.coordinator)
    client.get(reverse("cases:case_list"), {"q": "x" * 500})
    assert len(_only_row().query["q"]) == 200


def test_rows_older_than_the_retention_period_go_with_their_search(personas, client):
    from sendmediation.cases import access_log

    client.force_login(personas.coordinator)
    client.get(reverse("cases:case_list"), {"q": "Khan"})
    row = _only_row()
    removed = access_log.prune(last_day=timezone.localdate(row.at) + datetime.timedelta(days=1))
    assert removed == 1 and not AccessLog.objects.filter(query__q="Khan").exists()
    assert list(broken_links()) == []
