"""Writes on pathways: one function per act, each checked, logged and in one transaction.

The organisation that owns an episode owns its phases, case-manager assignments, team,
plan and reviews; the policy decides on the "plan and pathway" category with that
organisation as owner. Refused acts raise ``PermissionDenied`` / ``Http404`` and bad input
``ValidationError``; either way nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from polku.accounts.models import Membership, Organisation, Unit, User
from polku.audit.enums import AuditEvent
from polku.audit.services import Access, record
from polku.clients.models import Client
from polku.core.corrections import CORRECTION_DAYS, undo_end, within_correction_period
from polku.pathways import access, gas, notifications, selectors
from polku.pathways.enums import (
    ENDED_REFERRAL,
    REFERRAL_TRANSITIONS,
    RESPONSE_DAYS,
    DeclineGround,
    EndReason,
    EntryType,
    HandoverState,
    Phase,
    ReferralStatus,
    Urgency,
)
from polku.pathways.models import (
    CaseManagerAssignment,
    Episode,
    EpisodeReopening,
    Goal,
    GoalAttainment,
    Handover,
    JournalEntry,
    PhaseChange,
    Plan,
    PlanAction,
    PlanReview,
    PlanVersion,
    Programme,
    Referral,
    TeamMember,
)
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import (
    DISCLOSABLE_CATEGORIES,
    REGISTER_CATEGORY,
    Action,
    DataCategory,
    LegalBasis,
    Purpose,
    Register,
)
from polku.policy.models import Consent, ReferralGrant, ServiceRelationship

PLAN = DataCategory.PLAN


def _log(
    actor: Actor,
    client: Client,
    decision: decisions.Decision,
    action: Action,
    category: DataCategory = PLAN,
    *,
    event: AuditEvent,
) -> None:
    record(
        actor=actor,
        accesses=[Access.granted(client.public_id, decision, action, [category], event=event)],
    )


def _require(
    actor: Actor,
    client: Client,
    owner: Organisation,
    action: Action = Action.CHANGE,
    category: DataCategory = PLAN,
    register: Register | str | None = None,
) -> decisions.Decision:
    return decisions.require(
        actor, client, action=action, category=category, owner=owner, register=register
    )


def _require_open(actor: Actor, episode: Episode) -> decisions.Decision:
    """The actor may change the episode's data, and the episode has not ended: an ended
    episode's plan, team and case manager are a record, no longer changed."""
    decision = _require(actor, episode.client, episode.organisation, register=episode.register)
    if not episode.is_active:
        raise ValidationError(_("The episode has ended."))
    return decision


def relationship_register(client: Client, organisation: Organisation) -> str | None:
    """The register of the organisation's active relationship with the client, if it has
    one; refused when it has several and the caller must choose."""
    registers = set(
        ServiceRelationship.objects.active()
        .filter(client=client, organisation=organisation)
        .values_list("register", flat=True)
    )
    if len(registers) > 1:
        raise ValidationError(
            {"register": _("The client is served in several registers: choose one.")}
        )
    return registers.pop() if registers else None


def _serves(user: User, organisation: Organisation) -> bool:
    return decisions.works_with_clients_in(user, organisation)


def _enqueue_alert_refresh(client: Client) -> None:
    """After the change commits, recompute this client's alerts in the background."""
    from polku.pathways.tasks import refresh_alerts

    client_id = client.pk
    transaction.on_commit(lambda: refresh_alerts.enqueue(client_id=client_id))


@transaction.atomic
def open_episode(
    *,
    actor: Actor,
    client: Client,
    programme: Programme,
    organisation: Organisation,
    unit: Unit | None = None,
    started_on: date | None = None,
    case_manager: User | None = None,
    register: Register | str | None = None,
) -> Episode:
    """Start an episode at an organisation serving the client, in the programme's first
    phase, optionally with its case manager. It runs in the register of the organisation's
    relationship with the client (name one when there are relationships in several)."""
    register = register or relationship_register(client, organisation)
    decision = _require(actor, client, organisation, Action.CREATE, register=register)
    assert register is not None  # only a relationship grants creating: it has a register
    started_on = started_on or timezone.localdate()
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("An episode cannot start in the future.")})
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ValidationError({"unit": _("The unit must belong to the chosen organisation.")})
    episode = Episode.objects.create(
        client=client,
        programme=programme,
        organisation=organisation,
        unit=unit,
        register=register,
        started_on=started_on,
        created_by=actor.person,
    )
    PhaseChange.objects.create(
        episode=episode, phase=programme.phases[0], started_on=started_on, recorded_by=actor.person
    )
    if case_manager is not None:
        _assign(actor, episode, case_manager)
    _log(actor, client, decision, Action.CREATE, event=AuditEvent.EPISODE_STARTED)
    _enqueue_alert_refresh(client)
    return episode


def open_episodes_hold(relationship: ServiceRelationship) -> str | None:
    """Refuses ending a service relationship while episodes run under it (the
    organisation's open episodes with the client in its register): they are ended first,
    each for its own reason, so that none is left open that nobody may see."""
    names = [
        episode.programme.localized_name
        for episode in Episode.objects.active()
        .filter(
            client_id=relationship.client_id,
            organisation_id=relationship.organisation_id,
            register=relationship.register,
        )
        .select_related("programme")
    ]
    if not names:
        return None
    return _(
        "End the client's open episodes in this register first, each for its own reason: "
        "%(episodes)s."
    ) % {"episodes": ", ".join(names)}


