"""Goals, actions and results: numbering, progress with its history, evidence checks, and
who may change them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from polku.projects import tracking_services as services
from polku.projects.enums import EvidenceKind, ProgressStatus
from polku.projects.models import Goal, GoalAction, ProgressChange, ResultMetric
from polku.projects.tests.fixtures_tracking import ProjectWorld, make_project_world
from polku.projects.tracking_services import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_world(programmes, make_organisation, make_professional) -> ProjectWorld:
    return make_project_world(make_organisation, make_professional)


PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _tree(pw: ProjectWorld) -> tuple[Goal, GoalAction, ResultMetric]:
    actor = pw.actor()
    goal = services.add_goal(actor=actor, project=pw.project, text="Osallistujat työllistyvät")
    action = services.add_action(
        actor=actor, goal=goal, text="Työkokeilut yrityksissä", responsible="Ville"
    )
    result = services.add_result(
        actor=actor,
        action=action,
        text="Työkokeiluista palaute työnantajalta",
        target_value=20,
        target_unit="kokeilua",
    )
    return goal, action, result


def _update(pw: ProjectWorld, result: ResultMetric, **changes: object) -> ResultMetric:
    values: dict[str, object] = {
        "text": result.text,
        "responsible": result.responsible,
        "status": result.status,
        "target_value": result.target_value,
        "target_unit": result.target_unit,
        "achieved_value": result.achieved_value,
        "evidence": None,
        "note": "",
    }
    values.update(changes)
    return services.update_result(actor=pw.actor(), result=result, **values)  # type: ignore[arg-type]


def test_goals_actions_and_results_are_numbered_in_order(project_world: ProjectWorld) -> None:
    pw = project_world
    actor = pw.actor()
    first = services.add_goal(actor=actor, project=pw.project, text="Yksi")
    second = services.add_goal(actor=actor, project=pw.project, text="Kaksi")
    a1 = services.add_action(actor=actor, goal=second, text="A")
    a2 = services.add_action(actor=actor, goal=second, text="B")
    r1 = services.add_result(actor=actor, action=a2, text="R")
    assert (first.number, second.number, a1.number, a2.number, r1.number) == (1, 2, 1, 2, 1)

    services.remove_goal(actor=actor, goal=first, note="Yhdistetty")

    second.refresh_from_db()
    assert second.number == 1
    assert services.add_goal(actor=actor, project=pw.project, text="Kolme").number == 2


def test_recording_progress_on_a_result_writes_one_history_row(
    project_world: ProjectWorld,
) -> None:
    pw = project_world
    _goal, _action, result = _tree(pw)

    updated = _update(
        pw,
        result,
        status=ProgressStatus.IN_PROGRESS,
        achieved_value="7",
        evidence=Evidence(kind=EvidenceKind.LINK, link="https://example.org/raportti"),
        note="Ensimmäiset kokeilut",
    )

    assert updated.status == ProgressStatus.IN_PROGRESS
    assert updated.achieved_value == Decimal("7.00")
    change = ProgressChange.objects.filter(result=result).first()
    assert change is not None
    assert change.changed_by == pw.manager
    assert change.note == "Ensimmäiset kokeilut"
    assert change.changes == {
        "status": {"old": "not_started", "new": "in_progress"},
        "achieved_value": {"old": None, "new": "7.00"},
        "evidence": {
            "old": {"kind": "", "detail": ""},
            "new": {"kind": "link", "detail": "https://example.org/raportti"},
        },
    }


def test_progress_on_an_action_is_kept_in_its_history(project_world: ProjectWorld) -> None:
    pw = project_world
    _goal, action, _result = _tree(pw)

    services.update_action(
        actor=pw.actor(),
        action=action,
        text=action.text,
        responsible="Pirjo",
        status=ProgressStatus.AT_RISK,
        note="Yrityksiä vähän",
    )

    latest = ProgressChange.objects.filter(action=action).first()
    assert latest is not None
    assert latest.changes == {
        "responsible": {"old": "Ville", "new": "Pirjo"},
        "status": {"old": "not_started", "new": "at_risk"},
    }


def test_nothing_changed_and_no_note_is_refused(project_world: ProjectWorld) -> None:
    pw = project_world
    _goal, _action, result = _tree(pw)
    rows = ProgressChange.objects.count()

    with pytest.raises(ValidationError):
        _update(pw, result)

    assert ProgressChange.objects.count() == rows


def test_a_live_figure_as_evidence(project_world: ProjectWorld) -> None:
    pw = project_world
    _goal, _action, result = _tree(pw)

    updated = _update(
        pw, result, evidence=Evidence(kind=EvidenceKind.LIVE_FIGURE, live_figure="case_manager")
    )

    assert (updated.evidence_kind, updated.live_figure) == ("live_figure", "case_manager")
    with pytest.raises(ValidationError) as refused:
        _update(pw, updated, evidence=Evidence(kind=EvidenceKind.LIVE_FIGURE, live_figure="x"))
    assert "live_figure" in refused.value.message_dict


def test_a_document_is_stored_and_kept_when_no_new_one_is_given(
    project_world: ProjectWorld,
) -> None:
    pw = project_world
    _goal, _action, result = _tree(pw)

    document = SimpleUploadedFile("palaute.pdf", PDF_BYTES, content_type="application/pdf")
    _update(pw, result, evidence=Evidence(kind=EvidenceKind.DOCUMENT, document=document))
    result.refresh_from_db()
    assert bytes(result.evidence_document or b"") == PDF_BYTES
    assert (result.evidence_name, result.evidence_content_type) == (
        "palaute.pdf",
        "application/pdf",
    )

    _update(
        pw,
        result,
        status=ProgressStatus.DONE,
        evidence=Evidence(kind=EvidenceKind.DOCUMENT),
    )
    result.refresh_from_db()
    assert bytes(result.evidence_document or b"") == PDF_BYTES
    assert result.status == ProgressStatus.DONE


@pytest.mark.parametrize(
    ("evidence", "field"),
    [
        (Evidence(kind=EvidenceKind.LINK, link="javascript:alert(1)"), "evidence_link"),
        (Evidence(kind=EvidenceKind.LINK, link="data:text/html,<p>x</p>"), "evidence_link"),
        (Evidence(kind=EvidenceKind.LINK, link="ftp://example.org/a"), "evidence_link"),
        (Evidence(kind=EvidenceKind.LINK, link=""), "evidence_link"),
        (Evidence(kind=EvidenceKind.DOCUMENT), "evidence_document"),
        (Evidence(kind="video"), "evidence_kind"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_changes(
    project_world: ProjectWorld, evidence: Evidence, field: str
) -> None:
    pw = project_world
    _goal, _action, result = _tree(pw)
    rows = ProgressChange.objects.count()

    with pytest.raises(ValidationError) as refused:
        _update(pw, result, status=ProgressStatus.DONE, evidence=evidence, note="x")

    assert field in refused.value.message_dict
    result.refresh_from_db()
    assert (result.status, result.evidence_kind) == (ProgressStatus.NOT_STARTED, "")
    assert ProgressChange.objects.count() == rows


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("iso.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "at most 5 MB"),
        ("skripti.js", b"alert(1)", "Attach a PDF"),
        ("sivu.html", b"<html></html>", "Attach a PDF"),
        ("naamioitu.pdf", b"<html><script>alert(1)</script></html>", "not of the type"),
        ("kuva.png", PDF_BYTES, "not of the type"),
    ],
)
def test_a_document_too_big_or_of_the_wrong_type_is_refused(
    project_world: ProjectWorld, name: str, content: bytes, message: str
) -> None:
    pw = project_world
    _goal, _action, result = _tree(pw)
    document = SimpleUploadedFile(name, content)

    with pytest.raises(ValidationError) as refused:
        _update(pw, result, evidence=Evidence(kind=EvidenceKind.DOCUMENT, document=document))

    assert message in " ".join(refused.value.message_dict["evidence_document"])
    result.refresh_from_db()
    assert result.evidence_document is None


@pytest.mark.parametrize(
    ("field", "value"),
    [("target_value", "-1"), ("achieved_value", "abc"), ("target_value", "1.234")],
)
def test_bad_values_are_refused(project_world: ProjectWorld, field: str, value: str) -> None:
    pw = project_world
    _goal, _action, result = _tree(pw)

    with pytest.raises(ValidationError) as refused:
        _update(pw, result, **{field: value})

    assert field in refused.value.message_dict


def test_an_empty_goal_is_refused(project_world: ProjectWorld) -> None:
    with pytest.raises(ValidationError):
        services.add_goal(actor=project_world.actor(), project=project_world.project, text="  ")
    assert not Goal.objects.exists()


def test_removing_keeps_the_history_on_the_project(project_world: ProjectWorld) -> None:
    pw = project_world
    goal, action, result = _tree(pw)
    _update(pw, result, status=ProgressStatus.DONE, note="Valmis")

    services.remove_action(actor=pw.actor(), action=action, note="Toimenpide päättyi")

    assert not ResultMetric.objects.exists()
    kept = ProgressChange.objects.filter(project=pw.project)
    assert kept.filter(note="Valmis", result__isnull=True).exists()
    removed = kept.first()
    assert removed is not None
    assert removed.note == "Toimenpide päättyi"
    assert removed.changes == {"removed_action": {"old": "1.1 Työkokeilut yrityksissä", "new": ""}}
    services.remove_goal(actor=pw.actor(), goal=goal)
    assert ProgressChange.objects.filter(project=pw.project).count() == kept.count()


@pytest.mark.parametrize("who", ["worker", "partner_worker", "coordinator"])
def test_readers_may_not_edit(project_world: ProjectWorld, who: str) -> None:
    pw = project_world
    goal, _action, result = _tree(pw)
    actor = pw.actor(getattr(pw, who))

    with pytest.raises(PermissionDenied):
        services.add_goal(actor=actor, project=pw.project, text="Uusi")
    with pytest.raises(PermissionDenied):
        services.update_result(
            actor=actor,
            result=result,
            text="x",
            responsible="",
            status=ProgressStatus.DONE,
            target_value=None,
            target_unit="",
            achieved_value=None,
        )
    with pytest.raises(PermissionDenied):
        services.remove_goal(actor=actor, goal=goal)

    assert Goal.objects.count() == 1
    result.refresh_from_db()
    assert result.status == ProgressStatus.NOT_STARTED


@pytest.mark.parametrize("who", ["outsider", "other_manager"])
def test_outsiders_are_not_told_the_project_exists(project_world: ProjectWorld, who: str) -> None:
    pw = project_world
    goal, _action, _result = _tree(pw)
    actor = pw.actor(getattr(pw, who))

    with pytest.raises(Http404):
        services.add_goal(actor=actor, project=pw.project, text="Uusi")
    with pytest.raises(Http404):
        services.add_action(actor=actor, goal=goal, text="Uusi")
    assert Goal.objects.count() == 1
    assert GoalAction.objects.count() == 1
