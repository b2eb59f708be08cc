"""The equality view's sections on known worlds, every figure computed by hand: the reach by
age band and gender on the situational picture's world (``fixtures_picture``), and the gaps
in the results on a world of eighteen ended job coachings whose clients' gender, age,
situation at exit, pathway phase and measurements are chosen so that each kind of gap and
each reason for not giving one appears.

The world of the results (ages on the last day of the period, today; every coaching ended
twenty days ago with its situation at exit recorded, every episode in the assessment phase
since the day given):

group   persons  age  at exit      days in the phase        WAS scores (first → latest)
W30     5        30   in work      10, 20, 30, 40, 50       5 → 6, 7, 8, 9, 10 (+1 … +5)
W50     5        50   unemployed   12, 14, 16, 18, 20       5 → 5 (0) each
M50     6        50   unemployed   5 each                   5 → 4 (−1) each
M20     2        20   unemployed   1, 3                     measured once
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest
from django.utils import timezone

from polku.clients.enums import Gender
from polku.employment.coaching_enums import Occasion, Stage, TransitionKind
from polku.employment.models import Coaching, Transition
from polku.insights.equality import Gap, mean_gap, proportion_gap
from polku.insights.equality_sections import (
    bounds,
    change_section,
    equality,
    phase_section,
    reach_figures,
    reach_section,
    work_section,
)
from polku.insights.tests.figures_world import (
    TODAY,
    FiguresWorld,
    day,
    figures_world_fixture,  # noqa: F401
    query,
    texts,
)
from polku.insights.tests.fixtures_picture import PictureWorld, make_picture_world, period
from polku.measures.enums import AdministrationStatus, Channel
from polku.measures.enums import Occasion as MeasurementOccasion
from polku.measures.models import Administration, InstrumentVersion
from polku.measures.schedules import add_months
from polku.measures.services import load_shipped_instruments
from polku.pathways.enums import Phase
from polku.pathways.models import PhaseChange
from polku.policy.actors import Actor
from polku.policy.enums import Register

pytestmark = pytest.mark.django_db

WAS = "work-ability-score"
FEMALE, MALE = Gender.FEMALE, Gender.MALE
# (gender, age, in work at exit, days in the phase, the latest WAS score after a first 5)
PEOPLE = [
    *(
        (FEMALE, 30, True, days, latest)
        for days, latest in zip((10, 20, 30, 40, 50), (6, 7, 8, 9, 10), strict=True)
    ),
    *((FEMALE, 50, False, days, 5) for days in (12, 14, 16, 18, 20)),
    *((MALE, 50, False, 5, 4) for _ in range(6)),
    *((MALE, 20, False, days, None) for days in (1, 3)),
]


def born(age: int) -> date:
    """A birth date that makes a person ``age`` years (and six months) old today."""
    return add_months(TODAY, -12 * age - 6)


def row(table: Any, label: str) -> list[str]:
    return next(line for line in texts(table) if line[0] == label)


# --- reach --------------------------------------------------------------------------------


@pytest.fixture
def world(make_organisation, make_professional) -> PictureWorld:
    return make_picture_world(make_organisation, make_professional)


def test_the_reach_by_age_band_and_gender(world: PictureWorld):
    # Ages on 30.6.2025: T1 35 (born 30.6.1990), T2 34 (born 1.7.1990), T3 40, T4 25, T7 24,
    # T8 65, N1 55, N2 45, N3 50, N4 60.
    values = reach_figures(Actor.for_user(world.analyst), period())

    def grid(figure: str) -> dict[str, tuple[int, ...]]:
        return {
            band: tuple(
                values[(figure, band, column)] for column in ("women", "men", "other", "all")
            )
            for band in ("under_25", "25_34", "35_44", "45_54", "55_plus", "all_ages")
        }

    assert grid("in_service") == {
        "under_25": (0, 0, 1, 1),  # T7
        "25_34": (1, 1, 0, 2),  # T2, T4
        "35_44": (2, 0, 0, 2),  # T1, T3
        "45_54": (0, 2, 0, 2),  # N2, N3
        "55_plus": (2, 0, 1, 3),  # N1, N4, T8
        "all_ages": (5, 3, 2, 10),
    }
    # Episodes started in the period: T1b, T3, T4e1, T4e2, T7, T8, N2, N3, N4.
    assert grid("new") == {
        "under_25": (0, 0, 1, 1),
        "25_34": (0, 2, 0, 2),
        "35_44": (2, 0, 0, 2),
        "45_54": (0, 2, 0, 2),
        "55_plus": (1, 0, 1, 2),
        "all_ages": (3, 4, 2, 9),
    }
    # Under way on 30.6.2025 without a case manager at its end: T3, T4 (left at noon), T8.
    assert grid("unmanaged") == {
        "under_25": (0, 0, 0, 0),
        "25_34": (0, 1, 0, 1),
        "35_44": (1, 0, 0, 1),
        "45_54": (0, 0, 0, 0),
        "55_plus": (0, 0, 1, 1),
        "all_ages": (1, 1, 1, 3),
    }


def test_the_reach_tables_withhold_small_figures_and_their_shares(world: PictureWorld):
    section = reach_section(Actor.for_user(world.analyst), period())

    assert section is not None
    in_service, new, unmanaged, shares = section.tables
    assert in_service.headers == [
        "Age on the last day",
        "Women",
        "Men",
        "Other or not stated",
        "All",
    ]
    # Every band is small; women (5) and all (10) stay, since no small figure follows
    # from them: the men and the others (3 + 2) are only known together.
    assert texts(in_service) == [
        ["Under 25", "0", "0", "<5", "<5"],
        ["25–34", "<5", "<5", "0", "<5"],
        ["35–44", "<5", "0", "0", "<5"],
        ["45–54", "0", "<5", "0", "<5"],
        ["55 and over", "<5", "0", "<5", "<5"],
        ["All ages", "5", "<5", "<5", "10"],
    ]
    assert texts(shares) == [
        ["Under 25", "0 %", "0 %", "<5", "<5"],
        ["25–34", "<5", "<5", "0 %", "<5"],
        ["35–44", "<5", "0 %", "0 %", "<5"],
        ["45–54", "0 %", "<5", "0 %", "<5"],
        ["55 and over", "<5", "0 %", "<5", "<5"],
        ["All ages", "50 %", "<5", "<5", "100 %"],
    ]
    assert row(new, "All ages") == ["All ages", "<5", "<5", "<5", "9"]
    assert row(unmanaged, "All ages") == ["All ages", "<5", "<5", "<5", "<5"]


def test_a_social_worker_sees_the_reach_of_their_organisations_clients(world: PictureWorld):
    values = reach_figures(Actor.for_user(world.social_worker), period())

    # T1, T2, T3, N1: women of 35, 34, 40 and 55.
    assert [values[("in_service", band, "women")] for band in ("25_34", "35_44", "55_plus")] == [
        1,
        2,
        1,
    ]
    assert values[("in_service", "all_ages", "all")] == 4


def test_a_filter_on_the_age_band_leaves_the_other_bands_empty(world: PictureWorld):
    values = reach_figures(Actor.for_user(world.analyst), period(age_band="45_54"))

    assert values[("in_service", "45_54", "men")] == 2
    assert values[("in_service", "all_ages", "all")] == 2


# --- results ------------------------------------------------------------------------------


@pytest.fixture(name="results")
def results_fixture(figures_world: FiguresWorld) -> FiguresWorld:
    fw = figures_world
    world = fw.world
    load_shipped_instruments()
    was = InstrumentVersion.latest_in_use()[WAS]
    for number, (gender, age, in_work, days, latest) in enumerate(PEOPLE):
        coaching = world.new_coaching(20 + number, started_on=day(100))
        client = coaching.client
        client.gender = gender
        client.birth_date = born(age)
        client.save(update_fields=["gender", "birth_date"])
        Coaching.objects.filter(pk=coaching.pk).update(ended_on=day(20), stage=Stage.ENDED)
        Transition.objects.create(
            coaching=coaching,
            occasion=Occasion.EXIT,
            kind=TransitionKind.OPEN_MARKET_WORK if in_work else TransitionKind.UNEMPLOYED,
            observed_on=day(20),
            recorded_by=world.coach,
        )
        PhaseChange.objects.create(
            episode=coaching.episode,
            phase=Phase.ASSESSMENT,
            started_on=day(days),
            recorded_by=world.coach,
        )
        for days_ago, total in [(50, 5), (10, latest)] if latest is not None else [(50, 5)]:
            Administration.objects.create(
                client=client,
                organisation=world.org_a,
                register=Register.EMPLOYMENT_SERVICES,
                instrument=was,
                occasion=MeasurementOccasion.PERIODIC,
                channel=Channel.TOGETHER,
                status=AdministrationStatus.COMPLETE,
                total=total,
                created_by=world.coach,
                completed_at=timezone.make_aware(datetime.combine(day(days_ago), time(12))),
            )
    return fw


def given(gap: Gap) -> tuple[float, float, float]:
    """A given gap's estimate and interval."""
    figures = bounds(gap)
    assert figures is not None
    return figures