def _assign(actor: Actor, episode: Episode, user: User) -> CaseManagerAssignment:
    if not _serves(user, episode.organisation):
        raise ValidationError(
            {
                "case_manager": _(
                    "The case manager must work with clients in the episode's organisation."
                )
            }
        )
    try:
        with transaction.atomic():
            return CaseManagerAssignment.objects.create(
                episode=episode,
                user=user,
                organisation=episode.organisation,
                assigned_by=actor.person,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("The episode already has a case manager; propose a handover instead.")
        ) from error


@transaction.atomic
def assign_case_manager(*, actor: Actor, episode: Episode, user: User) -> CaseManagerAssignment:
    """Name the case manager of an episode that has none (the database allows one)."""
    decision = _require_open(actor, episode)
    assignment = _assign(actor, episode, user)
    _log(actor, episode.client, decision, Action.CHANGE, event=AuditEvent.CASE_MANAGER_ASSIGNED)
    _enqueue_alert_refresh(episode.client)
    return assignment


def current_case_manager(episode: Episode) -> CaseManagerAssignment | None:
    return episode.case_manager_assignments.filter(ended_at__isnull=True).first()


@transaction.atomic
def propose_handover(*, actor: Actor, episode: Episode, to_user: User, note: str = "") -> Handover:
    """The current case manager proposes a successor, and stays responsible until accepted."""
    decision = _require_open(actor, episode)
    current = current_case_manager(episode)
    if current is None or current.user_id != actor.person.pk:
        raise PermissionDenied(_("Only the current case manager can propose a handover."))
    if to_user.pk == actor.person.pk:
        raise ValidationError({"to_user": _("Choose someone else as the new case manager.")})
    if not _serves(to_user, episode.organisation):
        raise ValidationError(
            {
                "to_user": _(
                    "The new case manager must work with clients in the episode's organisation."
                )
            }
        )
    Handover.objects.filter(episode=episode, state=HandoverState.PROPOSED).update(
        state=HandoverState.CANCELLED, decided_at=timezone.now()
    )
    handover = Handover.objects.create(
        episode=episode, from_user=actor.person, to_user=to_user, note=note
    )
    _log(actor, episode.client, decision, Action.CHANGE, event=AuditEvent.HANDOVER_PROPOSED)
    notifications.handover_proposed(handover)
    return handover


