"""Writes on job coaching: one function per act, each checked, logged and in one transaction.

A coaching belongs to its episode's organisation and register; the policy decides on the
"employment" category with that organisation as owner. Refused acts raise
``PermissionDenied`` / ``Http404`` and bad input ``ValidationError``; either way nothing
changes.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.audit.enums import AuditEvent
from polku.audit.services import Access, record
from polku.employment.coaching_enums import (
    FOLLOW_UP_MONTHS,
    STAGE_TRANSITIONS,
    ContactKind,
    Occasion,
    Stage,
    TransitionKind,
)
from polku.employment.models import Coaching, CoachingContact, CoachingStage, Transition
from polku.measures.schedules import add_months
from polku.pathways.models import Episode
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action, DataCategory

EMPLOYMENT = DataCategory.EMPLOYMENT


def _log(actor: Actor, coaching: Coaching, decision: decisions.Decision, event: AuditEvent) -> None:
    record(
        actor=actor,
        accesses=[
            Access.granted(
                coaching.client.public_id, decision, Action.CHANGE, [EMPLOYMENT], event=event
            )
        ],
    )


def _require_change(actor: Actor, coaching: Coaching) -> decisions.Decision:
    return decisions.require(
        actor,
        coaching.client,
        action=Action.CHANGE,
        category=EMPLOYMENT,
        owner=coaching.organisation,
        register=coaching.register,
    )


def _locked(coaching: Coaching) -> Coaching:
    """The coaching, its row locked and read afresh, so that two acts on it at once are
    made one after the other, each on the state the other left."""
    coaching.refresh_from_db(from_queryset=Coaching.objects.select_for_update(of=("self",)))
    return coaching


def _require_open(actor: Actor, coaching: Coaching) -> decisions.Decision:
    coaching = _locked(coaching)
    decision = _require_change(actor, coaching)
    if not coaching.is_active:
        raise ValidationError(_("The job coaching has ended."))
    return decision


def _check_day(day: date, *, not_before: date, field: str) -> None:
    if day < not_before or day > timezone.localdate():
        raise ValidationError({field: _("The date must be between the start date and today.")})


@transaction.atomic
def start_coaching(
    *, actor: Actor, episode: Episode, coach: User, started_on: date | None = None
) -> Coaching:
    """Start job coaching in an active episode, with ``coach`` (who does client work in
    the episode's organisation) as the job coach; at most one open coaching per episode."""
    decision = decisions.require(
        actor,
        episode.client,
        action=Action.CHANGE,
        category=EMPLOYMENT,
        owner=episode.organisation,
        register=episode.register,
    )
    locked = Episode.objects.select_for_update(of=("self",)).get(pk=episode.pk)
    if not locked.is_active:
        raise ValidationError(_("The episode has ended."))
    started_on = started_on or timezone.localdate()
    problems: dict[str, str] = {}
    if not decisions.works_with_clients_in(coach, episode.organisation):
        problems["coach"] = _("The job coach must do client work in the episode's organisation.")
    if started_on < episode.started_on or started_on > timezone.localdate():
        problems["started_on"] = _("The start date must be between the episode's start and today.")
    if Coaching.objects.open().filter(episode=episode).exists():
        problems["__all__"] = _("The episode already has job coaching in progress.")
    if problems:
        raise ValidationError(problems)
    coaching = Coaching.objects.create(
        client=episode.client,
        episode=episode,
        organisation=episode.organisation,
        register=episode.register,
        coach=coach,
        started_on=started_on,
        stage=Stage.VOCATIONAL_PROFILE,
        stage_started_on=started_on,
    )
    CoachingStage.objects.create(
        coaching=coaching,
        stage=Stage.VOCATIONAL_PROFILE,
        started_on=started_on,
        recorded_by=actor.person,
    )
    _log(actor, coaching, decision, AuditEvent.COACHING_STARTED)
    return coaching


@transaction.atomic
def change_stage(
    *, actor: Actor, coaching: Coaching, stage: Stage | str, started_on: date | None = None
) -> CoachingStage:
    """Move the coaching to ``stage``: forward only, except from work back to the job
    search when a job ends (``STAGE_TRANSITIONS``). Ending is ``end_coaching``."""
    decision = _require_open(actor, coaching)
    current = Stage(coaching.stage)
    if stage not in Stage.values or Stage(stage) not in STAGE_TRANSITIONS[current]:
        raise ValidationError(
            {
                "stage": _("The coaching cannot move from “%(current)s” to this stage.")
                % {"current": current.label}
            }
        )
    started_on = started_on or timezone.localdate()
    _check_day(started_on, not_before=coaching.stage_started_on, field="started_on")
    change = CoachingStage.objects.create(
        coaching=coaching, stage=stage, started_on=started_on, recorded_by=actor.person
    )
    coaching.stage, coaching.stage_started_on = Stage(stage), started_on
    coaching.save(update_fields=["stage", "stage_started_on"])
    _log(actor, coaching, decision, AuditEvent.COACHING_STAGE_CHANGED)
    return change


@transaction.atomic
def update_profile(
    *,
    actor: Actor,
    coaching: Coaching,
    job_preferences: str,
    strengths: str,
    supports_needed: str,
    next_step: str,
    next_step_on: date | None,
) -> Coaching:
    """The client's job preferences, strengths and supports needed (in their own words),
    and the next step agreed."""
    decision = _require_open(actor, coaching)
    if next_step_on is not None and not next_step.strip():
        raise ValidationError({"next_step": _("Say what the next step is.")})
    coaching.job_preferences = job_preferences.strip()
    coaching.strengths = strengths.strip()
    coaching.supports_needed = supports_needed.strip()
    coaching.next_step, coaching.next_step_on = next_step.strip(), next_step_on
    coaching.save(
        update_fields=[
            "job_preferences",
            "strengths",
            "supports_needed",
            "next_step",
            "next_step_on",
        ]
    )
    _log(actor, coaching, decision, AuditEvent.COACHING_PROFILE_UPDATED)
    return coaching


@transaction.atomic
def record_contact(
    *,
    actor: Actor,
    coaching: Coaching,
    kind: ContactKind | str,
    contacted_on: date | None = None,
    note: str = "",
) -> CoachingContact:
    """Record a contact with the client; the coaching's last contact moves to its date
    when it is the latest."""
    decision = _require_open(actor, coaching)
    contacted_on = contacted_on or timezone.localdate()
    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("Choose the kind of contact.")})
    _check_day(contacted_on, not_before=coaching.started_on, field="contacted_on")
    contact = CoachingContact.objects.create(
        coaching=coaching,
        kind=kind,
        contacted_on=contacted_on,
        note=note.strip(),
        recorded_by=actor.person,
    )
    if coaching.last_contact_on is None or contacted_on > coaching.last_contact_on:
        coaching.last_contact_on = contacted_on
        coaching.save(update_fields=["last_contact_on"])
    _log(actor, coaching, decision, AuditEvent.COACHING_CONTACT_RECORDED)
    return contact


