"""A small known world for the tests of the situational picture's sections: organisation A
(employment services, the job-coaching world's) serves the counted clients; organisation B
serves one client A has no ground for. A's social worker counts A's clients only; the
analyst counts everyone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from polku.accounts.enums import Role
from polku.accounts.models import User
from polku.clients.enums import Gender
from polku.clients.models import Client
from polku.clients.services import RelationshipTerms, register_client
from polku.core.tables import Table
from polku.employment.tests.coaching_world import World, make_world
from polku.insights.scope import Area, PictureQuery
from polku.policy.actors import Actor
from polku.policy.enums import LegalBasis, Purpose, Register

TODAY = timezone.localdate()
# The period of the tests: the last sixty days, today included.
STARTS_ON = TODAY - timedelta(days=60)


def day(days_ago: int) -> date:
    return TODAY - timedelta(days=days_ago)


def query(starts_on: date = STARTS_ON, ends_on: date = TODAY) -> PictureQuery:
    return PictureQuery(Area(), starts_on, ends_on)


def texts(table: Table) -> list[list[str]]:
    """Each row of a table (its footer last) as the texts of its cells."""
    return [[cell.text for cell in row] for row in [*table.rows, *table.footer]]


@dataclass
class FiguresWorld:
    world: World
    social_worker: User
    clients: list[Client]
    outsider: Client

    def worker(self) -> Actor:
        return Actor.for_user(self.social_worker)

    def analyst(self) -> Actor:
        return Actor.for_user(self.world.analyst)


GENDERS = [Gender.FEMALE, Gender.FEMALE, Gender.FEMALE, Gender.MALE, Gender.MALE]


def make_figures_world(
    make_organisation: Callable[..., Any], make_professional: Callable[..., User]
) -> FiguresWorld:
    world = make_world(make_organisation, make_professional)
    social_worker = make_professional("sw", Role.SOCIAL_WORKER, world.org_a, first_name="Sari")
    clients = []
    for number in range(8):
        client = world.new_client(number)
        client.gender = GENDERS[number] if number < len(GENDERS) else Gender.NOT_STATED
        client.save(update_fields=["gender"])
        clients.append(client)
    outsider = register_client(
        actor=Actor.for_user(world.other_coach).for_purpose(Purpose.EMPLOYMENT_SUPPORT),
        terms=RelationshipTerms(
            organisation=world.org_b,
            register=Register.SOCIAL_WELFARE,
            legal_basis=LegalBasis.MULTI_SECTOR_ACT,
        ),
        first_names="Ulla",
        last_name="Ulkopuolinen",
        birth_date=date(1980, 3, 3),
    ).client
    return FiguresWorld(world, social_worker, clients, outsider)


@pytest.fixture(name="figures_world")
def figures_world_fixture(
    programmes: None, make_organisation: Any, make_professional: Any
) -> FiguresWorld:
    return make_figures_world(make_organisation, make_professional)
