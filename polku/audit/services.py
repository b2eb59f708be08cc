"""Appending to the access log."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import connection
from django.utils import timezone

from polku.accounts.models import Organisation
from polku.audit.enums import AuditEvent
from polku.audit.models import AccessLogEntry
from polku.policy.actors import Actor
from polku.policy.decisions import Decision
from polku.policy.enums import Action, BasisKind, DataCategory, Purpose, Register

# A Finnish identity code (henkilötunnus), wherever it stands in a text.
IDENTITY_CODE = re.compile(
    r"(?<![0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![0-9A-Za-z])", re.IGNORECASE
)
IDENTITY_CODE_MASK = "[identity code]"


@dataclass(frozen=True)
class Access:
    """One access to one client's data, with the ground the policy allowed it on, and the
    owner and register of what was shown or changed (and, for a write, the event)."""

    client_public_id: UUID
    action: Action
    categories: Sequence[DataCategory]
    organisation: Organisation | None
    role: str = ""
    purpose: Purpose | None = None
    basis: BasisKind | None = None
    basis_public_id: UUID | None = None
    owner: Organisation | None = None
    register: Register | str = ""
    event: AuditEvent | str = ""
    # The owner by key, when the decision knew only that (``record`` names it).
    owner_id: int | None = None

    @classmethod
    def granted(
        cls,
        client_public_id: UUID,
        decision: Decision,
        action: Action,
        categories: Iterable[DataCategory],
        *,
        event: AuditEvent | str = "",
    ) -> Access:
        """The access a policy decision allowed: its ground, purpose, and the owner and
        register of the data it was about, as the decision names them."""
        return cls(
            client_public_id=client_public_id,
            action=action,
            categories=sorted(set(categories)),
            organisation=decision.organisation,
            role=decision.role,
            purpose=decision.purpose,
            basis=decision.basis,
            basis_public_id=decision.basis_public_id,
            register=decision.register or "",
            event=event,
            owner_id=decision.owner_id,
        )


def without_identity_codes(text: str) -> str:
    """The text with every identity code in it masked: the log never holds one in clear."""
    return IDENTITY_CODE.sub(IDENTITY_CODE_MASK, text)


def record(*, actor: Actor, accesses: Iterable[Access]) -> list[AccessLogEntry]:
    """Append one row per access, in the caller's transaction, with one INSERT.

    Must be called inside ``transaction.atomic`` together with the read or write it
    records, so that the data and its log row are committed (or lost) together. Takes no
    lock: the rows' numbers come from a database sequence. Raises on any failure, which
    fails the request.
    """
    accesses = list(accesses)
    if not accesses:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("Access-log rows must be written inside the recorded transaction.")
    now = timezone.now()
    acting_for = actor.organisation
    path = without_identity_codes(actor.path.split("?", 1)[0])
    user_agent = without_identity_codes(actor.user_agent)
    owners = Organisation.objects.in_bulk(
        {a.owner_id for a in accesses if a.owner is None and a.owner_id is not None}
    )
    entries = []
    for access in accesses:
        organisation = access.organisation or acting_for
        owner = access.owner or owners.get(access.owner_id or 0)
        entries.append(
            AccessLogEntry(
                occurred_at=now,
                actor_kind=actor.kind,
                actor_id=actor.log_id,
                actor_name=actor.display_name,
                organisation=organisation,
                organisation_name=organisation.name if organisation else "",
                role=access.role or actor.role,
                client_public_id=access.client_public_id,
                action=access.action,
                event=access.event,
                categories=",".join(sorted(access.categories)),
                owner=owner,
                owner_name=owner.name if owner else "",
                register=access.register,
                purpose=access.purpose or "",
                basis=access.basis or "",
                basis_public_id=access.basis_public_id,
                ip_address=actor.ip_address,
                user_agent=user_agent,
                path=path,
            )
        )
    return AccessLogEntry.objects.bulk_create(entries)
