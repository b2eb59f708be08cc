"""Set-up of the participant tests: a programme with a project administered by A (an
employment-services organisation) with B as partner, a second project of A, and the
people the policy matrix asks about.

A serves the client (employment-services register) and coaches them; the client is
enrolled in the project by A's project worker, with sensitive details recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Organisation, User
from polku.clients.enums import Gender
from polku.clients.identity_code import synthetic_identity_code
from polku.clients.models import Client
from polku.clients.services import RelationshipTerms, register_client
from polku.employment import coaching_services
from polku.employment.models import Coaching
from polku.pathways import services as pathways_services
from polku.pathways.models import Programme
from polku.policy.actors import Actor
from polku.policy.enums import LegalBasis, ProjectRoleKind, Purpose, Register
from polku.policy.models import ProjectRole
from polku.projects import participant_services
from polku.projects.enums import EducationLevel, FundingInstrument, LabourStatus
from polku.projects.models import FundingProgramme, Participant, Project

PROJECT_STARTS = date(2025, 1, 1)
PROJECT_ENDS = date(2027, 12, 31)


@dataclass
class ProjectWorld:
    org_a: Organisation
    org_b: Organisation
    org_gone: Organisation
    programme: FundingProgramme
    project: Project
    other_project: Project
    people: dict[str, User]
    client: Client
    other_client: Client
    pathway_programme: Programme
    participant: Participant | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def actor(self, name: str = "worker_a") -> Actor:
        return Actor.for_user(self.people[name]).for_purpose(Purpose.PROJECT_MONITORING)

    def register(
        self,
        last_name: str,
        number: int,
        *,
        first_names: str = "Pekka",
        birth_date: date = date(1990, 6, 15),
        **fields: Any,
    ) -> Client:
        return register_client(
            actor=Actor.for_user(self.people["worker_a"]),
            terms=RelationshipTerms(
                organisation=self.org_a,
                register=Register.EMPLOYMENT_SERVICES,
                legal_basis=LegalBasis.MULTI_SECTOR_ACT,
            ),
            first_names=first_names,
            last_name=last_name,
            birth_date=birth_date,
            identity_code=synthetic_identity_code(birth_date, 900 + number),
            **fields,
        ).client

    def coaching(self, client: Client, started_on: date) -> Coaching:
        actor = Actor.for_user(self.people["worker_a"]).for_purpose(Purpose.EMPLOYMENT_SUPPORT)
        episode = pathways_services.open_episode(
            actor=actor,
            client=client,
            programme=self.pathway_programme,
            organisation=self.org_a,
            started_on=started_on,
        )
        return coaching_services.start_coaching(
            actor=actor, episode=episode, coach=self.people["worker_a"], started_on=started_on
        )

    def enrol(self, client: Client | None = None, **fields: Any) -> Participant:
        values: dict[str, Any] = {
            "entered_on": date(2026, 3, 2),
            "labour_status": LabourStatus.LONG_TERM_UNEMPLOYED,
            "education_level": EducationLevel.ISCED_3,
        }
        values.update(fields)
        return participant_services.enrol(
            actor=self.actor(), project=self.project, client=client or self.client, **values
        )


def _role(
    user: User, organisation: Organisation, kind: ProjectRoleKind, **keys: Any
) -> ProjectRole:
    return ProjectRole.objects.create(
        user=user,
        organisation=organisation,
        kind=kind,
        created_by=user,
        valid_from=keys.pop("valid_from", PROJECT_STARTS),
        **keys,
    )


def make_project_world(make_organisation: Any, make_professional: Any) -> ProjectWorld:
    org_a = make_organisation("Työllisyyspalvelut A", OrganisationKind.EMPLOYMENT_SERVICES)
    org_b = make_organisation("Järjestö B", OrganisationKind.NGO)
    org_gone = make_organisation("Lakkautettu yhdistys", OrganisationKind.NGO)
    people = {
        "manager_a": make_professional(
            "manager-a", Role.PROJECT_MANAGER, org_a, first_name="Maija", last_name="Manninen"
        ),
        "worker_a": make_professional(
            "worker-a", Role.JOB_COACH, org_a, first_name="Ville", last_name="Valmentaja"
        ),
        "manager_b": make_professional(
            "manager-b", Role.PROJECT_MANAGER, org_b, first_name="Paula", last_name="Partneri"
        ),
        "worker_b": make_professional(
            "worker-b", Role.NGO_WORKER, org_b, first_name="Bertta", last_name="Berg"
        ),
        "coordinator": make_professional(
            "coordinator", Role.ANALYST, org_a, first_name="Kaisa", last_name="Koordinaattori"
        ),
        "other_project": make_professional(
            "other-project", Role.JOB_COACH, org_a, first_name="Toni", last_name="Toinen"
        ),
        "serving": make_professional(
            "serving", Role.SOCIAL_WORKER, org_a, first_name="Saara", last_name="Sosiaali"
        ),
        "admin": make_professional(
            "admin", Role.ADMINISTRATOR, org_a, first_name="Aapo", last_name="Admin", is_staff=True
        ),
        "ended": make_professional(
            "ended", Role.JOB_COACH, org_a, first_name="Eeva", last_name="Entinen"
        ),
        "gone": make_professional(
            "gone", Role.NGO_WORKER, org_gone, first_name="Gerda", last_name="Gone"
        ),
    }
    programme = FundingProgramme.objects.create(
        name="Työkykyohjelma", starts_on=date(2024, 1, 1), ends_on=date(2028, 12, 31)
    )
    common = {
        "programme": programme,
        "funder": "Sosiaali- ja terveysministeriö",
        "instrument": FundingInstrument.ESF_PLUS,
        "starts_on": PROJECT_STARTS,
        "ends_on": PROJECT_ENDS,
        "organisation": org_a,
        "created_by": people["manager_a"],
    }
    project = Project.objects.create(name="Työkyky käyttöön", code="S30001", **common)
    project.partners.add(org_b, org_gone)
    other_project = Project.objects.create(name="Nuoret töihin", code="S30002", **common)
    key = {"project_key": project.public_id}
    _role(people["manager_a"], org_a, ProjectRoleKind.MANAGER, **key)
    _role(people["worker_a"], org_a, ProjectRoleKind.WORKER, **key)
    _role(people["manager_b"], org_b, ProjectRoleKind.MANAGER, **key)
    _role(people["worker_b"], org_b, ProjectRoleKind.WORKER, **key)
    _role(
        people["coordinator"],
        org_a,
        ProjectRoleKind.COORDINATOR,
        programme_key=programme.public_id,
    )
    _role(
        people["other_project"],
        org_a,
        ProjectRoleKind.WORKER,
        project_key=other_project.public_id,
    )
    _role(
        people["ended"],
        org_a,
        ProjectRoleKind.WORKER,
        valid_until=timezone.localdate() - timedelta(days=1),
        **key,
    )
    _role(people["gone"], org_gone, ProjectRoleKind.WORKER, **key)
    org_gone.is_active = False
    org_gone.save(update_fields=["is_active"])

    world = ProjectWorld(
        org_a=org_a,
        org_b=org_b,
        org_gone=org_gone,
        programme=programme,
        project=project,
        other_project=other_project,
        people=people,
        client=None,  # type: ignore[arg-type]
        other_client=None,  # type: ignore[arg-type]
        pathway_programme=Programme.objects.get(code="multi-sector-joint-service"),
    )
    world.client = world.register(
        "Osallistuja",
        1,
        first_names="Olli",
        birth_date=date(1990, 6, 15),
    )
    world.other_client = world.register(
        "Muukalainen",
        2,
        first_names="Mirja",
        birth_date=date(1985, 2, 1),
    )
    Client.objects.filter(pk=world.client.pk).update(gender=Gender.MALE, municipality_id="837")
    world.client.refresh_from_db()
    return world


@pytest.fixture(name="pworld")
def project_world_fixture(
    programmes: None, make_organisation: Any, make_professional: Any
) -> ProjectWorld:
    return make_project_world(make_organisation, make_professional)


@pytest.fixture(name="enrolled")
def enrolled_fixture(pworld: ProjectWorld) -> ProjectWorld:
    """The client enrolled in the project by A's worker, with sensitive details."""
    actor = pworld.actor()
    pworld.participant = participant_services.enrol(
        actor=actor,
        project=pworld.project,
        client=pworld.client,
        entered_on=date(2026, 3, 2),
        labour_status=LabourStatus.LONG_TERM_UNEMPLOYED,
        education_level=EducationLevel.ISCED_3,
    )
    participant_services.record_sensitive(
        actor=actor,
        participant=pworld.participant,
        disability="yes",
        third_country_national="no",
        foreign_background="declined",
    )
    return pworld
