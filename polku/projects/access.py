"""Project participants by id, through the access policy.

``access_participant`` answers ``Http404`` to an actor who may not see the participant
(its existence must not leak), ``PermissionDenied`` to one who may see it but not take the
action, and otherwise returns the participant with the decision to log. Views and exports
reach participants only through this and ``Participant.objects.visible_to``.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action
from polku.projects.models import Participant


def access_participant(
    actor: Actor,
    public_id: UUID | str,
    *,
    action: Action = Action.VIEW,
    sensitive: bool = False,
) -> tuple[Participant, decisions.Decision]:
    """The participant and the policy's decision for ``action`` on its details (with
    ``sensitive``, on the details the client may decline to give)."""
    participant = (
        Participant.objects.select_related(
            "client",
            "project__organisation",
            "project__programme",
            "organisation",
            "municipality",
            "enrolled_by",
        )
        .filter(public_id=decisions.public_id_or_404(public_id), client__merged_into__isnull=True)
        .first()
    )
    if participant is None or not decisions.reaches(actor, participant):
        raise Http404
    return participant, decisions.granted_or_refused(
        lambda asked: decisions.decide_on_participant(
            actor, participant, asked, sensitive=sensitive
        ),
        action,
    )
