"""Appending to the access log, and proving the chain intact."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone

from polku.accounts.models import Organisation
from polku.audit.chain import row_hash
from polku.audit.models import GENESIS_HASH, AccessLogEntry, AccessLogHead
from polku.policy.actors import Actor
from polku.policy.decisions import Decision
from polku.policy.enums import Action, BasisKind, DataCategory, Purpose


@dataclass(frozen=True)
class Access:
    """One access to one client's data, with the ground the policy allowed it on."""

    client_public_id: UUID
    action: Action
    categories: Sequence[DataCategory]
    organisation: Organisation | None
    role: str = ""
    purpose: Purpose | None = None
    basis: BasisKind | None = None
    basis_public_id: UUID | None = None

    @classmethod
    def granted(
        cls,
        client_public_id: UUID,
        decision: Decision,
        action: Action,
        categories: Iterable[DataCategory],
        purpose: Purpose = Purpose.SERVICE_COORDINATION,
    ) -> Access:
        """The access a policy decision allowed, with the ground it stands on."""
        return cls(
            client_public_id=client_public_id,
            action=action,
            categories=sorted(set(categories)),
            organisation=decision.organisation,
            role=decision.role,
            purpose=purpose,
            basis=decision.basis,
            basis_public_id=decision.basis_public_id,
        )


def record(*, actor: Actor, accesses: Iterable[Access]) -> list[AccessLogEntry]:
    """Append one row per access to the chain, in the caller's transaction.

    Must be called inside ``transaction.atomic`` together with the read or write it
    records, so that the data and its log row are committed (or lost) together. Raises on
    any failure, which fails the request.
    """
    accesses = list(accesses)
    if not accesses:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("Access-log rows must be written inside the recorded transaction.")
    head, _created = AccessLogHead.objects.select_for_update().get_or_create(id=1)
    now = timezone.now()
    entries = []
    previous, sequence = head.last_hash, head.last_sequence
    for access in accesses:
        sequence += 1
        entry = AccessLogEntry(
            sequence=sequence,
            occurred_at=now,
            actor=actor.person,
            actor_name=actor.display_name,
            organisation=access.organisation,
            organisation_name=access.organisation.name if access.organisation else "",
            role=access.role,
            client_public_id=access.client_public_id,
            action=access.action,
            categories=",".join(sorted(access.categories)),
            purpose=access.purpose or "",
            basis=access.basis or "",
            basis_public_id=access.basis_public_id,
            ip_address=actor.ip_address,
            user_agent=actor.user_agent,
            path=actor.path,
            previous_hash=previous,
        )
        entry.row_hash = previous = row_hash(entry)
        entries.append(entry)
    AccessLogEntry.objects.bulk_create(entries)
    AccessLogHead.objects.filter(id=1).update(last_sequence=sequence, last_hash=previous)
    return entries


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.first_broken is None


def verify_chain(*, batch_size: int = 10000) -> ChainReport:
    """Recompute every row's hash in order; name the first row that does not fit."""
    previous, expected_sequence, checked = GENESIS_HASH, 1, 0
    with transaction.atomic():
        head = AccessLogHead.objects.filter(id=1).first()
        for entry in AccessLogEntry.objects.order_by("sequence").iterator(chunk_size=batch_size):
            if entry.sequence != expected_sequence:
                return ChainReport(
                    checked, expected_sequence, f"row {expected_sequence} is missing"
                )
            if entry.previous_hash != previous:
                return ChainReport(
                    checked, entry.sequence, "its link to the previous row does not match"
                )
            if row_hash(entry) != entry.row_hash:
                return ChainReport(checked, entry.sequence, "its content does not match its hash")
            previous, expected_sequence, checked = (
                entry.row_hash,
                expected_sequence + 1,
                checked + 1,
            )
        last_sequence = head.last_sequence if head else 0
        if last_sequence != checked or (head and head.last_hash != previous):
            return ChainReport(
                checked,
                checked + 1,
                f"rows after {checked} are missing (the log had {last_sequence})",
            )
    return ChainReport(checked)
