"""Writes on placements: starting and ending a job (or studies) of a client in job
coaching, each checked by the policy as a change of the coaching, logged, and in one
transaction with the stage move it brings.

Refused acts raise ``PermissionDenied`` / ``Http404`` and bad input ``ValidationError``;
either way nothing changes.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.audit.enums import AuditEvent
from polku.audit.services import Access, record
from polku.core.models import Occupation
from polku.employment import coaching_services
from polku.employment.coaching_enums import Stage
from polku.employment.models import Coaching, Employer, Placement
from polku.employment.placement_enums import (
    MAX_DAYS_AHEAD,
    MAX_HOURS_PER_WEEK,
    EndReason,
    PlacementKind,
    PlacementTerms,
)
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action, DataCategory

EMPLOYMENT = DataCategory.EMPLOYMENT
# The stages from which a job's start moves the coaching to work.
BEFORE_WORK = frozenset({Stage.VOCATIONAL_PROFILE, Stage.JOB_SEARCH})


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
    """The coaching's row locked and read afresh, then the policy's ``CHANGE`` on it."""
    coaching.refresh_from_db(from_queryset=Coaching.objects.select_for_update(of=("self",)))
    return decisions.require(
        actor,
        coaching.client,
        action=Action.CHANGE,
        category=EMPLOYMENT,
        owner=coaching.organisation,
        register=coaching.register,
    )


def _hours_problem(hours: Decimal | None, *, required: bool) -> str | None:
    if hours is None:
        return _("Give the hours per week.") if required else None
    if hours <= 0 or hours > MAX_HOURS_PER_WEEK or hours != hours.quantize(Decimal("0.1")):
        return _(
            "The hours per week must be more than 0 and at most %(max)s, with at most one decimal."
        ) % {"max": MAX_HOURS_PER_WEEK}
    return None


@transaction.atomic
def start_placement(
    *,
    actor: Actor,
    coaching: Coaching,
    kind: PlacementKind | str,
    employer: Employer,
    occupation: Occupation | None = None,
    job_title: str = "",
    terms: PlacementTerms | str = "",
    hours_per_week: Decimal | None = None,
    started_on: date | None = None,
    supports_agreed: str = "",
) -> Placement:
    """Record a job (or studies) the client starts, in an open coaching.

    The start may not be before the coaching's, nor more than ``MAX_DAYS_AHEAD`` days
    ahead (a job agreed that begins soon). A job needs its occupation, terms and hours;
    studies have no terms (for them the employer is the educational institution). When a
    job has begun (its start is today or earlier) and the coaching is at the vocational
    profile or the job search, the coaching moves to work, through
    ``coaching_services.change_stage``, from the job's start (or from the current stage's
    start, if the job was recorded late). A job that begins later moves no stage: the
    coach moves it when it begins.
    """
    decision = _require_change(actor, coaching)
    if not coaching.is_active:
        raise ValidationError(_("The job coaching has ended."))
    today = timezone.localdate()
    started_on = started_on or today
    problems: dict[str, str] = {}
    if kind not in PlacementKind.values:
        problems["kind"] = _("Choose whether this is a job or studies.")
    is_job = kind == PlacementKind.JOB
    if not employer.is_active:
        problems["employer"] = _("The employer is no longer active in the employer register.")
    if is_job:
        if occupation is None:
            problems["occupation"] = _("Choose the occupation.")
        if terms not in PlacementTerms.values:
            problems["terms"] = _(
                "Choose whether the job is on the open labour market or subsidised."
            )
    elif terms:
        problems["terms"] = _("Studies have no terms of employment; leave the terms empty.")
    hours_problem = _hours_problem(hours_per_week, required=is_job)
    if hours_problem:
        problems["hours_per_week"] = hours_problem
    if started_on < coaching.started_on:
        problems["started_on"] = _(
            "The start date cannot be before the job coaching started (%(date)s)."
        ) % {"date": coaching.started_on.strftime("%-d.%-m.%Y")}
    elif started_on > today + timedelta(days=MAX_DAYS_AHEAD):
        problems["started_on"] = _(
            "The start date can be at most %(days)s days ahead: record a job that begins "
            "later once it is nearer."
        ) % {"days": MAX_DAYS_AHEAD}
    if problems:
        raise ValidationError(problems)
    placement = Placement.objects.create(
        coaching=coaching,
        client=coaching.client,
        organisation=coaching.organisation,
        register=coaching.register,
        kind=kind,
        employer=employer,
        occupation=occupation,
        job_title=job_title.strip(),
        terms=terms if is_job else "",
        hours_per_week=hours_per_week,
        started_on=started_on,
        supports_agreed=supports_agreed.strip(),
        recorded_by=actor.person,
    )
    _log(actor, coaching, decision, AuditEvent.PLACEMENT_STARTED)
    if is_job and coaching.stage in BEFORE_WORK and started_on <= today:
        coaching_services.change_stage(
            actor=actor,
            coaching=coaching,
            stage=Stage.IN_WORK,
            started_on=max(started_on, coaching.stage_started_on),
        )
    return placement


def check_end_placement(
    placement: Placement, *, ended_on: date | None, end_reason: EndReason | str
) -> date:
    """Refuse (``ValidationError``) an end the placement cannot take; return the end date."""
    if not placement.is_active:
        raise ValidationError(_("This placement has already ended."))
    ended_on = ended_on or timezone.localdate()
    problems: dict[str, str] = {}
    if end_reason not in EndReason.values:
        problems["end_reason"] = _("Choose the reason for ending.")
    if ended_on < placement.started_on or ended_on > timezone.localdate():
        problems["ended_on"] = _("The end date must be between the start date and today.")
    if problems:
        raise ValidationError(problems)
    return ended_on


@transaction.atomic
def end_placement(
    *,
    actor: Actor,
    placement: Placement,
    ended_on: date | None = None,
    end_reason: EndReason | str,
    end_note: str = "",
) -> Placement:
    """Record the end of a job (or studies) with its reason. When the last open job of an
    open coaching in work ends, the coaching moves back to the job search (through
    ``coaching_services.change_stage``), from the job's end or the current stage's start,
    whichever is later."""
    coaching = placement.coaching
    decision = _require_change(actor, coaching)
    placement.refresh_from_db(from_queryset=Placement.objects.select_for_update(of=("self",)))
    ended_on = check_end_placement(placement, ended_on=ended_on, end_reason=end_reason)
    placement.ended_on, placement.end_reason = ended_on, end_reason
    placement.end_note = end_note.strip()
    placement.save(update_fields=["ended_on", "end_reason", "end_note"])
    _log(actor, coaching, decision, AuditEvent.PLACEMENT_ENDED)
    jobs_open = coaching.placements.jobs().filter(ended_on__isnull=True).exists()
    if (
        placement.is_job
        and coaching.is_active
        and coaching.stage == Stage.IN_WORK
        and not jobs_open
    ):
        coaching_services.change_stage(
            actor=actor,
            coaching=coaching,
            stage=Stage.JOB_SEARCH,
            started_on=max(ended_on, coaching.stage_started_on),
        )
    return placement