def number(value: float) -> str:
    return f"{round(value, 1):.1f}"


def test_the_share_in_work_by_group_and_its_gaps(results: FiguresWorld):
    section = work_section(results.worker(), query())

    assert section is not None
    (table,) = section.tables
    assert table.headers == [
        "Groups compared",
        "Persons, first group",
        "Estimate, first group",
        "Persons, second group",
        "Estimate, second group",
        "Gap, percentage points",
        "95 % interval, from",
        "to",
        "Reading",
    ]
    # Women 5 of 10 in work, men 0 of 8.
    women_men, women_men_low, women_men_high = given(proportion_gap(5, 10, 0, 8))
    assert women_men == pytest.approx(0.5)
    assert row(table, "Women − men") == [
        "Women − men",
        "10",
        "50 %",
        "8",
        "0 %",
        "50.0",
        number(women_men_low * 100),
        number(women_men_high * 100),
        "A difference" if women_men_low > 0 else "No clear difference",
    ]
    # 25–34: the five women in work, 5 of 5; the rest 0 of 13.
    _young, young_low, young_high = given(proportion_gap(5, 5, 0, 13))
    assert row(table, "25–34 − the rest") == [
        "25–34 − the rest",
        "5",
        "100 %",
        "13",
        "0 %",
        "100.0",
        number(young_low * 100),
        number(young_high * 100),
        "A difference",
    ]
    assert young_low > 0
    # Under 25: two men, too few; the rest (16) would give them away from all 18, and so
    # would the rest's share (5 of 16: 31 %).
    under_25 = row(table, "Under 25 − the rest")
    assert under_25[:5] == ["Under 25 − the rest", "<5", "<5", "×", "×"]
    assert under_25[5:8] == ["–", "–", "–"]
    assert under_25[8].startswith("Not given: a group has fewer than 5 persons")
    # 45–54: 0 of 11; the rest 5 of 7 is withheld (two not in work), and so is the gap.
    middle = row(table, "45–54 − the rest")
    assert middle[:5] == ["45–54 − the rest", "11", "0 %", "7", "<5"]
    assert middle[8].startswith("Not given: a group's figure is withheld")
    # 35–44 and 55 and over: no one.
    assert row(table, "35–44 − the rest")[1:5] == ["0", "–", "18", "28 %"]
    # A chart of the two given gaps, and a sentence for each.
    assert len(section.charts) == 1
    assert section.readings == [
        "Women − men: the share in work of the first group minus that of the second is 50.0 "
        f"percentage points, with a 95 % interval from {number(women_men_low * 100)} to "
        f"{number(women_men_high * 100)}. The interval does not include zero, so the groups "
        "differ.",
        "25–34 − the rest: the share in work of the first group minus that of the second is "
        f"100.0 percentage points, with a 95 % interval from {number(young_low * 100)} to "
        f"{number(young_high * 100)}. The interval does not include zero, so the groups "
        "differ.",
    ]