@transaction.atomic
def answer_handover(*, actor: Actor, handover: Handover, accept: bool) -> Handover:
    """The proposed successor accepts (and becomes case manager at once) or declines."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.to_user_id != actor.person.pk:
        raise PermissionDenied(_("Only the proposed case manager can answer the handover."))
    if handover.state != HandoverState.PROPOSED:
        raise ValidationError(_("This handover has already been answered."))
    episode = handover.episode
    decision = _require(actor, episode.client, episode.organisation, register=episode.register)
    now = timezone.now()
    handover.state = HandoverState.ACCEPTED if accept else HandoverState.DECLINED
    handover.decided_at = now
    handover.save(update_fields=["state", "decided_at"])
    if accept:
        CaseManagerAssignment.objects.filter(episode=episode, ended_at__isnull=True).update(
            ended_at=now
        )
        CaseManagerAssignment.objects.create(
            episode=episode,
            user=actor.person,
            organisation=episode.organisation,
            started_at=now,
            assigned_by=handover.from_user,
        )
    _log(actor, episode.client, decision, Action.CHANGE, event=AuditEvent.HANDOVER_ANSWERED)
    _enqueue_alert_refresh(episode.client)
    return handover


@transaction.atomic
def change_phase(
    *, actor: Actor, episode: Episode, phase: Phase | str, started_on: date | None = None
) -> PhaseChange:
    decision = _require_open(actor, episode)
    if phase not in episode.programme.phases:
        raise ValidationError({"phase": _("This programme has no such phase.")})
    started_on = started_on or timezone.localdate()
    latest = episode.phase_changes.order_by("-started_on", "-recorded_at").first()
    if latest is not None and started_on < latest.started_on:
        raise ValidationError(
            {"started_on": _("A phase cannot start before the current phase started.")}
        )
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("A phase cannot start in the future.")})
    change = PhaseChange.objects.create(
        episode=episode, phase=phase, started_on=started_on, recorded_by=actor.person
    )
    _log(actor, episode.client, decision, Action.CHANGE, event=AuditEvent.PHASE_CHANGED)
    _enqueue_alert_refresh(episode.client)
    return change


def check_end_episode(
    episode: Episode, *, end_reason: EndReason | str, ended_on: date | None = None
) -> date:
    """Refuse (``ValidationError``) an end the episode cannot take; return the end date.
    Writes nothing: the first step of the act asks it too."""
    if not episode.is_active:
        raise ValidationError(_("The episode has ended."))
    ended_on = ended_on or timezone.localdate()
    problems: dict[str, str] = {}
    if end_reason not in EndReason.values:
        problems["end_reason"] = _("Choose why the episode ends.")
    if ended_on < episode.started_on or ended_on > timezone.localdate():
        problems["ended_on"] = _("The end date must be between the start date and today.")
    else:
        joined = (
            TeamMember.objects.filter(
                episode=episode, ended_on__isnull=True, started_on__gt=ended_on
            )
            .order_by("-started_on")
            .values_list("started_on", flat=True)
            .first()
        )
        if joined is not None:
            problems["ended_on"] = _(
                "A team member joined on %(date)s: the episode cannot end before that."
            ) % {"date": formats.date_format(joined, "SHORT_DATE_FORMAT")}
    if problems:
        raise ValidationError(problems)
    return ended_on


@transaction.atomic
def end_episode(
    *, actor: Actor, episode: Episode, end_reason: EndReason | str, ended_on: date | None = None
) -> Episode:
    """End the episode; its case manager and team step down on the same day, and an open
    handover is cancelled. Its referrals stay as they are. For
    ``CORRECTION_DAYS`` after the end was recorded, an episode ended by mistake
    may be reopened (``reopen_episode``)."""
    episode = _locked_episode(episode)
    decision = _require_open(actor, episode)
    ended_on = check_end_episode(episode, end_reason=end_reason, ended_on=ended_on)
    now = timezone.now()
    episode.ended_on, episode.end_reason = ended_on, end_reason
    episode.ended_by, episode.end_recorded_at = actor.user, now
    episode.save(update_fields=["ended_on", "end_reason", "ended_by", "end_recorded_at"])
    CaseManagerAssignment.objects.filter(episode=episode, ended_at__isnull=True).update(
        ended_at=now
    )
    TeamMember.objects.filter(episode=episode, ended_on__isnull=True).update(ended_on=ended_on)
    Handover.objects.filter(episode=episode, state=HandoverState.PROPOSED).update(
        state=HandoverState.CANCELLED, decided_at=now
    )
    _log(actor, episode.client, decision, Action.CHANGE, event=AuditEvent.EPISODE_ENDED)
    _enqueue_alert_refresh(episode.client)
    return episode


def _locked_episode(episode: Episode) -> Episode:
    """The episode, its row locked and its state read afresh (into the caller's instance
    too), so that two people ending or reopening it at once do it one after the other."""
    episode.refresh_from_db(from_queryset=Episode.objects.select_for_update(of=("self",)))
    return episode


def check_reopen_episode(episode: Episode) -> None:
    """Refuse (``ValidationError``) reopening an episode that is open, or whose end was
    recorded more than ``CORRECTION_DAYS`` ago. Writes nothing."""
    if episode.is_active:
        raise ValidationError(_("The episode has not ended."))
    if not within_correction_period(episode):
        raise ValidationError(
            _(
                "An episode can be reopened within %(days)d days of recording its end. "
                "Start a new episode instead."
            )
            % {"days": CORRECTION_DAYS}
        )


@transaction.atomic
def reopen_episode(*, actor: Actor, episode: Episode, reason: str) -> Episode:
    """Reopen an episode ended by mistake, within ``CORRECTION_DAYS`` of
    recording its end, by the owning organisation's client workers, for a reason.

    The episode is open again without an end date or reason, so that nothing counts the
    mistaken end (the end reason is where the client went after the service); a reopening
    record keeps the end as it was, so that the history shows both. The case manager and
    the team members whom the end released come back (from now on, while they still work
    in their organisations); a cancelled handover does not."""
    episode = _locked_episode(episode)
    decision = _require(actor, episode.client, episode.organisation, register=episode.register)
    check_reopen_episode(episode)
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the end was a mistake.")})
    released_manager = (
        CaseManagerAssignment.objects.filter(episode=episode, ended_at=episode.end_recorded_at)
        .select_related("user")
        .first()
        if episode.end_recorded_at
        else None
    )
    released_team = list(TeamMember.objects.filter(episode=episode, ended_on=episode.ended_on))
    EpisodeReopening.objects.create(
        episode=episode, reason=reason.strip(), corrected_by=actor.person, **undo_end(episode)
    )
    if released_manager is not None and _serves(released_manager.user, episode.organisation):
        _assign(actor, episode, released_manager.user)
    # The team's own rule (``add_team_member``): a client-work membership valid today in an
    # organisation known to serve the client; asked once for all the released members.
    known = decisions.known_serving_organisations(actor, episode.client)
    may_return = set(
        selectors.team_candidates(organisation.pk for organisation in known)
        .filter(user__in=[member.user_id for member in released_team])
        .values_list("user_id", "organisation_id")
    )
    TeamMember.objects.bulk_create(
        TeamMember(
            episode=episode,
            user=member.user,
            organisation=member.organisation,
            team_role=member.team_role,
            started_on=timezone.localdate(),
        )
        for member in released_team
        if (member.user_id, member.organisation_id) in may_return
    )
    _log(actor, episode.client, decision, Action.CHANGE, event=AuditEvent.EPISODE_REOPENED)
    _enqueue_alert_refresh(episode.client)
    return episode


@transaction.atomic
def add_team_member(
    *, actor: Actor, episode: Episode, membership: Membership, team_role: str
) -> TeamMember:
    """Add a professional to the client's team through one of their memberships: the one
    write path for joining a team (the team page, the demo and imports call it).

    The membership is checked here, whatever the caller picked it from: it must be valid
    today, in a client-work role, of an active professional, in an organisation that the
    policy says serves the client and the actor may know of (``selectors.team_candidates``).
    Team members see only what their own organisation's grounds allow."""
    decision = _require_open(actor, episode)
    known = [org.pk for org in decisions.known_serving_organisations(actor, episode.client)]
    if not selectors.team_candidates(known).filter(pk=membership.pk).exists():
        raise ValidationError(
            _(
                "This professional cannot join the team: only those who work with clients "
                "today in an organisation that serves the client can."
            )
        )
    team_role = team_role.strip()
    if not team_role:
        raise ValidationError({"team_role": _("Write the member's role on the team.")})
    try:
        with transaction.atomic():
            member = TeamMember.objects.create(
                episode=episode,
                user_id=membership.user_id,
                organisation_id=membership.organisation_id,
                team_role=team_role,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("%(name)s is already on the team.") % {"name": membership.user}
        ) from error
    _log(actor, episode.client, decision, Action.CHANGE, event=AuditEvent.TEAM_MEMBER_ADDED)
    notifications.team_member_added(member, added_by=actor.person)
    return member


