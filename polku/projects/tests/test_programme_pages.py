"""The programme pages: the coordinator's overview of every project, the administrator's
programme creation and coordinators, and refusals to everyone else (404 with every id)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from polku.policy.enums import ProjectRoleKind
from polku.policy.models import ProjectRole
from polku.projects.models import FundingProgramme
from polku.projects.tests.fixtures_pages import (
    TODAY,
    ProjectWorld,
    make_project,
    make_project_world,
    membership_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_organisation, make_professional) -> ProjectWorld:
    return make_project_world(make_organisation, make_professional)


def signed_in(client, user):
    client.force_login(user)
    return client


def _programme_url(world: ProjectWorld) -> str:
    return reverse("projects:programme", kwargs={"public_id": world.programme.public_id})


def test_the_coordinator_sees_every_project_with_its_figures(client, world: ProjectWorld):
    make_project(
        programme=world.programme,
        organisation=world.outside,
        created_by=world.outsider,
        name="Aamu",
        municipalities=["091"],
    )
    world.participant(901, entered_on=date(TODAY.year, 1, 1))
    signed_in(client, world.coordinator)
    page = client.get(_programme_url(world))
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.content.decode())
    assert "Aamu" in text
    assert "Outside Oy" in text
    assert "Helsinki" in text
    assert "Participants now" in text
    assert "Entered this year" in text
    assert "Add the coordinator" not in text
    listing = client.get(reverse("projects:programmes")).content.decode()
    assert world.programme.name in listing
    assert "Create a programme" not in listing
    projects = client.get(reverse("projects:projects")).content.decode()
    assert "Programme overview" in projects


@pytest.mark.parametrize("who", ["manager", "worker", "partner_worker", "outsider"])
def test_others_get_404_on_the_programme(client, world: ProjectWorld, who):
    signed_in(client, getattr(world, who))
    assert client.get(_programme_url(world)).status_code == 404
    url = _programme_url(world)
    assert client.post(url, {"membership": membership_of(world.outsider).pk}).status_code == 404
    assert client.get(reverse("projects:programme_create")).status_code == 403
    assert world.programme.name not in client.get(reverse("projects:programmes")).content.decode()
    assert ProjectRole.objects.filter(kind=ProjectRoleKind.COORDINATOR).count() == 1


def test_an_unknown_programme_is_404(client, world: ProjectWorld):
    signed_in(client, world.admin)
    url = reverse(
        "projects:programme", kwargs={"public_id": "00000000-0000-0000-0000-000000000000"}
    )
    assert client.get(url).status_code == 404


def test_an_administrator_creates_a_programme_and_names_a_coordinator(client, world: ProjectWorld):
    signed_in(client, world.admin)
    assert client.get(reverse("projects:programme_create")).status_code == 200
    response = client.post(
        reverse("projects:programme_create"),
        {"name": "ESF+ 4.1", "starts_on": "2021-01-01", "ends_on": "2027-12-31"},
    )
    programme = FundingProgramme.objects.get(name="ESF+ 4.1")
    url = reverse("projects:programme", kwargs={"public_id": programme.public_id})
    assert response.status_code == 302
    assert response["Location"] == url
    page = client.get(url)
    assert "Add the coordinator" in page.content.decode()
    response = client.post(url, {"membership": membership_of(world.outsider).pk})
    assert response.status_code == 302
    assert ProjectRole.objects.get(programme_key=programme.public_id).user == world.outsider


def test_a_programme_with_its_period_reversed_is_refused(client, world: ProjectWorld):
    signed_in(client, world.admin)
    response = client.post(
        reverse("projects:programme_create"),
        {"name": "Väärin", "starts_on": "2027-01-01", "ends_on": "2021-01-01"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "The programme cannot end before it starts." in text
    assert 'value="Väärin"' in text
    assert not FundingProgramme.objects.filter(name="Väärin").exists()


def test_an_administrator_sees_no_figures(client, world: ProjectWorld):
    signed_in(client, world.admin)
    text = client.get(_programme_url(world)).content.decode()
    assert "Työkyky käyttöön" in text
    assert "Participants now" not in text
