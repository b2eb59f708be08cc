"""Measurements by id, through the access policy: ``Http404`` to an actor who may not see
the measurement, ``PermissionDenied`` to one who may see it but not take the action."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from polku.measures.models import Administration
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action, DataCategory


def measurement_decision(
    actor: Actor, administration: Administration, action: Action
) -> decisions.Decision:
    return decisions.decide(
        actor,
        administration.client,
        action=action,
        category=DataCategory.MEASUREMENTS,
        owner=administration.organisation,
        register=administration.register,
    )


def access_measurement(
    actor: Actor, public_id: UUID | str, *, action: Action = Action.VIEW
) -> tuple[Administration, decisions.Decision]:
    try:
        public_id = UUID(str(public_id))
    except ValueError as error:
        raise Http404 from error
    administration = (
        Administration.objects.select_related("client", "instrument", "organisation", "episode")
        .filter(public_id=public_id, client__merged_into__isnull=True)
        .first()
    )
    if administration is None:
        raise Http404
    if actor.link is not None and (
        actor.link.model != "measures.administration" or actor.link.object_id != administration.pk
    ):
        raise Http404
    decision = measurement_decision(actor, administration, action)
    if decision:
        return administration, decision
    if action != Action.VIEW and measurement_decision(actor, administration, Action.VIEW):
        raise PermissionDenied(_("Your organisation's access to this client is read-only."))
    raise Http404
