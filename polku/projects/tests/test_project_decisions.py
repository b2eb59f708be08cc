"""The policy's answers for the project pages: who starts a project where, who is offered
the projects in the navigation, and who opens a programme."""

from __future__ import annotations

import pytest

from polku.accounts.enums import Role
from polku.policy import decisions
from polku.projects.models import FundingProgramme
from polku.projects.tests.fixtures_pages import ProjectWorld, make_programme, make_project_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_organisation, make_professional) -> ProjectWorld:
    return make_project_world(make_organisation, make_professional)


def test_who_starts_a_project_for_which_organisation(world: ProjectWorld):
    assert decisions.may_create_project(world.actor(world.manager), world.administering)
    assert not decisions.may_create_project(world.actor(world.manager), world.partner)
    assert not decisions.may_create_project(world.actor(world.worker), world.administering)
    assert not decisions.may_create_project(world.actor(world.outsider), world.administering)
    assert decisions.may_create_project(world.actor(world.admin), world.partner)


def test_who_is_offered_the_projects(world: ProjectWorld, make_professional):
    for user in (world.manager, world.worker, world.partner_worker, world.coordinator):
        assert decisions.offers_projects(world.actor(user))
    assert decisions.offers_projects(world.actor(world.outsider))  # a project manager
    assert decisions.offers_projects(world.actor(world.admin))
    lonely = make_professional("lonely", Role.SOCIAL_WORKER, world.outside)
    assert not decisions.offers_projects(world.actor(lonely))


def test_who_opens_a_programme(world: ProjectWorld):
    other = make_programme("ESF+ 4.1")
    key = world.programme.public_id
    assert decisions.may_read_programme(world.actor(world.coordinator), key)
    assert not decisions.may_read_programme(world.actor(world.coordinator), other.public_id)
    assert decisions.may_read_programme(world.actor(world.admin), other.public_id)
    for user in (world.manager, world.worker, world.partner_worker, world.outsider):
        assert not decisions.may_read_programme(world.actor(user), key)
    readable = FundingProgramme.objects.filter
    assert list(readable(decisions.readable_programmes(world.actor(world.coordinator)))) == [
        world.programme
    ]
    assert set(readable(decisions.readable_programmes(world.actor(world.admin)))) == {
        world.programme,
        other,
    }
    assert not readable(decisions.readable_programmes(world.actor(world.manager))).exists()
