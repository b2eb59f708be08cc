"""The project pages: the list, starting a project, its overview, editing it and its
staff — who reaches each page (an outsider gets 404 on every URL with every id), what the
partner and the coordinator read, and that only managers change anything."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polku.accounts.enums import Role
from polku.policy.enums import ProjectRoleKind
from polku.policy.models import ProjectRole
from polku.projects.models import Project
from polku.projects.tests.fixtures_pages import (
    TODAY,
    ProjectWorld,
    give_role,
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


def _urls(world: ProjectWorld) -> dict[str, str]:
    project = {"public_id": world.project.public_id}
    role = ProjectRole.objects.get(user=world.worker)
    return {
        "project": reverse("projects:project", kwargs=project),
        "edit": reverse("projects:project_edit", kwargs=project),
        "staff": reverse("projects:staff", kwargs=project),
        "end": reverse("projects:end_staff", kwargs={**project, "role_id": role.public_id}),
    }


def _edit_data(world: ProjectWorld, **changes) -> dict:
    project = world.project
    data = {
        "name": project.name,
        "code": project.code,
        "funder": project.funder,
        "instrument": project.instrument,
        "starts_on": project.starts_on.isoformat(),
        "ends_on": project.ends_on.isoformat(),
        "description": "",
        "partners": [str(world.partner.pk)],
        "municipalities": ["837"],
        f"budget_{TODAY.year}": "120000.00",
        f"budget_{TODAY.year + 1}": "80000.50",
    }
    return {**data, **changes}


def test_anonymous_visitors_are_sent_to_sign_in(client, world: ProjectWorld):
    for url in [reverse("projects:projects"), *_urls(world).values()]:
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_an_outsider_gets_404_on_every_project_url(client, world: ProjectWorld, who):
    signed_in(client, getattr(world, who))
    for name, url in _urls(world).items():
        assert client.get(url).status_code == (405 if name == "end" else 404), name
        assert client.post(url, {"valid_until": TODAY.isoformat()}).status_code == 404, name
    world.project.refresh_from_db()
    assert world.project.name == "Työkyky käyttöön"
    assert ProjectRole.objects.get(user=world.worker).valid_until is None


def test_an_unknown_id_is_404(client, world: ProjectWorld):
    signed_in(client, world.manager)
    assert client.get("/projects/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/projects/not-a-uuid/").status_code == 404
    url = reverse(
        "projects:end_staff",
        kwargs={
            "public_id": world.project.public_id,
            "role_id": ProjectRole.objects.get(user=world.coordinator).public_id,
        },
    )
    assert client.post(url, {}).status_code == 404  # a programme's role is not the project's


def test_the_list_shows_the_readers_projects_and_an_explaining_empty_state(
    client, world: ProjectWorld, make_professional
):
    page = signed_in(client, world.partner_worker).get(reverse("projects:projects"))
    assert page.status_code == 200
    assert "Työkyky käyttöön" in page.content.decode()
    assert "Start a project" not in page.content.decode()
    lonely = make_professional("lonely", Role.SOCIAL_WORKER, world.outside)
    page = signed_in(client, lonely).get(reverse("projects:projects"))
    text = page.content.decode()
    assert "You have no projects to see." in text
    assert "coordinators of its programme" in text
    assert "Työkyky käyttöön" not in text


def test_the_partner_reads_the_overview_but_does_not_edit(client, world: ProjectWorld):
    world.participant(901, entered_on=TODAY - timedelta(days=10))
    signed_in(client, world.partner_worker)
    urls = _urls(world)
    page = client.get(urls["project"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "Tampereen kaupunki, työllisyyspalvelut" in text
    assert "S30123" in text
    assert "Edit the project" not in text
    assert f'href="/projects/{world.project.public_id}/participants/"' in text
    assert "Osallistuja" not in text  # counts only, never a participant
    assert client.get(urls["edit"]).status_code == 403
    assert client.post(urls["edit"], _edit_data(world, name="Kaapattu")).status_code == 403
    staff = client.get(urls["staff"])
    assert staff.status_code == 200
    assert "Add a role" not in staff.content.decode()
    assert client.post(urls["staff"], {}).status_code == 403
    assert client.post(urls["end"], {}).status_code == 403
    world.project.refresh_from_db()
    assert world.project.name == "Työkyky käyttöön"


def test_the_coordinator_reads_the_project(client, world: ProjectWorld):
    signed_in(client, world.coordinator)
    urls = _urls(world)
    assert client.get(urls["project"]).status_code == 200
    assert client.get(urls["edit"]).status_code == 403


def test_the_overview_shows_period_budget_staff_and_counts(client, world: ProjectWorld):
    world.participant(901, entered_on=TODAY - timedelta(days=10))
    world.participant(902, entered_on=TODAY - timedelta(days=20), left_on=TODAY - timedelta(1))
    page = signed_in(client, world.manager).get(_urls(world)["project"])
    text = re.sub(r"\s+", " ", page.content.decode())
    assert "<progress" in text
    assert "Maija Aaltomaa · Project manager" in text
    assert "Pekka Aaltomaa · Project worker" in text
    assert "<dt>In the project now</dt><dd>1</dd>" in text
    assert "<dt>Entered the project</dt><dd>2</dd>" in text
    assert "<dt>Left the project</dt><dd>1</dd>" in text
    assert "200,000.50" in text or "200000.50" in text or "200 000,50" in text
    assert "Edit the project" in text


def test_a_manager_edits_the_project(client, world: ProjectWorld):
    signed_in(client, world.manager)
    urls = _urls(world)
    assert client.get(urls["edit"]).status_code == 200
    response = client.post(
        urls["edit"],
        _edit_data(world, name="Työkyky käyttöön II", **{f"budget_{TODAY.year}": ""}),
    )
    assert response.status_code == 302
    world.project.refresh_from_db()
    assert world.project.name == "Työkyky käyttöön II"
    assert [(b.year, b.amount) for b in world.project.budget_years.all()] == [
        (TODAY.year + 1, Decimal("80000.50"))
    ]


def test_bad_input_keeps_the_form_and_changes_nothing(client, world: ProjectWorld):
    signed_in(client, world.manager)
    response = client.post(
        _urls(world)["edit"],
        _edit_data(
            world,
            name="Uusi nimi",
            partners=[str(world.administering.pk)],
            **{f"budget_{TODAY.year}": "-5"},
        ),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Please check the following" in text
    assert "Choose the partners from the list: active organisations other than the" in text
    assert 'value="Uusi nimi"' in text
    world.project.refresh_from_db()
    assert world.project.name == "Työkyky käyttöön"
    response = client.post(
        _urls(world)["edit"], _edit_data(world, **{f"budget_{TODAY.year}": "-5"})
    )
    assert response.status_code == 400
    assert f"The budget of {TODAY.year} cannot be negative." in response.content.decode()


def test_a_project_manager_starts_a_project(client, world: ProjectWorld, make_professional):
    pm = make_professional("pm-2", Role.PROJECT_MANAGER, world.administering)
    signed_in(client, pm)
    page = client.get(reverse("projects:project_create"))
    assert page.status_code == 200
    assert 'name="manager"' not in page.content.decode()  # they become its manager
    response = client.post(
        reverse("projects:project_create"),
        {
            "programme": str(world.programme.pk),
            "organisation": str(world.administering.pk),
            "name": "Uusi polku",
            "funder": "ELY-keskus",
            "instrument": "esf_plus",
            "starts_on": f"{TODAY.year}-01-01",
            "ends_on": f"{TODAY.year + 1}-12-31",
            "municipalities": ["837"],
        },
    )
    project = Project.objects.get(name="Uusi polku")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "projects:project", kwargs={"public_id": project.public_id}
    )
    assert ProjectRole.objects.get(project_key=project.public_id).user == pm


def test_starting_a_project_refuses_bad_input_and_others(client, world: ProjectWorld):
    signed_in(client, world.manager)
    response = client.post(
        reverse("projects:project_create"),
        {
            "programme": str(world.programme.pk),
            "organisation": str(world.administering.pk),
            "name": "Uusi polku",
            "funder": "ELY-keskus",
            "instrument": "esf_plus",
            "starts_on": f"{TODAY.year + 1}-01-01",
            "ends_on": f"{TODAY.year}-01-01",
        },
    )
    assert response.status_code == 400
    assert "The project cannot end before it starts." in response.content.decode()
    # Another organisation is not offered, and is refused when posted.
    response = client.post(
        reverse("projects:project_create"),
        {
            "programme": str(world.programme.pk),
            "organisation": str(world.partner.pk),
            "name": "Uusi polku",
            "funder": "ELY-keskus",
            "instrument": "esf_plus",
            "starts_on": f"{TODAY.year}-01-01",
            "ends_on": f"{TODAY.year}-12-31",
        },
    )
    assert response.status_code == 400
    assert not Project.objects.filter(name="Uusi polku").exists()
    signed_in(client, world.worker)
    assert client.get(reverse("projects:project_create")).status_code == 403


def test_a_manager_adds_and_ends_staff(client, world: ProjectWorld, make_professional):
    new = make_professional("new-worker", Role.NGO_WORKER, world.partner)
    signed_in(client, world.manager)
    urls = _urls(world)
    page = client.get(urls["staff"])
    assert page.status_code == 200
    assert "Add a role" in page.content.decode()
    assert "Olli" not in page.content.decode()  # the outsider is not offered
    response = client.post(
        urls["staff"], {"membership": str(membership_of(new).pk), "kind": "worker"}
    )
    assert response.status_code == 302
    role = ProjectRole.objects.get(user=new)
    assert (role.kind, role.organisation) == (ProjectRoleKind.WORKER, world.partner)
    # An outsider's membership posted anyway is refused.
    response = client.post(
        urls["staff"], {"membership": str(membership_of(world.outsider).pk), "kind": "worker"}
    )
    assert response.status_code == 400
    assert not ProjectRole.objects.filter(user=world.outsider).exists()
    # Ending a role.
    response = client.post(urls["end"], {"valid_until": TODAY.isoformat()})
    assert response.status_code == 302
    assert ProjectRole.objects.get(user=world.worker).valid_until == TODAY


def test_ending_the_last_manager_is_refused_with_a_reason(client, world: ProjectWorld):
    signed_in(client, world.manager)
    role = ProjectRole.objects.get(user=world.manager)
    url = reverse(
        "projects:end_staff",
        kwargs={"public_id": world.project.public_id, "role_id": role.public_id},
    )
    response = client.post(url, {"valid_until": TODAY.isoformat()})
    assert response.status_code == 400
    assert "The project needs a manager" in response.content.decode()
    role.refresh_from_db()
    assert role.valid_until is None


def test_the_home_page_and_navigation_show_projects_to_staff(
    client, world: ProjectWorld, make_professional
):
    page = signed_in(client, world.worker).get(reverse("home"))
    text = page.content.decode()
    assert "Your projects" in text
    assert reverse("projects:project", kwargs={"public_id": world.project.public_id}) in text
    assert f'href="{reverse("projects:projects")}"' in text
    page = signed_in(client, world.manager).get(reverse("home"))
    assert "Your projects" in page.content.decode()
    lonely = make_professional("lonely", Role.SOCIAL_WORKER, world.outside)
    page = signed_in(client, lonely).get(reverse("home"))
    text = page.content.decode()
    assert "Your projects" not in text
    assert f'href="{reverse("projects:projects")}"' not in text


def test_the_list_and_the_programme_page_take_as_many_queries_for_many_projects(
    client, world: ProjectWorld
):
    def queries(user, url):
        signed_in(client, user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    programme_url = reverse("projects:programme", kwargs={"public_id": world.programme.public_id})
    before = (
        queries(world.manager, reverse("projects:projects")),
        queries(world.coordinator, programme_url),
    )
    for number in range(4):
        project = make_project(
            programme=world.programme,
            organisation=world.administering,
            created_by=world.manager,
            name=f"Hanke {number}",
            municipalities=["091", "837"],
        )
        give_role(world.manager, world.administering, ProjectRoleKind.MANAGER, project=project)
        world.participant(910 + number, entered_on=TODAY, project=project)
    after = (
        queries(world.manager, reverse("projects:projects")),
        queries(world.coordinator, programme_url),
    )
    assert after == before
