"""The research pages as the users who may and may not use them."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from polku.audit.models import AccessLogEntry
from polku.insights.enums import StudyState
from polku.insights.models import ResearchExtract, Study
from polku.insights.tests.fixtures_research import (
    ResearchWorld,
    make_client,
    make_episode,
    make_research_world,
    make_study,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(programmes, make_organisation, make_professional) -> ResearchWorld:
    return make_research_world(make_organisation, make_professional)


def url(name: str, study: Study | None = None) -> str:
    return reverse(f"insights:{name}", kwargs={"public_id": study.public_id} if study else None)


FORM = {
    "code": "TTL/77/2026",
    "title": "Tuetun työllistymisen seuranta",
    "purpose": "Siirtymät työhön.",
    "approver": "Tietolupaviranomainen Findata",
    "decision_reference": "THL/5678/14.02.00/2026",
    "decision_date": "2026-02-01",
    "data_from": "2025-01-01",
    "data_until": "2025-12-31",
    "variables": ["pseudonym", "gender"],
    "date_handling": "month",
}


def test_the_analyst_records_a_study_and_the_other_administrator_approves_it(client, world):
    client.force_login(world.analyst)
    assert client.get(url("study_create")).status_code == 200
    response = client.post(url("study_create"), {**FORM, "organisation": world.tampere.pk})
    study = Study.objects.get()
    assert response.status_code == 302
    assert (study.state, study.recorded_by, study.variables) == (
        StudyState.DRAFT,
        world.analyst,
        ["pseudonym", "gender"],
    )
    page = client.get(url("study", study)).content.decode()
    assert "TTL/77/2026" in page
    assert "Make the extract" not in page
    assert "Approve the study" not in page

    client.force_login(world.approver)
    assert "Approve the study" in client.get(url("study", study)).content.decode()
    assert client.post(url("study_approve", study)).status_code == 302
    assert Study.objects.get().state == StudyState.APPROVED


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"data_from": "2026-01-01"}, "data_until", "The data range cannot end before it starts."),
        ({"variables": ["pseudonym", "name"]}, "variables", "Unknown variable: name."),
        ({"variables": []}, "variables", "Choose at least one variable."),
        ({"code": "thl/1234/2026"}, "code", "A study with this id has been recorded already."),
    ],
)
def test_bad_input_is_refused_with_a_message(client, world, change, field, message):
    make_study(world)
    client.force_login(world.analyst)

    response = client.post(
        url("study_create"), {**FORM, "organisation": world.tampere.pk, **change}
    )

    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert Study.objects.count() == 1


def test_an_analyst_records_only_for_their_organisation(client, world):
    client.force_login(world.analyst)
    response = client.post(url("study_create"), {**FORM, "organisation": world.espoo.pk})
    assert response.status_code == 400
    assert not Study.objects.exists()


def test_the_analyst_makes_the_extract(client, world):
    make_episode(make_client(1), world.tampere, world.worker, started_on=date(2025, 1, 1))
    study = make_study(world)
    client.force_login(world.analyst)
    assert "Make the extract" in client.get(url("study", study)).content.decode()

    response = client.post(url("study_extract", study))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="research-THL-1234-2026-'
    )
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["codebook.csv", "extract.csv"]
    assert ResearchExtract.objects.get().persons == 1
    assert AccessLogEntry.objects.count() == 1
    assert "SHA-256 of the file" in client.get(url("study", study)).content.decode()


@pytest.mark.parametrize("who", ["worker", "other_analyst"])
def test_others_get_404_and_nothing_is_made(client, world, who):
    make_episode(make_client(1), world.tampere, world.worker, started_on=date(2025, 1, 1))
    study = make_study(world)
    client.force_login(getattr(world, who))

    for name in ("study", "study_approve", "study_close"):
        method = client.get if name == "study" else client.post
        assert method(url(name, study)).status_code == 404
    assert client.post(url("study_extract", study)).status_code == 404
    listing = client.get(url("studies"))
    if who == "worker":
        assert listing.status_code == 403
    else:
        assert "THL/1234/2026" not in listing.content.decode()
    assert not ResearchExtract.objects.exists()
    assert not AccessLogEntry.objects.exists()
    assert Study.objects.get().state == StudyState.APPROVED


def test_administrators_read_but_never_extract(client, world):
    make_episode(make_client(1), world.tampere, world.worker, started_on=date(2025, 1, 1))
    study = make_study(world)
    client.force_login(world.approver)

    assert "THL/1234/2026" in client.get(url("studies")).content.decode()
    assert "Make the extract" not in client.get(url("study", study)).content.decode()
    assert client.post(url("study_extract", study)).status_code == 403
    assert client.post(url("study_approve", study)).status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_a_draft_gets_no_extract_from_the_page(client, world):
    study = make_study(world, approve=False)
    client.force_login(world.analyst)
    assert client.post(url("study_extract", study)).status_code == 403
    assert not ResearchExtract.objects.exists()
