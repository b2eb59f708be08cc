"""The situational picture's figures on the known world of ``fixtures_picture``, every one
computed by hand; what the tables withhold; the trend's months protecting a small month."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from polku.clients.enums import Gender
from polku.clients.models import Client
from polku.insights.picture import (
    ALL,
    MEN,
    NO_PHASE,
    OTHER,
    WOMEN,
    episode_figures,
    episodes_section,
    phase_figures,
    phases_section,
    picture,
    trend_figures,
    trend_section,
)
from polku.insights.scope import Area, AreaKind, Filters, PictureQuery
from polku.insights.tests.fixtures_picture import (
    HELSINKI,
    NOKIA,
    PictureWorld,
    make_picture_world,
    moment,
    period,
)
from polku.pathways.models import CaseManagerAssignment, Episode
from polku.policy.actors import Actor
from polku.policy.enums import Register

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_organisation, make_professional) -> PictureWorld:
    return make_picture_world(make_organisation, make_professional)


def by_gender(values: dict[Any, int], name: Any) -> tuple[int, int, int, int]:
    return tuple(values[(name, column)] for column in (WOMEN, MEN, OTHER, ALL))  # type: ignore[return-value]


def texts(table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in [*table.rows, *table.footer]]


def test_the_episode_figures_of_the_whole_country(world: PictureWorld):
    values = episode_figures(Actor.for_user(world.analyst), period())

    # T1 T2 T3 N1 N4 | T4 N2 N3 | T7 T8; not T5 (ended before), T6 (after), the merged one.
    assert by_gender(values, "in_service") == (5, 3, 2, 10)
    # T1b T3 N4 | T4e1 T4e2 N2 N3 | T7 T8 (T8 starts on the last day).
    assert by_gender(values, "new") == (3, 4, 2, 9)
    # On 30.6.: T1 T3 N4 (ends that day) | T4 N2 N3 | T7 T8.
    assert by_gender(values, "under_way") == (3, 3, 2, 8)
    # T3 never had one, T4's left at noon, T8 has none; T1 has one on her other episode.
    assert by_gender(values, "unmanaged") == (1, 1, 1, 3)
    assert by_gender(values, "managed") == (2, 2, 1, 5)
    # T2 N1 (ended on the first day) N4 (on the last) | T4e1.
    assert by_gender(values, "ended") == (3, 1, 0, 4)
    assert by_gender(values, "ended_open_labour_market") == (1, 0, 0, 1)
    assert by_gender(values, "ended_education") == (0, 1, 0, 1)
    assert by_gender(values, "ended_pension") == (1, 0, 0, 1)
    assert by_gender(values, "ended_subsidised_work") == (1, 0, 0, 1)
    assert by_gender(values, "ended_moved") == (0, 0, 0, 0)


def test_the_phases_on_the_last_day_with_their_medians(world: PictureWorld):
    values, medians = phase_figures(Actor.for_user(world.analyst), period())

    # T1 is in two phases (two episodes), so the phases add up to more than the total.
    assert by_gender(values, "assessment") == (1, 2, 0, 3)  # T1b, T4e2, N3
    assert by_gender(values, "rehabilitation") == (2, 0, 1, 3)  # T1a, N4, T7
    assert by_gender(values, "employment") == (0, 1, 0, 1)  # N2, from the last day
    assert by_gender(values, "education") == (0, 0, 0, 0)
    # T3's phase begins after the last day; T8 has none.
    assert by_gender(values, NO_PHASE) == (1, 0, 1, 2)
    assert by_gender(values, ALL) == (3, 3, 2, 8)
    # Days in the phase on 30.6.: assessment 60 (T1b), 29 (T4e2), 56 (N3); rehabilitation
    # 149 (T1a, T7), 166 (N4); employment 0; no phase 121 (T3 since 1.3.) and 0 (T8).
    assert medians["assessment"] == 56
    assert medians["rehabilitation"] == 149
    assert medians["employment"] == 0
    assert medians[NO_PHASE] == 60.5
    assert medians["follow_up"] is None


def test_the_trend_by_month(world: PictureWorld):
    months, values = trend_figures(Actor.for_user(world.analyst), period())

    assert months == [2025 * 12 + month for month in range(6)]
    # T1's two episodes overlap in May and June: she counts once.
    assert [values[(m, "in_service")] for m in months] == [5, 5, 5, 6, 7, 8]
    assert [values[(m, "new")] for m in months] == [2, 1, 1, 1, 2, 2]
    assert [values[(m, "ended")] for m in months] == [1, 1, 0, 0, 1, 1]
    assert [values[("period", name)] for name in ("in_service", "new", "ended")] == [10, 9, 4]


def test_small_figures_are_withheld_in_the_tables(world: PictureWorld):
    section = episodes_section(Actor.for_user(world.analyst), period())

    assert section is not None
    overview = texts(section.tables[0])
    assert overview == [
        ["Clients in service in the period", "5", "<5", "<5", "10"],
        ["Episodes started in the period", "<5", "<5", "<5", "9"],
    ]
    assert section.tables[1].title == "Case managers on 30.6.2025"
    assert texts(section.tables[1]) == [
        ["Clients with an episode under way", "<5", "<5", "<5", "8"],
        ["Of them, clients without a case manager", "<5", "<5", "<5", "<5"],
    ]
    ended = texts(section.tables[2])
    assert ended[0] == ["Work in the open labour market", "<5", "0", "0", "<5"]
    assert ended[3] == ["Rehabilitation", "0", "0", "0", "0"]
    # Three women and one man ended: every figure but the zeros is about fewer than five.
    assert ended[-1] == ["All ended episodes", "<5", "<5", "0", "<5"]


def test_the_phase_table_gives_a_median_only_for_five_clients_or_more(world: PictureWorld):
    section = phases_section(Actor.for_user(world.analyst), period())

    assert section is not None
    table = section.tables[0]
    assert table.headers[-1] == "Median days in the phase"
    assert [row[-1].text for row in table.rows] == ["–"] * 6
    assert texts(table)[-1][:5] == ["All clients with an episode under way", "<5", "<5", "<5", "8"]


def helsinki_world(world: PictureWorld) -> PictureQuery:
    """Six women start in January 2025 in Helsinki, three in February."""
    for index, started_on in enumerate([date(2025, 1, 10)] * 6 + [date(2025, 2, 10)] * 3):
        client = Client.objects.create(
            first_names="Testi",
            last_name=f"Helsinki-{index}",
            birth_date=date(1980, 1, 1),
            gender=Gender.FEMALE,
            municipality_id=HELSINKI,
        )
        Episode.objects.create(
            client=client,
            programme=world.programme,
            organisation=world.social,
            register=Register.SOCIAL_WELFARE,
            started_on=started_on,
            created_by=world.analyst,
        )
    return PictureQuery(
        Area(AreaKind.MUNICIPALITY, HELSINKI), date(2025, 1, 1), date(2025, 2, 28), Filters()
    )


def test_a_small_month_is_not_given_away_by_the_period_and_the_other_months(
    world: PictureWorld,
):
    query = helsinki_world(world)

    section = trend_section(Actor.for_user(world.analyst), query)

    assert section is not None
    # February's three new episodes are "<5"; January's six would give them away from the
    # period's nine, so January's is withheld as well ("×"). In service do not add up.
    assert texts(section.tables[0]) == [
        ["1/2025", "6", "×", "0"],
        ["2/2025", "9", "<5", "0"],
        ["Whole period", "9", "9", "0"],
    ]
    # The chart leaves the withheld figures out too, and says so.
    chart = section.charts[0]
    assert chart.data_uri.startswith("data:image/svg+xml;base64,")
    assert "withheld there are left out of the chart" in chart.description


def test_filters_change_the_figures(world: PictureWorld):
    actor = Actor.for_user(world.analyst)

    def in_service(query: PictureQuery) -> tuple[int, int, int, int]:
        return by_gender(episode_figures(actor, query), "in_service")

    assert in_service(period(gender=Gender.FEMALE)) == (5, 0, 0, 5)
    assert in_service(period(Area(AreaKind.MUNICIPALITY, NOKIA))) == (2, 2, 0, 4)
    # 25–34 on 30.6.2025: T2 (34) and T4 (25); T1 turned 35 that day, T7 is 24.
    assert in_service(period(age_band="25_34")) == (1, 1, 0, 2)
    assert in_service(period(age_band="under_25")) == (0, 0, 1, 1)
    # Only the NGO's episodes (T1b, T4e2): neither has a case manager of its own.
    ngo = episode_figures(actor, period(organisation_kind="ngo"))
    assert by_gender(ngo, "in_service") == (1, 1, 0, 2)
    assert by_gender(ngo, "unmanaged") == (1, 1, 0, 2)


def test_a_social_worker_counts_only_their_organisations_clients(world: PictureWorld):
    values = episode_figures(Actor.for_user(world.social_worker), period())

    # T1 T2 T3 N1, against the analyst's ten.
    assert by_gender(values, "in_service") == (4, 0, 0, 4)
    assert by_gender(values, "ended") == (2, 0, 0, 2)


def test_nothing_to_count_gives_no_sections(world: PictureWorld):
    query = PictureQuery(Area(), date(2020, 1, 1), date(2020, 12, 31), Filters())

    sections = picture(Actor.for_user(world.analyst), query)

    # Only the alerts say why they have nothing: the period is not today's.
    assert [(section.key, section.tables) for section in sections] == [("alerts", [])]


def test_the_clients_with_a_case_manager_are_protected_as_the_difference(world: PictureWorld):
    """Nine in Helsinki under way at the end of February, three of them with a case
    manager: the six without one would give the three away from the nine."""
    query = helsinki_world(world)
    names = ["Helsinki-0", "Helsinki-1", "Helsinki-2"]
    for episode in Episode.objects.filter(client__last_name__in=names):
        CaseManagerAssignment.objects.create(
            episode=episode,
            user=world.social_worker,
            organisation=world.social,
            started_at=moment(2025, 1, 10),
            assigned_by=world.social_worker,
        )

    values = episode_figures(Actor.for_user(world.analyst), query)
    section = episodes_section(Actor.for_user(world.analyst), query)

    assert by_gender(values, "under_way") == (9, 0, 0, 9)
    assert by_gender(values, "unmanaged") == (6, 0, 0, 6)
    assert section is not None
    # The three with one are "<5" nowhere to be seen: the six without one are withheld
    # ("×") with what would give them away, and the nine stay.
    assert texts(section.tables[1]) == [
        ["Clients with an episode under way", "9", "0", "0", "9"],
        ["Of them, clients without a case manager", "×", "×", "0", "×"],
    ]
