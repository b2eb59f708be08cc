"""Factories and a small world for the programme and project pages, for anyone's tests.

The world: a programme with one project, administered by a municipal employment service
("Tampere") with an NGO partner ("Polku ry"); a third organisation ("Outside") has no part
in it. People (all synthetic): the project's manager and a worker of the administering
organisation, a worker of the partner, the programme's coordinator (of a fourth
organisation), an outsider project manager, and an administrator.

Build it in a test module's own fixture with ``make_project_world(make_organisation,
make_professional)`` (the repository's fixtures), or import the ``project_world`` fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership, Organisation, User
from polku.clients.models import Client
from polku.clients.services import RelationshipTerms, register_client
from polku.core.models import Municipality
from polku.policy.actors import Actor
from polku.policy.enums import LegalBasis, ProjectRoleKind, Register
from polku.policy.models import ProjectRole
from polku.projects.enums import FundingInstrument
from polku.projects.models import BudgetYear, FundingProgramme, Participant, Project

TODAY = timezone.localdate()


def make_programme(
    name: str = "Työkykyohjelma", *, starts_on: date | None = None, ends_on: date | None = None
) -> FundingProgramme:
    return FundingProgramme.objects.create(
        name=name,
        starts_on=starts_on or date(TODAY.year - 2, 1, 1),
        ends_on=ends_on or date(TODAY.year + 3, 12, 31),
    )


def make_project(
    *,
    programme: FundingProgramme,
    organisation: Organisation,
    created_by: User,
    partners: Iterable[Organisation] = (),
    municipalities: Iterable[str] = (),
    budget: dict[int, Decimal] | None = None,
    **fields: Any,
) -> Project:
    """A project as the services would leave it, without its staff (``give_role``)."""
    defaults: dict[str, Any] = {
        "name": "Työkyky käyttöön",
        "funder": "Sosiaali- ja terveysministeriö",
        "instrument": FundingInstrument.STATE_GRANT,
        "starts_on": date(TODAY.year - 1, 1, 1),
        "ends_on": date(TODAY.year + 1, 12, 31),
    }
    project = Project.objects.create(
        programme=programme,
        organisation=organisation,
        created_by=created_by,
        **{**defaults, **fields},
    )
    project.partners.set(list(partners))
    project.municipalities.set(list(Municipality.objects.filter(code__in=list(municipalities))))
    for year, amount in (budget or {}).items():
        BudgetYear.objects.create(project=project, year=year, amount=amount)
    return project


def give_role(
    user: User,
    organisation: Organisation,
    kind: ProjectRoleKind,
    *,
    project: Project | None = None,
    programme: FundingProgramme | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    created_by: User | None = None,
) -> ProjectRole:
    """A staff role in ``project``, or a coordinator's role in ``programme``."""
    return ProjectRole.objects.create(
        user=user,
        organisation=organisation,
        kind=kind,
        project_key=project.public_id if project is not None else None,
        programme_key=programme.public_id if programme is not None else None,
        valid_from=valid_from or TODAY - timedelta(days=30),
        valid_until=valid_until,
        created_by=created_by or user,
    )


def membership_of(user: User) -> Membership:
    return Membership.objects.filter(user=user).order_by("pk").first()  # type: ignore[return-value]


@dataclass
class ProjectWorld:
    administering: Organisation
    partner: Organisation
    outside: Organisation
    coordinating: Organisation
    manager: User
    worker: User
    partner_worker: User
    coordinator: User
    outsider: User
    admin: User
    programme: FundingProgramme
    project: Project

    def actor(self, user: User | None = None) -> Actor:
        return Actor.for_user(user or self.manager)

    def participant(
        self,
        number: int,
        *,
        entered_on: date,
        left_on: date | None = None,
        project: Project | None = None,
    ) -> Participant:
        """A synthetic client (individual number 900 + ``number``) in the project."""
        registration = register_client(
            actor=Actor.for_user(self.worker),
            terms=RelationshipTerms(
                organisation=self.administering,
                register=Register.OTHER,
                legal_basis=LegalBasis.CLIENT_AGREEMENT,
            ),
            first_names="Testi",
            last_name=f"Osallistuja {number}",
            birth_date=date(1990, 1, 1),
        )
        client: Client = registration.client
        return Participant.objects.create(
            project=project or self.project,
            client=client,
            organisation=self.administering,
            entered_on=entered_on,
            left_on=left_on,
            gender="female",
            age_at_entry=30,
            enrolled_by=self.worker,
        )


def make_project_world(
    make_organisation: Callable[..., Organisation], make_professional: Callable[..., User]
) -> ProjectWorld:
    administering = make_organisation(
        "Tampereen kaupunki, työllisyyspalvelut", OrganisationKind.MUNICIPAL_EMPLOYMENT, "837"
    )
    partner = make_organisation("Polku ry", OrganisationKind.NGO, "837")
    outside = make_organisation("Outside Oy", OrganisationKind.OTHER, "091")
    coordinating = make_organisation("Ohjelmatoimisto", OrganisationKind.OTHER, "091")
    manager = make_professional("manager", Role.PROJECT_MANAGER, administering, first_name="Maija")
    worker = make_professional("worker", Role.JOB_COACH, administering, first_name="Ville")
    partner_worker = make_professional(
        "partner-worker", Role.NGO_WORKER, partner, first_name="Pekka"
    )
    coordinator = make_professional(
        "coordinator", Role.PROJECT_MANAGER, coordinating, first_name="Kaisa"
    )
    outsider = make_professional("outsider", Role.PROJECT_MANAGER, outside, first_name="Olli")
    admin = make_professional("admin", Role.ADMINISTRATOR, coordinating, is_staff=True)
    programme = make_programme()
    project = make_project(
        programme=programme,
        organisation=administering,
        created_by=manager,
        partners=[partner],
        municipalities=["837", "536"],
        budget={TODAY.year: Decimal("120000.00"), TODAY.year + 1: Decimal("80000.50")},
        code="S30123",
    )
    give_role(manager, administering, ProjectRoleKind.MANAGER, project=project)
    give_role(worker, administering, ProjectRoleKind.WORKER, project=project)
    give_role(partner_worker, partner, ProjectRoleKind.WORKER, project=project)
    give_role(coordinator, coordinating, ProjectRoleKind.COORDINATOR, programme=programme)
    return ProjectWorld(
        administering=administering,
        partner=partner,
        outside=outside,
        coordinating=coordinating,
        manager=manager,
        worker=worker,
        partner_worker=partner_worker,
        coordinator=coordinator,
        outsider=outsider,
        admin=admin,
        programme=programme,
        project=project,
    )


@pytest.fixture
def project_world(make_organisation: Any, make_professional: Any) -> ProjectWorld:
    return make_project_world(make_organisation, make_professional)
