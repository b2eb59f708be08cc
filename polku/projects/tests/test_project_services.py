"""Writes on programmes, projects and staff: each act, each validation, each refusal (and
that a refused act changes nothing)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from polku.accounts.enums import Role
from polku.accounts.models import Membership
from polku.core.models import Municipality
from polku.policy import decisions
from polku.policy.enums import ProjectRoleKind
from polku.policy.models import ProjectRole
from polku.projects import project_services as services
from polku.projects.enums import FundingInstrument
from polku.projects.models import BudgetYear, FundingProgramme, Project
from polku.projects.tests.fixtures_pages import (
    TODAY,
    ProjectWorld,
    give_role,
    make_project_world,
    membership_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_organisation, make_professional) -> ProjectWorld:
    return make_project_world(make_organisation, make_professional)


YEAR = TODAY.year


def _project_details(**changes):
    details = {
        "name": "Uusi polku",
        "funder": "Etelä-Pohjanmaan ELY-keskus",
        "instrument": FundingInstrument.ESF_PLUS,
        "starts_on": date(YEAR, 1, 1),
        "ends_on": date(YEAR + 1, 12, 31),
        "code": "S31000",
        "description": "Kokeilu",
    }
    return {**details, **changes}


def _edit(world: ProjectWorld, **changes):
    project = world.project
    details = {
        "name": project.name,
        "funder": project.funder,
        "instrument": project.instrument,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "partners": list(project.partners.all()),
        "municipalities": list(project.municipalities.all()),
        **changes,
    }
    return services.update_project(actor=world.actor(), project=project, **details)


def _error_messages(error: ValidationError) -> list[str]:
    return [message for messages in error.message_dict.values() for message in messages]


# --- programmes ---------------------------------------------------------------------------


def test_an_administrator_creates_a_programme(world: ProjectWorld):
    programme = services.create_programme(
        actor=world.actor(world.admin),
        name=" ESF+ erityistavoite 4.1 ",
        starts_on=date(2021, 1, 1),
        ends_on=date(2027, 12, 31),
    )
    assert programme.name == "ESF+ erityistavoite 4.1"
    assert programme.ends_on == date(2027, 12, 31)


def test_only_administrators_create_programmes(world: ProjectWorld):
    with pytest.raises(PermissionDenied):
        services.create_programme(
            actor=world.actor(world.manager),
            name="Oma ohjelma",
            starts_on=date(2021, 1, 1),
            ends_on=date(2027, 12, 31),
        )
    assert not FundingProgramme.objects.filter(name="Oma ohjelma").exists()


def test_a_programme_ends_after_it_starts(world: ProjectWorld):
    with pytest.raises(ValidationError) as raised:
        services.create_programme(
            actor=world.actor(world.admin),
            name="Väärin päin",
            starts_on=date(2027, 1, 1),
            ends_on=date(2026, 1, 1),
        )
    assert raised.value.message_dict == {"ends_on": ["The programme cannot end before it starts."]}


def test_an_administrator_adds_a_coordinator_who_then_coordinates(world: ProjectWorld):
    assert not decisions.may_coordinate(world.actor(world.outsider), world.programme.public_id)
    role = services.add_coordinator(
        actor=world.actor(world.admin),
        programme=world.programme,
        membership=membership_of(world.outsider),
    )
    assert (role.kind, role.programme_key, role.organisation) == (
        ProjectRoleKind.COORDINATOR,
        world.programme.public_id,
        world.outside,
    )
    assert decisions.may_coordinate(world.actor(world.outsider), world.programme.public_id)


def test_a_coordinator_is_not_added_twice_nor_by_others(world: ProjectWorld):
    with pytest.raises(ValidationError) as raised:
        services.add_coordinator(
            actor=world.actor(world.admin),
            programme=world.programme,
            membership=membership_of(world.coordinator),
        )
    assert _error_messages(raised.value) == ["This professional already coordinates the programme."]
    with pytest.raises(PermissionDenied):
        services.add_coordinator(
            actor=world.actor(world.coordinator),
            programme=world.programme,
            membership=membership_of(world.outsider),
        )
    assert ProjectRole.objects.filter(kind=ProjectRoleKind.COORDINATOR).count() == 1


def test_a_coordinator_needs_a_membership_valid_today(world: ProjectWorld):
    membership = membership_of(world.outsider)
    Membership.objects.filter(pk=membership.pk).update(
        valid_from=TODAY - timedelta(days=10), valid_until=TODAY - timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        services.add_coordinator(
            actor=world.actor(world.admin), programme=world.programme, membership=membership
        )


# --- creating a project -------------------------------------------------------------------


def test_a_project_manager_starts_a_project_and_becomes_its_manager(
    world: ProjectWorld, make_professional
):
    other_manager = make_professional("pm-2", Role.PROJECT_MANAGER, world.administering)
    actor = world.actor(other_manager)
    project = services.create_project(
        actor=actor,
        programme=world.programme,
        organisation=world.administering,
        partners=[world.partner],
        municipalities=Municipality.objects.filter(code__in=["837"]),
        budget={YEAR: Decimal("50000"), YEAR + 1: Decimal("25000.50")},
        **_project_details(),
    )
    assert project.name == "Uusi polku"
    assert list(project.partners.all()) == [world.partner]
    assert [m.code for m in project.municipalities.all()] == ["837"]
    assert [(b.year, b.amount) for b in project.budget_years.all()] == [
        (YEAR, Decimal("50000.00")),
        (YEAR + 1, Decimal("25000.50")),
    ]
    role = ProjectRole.objects.get(project_key=project.public_id)
    assert (role.user, role.organisation, role.kind) == (
        other_manager,
        world.administering,
        ProjectRoleKind.MANAGER,
    )
    assert decisions.may_manage_project(actor, project)


def test_a_project_manager_of_another_organisation_may_not_start_one(world: ProjectWorld):
    for user in (world.outsider, world.worker, world.partner_worker):
        with pytest.raises(PermissionDenied):
            services.create_project(
                actor=world.actor(user),
                programme=world.programme,
                organisation=world.administering,
                **_project_details(),
            )
    assert not Project.objects.filter(name="Uusi polku").exists()


def test_an_administrator_starts_a_project_naming_its_first_manager(world: ProjectWorld):
    with pytest.raises(ValidationError) as raised:
        services.create_project(
            actor=world.actor(world.admin),
            programme=world.programme,
            organisation=world.partner,
            **_project_details(),
        )
    assert list(raised.value.message_dict) == ["manager"]
    with pytest.raises(ValidationError):
        services.create_project(
            actor=world.actor(world.admin),
            programme=world.programme,
            organisation=world.partner,
            manager=membership_of(world.manager),  # not of the partner
            **_project_details(),
        )
    project = services.create_project(
        actor=world.actor(world.admin),
        programme=world.programme,
        organisation=world.partner,
        manager=membership_of(world.partner_worker),
        **_project_details(),
    )
    role = ProjectRole.objects.get(project_key=project.public_id)
    assert (role.user, role.organisation, role.kind) == (
        world.partner_worker,
        world.partner,
        ProjectRoleKind.MANAGER,
    )
    assert Project.objects.filter(name="Uusi polku").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"starts_on": date(YEAR + 1, 1, 1), "ends_on": date(YEAR, 1, 1)},
            "ends_on",
            "The project cannot end before it starts.",
        ),
        (
            {"starts_on": date(YEAR - 5, 1, 1)},
            "starts_on",
            "The project's period must be inside the programme's period, "
            f"01.01.{YEAR - 2}–31.12.{YEAR + 3}.",
        ),
        (
            {"ends_on": date(YEAR + 9, 1, 1)},
            "ends_on",
            "The project's period must be inside the programme's period, "
            f"01.01.{YEAR - 2}–31.12.{YEAR + 3}.",
        ),
    ],
)
def test_a_projects_period_is_in_order_and_inside_the_programme(
    world: ProjectWorld, changes, field, message
):
    with pytest.raises(ValidationError) as raised:
        services.create_project(
            actor=world.actor(),
            programme=world.programme,
            organisation=world.administering,
            **_project_details(**changes),
        )
    assert raised.value.message_dict == {field: [message]}
    assert not Project.objects.filter(name="Uusi polku").exists()


def test_the_administering_organisation_is_not_its_own_partner(world: ProjectWorld):
    with pytest.raises(ValidationError) as raised:
        services.create_project(
            actor=world.actor(),
            programme=world.programme,
            organisation=world.administering,
            partners=[world.administering],
            **_project_details(),
        )
    assert raised.value.message_dict == {
        "partners": ["The administering organisation cannot also be a partner."]
    }


def test_budget_years_are_inside_the_period_and_never_negative(world: ProjectWorld):
    with pytest.raises(ValidationError) as raised:
        services.create_project(
            actor=world.actor(),
            programme=world.programme,
            organisation=world.administering,
            budget={YEAR + 2: Decimal("10"), YEAR: Decimal("-1")},
            **_project_details(),
        )
    assert raised.value.message_dict == {
        "budget": [
            f"The budget of {YEAR} cannot be negative.",
            f"The budget year {YEAR + 2} is outside the project's period.",
        ]
    }
    assert not BudgetYear.objects.filter(amount=Decimal("10")).exists()


# --- editing a project --------------------------------------------------------------------


def test_a_manager_edits_the_project_and_its_budget(world: ProjectWorld):
    project = _edit(
        world,
        name="Työkyky käyttöön II",
        funder="STM",
        code="S40000",
        description="Toinen vaihe",
        municipalities=Municipality.objects.filter(code__in=["091"]),
        budget={YEAR: None, YEAR + 1: Decimal("90000")},
    )
    project.refresh_from_db()
    assert (project.name, project.funder, project.code, project.description) == (
        "Työkyky käyttöön II",
        "STM",
        "S40000",
        "Toinen vaihe",
    )
    assert [m.code for m in project.municipalities.all()] == ["091"]
    assert [(b.year, b.amount) for b in project.budget_years.all()] == [
        (YEAR + 1, Decimal("90000.00"))
    ]


def test_only_managers_edit(world: ProjectWorld):
    others = (world.worker, world.partner_worker, world.coordinator, world.outsider, world.admin)
    for user in others:
        with pytest.raises(PermissionDenied):
            services.update_project(
                actor=world.actor(user),
                project=world.project,
                name="Kaapattu",
                funder="x",
                instrument=FundingInstrument.OTHER,
                starts_on=world.project.starts_on,
                ends_on=world.project.ends_on,
            )
    world.project.refresh_from_db()
    assert world.project.name == "Työkyky käyttöön"


def test_a_shorter_period_refuses_a_budget_year_left_outside(world: ProjectWorld):
    with pytest.raises(ValidationError) as raised:
        _edit(world, ends_on=date(YEAR, 12, 31))
    assert raised.value.message_dict == {
        "budget": [f"The budget year {YEAR + 1} is outside the project's period."]
    }
    world.project.refresh_from_db()
    assert world.project.ends_on == date(YEAR + 1, 12, 31)
    # Removing the year's budget at the same time is accepted.
    _edit(world, ends_on=date(YEAR, 12, 31), budget={YEAR + 1: None})
    assert list(world.project.budget_years.values_list("year", flat=True)) == [YEAR]


def test_an_edit_keeps_the_period_inside_the_programme(world: ProjectWorld):
    with pytest.raises(ValidationError) as raised:
        _edit(world, starts_on=date(YEAR - 3, 1, 1))
    assert list(raised.value.message_dict) == ["starts_on"]
    with pytest.raises(ValidationError):
        _edit(world, partners=[world.administering])


def test_removing_a_partner_ends_its_staff_roles(world: ProjectWorld, make_professional):
    future = make_professional("future", Role.NGO_WORKER, world.partner)
    give_role(
        future,
        world.partner,
        ProjectRoleKind.WORKER,
        project=world.project,
        valid_from=TODAY + timedelta(days=10),
    )
    assert decisions.may_read_project(world.actor(world.partner_worker), world.project)
    _edit(world, partners=[])
    role = ProjectRole.objects.get(user=world.partner_worker)
    assert role.valid_until == TODAY - timedelta(days=1)
    assert not ProjectRole.objects.filter(user=future).exists()  # never in effect
    assert not decisions.may_read_project(world.actor(world.partner_worker), world.project)
    # The administering organisation's staff stay.
    assert ProjectRole.objects.active().filter(project_key=world.project.public_id).count() == 2


# --- staff --------------------------------------------------------------------------------


def test_a_manager_adds_staff_from_a_partner(world: ProjectWorld, make_professional):
    new = make_professional("new-worker", Role.NGO_WORKER, world.partner)
    role = services.add_staff(
        actor=world.actor(),
        project=world.project,
        membership=membership_of(new),
        kind=ProjectRoleKind.WORKER,
        valid_until=TODAY + timedelta(days=100),
    )
    assert (role.organisation, role.kind, role.valid_from, role.valid_until) == (
        world.partner,
        ProjectRoleKind.WORKER,
        TODAY,
        TODAY + timedelta(days=100),
    )
    assert decisions.may_read_project(world.actor(new), world.project)


def test_staff_come_only_from_the_projects_organisations(world: ProjectWorld):
    with pytest.raises(ValidationError) as raised:
        services.add_staff(
            actor=world.actor(),
            project=world.project,
            membership=membership_of(world.outsider),
            kind=ProjectRoleKind.WORKER,
        )
    assert raised.value.message_dict == {
        "membership": ["Staff come from the administering organisation or a partner organisation."]
    }
    assert not ProjectRole.objects.filter(user=world.outsider).exists()


def test_no_duplicate_active_role(world: ProjectWorld):
    with pytest.raises(ValidationError) as raised:
        services.add_staff(
            actor=world.actor(),
            project=world.project,
            membership=membership_of(world.worker),
            kind=ProjectRoleKind.MANAGER,
        )
    assert raised.value.message_dict == {
        "membership": ["This professional already has a role in the project then."]
    }


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"kind": ProjectRoleKind.COORDINATOR}, "kind"),
        ({"valid_from": TODAY, "valid_until": TODAY - timedelta(days=1)}, "valid_until"),
        (
            {
                "valid_from": TODAY - timedelta(days=10),
                "valid_until": TODAY - timedelta(days=1),
            },
            "valid_until",
        ),
        ({"valid_from": date(YEAR + 2, 1, 1)}, "valid_from"),
    ],
)
def test_a_role_is_a_staff_role_with_a_sensible_period(
    world: ProjectWorld, make_professional, arguments, field
):
    new = make_professional("new-worker", Role.JOB_COACH, world.administering)
    arguments = {"kind": ProjectRoleKind.WORKER, **arguments}
    with pytest.raises(ValidationError) as raised:
        services.add_staff(
            actor=world.actor(), project=world.project, membership=membership_of(new), **arguments
        )
    assert list(raised.value.message_dict) == [field]
    assert not ProjectRole.objects.filter(user=new).exists()


def test_only_managers_add_and_end_staff(world: ProjectWorld, make_professional):
    new = make_professional("new-worker", Role.JOB_COACH, world.administering)
    role = ProjectRole.objects.get(user=world.worker)
    others = (world.worker, world.partner_worker, world.coordinator, world.outsider, world.admin)
    for user in others:
        with pytest.raises(PermissionDenied):
            services.add_staff(
                actor=world.actor(user),
                project=world.project,
                membership=membership_of(new),
                kind=ProjectRoleKind.WORKER,
            )
        with pytest.raises(PermissionDenied):
            services.end_staff_role(
                actor=world.actor(user), project=world.project, role=role, valid_until=TODAY
            )
    role.refresh_from_db()
    assert role.valid_until is None
    assert not ProjectRole.objects.filter(user=new).exists()


def test_a_manager_ends_a_role(world: ProjectWorld):
    role = ProjectRole.objects.get(user=world.worker)
    services.end_staff_role(
        actor=world.actor(),
        project=world.project,
        role=role,
        valid_until=TODAY - timedelta(days=1),
    )
    role.refresh_from_db()
    assert role.valid_until == TODAY - timedelta(days=1)
    assert not decisions.may_read_project(world.actor(world.worker), world.project)
    with pytest.raises(ValidationError) as raised:
        services.end_staff_role(
            actor=world.actor(), project=world.project, role=role, valid_until=TODAY
        )
    assert raised.value.messages == ["This role has already ended."]


def test_a_role_does_not_end_before_it_starts(world: ProjectWorld):
    role = ProjectRole.objects.get(user=world.worker)
    with pytest.raises(ValidationError) as raised:
        services.end_staff_role(
            actor=world.actor(),
            project=world.project,
            role=role,
            valid_until=role.valid_from - timedelta(days=1),
        )
    assert raised.value.message_dict == {"valid_until": ["A role cannot end before it starts."]}


def test_the_last_manager_stays(world: ProjectWorld):
    role = ProjectRole.objects.get(user=world.manager)
    with pytest.raises(ValidationError) as raised:
        services.end_staff_role(
            actor=world.actor(), project=world.project, role=role, valid_until=TODAY
        )
    assert raised.value.messages == [
        "The project needs a manager: add another manager before ending this role."
    ]
    role.refresh_from_db()
    assert role.valid_until is None


def test_another_projects_role_is_not_ended_here(world: ProjectWorld):
    coordinator_role = ProjectRole.objects.get(user=world.coordinator)
    with pytest.raises(ValidationError):
        services.end_staff_role(
            actor=world.actor(), project=world.project, role=coordinator_role, valid_until=TODAY
        )


def test_an_inactive_organisation_starts_no_project(world: ProjectWorld):
    world.administering.is_active = False
    world.administering.save()
    with pytest.raises(ValidationError) as raised:
        services.create_project(
            actor=world.actor(world.admin),
            programme=world.programme,
            organisation=world.administering,
            **_project_details(),
        )
    assert raised.value.message_dict == {"organisation": ["The organisation is no longer active."]}


def test_staff_need_a_membership_valid_today(world: ProjectWorld, make_professional):
    former = make_professional("former", Role.NGO_WORKER, world.partner)
    membership = membership_of(former)
    Membership.objects.filter(pk=membership.pk).update(
        valid_from=TODAY - timedelta(days=10), valid_until=TODAY - timedelta(days=1)
    )
    with pytest.raises(ValidationError) as raised:
        services.add_staff(
            actor=world.actor(),
            project=world.project,
            membership=membership,
            kind=ProjectRoleKind.WORKER,
        )
    assert raised.value.message_dict == {
        "membership": ["Choose a professional with a membership valid today."]
    }
    assert not ProjectRole.objects.filter(user=former).exists()
