"""Synthetic data at volume, deterministic for a given seed.

Everything is written with bulk inserts in batches. Every synthetic professional gets the
same password hash, computed once: hashing 20,000 passwords with Argon2 would take longer
than the rest of the run together.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.core.models import Municipality
from polku.synthetic.demo import AREA_KINDS, COUNTY_KINDS

SYNTHETIC_PASSWORD = "polku-synthetic-2026"  # noqa: S105 - synthetic accounts only
BATCH_SIZE = 5000
T = TypeVar("T")

# How common each kind of organisation is, and which roles its professionals hold.
# Employers host work trials but their staff answer through links, without accounts.
KIND_WEIGHTS: dict[OrganisationKind, int] = {
    OrganisationKind.EMPLOYMENT_SERVICES: 10,
    OrganisationKind.KELA: 4,
    OrganisationKind.SOCIAL_WELFARE: 14,
    OrganisationKind.HEALTH_CARE: 14,
    OrganisationKind.MUNICIPAL_EMPLOYMENT: 10,
    OrganisationKind.OHJAAMO: 4,
    OrganisationKind.NGO: 16,
    OrganisationKind.EDUCATION: 8,
    OrganisationKind.EMPLOYER: 16,
    OrganisationKind.OTHER: 4,
}
KIND_ROLES: dict[OrganisationKind, list[Role]] = {
    OrganisationKind.EMPLOYMENT_SERVICES: [
        Role.EMPLOYMENT_EXPERT,
        Role.WORK_ABILITY_COORDINATOR,
        Role.JOB_COACH,
        Role.PSYCHOLOGIST,
    ],
    OrganisationKind.KELA: [Role.KELA_ADVISOR],
    OrganisationKind.SOCIAL_WELFARE: [Role.SOCIAL_WORKER, Role.SOCIAL_COUNSELLOR],
    OrganisationKind.HEALTH_CARE: [
        Role.NURSE,
        Role.PHYSICIAN,
        Role.PSYCHOLOGIST,
        Role.WORK_ABILITY_COORDINATOR,
    ],
    OrganisationKind.MUNICIPAL_EMPLOYMENT: [
        Role.JOB_COACH,
        Role.SOCIAL_COUNSELLOR,
        Role.EMPLOYMENT_EXPERT,
    ],
    OrganisationKind.OHJAAMO: [Role.SOCIAL_COUNSELLOR, Role.JOB_COACH],
    OrganisationKind.NGO: [Role.NGO_WORKER, Role.JOB_COACH],
    OrganisationKind.EDUCATION: [Role.JOB_COACH, Role.SOCIAL_COUNSELLOR],
    OrganisationKind.EMPLOYER: [],
    OrganisationKind.OTHER: [Role.PSYCHOLOGIST, Role.WORK_ABILITY_COORDINATOR],
}
# One professional in this many holds a management or support role instead.
SUPPORT_ROLES = [Role.PROJECT_MANAGER, Role.ANALYST, Role.ADMINISTRATOR]
SUPPORT_ROLE_SHARE = 20
UNIT_NAMES = [
    "Asiakaspalvelu",
    "Työkykypalvelut",
    "Aikuissosiaalityö",
    "Kuntoutus",
    "Ohjaus",
    "Työhönvalmennus",
    "Vastaanotto",
    "Yritysyhteistyö",
    "Nuorten palvelut",
    "Arviointi",
]


@dataclass
class VolumeReport:
    """What one run created and how long each part took."""

    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def timed(self, name: str, work: Callable[[], int]) -> None:
        started = time.perf_counter()
        self.counts[name] = work()
        self.seconds[name] = time.perf_counter() - started


def username_for(seed: int, number: int) -> str:
    """The user name of synthetic professional ``number`` (1-based) of ``seed``."""
    return f"synth{seed}-{number:06d}"


def roles_for(unit: Unit) -> list[Role]:
    return KIND_ROLES[OrganisationKind(unit.organisation.kind)]


def batches(items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class VolumeSeeder:
    """Creates one seed's organisations and professionals; later capabilities add more."""

    def __init__(self, *, seed: int) -> None:
        self.seed = seed
        self.random = random.Random(seed)
        self.faker = Faker("fi_FI")
        self.faker.seed_instance(seed)
        self.units: list[Unit] = []

    def already_seeded(self) -> bool:
        return User.objects.filter(username=username_for(self.seed, 1)).exists()

    @transaction.atomic
    def organisations(self, count: int) -> int:
        """Create organisations of every kind across mainland municipalities, with units."""
        municipalities = list(Municipality.objects.exclude(wellbeing_county=None).order_by("code"))
        kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        organisations = []
        for _ in range(count):
            kind = self.random.choices(kinds, weights)[0]
            municipality = self.random.choice(municipalities)
            if kind in {OrganisationKind.EMPLOYER, OrganisationKind.NGO}:
                name = self.faker.company()
            else:
                name = f"{kind.label}, {municipality.name_fi}"
            organisations.append(
                Organisation(
                    name=name,
                    kind=kind,
                    municipality=municipality,
                    wellbeing_county_id=(
                        municipality.wellbeing_county_id if kind in COUNTY_KINDS else None
                    ),
                    employment_area_id=(
                        municipality.employment_area_id if kind in AREA_KINDS else None
                    ),
                )
            )
        created = Organisation.objects.bulk_create(organisations, batch_size=BATCH_SIZE)
        units = [
            Unit(organisation=organisation, name=unit_name)
            for organisation in created
            for unit_name in self.random.sample(UNIT_NAMES, self.random.randint(1, 4))
        ]
        self.units = Unit.objects.bulk_create(units, batch_size=BATCH_SIZE)
        return len(created)

    @transaction.atomic
    def professionals(self, count: int) -> int:
        """Create professionals, each a member of one unit with a role fitting its kind."""
        staffed = [unit for unit in self.units if roles_for(unit)]
        password = make_password(SYNTHETIC_PASSWORD)
        users, memberships = [], []
        for number in range(1, count + 1):
            first_name, last_name = self.faker.first_name(), self.faker.last_name()
            username = username_for(self.seed, number)
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@synthetic.polku.invalid",
                password=password,
            )
            unit = self.random.choice(staffed)
            if number % SUPPORT_ROLE_SHARE == 0:
                role = self.random.choice(SUPPORT_ROLES)
            else:
                role = self.random.choice(roles_for(unit))
            users.append(user)
            memberships.append(
                Membership(user=user, organisation_id=unit.organisation_id, unit=unit, role=role)
            )
        for user_batch in batches(users):
            User.objects.bulk_create(user_batch)
        for membership_batch in batches(memberships):
            Membership.objects.bulk_create(membership_batch)
        return len(users)
