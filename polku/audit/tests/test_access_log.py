"""The access log is append-only and hash-chained; tampering is found and named."""

from __future__ import annotations

import itertools
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from polku.audit.models import AccessLogEntry, AccessLogHead
from polku.audit.services import Access, record, verify_chain
from polku.policy.actors import Actor
from polku.policy.enums import Action, BasisKind, DataCategory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def five_rows(make_professional):
    user = make_professional()
    organisation = user.memberships.get().organisation
    with transaction.atomic():
        return record(
            actor=Actor.for_user(user, ip_address="192.0.2.10", user_agent="test", path="/x/"),
            accesses=[
                Access(
                    client_public_id=uuid.uuid4(),
                    action=Action.VIEW,
                    categories=[DataCategory.BASIC],
                    organisation=organisation,
                    role="social_worker",
                    basis=BasisKind.SERVICE_RELATIONSHIP,
                    basis_public_id=uuid.uuid4(),
                )
                for _ in range(5)
            ],
        )


def bypass_append_only(sql: str, params: list) -> None:
    """Change rows as an attacker with database superuser rights would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_accesslogentry DISABLE TRIGGER audit_accesslog_append_only"
            )
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_accesslogentry ENABLE TRIGGER audit_accesslog_append_only"
            )


def test_rows_are_chained_in_order(five_rows):
    rows = list(AccessLogEntry.objects.order_by("sequence"))

    assert [row.sequence for row in rows] == [1, 2, 3, 4, 5]
    assert rows[0].previous_hash == "0" * 64
    assert all(
        later.previous_hash == earlier.row_hash for earlier, later in itertools.pairwise(rows)
    )
    assert AccessLogHead.objects.get().last_hash == rows[-1].row_hash
    assert verify_chain().intact
    assert verify_chain().checked == 5


def test_the_command_says_the_log_is_intact(five_rows, capsys):
    call_command("verify_access_log")

    assert "The access log is intact: 5 rows." in capsys.readouterr().out


def test_a_changed_row_is_found_and_named(five_rows):
    bypass_append_only(
        "UPDATE audit_accesslogentry SET actor_name = %s WHERE sequence = %s", ["Someone Else", 3]
    )

    report = verify_chain()

    assert (report.first_broken, report.checked) == (3, 2)
    with pytest.raises(CommandError, match="broken at row 3: its content does not match"):
        call_command("verify_access_log")


def test_a_removed_row_is_found(five_rows):
    bypass_append_only("DELETE FROM audit_accesslogentry WHERE sequence = %s", [4])

    report = verify_chain()

    assert report.first_broken == 4
    assert report.problem == "row 4 is missing"


def test_a_removed_tail_is_found(five_rows):
    bypass_append_only("DELETE FROM audit_accesslogentry WHERE sequence = %s", [5])

    assert verify_chain().first_broken == 5


def test_a_rewritten_row_with_a_fresh_hash_breaks_the_next_link(five_rows):
    from polku.audit.chain import row_hash

    forged = AccessLogEntry.objects.get(sequence=2)
    forged.actor_name = "Forged"
    bypass_append_only(
        "UPDATE audit_accesslogentry SET actor_name = %s, row_hash = %s WHERE sequence = %s",
        ["Forged", row_hash(forged), 2],
    )

    report = verify_chain()

    assert report.first_broken == 3
    assert report.problem == "its link to the previous row does not match"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_accesslogentry SET actor_name = 'x' WHERE sequence = 1",
        "DELETE FROM audit_accesslogentry WHERE sequence = 1",
    ],
)
def test_postgresql_refuses_to_change_or_delete_rows(five_rows, sql):
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute(sql)

    assert AccessLogEntry.objects.count() == 5
    assert verify_chain().intact


def test_rows_are_refused_outside_a_transaction(make_professional):
    user = make_professional()

    with pytest.raises(RuntimeError, match="inside the recorded transaction"):
        record(
            actor=Actor.for_user(user),
            accesses=[
                Access(
                    client_public_id=uuid.uuid4(),
                    action=Action.VIEW,
                    categories=[DataCategory.BASIC],
                    organisation=None,
                )
            ],
        )
    assert not AccessLogEntry.objects.exists()


def test_the_lockout_and_the_access_log_take_the_same_client_address(rf, settings):
    from axes.helpers import get_client_ip_address

    from polku.core.requests import client_address

    settings.POLKU_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="10.0.0.2")

    assert client_address(request) == "203.0.113.7"
    assert get_client_ip_address(request) == client_address(request)
