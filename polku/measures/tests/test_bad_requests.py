"""Bad input on the measurement pages gets a plain 4xx with a message and changes nothing;
no error page shows a client's data."""

from __future__ import annotations

import json

import pytest
from django.test import Client as TestClient
from django.urls import reverse

from polku.audit.models import AccessLogEntry
from polku.measures import services
from polku.measures.models import Administration, AnswerLink, InstrumentVersion, Schedule
from polku.measures.tests.test_answering import link_url
from polku.measures.tests.test_measurements import start, with_wording

pytestmark = pytest.mark.django_db

NO_SUCH_QUESTION = "This questionnaire has no such question."
BAD_STEPS = ["²", "9" * 5000, "0", "11", "-1", "1.5", "٣"]


@pytest.mark.parametrize(
    ("remove", "message"),
    [
        ("abc", "This row is not in the schedule (any more)."),
        ("999999", "This row is not in the schedule (any more)."),
        ("1\x00", "Null characters are not allowed."),
        ("", "Choose the row of the schedule to remove."),
    ],
)
def test_removing_a_schedule_row_that_is_not_one_is_refused_and_changes_nothing(
    client, setting, remove, message
):
    client.force_login(setting.admin)
    before = list(Schedule.objects.order_by("pk").values_list("pk", flat=True))

    response = client.post(reverse("measures:schedules"), {"remove": remove})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(Schedule.objects.order_by("pk").values_list("pk", flat=True)) == before


def test_a_link_for_a_completed_measurement_is_refused_and_makes_nothing(client, setting):
    administration = start(setting, channel="link")
    services.save_answers(
        actor=setting.actor(), administration=administration, answers={"was": 7}, submit=True
    )
    url = reverse("measures:link", kwargs={"public_id": administration.public_id})
    client.force_login(setting.worker)
    rows_before = AccessLogEntry.objects.count()

    shown = client.get(url)
    made = client.post(url)

    for response in (shown, made):
        assert response.status_code == 409
        assert "This questionnaire has already been completed; it needs no link." in (
            response.content.decode()
        )
    assert not AnswerLink.objects.filter(administration=administration).exists()
    assert AccessLogEntry.objects.count() == rows_before


@pytest.fixture
def ten_questions(setting):
    with_wording(setting, "inclusion-indicator")
    return start(setting, code="inclusion-indicator", channel="link")


@pytest.mark.parametrize("step", BAD_STEPS)
def test_a_step_that_is_no_question_is_refused_on_the_public_page(
    client, setting, ten_questions, step
):
    url = link_url(setting, ten_questions)

    shown = client.get(f"{url}&{_step(step)}")
    posted = client.post(f"{url}&{_step(step)}", {"o1": "4", "go": "next"})

    for response in (shown, posted):
        assert response.status_code == 400
        text = response.content.decode()
        assert NO_SUCH_QUESTION in text
        assert "Mira" not in text
        assert "Mittari" not in text
    ten_questions.refresh_from_db()
    assert ten_questions.answers == {}


@pytest.mark.parametrize("step", BAD_STEPS)
def test_a_step_that_is_no_question_is_refused_on_the_answer_page(
    client, setting, ten_questions, step
):
    url = reverse("measures:answer", kwargs={"public_id": ten_questions.public_id})
    client.force_login(setting.worker)

    shown = client.get(f"{url}?{_step(step)}")
    posted = client.post(f"{url}?{_step(step)}", {"o1": "4", "save": "1"})

    for response in (shown, posted):
        assert response.status_code == 400
        assert NO_SUCH_QUESTION in response.content.decode()
    ten_questions.refresh_from_db()
    assert ten_questions.answers == {}


def test_the_steps_of_a_questionnaire_still_work(client, setting, ten_questions):
    url = link_url(setting, ten_questions)

    assert "Question 10 of 10" in client.get(f"{url}&step=10").content.decode()
    assert "Question 1 of 10" in client.get(f"{url}&step=01").content.decode()
    response = client.post(f"{url}&step=10", {"o10": "3", "go": "next"})  # past the last

    assert response.status_code == 302
    assert response["Location"].endswith("step=10")


def _step(step: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"step": step})


def test_an_error_page_never_shows_the_clients_data(setting, settings, monkeypatch):
    """Even the development debug page, reached by anyone holding a link."""
    settings.DEBUG = True
    administration = start(setting, channel="link")
    url = link_url(setting, administration)

    def fail(**kwargs):
        raise RuntimeError("saving failed")

    monkeypatch.setattr(services, "answer_through_link", fail)
    browser = TestClient(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)

    response = browser.post(url, {"was": "8", "submit": "1"})

    assert response.status_code == 500
    text = response.content.decode()
    assert "RuntimeError" in text  # the debug page, with its traceback
    assert "Mira" not in text
    assert "Mittari" not in text
    assert "1988-02-02" not in text


@pytest.mark.parametrize(
    "path",
    [
        "/measures/instruments/work-ability-score/1.1%00/fhir.json",
        "/measures/instruments/work-ability-score/1.1%00/wording/",
        "/measures/instruments/editor/?from=work-ability-score%00/1.1",
        "/measures/instruments/editor/?from=work-ability-score/1.1%00",
    ],
)
def test_a_nul_character_in_an_instruments_address_is_not_found(client, setting, path):
    client.force_login(setting.admin)

    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("version", "problem"),
    [
        ("1.0\x00", "version: must not contain the NUL character (\\u0000)"),
        ("", "is not a valid version"),
        ("1/2", "is not a valid version"),
        ("1" * 33, "is not a valid version"),
    ],
)
def test_a_version_the_database_or_an_address_cannot_hold_is_refused(
    client, setting, version, problem
):
    data = services.latest_version("work-ability-score").definition_data | {"version": version}
    client.force_login(setting.admin)
    before = InstrumentVersion.objects.count()

    response = client.post(reverse("measures:instrument_editor"), {"definition": json.dumps(data)})

    assert response.status_code == 400
    assert problem in response.content.decode()
    assert InstrumentVersion.objects.count() == before


def test_a_nul_character_anywhere_in_a_definition_is_refused(setting):
    data = services.latest_version("work-ability-score").definition_data | {"version": "2.0"}
    data["title"] = {"fi": "Työkyky\x00pistemäärä"}
    before = InstrumentVersion.objects.count()

    with pytest.raises(services.DefinitionError) as refused:
        services.import_definition(data, source="import")

    assert refused.value.problems == ["title.fi: must not contain the NUL character (\\u0000)"]
    assert InstrumentVersion.objects.count() == before


def test_an_instrument_whose_code_has_a_dot_has_working_addresses(client, setting):
    data = services.latest_version("work-ability-score").definition_data | {
        "code": "was.short",
        "version": "1.0",
    }
    services.import_definition(data, source="import")
    client.force_login(setting.admin)

    page = client.get(reverse("measures:instruments"))
    export = client.get("/measures/instruments/was.short/1.0/fhir.json")

    assert page.status_code == 200
    assert export.status_code == 200
    assert Administration.objects.count() == 0
