"""The supported-employment section on a known world: trials and placements started in the
period, coachings ended and where their clients went, and the share in work at exit with
its Wilson interval."""

from __future__ import annotations

from datetime import timedelta

import pytest

from polku.clients.enums import Gender
from polku.core.models import Municipality
from polku.employment import employer_services, worktrial_services
from polku.employment.coaching_enums import Occasion, Stage, TransitionKind
from polku.employment.models import Coaching, Transition
from polku.employment.placement_enums import PlacementKind
from polku.employment.tests.placement_fixtures import make_placement
from polku.employment.worktrial_enums import TrialPurpose
from polku.insights.employment_figures import employment_section
from polku.insights.tests.figures_world import (
    FiguresWorld,
    day,
    figures_world_fixture,  # noqa: F401
    query,
    texts,
)

pytestmark = pytest.mark.django_db

K = TransitionKind
# Where each coaching's client went at exit (None: not recorded), and their gender.
EXITS = [
    (K.OPEN_MARKET_WORK, Gender.FEMALE),
    (K.OPEN_MARKET_WORK, Gender.FEMALE),
    (K.SUBSIDISED_WORK, Gender.FEMALE),
    (K.SELF_EMPLOYMENT, Gender.FEMALE),
    (K.OPEN_MARKET_WORK, Gender.FEMALE),
    (K.EDUCATION, Gender.FEMALE),
    (K.UNEMPLOYED, Gender.MALE),
    (K.REHABILITATION, Gender.MALE),
    (K.UNKNOWN, Gender.MALE),
    (K.PENSION, Gender.MALE),
    (None, Gender.MALE),
]


@pytest.fixture
def coached(figures_world: FiguresWorld) -> FiguresWorld:
    fw = figures_world
    world = fw.world
    host = employer_services.create_employer(
        actor=world.actor(),
        name="Pirkan Varasto Oy",
        municipality=Municipality.objects.get(pk="837"),
    )
    contact = employer_services.add_contact_person(host, actor=world.actor(), name="Hanna Hylly")
    coachings = []
    for number, (_kind, gender) in enumerate(EXITS):
        coaching = world.new_coaching(20 + number, started_on=day(100))
        coaching.client.gender = gender
        coaching.client.save(update_fields=["gender"])
        coachings.append(coaching)

    def trial(coaching: Coaching, starts_ago: int) -> None:
        worktrial_services.arrange_work_trial(
            actor=world.actor(),
            coaching=coaching,
            employer=host,
            contact_person=contact,
            starts_on=day(starts_ago),
            ends_on=day(starts_ago) + timedelta(days=10),
            tasks="Hyllytys",
            purpose=TrialPurpose.TRYING_A_FIELD,
        )

    trial(coachings[0], 50)  # a woman's, in the period
    trial(coachings[6], 40)  # a man's, in the period
    trial(coachings[1], 90)  # before the period
    make_placement(coachings[0], host, day(30))  # a job in the period
    make_placement(coachings[1], host, day(80))  # before the period
    make_placement(coachings[5], host, day(25), kind=PlacementKind.EDUCATION)
    for coaching, (kind, _gender) in zip(coachings, EXITS, strict=True):
        Coaching.objects.filter(pk=coaching.pk).update(ended_on=day(20), stage=Stage.ENDED)
        if kind is not None:
            Transition.objects.create(
                coaching=coaching,
                occasion=Occasion.EXIT,
                kind=kind,
                observed_on=day(20),
                recorded_by=world.coach,
            )
    # Ended before the period: not counted.
    early = world.new_coaching(40, started_on=day(200))
    Coaching.objects.filter(pk=early.pk).update(ended_on=day(61), stage=Stage.ENDED)
    return fw


def test_trials_placements_and_coachings_ended_by_gender(coached):
    section = employment_section(coached.worker(), query())

    assert section is not None
    counts, share = section.tables
    assert counts.headers == ["In the period", "Women", "Men", "Other or not stated", "All"]
    assert texts(counts) == [
        ["Work trials started", "<5", "<5", "0", "<5"],
        ["Jobs started", "<5", "0", "0", "<5"],
        ["Studies started", "<5", "0", "0", "<5"],
        # Women 6, men 5: eleven ended.
        ["Job coachings ended", "6", "5", "0", "11"],
        # Five women to work; one woman to education. The rest (four men with a recorded
        # exit and one without) is not shown, so the 1 cannot be worked out from 6 − 5.
        ["of them, to work", "5", "0", "0", "5"],
        ["of them, to education", "<5", "0", "0", "<5"],
    ]
    # Ten recorded exits, five in work: 50 %, Wilson 23.66 %–76.34 %.
    assert texts(share) == [["With the situation at exit recorded", "50 %", "24 %", "76 %"]]
    assert share.rows[0][2].value == pytest.approx(0.236593, abs=1e-6)


def test_too_few_in_work_withhold_the_share(coached):
    # Make two of the five in work unemployed: 3 of 10 in work.
    Transition.objects.filter(kind=K.OPEN_MARKET_WORK).exclude(
        coaching__client__last_name="Polkunen20"
    ).update(kind=K.UNEMPLOYED)

    section = employment_section(coached.worker(), query())

    assert section is not None
    assert texts(section.tables[1]) == [["With the situation at exit recorded", "<5", "<5", "<5"]]


def test_no_coachings_no_section(figures_world):
    assert employment_section(figures_world.worker(), query()) is None
    assert employment_section(figures_world.analyst(), query()) is None