def test_the_gap_in_days_in_the_phase(results: FiguresWorld):
    section = phase_section(results.worker(), query())

    assert section is not None
    (table,) = section.tables
    assert table.title == "Days in the phase: Assessment"
    women = [10.0, 20.0, 30.0, 40.0, 50.0, 12.0, 14.0, 16.0, 18.0, 20.0]
    men = [5.0] * 6 + [1.0, 3.0]
    gap, gap_low, gap_high = given(mean_gap(women, men))
    # Means: women 230 / 10 = 23.0, men 34 / 8 = 4.25.
    assert gap == pytest.approx(18.75)
    assert row(table, "Women − men") == [
        "Women − men",
        "10",
        "23.0",
        "8",
        "4.2",  # 4.25, rounded half to even
        "18.8",
        number(gap_low),
        number(gap_high),
        "A difference" if gap_low > 0 else "No clear difference",
    ]
    # 45–54 (W50 and M50: (80 + 30) / 11) against the rest (150 + 4) / 7.
    middle, middle_low, middle_high = given(
        mean_gap(
            [12.0, 14.0, 16.0, 18.0, 20.0] + [5.0] * 6, [10.0, 20.0, 30.0, 40.0, 50.0, 1.0, 3.0]
        )
    )
    assert row(table, "45–54 − the rest")[1:8] == [
        "11",
        number(110 / 11),
        "7",
        number(154 / 7),
        number(middle),
        number(middle_low),
        number(middle_high),
    ]
    assert row(table, "Under 25 − the rest")[8].startswith("Not given: a group has fewer")


