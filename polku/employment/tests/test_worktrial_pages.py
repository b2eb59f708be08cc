"""The coach's work-trial pages: arranging a trial from the coaching, the trial page with
the consent, the link shown once, and the host's ratings beside the client's own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as Browser

from polku.audit.models import AccessLogEntry
from polku.employment import access
from polku.employment import worktrial_selectors as selectors
from polku.employment import worktrial_services as services
from polku.employment.models import FeedbackLink, WorkTrial
from polku.employment.tests.worktrial_world import TrialWorld, make_trial_world
from polku.measures import services as measures_services
from polku.measures.services import load_shipped_instruments
from polku.policy.enums import Action, DataCategory
from polku.policy.models import Consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def trials(programmes, make_organisation, make_professional) -> TrialWorld:
    return make_trial_world(make_organisation, make_professional)


HOST = {
    "punctuality": 5,
    "pace": 3,
    "quality": 4,
    "learning": 4,
    "cooperation": 5,
    "coping_and_health": 2,
    "custom-1": 1,
}
OWN = {
    "punctuality": 4,
    "pace": 3,
    "quality": 2,
    "learning": 5,
    "cooperation": 5,
    "coping_and_health": 1,
}


def _finished_trial(trials: TrialWorld) -> WorkTrial:
    """A trial with a custom area, the host's sent feedback and the client's self-rating."""
    load_shipped_instruments()
    actor = trials.world.actor()
    trial = trials.arrange(
        areas=[
            *({"code": code, "label": ""} for code in OWN),
            {"code": "", "label": "Asiakaspalvelu"},
        ]
    )
    trials.consent(trial)
    sent = services.send_feedback_link(actor=actor, trial=trial)
    services.save_feedback(
        actor=access.feedback_link_holder(sent.link),
        link=sent.link,
        ratings=HOST,
        comments={"pace": "Nopeutui"},
        overall="Hyvä jakso",
        submit=True,
    )
    services.start_self_rating(actor=actor, trial=trial)
    trial.refresh_from_db()
    assert trial.self_rating is not None
    token = measures_services.issue_link(trial.self_rating, created_by=trials.world.coach)
    measures_services.answer_through_link(token=token, answers=OWN, submit=True)
    trial.refresh_from_db()
    return trial


def test_the_comparison_puts_each_areas_ratings_side_by_side(trials: TrialWorld):
    trial = _finished_trial(trials)
    actor = trials.world.actor()
    trial, decision = selectors.get_work_trial(actor, trial.public_id)

    page = selectors.trial_page(actor, trial, decision)

    assert [(r.label, r.host, r.client, r.in_questionnaire) for r in page.rows] == [
        ("Punctuality", 5, 4, True),
        ("Working pace", 3, 3, True),
        ("Quality of work", 4, 2, True),
        ("Learning new tasks", 4, 5, True),
        ("Cooperation", 5, 5, True),
        ("Coping and health as seen at work", 2, 1, True),
        ("Asiakaspalvelu", 1, None, False),
    ]
    assert page.rows[1].host_comment == "Nopeutui"
    assert (page.rows[0].host_words, page.rows[5].client_words) == (
        "Works out very well",
        "Does not work out yet",
    )
    assert page.chart is not None
    assert "Punctuality: Host employer 5, Client's own rating 4" in page.chart.description
    assert "Asiakaspalvelu: Host employer 1, Client's own rating –" in page.chart.description


def test_the_trial_page_shows_the_table_and_logs_both_categories(
    trials: TrialWorld, client: Browser
):
    trial = _finished_trial(trials)
    client.force_login(trials.world.coach)
    last = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True)[0]

    response = client.get(f"/work-trials/{trial.public_id}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "5 – Works out very well" in html
    assert (
        "not in the client&#x27;s questionnaire" in html
        or "not in the client's questionnaire" in html
    )
    assert "Hyvä jakso" in html
    assert 'src="data:image/svg+xml;base64,' in html
    rows = AccessLogEntry.objects.filter(pk__gt=last).order_by("pk")
    assert [(r.action, r.categories) for r in rows] == [
        (Action.VIEW, f"{DataCategory.BASIC},{DataCategory.EMPLOYMENT}"),
        (Action.VIEW, DataCategory.MEASUREMENTS),
    ]


def test_arranging_from_the_coaching_page(trials: TrialWorld, client: Browser):
    client.force_login(trials.world.coach)
    coaching = trials.coaching
    page = client.get(f"/coaching/{coaching.public_id}/")
    assert f"/coaching/{coaching.public_id}/work-trials/new/" in page.content.decode()
    data = {
        "employer": trials.host.pk,
        "contact_person": trials.host_contact.pk,
        "workplace": "Varasto",
        "starts_on": coaching.started_on.isoformat(),
        "ends_on": (coaching.started_on - timedelta(days=1)).isoformat(),
        "tasks": "Hyllytys",
        "purpose": "trying_a_field",
        "default_areas": ["pace", "quality"],
        "custom_areas": "Asiakaspalvelu\n\nKassatyö",
    }

    refused = client.post(f"/coaching/{coaching.public_id}/work-trials/new/", data)
    assert refused.status_code == 400
    assert "The end date cannot be before the start date." in refused.content.decode()
    assert not WorkTrial.objects.exists()

    data["ends_on"] = (coaching.started_on + timedelta(days=10)).isoformat()
    done = client.post(f"/coaching/{coaching.public_id}/work-trials/new/", data)

    trial = WorkTrial.objects.get()
    assert done.status_code == 302
    assert done["Location"] == f"/work-trials/{trial.public_id}/"
    assert trial.areas == [
        {"code": "pace", "label": ""},
        {"code": "quality", "label": ""},
        {"code": "custom-1", "label": "Asiakaspalvelu"},
        {"code": "custom-2", "label": "Kassatyö"},
    ]
    assert "Pirkan Varasto Oy" in client.get(f"/coaching/{coaching.public_id}/").content.decode()


def test_consent_first_then_the_link_is_shown_once(trials: TrialWorld, client: Browser):
    trial = trials.arrange()
    client.force_login(trials.world.coach)
    url = f"/work-trials/{trial.public_id}/"

    refused = client.post(url, {"form": "send"})
    assert refused.status_code == 400
    assert "No link can be sent" in refused.content.decode()
    assert not FeedbackLink.objects.exists()

    assert client.post(url, {"form": "consent", "consent-method": "in_person"}).status_code == 302
    assert Consent.objects.filter(recipient__employer=trials.host).count() == 1

    sent = client.post(url, {"form": "send"})
    assert sent.status_code == 200
    html = sent.content.decode()
    assert "/feedback/" in html
    link_url = html.split('id="feedback-link" class="link-field" type="text" readonly value="')[
        1
    ].split('"')[0]
    assert client.get(url).content.decode().count(link_url) == 0
    client.logout()
    assert Browser().get(link_url.replace("http://testserver", "")).status_code == 200


def test_outsiders_find_nothing_and_readers_change_nothing(trials: TrialWorld, client: Browser):
    trial = trials.arrange()
    trials.world.consent_to_c(trial.client)
    url = f"/work-trials/{trial.public_id}/"

    client.force_login(trials.world.other_coach)
    rows = AccessLogEntry.objects.count()
    assert client.get(url).status_code == 404
    assert client.post(url, {"form": "consent", "consent-method": "in_person"}).status_code == 404
    assert AccessLogEntry.objects.count() == rows

    client.force_login(trials.world.reader)
    assert client.get(url).status_code == 200
    rows = AccessLogEntry.objects.count()
    for form in ("consent", "send", "withdraw", "self_rating", "edit"):
        assert client.post(url, {"form": form, "consent-method": "in_person"}).status_code == 403
    assert AccessLogEntry.objects.count() == rows
    assert not Consent.objects.filter(recipient__kind="employer").exists()
    assert not FeedbackLink.objects.exists()
