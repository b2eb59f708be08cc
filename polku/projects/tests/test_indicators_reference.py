"""The indicators against one hand-written SQL query computing the same figures
(``REFERENCE_SQL``, PostgreSQL), on a random participant set of a project among others:
every figure, by gender, must agree. ``make bench`` times the computation against the same
query on a project of 5,000 participants.

The query is written independently of ``indicator_selectors``: PostgreSQL's ``FILTER``
clauses and date arithmetic, one version of the urban–rural grouping (2026).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection

from polku.clients.models import Client
from polku.core.models import UrbanRuralGroup
from polku.projects.indicator_selectors import (
    IndicatorTable,
    compute_indicators,
    follow_up_leaving_dates,
)
from polku.projects.models import Participant, Project, SensitiveDetails
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

# Parameters: starts, ends (the period), due_from, due_until (the leaving dates whose six
# months after fall in the period), project.
REFERENCE_SQL = """
SELECT p.gender,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s) AS total,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.labour_status IN ('unemployed','long_term_unemployed')) AS unemployed,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.labour_status = 'long_term_unemployed') AS ltu,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.labour_status = 'inactive') AS inactive,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.labour_status = 'employed') AS employed,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.age_at_entry < 18) AS below_18,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.age_at_entry BETWEEN 18 AND 29) AS a18_29,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.age_at_entry >= 55) AS a55,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.education_level IN ('0','1','2')) AS i02,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.education_level IN ('3','4')) AS i34,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.education_level IN ('5','6','7','8')) AS i58,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.municipality_id IN (
     SELECT municipality_id FROM core_municipalitygroup
     WHERE classification_version = '2026' AND "group" = 'rural')) AS rural,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.disability = 'yes') AS dis,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.third_country_national = 'yes') AS tcn,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.foreign_background = 'yes') AS fb,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.minority = 'yes') AS mi,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.homeless = 'yes') AS ho,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.disability = 'declined') AS dis_d,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.third_country_national = 'declined') AS tcn_d,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.foreign_background = 'declined') AS fb_d,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.minority = 'declined') AS mi_d,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND s.homeless = 'declined') AS ho_d,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND coalesce(s.disability, '') = '') AS dis_m,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND coalesce(s.third_country_national, '') = '') AS tcn_m,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND coalesce(s.foreign_background, '') = '') AS fb_m,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND coalesce(s.minority, '') = '') AS mi_m,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND coalesce(s.homeless, '') = '') AS ho_m,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.labour_status = '') AS ls_m,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.education_level = '') AS ed_m,
 count(*) FILTER (WHERE p.entered_on BETWEEN %(starts)s AND %(ends)s
   AND p.municipality_id IS NULL) AS mu_m,
 count(*) FILTER (WHERE p.left_on BETWEEN %(starts)s AND %(ends)s) AS left_,
 count(*) FILTER (WHERE p.entered_on <= %(ends)s
   AND (p.left_on IS NULL OR p.left_on > %(ends)s)) AS at_end,
 count(*) FILTER (WHERE p.left_on BETWEEN %(starts)s AND %(ends)s
   AND p.exit_observed_on IS NULL) AS no_exit,
 count(*) FILTER (WHERE p.left_on BETWEEN %(starts)s AND %(ends)s
   AND p.exit_observed_on - p.left_on > 28) AS late,
 count(*) FILTER (WHERE p.left_on BETWEEN %(starts)s AND %(ends)s
   AND p.exit_observed_on - p.left_on <= 28
   AND p.exit_job_searching) AS r1,
 count(*) FILTER (WHERE p.left_on BETWEEN %(starts)s AND %(ends)s
   AND p.exit_observed_on - p.left_on <= 28
   AND p.exit_in_education) AS r2,
 count(*) FILTER (WHERE p.left_on BETWEEN %(starts)s AND %(ends)s
   AND p.exit_observed_on - p.left_on <= 28
   AND p.exit_qualification) AS r3,
 count(*) FILTER (WHERE p.left_on BETWEEN %(starts)s AND %(ends)s
   AND p.exit_observed_on - p.left_on <= 28
   AND p.exit_employed) AS r4,
 count(*) FILTER (WHERE p.left_on BETWEEN %(due_from)s AND %(due_until)s) AS due,
 count(*) FILTER (WHERE p.left_on BETWEEN %(due_from)s AND %(due_until)s
   AND p.follow_up_observed_on IS NOT NULL) AS rec,
 count(*) FILTER (WHERE p.left_on BETWEEN %(due_from)s AND %(due_until)s
   AND p.follow_up_observed_on - p.left_on NOT BETWEEN 154 AND 210) AS outside,
 count(*) FILTER (WHERE p.left_on BETWEEN %(due_from)s AND %(due_until)s
   AND p.follow_up_observed_on - p.left_on BETWEEN 154 AND 210
   AND p.follow_up_employed) AS l1,
 count(*) FILTER (WHERE p.left_on BETWEEN %(due_from)s AND %(due_until)s
   AND p.follow_up_observed_on - p.left_on BETWEEN 154 AND 210
   AND p.follow_up_improved) AS l2
