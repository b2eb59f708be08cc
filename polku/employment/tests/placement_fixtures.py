"""Set-up of the placement tests: the job-coaching world with two employers and an
educational institution in the employer register, and helpers to record placements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from polku.core.models import Municipality, Occupation
from polku.employment import employer_services, placement_services
from polku.employment.models import Coaching, Employer, Placement
from polku.employment.placement_enums import EndReason, PlacementKind, PlacementTerms
from polku.employment.tests.coaching_world import World, make_world

# Transport and storage labourers (Classification of Occupations 2010, a minor group).
WAREHOUSE = "933"


@pytest.fixture(name="world")
def world_fixture(programmes: None, make_organisation: Any, make_professional: Any) -> World:
    return make_world(make_organisation, make_professional)


@pytest.fixture(name="employers")
def employers_fixture(world: World) -> dict[str, Employer]:
    tampere = Municipality.objects.get(pk="837")
    return {
        name: employer_services.create_employer(
            actor=world.actor(), name=name, municipality=tampere
        )
        for name in ("Varastopalvelu Testinen Oy", "Keittiö Kokeilu Oy", "Testiopisto")
    }


def start_job(world: World, coaching: Coaching, employer: Employer, **fields: Any) -> Placement:
    values: dict[str, Any] = {
        "occupation": Occupation.objects.get(pk=WAREHOUSE),
        "terms": PlacementTerms.OPEN_MARKET,
        "hours_per_week": Decimal("30.0"),
    }
    values.update(fields)
    return placement_services.start_placement(
        actor=world.actor(), coaching=coaching, kind=PlacementKind.JOB, employer=employer, **values
    )


def make_placement(
    coaching: Coaching,
    employer: Employer,
    started_on: date,
    ended_on: date | None = None,
    end_reason: EndReason | str = "",
    kind: PlacementKind = PlacementKind.JOB,
) -> Placement:
    """A placement written directly, for the figures' known data (dates long past)."""
    job = kind == PlacementKind.JOB
    return Placement.objects.create(
        coaching=coaching,
        client=coaching.client,
        organisation=coaching.organisation,
        register=coaching.register,
        kind=kind,
        employer=employer,
        occupation=Occupation.objects.get(pk=WAREHOUSE) if job else None,
        terms=PlacementTerms.OPEN_MARKET if job else "",
        hours_per_week=Decimal("30.0") if job else None,
        started_on=started_on,
        ended_on=ended_on,
        end_reason=end_reason,
        recorded_by=coaching.coach,
    )