@transaction.atomic
def remove_team_member(
    *, actor: Actor, member: TeamMember, ended_on: date | None = None
) -> TeamMember:
    """End the member's period on the team on ``ended_on`` (today by default). The row stays
    as the record of who was on the team and when; the access log names the act. Their
    open tasks in the episode's plan move to their organisation's queue, so that no task
    is left with someone who no longer works with the client."""
    episode = member.episode
    decision = _require_open(actor, episode)
    member = TeamMember.objects.select_for_update().select_related("user").get(pk=member.pk)
    if member.ended_on is not None:
        raise ValidationError(_("%(name)s has already left the team.") % {"name": member.user})
    today = timezone.localdate()
    ended_on = ended_on or today
    if ended_on < member.started_on or ended_on > today:
        raise ValidationError(
            {"ended_on": _("The end date must be between the day they joined the team and today.")}
        )
    member.ended_on = ended_on
    member.save(update_fields=["ended_on"])
    PlanAction.objects.filter(
        plan__episode=episode, owner_user=member.user, done_on__isnull=True
    ).update(owner_user=None, owner_organisation=member.organisation)
    _log(actor, episode.client, decision, Action.CHANGE, event=AuditEvent.TEAM_MEMBER_REMOVED)
    return member


# Referrals ----------------------------------------------------------------------------


def consents_for(
    client: Client, recipient: Organisation, sender: Organisation, purpose: Purpose | str
) -> dict[str, list[Consent]]:
    """The client's valid consents that let the sender disclose to the recipient for
    ``purpose``, by the category each covers."""
    covered: dict[str, list[Consent]] = {}
    consents = (
        Consent.objects.valid()
        .filter(
            Q(discloser=sender) | Q(discloser__isnull=True),
            client=client,
            recipient=recipient,
            purpose=purpose,
        )
        .prefetch_related("categories")
    )
    for consent in consents:
        for scope in consent.categories.all():
            covered.setdefault(scope.category, []).append(consent)
    return covered


@transaction.atomic
def send_referral(
    *,
    actor: Actor,
    client: Client,
    from_organisation: Organisation,
    to_organisation: Organisation,
    reason: str,
    urgency: Urgency | str,
    shared_categories: Sequence[str],
    purpose: Purpose | str = Purpose.SERVICE_COORDINATION,
    episode: Episode | None = None,
    to_unit: Unit | None = None,
    to_user: User | None = None,
) -> Referral:
    """Refer the client from the actor's organisation to another, for a purpose.

    The receiver must be able to see who the client is: it serves the client already, or
    the client has consented to share basic details with it for the referral's purpose.
    Every other category shared from the sender's records must be within such a consent,
    also when the receiver serves the client (its own relationship opens only its own
    records). The referral then gives the receiver its own ground (``ReferralGrant``) to
    read what it shares, which ends with the referral or with any consent it rests on.
    """
    register = episode.register if episode is not None else None
    decision = _require(actor, client, from_organisation, Action.CREATE, register=register)
    problems: dict[str, str] = {}
    if to_organisation.pk == from_organisation.pk:
        problems["to_organisation"] = _("Refer to another organisation.")
    if to_unit is not None and to_unit.organisation_id != to_organisation.pk:
        problems["to_unit"] = _("The unit must belong to the receiving organisation.")
    if to_user is not None and not _serves(to_user, to_organisation):
        problems["to_user"] = _(
            "The professional must work with clients in the receiving organisation."
        )
    if not reason.strip():
        problems["reason"] = _("Tell the receiver why the client is referred.")
    if episode is not None and (
        episode.client_id != client.pk or episode.organisation_id != from_organisation.pk
    ):
        problems["episode"] = _("The episode must be the client's, in the sending organisation.")
    receiver_serves = (
        ServiceRelationship.objects.active()
        .filter(client=client, organisation=to_organisation)
        .exists()
    )
    covered = consents_for(client, to_organisation, from_organisation, purpose)
    shared = sorted(set(shared_categories) | {DataCategory.BASIC})
    if any(category not in DISCLOSABLE_CATEGORIES for category in shared):
        problems["shared_categories"] = _("A project's participant data is not shared by referral.")
    # Who the client is, a receiver that serves the client knows already; anything of the
    # sender's own records goes to another organisation only within the client's consent.
    missing = [
        c for c in shared if c not in covered and not (c == DataCategory.BASIC and receiver_serves)
    ]
    if missing:
        problems["shared_categories"] = _(
            "The client has not consented to share these with the receiver for this "
            "purpose: %(categories)s. Record the client's consent first."
        ) % {"categories": ", ".join(str(DataCategory(c).label) for c in missing)}
    if problems:
        raise ValidationError(problems)
    referral = Referral.objects.create(
        client=client,
        episode=episode,
        from_organisation=from_organisation,
        from_user=actor.person,
        to_organisation=to_organisation,
        to_unit=to_unit,
        to_user=to_user,
        reason=reason.strip(),
        purpose=purpose,
        urgency=urgency,
        shared_categories=shared,
        respond_by=timezone.localdate() + timedelta(days=RESPONSE_DAYS[Urgency(urgency)]),
    )
    grant = ReferralGrant.objects.create(
        public_id=referral.public_id,
        client=client,
        sender=from_organisation,
        receiver=to_organisation,
        purpose=purpose,
        categories=ReferralGrant.encode(shared),
        opened_at=referral.sent_at,
    )
    grant.consents.set({consent for c in shared for consent in covered.get(c, [])[:1]})
    _log(actor, client, decision, Action.CREATE, event=AuditEvent.REFERRAL_SENT)
    notifications.referral_sent(referral)
    return referral


