"""On PostgreSQL the application's role may only append to the access log and read it."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from polku.audit.models import AccessLogEntry
from polku.audit.services import Access, record
from polku.policy.actors import Actor
from polku.policy.enums import Action, DataCategory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's"),
]


@pytest.fixture
def row():
    with transaction.atomic():
        [entry] = record(
            actor=Actor.system("test"),
            accesses=[
                Access(
                    client_public_id=uuid.uuid4(),
                    action=Action.VIEW,
                    categories=[DataCategory.BASIC],
                    organisation=None,
                )
            ],
        )
    return entry


def test_the_tests_run_as_the_application_role_which_owns_no_table():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, tableowner FROM pg_tables WHERE tablename = %s",
            ["audit_accesslogentry"],
        )
        assert cursor.fetchone() == ("polku_test_app", "polku_test_owner")


@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE audit_accesslogentry",
        "UPDATE audit_accesslogentry SET actor_name = 'Someone Else'",
        "DELETE FROM audit_accesslogentry",
        "ALTER TABLE audit_accesslogentry DISABLE TRIGGER USER",
        "ALTER TABLE audit_accesslogentry DISABLE TRIGGER audit_accesslog_append_only",
        "TRUNCATE audit_accesslogseal",
        "UPDATE audit_accesslogseal SET row_count = 0",
        "DELETE FROM audit_accesslogseal",
        "ALTER TABLE audit_accesslogseal DISABLE TRIGGER USER",
        "SELECT setval('audit_accesslog_sequence', 1)",
    ],
)
def test_the_application_role_cannot_change_remove_or_unprotect_the_log(row, sql):
    with (
        pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)

    assert list(AccessLogEntry.objects.values_list("sequence", "actor_name")) == [
        (row.sequence, "test")
    ]


@pytest.mark.django_db(transaction=True)
def test_even_the_owner_cannot_truncate_or_change_rows_while_the_triggers_stand(
    row, database_owner
):
    for sql in (
        "TRUNCATE audit_accesslogentry",
        "UPDATE audit_accesslogentry SET actor_name = 'x'",
        "DELETE FROM audit_accesslogentry",
    ):
        with pytest.raises(Exception, match="append-only"):
            database_owner.execute(sql)

    assert AccessLogEntry.objects.count() == 1
