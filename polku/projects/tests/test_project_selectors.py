"""Reads of projects and programmes: who lists what, a project's overview with its counts,
a programme's overview for its coordinators, and the home page's panel."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from polku.accounts.enums import Role
from polku.core.codesets.rural import GroupingNotLoaded, rural_municipality_codes
from polku.policy.enums import ProjectRoleKind
from polku.projects import project_selectors as selectors
from polku.projects.tests.fixtures_pages import (
    TODAY,
    ProjectWorld,
    give_role,
    make_programme,
    make_project,
    make_project_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_organisation, make_professional) -> ProjectWorld:
    return make_project_world(make_organisation, make_professional)


def test_elapsed_percent():
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert selectors.elapsed_percent(start, end, date(2025, 6, 1)) == 0
    assert selectors.elapsed_percent(start, end, date(2026, 1, 1)) == 0
    assert selectors.elapsed_percent(start, end, date(2026, 7, 2)) == 50  # 182 of 364 days
    assert selectors.elapsed_percent(start, end, date(2027, 1, 1)) == 100


def test_staff_partners_and_coordinators_list_the_project_outsiders_nothing(world: ProjectWorld):
    for user in (world.manager, world.worker, world.partner_worker, world.coordinator):
        groups = selectors.readable_projects(world.actor(user))
        assert [(g.programme, g.projects) for g in groups] == [(world.programme, [world.project])]
    assert selectors.readable_projects(world.actor(world.coordinator))[0].coordinated
    assert not selectors.readable_projects(world.actor(world.manager))[0].coordinated
    assert selectors.readable_projects(world.actor(world.outsider)) == []
    assert selectors.readable_projects(world.actor(world.admin)) == []


def test_projects_are_grouped_by_programme(world: ProjectWorld):
    other = make_programme("ESF+ 4.1")
    second = make_project(
        programme=other, organisation=world.administering, created_by=world.manager, name="Aamu"
    )
    give_role(world.manager, world.administering, ProjectRoleKind.MANAGER, project=second)
    groups = selectors.readable_projects(world.actor())
    assert [(g.programme.name, [p.name for p in g.projects]) for g in groups] == [
        ("ESF+ 4.1", ["Aamu"]),
        ("Työkykyohjelma", ["Työkyky käyttöön"]),
    ]


def test_access_project_hides_the_project_from_outsiders(world: ProjectWorld):
    for user in (world.outsider, world.admin):
        with pytest.raises(Http404):
            selectors.access_project(world.actor(user), world.project.public_id)
    with pytest.raises(Http404):
        selectors.access_project(world.actor(), "not-a-uuid")
    for user in (world.worker, world.partner_worker, world.coordinator):
        assert selectors.access_project(world.actor(user), world.project.public_id) == world.project
        with pytest.raises(PermissionDenied):
            selectors.access_project(world.actor(user), world.project.public_id, manage=True)
    assert selectors.access_project(world.actor(), world.project.public_id, manage=True)


def test_the_overview_counts_participants_and_sums_the_budget(world: ProjectWorld):
    world.participant(901, entered_on=TODAY - timedelta(days=100))
    world.participant(902, entered_on=TODAY - timedelta(days=50), left_on=TODAY)
    world.participant(903, entered_on=TODAY - timedelta(days=40), left_on=TODAY - timedelta(1))
    world.participant(904, entered_on=TODAY + timedelta(days=3))  # not yet entered
    overview = selectors.project_overview(world.actor(world.partner_worker), world.project)
    assert overview.counts == selectors.ParticipantCounts(now=2, entered=3, left=1)
    assert [(row.year, row.amount) for row in overview.budget] == [
        (TODAY.year, Decimal("120000.00")),
        (TODAY.year + 1, Decimal("80000.50")),
    ]
    assert overview.budget_total == Decimal("200000.50")
    assert sorted(overview.municipalities) == ["Nokia", "Tampere"]
    assert overview.partners == [world.partner]
    assert not overview.may_manage
    assert overview.role is not None
    assert overview.role.kind == ProjectRoleKind.WORKER


def test_the_overview_lists_staff_by_organisation_administering_first(world: ProjectWorld):
    overview = selectors.project_overview(world.actor(), world.project)
    assert [
        (group.organisation, group.administers, [m.user.username for m in group.members])
        for group in overview.staff
    ] == [
        (world.administering, True, ["manager", "worker"]),
        (world.partner, False, ["partner-worker"]),
    ]
    assert overview.may_manage


def test_the_rural_count_is_not_available_without_a_grouping(world: ProjectWorld):
    overview = selectors.project_overview(world.actor(), world.project)
    try:
        rural = rural_municipality_codes()
    except GroupingNotLoaded:
        assert overview.rural_municipalities is None
    else:
        assert overview.rural_municipalities == len(rural & {"837", "536"})


def test_ended_staff_are_listed_only_when_asked(world: ProjectWorld, make_professional):
    former = make_professional("former", Role.JOB_COACH, world.administering)
    give_role(
        former,
        world.administering,
        ProjectRoleKind.WORKER,
        project=world.project,
        valid_from=TODAY - timedelta(days=90),
        valid_until=TODAY - timedelta(days=1),
    )
    current = selectors.project_staff(world.project)
    assert "former" not in [m.user.username for g in current for m in g.members]
    everyone = selectors.project_staff(world.project, include_ended=True)
    ended = [m for g in everyone for m in g.members if m.user.username == "former"]
    assert len(ended) == 1
    assert ended[0].ended
    assert not ended[0].active


def test_the_programme_overview_counts_each_project(world: ProjectWorld):
    second = make_project(
        programme=world.programme,
        organisation=world.partner,
        created_by=world.partner_worker,
        name="Aamu",
        municipalities=["091"],
    )
    world.participant(901, entered_on=date(TODAY.year, 1, 1))
    world.participant(902, entered_on=date(TODAY.year - 1, 6, 1))
    world.participant(903, entered_on=date(TODAY.year - 1, 6, 1), left_on=TODAY - timedelta(1))
    world.participant(904, entered_on=date(TODAY.year, 1, 1), project=second)
    overview = selectors.programme_overview(world.actor(world.coordinator), world.programme)
    assert [
        (row.project.name, row.municipalities, row.participants_now, row.entered_this_year)
        for row in overview.rows
    ] == [
        ("Aamu", ["Helsinki"], 1, 1),
        ("Työkyky käyttöön", ["Nokia", "Tampere"], 2, 1),
    ]
    assert (overview.participants_now, overview.entered_this_year) == (3, 2)
    assert [role.user for role in overview.coordinators] == [world.coordinator]


def test_an_administrator_sees_the_programme_without_figures(world: ProjectWorld):
    world.participant(901, entered_on=date(TODAY.year, 1, 1))
    programme = selectors.access_programme(world.actor(world.admin), world.programme.public_id)
    overview = selectors.programme_overview(world.actor(world.admin), programme)
    assert not overview.may_coordinate
    assert overview.may_administer
    assert [(row.participants_now, row.entered_this_year) for row in overview.rows] == [(0, 0)]


def test_only_coordinators_and_administrators_reach_a_programme(world: ProjectWorld):
    for user in (world.manager, world.worker, world.partner_worker, world.outsider):
        with pytest.raises(Http404):
            selectors.access_programme(world.actor(user), world.programme.public_id)
    assert list(selectors.visible_programmes(world.actor(world.manager))) == []
    assert list(selectors.visible_programmes(world.actor(world.coordinator))) == [world.programme]
    assert list(selectors.visible_programmes(world.actor(world.admin))) == [world.programme]


def test_the_home_panel_lists_ones_projects_and_programmes(world: ProjectWorld):
    panel = selectors.your_projects_panel(world.actor())
    assert panel is not None
    assert [(row.project, row.kind) for row in panel.context["projects"]] == [
        (world.project, "Project manager")
    ]
    coordinator_panel = selectors.your_projects_panel(world.actor(world.coordinator))
    assert coordinator_panel is not None
    assert coordinator_panel.context["programmes"] == [world.programme]
    assert selectors.your_projects_panel(world.actor(world.outsider)) is None


def test_who_may_start_a_project_where(world: ProjectWorld):
    assert list(selectors.creatable_organisations(world.actor())) == [world.administering]
    assert list(selectors.creatable_organisations(world.actor(world.worker))) == []
    assert world.partner in selectors.creatable_organisations(world.actor(world.admin))