def _move(referral: Referral, status: ReferralStatus) -> None:
    if status not in REFERRAL_TRANSITIONS[ReferralStatus(referral.status)]:
        raise ValidationError(
            _("A referral that is %(current)s cannot become %(new)s.")
            % {"current": referral.get_status_display(), "new": status.label}
        )
    referral.status = status
    if status in ENDED_REFERRAL:
        ReferralGrant.objects.filter(public_id=referral.public_id).update(ended_at=timezone.now())


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("episode")
        .get(pk=referral.pk)
    )


@transaction.atomic
def mark_referral_received(*, actor: Actor, referral: Referral) -> Referral:
    referral = _locked(referral)
    decision = access.require_receiver(actor, referral)
    if referral.status == ReferralStatus.SENT:
        _move(referral, ReferralStatus.RECEIVED)
        referral.received_at = timezone.now()
        referral.save(update_fields=["status", "received_at"])
        _log(actor, referral.client, decision, Action.CHANGE, event=AuditEvent.REFERRAL_RECEIVED)
    return referral


@transaction.atomic
def accept_referral(
    *,
    actor: Actor,
    referral: Referral,
    register: Register | str,
    legal_basis: LegalBasis | str,
    unit: Unit | None = None,
) -> Referral:
    """The receiver takes the client on: a service relationship of its own starts."""
    referral = _locked(referral)
    receiver = access.require_receiver(actor, referral)
    _move(referral, ReferralStatus.ACCEPTED)
    now = timezone.now()
    referral.answered_at, referral.answered_by = now, actor.person
    referral.received_at = referral.received_at or now
    referral.save(update_fields=["status", "answered_at", "answered_by", "received_at"])
    relationship = ServiceRelationship.objects.not_ended().filter(
        client=referral.client, organisation=referral.to_organisation, register=register
    ).first() or ServiceRelationship.objects.create(
        client=referral.client,
        organisation=referral.to_organisation,
        unit=unit or referral.to_unit,
        register=register,
        legal_basis=legal_basis,
        created_by=actor.person,
    )
    decision = decisions.relationship_started(
        actor.for_purpose(receiver.purpose or actor.declared_purpose()), relationship
    )
    _log(actor, referral.client, decision, Action.CHANGE, event=AuditEvent.REFERRAL_ACCEPTED)
    _enqueue_alert_refresh(referral.client)
    return referral


def check_decline_referral(referral: Referral, *, ground: DeclineGround | str, reason: str) -> None:
    """Refuse (``ValidationError``) a declining that cannot be recorded. Writes nothing:
    the first step of the act asks it too."""
    if ReferralStatus.DECLINED not in REFERRAL_TRANSITIONS[ReferralStatus(referral.status)]:
        raise ValidationError(
            _("A referral that is %(current)s cannot be declined.")
            % {"current": referral.get_status_display()}
        )
    problems: dict[str, str] = {}
    if ground not in DeclineGround.values:
        problems["decline_ground"] = _("Choose why the referral is declined.")
    if not reason.strip():
        problems["decline_reason"] = _("Tell the sender why the referral is declined.")
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def decline_referral(
    *, actor: Actor, referral: Referral, ground: DeclineGround | str, reason: str
) -> Referral:
    """The receiver declines: the sender reads the ground and the reason, and the
    referral's ground for the receiver ends."""
    referral = _locked(referral)
    receiver = access.require_receiver(actor, referral)
    check_decline_referral(referral, ground=ground, reason=reason)
    _move(referral, ReferralStatus.DECLINED)
    referral.decline_ground, referral.decline_reason = ground, reason.strip()
    referral.answered_at, referral.answered_by = timezone.now(), actor.person
    referral.save(
        update_fields=["status", "decline_ground", "decline_reason", "answered_at", "answered_by"]
    )
    _log(actor, referral.client, receiver, Action.CHANGE, event=AuditEvent.REFERRAL_DECLINED)
    _enqueue_alert_refresh(referral.client)
    return referral


