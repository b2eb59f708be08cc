"""Seals: a keyed chain over the committed rows; every kind of tampering is named."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.models import Max

from polku.audit.models import AccessLogEntry, AccessLogSeal
from polku.audit.sealing import seal_access_log, verify_access_log
from polku.audit.services import Access, record
from polku.policy.actors import Actor
from polku.policy.enums import Action, DataCategory

pytestmark = pytest.mark.django_db(transaction=True)
POSTGRESQL = connection.vendor == "postgresql"


def append(count: int = 1) -> list[int]:
    with transaction.atomic():
        rows = record(
            actor=Actor.system("test"),
            accesses=[
                Access(
                    client_public_id=uuid.uuid4(),
                    action=Action.VIEW,
                    categories=[DataCategory.BASIC],
                    organisation=None,
                )
                for _ in range(count)
            ],
        )
    return [row.sequence for row in rows]


def skip_numbers(count: int) -> None:
    """Leave a gap, as rolled-back transactions do."""
    with transaction.atomic():
        if POSTGRESQL:
            with connection.cursor() as cursor:
                for _ in range(count):
                    cursor.execute("SELECT nextval('audit_accesslog_sequence')")
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s",
                    [count, "audit_accesslogentry"],
                )


def seal_all() -> None:
    """Run the sealing task until everything appended so far is sealed (on PostgreSQL the
    first run only remembers a horizon, and a transaction then in progress in this
    database delays it until it ends)."""
    target = AccessLogEntry.objects.aggregate(last=Max("sequence"))["last"] or 0
    for _ in range(300):
        if seal_access_log().horizon >= target:
            return
        time.sleep(0.1)
    raise AssertionError("the horizon never reached the last row")


def tamper(cursor, sql: str, params: list) -> None:
    """Change the log as its owner (a database administrator) could, triggers off."""
    tables = ("audit_accesslogentry", "audit_accesslogseal")
    if POSTGRESQL:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    cursor.execute(sql, params)
    if POSTGRESQL:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


@pytest.fixture
def sealed_rows() -> list[int]:
    numbers = append(5)
    seal_all()
    return numbers


def test_committed_rows_are_sealed_and_the_seals_verify(sealed_rows, capsys):
    report = verify_access_log()

    seal = AccessLogSeal.objects.get()
    assert (seal.last_sequence >= sealed_rows[-1], seal.row_count) == (True, 5)
    assert (report.intact, report.seals, report.rows, report.unsealed) == (True, 1, 5, 0)
    call_command("verify_access_log")
    assert "The access log is intact: 1 seals cover 5 rows." in capsys.readouterr().out


def test_a_changed_row_is_named(sealed_rows, database_owner):
    tamper(
        database_owner,
        "UPDATE audit_accesslogentry SET actor_name = %s WHERE sequence = %s",
        ["Someone Else", sealed_rows[2]],
    )

    report = verify_access_log()

    assert report.problems == [f"row {sealed_rows[2]} was changed after it was sealed"]
    with pytest.raises(CommandError, match=f"row {sealed_rows[2]} was changed"):
        call_command("verify_access_log")


def test_a_removed_row_is_named(sealed_rows, database_owner):
    tamper(database_owner, "DELETE FROM audit_accesslogentry WHERE sequence = %s", [sealed_rows[3]])

    seal = AccessLogSeal.objects.get()
    assert verify_access_log().problems == [
        f"row {sealed_rows[3]} was removed (sealed by seal {seal.number})"
    ]


def test_a_row_inserted_into_a_gap_is_named(database_owner):
    first = append(2)
    skip_numbers(2)
    last = append(1)
    seal_all()
    forged = first[-1] + 1
    tamper(
        database_owner,
        "INSERT INTO audit_accesslogentry (sequence, occurred_at, actor_kind, actor_id, "
        "actor_name, organisation_name, role, client_public_id, action, event, categories, "
        "owner_name, register, purpose, basis, user_agent, path) SELECT %s, occurred_at, "
        "actor_kind, actor_id, 'Forged', organisation_name, role, client_public_id, action, "
        "event, categories, owner_name, register, purpose, basis, user_agent, path "
        "FROM audit_accesslogentry WHERE sequence = %s",
        [forged, last[0]],
    )

    seal = AccessLogSeal.objects.get()
    assert [forged, forged + 1] in seal.gaps
    assert verify_access_log().problems == [
        f"row {forged} was inserted (seal {seal.number} recorded no such row)"
    ]


def test_reordered_rows_are_named(sealed_rows, database_owner):
    second, third = sealed_rows[1], sealed_rows[2]
    for old, new in ((second, -1), (third, second), (-1, third)):
        tamper(
            database_owner,
            "UPDATE audit_accesslogentry SET sequence = %s WHERE sequence = %s",
            [new, old],
        )

    problems = verify_access_log().problems

    assert problems[0] == f"row {second} was changed after it was sealed"


def test_a_changed_seal_is_named(sealed_rows, database_owner):
    seal = AccessLogSeal.objects.get()
    tamper(
        database_owner,
        "UPDATE audit_accesslogseal SET row_count = 4 WHERE number = %s",
        [seal.number],
    )

    assert verify_access_log().problems == [f"seal {seal.number} was changed or forged"]


def test_a_removed_seal_is_named(sealed_rows, database_owner):
    append(2)
    seal_all()
    first, second = AccessLogSeal.objects.order_by("first_sequence")
    tamper(database_owner, "DELETE FROM audit_accesslogseal WHERE number = %s", [first.number])

    problems = verify_access_log().problems

    assert problems[:2] == [
        f"the seal of rows 1-{first.last_sequence} was removed",
        f"seal {second.number} does not follow the seal before it "
        "(a seal was removed, inserted or changed)",
    ]


def test_gaps_are_recorded_and_fine():
    first = append(2)
    skip_numbers(3)
    append(1)
    seal_all()

    seal = AccessLogSeal.objects.get()
    assert [first[-1] + 1, first[-1] + 3] in seal.gaps
    assert verify_access_log().intact


def test_unsealed_rows_are_counted_with_the_oldest(sealed_rows):
    append(3)

    report = verify_access_log()

    assert (report.intact, report.rows, report.unsealed) == (True, 5, 3)
    assert report.oldest_unsealed == AccessLogEntry.objects.order_by("sequence")[5].occurred_at


def test_keys_rotate_and_an_unknown_key_is_named(settings):
    settings.POLKU_AUDIT_SEAL_KEYS = ["old-key-old-key-old-key-old-key-old-key"]
    append(2)
    seal_all()
    settings.POLKU_AUDIT_SEAL_KEYS = [
        "new-key-new-key-new-key-new-key-new-key",
        "old-key-old-key-old-key-old-key-old-key",
    ]
    append(2)
    seal_all()

    old_seal, new_seal = AccessLogSeal.objects.order_by("first_sequence")
    assert old_seal.key_id != new_seal.key_id
    assert verify_access_log().intact
    settings.POLKU_AUDIT_SEAL_KEYS = ["new-key-new-key-new-key-new-key-new-key"]
    assert verify_access_log().problems == [
        f"seal {old_seal.number} names key {old_seal.key_id}, which is not configured"
    ]


@pytest.mark.skipif(not POSTGRESQL, reason="SQLite has one writer")
def test_a_row_committed_after_a_later_one_is_sealed_in_its_place():
    appended, commit = threading.Event(), threading.Event()
    early: list[int] = []

    def slow_request() -> None:
        try:
            append_and_wait(early, appended, commit)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_request)
    thread.start()
    assert appended.wait(10)
    later = append(1)
    seal_access_log()
    seal_access_log()
    assert later[0] > early[0]
    assert not AccessLogSeal.objects.filter(last_sequence__gte=early[0]).exists()

    commit.set()
    thread.join(10)
    seal_all()

    report = verify_access_log()
    assert (report.intact, report.rows, report.unsealed) == (True, 2, 0)
    assert not any(
        gap[0] <= early[0] <= gap[1] for seal in AccessLogSeal.objects.all() for gap in seal.gaps
    )


def append_and_wait(numbers: list[int], appended: threading.Event, commit: threading.Event) -> None:
    """Append a row and hold the transaction open until told to commit."""
    with transaction.atomic():
        rows = record(
            actor=Actor.system("slow"),
            accesses=[
                Access(
                    client_public_id=uuid.uuid4(),
                    action=Action.VIEW,
                    categories=[DataCategory.BASIC],
                    organisation=None,
                )
            ],
        )
        numbers.extend(row.sequence for row in rows)
        appended.set()
        commit.wait(10)


def test_the_sealing_task_is_queued_with_the_daily_work_and_by_its_command(capsys):
    from django_tasks_db.models import DBTaskResult

    from polku.audit.tasks import seal_log
    from polku.core import daily

    call_command("seal_access_log", "--enqueue")

    assert seal_log in daily.tasks()
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "polku.audit.tasks.seal_log"
    ]
    assert "Queued" in capsys.readouterr().out
