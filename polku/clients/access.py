"""Consents and service relationships by id, through the access policy.

A consent answers ``Http404`` to an actor the consent does not concern or who may not see
the client, ``PermissionDenied`` to one who may see it but not record its withdrawal. A
relationship answers ``Http404`` to anyone but its own organisation's client workers."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action, DataCategory
from polku.policy.models import Consent, ServiceRelationship


def consent_decision(actor: Actor, consent: Consent, action: Action) -> decisions.Decision:
    """A consent concerns the client and the organisations it names or that recorded it:
    only they see it; recording its withdrawal needs the ground that changes the client's
    shared details (an own relationship, or the client themselves)."""
    if not decisions.concerns_actor(actor, consent):
        return decisions.DENIED
    return decisions.decide(actor, consent.client, action=action, category=DataCategory.BASIC)


Record = TypeVar("Record", Consent, ServiceRelationship)


def _of_client(
    records: QuerySet[Record], client_public_id: UUID | str, public_id: UUID | str
) -> Record:
    """The record with ``public_id`` of the (unmerged) client with ``client_public_id``."""
    record = records.filter(
        public_id=decisions.public_id_or_404(public_id),
        client__public_id=decisions.public_id_or_404(client_public_id),
        client__merged_into__isnull=True,
    ).first()
    if record is None:
        raise Http404
    return record


def access_consent(
    actor: Actor,
    client_public_id: UUID | str,
    public_id: UUID | str,
    *,
    action: Action = Action.VIEW,
) -> tuple[Consent, decisions.Decision]:
    consent = _of_client(
        Consent.objects.select_related(
            "client", "discloser", "recipient", "recorded_by_organisation"
        ),
        client_public_id,
        public_id,
    )
    return consent, decisions.granted_or_refused(
        lambda asked: consent_decision(actor, consent, asked), action
    )


def access_relationship(
    actor: Actor,
    client_public_id: UUID | str,
    public_id: UUID | str,
    *,
    action: Action = Action.VIEW,
) -> tuple[ServiceRelationship, decisions.Decision]:
    """A service relationship, for its own organisation to end it or, when it was ended by
    mistake, to restore it (``decisions.decide_on_relationship``)."""
    relationship = _of_client(
        ServiceRelationship.objects.select_related("client", "organisation", "unit", "ended_by"),
        client_public_id,
        public_id,
    )
    return relationship, decisions.granted_or_refused(
        lambda asked: decisions.decide_on_relationship(actor, relationship, asked), action
    )
