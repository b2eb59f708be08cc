"""A small world: organisation A serves a client, B does not, C is a third party."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Organisation, User
from polku.clients.models import Client
from polku.clients.services import RelationshipTerms, record_consent, register_client
from polku.policy.actors import Actor
from polku.policy.enums import ConsentMethod, DataCategory, LegalBasis, Purpose, Register

SYNTHETIC_CODE = "010180-9015"  # individual number 901: reserved for test use


@dataclass
class World:
    org_a: Organisation
    org_b: Organisation
    org_c: Organisation
    worker_a: User
    worker_b: User
    worker_c: User
    analyst_a: User
    admin: User
    client: Client

    def consent_to_b(self, categories=(DataCategory.BASIC,), purpose=Purpose.SERVICE_COORDINATION):
        return record_consent(
            actor=Actor.for_user(self.worker_a),
            client=self.client,
            discloser=self.org_a,
            recipient=self.org_b,
            purpose=purpose,
            categories=list(categories),
            method=ConsentMethod.IN_PERSON,
        )


@pytest.fixture
def world(make_organisation, make_professional) -> World:
    org_a = make_organisation("Sosiaalipalvelut A", OrganisationKind.SOCIAL_WELFARE)
    org_b = make_organisation("Työllisyyspalvelut B", OrganisationKind.EMPLOYMENT_SERVICES)
    org_c = make_organisation("Järjestö C", OrganisationKind.NGO)
    worker_a = make_professional("worker-a", Role.SOCIAL_WORKER, org_a)
    worker_b = make_professional("worker-b", Role.EMPLOYMENT_EXPERT, org_b)
    worker_c = make_professional("worker-c", Role.NGO_WORKER, org_c)
    analyst_a = make_professional("analyst-a", Role.ANALYST, org_a)
    admin = make_professional("admin", Role.ADMINISTRATOR, org_a, is_staff=True)
    registration = register_client(
        actor=Actor.for_user(worker_a),
        terms=RelationshipTerms(
            organisation=org_a,
            register=Register.SOCIAL_WELFARE,
            legal_basis=LegalBasis.SOCIAL_WELFARE_ACT,
        ),
        first_names="Aino Maria",
        last_name="Testinen",
        birth_date=date(1980, 1, 1),
        identity_code=SYNTHETIC_CODE,
        details={"phone": "040 000 0901"},
    )
    return World(
        org_a, org_b, org_c, worker_a, worker_b, worker_c, analyst_a, admin, registration.client
    )
