"""Answering a question at a time through the link, the client's own result after
sending, and the plain-language view of the client's measurements."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polku.audit.models import AccessLogEntry
from polku.measures import services
from polku.measures.models import Administration
from polku.measures.tests.test_measurements import answered_was, start, with_wording

pytestmark = pytest.mark.django_db


def link_url(setting, administration) -> str:
    token = services.create_answer_link(actor=setting.actor(), administration=administration)
    return reverse("measures:public_answer", kwargs={"token": token}) + "?lang=en"


def test_the_link_shows_one_question_at_a_time_and_saves_each_step(setting, client):
    with_wording(setting, "inclusion-indicator")
    administration = start(setting, code="inclusion-indicator", channel="link")
    url = link_url(setting, administration)

    first = client.get(url).content.decode()
    assert "Question 1 of 10" in first
    assert 'name="o1"' in first
    assert 'name="o2"' not in first
    assert 'value="next"' in first
    assert 'value="back"' not in first  # nothing before the first question

    response = client.post(f"{url}&step=1", {"o1": "4", "go": "next"})
    assert response.status_code == 302
    assert response["Location"].endswith("step=2")
    administration.refresh_from_db()
    assert (administration.status, administration.answers) == ("draft", {"o1": 4})

    second = client.get(f"{url}&step=2").content.decode()
    assert "Question 2 of 10" in second
    assert 'name="o2"' in second
    assert 'value="back"' in second
    back = client.post(f"{url}&step=2", {"o2": "5", "go": "back"})
    assert back["Location"].endswith("step=1")
    administration.refresh_from_db()
    assert administration.answers == {"o1": 4, "o2": 5}
    assert 'value="4" id="id_o1_3" checked' in client.get(f"{url}&step=1").content.decode()


def test_sending_on_the_last_step_names_the_questions_still_unanswered(setting, client):
    with_wording(setting, "inclusion-indicator")
    administration = start(setting, code="inclusion-indicator", channel="link")
    url = link_url(setting, administration)
    client.post(f"{url}&step=1", {"o1": "4", "go": "next"})

    last = client.get(f"{url}&step=10").content.decode()
    assert "Send the answers" in last
    assert 'value="next"' not in last
    response = client.post(f"{url}&step=10", {"o10": "3", "submit": "1"})

    assert response.status_code == 400
    text = response.content.decode()
    assert "8 questions still need an answer" in text
    assert "step=2" in text  # a link to the first unanswered question
    administration.refresh_from_db()
    assert administration.status == "draft"
    assert administration.answers == {"o1": 4, "o10": 3}


def test_the_whole_questionnaire_can_be_answered_on_one_page(setting, client):
    with_wording(setting, "inclusion-indicator")
    administration = start(setting, code="inclusion-indicator", channel="link")
    url = link_url(setting, administration)

    page = client.get(f"{url}&step=all").content.decode()
    assert all(f'name="o{n}"' in page for n in range(1, 11))
    assert "Question 1 of 10" not in page
    answers = {f"o{n}": "4" for n in range(1, 11)}
    response = client.post(f"{url}&step=all", {**answers, "submit": "1"})

    assert response.status_code == 200
    administration.refresh_from_db()
    assert (administration.status, administration.total) == ("complete", 40.0)
    # A group-level instrument shows the client no score either.
    assert "Your result" not in response.content.decode()


def test_a_bad_answer_on_a_step_is_explained_and_nothing_is_saved(setting, client):
    with_wording(setting, "inclusion-indicator")
    administration = start(setting, code="inclusion-indicator", channel="link")
    url = link_url(setting, administration)

    response = client.post(f"{url}&step=3", {"o3": "99", "go": "next"})

    assert response.status_code == 400
    assert "Question 3 of 10" in response.content.decode()
    administration.refresh_from_db()
    assert administration.answers == {}


def test_after_sending_the_client_sees_this_result_in_plain_language_and_nothing_older(
    setting, client
):
    answered_was(setting, 3)
    administration = start(setting, channel="link")
    url = link_url(setting, administration)

    response = client.post(url, {"was": "8", "submit": "1"})

    text = response.content.decode()
    assert "Your result" in text
    assert "Your score is 8 on a scale from 0 to 10." in text
    assert "“Good”" in text
    assert "A higher number means a better situation." in text
    assert "score was 3" not in text  # the earlier measurement stays with the worker


def test_the_plain_language_view_tells_the_change_and_is_logged(setting, client):
    answered_was(setting, 3, 8)
    url = reverse("measures:plain_summary", kwargs={"public_id": setting.client.public_id})
    client.force_login(setting.worker)
    before = AccessLogEntry.objects.count()

    text = client.get(url).content.decode()

    assert "Your score is 8 on a scale from 0 to 10." in text
    assert "your score was 3." in text
    assert "It has gone up by 5." in text
    # The shipped Work Ability Score carries a published reliability: 5 points is reliable.
    assert "The change is clearly for the better" in text
    assert 'src="data:image/svg+xml;base64,' in text
    # the client's details and their measurements, each on its ground
    assert AccessLogEntry.objects.count() == before + 2
    client.force_login(setting.outsider)
    assert client.get(url).status_code == 404


def test_results_of_two_versions_of_an_instrument_are_one_series(setting, client):
    first = start(setting)
    services.save_answers(
        actor=setting.actor(), administration=first, answers={"was": 4}, submit=True
    )
    data = first.instrument.definition_data | {"version": "9.9"}
    newer = services.import_definition(data, source="import")
    assert newer is not None
    second = start(setting)
    assert second.instrument == newer
    services.save_answers(
        actor=setting.actor(), administration=second, answers={"was": 6}, submit=True
    )
    client.force_login(setting.worker)

    page = client.get(reverse("measures:client", kwargs={"public_id": setting.client.public_id}))

    text = page.content.decode()
    assert text.count("All measurements: Work Ability Score") == 1
    assert Administration.objects.filter(status="complete").count() == 2
    assert ">2<" in text  # change from the start, across the versions


def test_wording_entered_for_a_template_carries_over_to_its_next_version(setting):
    with_wording(setting, "inclusion-indicator")
    current = services.latest_version("inclusion-indicator")
    data = current.definition_data | {"version": "9.9"}
    data["items"] = data["items"][:-1]  # the new version drops the last item

    newer = services.import_definition(data, source="import")

    assert newer is not None
    assert newer.answerable
    assert newer.item_text("o1") == {"fi": "Väittämä o1"}
    assert "o10" not in newer.entered_texts


def test_an_employer_answers_through_a_link_and_sees_no_score(setting, client):
    data = services.latest_version("work-ability-score").definition_data | {
        "code": "employer-view",
        "version": "1.0",
        "respondent": "employer",
    }
    services.import_definition(data, source="import")
    administration = start(setting, code="employer-view", channel="link")
    url = link_url(setting, administration)

    page = client.get(url).content.decode()
    response = client.post(url, {"was": "8", "submit": "1"})

    assert "You are answering as the employer" in page
    assert "Mira" not in page
    text = response.content.decode()
    assert "sent to the professional who asked for them" in text
    assert "Your result" not in text
    administration.refresh_from_db()
    assert administration.total == 8


def test_a_background_save_keeps_the_answers_and_answers_with_no_content(setting, client):
    with_wording(setting, "inclusion-indicator")
    administration = start(setting, code="inclusion-indicator", channel="link")
    url = link_url(setting, administration)
    autosave = {"HTTP_X_POLKU_AUTOSAVE": "1"}

    saved = client.post(f"{url}&step=all", {"o1": "4", "o2": "2", "save": "1"}, **autosave)
    refused = client.post(f"{url}&step=all", {"o1": "9", "save": "1"}, **autosave)

    assert saved.status_code == 204
    assert refused.status_code == 400
    administration.refresh_from_db()
    assert (administration.status, administration.answers) == ("draft", {"o1": 4, "o2": 2})