def test_the_gap_in_measured_change(results: FiguresWorld):
    section = change_section(results.worker(), query())

    assert section is not None
    (table,) = section.tables
    # Changes: W30 +1 … +5, W50 0 × 5, M50 −1 × 6; the two young men were measured once.
    women = [1.0, 2.0, 3.0, 4.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    men = [-1.0] * 6
    gap, gap_low, gap_high = given(mean_gap(women, men))
    assert gap == pytest.approx(2.5)
    assert row(table, "Women − men") == [
        "Women − men",
        "10",
        "1.5",
        "6",
        "-1.0",
        "2.5",
        number(gap_low),
        number(gap_high),
        "A difference" if gap_low > 0 else "No clear difference",
    ]
    young, young_low, young_high = given(
        mean_gap([1.0, 2.0, 3.0, 4.0, 5.0], [0.0] * 5 + [-1.0] * 6)
    )
    assert row(table, "25–34 − the rest")[5:8] == [
        number(young),
        number(young_low),
        number(young_high),
    ]
    # No one under 25 was measured twice: no gap, and the reason why.
    assert row(table, "Under 25 − the rest")[1] == "0"
    assert row(table, "Under 25 − the rest")[8].startswith("Not given: a group has fewer")


def test_an_outsiders_results_are_not_counted(results: FiguresWorld):
    # The analyst counts everyone; the world's other organisation serves only one client,
    # who has no coaching: the same figures as the social worker's.
    analyst = work_section(results.analyst(), query())
    worker = work_section(results.worker(), query())

    assert analyst is not None
    assert worker is not None
    assert texts(analyst.tables[0]) == texts(worker.tables[0])


def test_no_results_no_result_sections(figures_world: FiguresWorld):
    keys = [section.key for section in equality(figures_world.worker(), query())]

    assert "gaps_work" not in keys
    assert "gaps_change" not in keys
    assert "gaps_phases" not in keys