@transaction.atomic
def close_referral(*, actor: Actor, referral: Referral, status: ReferralStatus | str) -> Referral:
    """Complete (the receiver, after accepting) or withdraw (the sender) a referral."""
    referral = _locked(referral)
    if status == ReferralStatus.COMPLETED:
        decision = access.require_receiver(actor, referral)
    elif status == ReferralStatus.WITHDRAWN:
        decision = access.require_sender(actor, referral)
    else:
        raise ValidationError(_("A referral is closed by completing or withdrawing it."))
    _move(referral, ReferralStatus(status))
    referral.closed_at = timezone.now()
    referral.save(update_fields=["status", "closed_at"])
    _log(actor, referral.client, decision, Action.CHANGE, event=AuditEvent.REFERRAL_CLOSED)
    _enqueue_alert_refresh(referral.client)
    return referral


# Plans ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalInput:
    """A goal as written with the client (Goal Attainment Scaling, ``pathways.gas``):
    ``levels`` describes −2, −1, 0, +1 and +2 in that order; ``goal_id`` keeps a goal's
    identity across versions."""

    text: str
    baseline: str = ""
    baseline_level: int = gas.DEFAULT_BASELINE_LEVEL
    levels: tuple[str, str, str, str, str] = ("", "", "", "", "")
    importance: int | None = None
    difficulty: int | None = None
    goal_id: int | None = None


@dataclass(frozen=True)
class ActionInput:
    text: str
    goal_position: int | None = None
    owner_user: User | None = None
    owner_organisation: Organisation | None = None
    owner_is_client: bool = False
    due_on: date | None = None
    done_on: date | None = None
    # The stored action this row edits (None for a new one) and the done date shown when
    # the form was opened: a done date left as shown keeps the stored one, which the
    # action's owner may have set or cleared from the worklist meanwhile.
    action_id: int | None = None
    done_shown: date | None = None


def goal_snapshot(goal: Goal) -> dict[str, object]:
    """A goal as a plan version stores it."""
    return {
        "id": goal.pk,
        "text": goal.text,
        "weight": goal.weight,
        "importance": goal.importance,
        "difficulty": goal.difficulty,
        "baseline": goal.baseline,
        "baseline_level": goal.baseline_level,
        "levels": {
            f"{level:+d}" if level else "0": text for level, text in goal.level_texts().items()
        },
    }


def _snapshot(plan: Plan) -> dict[str, object]:
    return {
        "helping_factors": plan.helping_factors,
        "hindering_factors": plan.hindering_factors,
        "services": plan.services,
        "working_methods": plan.working_methods,
        "next_review_on": plan.next_review_on.isoformat() if plan.next_review_on else None,
        "client_agreed_on": plan.client_agreed_on.isoformat() if plan.client_agreed_on else None,
        "goals": [
            goal_snapshot(goal)
            for goal in plan.goals.filter(ended_in_version=None).order_by("position", "pk")
        ],
        "actions": [
            {
                "text": action.text,
                "goal_id": action.goal_id,
                "owner_user": str(action.owner_user) if action.owner_user else None,
                "owner_organisation": (
                    action.owner_organisation.name if action.owner_organisation else None
                ),
                "owner_is_client": action.owner_is_client,
                "due_on": action.due_on.isoformat() if action.due_on else None,
                "done_on": action.done_on.isoformat() if action.done_on else None,
            }
            for action in plan.actions.select_related("owner_user", "owner_organisation")
        ],
    }


# How far ahead a plan looks at most: a review or an action due further away is a typing
# error (and a date such as 9999-12-31 leaves no room for date arithmetic).
PLAN_YEARS_AHEAD = 5


def _plan_date_problems(
    episode: Episode,
    *,
    planned: dict[str, date | None] | None = None,
    happened: dict[str, date | None] | None = None,
) -> dict[str, str]:
    """The plan dates outside their range, by field: a date planned (a review, an action
    due) lies between the episode's start and ``PLAN_YEARS_AHEAD`` years from today; a
    date of what has happened (an agreement, a review held, an action done) between the
    episode's start and today."""
    today = timezone.localdate()
    try:
        latest = today.replace(year=today.year + PLAN_YEARS_AHEAD)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + PLAN_YEARS_AHEAD, day=28)
    start = formats.date_format(episode.started_on, "SHORT_DATE_FORMAT")
    problems: dict[str, str] = {}
    for field, value in (planned or {}).items():
        if value is not None and not episode.started_on <= value <= latest:
            problems[field] = _(
                "The date must be between the start of the episode (%(start)s) and %(latest)s."
            ) % {"start": start, "latest": formats.date_format(latest, "SHORT_DATE_FORMAT")}
    for field, value in (happened or {}).items():
        if value is not None and not episode.started_on <= value <= today:
            problems[field] = _(
                "The date must be between the start of the episode (%(start)s) and today."
            ) % {"start": start}
    return problems


