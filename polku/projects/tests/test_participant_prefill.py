"""What Polku already knows prefills the entry, exit and follow-up forms — read only
through what the actor may read, each source named and each read logged."""

from __future__ import annotations

from datetime import date

import pytest

from polku.audit.models import AccessLogEntry
from polku.core.models import Municipality
from polku.employment import coaching_services, employer_services
from polku.employment.coaching_enums import Occasion, Stage, TransitionKind
from polku.employment.models import Coaching, CoachingStage, Employer, Transition
from polku.employment.placement_enums import PlacementKind
from polku.employment.tests.placement_fixtures import make_placement
from polku.policy.actors import Actor
from polku.policy.enums import Action, DataCategory, Purpose
from polku.projects import participant_selectors as selectors
from polku.projects import participant_services as services
from polku.projects.enums import LabourStatus
from polku.projects.tests.fixtures_participants import (  # noqa: F401 - fixtures
    ProjectWorld,
    enrolled_fixture,
    project_world_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(name="employer")
def employer_fixture(pworld: ProjectWorld) -> Employer:
    return employer_services.create_employer(
        actor=Actor.for_user(pworld.people["worker_a"]).for_purpose(Purpose.EMPLOYMENT_SUPPORT),
        name="Varasto Testinen Oy",
        municipality=Municipality.objects.get(pk="837"),
    )


def _employment_reads(world: ProjectWorld) -> list[AccessLogEntry]:
    return list(
        AccessLogEntry.objects.filter(
            client_public_id=world.client.public_id,
            categories=DataCategory.EMPLOYMENT,
            action=Action.VIEW,
            purpose=Purpose.PROJECT_MONITORING,
        )
    )


def _in_job_search(world: ProjectWorld, since: date) -> Coaching:
    coaching = world.coaching(world.client, date(2025, 11, 3))
    coaching_services.change_stage(
        actor=Actor.for_user(world.people["worker_a"]).for_purpose(Purpose.EMPLOYMENT_SUPPORT),
        coaching=coaching,
        stage=Stage.JOB_SEARCH,
        started_on=since,
    )
    return coaching


def _transition(coaching: Coaching, occasion: Occasion, kind: TransitionKind, on: date) -> None:
    Transition.objects.create(
        coaching=coaching,
        occasion=occasion,
        kind=kind,
        observed_on=on,
        recorded_by=coaching.coach,
    )


# Entry -----------------------------------------------------------------------------------------


def test_entry_prefill_from_the_client_record(pworld: ProjectWorld) -> None:
    prefill = selectors.entry_prefill(
        pworld.actor(), pworld.project, pworld.client, date(2026, 3, 2)
    )

    assert prefill.initial() == {"gender": "male", "age_at_entry": 35, "municipality": "837"}
    assert prefill.values["municipality"].display == "Tampere"
    assert prefill.values["gender"].source == "from the client record"
    assert not _employment_reads(pworld)


def test_a_job_held_on_the_entry_date_prefills_employed(
    pworld: ProjectWorld, employer: Employer
) -> None:
    coaching = _in_job_search(pworld, date(2025, 12, 1))
    make_placement(coaching, employer, date(2026, 2, 1))

    prefill = selectors.entry_prefill(
        pworld.actor(), pworld.project, pworld.client, date(2026, 3, 2)
    )

    assert prefill.values["labour_status"].value == LabourStatus.EMPLOYED
    assert prefill.values["labour_status"].source == (
        "from job coaching: a job at Varasto Testinen Oy since 1.2.2026"
    )
    (row,) = _employment_reads(pworld)
    assert row.owner == pworld.org_a
    assert row.register == "employment_services"


def test_studies_are_not_a_job(pworld: ProjectWorld, employer: Employer) -> None:
    coaching = _in_job_search(pworld, date(2025, 12, 1))
    make_placement(coaching, employer, date(2026, 2, 1), kind=PlacementKind.EDUCATION)

    prefill = selectors.entry_prefill(
        pworld.actor(), pworld.project, pworld.client, date(2026, 3, 2)
    )

    # Still in the job search, as the coaching's stage says.
    assert prefill.values["labour_status"].value == LabourStatus.UNEMPLOYED


def test_an_open_coaching_in_the_job_search_prefills_unemployed(pworld: ProjectWorld) -> None:
    _in_job_search(pworld, date(2026, 1, 5))

    on_entry = selectors.entry_prefill(
        pworld.actor(), pworld.project, pworld.client, date(2026, 3, 2)
    )
    before = selectors.entry_prefill(
        pworld.actor(), pworld.project, pworld.client, date(2025, 12, 1)
    )

    assert on_entry.values["labour_status"].value == LabourStatus.UNEMPLOYED
    assert (
        on_entry.values["labour_status"].source
        == "from job coaching: in the job search on 2.3.2026"
    )
    assert "labour_status" not in before.values  # then still at the vocational profile
    assert CoachingStage.objects.count() == 2


@pytest.mark.parametrize("who", ["worker_b", "manager_a"])
def test_entry_prefill_only_from_what_the_actor_may_read(
    pworld: ProjectWorld, employer: Employer, who: str
) -> None:
    # B serves nobody; A's project manager does no client work: neither reads A's coaching.
    coaching = _in_job_search(pworld, date(2025, 12, 1))
    make_placement(coaching, employer, date(2026, 2, 1))

    prefill = selectors.entry_prefill(
        pworld.actor(who), pworld.project, pworld.client, date(2026, 3, 2)
    )

    assert "labour_status" not in prefill.values
    assert not _employment_reads(pworld)


# Exit and follow-up ------------------------------------------------------------------------------


def _left(world: ProjectWorld, left_on: date) -> None:
    assert world.participant is not None
    services.record_exit(actor=world.actor(), participant=world.participant, left_on=left_on)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            TransitionKind.OPEN_MARKET_WORK,
            {"employed": True, "in_education": False, "job_searching": False},
        ),
        (
            TransitionKind.EDUCATION,
            {"employed": False, "in_education": True, "job_searching": False},
        ),
        (
            TransitionKind.UNEMPLOYED,
            {"employed": False, "in_education": False, "job_searching": True},
        ),
    ],
)
def test_the_transition_at_exit_prefills_the_situation_upon_leaving(
    enrolled: ProjectWorld, kind: TransitionKind, expected: dict[str, bool]
) -> None:
    coaching = enrolled.coaching(enrolled.client, date(2026, 1, 5))
    _transition(coaching, Occasion.EXIT, kind, date(2026, 9, 3))
    _left(enrolled, date(2026, 8, 31))
    assert enrolled.participant is not None

    prefill = selectors.exit_prefill(enrolled.actor(), enrolled.participant)

    assert prefill.initial() == {"observed_on": date(2026, 9, 3), **expected}
    assert prefill.values["employed"].source.startswith(
        "from job coaching, transition at exit 3.9.2026"
    )
    assert len(_employment_reads(enrolled)) == 1


