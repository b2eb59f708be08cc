"""The communication and evaluation plans: rows added, edited, their status set, removed,
by the project's managers only; pages for readers."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from conftest import plain_table_markup
from polku.projects import plan_services as services
from polku.projects.enums import ProgressStatus
from polku.projects.models import CommunicationItem, EvaluationQuestion
from polku.projects.tests.fixtures_tracking import ProjectWorld, make_project_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_world(programmes, make_organisation, make_professional) -> ProjectWorld:
    return make_project_world(make_organisation, make_professional)


COMMUNICATION = {
    "goal": "Hankkeen tunnettuus työnantajien keskuudessa",
    "target_groups": "Alueen pk-yritykset",
    "channels": "Yrittäjäyhdistyksen tilaisuudet, LinkedIn",
    "timing": "Syksy 2026",
    "responsible": "Projektipäällikkö",
}
EVALUATION = {
    "question": "Paraneeko osallistujien työkyky?",
    "data": "Työkykyindeksi alussa ja lopussa",
    "source": "Osallistujat",
    "method": "Kyselymittaus",
    "timing": "Jatkuva",
}


def test_a_manager_keeps_the_communication_plan(project_world: ProjectWorld) -> None:
    pw = project_world
    first = services.add_communication_item(actor=pw.actor(), project=pw.project, **COMMUNICATION)
    second = services.add_communication_item(
        actor=pw.actor(), project=pw.project, **{**COMMUNICATION, "timing": "Kevät 2027"}
    )
    assert (first.position, second.position, first.status) == (1, 2, "not_started")

    services.set_plan_row_status(actor=pw.actor(), row=first, status=ProgressStatus.DONE)
    services.edit_plan_row(
        actor=pw.actor(),
        row=second,
        status=ProgressStatus.IN_PROGRESS,
        **{**COMMUNICATION, "channels": "Uutiskirje"},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.channels) == ("done", "in_progress", "Uutiskirje")

    services.remove_plan_row(actor=pw.actor(), row=first)
    assert list(CommunicationItem.objects.values_list("pk", flat=True)) == [second.pk]


def test_a_manager_keeps_the_evaluation_plan(project_world: ProjectWorld) -> None:
    pw = project_world
    row = services.add_evaluation_question(actor=pw.actor(), project=pw.project, **EVALUATION)

    services.edit_plan_row(
        actor=pw.actor(),
        row=row,
        status=ProgressStatus.AT_RISK,
        **{**EVALUATION, "method": "Haastattelu"},
    )

    row.refresh_from_db()
    assert (row.method, row.status) == ("Haastattelu", "at_risk")


def test_bad_input_is_refused_and_nothing_changes(project_world: ProjectWorld) -> None:
    pw = project_world
    with pytest.raises(ValidationError) as refused:
        services.add_evaluation_question(
            actor=pw.actor(),
            project=pw.project,
            **{**EVALUATION, "question": " ", "timing": "x" * 201},
        )
    assert set(refused.value.message_dict) == {"question", "timing"}
    row = services.add_evaluation_question(actor=pw.actor(), project=pw.project, **EVALUATION)
    with pytest.raises(ValidationError):
        services.set_plan_row_status(actor=pw.actor(), row=row, status="finished")
    row.refresh_from_db()
    assert row.status == "not_started"
    assert EvaluationQuestion.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("worker", PermissionDenied),
        ("partner_worker", PermissionDenied),
        ("coordinator", PermissionDenied),
        ("outsider", Http404),
        ("other_manager", Http404),
    ],
)
def test_only_the_managers_change_the_plans(
    project_world: ProjectWorld, who: str, refusal: type[Exception]
) -> None:
    pw = project_world
    row = services.add_communication_item(actor=pw.actor(), project=pw.project, **COMMUNICATION)
    actor = pw.actor(getattr(pw, who))

    with pytest.raises(refusal):
        services.add_communication_item(actor=actor, project=pw.project, **COMMUNICATION)
    with pytest.raises(refusal):
        services.set_plan_row_status(actor=actor, row=row, status=ProgressStatus.DONE)
    with pytest.raises(refusal):
        services.remove_plan_row(actor=actor, row=row)

    row.refresh_from_db()
    assert row.status == "not_started"
    assert CommunicationItem.objects.count() == 1


def test_the_plan_pages(client, project_world: ProjectWorld) -> None:
    pw = project_world
    client.force_login(pw.manager)
    url = reverse("projects:communication", kwargs={"public_id": pw.project.public_id})

    empty = client.get(url).content.decode()
    assert "The plan has no rows yet." in empty

    refused = client.post(url, {"form": "add", **{f"add-{k}": "" for k in COMMUNICATION}})
    assert refused.status_code == 400
    assert "Please check the following" in refused.content.decode()

    added = client.post(
        url,
        {
            "form": "add",
            "add-status": "not_started",
            **{f"add-{k}": v for k, v in COMMUNICATION.items()},
        },
    )
    assert added.status_code == 302
    row = CommunicationItem.objects.get()

    client.post(url, {"form": "status", "row": str(row.public_id), "status": "in_progress"})
    row.refresh_from_db()
    assert row.status == "in_progress"

    client.force_login(pw.partner_worker)
    page = plain_table_markup(client.get(url).content.decode())
    assert "<td>Alueen pk-yritykset</td>" in page
    assert "In progress" in page
    assert "Add a row" not in page
    assert (
        client.post(
            url, {"form": "status", "row": str(row.public_id), "status": "done"}
        ).status_code
        == 403
    )


def test_another_projects_row_is_refused_on_the_plan_page(
    client, project_world: ProjectWorld
) -> None:
    pw = project_world
    theirs = services.add_evaluation_question(
        actor=pw.actor(pw.other_manager), project=pw.other_project, **EVALUATION
    )
    client.force_login(pw.manager)

    response = client.post(
        reverse("projects:evaluation", kwargs={"public_id": pw.project.public_id}),
        {"form": "status", "row": str(theirs.public_id), "status": "done"},
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "not_started"


def test_a_row_is_edited_on_its_page(client, project_world: ProjectWorld) -> None:
    pw = project_world
    row = services.add_evaluation_question(actor=pw.actor(), project=pw.project, **EVALUATION)
    client.force_login(pw.manager)
    url = reverse("projects:evaluation_row", kwargs={"public_id": row.public_id})

    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"form": "edit", "status": "done", **{**EVALUATION, "source": "Työnantajat"}},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.source, row.status) == ("Työnantajat", "done")

    client.post(url, {"form": "remove"})
    assert not EvaluationQuestion.objects.exists()


def test_a_reader_sees_a_row_without_its_form(client, project_world: ProjectWorld) -> None:
    pw = project_world
    row = services.add_evaluation_question(actor=pw.actor(), project=pw.project, **EVALUATION)
    client.force_login(pw.coordinator)

    page = client.get(reverse("projects:evaluation_row", kwargs={"public_id": row.public_id}))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Paraneeko osallistujien työkyky?" in text
    assert "Not started" in text
    assert "Save the row" not in text
