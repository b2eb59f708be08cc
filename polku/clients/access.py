"""Consents by id, through the access policy: ``Http404`` to an actor the consent does not
concern or who may not see the client, ``PermissionDenied`` to one who may see it but not
record its withdrawal."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action, DataCategory
from polku.policy.models import Consent


def consent_decision(actor: Actor, consent: Consent, action: Action) -> decisions.Decision:
    """A consent concerns the client and the organisations it names or that recorded it:
    only they see it; recording its withdrawal needs the ground that changes the client's
    shared details (an own relationship, or the client themselves)."""
    if not decisions.concerns_actor(actor, consent):
        return decisions.DENIED
    return decisions.decide(actor, consent.client, action=action, category=DataCategory.BASIC)


def access_consent(
    actor: Actor,
    client_public_id: UUID | str,
    public_id: UUID | str,
    *,
    action: Action = Action.VIEW,
) -> tuple[Consent, decisions.Decision]:
    try:
        client_public_id, public_id = UUID(str(client_public_id)), UUID(str(public_id))
    except ValueError as error:
        raise Http404 from error
    consent = (
        Consent.objects.select_related(
            "client", "discloser", "recipient", "recorded_by_organisation"
        )
        .filter(
            public_id=public_id,
            client__public_id=client_public_id,
            client__merged_into__isnull=True,
        )
        .first()
    )
    if consent is None:
        raise Http404
    decision = consent_decision(actor, consent, action)
    if decision:
        return consent, decision
    if action != Action.VIEW and consent_decision(actor, consent, Action.VIEW):
        raise PermissionDenied(_("Your organisation's access to this client is read-only."))
    raise Http404
