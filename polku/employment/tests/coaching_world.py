"""A world for the job-coaching tests: organisation A (employment services) serves the
client and coaches them; C reads A's employment data on the client's consent; B has a job
coach and no ground at all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Organisation, User
from polku.clients.models import Client
from polku.clients.services import RelationshipTerms, record_consent, register_client
from polku.employment import coaching_services
from polku.employment.models import Coaching
from polku.pathways import services as pathways_services
from polku.pathways.models import Episode, Programme
from polku.policy.actors import Actor
from polku.policy.enums import ConsentMethod, DataCategory, LegalBasis, Purpose, Register


@dataclass
class World:
    org_a: Organisation
    org_b: Organisation
    org_c: Organisation
    coach: User
    colleague: User
    analyst: User
    other_coach: User
    reader: User
    programme: Programme

    def actor(self, user: User | None = None) -> Actor:
        return Actor.for_user(user or self.coach).for_purpose(Purpose.EMPLOYMENT_SUPPORT)

    def new_client(self, number: int = 0) -> Client:
        return register_client(
            actor=self.actor(),
            terms=RelationshipTerms(
                organisation=self.org_a,
                register=Register.EMPLOYMENT_SERVICES,
                legal_basis=LegalBasis.MULTI_SECTOR_ACT,
            ),
            first_names="Pauli",
            last_name=f"Polkunen{number}",
            birth_date=date(1975, 6, 1 + number % 28),
        ).client

    def new_episode(self, client: Client, started_on: date | None = None) -> Episode:
        return pathways_services.open_episode(
            actor=self.actor(),
            client=client,
            programme=self.programme,
            organisation=self.org_a,
            started_on=started_on,
        )

    def new_coaching(self, number: int = 0, started_on: date | None = None) -> Coaching:
        episode = self.new_episode(self.new_client(number), started_on)
        return coaching_services.start_coaching(
            actor=self.actor(), episode=episode, coach=self.coach, started_on=started_on
        )

    def consent_to_c(self, client: Client) -> None:
        record_consent(
            actor=self.actor(),
            client=client,
            discloser=self.org_a,
            recipient=self.org_c,
            purpose=Purpose.EMPLOYMENT_SUPPORT,
            categories=[DataCategory.BASIC, DataCategory.EMPLOYMENT],
            method=ConsentMethod.SIGNED_PAPER,
        )


def make_world(
    make_organisation: Callable[..., Organisation], make_professional: Callable[..., User]
) -> World:
    org_a = make_organisation("Työllisyysalue A", OrganisationKind.EMPLOYMENT_SERVICES)
    org_b = make_organisation("Valmennus B", OrganisationKind.NGO)
    org_c = make_organisation("Kuntoutus C", OrganisationKind.HEALTH_CARE)
    people: dict[str, Any] = {
        "coach": make_professional("coach", Role.JOB_COACH, org_a, first_name="Jaana"),
        "colleague": make_professional(
            "colleague", Role.EMPLOYMENT_EXPERT, org_a, first_name="Kalle"
        ),
        "analyst": make_professional("analyst", Role.ANALYST, org_a, first_name="Anni"),
        "other_coach": make_professional("other", Role.JOB_COACH, org_b, first_name="Olli"),
        "reader": make_professional("reader", Role.PSYCHOLOGIST, org_c, first_name="Riikka"),
    }
    programme = Programme.objects.get(code="multi-sector-joint-service")
    return World(org_a, org_b, org_c, programme=programme, **people)