def test_a_transition_outside_the_four_weeks_is_not_used(enrolled: ProjectWorld) -> None:
    coaching = enrolled.coaching(enrolled.client, date(2026, 1, 5))
    _transition(coaching, Occasion.EXIT, TransitionKind.OPEN_MARKET_WORK, date(2026, 9, 29))
    _left(enrolled, date(2026, 8, 31))
    assert enrolled.participant is not None

    assert not selectors.exit_prefill(enrolled.actor(), enrolled.participant)
    assert not _employment_reads(enrolled)


def test_a_job_held_on_the_leaving_day_prefills_employed(
    enrolled: ProjectWorld, employer: Employer
) -> None:
    coaching = enrolled.coaching(enrolled.client, date(2026, 1, 5))
    make_placement(coaching, employer, date(2026, 8, 1))
    _left(enrolled, date(2026, 8, 31))
    assert enrolled.participant is not None

    prefill = selectors.exit_prefill(enrolled.actor(), enrolled.participant)

    assert prefill.initial() == {"observed_on": date(2026, 8, 31), "employed": True}


def test_exit_prefill_not_for_partners(enrolled: ProjectWorld) -> None:
    coaching = enrolled.coaching(enrolled.client, date(2026, 1, 5))
    _transition(coaching, Occasion.EXIT, TransitionKind.OPEN_MARKET_WORK, date(2026, 9, 3))
    _left(enrolled, date(2026, 8, 31))
    assert enrolled.participant is not None

    assert not selectors.exit_prefill(enrolled.actor("worker_b"), enrolled.participant)
    assert not _employment_reads(enrolled)


def test_the_six_month_transition_prefills_the_follow_up(enrolled: ProjectWorld) -> None:
    coaching = enrolled.coaching(enrolled.client, date(2025, 11, 3))
    _transition(coaching, Occasion.MONTHS_6, TransitionKind.SUBSIDISED_WORK, date(2026, 11, 2))
    _left(enrolled, date(2026, 5, 4))
    assert enrolled.participant is not None

    prefill = selectors.follow_up_prefill(enrolled.actor(), enrolled.participant)

    # Long-term unemployed at entry, employed six months after leaving: improved.
    assert prefill.initial() == {
        "observed_on": date(2026, 11, 2),
        "employed": True,
        "improved": True,
    }
    assert prefill.values["improved"].source == (
        "employed six months after leaving, long-term unemployed (12 months or more) at entry"
    )


def test_follow_up_prefill_makes_no_improvement_out_of_no_work(enrolled: ProjectWorld) -> None:
    coaching = enrolled.coaching(enrolled.client, date(2025, 11, 3))
    _transition(coaching, Occasion.MONTHS_6, TransitionKind.REHABILITATION, date(2026, 11, 2))
    _left(enrolled, date(2026, 5, 4))
    assert enrolled.participant is not None

    prefill = selectors.follow_up_prefill(enrolled.actor(), enrolled.participant)

    assert prefill.initial() == {"observed_on": date(2026, 11, 2), "employed": False}
