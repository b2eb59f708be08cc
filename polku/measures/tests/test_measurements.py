"""Instruments load whole or not at all; answers are drafts until complete; links are
single-use; group-level instruments never show an individual's score."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from conftest import plain_table_markup
from polku.audit.models import AccessLogEntry
from polku.measures import services
from polku.measures.definitions import DefinitionError
from polku.measures.models import Administration, InstrumentVersion
from polku.measures.schedules import add_months, schedule_measurements
from polku.pathways.models import Programme
from polku.pathways.services import open_episode

pytestmark = pytest.mark.django_db


def with_wording(setting, code):
    """Enter wording for a template, as an administrator would from the licensed source."""
    instrument = services.latest_version(code)
    services.enter_item_texts(
        actor=setting.actor(setting.admin),
        instrument=instrument,
        texts={item.code: {"fi": f"Väittämä {item.code}"} for item in instrument.definition.items},
    )


def answered_was(setting, *values, client=None):
    """Work Ability Scores answered together with the client, in order."""
    for value in values:
        administration = services.start_administration(
            actor=setting.actor(),
            client=client or setting.client,
            organisation=setting.org_a,
            instrument=services.latest_version("work-ability-score"),
        )
        services.save_answers(
            actor=setting.actor(),
            administration=administration,
            answers={"was": value},
            submit=True,
        )


def start(setting, code="work-ability-score", **kwargs):
    return services.start_administration(
        actor=setting.actor(),
        client=setting.client,
        organisation=setting.org_a,
        instrument=services.latest_version(code),
        **kwargs,
    )


def test_the_shipped_instruments_load_once(setting):
    assert set(InstrumentVersion.objects.values_list("code", flat=True)) == {
        "work-ability-score",
        "work-ability-index",
        "whodas-2-12",
        "inclusion-indicator",
        "icf-rating",
        "kykyviisari-result",
        "work-trial-self-rating",
    }
    assert services.load_shipped_instruments() == []


def test_a_malformed_definition_is_refused_naming_each_problem_and_changes_nothing(setting):
    before = InstrumentVersion.objects.count()
    data = {
        "code": "Bad Code",
        "version": "1",
        "title": {"fi": "Huono"},
        "respondent": "client",
        "licence": {"name": "x", "source": "y", "item_texts_included": True},
        "scales": {"s": {"min": 1, "max": 5}},
        "items": [{"code": "q1", "scale": "nope"}, {"code": "q1", "scale": "s"}],
        "scoring": {"method": "median"},
        "bands": [
            {"code": "a", "min": 0, "max": 3, "label": {"fi": "A"}},
            {"code": "b", "min": 2, "max": 5, "label": {"fi": "B"}},
        ],
    }

    with pytest.raises(DefinitionError) as raised:
        services.import_definition(data, source="import")

    assert raised.value.problems == [
        "code: 'Bad Code' is not a valid code",
        "items[0].scale: unknown scale 'nope'",
        "items[1].code: 'q1' appears twice",
        "scoring.method: must be one of sum, mean, rescaled, none",
        "bands: 'a' and 'b' overlap",
    ]
    assert InstrumentVersion.objects.count() == before


def test_a_refused_definition_is_explained_in_the_active_language(setting):
    data = json.loads(json.dumps(services.latest_version("work-ability-score").definition_data))
    del data["licence"]["source"]

    with translation.override("fi"), pytest.raises(DefinitionError) as raised:
        services.import_definition(data, source="import")

    assert raised.value.problems == ["licence.source: pakollinen tieto puuttuu"]


def test_changing_a_loaded_version_needs_a_new_version_number(setting):
    instrument = services.latest_version("work-ability-score")
    changed = json.loads(json.dumps(instrument.definition_data))
    changed["bands"][0]["max"] = 4
    changed["bands"][1]["min"] = 5

    with pytest.raises(DefinitionError, match="new version"):
        services.import_definition(changed, source="import")


def test_a_half_filled_questionnaire_stays_a_draft_and_is_not_scored(setting):
    with_wording(setting, "inclusion-indicator")
    administration = start(setting, code="inclusion-indicator", channel="link")
    token = services.create_answer_link(actor=setting.actor(), administration=administration)

    result = services.answer_through_link(token=token, answers={"o1": 4, "o2": 5}, submit=True)

    administration.refresh_from_db()
    assert not result.submitted
    assert result.missing_required == ("o3", "o4", "o5", "o6", "o7", "o8", "o9", "o10")
    assert (administration.status, administration.total) == ("draft", None)
    assert administration.answers == {"o1": 4, "o2": 5}


def test_a_complete_answer_is_scored_and_uses_the_link_up(setting, client):
    administration = start(setting, channel="link")
    token = services.create_answer_link(actor=setting.actor(), administration=administration)
    url = reverse("measures:public_answer", kwargs={"token": token})

    page = client.get(url)
    assert page.status_code == 200
    assert "Mira" not in page.content.decode()  # the link shows no personal data
    response = client.post(url, {"was": "7", "submit": "1"})

    assert response.status_code == 200
    administration.refresh_from_db()
    assert (administration.status, administration.total, administration.band) == (
        "complete",
        7.0,
        "moderate",
    )
    assert client.get(url).status_code == 410


def test_an_expired_or_unknown_link_shows_the_same_page(setting, client):
    administration = start(setting, channel="link")
    token = services.create_answer_link(actor=setting.actor(), administration=administration)
    administration.links.update(expires_at=timezone.now() - timedelta(minutes=1))

    expired = client.get(reverse("measures:public_answer", kwargs={"token": token}))
    unknown = client.get(reverse("measures:public_answer", kwargs={"token": "x" * 43}))

    assert expired.status_code == unknown.status_code == 410


def test_an_answer_outside_the_scale_is_refused_and_nothing_changes(setting):
    administration = start(setting)

    with pytest.raises(ValidationError):
        services.save_answers(
            actor=setting.actor(), administration=administration, answers={"was": 11}, submit=True
        )

    administration.refresh_from_db()
    assert (administration.status, administration.answers) == ("draft", {})


def test_an_outsider_cannot_start_or_answer(setting):
    administration = start(setting)

    with pytest.raises(Http404):
        services.start_administration(
            actor=setting.actor(setting.outsider),
            client=setting.client,
            organisation=setting.org_a,
            instrument=services.latest_version("work-ability-score"),
        )
    with pytest.raises(Http404):
        services.save_answers(
            actor=setting.actor(setting.outsider),
            administration=administration,
            answers={"was": 5},
            submit=True,
        )


def test_a_template_needs_its_wording_before_anyone_answers(setting):
    instrument = services.latest_version("work-ability-index")

    with pytest.raises(ValidationError, match="wording"):
        start(setting, code="work-ability-index")

    services.enter_item_texts(
        actor=setting.actor(setting.admin),
        instrument=instrument,
        texts={item.code: {"fi": f"Kysymys {item.code}"} for item in instrument.definition.items},
    )
    instrument.refresh_from_db()
    assert instrument.answerable
    assert start(setting, code="work-ability-index").instrument == instrument


def test_group_level_results_never_show_an_individual_score(setting, client):
    with_wording(setting, "inclusion-indicator")
    administration = start(setting, code="inclusion-indicator")
    services.save_answers(
        actor=setting.actor(),
        administration=administration,
        answers={f"o{n}": 4 for n in range(1, 11)},
        submit=True,
    )
    administration.refresh_from_db()
    assert administration.total == 40.0
    client.force_login(setting.worker)

    page = client.get(reverse("measures:client", kwargs={"public_id": setting.client.public_id}))

    text = plain_table_markup(page.content.decode())
    assert "group-level evaluation only" in text
    assert "score-summary" not in text
    assert "<td>40</td>" not in text
    assert "<td>4</td>" not in text  # nor any item answer


def test_results_show_score_change_and_a_chart(setting, client):
    answered_was(setting, 4, 7)
    client.force_login(setting.worker)

    page = client.get(reverse("measures:client", kwargs={"public_id": setting.client.public_id}))

    text = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in text
    assert "Work Ability Score" in text
    assert ">3<" in text  # change from the start, in the data table


def test_the_schedule_creates_the_baseline_drafts_once(setting):
    with_wording(setting, "inclusion-indicator")
    programme = Programme.objects.get(code="multi-sector-joint-service")
    open_episode(
        actor=setting.actor(),
        client=setting.client,
        programme=programme,
        organisation=setting.org_a,
    )

    report = schedule_measurements()
    again = schedule_measurements()

    assert report.created == 2
    assert again.created == 0
    drafts = Administration.objects.filter(status="draft").order_by("instrument__code")
    assert [(a.instrument.code, a.occasion, a.due_on) for a in drafts] == [
        ("inclusion-indicator", "baseline", timezone.localdate()),
        ("work-ability-score", "baseline", timezone.localdate()),
    ]


def test_periodic_measurements_come_due_every_six_months(setting):
    programme = Programme.objects.get(code="multi-sector-joint-service")
    started = timezone.localdate() - timedelta(days=190)
    open_episode(
        actor=setting.actor(),
        client=setting.client,
        programme=programme,
        organisation=setting.org_a,
        started_on=started,
    )

    schedule_measurements()

    periodic = Administration.objects.get(occasion="periodic")
    assert periodic.due_on == add_months(started, 6)


def test_plan_reviews_show_as_goal_attainment_t_scores(setting, client):
    from polku.pathways import services as pathway_services

    programme = Programme.objects.get(code="job-coaching")
    episode = open_episode(
        actor=setting.actor(),
        client=setting.client,
        programme=programme,
        organisation=setting.org_a,
    )
    plan = pathway_services.save_plan(
        actor=setting.actor(),
        episode=episode,
        goals=[
            pathway_services.GoalInput("Töihin"),
            pathway_services.GoalInput("Jaksaminen"),
            pathway_services.GoalInput("Opiskelu"),
        ],
    )
    pathway_services.review_plan(
        actor=setting.actor(), plan=plan, attainments={g.pk: 1 for g in plan.goals.all()}
    )
    client.force_login(setting.worker)

    page = client.get(reverse("measures:client", kwargs={"public_id": setting.client.public_id}))

    # Kiresuk & Sherman with rho 0.3: three equally weighted goals at +1 give T = 63.7.
    assert "63.7" in page.content.decode()
    # The page showed plan data, and its access-log row says so.
    assert "plan" in AccessLogEntry.objects.latest("sequence").categories


def test_rescoring_after_a_fix_changes_only_what_differs(setting):
    from django.core.management import call_command

    answered_was(setting, 4, 7, 9)
    Administration.objects.filter(total=7).update(band="good")  # a wrong stored band

    report = services.rescore(services.latest_version("work-ability-score"), batch_size=2)
    call_command("rescore_measurements", "work-ability-score", "1.1")

    assert (report.rescored, report.changed) == (3, 1)
    assert sorted(Administration.objects.values_list("total", "band")) == [
        (4.0, "poor"),
        (7.0, "moderate"),
        (9.0, "good"),
    ]


def test_due_measurements_remind_the_case_manager_and_send_the_client_a_link(
    setting, django_capture_on_commit_callbacks, mailoutbox
):
    programme = Programme.objects.get(code="job-coaching")
    setting.client.email = "mira@example.invalid"
    setting.client.save()
    open_episode(
        actor=setting.actor(),
        client=setting.client,
        programme=programme,
        organisation=setting.org_a,
        case_manager=setting.worker,
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = schedule_measurements()

    assert (report.created, report.reminders) == (1, 2)
    recipients = sorted(message.to[0] for message in mailoutbox)
    assert recipients == ["mira@example.invalid", "worker@example.invalid"]
    to_client = next(m for m in mailoutbox if m.to == ["mira@example.invalid"])
    assert "/q/" in to_client.body
    # The same message as a link sent by hand, in the client's language (Finnish): who
    # asks, until when, the link.
    organisation = setting.org_a.name
    assert to_client.subject == f"{organisation}: kysely sinulle"
    assert to_client.body.startswith(f"{organisation} pyytää sinua vastaamaan")
    assert "Mittari" not in "".join(m.body for m in mailoutbox)  # no client name in mail
