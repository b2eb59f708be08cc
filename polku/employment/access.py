"""Employment records by id, through the access policy.

Each ``access_<model>`` answers ``Http404`` to an actor who may not see the record (its
existence must not leak), ``PermissionDenied`` to one who may see it but not take the
action, and otherwise returns the record with the decision to log. Views and exports reach
employment records only through these and the models' ``visible_to`` querysets.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from polku.employment.models import Coaching, Placement
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action, DataCategory

EMPLOYMENT = DataCategory.EMPLOYMENT


def coaching_decision(actor: Actor, coaching: Coaching, action: Action) -> decisions.Decision:
    return decisions.decide(
        actor,
        coaching.client,
        action=action,
        category=EMPLOYMENT,
        owner=coaching.organisation,
        register=coaching.register,
    )


def access_coaching(
    actor: Actor, public_id: UUID | str, *, action: Action = Action.VIEW
) -> tuple[Coaching, decisions.Decision]:
    coaching = (
        Coaching.objects.select_related("client", "episode", "organisation", "coach")
        .filter(public_id=decisions.public_id_or_404(public_id), client__merged_into__isnull=True)
        .first()
    )
    if coaching is None:
        raise Http404
    return coaching, decisions.granted_or_refused(
        lambda asked: coaching_decision(actor, coaching, asked), action
    )


def access_placement(
    actor: Actor, public_id: UUID | str, *, action: Action = Action.VIEW
) -> tuple[Placement, decisions.Decision]:
    """A placement is decided on as its coaching: same client, owner and register."""
    placement = (
        Placement.objects.select_related(
            "client", "coaching__client", "coaching__organisation", "employer", "occupation"
        )
        .filter(public_id=decisions.public_id_or_404(public_id), client__merged_into__isnull=True)
        .first()
    )
    if placement is None:
        raise Http404
    return placement, decisions.granted_or_refused(
        lambda asked: coaching_decision(actor, placement.coaching, asked), action
    )
