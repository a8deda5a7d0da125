"""The access log is tamper-evident: a changed, removed or inserted row breaks its hash chain."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sendmediation.cases.models import AccessLog
from sendmediation.cases.queries import log_access
from sendmediation.cases.tests.builders import case_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(personas):
    case = case_in(personas, "received")
    for what in ("case_page", "document", "case_page"):
        log_access(
            user=personas.coordinator, case=case, what=what, item="document 1" if what == "document" else ""
        )
    return list(AccessLog.objects.order_by("id"))


def test_each_row_carries_the_hash_of_the_one_before(logged, capsys):
    assert logged[0].previous_hash == ""
    for before, row in itertools.pairwise(logged):
        assert row.previous_hash == before.row_hash
        assert len(row.row_hash) == 64
    call_command("verify_access_log")
    assert "chain holds: 3 rows checked" in capsys.readouterr().out


def test_editing_a_row_is_detected(logged):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_accesslog SET item = %s WHERE id = %s", ["document 2", logged[1].pk])
    with pytest.raises(CommandError, match="broken in 1 places"):
        call_command("verify_access_log")


def test_removing_a_row_is_detected(logged):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_accesslog WHERE id = %s", [logged[1].pk])
    with pytest.raises(CommandError, match="broken"):
        call_command("verify_access_log")


def test_rewriting_a_rows_own_hash_is_still_detected_by_the_next_row(logged):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_accesslog SET user_id = NULL, row_hash = %s WHERE id = %s", ["0" * 64, logged[1].pk]
        )
    with pytest.raises(CommandError, match="broken in 2 places"):
        call_command("verify_access_log")
