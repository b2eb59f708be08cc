"""The self-evaluation page, the goal, action and result pages and the evidence document:
who sees them, what managers record through them, and bad input kept on the form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import plain_table_markup
from polku.projects import tracking_services as services
from polku.projects.enums import EvidenceKind, ProgressStatus
from polku.projects.models import Goal, GoalAction, ProgressChange, ResultMetric
from polku.projects.tests.fixtures_tracking import TODAY, ProjectWorld, make_project_world
from polku.projects.tracking_selectors import progress_summary, progress_table
from polku.projects.tracking_services import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_world(programmes, make_organisation, make_professional) -> ProjectWorld:
    return make_project_world(make_organisation, make_professional)


PDF_BYTES = b"%PDF-1.7\n%%EOF\n"


def _tree(pw: ProjectWorld) -> tuple[Goal, GoalAction, ResultMetric]:
    actor = pw.actor()
    goal = services.add_goal(actor=actor, project=pw.project, text="Osallistujat työllistyvät")
    action = services.add_action(actor=actor, goal=goal, text="Työkokeilut", responsible="Ville")
    result = services.add_result(
        actor=actor, action=action, text="Palaute työnantajilta", target_value=20
    )
    return goal, action, result


def _edit_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "form": "edit",
        "edit-text": "Palaute työnantajilta",
        "edit-responsible": "",
        "edit-status": ProgressStatus.IN_PROGRESS,
        "edit-target_value": "20",
        "edit-target_unit": "",
        "edit-achieved_value": "",
        "edit-evidence_kind": "",
        "edit-evidence_link": "",
        "edit-live_figure": "",
        "edit-note": "",
    }
    data.update({f"edit-{key}": value for key, value in changes.items()})
    return data


def test_the_empty_page_explains_how_to_start(client, project_world: ProjectWorld) -> None:
    pw = project_world
    client.force_login(pw.manager)

    response = client.get(reverse("projects:goals", kwargs={"public_id": pw.project.public_id}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "The project has no goals yet." in page
    assert "Add a goal" in page

    client.force_login(pw.worker)
    page = client.get(
        reverse("projects:goals", kwargs={"public_id": pw.project.public_id})
    ).content.decode()
    assert "The project's managers add the goals." in page
    assert "Add a goal" not in page


def test_a_manager_adds_a_goal_and_an_empty_one_is_refused(
    client, project_world: ProjectWorld
) -> None:
    pw = project_world
    client.force_login(pw.manager)
    url = reverse("projects:goals", kwargs={"public_id": pw.project.public_id})

    refused = client.post(url, {"form": "goal", "goal-text": ""})
    assert refused.status_code == 400
    assert "Please check the following" in refused.content.decode()
    assert not Goal.objects.exists()

    response = client.post(url, {"form": "goal", "goal-text": "Työllistyminen"})
    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:goal", kwargs={"public_id": goal.public_id})


def test_the_table_shows_status_progress_evidence_and_live_figures(
    client, project_world: ProjectWorld
) -> None:
    pw = project_world
    _goal, action, result = _tree(pw)
    other = services.add_result(actor=pw.actor(), action=action, text="Työpaikat")
    services.update_result(
        actor=pw.actor(),
        result=result,
        text=result.text,
        responsible="",
        status=ProgressStatus.DONE,
        target_value=20,
        target_unit="",
        achieved_value=None,
        evidence=Evidence(kind=EvidenceKind.LIVE_FIGURE, live_figure="in_work_at_exit"),
    )
    client.force_login(pw.partner_worker)

    response = client.get(reverse("projects:goals", kwargs={"public_id": pw.project.public_id}))

    page = plain_table_markup(response.content.decode())
    assert response.status_code == 200
    assert "Results achieved: 1 / 2 (50 %)" in page
    assert '<progress id="progress-1" max="2" value="1">' in page
    assert "<td>0 / 0</td>" in page
    assert "<td>Participants in work at exit" in page
    assert f"Changed {TODAY:%-d.%-m.%Y} by {pw.manager}" in page
    assert '<span class="badge badge--ok">Achieved</span>' in page
    assert other.text in page
    assert "Add a goal" not in page


def test_progress_table_shape(project_world: ProjectWorld) -> None:
    pw = project_world
    _tree(pw)

    table = progress_table(pw.project)

    assert [row.number for row in table] == ["1"]
    assert table[0].actions[0].number == "1.1"
    row = table[0].actions[0].results[0]
    assert (row.number, row.target, row.achieved, row.status) == ("1.1.1", "20", "–", "not_started")
    assert row.evidence.description == "No evidence yet"
    assert row.last_change is not None
    assert row.last_change.changed_by == str(pw.manager)
    summary = progress_summary(table)
    assert (summary.goals, summary.actions, summary.results, summary.share) == (1, 1, 1, 0)


def test_a_manager_records_progress_on_a_result_with_a_link(
    client, project_world: ProjectWorld
) -> None:
    pw = project_world
    _goal, _action, result = _tree(pw)
    client.force_login(pw.manager)
    url = reverse("projects:result", kwargs={"public_id": result.public_id})

    response = client.post(
        url,
        _edit_data(
            evidence_kind="link",
            evidence_link="https://example.org/palautteet",
            achieved_value="4",
            note="Neljä palautetta",
        ),
    )

    assert response.status_code == 302
    result.refresh_from_db()
    assert (result.status, result.evidence_link) == (
        "in_progress",
        "https://example.org/palautteet",
    )
    page = client.get(url).content.decode()
    assert "Neljä palautetta" in page
    assert "Status: Not started → In progress" in page
    assert "Evidence: No evidence yet → Link: https://example.org/palautteet" in page


def test_a_javascript_link_is_refused_and_the_form_keeps_the_input(
    client, project_world: ProjectWorld
) -> None:
    pw = project_world
    _goal, _action, result = _tree(pw)
    client.force_login(pw.manager)
    rows = ProgressChange.objects.count()

    response = client.post(
        reverse("projects:result", kwargs={"public_id": result.public_id}),
        _edit_data(evidence_kind="link", evidence_link="javascript:alert(1)", note="Kokeilu"),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Give a web address that begins with https:// or http://." in page
    assert 'href="#id_edit-evidence_link"' in page
    assert "Kokeilu" in page
    assert ProgressChange.objects.count() == rows
    result.refresh_from_db()
    assert result.status == ProgressStatus.NOT_STARTED


def test_the_evidence_document_is_downloaded_by_readers_only(
    client, project_world: ProjectWorld
) -> None:
    pw = project_world
    _goal, _action, result = _tree(pw)
    client.force_login(pw.manager)
    response = client.post(
        reverse("projects:result", kwargs={"public_id": result.public_id}),
        {
            **_edit_data(evidence_kind="document"),
            "edit-evidence_document": SimpleUploadedFile("raportti.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    url = reverse("projects:evidence_document", kwargs={"public_id": result.public_id})

    client.force_login(pw.coordinator)
    download = client.get(url)
    assert download.status_code == 200
    assert download.content == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"

    client.force_login(pw.outsider)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["worker", "partner_worker", "coordinator"])
def test_readers_see_the_pages_without_forms_and_may_not_post(
    client, project_world: ProjectWorld, who: str
) -> None:
    pw = project_world
    goal, action, result = _tree(pw)
    client.force_login(getattr(pw, who))

    for name, target in (
        ("projects:goals", pw.project),
        ("projects:goal", goal),
        ("projects:action", action),
        ("projects:result", result),
    ):
        response = client.get(reverse(name, kwargs={"public_id": target.public_id}))
        assert response.status_code == 200
        assert "Record progress" not in response.content.decode()

    refused = client.post(
        reverse("projects:result", kwargs={"public_id": result.public_id}),
        _edit_data(status=ProgressStatus.DONE),
    )
    assert refused.status_code == 403
    refused = client.post(
        reverse("projects:goals", kwargs={"public_id": pw.project.public_id}),
        {"form": "goal", "goal-text": "Uusi"},
    )
    assert refused.status_code == 403
    result.refresh_from_db()
    assert result.status == ProgressStatus.NOT_STARTED
    assert Goal.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "other_manager"])
def test_outsiders_get_not_found(client, project_world: ProjectWorld, who: str) -> None:
    pw = project_world
    goal, action, result = _tree(pw)
    client.force_login(getattr(pw, who))

    for name, target in (
        ("projects:goals", pw.project),
        ("projects:goal", goal),
        ("projects:action", action),
        ("projects:result", result),
        ("projects:communication", pw.project),
        ("projects:evaluation", pw.project),
    ):
        assert client.get(reverse(name, kwargs={"public_id": target.public_id})).status_code == 404
    assert (
        client.post(
            reverse("projects:result", kwargs={"public_id": result.public_id}),
            _edit_data(status=ProgressStatus.DONE),
        ).status_code
        == 404
    )


def test_a_manager_adds_an_action_and_a_result_through_the_pages(
    client, project_world: ProjectWorld
) -> None:
    pw = project_world
    goal = services.add_goal(actor=pw.actor(), project=pw.project, text="Työllistyminen")
    client.force_login(pw.manager)

    client.post(
        reverse("projects:goal", kwargs={"public_id": goal.public_id}),
        {"form": "action", "action-text": "Työnantajayhteistyö", "action-responsible": "Pirjo"},
    )
    action = GoalAction.objects.get()
    response = client.post(
        reverse("projects:action", kwargs={"public_id": action.public_id}),
        {
            "form": "result",
            "result-text": "Uusia työnantajakumppaneita",
            "result-target_value": "10",
            "result-target_unit": "yritystä",
        },
    )
    result = ResultMetric.objects.get()
    assert response["Location"] == reverse(
        "projects:result", kwargs={"public_id": result.public_id}
    )
    assert (result.number, result.target_value, result.target_unit) == (1, 10, "yritystä")

    response = client.post(
        reverse("projects:action", kwargs={"public_id": action.public_id}),
        {
            "form": "edit",
            "edit-text": action.text,
            "edit-responsible": "Pirjo",
            "edit-status": ProgressStatus.AT_RISK,
            "edit-note": "Kesä hidasti",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("projects:action", kwargs={"public_id": action.public_id}))
    assert "Status: Not started → Delayed or at risk" in page.content.decode()


def test_another_projects_ids_are_refused(client, project_world: ProjectWorld) -> None:
    """A manager of one project reaches none of another project's goals, actions or
    results, whichever page the id is sent to."""
    pw = project_world
    goal, _action, _result = _tree(pw)
    client.force_login(pw.other_manager)
    other_goal = services.add_goal(
        actor=pw.actor(pw.other_manager), project=pw.other_project, text="Oma"
    )

    assert (
        client.post(
            reverse("projects:goal", kwargs={"public_id": goal.public_id}),
            {"form": "action", "action-text": "Vieras"},
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("projects:goal", kwargs={"public_id": other_goal.public_id})).status_code
        == 200
    )
    assert GoalAction.objects.filter(goal=goal).count() == 1


def test_the_table_page_makes_as_many_queries_for_many_rows_as_for_one(
    client, project_world: ProjectWorld
) -> None:
    pw = project_world
    _tree(pw)
    client.force_login(pw.manager)
    url = reverse("projects:goals", kwargs={"public_id": pw.project.public_id})
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        _goal, _action, result = _tree(pw)
        services.update_result(
            actor=pw.actor(),
            result=result,
            text=result.text,
            responsible="",
            status=ProgressStatus.IN_PROGRESS,
            target_value=None,
            target_unit="",
            achieved_value=None,
            evidence=Evidence(kind=EvidenceKind.LIVE_FIGURE, live_figure="case_manager"),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.status_code == 200
    assert len(many.captured_queries) == len(one.captured_queries)


def test_a_manager_edits_and_removes_through_the_pages(client, project_world: ProjectWorld) -> None:
    pw = project_world
    goal, action, result = _tree(pw)
    second = services.add_action(actor=pw.actor(), goal=goal, text="Toinen")
    client.force_login(pw.manager)
    goal_url = reverse("projects:goal", kwargs={"public_id": goal.public_id})

    client.post(goal_url, {"form": "edit", "edit-text": "Osallistujat työllistyvät pysyvästi"})
    goal.refresh_from_db()
    assert goal.text == "Osallistujat työllistyvät pysyvästi"

    response = client.post(
        reverse("projects:result", kwargs={"public_id": result.public_id}),
        {"form": "remove", "remove-note": "Mittari vaihdettiin"},
    )
    assert response["Location"] == reverse(
        "projects:action", kwargs={"public_id": action.public_id}
    )
    assert not ResultMetric.objects.exists()

    response = client.post(
        reverse("projects:action", kwargs={"public_id": action.public_id}),
        {"form": "remove", "remove-note": ""},
    )
    assert response["Location"] == goal_url
    second.refresh_from_db()
    assert second.number == 1

    response = client.post(goal_url, {"form": "remove", "remove-note": "Yhdistettiin"})
    assert response["Location"] == reverse(
        "projects:goals", kwargs={"public_id": pw.project.public_id}
    )
    assert not Goal.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Goal removed: 1. Osallistujat työllistyvät pysyvästi → –" in page
    assert "Yhdistettiin" in page


def test_the_table_counts_live_figures_on_the_day_asked(project_world: ProjectWorld) -> None:
    """The report of a past period counts the live figures at its end."""
    pw = project_world
    _goal, _action, result = _tree(pw)
    services.update_result(
        actor=pw.actor(),
        result=result,
        text=result.text,
        responsible="",
        status=ProgressStatus.IN_PROGRESS,
        target_value=None,
        target_unit="",
        achieved_value=None,
        evidence=Evidence(kind=EvidenceKind.LIVE_FIGURE, live_figure="in_work_at_exit"),
    )
    left_on = TODAY - timedelta(days=10)
    pw.enrol(pw.world.new_client(1), left_on=left_on, exit_observed_on=left_on, exit_employed=True)

    before = progress_table(pw.project, on=left_on - timedelta(days=1))[0].results[0]
    today = progress_table(pw.project)[0].results[0]

    assert before.achieved == "0 / 0"
    assert today.achieved == "1 / 1 (100 %)"
    assert today.evidence.live_value is not None
    assert today.evidence.live_value.as_of == TODAY
