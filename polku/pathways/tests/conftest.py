"""A client served by organisation A with colleagues, and organisation B to refer to."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Organisation, User
from polku.clients.models import Client
from polku.clients.services import RelationshipTerms, register_client
from polku.pathways.models import Programme
from polku.policy.actors import Actor
from polku.policy.enums import LegalBasis, Register


@dataclass
class Team:
    org_a: Organisation
    org_b: Organisation
    manager: User
    colleague: User
    receiver: User
    outsider: User
    client: Client
    programme: Programme

    def actor(self, user: User | None = None) -> Actor:
        return Actor.for_user(user or self.manager)


@pytest.fixture
def team(programmes, make_organisation, make_professional) -> Team:
    org_a = make_organisation("Työllisyysalue A", OrganisationKind.EMPLOYMENT_SERVICES)
    org_b = make_organisation("Kuntoutus B", OrganisationKind.HEALTH_CARE)
    org_c = make_organisation("Järjestö C", OrganisationKind.NGO)
    manager = make_professional("manager", Role.EMPLOYMENT_EXPERT, org_a, first_name="Maija")
    colleague = make_professional(
        "colleague", Role.WORK_ABILITY_COORDINATOR, org_a, first_name="Kalle"
    )
    receiver = make_professional("receiver", Role.PHYSICIAN, org_b, first_name="Olli")
    outsider = make_professional("outsider", Role.NGO_WORKER, org_c, first_name="Ulla")
    client = register_client(
        actor=Actor.for_user(manager),
        terms=RelationshipTerms(
            organisation=org_a,
            register=Register.EMPLOYMENT_SERVICES,
            legal_basis=LegalBasis.MULTI_SECTOR_ACT,
        ),
        first_names="Pauli",
        last_name="Polkunen",
        birth_date=__import__("datetime").date(1975, 6, 1),
    ).client
    programme = Programme.objects.get(code="multi-sector-joint-service")
    return Team(org_a, org_b, manager, colleague, receiver, outsider, client, programme)
