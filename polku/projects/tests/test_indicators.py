"""The ESF+ indicators against figures computed by hand on the known participant set of
``fixtures_indicators`` (read its table first), for the calendar year 2026."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polku.core.models import UrbanRuralGroup
from polku.projects.indicator_selectors import (
    DataNote,
    IndicatorTable,
    ParticipantFlow,
    compute_indicators,
    compute_programme_indicators,
    follow_up_leaving_dates,
)
from polku.projects.indicators import INDICATORS
from polku.projects.tests.fixtures_indicators import (
    RURAL,
    URBAN,
    YEAR_2026,
    IndicatorWorld,
    load_grouping,
    make_indicator_world,
    make_participant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator_world(make_organisation, make_professional) -> IndicatorWorld:
    return make_indicator_world(make_organisation, make_professional)


# key: (women, men, other or not given, total), by hand from the fixture's table.
EXPECTED_2026 = {
    # Entered in 2026: W1, W2 (women), M1 (man), O1, N1 (other or not given).
    "unemployed": (2, 0, 1, 3),  # W1, W2 (long-term), N1
    "long_term_unemployed": (1, 0, 0, 1),  # W2
    "inactive": (0, 1, 0, 1),  # M1
    "employed": (0, 0, 0, 0),  # M2 is employed but entered in 2025
    "below_18": (1, 0, 0, 1),  # W1
    "age_18_29": (1, 0, 1, 2),  # W2 (29 at entry, 30 by now), O1
    "age_55_plus": (0, 1, 1, 2),  # M1 (55), N1 (60)
    "isced_0_2": (1, 0, 0, 1),  # W1
    "isced_3_4": (1, 0, 1, 2),  # W2, N1
    "isced_5_8": (0, 1, 0, 1),  # M1 (O1 not known)
    "total": (2, 1, 2, 5),
    "disability": (1, 0, 0, 1),  # W1 (W2 declined, M1 not asked, O1 no details)
    "third_country_national": (0, 1, 0, 1),  # M1
    "foreign_background": (0, 1, 0, 1),  # M1
    "minority": (0, 0, 1, 1),  # N1
    "homeless": (0, 1, 0, 1),  # M1
    "rural": (0, 0, 0, 0),  # no grouping loaded: not available
    # Left in 2026: W2, M1 (no exit data), M2 (entered 2025), O1 (observed late), W4.
    "exit_job_searching": (1, 0, 0, 1),  # W2
    "exit_in_education": (1, 0, 0, 1),  # W4, observed on the 28th day
    "exit_qualification": (1, 1, 0, 2),  # W2, M2
    "exit_employed": (0, 1, 0, 1),  # M2 (O1 observed 46 days after: not counted)
    # Six months after leaving in 2026 (left 2025-07-01 … 2026-06-30): W3, M3, W4, M2, M1.
    "follow_up_employed": (1, 0, 0, 1),  # W3 (M3 observed on day 284: not counted)
    "follow_up_improved": (1, 0, 0, 1),  # W3
}


def figures(table: IndicatorTable) -> dict[str, tuple[int, int, int, int]]:
    return {row.key: (row.women, row.men, row.other, row.total) for row in table.rows}


def test_every_indicator_of_the_year_against_the_hand_computed_table(
    indicator_world: IndicatorWorld,
):
    table = compute_indicators(indicator_world.project, *YEAR_2026)

    assert figures(table) == EXPECTED_2026
    assert [row.key for row in table.rows] == [indicator.key for indicator in INDICATORS]
    assert (table.starts_on, table.ends_on) == YEAR_2026


def test_the_participant_flow_of_the_year(indicator_world: IndicatorWorld):
    table = compute_indicators(indicator_world.project, *YEAR_2026)

    assert table.flow == ParticipantFlow(
        entered=5,
        left=5,  # W2, M1, M2, O1, W4
        in_project_at_end=2,  # W1, N1 (entered on the last day); M4 enters in 2027
        left_without_exit_data=1,  # M1: counted as left, in no result
        exit_observed_late=1,  # O1
        follow_ups_due=5,  # W3, M3, W4, M2, M1
        follow_ups_recorded=2,  # W3, M3
        follow_ups_outside_window=1,  # M3
    )
    assert not table.is_empty


def test_missing_and_declined_data_are_notes_never_no(indicator_world: IndicatorWorld):
    table = compute_indicators(indicator_world.project, *YEAR_2026)

    assert table.notes == [
        DataNote("labour_status", table.notes[0].label, missing=1),  # O1
        DataNote("education_level", table.notes[1].label, missing=1),  # O1
        DataNote("municipality", table.notes[2].label, missing=1),  # O1
        # W2 declined every item; M1 was not asked about disability; O1 has no details.
        DataNote("disability", table.notes[3].label, missing=2, declined=1),
        DataNote("third_country_national", table.notes[4].label, missing=1, declined=1),
        DataNote("foreign_background", table.notes[5].label, missing=1, declined=1),
        DataNote("minority", table.notes[6].label, missing=1, declined=1),
        DataNote("homeless", table.notes[7].label, missing=1, declined=1),
    ]
    assert str(table.notes[3].label) == "Disability"


def test_the_rural_row_is_not_available_without_a_grouping(indicator_world: IndicatorWorld):
    table = compute_indicators(indicator_world.project, *YEAR_2026)

    rural = table.row("rural")
    assert not rural.available
    assert table.rural_versions == ()
    assert all(row.available for row in table.rows if row.key != "rural")


def test_rural_counts_by_the_grouping_in_effect_at_entry(indicator_world: IndicatorWorld):
    # In 2025 Alajärvi was urban, from 2026 on rural; 2026 entries count by 2026.
    load_grouping("2025", {RURAL: UrbanRuralGroup.URBAN, URBAN: UrbanRuralGroup.URBAN})
    load_grouping("2026", {RURAL: UrbanRuralGroup.RURAL, URBAN: UrbanRuralGroup.URBAN})

    table = compute_indicators(indicator_world.project, *YEAR_2026)

    rural = table.row("rural")
    assert rural.available
    assert (rural.women, rural.men, rural.other, rural.total) == (1, 1, 1, 3)  # W1, M1, N1
    assert table.rural_versions == ("2025", "2026")


def test_a_later_version_does_not_reach_back_over_an_earlier_one(
    indicator_world: IndicatorWorld,
):
    # 2026 entries count by 2026 (rural), not by 2027 (urban again).
    load_grouping("2026", {RURAL: UrbanRuralGroup.RURAL, URBAN: UrbanRuralGroup.URBAN})
    load_grouping("2027", {RURAL: UrbanRuralGroup.URBAN, URBAN: UrbanRuralGroup.URBAN})

    assert compute_indicators(indicator_world.project, *YEAR_2026).row("rural").total == 3


def test_entries_before_the_first_loaded_version_count_by_it(indicator_world: IndicatorWorld):
    load_grouping("2027", {RURAL: UrbanRuralGroup.RURAL, URBAN: UrbanRuralGroup.SEMI_URBAN})

    rural = compute_indicators(indicator_world.project, *YEAR_2026).row("rural")

    assert rural.available
    assert rural.total == 3


def test_entry_before_the_period_and_exit_inside_it(indicator_world: IndicatorWorld):
    # M2 entered in June 2025 and left in May 2026.
    table_2025 = compute_indicators(indicator_world.project, date(2025, 1, 1), date(2025, 12, 31))
    table_2026 = compute_indicators(indicator_world.project, *YEAR_2026)

    # Counted at entry in 2025 (employed), in the results of 2026.
    assert table_2025.row("employed").men == 1
    assert table_2026.row("employed").total == 0
    assert table_2026.row("exit_employed").men == 1
    assert table_2025.row("exit_employed").total == 0
    # Still taking part at the end of 2025: M2 and W4 (M3 and W3 left in 2025).
    assert table_2025.flow.in_project_at_end == 2


def test_a_participant_of_two_projects_counts_in_each(indicator_world: IndicatorWorld):
    q = compute_indicators(indicator_world.other_project, *YEAR_2026)
    programme = compute_programme_indicators(indicator_world.programme, *YEAR_2026)

    # In Q, W2's client entered at 30: employed, not 18–29.
    assert q.row("total").women == 1
    assert q.row("employed").women == 1
    assert q.row("age_18_29").total == 0
    # The programme sums P and Q; project Z of another programme is not in it.
    expected = dict(EXPECTED_2026)
    expected["total"] = (3, 1, 2, 6)
    expected["employed"] = (1, 0, 0, 1)
    expected["isced_3_4"] = (2, 0, 1, 3)
    assert figures(programme) == expected
    assert programme.flow.entered == 6
    assert programme.flow.in_project_at_end == 3
    assert [note.missing for note in programme.notes[3:]] == [3, 2, 2, 2, 2]


def test_age_is_the_age_at_entry_whatever_it_is_now(indicator_world: IndicatorWorld):
    w2 = indicator_world.participants["W2"]
    assert w2.age_at_entry == 29
    assert (date(2026, 12, 31) - w2.client.birth_date).days // 365 >= 30

    assert compute_indicators(indicator_world.project, *YEAR_2026).row("age_18_29").women == 1


def test_an_exit_observed_later_than_four_weeks_is_in_no_result(
    indicator_world: IndicatorWorld,
):
    o1 = indicator_world.participants["O1"]
    assert o1.exit_observed_on == date(2026, 9, 15)
    assert o1.left_on == date(2026, 7, 31)

    table = compute_indicators(indicator_world.project, *YEAR_2026)

    assert table.row("exit_employed").other == 0
    assert table.flow.exit_observed_late == 1


def test_the_period_limits_are_included(indicator_world: IndicatorWorld):
    # N1 entered on 31 December 2026, W1 on 1 January 2026.
    last_day = compute_indicators(indicator_world.project, date(2026, 12, 31), date(2026, 12, 31))
    first_day = compute_indicators(indicator_world.project, date(2026, 1, 1), date(2026, 1, 1))

    assert last_day.row("total").other == 1
    assert first_day.row("total").women == 1
    assert first_day.row("below_18").total == 1


def test_a_follow_up_six_months_after_a_month_end(indicator_world: IndicatorWorld):
    # Six months after 31 August is 28 February (the month's last day).
    assert follow_up_leaving_dates(date(2026, 2, 28), date(2026, 2, 28)) == (
        date(2025, 8, 28),
        date(2025, 8, 31),
    )
    assert follow_up_leaving_dates(date(2026, 3, 1), date(2026, 3, 1)) == (
        date(2025, 9, 1),
        date(2025, 9, 1),
    )
    february = compute_indicators(indicator_world.project, date(2026, 2, 1), date(2026, 2, 28))
    assert february.flow.follow_ups_due == 1  # W3, who left on 31 August 2025
    assert february.row("follow_up_employed").women == 1


def test_an_empty_project_and_period(indicator_world: IndicatorWorld):
    table = compute_indicators(indicator_world.project, date(2024, 1, 1), date(2024, 12, 31))

    assert table.is_empty
    assert all(row.total == 0 for row in table.rows)


def test_one_query_whatever_the_number_of_participants(indicator_world: IndicatorWorld):
    for number in range(20):
        make_participant(
            indicator_world.project,
            by=indicator_world.manager,
            gender="female" if number % 2 else "male",
            age=20 + number,
            entered=date(2026, 2, 1),
            municipality=URBAN,
        )
    load_grouping("2026", {RURAL: UrbanRuralGroup.RURAL, URBAN: UrbanRuralGroup.URBAN})

    with CaptureQueriesContext(connection) as queries:
        table = compute_indicators(indicator_world.project, *YEAR_2026)

    assert table.row("total").total == 25
    # The loaded versions of the urban–rural grouping, and the counts: one query for any
    # number of participants.
    assert len(queries) == 2
    assert "GROUP BY" in queries[-1]["sql"]