def check_end_coaching(
    coaching: Coaching, *, transition: TransitionKind | str, ended_on: date | None = None
) -> date:
    """Refuse (``ValidationError``) an end the coaching cannot take; return the end date.
    Writes nothing: the first step of the act asks it too."""
    if not coaching.is_active:
        raise ValidationError(_("The job coaching has ended."))
    ended_on = ended_on or timezone.localdate()
    problems: dict[str, str] = {}
    if transition not in TransitionKind.values:
        problems["transition"] = _("Choose where the client goes after the coaching.")
    if ended_on < coaching.stage_started_on or ended_on > timezone.localdate():
        problems["ended_on"] = _(
            "The end date must be between the start of the current stage and today."
        )
    if problems:
        raise ValidationError(problems)
    return ended_on


@transaction.atomic
def end_coaching(
    *,
    actor: Actor,
    coaching: Coaching,
    transition: TransitionKind | str,
    ended_on: date | None = None,
) -> Coaching:
    """End the coaching with the client's transition at exit (required, chosen on
    purpose); the follow-ups fall due 3 and 6 months after ``ended_on``."""
    decision = _require_open(actor, coaching)
    ended_on = check_end_coaching(coaching, transition=transition, ended_on=ended_on)
    CoachingStage.objects.create(
        coaching=coaching, stage=Stage.ENDED, started_on=ended_on, recorded_by=actor.person
    )
    Transition.objects.create(
        coaching=coaching,
        occasion=Occasion.EXIT,
        kind=transition,
        observed_on=ended_on,
        recorded_by=actor.person,
    )
    coaching.stage, coaching.stage_started_on = Stage.ENDED, ended_on
    coaching.ended_on, coaching.ended_by = ended_on, actor.user
    coaching.save(update_fields=["stage", "stage_started_on", "ended_on", "ended_by"])
    _log(actor, coaching, decision, AuditEvent.COACHING_ENDED)
    return coaching


def follow_up_dates(ended_on: date) -> dict[Occasion, date]:
    """When the follow-ups of a coaching that ended on ``ended_on`` fall due."""
    return {occasion: add_months(ended_on, months) for occasion, months in FOLLOW_UP_MONTHS.items()}


def follow_up_due_on(coaching: Coaching, occasion: Occasion | str) -> date:
    assert coaching.ended_on is not None
    return follow_up_dates(coaching.ended_on)[Occasion(occasion)]


@transaction.atomic
def record_follow_up(
    *,
    actor: Actor,
    coaching: Coaching,
    occasion: Occasion | str,
    kind: TransitionKind | str,
    observed_on: date | None = None,
) -> Transition:
    """Record where the client is 3 or 6 months after the coaching ended; once each,
    from the day it falls due."""
    coaching = _locked(coaching)
    decision = _require_change(actor, coaching)
    problems: dict[str, str] = {}
    if coaching.is_active:
        raise ValidationError(_("Follow-ups are recorded after the coaching has ended."))
    if occasion not in FOLLOW_UP_MONTHS:
        problems["occasion"] = _("Choose the follow-up.")
    if kind not in TransitionKind.values:
        problems["kind"] = _("Choose where the client is now.")
    if problems:
        raise ValidationError(problems)
    observed_on = observed_on or timezone.localdate()
    due_on = follow_up_due_on(coaching, occasion)
    if observed_on < due_on or observed_on > timezone.localdate():
        raise ValidationError(
            {"observed_on": _("A follow-up is recorded from its due date up to today.")}
        )
    if Transition.objects.filter(coaching=coaching, occasion=occasion).exists():
        raise ValidationError({"occasion": _("This follow-up has already been recorded.")})
    transition = Transition.objects.create(
        coaching=coaching,
        occasion=occasion,
        kind=kind,
        observed_on=observed_on,
        recorded_by=actor.person,
    )
    _log(actor, coaching, decision, AuditEvent.TRANSITION_RECORDED)
    return transition
