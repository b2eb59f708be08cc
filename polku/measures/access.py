"""Measurements by id, through the access policy: ``Http404`` to an actor who may not see
the measurement, ``PermissionDenied`` to one who may see it but not take the action."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404

from polku.measures.models import Administration, AnswerLink
from polku.policy import decisions
from polku.policy.actors import Actor, LinkScope
from polku.policy.enums import Action, DataCategory


def link_holder(link: AnswerLink, **where: Any) -> Actor:
    """The holder of ``link``: may read and answer its one measurement, nothing else."""
    administration = link.administration
    return Actor.link_holder(
        LinkScope(
            model=Administration._meta.label_lower,
            object_id=administration.pk,
            client_id=administration.client_id,
            owner=administration.organisation,
        ),
        **where,
    )


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
    administration = (
        Administration.objects.select_related("client", "instrument", "organisation", "episode")
        .filter(public_id=decisions.public_id_or_404(public_id), client__merged_into__isnull=True)
        .first()
    )
    if administration is None:
        raise Http404
    if not decisions.reaches(actor, administration):
        raise Http404
    return administration, decisions.granted_or_refused(
        lambda asked: measurement_decision(actor, administration, asked), action
    )
