"""A world for the tracking tests: a programme with a project administered by organisation
A (the job-coaching world's employment services) with partner B, and another project.

People: the project's manager (A), a worker (A), a partner's worker (B), the programme's
coordinator (C), an outsider with no role, and the other project's manager. The
job-coaching world's coach serves the clients, who are enrolled as participants."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Organisation, User
from polku.clients.enums import Gender
from polku.clients.models import Client
from polku.employment.tests.coaching_world import World, make_world
from polku.policy.actors import Actor
from polku.policy.enums import ProjectRoleKind, Purpose
from polku.policy.models import ProjectRole
from polku.projects.enums import FundingInstrument
from polku.projects.models import FundingProgramme, Participant, Project

TODAY = timezone.localdate()
PROJECT_START = TODAY - timedelta(days=365)
PROJECT_END = TODAY + timedelta(days=365)


@dataclass
class ProjectWorld:
    world: World
    programme: FundingProgramme
    project: Project
    other_project: Project
    org_d: Organisation
    manager: User
    worker: User
    partner_worker: User
    coordinator: User
    outsider: User
    other_manager: User

    def actor(self, user: User | None = None) -> Actor:
        return Actor.for_user(user or self.manager).for_purpose(Purpose.PROJECT_MONITORING)

    def enrol(
        self,
        client: Client,
        *,
        entered_on: date = PROJECT_START,
        project: Project | None = None,
        **fields: Any,
    ) -> Participant:
        return Participant.objects.create(
            project=project or self.project,
            client=client,
            organisation=self.world.org_a,
            entered_on=entered_on,
            gender=fields.pop("gender", Gender.FEMALE),
            age_at_entry=fields.pop("age_at_entry", 40),
            enrolled_by=self.manager,
            **fields,
        )


def _role(user: User, organisation: Organisation, kind: str, **keys: Any) -> None:
    ProjectRole.objects.create(
        user=user,
        organisation=organisation,
        kind=kind,
        valid_from=PROJECT_START,
        created_by=user,
        **keys,
    )


def make_project_world(
    make_organisation: Callable[..., Organisation], make_professional: Callable[..., User]
) -> ProjectWorld:
    world = make_world(make_organisation, make_professional)
    org_d = make_organisation("Kehittämisyhtiö D", OrganisationKind.NGO)
    manager = make_professional("pm", Role.PROJECT_MANAGER, world.org_a, first_name="Pirjo")
    worker = make_professional("pw", Role.EMPLOYMENT_EXPERT, world.org_a, first_name="Ville")
    partner_worker = make_professional("bw", Role.NGO_WORKER, world.org_b, first_name="Berit")
    coordinator = make_professional("co", Role.ANALYST, world.org_c, first_name="Kaisa")
    outsider = make_professional("out", Role.PROJECT_MANAGER, org_d, first_name="Ulla")
    other_manager = make_professional("opm", Role.PROJECT_MANAGER, org_d, first_name="Onni")
    programme = FundingProgramme.objects.create(
        name="Työkykyohjelma (synteettinen)",
        starts_on=PROJECT_START - timedelta(days=30),
        ends_on=PROJECT_END + timedelta(days=30),
    )
    project = Project.objects.create(
        programme=programme,
        name="Polku töihin",
        code="S30999",
        funder="Etelä-Pohjanmaan ELY-keskus",
        instrument=FundingInstrument.ESF_PLUS,
        starts_on=PROJECT_START,
        ends_on=PROJECT_END,
        organisation=world.org_a,
        created_by=manager,
    )
    project.partners.add(world.org_b)
    other_project = Project.objects.create(
        programme=programme,
        name="Toinen hanke",
        funder="STM",
        instrument=FundingInstrument.STATE_GRANT,
        starts_on=PROJECT_START,
        ends_on=PROJECT_END,
        organisation=org_d,
        created_by=other_manager,
    )
    key = {"project_key": project.public_id}
    _role(manager, world.org_a, ProjectRoleKind.MANAGER, **key)
    _role(worker, world.org_a, ProjectRoleKind.WORKER, **key)
    _role(partner_worker, world.org_b, ProjectRoleKind.WORKER, **key)
    _role(coordinator, world.org_c, ProjectRoleKind.COORDINATOR, programme_key=programme.public_id)
    _role(other_manager, org_d, ProjectRoleKind.MANAGER, project_key=other_project.public_id)
    return ProjectWorld(
        world=world,
        programme=programme,
        project=project,
        other_project=other_project,
        org_d=org_d,
        manager=manager,
        worker=worker,
        partner_worker=partner_worker,
        coordinator=coordinator,
        outsider=outsider,
        other_manager=other_manager,
    )
