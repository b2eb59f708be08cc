"""The totals that rates are computed against, and rates per 1,000, by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from polku.core.models import Municipality
from polku.insights.background_selectors import background_totals, per_thousand
from polku.insights.enums import BackgroundKind
from polku.insights.tests.fixtures_background import load

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(analyst) -> None:
    # Tampere has both years; Nokia only 2023; Ylöjärvi only 2024.
    load(analyst, "Alue;Vuosi;Väkiluku\n837;2023;1000\n837;2024;1100\n536;2023;500\n980;2024;300\n")
    load(
        analyst,
        "Alue;Kuukausi;Työttömät työnhakijat;Pitkäaikaistyöttömät\n"
        "837;2025M03;100;40\n"
        "837;2025M04;110;..\n"
        "980;2025M03;20;..\n"
        "980;2025M04;30;..\n",
    )


def test_totals_of_the_latest_periods_with_how_many_municipalities_have_them(loaded):
    totals = background_totals(["837", "980"], date(2025, 4, 30))

    population = totals.population
    assert (population.value, population.year, population.month) == (1400, 2024, None)
    assert (population.municipalities_with, population.municipalities_asked) == (2, 2)
    assert population.complete
    assert population.period == "2024"
    unemployed = totals.unemployed
    assert (unemployed.value, unemployed.year, unemployed.month) == (140, 2025, 4)
    assert (unemployed.municipalities_with, unemployed.complete) == (2, True)
    assert unemployed.period == "4/2025"
    long_term = totals.long_term_unemployed
    assert (long_term.value, long_term.year, long_term.month) == (40, 2025, 3)
    assert (long_term.municipalities_with, long_term.municipalities_asked) == (1, 2)
    assert not long_term.complete


def test_a_period_after_the_day_is_not_used(loaded):
    totals = background_totals(["837", "980"], date(2025, 3, 31))

    assert (totals.unemployed.value, totals.unemployed.month) == (120, 3)
    # the month of the day counts: its figures are of its end
    assert background_totals(["837"], date(2025, 4, 1)).unemployed.value == 110


def test_a_municipality_without_the_latest_year_makes_the_total_incomplete(loaded):
    totals = background_totals(["837", "536", "980"], date(2025, 6, 1))

    assert (totals.population.value, totals.population.year) == (1400, 2024)
    assert (totals.population.municipalities_with, totals.population.municipalities_asked) == (
        2,
        3,
    )
    assert not totals.population.complete
    earlier = background_totals(["837", "536", "980"], date(2023, 12, 31)).population
    assert (earlier.value, earlier.year, earlier.municipalities_with) == (1500, 2023, 2)
    assert earlier.municipalities_asked == 3


def test_every_municipality_when_none_are_named(loaded):
    totals = background_totals(None, date(2025, 12, 31))

    assert totals.population.value == 1400
    assert totals.population.municipalities_with == 2
    assert totals.population.municipalities_asked == Municipality.objects.count() == 308
    assert totals.unemployed.value == 140


def test_nothing_loaded_for_the_municipalities_or_before_the_day(loaded):
    totals = background_totals(["091"], date(2025, 12, 31))

    assert totals.population.value is None
    assert totals.population.year is None
    assert (totals.population.municipalities_with, totals.population.municipalities_asked) == (
        0,
        1,
    )
    assert not totals.population.complete
    assert background_totals(["837"], date(2022, 12, 31)).population.value is None
    assert background_totals(["837"], date(2025, 2, 28)).unemployed.kind == (
        BackgroundKind.UNEMPLOYED
    )
    assert background_totals(["837"], date(2025, 2, 28)).unemployed.value is None
    assert background_totals([], date(2025, 12, 31)).population.municipalities_asked == 0


@pytest.mark.parametrize(
    ("count", "base", "expected"),
    [
        (45, 1400, Decimal("32.1")),  # 32.142…
        (1, 8, Decimal("125.0")),
        (1, 3, Decimal("333.3")),
        (1, 20000, Decimal("0.1")),  # 0.05 rounds half up
        (1, 40000, Decimal("0.0")),  # 0.025
        (0, 100, Decimal("0.0")),
        (5, 0, None),
        (5, None, None),
        (None, 100, None),
    ],
)
def test_per_thousand(count, base, expected):
    assert per_thousand(count, base) == expected
