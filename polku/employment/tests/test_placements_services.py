"""Starting and ending placements: the stage moves they bring, their refusals (which change
nothing), and the policy's answer to those without access."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from polku.audit.enums import AuditEvent
from polku.audit.models import AccessLogEntry
from polku.employment import coaching_services, placement_selectors, placement_services
from polku.employment.coaching_enums import Stage, TransitionKind
from polku.employment.models import CoachingStage, Placement
from polku.employment.placement_enums import EndReason, PlacementKind, PlacementTerms
from polku.employment.tests.placement_fixtures import (  # noqa: F401 (fixtures)
    employers_fixture,
    make_placement,
    start_job,
    world_fixture,
)
from polku.policy.enums import Action, DataCategory, Register

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def events_since(sequence: int) -> list[str]:
    return list(
        AccessLogEntry.objects.filter(sequence__gt=sequence)
        .exclude(event="")
        .order_by("sequence")
        .values_list("event", flat=True)
    )


def last_sequence() -> int:
    return (
        AccessLogEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    )


def in_job_search(world, number=0, days=30):
    coaching = world.new_coaching(number, started_on=TODAY - timedelta(days=days))
    coaching_services.change_stage(
        actor=world.actor(),
        coaching=coaching,
        stage=Stage.JOB_SEARCH,
        started_on=TODAY - timedelta(days=days - 10),
    )
    return coaching


def test_a_job_that_starts_moves_the_coaching_to_work_in_one_act(world, employers):
    # given a coaching in the job search since 20 days ago
    coaching = in_job_search(world)
    before = last_sequence()

    # when a job that began 5 days ago is recorded
    placement = start_job(
        world,
        coaching,
        employers["Varastopalvelu Testinen Oy"],
        started_on=TODAY - timedelta(days=5),
        job_title="  Varastotyöntekijä ",
        supports_agreed="Nimetty perehdyttäjä.",
    )

    # then the placement is the coaching's, owned and kept as it is, and the coaching is
    # in work from the job's start
    assert (placement.client, placement.organisation, placement.register) == (
        coaching.client,
        world.org_a,
        Register.EMPLOYMENT_SERVICES,
    )
    assert (placement.kind, placement.job_title, placement.hours_per_week) == (
        PlacementKind.JOB,
        "Varastotyöntekijä",
        Decimal("30.0"),
    )
    coaching.refresh_from_db()
    assert (coaching.stage, coaching.stage_started_on) == (
        Stage.IN_WORK,
        TODAY - timedelta(days=5),
    )
    assert events_since(before) == [
        AuditEvent.PLACEMENT_STARTED,
        AuditEvent.COACHING_STAGE_CHANGED,
    ]
    row = AccessLogEntry.objects.get(event=AuditEvent.PLACEMENT_STARTED)
    assert (row.client_public_id, row.action, row.categories, row.owner, row.register) == (
        coaching.client.public_id,
        Action.CHANGE,
        DataCategory.EMPLOYMENT,
        world.org_a,
        Register.EMPLOYMENT_SERVICES,
    )
    assert placement_selectors.days_to_first_job(coaching) == 25


def test_a_job_from_the_vocational_profile_also_moves_to_work(world, employers):
    coaching = world.new_coaching(0, started_on=TODAY - timedelta(days=3))

    start_job(world, coaching, employers["Keittiö Kokeilu Oy"], started_on=TODAY)

    coaching.refresh_from_db()
    assert (coaching.stage, coaching.stage_started_on) == (Stage.IN_WORK, TODAY)
    assert list(coaching.stages.values_list("stage", flat=True)) == [
        Stage.VOCATIONAL_PROFILE,
        Stage.IN_WORK,
    ]


def test_a_job_recorded_late_moves_to_work_from_the_current_stages_start(world, employers):
    # given a coaching in the job search since 20 days ago
    coaching = in_job_search(world)

    # when a job that began 25 days ago (before the job search stage) is recorded
    start_job(
        world, coaching, employers["Keittiö Kokeilu Oy"], started_on=TODAY - timedelta(days=25)
    )

    # then work starts where the current stage started, the stages staying in order
    coaching.refresh_from_db()
    assert (coaching.stage, coaching.stage_started_on) == (
        Stage.IN_WORK,
        TODAY - timedelta(days=20),
    )


def test_studies_and_a_job_that_begins_later_move_no_stage(world, employers):
    coaching = in_job_search(world)

    placement_services.start_placement(
        actor=world.actor(),
        coaching=coaching,
        kind=PlacementKind.EDUCATION,
        employer=employers["Testiopisto"],
    )
    start_job(
        world, coaching, employers["Keittiö Kokeilu Oy"], started_on=TODAY + timedelta(days=60)
    )

    coaching.refresh_from_db()
    assert coaching.stage == Stage.JOB_SEARCH
    assert coaching.placements.count() == 2
    assert placement_selectors.days_to_first_job(coaching) is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"occupation": None}, "occupation", "Choose the occupation."),
        ({"terms": ""}, "terms", "Choose whether the job is on the open labour market"),
        ({"hours_per_week": None}, "hours_per_week", "Give the hours per week."),
        ({"hours_per_week": Decimal("0")}, "hours_per_week", "more than 0 and at most 60"),
        ({"hours_per_week": Decimal("60.5")}, "hours_per_week", "more than 0 and at most 60"),
        ({"started_on": TODAY + timedelta(days=61)}, "started_on", "at most 60 days ahead"),
        ({"started_on": TODAY - timedelta(days=31)}, "started_on", "before the job coaching"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(world, employers, fields, field, message):
    coaching = in_job_search(world)
    before = last_sequence()

    with pytest.raises(ValidationError) as error:
        start_job(world, coaching, employers["Keittiö Kokeilu Oy"], **fields)

    assert message in " ".join(error.value.message_dict[field])
    coaching.refresh_from_db()
    assert coaching.stage == Stage.JOB_SEARCH
    assert not Placement.objects.exists()
    assert events_since(before) == []


def test_sixty_hours_and_sixty_days_ahead_are_allowed(world, employers):
    coaching = in_job_search(world)

    placement = start_job(
        world,
        coaching,
        employers["Keittiö Kokeilu Oy"],
        hours_per_week=Decimal("60"),
        started_on=TODAY + timedelta(days=60),
    )

    assert placement.hours_per_week == Decimal("60")


def test_studies_take_no_terms_and_an_ended_coaching_takes_no_placement(world, employers):
    coaching = in_job_search(world)
    with pytest.raises(ValidationError) as error:
        placement_services.start_placement(
            actor=world.actor(),
            coaching=coaching,
            kind=PlacementKind.EDUCATION,
            employer=employers["Testiopisto"],
            terms=PlacementTerms.PAY_SUBSIDY,
        )
    assert "terms" in error.value.message_dict

    coaching_services.end_coaching(
        actor=world.actor(), coaching=coaching, transition=TransitionKind.UNEMPLOYED
    )
    with pytest.raises(ValidationError) as error:
        start_job(world, coaching, employers["Keittiö Kokeilu Oy"])
    assert error.value.messages == ["The job coaching has ended."]
    assert not Placement.objects.exists()


def test_the_last_job_ending_moves_the_coaching_back_to_the_job_search(world, employers):
    # given a coaching in work with two jobs since 10 days ago
    coaching = in_job_search(world)
    first = start_job(
        world, coaching, employers["Keittiö Kokeilu Oy"], started_on=TODAY - timedelta(days=10)
    )
    second = start_job(
        world,
        coaching,
        employers["Varastopalvelu Testinen Oy"],
        started_on=TODAY - timedelta(days=10),
    )
    before = last_sequence()

    # when one ends, the coaching stays in work
    placement_services.end_placement(
        actor=world.actor(),
        placement=first,
        ended_on=TODAY - timedelta(days=2),
        end_reason=EndReason.RESIGNED,
        end_note=" Vuorotyö ei sopinut. ",
    )
    coaching.refresh_from_db()
    assert coaching.stage == Stage.IN_WORK
    first.refresh_from_db()
    assert (first.ended_on, first.end_reason, first.end_note) == (
        TODAY - timedelta(days=2),
        EndReason.RESIGNED,
        "Vuorotyö ei sopinut.",
    )

    # and when the other ends too, it is back in the job search from that day
    placement_services.end_placement(
        actor=world.actor(), placement=second, end_reason=EndReason.FIXED_TERM_ENDED
    )
    coaching.refresh_from_db()
    assert (coaching.stage, coaching.stage_started_on) == (Stage.JOB_SEARCH, TODAY)
    assert events_since(before) == [
        AuditEvent.PLACEMENT_ENDED,
        AuditEvent.PLACEMENT_ENDED,
        AuditEvent.COACHING_STAGE_CHANGED,
    ]


def test_an_end_needs_its_reason_a_date_in_the_period_and_happens_once(world, employers):
    coaching = in_job_search(world)
    job = start_job(
        world, coaching, employers["Keittiö Kokeilu Oy"], started_on=TODAY - timedelta(days=5)
    )
    before = last_sequence()

    with pytest.raises(ValidationError) as error:
        placement_services.end_placement(actor=world.actor(), placement=job, end_reason="")
    assert error.value.message_dict == {"end_reason": ["Choose the reason for ending."]}
    with pytest.raises(ValidationError) as error:
        placement_services.end_placement(
            actor=world.actor(),
            placement=job,
            ended_on=TODAY - timedelta(days=6),
            end_reason=EndReason.OTHER,
        )
    assert "ended_on" in error.value.message_dict
    job.refresh_from_db()
    coaching.refresh_from_db()
    assert (job.ended_on, job.end_reason, coaching.stage) == (None, "", Stage.IN_WORK)
    assert events_since(before) == []

    placement_services.end_placement(actor=world.actor(), placement=job, end_reason=EndReason.OTHER)
    with pytest.raises(ValidationError) as error:
        placement_services.end_placement(
            actor=world.actor(), placement=job, end_reason=EndReason.OTHER
        )
    assert error.value.messages == ["This placement has already ended."]


def test_another_organisations_coach_finds_nothing_and_a_reader_changes_nothing(world, employers):
    coaching = in_job_search(world)
    job = start_job(
        world, coaching, employers["Keittiö Kokeilu Oy"], started_on=TODAY - timedelta(days=5)
    )
    world.consent_to_c(coaching.client)
    before = last_sequence()

    with pytest.raises(Http404):
        placement_services.start_placement(
            actor=world.actor(world.other_coach),
            coaching=coaching,
            kind=PlacementKind.EDUCATION,
            employer=employers["Testiopisto"],
        )
    with pytest.raises(Http404):
        placement_services.end_placement(
            actor=world.actor(world.other_coach), placement=job, end_reason=EndReason.OTHER
        )
    with pytest.raises(PermissionDenied):
        placement_services.end_placement(
            actor=world.actor(world.reader), placement=job, end_reason=EndReason.OTHER
        )

    job.refresh_from_db()
    coaching.refresh_from_db()
    assert (job.ended_on, coaching.stage, coaching.placements.count()) == (
        None,
        Stage.IN_WORK,
        1,
    )
    assert events_since(before) == []
    assert CoachingStage.objects.filter(coaching=coaching).count() == 3


def test_the_database_holds_the_end_rules(world, employers):
    coaching = in_job_search(world)
    employer = employers["Keittiö Kokeilu Oy"]
    for ended_on, reason in (
        (TODAY, ""),  # ended without a reason
        (None, EndReason.OTHER),  # a reason without an end
        (TODAY - timedelta(days=2), EndReason.OTHER),  # ends before it starts
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_placement(coaching, employer, TODAY - timedelta(days=1), ended_on, reason)
    assert not Placement.objects.exists()
