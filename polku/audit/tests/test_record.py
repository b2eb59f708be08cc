"""Appending to the access log: one INSERT, no shared lock, the actor without a link."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import close_old_connections, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from polku.audit.enums import AuditEvent
from polku.audit.models import AccessLogEntry
from polku.audit.services import Access, record
from polku.policy.actors import Actor, ActorKind, ApiGrant
from polku.policy.enums import Action, BasisKind, DataCategory, Purpose, Register

pytestmark = pytest.mark.django_db


def view(client_public_id=None, **fields):
    return Access(
        client_public_id=client_public_id or uuid.uuid4(),
        action=Action.VIEW,
        categories=[DataCategory.BASIC],
        organisation=fields.pop("organisation", None),
        **fields,
    )


def test_appending_rows_is_one_insert_and_numbers_them_in_order(make_professional):
    actor = Actor.for_user(make_professional())

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        rows = record(actor=actor, accesses=[view() for _ in range(5)])

    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(queries.captured_queries) == 1
    assert len(inserts) == 1
    numbers = [row.sequence for row in rows]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == 5
    assert list(AccessLogEntry.objects.values_list("sequence", flat=True)) == numbers


def test_a_professional_row_names_kind_id_name_organisation_role_owner_register_event(
    make_professional, make_organisation
):
    user = make_professional(first_name="Sanna", last_name="Aaltomaa")
    membership = user.memberships.get()
    owner = make_organisation("Terveyspalvelut T")
    basis_id = uuid.uuid4()
    client_id = uuid.uuid4()

    with transaction.atomic():
        record(
            actor=Actor.for_user(user, ip_address="192.0.2.10", user_agent="test", path="/x/"),
            accesses=[
                view(
                    client_id,
                    organisation=membership.organisation,
                    role=membership.role,
                    purpose=Purpose.REHABILITATION,
                    basis=BasisKind.CONSENT,
                    basis_public_id=basis_id,
                    owner=owner,
                    register=Register.HEALTH_CARE,
                    event=AuditEvent.CONSENT_WITHDRAWN,
                )
            ],
        )

    row = AccessLogEntry.objects.get()
    assert (
        row.actor_kind,
        row.actor_id,
        row.actor_name,
        row.organisation_id,
        row.organisation_name,
        row.role,
        row.client_public_id,
        row.owner_id,
        row.owner_name,
        row.register,
        row.event,
        row.purpose,
        row.basis,
        row.basis_public_id,
        row.ip_address,
        row.user_agent,
        row.path,
    ) == (
        "professional",
        str(user.pk),
        "Sanna Aaltomaa",
        membership.organisation_id,
        "Pirkanmaan hyvinvointialue, sosiaalipalvelut",
        "social_worker",
        client_id,
        owner.pk,
        "Terveyspalvelut T",
        "health_care",
        "consent_withdrawn",
        "rehabilitation",
        "consent",
        basis_id,
        "192.0.2.10",
        "test",
        "/x/",
    )


def test_actors_without_a_professional_are_logged_by_kind_and_id(make_organisation):
    organisation = make_organisation()
    api = Actor.api_client(
        ApiGrant(name="kela-api", organisation=organisation, purpose=Purpose.REHABILITATION)
    )
    job = Actor.system("daily_alerts")

    with transaction.atomic():
        record(actor=api, accesses=[view()])
        record(actor=job, accesses=[view()])

    assert list(
        AccessLogEntry.objects.values_list(
            "actor_kind", "actor_id", "actor_name", "organisation_id", "organisation_name"
        )
    ) == [
        (ActorKind.API_CLIENT, "kela-api", "kela-api", organisation.pk, organisation.name),
        (ActorKind.SYSTEM, "daily_alerts", "daily_alerts", None, ""),
    ]


def test_an_identity_code_in_the_page_or_browser_is_masked(make_professional):
    user = make_professional()

    with transaction.atomic():
        record(
            actor=Actor.for_user(
                user,
                path="/clients/010180-9015/?q=020202A9026",
                user_agent="agent 311299-999X",
            ),
            accesses=[view()],
        )

    row = AccessLogEntry.objects.get()
    assert (row.path, row.user_agent) == ("/clients/[identity code]/", "agent [identity code]")


def test_a_client_id_that_holds_digits_like_an_identity_code_is_kept_whole(make_professional):
    # "529626-123f" inside a client's id has the shape of an identity code, but is none.
    path = "/clients/4a529626-123f-4d22-be92-5adf2c80d67d/"

    with transaction.atomic():
        record(actor=Actor.for_user(make_professional(), path=path), accesses=[view()])

    assert AccessLogEntry.objects.get().path == path


@pytest.mark.django_db(transaction=True)
def test_rows_are_refused_outside_a_transaction(make_professional):
    user = make_professional()

    with pytest.raises(RuntimeError, match="inside the recorded transaction"):
        record(actor=Actor.for_user(user), accesses=[view()])
    assert not AccessLogEntry.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer")
@pytest.mark.django_db(transaction=True)
def test_two_open_transactions_append_without_waiting_for_each_other():
    """Each thread appends a row in its own transaction and keeps it open until both have
    appended; with a shared lock the second would wait for the first and time out."""
    both_appended = threading.Barrier(2, timeout=10)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def append() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                [row] = record(actor=Actor.system("test"), accesses=[view()])
                numbers.append(row.sequence)
                both_appended.wait()
                transaction.set_rollback(True)
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            close_old_connections()
            connections.close_all()

    threads = [threading.Thread(target=append) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert errors == []
    assert len(set(numbers)) == 2
    assert not AccessLogEntry.objects.exists()
