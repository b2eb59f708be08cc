"""Clients in service per 1,000 of the area's background figures, in the picture's first
section: given only for an area with residents, without filters on the clients, when every
municipality has the figure and the count itself is published."""

from __future__ import annotations

import pytest

from polku.insights.enums import BackgroundKind
from polku.insights.models import BackgroundFigure, BackgroundImport
from polku.insights.picture import episodes_section
from polku.insights.scope import Area, AreaKind
from polku.insights.tests.fixtures_picture import NOKIA, TAMPERE, make_picture_world, period
from polku.policy.actors import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_organisation, make_professional):
    world = make_picture_world(make_organisation, make_professional)
    batch = BackgroundImport.objects.create(
        imported_by_name="Testi",
        file_name="luvut.csv",
        sha256="0" * 64,
        kind="population",
        rows=3,
        added=3,
        replaced=0,
    )
    for municipality, kind, year, month, value in [
        (TAMPERE, BackgroundKind.POPULATION, 2024, None, 4000),
        (TAMPERE, BackgroundKind.UNEMPLOYED, 2025, 6, 300),
        (TAMPERE, BackgroundKind.UNEMPLOYED, 2025, 7, 999),  # after the period: not used
        (NOKIA, BackgroundKind.POPULATION, 2024, None, 1000),
    ]:
        BackgroundFigure.objects.create(
            municipality_id=municipality,
            kind=kind,
            year=year,
            month=month,
            value=value,
            batch=batch,
        )
    return world


def rates(world, area: Area, **filters: str) -> list[list[str]] | None:
    section = episodes_section(Actor.for_user(world.analyst), period(area, **filters))
    assert section is not None
    table = next((table for table in section.tables if table.key == "rates"), None)
    return None if table is None else [[cell.text for cell in row] for row in table.rows]


def test_tampere_per_1000_residents_and_unemployed(world):
    # Six clients of Tampere were in service in January–June 2025: against the latest
    # population up to the period (2024) and the unemployed of its last month (June).
    assert rates(world, Area(AreaKind.MUNICIPALITY, TAMPERE)) == [
        ["Per 1,000 residents (population at the end of 2024)", "4000", "1.5"],
        ["Per 1,000 unemployed jobseekers (at the end of 6/2025)", "300", "20.0"],
    ]


def test_no_rate_with_a_filter_on_the_clients_or_a_withheld_count(world):
    tampere = Area(AreaKind.MUNICIPALITY, TAMPERE)

    assert rates(world, tampere, gender="female") is None
    assert rates(world, tampere, age_band="25_34") is None
    # Nokia's four clients are withheld ("<5"): no rate gives them away.
    assert rates(world, Area(AreaKind.MUNICIPALITY, NOKIA)) is None


def test_no_rate_unless_every_municipality_of_the_area_has_the_figure(world):
    # Pirkanmaa has more municipalities than Tampere and Nokia.
    assert rates(world, Area(AreaKind.WELLBEING_COUNTY, "08")) is None
