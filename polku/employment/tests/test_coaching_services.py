"""Job coaching's acts: each checked by the policy, logged, and refused without a trace."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from polku.audit.enums import AuditEvent
from polku.audit.models import AccessLogEntry
from polku.employment import coaching_services as services
from polku.employment.coaching_enums import ContactKind, Occasion, Stage, TransitionKind
from polku.employment.models import Coaching, CoachingStage, Transition
from polku.employment.tests.coaching_world import World, make_world
from polku.measures.schedules import add_months
from polku.policy.enums import Action, DataCategory, Register

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world(programmes, make_organisation, make_professional) -> World:
    return make_world(make_organisation, make_professional)


def events(client_public_id) -> list[str]:
    return list(
        AccessLogEntry.objects.filter(client_public_id=client_public_id)
        .exclude(event="")
        .order_by("sequence")
        .values_list("event", flat=True)
    )


def test_starting_coaching_names_the_coach_and_opens_the_first_stage(world):
    episode = world.new_episode(world.new_client(), started_on=TODAY - timedelta(days=20))

    coaching = services.start_coaching(
        actor=world.actor(world.colleague),
        episode=episode,
        coach=world.coach,
        started_on=TODAY - timedelta(days=10),
    )

    assert (coaching.organisation, coaching.register, coaching.coach) == (
        world.org_a,
        Register.EMPLOYMENT_SERVICES,
        world.coach,
    )
    assert (coaching.stage, coaching.stage_started_on) == (
        Stage.VOCATIONAL_PROFILE,
        TODAY - timedelta(days=10),
    )
    assert list(coaching.stages.values_list("stage", "started_on")) == [
        (Stage.VOCATIONAL_PROFILE, TODAY - timedelta(days=10))
    ]
    row = AccessLogEntry.objects.get(event=AuditEvent.COACHING_STARTED)
    assert (row.client_public_id, row.action, row.categories, row.owner, row.register) == (
        episode.client.public_id,
        Action.CHANGE,
        DataCategory.EMPLOYMENT,
        world.org_a,
        Register.EMPLOYMENT_SERVICES,
    )
    assert row.purpose == "employment_support"


def test_one_open_coaching_per_episode_and_a_coach_of_the_organisation(world):
    coaching = world.new_coaching()

    with pytest.raises(ValidationError) as error:
        services.start_coaching(actor=world.actor(), episode=coaching.episode, coach=world.coach)
    assert "already has job coaching" in str(error.value)

    other = world.new_episode(world.new_client(1))
    with pytest.raises(ValidationError) as error:
        services.start_coaching(actor=world.actor(), episode=other, coach=world.other_coach)
    assert "coach" in error.value.message_dict
    with pytest.raises(ValidationError):  # an analyst does no client work
        services.start_coaching(actor=world.actor(), episode=other, coach=world.analyst)
    assert Coaching.objects.count() == 1


def test_another_organisations_coach_finds_nothing_and_changes_nothing(world):
    coaching = world.new_coaching()
    before = AccessLogEntry.objects.count()

    with pytest.raises(Http404):
        services.change_stage(
            actor=world.actor(world.other_coach), coaching=coaching, stage=Stage.JOB_SEARCH
        )
    with pytest.raises(Http404):
        services.start_coaching(
            actor=world.actor(world.other_coach),
            episode=world.new_episode(world.new_client(1)),
            coach=world.other_coach,
        )

    coaching.refresh_from_db()
    assert coaching.stage == Stage.VOCATIONAL_PROFILE
    assert coaching.stages.count() == 1
    assert not AccessLogEntry.objects.filter(
        sequence__gt=before, event=AuditEvent.COACHING_STAGE_CHANGED
    ).exists()


def test_a_reader_on_consent_may_not_change(world):
    coaching = world.new_coaching()
    world.consent_to_c(coaching.client)

    with pytest.raises(PermissionDenied):
        services.record_contact(
            actor=world.actor(world.reader), coaching=coaching, kind=ContactKind.PHONE
        )
    assert not coaching.contacts.exists()


def test_stages_move_forward_and_back_only_from_work_to_the_search(world):
    coaching = world.new_coaching(started_on=TODAY - timedelta(days=30))
    actor = world.actor()

    services.change_stage(
        actor=actor, coaching=coaching, stage=Stage.JOB_SEARCH, started_on=TODAY - timedelta(20)
    )
    services.change_stage(
        actor=actor, coaching=coaching, stage=Stage.IN_WORK, started_on=TODAY - timedelta(10)
    )
    services.change_stage(actor=actor, coaching=coaching, stage=Stage.JOB_SEARCH)

    assert list(coaching.stages.values_list("stage", flat=True)) == [
        Stage.VOCATIONAL_PROFILE,
        Stage.JOB_SEARCH,
        Stage.IN_WORK,
        Stage.JOB_SEARCH,
    ]
    assert events(coaching.client.public_id).count(AuditEvent.COACHING_STAGE_CHANGED) == 3


@pytest.mark.parametrize(
    ("path", "wrong"),
    [
        ([], Stage.VOCATIONAL_PROFILE),
        ([Stage.JOB_SEARCH], Stage.VOCATIONAL_PROFILE),
        ([], Stage.ENDED),
        ([Stage.IN_WORK], Stage.VOCATIONAL_PROFILE),
        ([], "no_such_stage"),
    ],
)
def test_a_wrong_stage_move_is_refused_and_nothing_changes(world, path, wrong):
    coaching = world.new_coaching()
    for stage in path:
        services.change_stage(actor=world.actor(), coaching=coaching, stage=stage)
    stages_before = coaching.stages.count()
    current = coaching.stage

    with pytest.raises(ValidationError) as error:
        services.change_stage(actor=world.actor(), coaching=coaching, stage=wrong)

    assert "cannot move from" in error.value.message_dict["stage"][0]
    coaching.refresh_from_db()
    assert (coaching.stage, coaching.stages.count()) == (current, stages_before)


def test_a_stage_cannot_start_before_the_current_one_or_in_the_future(world):
    coaching = world.new_coaching(started_on=TODAY - timedelta(days=5))
    for day in (TODAY - timedelta(days=6), TODAY + timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.change_stage(
                actor=world.actor(), coaching=coaching, stage=Stage.JOB_SEARCH, started_on=day
            )
    assert coaching.stages.count() == 1


def test_profile_in_the_clients_words_and_the_next_step(world):
    coaching = world.new_coaching()

    services.update_profile(
        actor=world.actor(),
        coaching=coaching,
        job_preferences=" Haluan töihin varastolle, aamuvuoroon. ",
        strengths="Täsmällinen",
        supports_needed="Perehdytys kirjallisena",
        next_step="Käydään yhdessä työnantajan luona",
        next_step_on=TODAY + timedelta(days=7),
    )

    coaching.refresh_from_db()
    assert coaching.job_preferences == "Haluan töihin varastolle, aamuvuoroon."
    assert coaching.next_step_on == TODAY + timedelta(days=7)
    assert AuditEvent.COACHING_PROFILE_UPDATED in events(coaching.client.public_id)
    with pytest.raises(ValidationError):
        services.update_profile(
            actor=world.actor(),
            coaching=coaching,
            job_preferences="",
            strengths="",
            supports_needed="",
            next_step=" ",
            next_step_on=TODAY,
        )


def test_contacts_date_the_last_contact(world):
    coaching = world.new_coaching(started_on=TODAY - timedelta(days=30))

    services.record_contact(
        actor=world.actor(),
        coaching=coaching,
        kind=ContactKind.MEETING,
        contacted_on=TODAY - timedelta(days=3),
        note="Työpaikkakäynti sovittu",
    )
    services.record_contact(
        actor=world.actor(),
        coaching=coaching,
        kind=ContactKind.PHONE,
        contacted_on=TODAY - timedelta(days=10),
    )

    coaching.refresh_from_db()
    assert coaching.last_contact_on == TODAY - timedelta(days=3)
    assert coaching.contacts.count() == 2
    with pytest.raises(ValidationError):
        services.record_contact(actor=world.actor(), coaching=coaching, kind="")
    assert coaching.contacts.count() == 2


def test_ending_requires_the_exit_transition(world):
    coaching = world.new_coaching()

    for missing in ("", "somewhere"):
        with pytest.raises(ValidationError) as error:
            services.end_coaching(actor=world.actor(), coaching=coaching, transition=missing)
        assert "transition" in error.value.message_dict

    coaching.refresh_from_db()
    assert coaching.is_active
    assert not Transition.objects.exists()


def test_ending_records_the_exit_and_closes_the_coaching(world):
    coaching = world.new_coaching()

    services.end_coaching(
        actor=world.actor(), coaching=coaching, transition=TransitionKind.SUBSIDISED_WORK
    )

    coaching.refresh_from_db()
    assert (coaching.ended_on, coaching.stage, coaching.ended_by) == (
        TODAY,
        Stage.ENDED,
        world.coach,
    )
    assert list(coaching.transitions.values_list("occasion", "kind", "observed_on")) == [
        (Occasion.EXIT, TransitionKind.SUBSIDISED_WORK, TODAY)
    ]
    assert CoachingStage.objects.filter(coaching=coaching).reverse()[0].stage == Stage.ENDED
    assert events(coaching.client.public_id)[-1] == AuditEvent.COACHING_ENDED
    with pytest.raises(ValidationError):
        services.record_contact(actor=world.actor(), coaching=coaching, kind=ContactKind.PHONE)
    # The episode may take a new coaching once this one has ended.
    again = services.start_coaching(
        actor=world.actor(), episode=coaching.episode, coach=world.coach
    )
    assert again.is_active


def test_follow_ups_are_recorded_once_each_from_their_due_date(world):
    started = add_months(TODAY, -8)
    coaching = world.new_coaching(started_on=started)
    services.end_coaching(
        actor=world.actor(),
        coaching=coaching,
        transition=TransitionKind.OPEN_MARKET_WORK,
        ended_on=started,
    )
    due_3 = add_months(started, 3)

    with pytest.raises(ValidationError):
        services.record_follow_up(
            actor=world.actor(),
            coaching=coaching,
            occasion=Occasion.MONTHS_3,
            kind=TransitionKind.EDUCATION,
            observed_on=due_3 - timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        services.record_follow_up(
            actor=world.actor(), coaching=coaching, occasion=Occasion.EXIT, kind="education"
        )
    services.record_follow_up(
        actor=world.actor(),
        coaching=coaching,
        occasion=Occasion.MONTHS_3,
        kind=TransitionKind.EDUCATION,
        observed_on=due_3,
    )
    with pytest.raises(ValidationError):
        services.record_follow_up(
            actor=world.actor(),
            coaching=coaching,
            occasion=Occasion.MONTHS_3,
            kind=TransitionKind.UNEMPLOYED,
        )

    assert dict(coaching.transitions.values_list("occasion", "kind")) == {
        Occasion.EXIT: TransitionKind.OPEN_MARKET_WORK,
        Occasion.MONTHS_3: TransitionKind.EDUCATION,
    }
    assert events(coaching.client.public_id)[-1] == AuditEvent.TRANSITION_RECORDED


def test_a_follow_up_waits_for_the_end(world):
    coaching = world.new_coaching()
    with pytest.raises(ValidationError):
        services.record_follow_up(
            actor=world.actor(), coaching=coaching, occasion=Occasion.MONTHS_3, kind="education"
        )
