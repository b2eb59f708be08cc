"""Pathway records by id, through the access policy.

Each ``access_<record>`` answers ``Http404`` to an actor who may not see the record (so
that its existence does not leak), ``PermissionDenied`` to one who may see it but not take
the action, and otherwise returns the record with the decision to log. Each model's
``visible_to(actor)`` queryset (``pathways.querysets``) applies the same grounds to lists.
Views, APIs and exports reach pathway records only through these.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404
from django.utils.translation import gettext as _

from polku.pathways.models import Episode, Handover, JournalEntry, Referral, TeamMember
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import REGISTER_CATEGORY, Action, DataCategory, Register

PLAN = DataCategory.PLAN


# Episodes (and their plan, team, case manager and phases) ---------------------------------


def episode_decision(actor: Actor, episode: Episode, action: Action) -> decisions.Decision:
    return decisions.decide(
        actor,
        episode.client,
        action=action,
        category=PLAN,
        owner=episode.organisation,
        register=episode.register,
    )


def access_episode(
    actor: Actor, public_id: UUID | str, *, action: Action = Action.VIEW
) -> tuple[Episode, decisions.Decision]:
    episode = (
        Episode.objects.select_related("client", "programme", "organisation", "unit")
        .filter(public_id=decisions.public_id_or_404(public_id), client__merged_into__isnull=True)
        .first()
    )
    if episode is None:
        raise Http404
    return episode, decisions.granted_or_refused(
        lambda asked: episode_decision(actor, episode, asked), action
    )


def access_team_member(
    actor: Actor, episode_public_id: UUID | str, member_id: int, *, action: Action = Action.VIEW
) -> tuple[TeamMember, decisions.Decision]:
    """A team member is part of its episode, decided as the episode; one not on that
    episode's team is not found (404), whoever asks."""
    episode, decision = access_episode(actor, episode_public_id, action=action)
    member = (
        TeamMember.objects.select_related("user", "organisation")
        .filter(episode=episode, pk=member_id)
        .first()
    )
    if member is None:
        raise Http404
    member.episode = episode
    return member, decision


def access_handover(
    actor: Actor, handover_id: int, *, action: Action = Action.VIEW
) -> tuple[Handover, decisions.Decision]:
    """A handover is part of its episode; answering it is for the proposed successor."""
    handover = (
        Handover.objects.select_related("episode__client", "episode__organisation")
        .filter(pk=handover_id)
        .first()
    )
    if handover is None:
        raise Http404
    decision = episode_decision(actor, handover.episode, Action.VIEW)
    if not decision or (
        action != Action.VIEW and handover.to_user_id != (actor.user.pk if actor.user else None)
    ):
        decisions.refuse(
            bool(decision),
            _("Only the proposed case manager can answer the handover."),
        )
    return handover, decision


# Referrals ----------------------------------------------------------------------------------


def referral_decision(actor: Actor, referral: Referral, action: Action) -> decisions.Decision:
    """The receiver reads and answers the referral on its own ground while that is open;
    the sender (and whoever reads the sender's plan) as it reads and changes that plan."""
    as_receiver = decisions.decide_as_receiver(actor, referral.public_id, action)
    if as_receiver:
        return as_receiver
    return decisions.decide(
        actor,
        referral.client,
        action=action,
        category=PLAN,
        owner=referral.from_organisation,
        register=referral.register,
    )


def is_receiver(actor: Actor, referral: Referral) -> bool:
    return bool(decisions.decide_as_receiver(actor, referral.public_id, Action.VIEW))


def access_referral(
    actor: Actor, public_id: UUID | str, *, action: Action = Action.VIEW
) -> tuple[Referral, decisions.Decision]:
    referral = (
        Referral.objects.select_related(
            "client",
            "episode",
            "from_organisation",
            "to_organisation",
            "to_unit",
            "from_user",
            "to_user",
        )
        .filter(public_id=decisions.public_id_or_404(public_id), client__merged_into__isnull=True)
        .first()
    )
    if referral is None:
        raise Http404
    return referral, decisions.granted_or_refused(
        lambda asked: referral_decision(actor, referral, asked), action
    )


def require_receiver(actor: Actor, referral: Referral) -> decisions.Decision:
    """The ground on which the receiver answers (receives, accepts, declines, completes)."""
    decision = decisions.decide_as_receiver(actor, referral.public_id, Action.CHANGE)
    if not decision:
        decisions.refuse(
            bool(referral_decision(actor, referral, Action.VIEW)),
            _("Only the receiving organisation can answer the referral."),
        )
    return decision


def require_sender(actor: Actor, referral: Referral) -> decisions.Decision:
    decision = decisions.decide(
        actor,
        referral.client,
        action=Action.CHANGE,
        category=PLAN,
        owner=referral.from_organisation,
        register=referral.register,
    )
    if not decision:
        decisions.refuse(
            bool(referral_decision(actor, referral, Action.VIEW)),
            _("Only the sending organisation can withdraw the referral."),
        )
    return decision


# Journal entries -----------------------------------------------------------------------------


def journal_decision(actor: Actor, entry: JournalEntry, action: Action) -> decisions.Decision:
    return decisions.decide(
        actor,
        entry.client,
        action=action,
        category=REGISTER_CATEGORY[Register(entry.register)],
        owner=entry.organisation,
        register=entry.register,
    )


def access_journal_entry(
    actor: Actor, public_id: UUID | str, *, action: Action = Action.VIEW
) -> tuple[JournalEntry, decisions.Decision]:
    entry = (
        JournalEntry.objects.select_related("client", "organisation", "author")
        .filter(public_id=decisions.public_id_or_404(public_id), client__merged_into__isnull=True)
        .first()
    )
    if entry is None:
        raise Http404
    return entry, decisions.granted_or_refused(
        lambda asked: journal_decision(actor, entry, asked), action
    )
