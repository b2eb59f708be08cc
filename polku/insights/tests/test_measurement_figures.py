"""The measurement section on a known world: per instrument the clients measured twice in
the period by gender, their reliable changes, and the mean change with its interval; an
instrument with fewer than five persons shows "<5" and no mean."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.utils import timezone

from polku.accounts.models import Organisation
from polku.clients.models import Client
from polku.insights.measurement_figures import measurement_section
from polku.insights.tests.figures_world import (
    FiguresWorld,
    day,
    figures_world_fixture,  # noqa: F401
    query,
    texts,
)
from polku.measures.enums import AdministrationStatus, Channel, Occasion
from polku.measures.models import Administration, InstrumentVersion
from polku.measures.services import load_shipped_instruments
from polku.policy.enums import Register

pytestmark = pytest.mark.django_db

WAS, WHODAS = "work-ability-score", "whodas-2-12"


def measure(
    fw: FiguresWorld,
    client: Client,
    code: str,
    scores: list[tuple[int, float]],
    organisation: Organisation | None = None,
) -> None:
    """Complete measurements of ``client``: (days ago, total) each."""
    instrument = InstrumentVersion.latest_in_use()[code]
    for days_ago, total in scores:
        Administration.objects.create(
            client=client,
            organisation=organisation or fw.world.org_a,
            register=Register.EMPLOYMENT_SERVICES,
            instrument=instrument,
            occasion=Occasion.PERIODIC,
            channel=Channel.TOGETHER,
            status=AdministrationStatus.COMPLETE,
            total=total,
            created_by=fw.world.coach,
            completed_at=timezone.make_aware(datetime.combine(day(days_ago), time(12))),
        )


@pytest.fixture
def measured(figures_world: FiguresWorld) -> FiguresWorld:
    fw = figures_world
    load_shipped_instruments()
    c = fw.clients  # women 0–2, men 3–4, not stated 5–7
    # Work Ability Score (higher is better; SD 2.08, r 0.89: S_diff = √2 × 2.08 × √0.11
    # = 0.9756, so a change of 2 points or more is reliable).
    measure(fw, c[0], WAS, [(50, 3), (30, 4), (10, 6)])  # first 3, latest 6: +3, improved
    measure(fw, c[1], WAS, [(80, 9), (40, 5), (5, 7)])  # 9 is before the period: +2, improved
    measure(fw, c[2], WAS, [(40, 4), (20, 5)])  # +1
    measure(fw, c[3], WAS, [(40, 6), (20, 6)])  # 0
    measure(fw, c[4], WAS, [(40, 7), (20, 4)])  # −3, deteriorated
    measure(fw, c[5], WAS, [(40, 2), (20, 5)])  # +3, improved
    measure(fw, c[6], WAS, [(20, 5)])  # once only
    # WHODAS (lower is better): two persons only.
    measure(fw, c[6], WHODAS, [(40, 30), (20, 25)])
    measure(fw, c[7], WHODAS, [(40, 20), (20, 20)])
    measure(fw, fw.outsider, WAS, [(40, 5), (20, 5)], organisation=fw.world.org_b)
    return fw


def test_change_by_instrument_with_reliable_changes_and_suppression(measured):
    section = measurement_section(measured.worker(), query())

    assert section is not None
    persons, changes = section.tables
    latest = InstrumentVersion.latest_in_use()
    was, whodas = latest[WAS].title, latest[WHODAS].title
    assert persons.headers == [
        "Instrument",
        "Women",
        "Men",
        "Other or not stated",
        "All",
        "Reliably improved",
        "Reliably deteriorated",
    ]
    # WAS: women 3, men 2, not stated 1 make six; improved 3, deteriorated 1 (and 2
    # without reliable change, not shown): no small figure follows from the six.
    # WHODAS: two not stated, neither changed reliably (30 → 25 is 5 / 2.99 = 1.67).
    assert sorted(texts(persons)) == sorted(
        [
            [was, "<5", "<5", "<5", "6", "<5", "<5"],
            [whodas, "0", "0", "<5", "<5", "0", "0"],
        ]
    )
    # Changes 3, 2, 1, 0, −3, 3: mean 1; SD √(26/5) = 2.2804; SE 2.2804/√6 = 0.9309;
    # t(5) = 2.5706: 1 ± 2.3931.
    rows = {row[0]: row[1:] for row in texts(changes)}
    assert rows[was] == ["6", "1.0", "-1.4", "3.4"]
    assert rows[whodas] == ["<5", "–", "–", "–"]
    was_row = next(row for row in changes.rows if row[0].text == was)
    assert was_row[3].value == pytest.approx(1 - 2.570582 * (26 / 5) ** 0.5 / 6**0.5)


def test_an_analyst_counts_the_measurements_of_a_client_outside_the_workers_scope(measured):
    section = measurement_section(measured.analyst(), query())

    assert section is not None
    title = InstrumentVersion.latest_in_use()[WAS].title
    rows = {row[0]: row[1:] for row in texts(section.tables[1])}
    # One more person, unchanged: changes 3, 2, 1, 0, −3, 3, 0, mean 6 / 7.
    assert rows[title][:2] == ["7", "0.9"]


def test_nobody_measured_twice_no_section(figures_world):
    load_shipped_instruments()
    measure(figures_world, figures_world.clients[0], WAS, [(10, 5)])

    assert measurement_section(figures_world.worker(), query()) is None
