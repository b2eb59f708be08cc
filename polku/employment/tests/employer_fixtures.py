"""Shared set-up of the employer tests: two organisations with a job coach each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Organisation, User
from polku.core.models import Industry, Municipality
from polku.employment import employer_services
from polku.employment.models import Employer, SizeBand
from polku.policy.actors import Actor

# Valid business IDs (check digits computed by hand with the weights 7, 9, 10, 5, 8, 4, 2).
VALID_ID = "2345678-0"  # remainder 0 → check digit 0
OTHER_VALID_ID = "1234567-1"  # 153 mod 11 = 10 → 11 − 10 = 1


@dataclass
class Coaches:
    org_a: Organisation
    org_b: Organisation
    coach_a: User
    coach_b: User

    def actor(self, user: User | None = None) -> Actor:
        return Actor.for_user(user or self.coach_a)

    def employer(self, name: str = "Pirkan Puutarha Oy", **fields: object) -> Employer:
        values: dict[str, object] = {
            "business_id": VALID_ID,
            "industry": Industry.objects.get(pk="81"),
            "size_band": SizeBand.SMALL,
            "municipality": Municipality.objects.get(pk="837"),
        }
        values.update(fields)
        return employer_services.create_employer(
            actor=self.actor(),
            name=name,
            **values,  # type: ignore[arg-type]
        )


@pytest.fixture(name="coaches")
def coaches_fixture(
    make_organisation: Callable[..., Organisation], make_professional: Callable[..., User]
) -> Coaches:
    org_a = make_organisation(name="Askel eteenpäin ry", kind=OrganisationKind.NGO)
    org_b = make_organisation(
        name="Tampereen työllisyyspalvelut", kind=OrganisationKind.MUNICIPAL_EMPLOYMENT
    )
    coach_a = make_professional(
        "aino", role=Role.JOB_COACH, organisation=org_a, first_name="Aino", last_name="Koutsi"
    )
    coach_b = make_professional(
        "ben", role=Role.JOB_COACH, organisation=org_b, first_name="Ben", last_name="Valmentaja"
    )
    return Coaches(org_a=org_a, org_b=org_b, coach_a=coach_a, coach_b=coach_b)