FROM projects_participant p LEFT JOIN projects_sensitivedetails s ON s.participant_id = p.id
WHERE p.project_id = %(project)s
GROUP BY p.gender
"""

# The reference query's columns: an indicator's key, ``flow.<field>``, or
# ``missing.<item>`` / ``declined.<item>`` of the notes.
COLUMNS = {
    "total": "total",
    "unemployed": "unemployed",
    "ltu": "long_term_unemployed",
    "inactive": "inactive",
    "employed": "employed",
    "below_18": "below_18",
    "a18_29": "age_18_29",
    "a55": "age_55_plus",
    "i02": "isced_0_2",
    "i34": "isced_3_4",
    "i58": "isced_5_8",
    "rural": "rural",
    "dis": "disability",
    "tcn": "third_country_national",
    "fb": "foreign_background",
    "mi": "minority",
    "ho": "homeless",
    "dis_d": "declined.disability",
    "tcn_d": "declined.third_country_national",
    "fb_d": "declined.foreign_background",
    "mi_d": "declined.minority",
    "ho_d": "declined.homeless",
    "dis_m": "missing.disability",
    "tcn_m": "missing.third_country_national",
    "fb_m": "missing.foreign_background",
    "mi_m": "missing.minority",
    "ho_m": "missing.homeless",
    "ls_m": "missing.labour_status",
    "ed_m": "missing.education_level",
    "mu_m": "missing.municipality",
    "left_": "flow.left",
    "at_end": "flow.in_project_at_end",
    "no_exit": "flow.left_without_exit_data",
    "late": "flow.exit_observed_late",
    "r1": "exit_job_searching",
    "r2": "exit_in_education",
    "r3": "exit_qualification",
    "r4": "exit_employed",
    "due": "flow.follow_ups_due",
    "rec": "flow.follow_ups_recorded",
    "outside": "flow.follow_ups_outside_window",
    "l1": "follow_up_employed",
    "l2": "follow_up_improved",
}
BUCKETS = {"female": "women", "male": "men"}


def reference(project: Project, starts_on: date, ends_on: date) -> dict[str, Any]:
    """The reference query's figures: an indicator's by gender bucket, the others totals."""
    due = follow_up_leaving_dates(starts_on, ends_on)
    assert due is not None
    params: dict[str, Any] = {
        "starts": starts_on,
        "ends": ends_on,
        "due_from": due[0],
        "due_until": due[1],
        "project": project.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_SQL, params)
        names = [column[0] for column in cursor.description]
        results = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    figures: dict[str, Any] = {}
    for column, key in COLUMNS.items():
        if "." in key:
            figures[key] = sum(result[column] for result in results)
            continue
        by_bucket = {"women": 0, "men": 0, "other": 0}
        for result in results:
            by_bucket[BUCKETS.get(result["gender"], "other")] += result[column]
        figures[key] = (by_bucket["women"], by_bucket["men"], by_bucket["other"])
    return figures


def computed(table: IndicatorTable) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for key in COLUMNS.values():
        kind, _, name = key.partition(".")
        if kind == "flow":
            figures[key] = getattr(table.flow, name)
        elif kind in {"missing", "declined"}:
            note = next(note for note in table.notes if note.key == name)
            figures[key] = getattr(note, kind)
        else:
            row = table.row(key)
            figures[key] = (row.women, row.men, row.other)
    return figures


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
