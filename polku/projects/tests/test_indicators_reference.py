"""The indicators against one hand-written SQL query computing the same figures
(``indicator_reference``, PostgreSQL), on a random participant set of a project among
others: every figure, by gender, must agree."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import connection

from polku.clients.models import Client
from polku.core.models import UrbanRuralGroup
from polku.projects.indicator_reference import computed, reference
from polku.projects.indicator_selectors import compute_indicators
from polku.projects.models import Participant, SensitiveDetails
from polku.projects.tests.fixtures_indicators import (
    RURAL,
    URBAN,
    IndicatorWorld,
    load_grouping,
    make_indicator_world,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the reference query is PostgreSQL's"
    ),
]


def random_participants(world: IndicatorWorld, count: int, seed: int) -> None:
    """``count`` participants in each of the world's three projects, of random details."""
    rng = random.Random(seed)
    clients = Client.objects.bulk_create(
        Client(first_names="Satunnainen", last_name="Osallistuja", birth_date=date(1980, 1, 1))
        for _ in range(3 * count)
    )
    projects = [world.project, world.other_project, world.elsewhere]
    rows = []
    for index, client in enumerate(clients):
        entered = date(2024, 1, 1) + timedelta(days=rng.randrange(1000))
        left = entered + timedelta(days=rng.randrange(400)) if rng.random() < 0.6 else None
        exit_on = left + timedelta(days=rng.randrange(40)) if left and rng.random() < 0.8 else None
        follow_up_on = (
            left + timedelta(days=rng.randrange(140, 230)) if left and rng.random() < 0.5 else None
        )
        rows.append(
            Participant(
                project=projects[index % 3],
                client=client,
                organisation=world.org_a,
                entered_on=entered,
                left_on=left,
                gender=rng.choice(["female", "male", "other", "not_stated"]),
                age_at_entry=rng.randrange(15, 66),
                municipality_id=rng.choice([RURAL, URBAN, None]),
                labour_status=rng.choice(
                    ["unemployed", "long_term_unemployed", "inactive", "employed", ""]
                ),
                education_level=rng.choice([*"012345678", ""]),
                exit_observed_on=exit_on,
                exit_job_searching=rng.random() < 0.3 if exit_on else None,
                exit_in_education=rng.random() < 0.2 if exit_on else None,
                exit_qualification=rng.random() < 0.2 if exit_on else None,
                exit_employed=rng.random() < 0.3 if exit_on else None,
                follow_up_observed_on=follow_up_on,
                follow_up_employed=rng.random() < 0.4 if follow_up_on else None,
                follow_up_improved=rng.random() < 0.5 if follow_up_on else None,
                enrolled_by=world.manager,
            )
        )
    answers = ["yes", "no", "declined", ""]
    SensitiveDetails.objects.bulk_create(
        SensitiveDetails(
            participant=participant,
            recorded_by=world.manager,
            disability=rng.choice(answers),
            third_country_national=rng.choice(answers),
            foreign_background=rng.choice(answers),
            minority=rng.choice(answers),
            homeless=rng.choice(answers),
        )
        for participant in Participant.objects.bulk_create(rows)
        if rng.random() < 0.7
    )


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2024, 3, 1), date(2026, 8, 31)),
        (date(2026, 2, 28), date(2026, 2, 28)),
    ],
)
def test_every_figure_agrees_with_the_hand_written_query(
    make_organisation, make_professional, starts_on, ends_on
):
    world = make_indicator_world(make_organisation, make_professional)
    load_grouping("2026", {RURAL: UrbanRuralGroup.RURAL, URBAN: UrbanRuralGroup.URBAN})
    random_participants(world, 300, seed=starts_on.toordinal())

    expected = reference(world.project, starts_on, ends_on)

    assert computed(compute_indicators(world.project, starts_on, ends_on)) == expected
    assert expected["total"] != (0, 0, 0) or starts_on == ends_on
