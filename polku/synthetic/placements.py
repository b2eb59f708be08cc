"""Placements for the demo: the demo job coach's client in work holds a job at a demo
employer, and the coaching that ended when its client went to a course had a fixed-term
job before it. Idempotent: a coach whose coachings have placements already is left alone.

The current job is started through ``placement_services`` as the coach would. The ended
coaching's job is written as a record of what happened before it ended: the services
refuse a new placement in an ended coaching, as they should.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from polku.accounts.models import User
from polku.core.models import Occupation
from polku.employment import placement_services
from polku.employment.coaching_enums import Stage
from polku.employment.models import Coaching, Employer, Placement
from polku.employment.placement_enums import EndReason, PlacementKind, PlacementTerms
from polku.policy.actors import Actor
from polku.policy.enums import Purpose

COACH = "tyohonvalmentaja"
# Transport and storage labourers; kitchen helpers (Classification of Occupations 2010).
WAREHOUSE_OCCUPATION = "933"
KITCHEN_OCCUPATION = "941"


def seed_demo_placements() -> int:
    """The demo job coach's clients' placements; the number recorded now."""
    coach = User.objects.filter(username=COACH).first()
    if coach is None or Placement.objects.filter(coaching__coach=coach).exists():
        return 0
    warehouse = Employer.objects.filter(name="Tampereen Varastologistiikka Oy").first()
    kitchen = Employer.objects.filter(name="Hervannan Kotiruoka Oy").first()
    if warehouse is None or kitchen is None:
        return 0
    actor = Actor.for_user(coach).for_purpose(Purpose.EMPLOYMENT_SUPPORT)
    recorded = 0
    in_work = (
        Coaching.objects.open().filter(coach=coach, stage=Stage.IN_WORK).order_by("pk").first()
    )
    if in_work is not None:
        placement_services.start_placement(
            actor=actor,
            coaching=in_work,
            kind=PlacementKind.JOB,
            employer=warehouse,
            occupation=Occupation.objects.get(pk=WAREHOUSE_OCCUPATION),
            job_title="Varastotyöntekijä, aamuvuoro",
            terms=PlacementTerms.OPEN_MARKET,
            hours_per_week=Decimal("30.0"),
            started_on=in_work.stage_started_on,
            supports_agreed=(
                "Työtehtävät kirjallisena, nimetty perehdyttäjä ja valmentajan käynti "
                "työpaikalla kahden viikon välein."
            ),
        )
        recorded += 1
    ended = Coaching.objects.filter(coach=coach, ended_on__isnull=False).order_by("pk").first()
    if ended is not None and ended.ended_on is not None:
        length = (ended.ended_on - ended.started_on).days
        Placement.objects.create(
            coaching=ended,
            client=ended.client,
            organisation=ended.organisation,
            register=ended.register,
            kind=PlacementKind.JOB,
            employer=kitchen,
            occupation=Occupation.objects.get(pk=KITCHEN_OCCUPATION),
            job_title="Keittiöapulainen",
            terms=PlacementTerms.PAY_SUBSIDY,
            hours_per_week=Decimal("20.0"),
            started_on=ended.started_on + timedelta(days=length // 3),
            ended_on=ended.ended_on - timedelta(days=min(5, length // 3)),
            end_reason=EndReason.FIXED_TERM_ENDED,
            end_note="Määräaikainen työ päättyi; asiakas hakeutui taittokurssille.",
            supports_agreed="Tauot työpäivän aikana.",
            recorded_by=coach,
        )
        recorded += 1
    return recorded