def _goal_problems(goal: GoalInput) -> list[str]:
    """What is wrong with a goal's scale: its starting level, its weights, its levels."""
    problems = []
    if goal.baseline_level not in gas.BASELINE_LEVELS:
        problems.append(_("the starting level is −2, −1 or 0."))
    if (goal.importance is None) != (goal.difficulty is None):
        problems.append(_("give both its importance and its difficulty, or neither."))
    elif any(
        factor is not None and factor not in gas.WEIGHT_FACTORS
        for factor in (goal.importance, goal.difficulty)
    ):
        problems.append(_("importance and difficulty are whole numbers from 0 to 3."))
    if len(goal.levels) != len(gas.LEVELS):
        problems.append(_("describe the five levels from −2 to +2."))
    return problems


@transaction.atomic
def save_plan(
    *,
    actor: Actor,
    episode: Episode,
    goals: Sequence[GoalInput],
    actions: Sequence[ActionInput] = (),
    helping_factors: str = "",
    hindering_factors: str = "",
    services: str = "",
    working_methods: str = "",
    next_review_on: date | None = None,
    client_agreed_on: date | None = None,
    change_note: str = "",
) -> Plan:
    """Save the episode's plan as a new version; earlier versions stay as they were.

    Goals keep their identity across versions (``goal_id``) so that reviews can follow
    each goal over time. A goal left out is deleted if it was never reviewed; a reviewed
    one leaves the plan (``ended_in_version``) and stays in its reviews. An action's
    ``goal_position`` is the place of its goal among ``goals``.
    """
    decision = _require_open(actor, episode)
    goals = [goal for goal in goals if goal.text.strip()]
    if not goals:
        raise ValidationError({"goals": _("Write at least one goal in the client's own words.")})
    goal_problems = [
        _("Goal %(number)s: %(problem)s") % {"number": number, "problem": problem}
        for number, goal in enumerate(goals, start=1)
        for problem in _goal_problems(goal)
    ]
    if goal_problems:
        raise ValidationError({"goals": goal_problems})
    problems = _plan_date_problems(
        episode,
        planned={"next_review_on": next_review_on},
        happened={"client_agreed_on": client_agreed_on},
    )
    action_problems = [
        _("Action %(number)s: %(problem)s") % {"number": number, "problem": message}
        for number, action in enumerate(actions, start=1)
        for message in [
            *_plan_date_problems(
                episode, planned={"due": action.due_on}, happened={"done": action.done_on}
            ).values(),
            *(
                [_("the goal it serves is not in the plan.")]
                if action.goal_position is not None and not 0 <= action.goal_position < len(goals)
                else []
            ),
        ]
    ]
    if problems or action_problems:
        raise ValidationError(
            {**problems, **({"actions": action_problems} if action_problems else {})}
        )
    plan, _created = Plan.objects.select_for_update().get_or_create(episode=episode)
    plan.helping_factors, plan.hindering_factors = helping_factors, hindering_factors
    plan.services, plan.working_methods = services, working_methods
    plan.next_review_on = next_review_on
    plan.client_agreed_on = client_agreed_on
    plan.version += 1
    plan.save()
    current = {goal.pk: goal for goal in plan.goals.filter(ended_in_version=None)}
    kept: list[Goal] = []
    for position, goal_input in enumerate(goals):
        goal = current.get(goal_input.goal_id or 0) or Goal(plan=plan)
        goal.text, goal.position = goal_input.text.strip(), position
        goal.baseline, goal.baseline_level = goal_input.baseline.strip(), goal_input.baseline_level
        (
            goal.level_minus_2,
            goal.level_minus_1,
            goal.level_0,
            goal.level_plus_1,
            goal.level_plus_2,
        ) = (text.strip() for text in goal_input.levels)
        goal.importance, goal.difficulty = goal_input.importance, goal_input.difficulty
        goal.save()
        kept.append(goal)
    left_out = plan.goals.filter(ended_in_version=None).exclude(pk__in=[g.pk for g in kept])
    left_out.filter(attainments__isnull=True).delete()
    left_out.update(ended_in_version=plan.version)
    _save_actions(plan, kept, [action for action in actions if action.text.strip()])
    PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        content=_snapshot(plan),
        saved_by=actor.person,
        change_note=change_note,
    )
    _log(actor, episode.client, decision, Action.CHANGE, event=AuditEvent.PLAN_SAVED)
    _enqueue_alert_refresh(episode.client)
    return plan


def _save_actions(plan: Plan, goals: list[Goal], actions: Sequence[ActionInput]) -> None:
    """Update the plan's actions in place (their ids stay, so tasks, reminders and undo
    links follow them), add the new ones and delete those left out."""
    stored = {action.pk: action for action in plan.actions.select_for_update()}
    kept: list[PlanAction] = []
    for given in actions:
        action = stored.pop(given.action_id or 0, None) or PlanAction(plan=plan)
        if action.pk is None or given.done_on != given.done_shown:
            action.done_on = given.done_on
        action.goal = goals[given.goal_position] if given.goal_position is not None else None
        action.text = given.text.strip()
        action.owner_user = given.owner_user
        action.owner_organisation = given.owner_organisation
        action.owner_is_client = given.owner_is_client
        action.due_on = given.due_on
        kept.append(action)
    PlanAction.objects.filter(pk__in=list(stored)).delete()
    fields = [
        "goal",
        "text",
        "owner_user",
        "owner_organisation",
        "owner_is_client",
        "due_on",
        "done_on",
    ]
    PlanAction.objects.bulk_update([a for a in kept if a.pk is not None], fields)
    PlanAction.objects.bulk_create([a for a in kept if a.pk is None])


