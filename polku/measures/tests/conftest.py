"""A client served by organisation A, with the shipped instruments loaded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Organisation, User
from polku.clients.models import Client
from polku.clients.services import RelationshipTerms, register_client
from polku.measures.services import load_shipped_instruments
from polku.policy.actors import Actor
from polku.policy.enums import LegalBasis, Register


@dataclass
class Setting:
    org_a: Organisation
    worker: User
    outsider: User
    admin: User
    client: Client

    def actor(self, user: User | None = None) -> Actor:
        return Actor.for_user(user or self.worker)


@pytest.fixture
def setting(programmes, make_organisation, make_professional) -> Setting:
    load_shipped_instruments()
    org_a = make_organisation("Työllisyysalue A", OrganisationKind.EMPLOYMENT_SERVICES)
    org_c = make_organisation("Järjestö C", OrganisationKind.NGO)
    worker = make_professional("worker", Role.JOB_COACH, org_a, first_name="Jussi")
    outsider = make_professional("outsider", Role.NGO_WORKER, org_c)
    admin = make_professional("admin", Role.ADMINISTRATOR, org_a, is_staff=True)
    client = register_client(
        actor=Actor.for_user(worker),
        terms=RelationshipTerms(
            organisation=org_a,
            register=Register.EMPLOYMENT_SERVICES,
            legal_basis=LegalBasis.MULTI_SECTOR_ACT,
        ),
        first_names="Mira",
        last_name="Mittari",
        birth_date=date(1988, 2, 2),
    ).client
    return Setting(org_a, worker, outsider, admin, client)
