"""Employment records by id, through the access policy.

Each ``access_<model>`` answers ``Http404`` to an actor who may not see the record (its
existence must not leak), ``PermissionDenied`` to one who may see it but not take the
action, and otherwise returns the record with the decision to log. Views and exports reach
employment records only through these and the models' ``visible_to`` querysets.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404

from polku.employment.models import Coaching, FeedbackLink, Placement, WorkTrial
from polku.policy import decisions
from polku.policy.actors import Actor, LinkScope
from polku.policy.enums import Action, DataCategory, Purpose

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
    if coaching is None or not decisions.reaches(actor, coaching):
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
    if placement is None or not decisions.reaches(actor, placement):
        raise Http404
    return placement, decisions.granted_or_refused(
        lambda asked: coaching_decision(actor, placement.coaching, asked), action
    )


def work_trial_decision(actor: Actor, trial: WorkTrial, action: Action) -> decisions.Decision:
    """A work trial is decided as its coaching is: employment data of its owner, in its
    register (for a feedback link's holder, while the client's consent lasts)."""
    return decisions.decide(
        actor,
        trial.client,
        action=action,
        category=EMPLOYMENT,
        owner=trial.organisation,
        register=trial.register,
    )


def feedback_link_holder(link: FeedbackLink, **where: Any) -> Actor:
    """The holder of a feedback link: the host's contact person, outside Polku, who may read
    and rate its one work trial while the client's consent to disclose to the host lasts."""
    trial = link.trial
    return Actor.link_holder(
        LinkScope(
            model=WorkTrial._meta.label_lower,
            object_id=trial.pk,
            client_id=trial.client_id,
            owner=trial.organisation,
            recipient=trial.employer.organisation,
        ),
        purpose=Purpose.EMPLOYMENT_SUPPORT,
        **where,
    )


def access_work_trial(
    actor: Actor, public_id: UUID | str, *, action: Action = Action.VIEW
) -> tuple[WorkTrial, decisions.Decision]:
    trial = (
        WorkTrial.objects.select_related(
            "client", "coaching", "organisation", "employer__organisation", "contact_person"
        )
        .filter(public_id=decisions.public_id_or_404(public_id), client__merged_into__isnull=True)
        .first()
    )
    if trial is None:
        raise Http404
    if not decisions.reaches(actor, trial):
        raise Http404
    return trial, decisions.granted_or_refused(
        lambda asked: work_trial_decision(actor, trial, asked), action
    )