@transaction.atomic
def review_plan(
    *,
    actor: Actor,
    plan: Plan,
    attainments: dict[int, int],
    reviewed_on: date | None = None,
    note: str = "",
    requested_by_client: bool = False,
    next_review_on: date | None = None,
) -> PlanReview:
    """Record a review: each current goal's attainment on the GAS scale −2…+2, with the
    goal's weight as it stands, so that the review's T-score stays as it was scored."""
    plan = Plan.objects.select_for_update().select_related("episode__client").get(pk=plan.pk)
    episode = plan.episode
    decision = _require_open(actor, episode)
    weights = {goal.pk: goal.weight for goal in plan.goals.filter(ended_in_version=None)}
    if set(attainments) != set(weights):
        raise ValidationError({"attainments": _("Rate every goal of the plan.")})
    if any(level not in (-2, -1, 0, 1, 2) for level in attainments.values()):
        raise ValidationError({"attainments": _("Attainment is rated from −2 to +2.")})
    problems = _plan_date_problems(
        episode, planned={"next_review_on": next_review_on}, happened={"reviewed_on": reviewed_on}
    )
    if problems:
        raise ValidationError(problems)
    review = PlanReview.objects.create(
        plan=plan,
        reviewed_on=reviewed_on or timezone.localdate(),
        requested_by_client=requested_by_client,
        note=note,
        reviewed_by=actor.person,
        plan_version=plan.version,
    )
    GoalAttainment.objects.bulk_create(
        [
            GoalAttainment(review=review, goal_id=goal_id, level=level, weight=weights[goal_id])
            for goal_id, level in attainments.items()
        ]
    )
    if next_review_on is not None:
        plan.next_review_on = next_review_on
        plan.save(update_fields=["next_review_on"])
    _log(actor, episode.client, decision, Action.CHANGE, event=AuditEvent.PLAN_REVIEWED)
    _enqueue_alert_refresh(episode.client)
    return review


# Tasks: the plan's actions done -------------------------------------------------------


@transaction.atomic
def complete_plan_action(
    *, actor: Actor, action: PlanAction, done_on: date | None = None
) -> PlanAction:
    """Mark an action of the plan done (today, unless another day is given).

    It is a change of the episode's plan, for those who may change it. It does not make a
    new plan version: a version records what was agreed with the client, and doing what
    was agreed changes no agreement. The act is in the access log (``PLAN_ACTION_DONE``),
    and the next version saved carries the action's done date in its snapshot.
    """
    return _mark_done(actor, action, done_on or timezone.localdate())


@transaction.atomic
def reopen_plan_action(*, actor: Actor, action: PlanAction) -> PlanAction:
    """Undo marking an action done, for a mistake: the action is open again. Both acts
    stay in the access log (``PLAN_ACTION_DONE`` and ``PLAN_ACTION_REOPENED``)."""
    return _mark_done(actor, action, None)


def _mark_done(actor: Actor, action: PlanAction, done_on: date | None) -> PlanAction:
    action = (
        PlanAction.objects.select_for_update(of=("self",))
        .select_related("plan__episode__client", "plan__episode__organisation")
        .get(pk=action.pk)
    )
    episode = action.plan.episode
    decision = _require_open(actor, episode)
    if done_on is not None:
        problems = _plan_date_problems(episode, happened={"done_on": done_on})
        if problems:
            raise ValidationError(problems)
        if action.done_on is not None:
            raise ValidationError(_("The action is already marked done."))
    elif action.done_on is None:
        raise ValidationError(_("The action is not marked done."))
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    event = AuditEvent.PLAN_ACTION_DONE if done_on else AuditEvent.PLAN_ACTION_REOPENED
    _log(actor, episode.client, decision, Action.CHANGE, event=event)
    return action


# Journal --------------------------------------------------------------------------------


@transaction.atomic
def add_journal_entry(
    *,
    actor: Actor,
    client: Client,
    organisation: Organisation,
    register: Register | str,
    entry_type: EntryType | str,
    text: str,
    occurred_on: date | None = None,
    episode: Episode | None = None,
) -> JournalEntry:
    """Write an entry into one register of the user's own organisation."""
    category = REGISTER_CATEGORY[Register(register)]
    if (
        organisation == actor.organisation
        and not ServiceRelationship.objects.active()
        .filter(client=client, organisation=organisation, register=register)
        .exists()
    ):
        raise ValidationError(
            {"register": _("Your organisation does not serve the client in this register.")}
        )
    decision = _require(actor, client, organisation, Action.CREATE, category, register)
    if not text.strip():
        raise ValidationError({"text": _("The entry is empty.")})
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate():
        raise ValidationError(
            {"occurred_on": _("An entry records what has happened, not the future.")}
        )
    entry = JournalEntry.objects.create(
        client=client,
        episode=episode,
        organisation=organisation,
        register=register,
        entry_type=entry_type,
        occurred_on=occurred_on,
        text=text.strip(),
        author=actor.person,
    )
    _log(actor, client, decision, Action.CREATE, category, event=AuditEvent.JOURNAL_ENTRY_ADDED)
    _enqueue_alert_refresh(client)
    return entry
