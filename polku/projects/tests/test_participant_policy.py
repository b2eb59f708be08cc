"""The policy matrix of project participants: every kind of actor × the categories
``PROJECT`` and ``PROJECT_SENSITIVE`` × the actions list, view, change and export.

It asserts that ``decide_on_participant`` answers as the table says, that
``visible_participants`` lists exactly the rows the decision allows, and that over HTTP
the participant page, the list and the export answer 404 where refused, never show the
sensitive answers to a partner, and leave their access-log rows.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from polku.audit.enums import AuditEvent
from polku.audit.models import AccessLogEntry
from polku.policy import decisions
from polku.policy.actors import Actor, ApiGrant, LinkScope
from polku.policy.enums import Action, DataCategory, Purpose
from polku.projects import participant_services as services
from polku.projects.models import Participant
from polku.projects.tests.fixtures_participants import (  # noqa: F401 - fixtures
    ProjectWorld,
    enrolled_fixture,
    project_world_fixture,
)

pytestmark = pytest.mark.django_db

PROJECT, SENSITIVE = DataCategory.PROJECT, DataCategory.PROJECT_SENSITIVE
ACTIONS = [Action.LIST, Action.VIEW, Action.CHANGE, Action.EXPORT]
MONITORING = Purpose.PROJECT_MONITORING
EVERYTHING = frozenset(
    (category, action) for category in (PROJECT, SENSITIVE) for action in ACTIONS
)
NOTHING: frozenset[tuple[DataCategory, Action]] = frozenset()
PROJECT_ONLY = frozenset((PROJECT, action) for action in ACTIONS)
READ_OWN = frozenset(
    (category, action)
    for category in (PROJECT, SENSITIVE)
    for action in (Action.LIST, Action.VIEW, Action.EXPORT)
)


def _professional(name: str) -> Callable[[ProjectWorld], Actor]:
    return lambda world: Actor.for_user(world.people[name]).for_purpose(MONITORING)


def _client_self(world: ProjectWorld) -> Actor:
    return Actor.client_self(world.client, purpose=MONITORING)


def _other_client(world: ProjectWorld) -> Actor:
    return Actor.client_self(world.other_client, purpose=MONITORING)


def _link_holder(world: ProjectWorld) -> Actor:
    scope = LinkScope(
        model="measures.administration",
        object_id=1,
        client_id=world.client.pk,
        owner=world.org_a,
    )
    return Actor.link_holder(scope, purpose=MONITORING)


def _api_client(world: ProjectWorld) -> Actor:
    grant = ApiGrant(
        name="project-api",
        organisation=world.org_a,
        purpose=MONITORING,
        scopes=frozenset({"project:read", "project:write", "project_sensitive:read"}),
    )
    return Actor.api_client(grant, purpose=MONITORING)


def _system(world: ProjectWorld) -> Actor:
    return Actor.system("projects.indicators", purpose=MONITORING)


# Who, how they are built, and what they may do with the enrolled client's participation.
MATRIX: dict[
    str, tuple[Callable[[ProjectWorld], Actor], frozenset[tuple[DataCategory, Action]]]
] = {
    "administering manager": (_professional("manager_a"), EVERYTHING),
    "administering worker": (_professional("worker_a"), EVERYTHING),
    "partner manager": (_professional("manager_b"), PROJECT_ONLY),
    "partner worker": (_professional("worker_b"), PROJECT_ONLY),
    "programme coordinator": (_professional("coordinator"), NOTHING),
    "other project's staff, same organisation": (_professional("other_project"), NOTHING),
    "serving professional without a project role": (_professional("serving"), NOTHING),
    "administrator": (_professional("admin"), NOTHING),
    "the client": (_client_self, READ_OWN),
    "another client": (_other_client, NOTHING),
    "link holder": (_link_holder, NOTHING),
    "API client": (_api_client, NOTHING),
    "system job": (_system, EVERYTHING),
    "ended role": (_professional("ended"), NOTHING),
    "role of an inactive organisation": (_professional("gone"), NOTHING),
}
# The professionals, by user, for the HTTP part.
USERS = {
    "administering manager": "manager_a",
    "administering worker": "worker_a",
    "partner manager": "manager_b",
    "partner worker": "worker_b",
    "programme coordinator": "coordinator",
    "other project's staff, same organisation": "other_project",
    "serving professional without a project role": "serving",
    "administrator": "admin",
    "ended role": "ended",
    "role of an inactive organisation": "gone",
}


@pytest.fixture(name="matrix_world")
def matrix_world_fixture(enrolled: ProjectWorld) -> ProjectWorld:
    """Besides the enrolled client, the other client in the other project of A (so that
    lists can be compared row by row)."""
    services.enrol(
        actor=Actor.for_user(enrolled.people["other_project"]).for_purpose(MONITORING),
        project=enrolled.other_project,
        client=enrolled.other_client,
        entered_on=date(2026, 2, 2),
    )
    return enrolled


@pytest.mark.parametrize("who", list(MATRIX))
def test_decisions_and_lists_agree_with_the_matrix(matrix_world: ProjectWorld, who: str) -> None:
    build, allowed = MATRIX[who]
    actor = build(matrix_world)
    participant = matrix_world.participant
    assert participant is not None
    everyone = list(Participant.objects.select_related("project"))

    for category in (PROJECT, SENSITIVE):
        sensitive = category == SENSITIVE
        listed = set(
            Participant.objects.filter(
                decisions.visible_participants(actor, sensitive=sensitive)
            ).values_list("pk", flat=True)
        )
        for action in ACTIONS:
            decision = decisions.decide_on_participant(
                actor, participant, action, sensitive=sensitive
            )
            assert decision.allowed == ((category, action) in allowed), (category, action)
            if decision:
                assert decision.purpose == MONITORING
                assert decision.owner_id == matrix_world.org_a.pk
        # The list filter holds exactly the rows that may be listed, of every project.
        may_list = {
            p.pk
            for p in everyone
            if decisions.decide_on_participant(actor, p, Action.LIST, sensitive=sensitive)
        }
        assert listed == may_list, category


def test_staff_see_their_own_project_only(matrix_world: ProjectWorld) -> None:
    worker = _professional("worker_a")(matrix_world)
    other = _professional("other_project")(matrix_world)

    assert set(Participant.objects.visible_to(worker)) == {matrix_world.participant}
    assert {p.project for p in Participant.objects.visible_to(other)} == {
        matrix_world.other_project
    }


# Over HTTP -----------------------------------------------------------------------------------


def _log(world: ProjectWorld, user: str, **where: object) -> list[AccessLogEntry]:
    return list(
        AccessLogEntry.objects.filter(
            actor_id=str(world.people[user].pk), client_public_id=world.client.public_id, **where
        )
    )


@pytest.mark.parametrize("who", list(USERS))
def test_pages_answer_as_the_matrix(
    client: HttpClient, matrix_world: ProjectWorld, who: str
) -> None:
    user = USERS[who]
    _build, allowed = MATRIX[who]
    participant = matrix_world.participant
    assert participant is not None
    client.force_login(matrix_world.people[user])
    page_url = reverse("projects:participant", kwargs={"public_id": participant.public_id})
    list_url = reverse(
        "projects:participants", kwargs={"public_id": matrix_world.project.public_id}
    )

    page = client.get(page_url)
    listing = client.get(list_url)
    export = client.get(list_url, {"format": "xlsx"})

    may_view = (PROJECT, Action.VIEW) in allowed
    may_see_sensitive = (SENSITIVE, Action.VIEW) in allowed
    assert page.status_code == (200 if may_view else 404)
    assert listing.status_code == (200 if (PROJECT, Action.LIST) in allowed else 404)
    assert export.status_code == (200 if (PROJECT, Action.EXPORT) in allowed else 404)
    if not may_view:
        assert "Olli" not in page.content.decode()
        assert not _log(matrix_world, user)
        return

    html = page.content.decode()
    assert "Osallistuja" in html
    sensitive_markers = [
        "Sensitive details",
        "sensitive-disability",
        'value="yes" id="id_sensitive-disability_1" checked',
    ]
    for marker in sensitive_markers:
        assert (marker in html) == may_see_sensitive, marker
    assert "Osallistuja" in listing.content.decode()
    assert "Person with disabilities" not in listing.content.decode()

    # Every read and export is in the access log: the page (and its sensitive section),
    # the list, and the export with its event.
    (viewed,) = _log(matrix_world, user, action=Action.VIEW, categories="basic,project")
    assert viewed.purpose == MONITORING
    assert viewed.path == page_url
    sensitive_rows = _log(matrix_world, user, action=Action.VIEW, categories=SENSITIVE)
    assert len(sensitive_rows) == (1 if may_see_sensitive else 0)
    (listed,) = _log(matrix_world, user, action=Action.LIST)
    assert listed.categories == "basic,project"
    (exported,) = _log(matrix_world, user, action=Action.EXPORT)
    assert exported.event == AuditEvent.PARTICIPANT_EXPORTED

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "Osallistuja" in cells
    assert not any("disabilit" in cell.lower() or "declined" in cell.lower() for cell in cells)


@pytest.mark.parametrize("who", ["partner manager", "partner worker"])
def test_partners_cannot_post_the_sensitive_details(
    client: HttpClient, matrix_world: ProjectWorld, who: str
) -> None:
    participant = matrix_world.participant
    assert participant is not None
    client.force_login(matrix_world.people[USERS[who]])

    response = client.post(
        reverse("projects:participant_sensitive", kwargs={"public_id": participant.public_id}),
        {"sensitive-minority": "yes"},
    )

    assert response.status_code == 404
    assert participant.sensitive.minority == ""
