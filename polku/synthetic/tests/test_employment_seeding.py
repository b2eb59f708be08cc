"""Supported employment at volume: coachings that fit the pathways they run in, stages that
follow the allowed moves, valid business IDs, and the benchmark coach's caseload."""

from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership
from polku.accounts.validators import validate_business_id
from polku.employment.coaching_enums import STAGE_TRANSITIONS, Occasion, Stage
from polku.employment.models import (
    Coaching,
    CoachingContact,
    CoachingStage,
    Employer,
    EmployerContact,
    Placement,
    Transition,
    WorkTrial,
)
from polku.employment.models.employers import employer_name_key
from polku.employment.worktrial_enums import DEFAULT_AREA_CODES
from polku.policy.enums import DataCategory, Purpose
from polku.policy.models import Consent
from polku.synthetic.employment_volume import (
    BENCH_CASELOAD,
    JOB_COACHING,
    JOB_KEPT_AT_EXIT,
    bench_coach,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(capsys):
    call_command("seed_synthetic", seed=8, organisations=20, professionals=400, clients=4000)
    return capsys.readouterr().out


def test_coachings_run_inside_their_job_coaching_episodes_with_a_job_coach_of_its_organisation(
    seeded,
):
    today = timezone.localdate()
    coachings = list(Coaching.objects.select_related("episode__programme"))
    assert coachings
    coaches = set(
        Membership.objects.filter(role=Role.JOB_COACH).values_list("user_id", "organisation_id")
    )
    for coaching in coachings:
        episode = coaching.episode
        assert episode.programme.code == JOB_COACHING
        assert (coaching.organisation_id, coaching.register) == (
            episode.organisation_id,
            episode.register,
        )
        assert episode.started_on <= coaching.started_on <= (episode.ended_on or today)
        assert coaching.ended_on == episode.ended_on
        assert (coaching.coach_id, coaching.organisation_id) in coaches


def test_stages_follow_the_allowed_moves_and_the_coaching_repeats_the_latest(seeded):
    for coaching in Coaching.objects.prefetch_related("stages", "transitions"):
        stages = [(stage.stage, stage.started_on) for stage in coaching.stages.all()]
        assert stages[0][0] == Stage.VOCATIONAL_PROFILE
        for (before, on), (after, later) in pairwise(stages):
            assert later >= on
            assert after in STAGE_TRANSITIONS[Stage(before)] or after == Stage.ENDED
        assert (coaching.stage, coaching.stage_started_on) == stages[-1]
        occasions = {transition.occasion for transition in coaching.transitions.all()}
        if coaching.ended_on is None:
            assert coaching.stage != Stage.ENDED
            assert not occasions
        else:
            assert coaching.stage == Stage.ENDED
            assert Occasion.EXIT in occasions


def test_the_last_contact_on_the_caseload_is_the_latest_recorded(seeded):
    latest = dict(
        CoachingContact.objects.values_list("coaching_id").annotate(last=Max("contacted_on"))
    )
    for coaching_id, last_contact_on in Coaching.objects.values_list("pk", "last_contact_on"):
        assert last_contact_on == latest.get(coaching_id)
    assert Transition.objects.exists()


def test_employers_have_valid_unique_business_ids_and_their_search_names(seeded):
    employers = list(Employer.objects.all())
    assert len(employers) == 50  # at least MIN_EMPLOYERS
    for employer in employers:
        validate_business_id(employer.business_id)
        assert employer.search_name == employer_name_key(employer.name)
    assert len({employer.business_id for employer in employers}) == len(employers)
    contacts = EmployerContact.objects.select_related("contact_person")
    assert contacts.exists()
    for contact in contacts:
        assert contact.contact_person is None or contact.contact_person.employer_id == (
            contact.employer_id
        )


def test_the_coach_named_for_the_benchmarks_is_the_one_the_benchmark_signs_in_as(seeded):
    line = next(
        line for line in seeded.splitlines() if line.startswith("Job coach for the benchmarks:")
    )
    username = line.split()[5].rstrip(",")
    claimed = int(line.split(", ")[1].split()[0])
    assert username == bench_coach()
    assert claimed == BENCH_CASELOAD
    assert Coaching.objects.filter(ended_on__isnull=True, coach__username=username).count() == (
        BENCH_CASELOAD
    )


def test_placements_follow_the_stages_and_the_exit(seeded):
    in_work = {
        stage.coaching_id: stage.started_on
        for stage in CoachingStage.objects.filter(stage=Stage.IN_WORK)
    }
    exits = dict(
        Transition.objects.filter(occasion=Occasion.EXIT).values_list("coaching_id", "kind")
    )
    placements = list(Placement.objects.select_related("coaching"))
    assert {placement.kind for placement in placements} == {"job", "education"}
    for placement in placements:
        coaching = placement.coaching
        assert (placement.client_id, placement.organisation_id, placement.register) == (
            coaching.client_id,
            coaching.organisation_id,
            coaching.register,
        )
        if placement.kind == "job":
            assert placement.started_on == in_work[coaching.pk]
            kept = coaching.ended_on is None or exits[coaching.pk] in JOB_KEPT_AT_EXIT
            assert (placement.ended_on is None) == kept
        else:
            assert exits[coaching.pk] == "education"
            assert placement.started_on == coaching.ended_on
    working = set(
        Placement.objects.filter(kind="job", ended_on__isnull=True).values_list(
            "coaching_id", flat=True
        )
    )
    assert (
        set(
            Coaching.objects.filter(ended_on__isnull=True, stage=Stage.IN_WORK).values_list(
                "pk", flat=True
            )
        )
        <= working
    )


def test_work_trials_rest_on_the_clients_consent_and_have_the_hosts_feedback(seeded):
    trials = list(
        WorkTrial.objects.select_related("coaching", "employer", "contact_person").prefetch_related(
            "links__feedback"
        )
    )
    assert trials
    today = timezone.localdate()
    with_feedback = 0
    for trial in trials:
        coaching = trial.coaching
        assert trial.client_id == coaching.client_id
        assert coaching.started_on <= trial.starts_on <= (coaching.ended_on or today)
        assert trial.contact_person.employer_id == trial.employer_id
        assert trial.employer.organisation is not None
        assert trial.employer.organisation.kind == OrganisationKind.EMPLOYER
        consent = (
            Consent.objects.valid(trial.starts_on)
            .covering(DataCategory.EMPLOYMENT)
            .get(
                client_id=trial.client_id,
                recipient=trial.employer.organisation,
                discloser=trial.organisation,
                purpose=Purpose.EMPLOYMENT_SUPPORT,
            )
        )
        assert consent.valid_from <= trial.starts_on
        for link in trial.links.all():
            assert trial.ends_on < today
            assert link.feedback.submitted_at == link.submitted_at
            assert set(link.feedback.ratings) == set(DEFAULT_AREA_CODES)
            assert set(link.feedback.ratings.values()) <= {1, 2, 3, 4, 5}
            with_feedback += 1
    assert with_feedback
