"""The end of a person's data: subject-access export and anonymisation.

Both work through the one registry of declared personal data (``core.personal_data``),
which every app fills, and both are accesses to client data: each writes one access-log
row per client record (administration by a named system job) in its own transaction.
A person is the kept record and every record merged into it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.audit.services import Access, record
from polku.clients import identity_storage
from polku.clients.identity_code import parse_identity_code
from polku.clients.models import Client
from polku.core import personal_data
from polku.policy.actors import Actor
from polku.policy.enums import Action, BasisKind, DataCategory, Purpose

EXPORT_FORMAT = "polku-subject-access-export/1"
SYSTEM_ROLE = "system"


def system_actor(job: str) -> Actor:
    """The actor of a named system job (a management command) keeping the register."""
    return replace(Actor.system(job, purpose=Purpose.REGISTER_MAINTENANCE), path=f"manage.py {job}")


def client_by_identity_code(identity_code: str) -> Client | None:
    """The client with this identity code, or None; raises ``ValidationError`` when the
    code is not a valid one."""
    code = parse_identity_code(identity_code).value
    return Client.objects.filter(identity_code_hash=identity_storage.lookup_hash(code)).first()


def person_records(client: Client) -> list[Client]:
    """The person's records: the kept one first, then those merged into it."""
    kept = client.merged_into or client
    return [kept, *Client.objects.filter(merged_into=kept).order_by("pk")]


def _log(actor: Actor, records: list[Client], action: Action) -> None:
    record(
        actor=actor,
        accesses=[
            Access(
                client_public_id=client.public_id,
                action=action,
                categories=list(DataCategory),
                organisation=None,
                role=SYSTEM_ROLE,
                purpose=Purpose.REGISTER_MAINTENANCE,
                basis=BasisKind.SYSTEM,
            )
            for client in records
        ],
    )


@transaction.atomic
def export_person(*, actor: Actor, client: Client) -> dict[str, Any]:
    """Everything held about the person in every app, the access log included (with the
    row that records this export)."""
    records = person_records(client)
    _log(actor, records, Action.EXPORT)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "client": str(records[0].public_id),
        "records": [str(kept.public_id) for kept in records],
        "data": personal_data.export(records),
    }


@transaction.atomic
def anonymise_client(*, actor: Actor, client: Client) -> dict[str, int]:
    """Replace the person's declared personal data with neutral values, for good.

    Refused, changing nothing, while any app still holds the data for service (an open
    service relationship, an open episode). The access log is kept as it is.
    """
    records = person_records(client)
    list(Client.objects.select_for_update().filter(pk__in=[r.pk for r in records]))
    reasons = personal_data.holds(records)
    if reasons:
        raise ValidationError(
            [_("The client's data is still needed and cannot be anonymised."), *reasons]
        )
    changed = personal_data.anonymise(records)
    _log(actor, records, Action.CHANGE)
    return changed
