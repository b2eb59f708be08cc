"""Measurement URLs: outsiders get 404 and leave no row; allowed looks leave one row."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from conftest import plain_table_markup
from polku.audit.models import AccessLogEntry
from polku.measures import services

pytestmark = pytest.mark.django_db


def last_number() -> int:
    """The newest log row's number (numbers come from a sequence that rollbacks do not reset)."""
    return (
        AccessLogEntry.objects.order_by("sequence").values_list("sequence", flat=True).last() or 0
    )


@pytest.fixture
def urls(setting):
    administration = services.start_administration(
        actor=setting.actor(),
        client=setting.client,
        organisation=setting.org_a,
        instrument=services.latest_version("work-ability-score"),
    )
    return [
        reverse("measures:client", kwargs={"public_id": setting.client.public_id}),
        reverse("measures:answer", kwargs={"public_id": administration.public_id}),
        reverse("measures:link", kwargs={"public_id": administration.public_id}),
        reverse("measures:plain_summary", kwargs={"public_id": setting.client.public_id}),
    ]


def test_an_outsider_gets_not_found_and_leaves_no_row(client, setting, urls):
    client.force_login(setting.outsider)
    before = AccessLogEntry.objects.count()

    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Mittari" not in response.content.decode()

    assert AccessLogEntry.objects.count() == before


def test_each_allowed_look_leaves_a_row_per_ground_it_showed(client, setting, urls):
    client.force_login(setting.worker)
    for url in urls:
        before = last_number()

        assert client.get(url).status_code == 200, url

        # The measurements on the relationship, for their owner and register (and, on the
        # client's pages, the client's details on the same ground).
        rows = list(AccessLogEntry.objects.filter(sequence__gt=before))
        shown = {(r.categories, r.owner_id, r.register) for r in rows}
        assert ("measurements", setting.org_a.pk, "employment_services") in shown, url
        assert shown <= {
            ("basic", None, ""),
            ("measurements", setting.org_a.pk, "employment_services"),
        }, url
        assert {(r.action, r.basis, r.client_public_id) for r in rows} == {
            ("view", "service_relationship", setting.client.public_id)
        }, url


def test_the_fhir_export_is_a_questionnaire(client, setting):
    client.force_login(setting.worker)

    response = client.get(
        reverse("measures:instrument_fhir", kwargs={"code": "work-ability-score", "version": "1.1"})
    )

    assert response.json()["resourceType"] == "Questionnaire"
    assert response.json()["version"] == "1.1"


def test_an_administrator_imports_a_questionnaire_and_a_bad_file_changes_nothing(client, setting):
    import io

    from polku.measures.fhir import definition_to_questionnaire
    from polku.measures.models import InstrumentVersion

    client.force_login(setting.admin)
    exported = definition_to_questionnaire(services.latest_version("work-ability-score").definition)
    exported["version"] = "1.2"
    good = io.BytesIO(json.dumps(exported).encode())
    good.name = "was.json"
    bad = io.BytesIO(b'{"resourceType": "Questionnaire", "status": "active", "item": [{}]}')
    bad.name = "bad.json"
    before = InstrumentVersion.objects.count()

    refused = client.post(reverse("measures:instruments"), {"file": bad})
    assert "The file was not imported" in refused.content.decode()
    assert InstrumentVersion.objects.count() == before

    client.post(reverse("measures:instruments"), {"file": good})
    assert InstrumentVersion.objects.filter(code="work-ability-score", version="1.2").exists()
    page = client.get(reverse("measures:instruments")).content.decode()
    assert "r 0.89 · SD 2.08" in page  # the reliability and its source came along
    assert "Stienstra" in page


def test_an_administrator_enters_a_templates_wording_on_its_page(client, setting):
    from polku.measures.models import InstrumentVersion

    instrument = services.latest_version("work-ability-index")
    url = reverse(
        "measures:instrument_wording",
        kwargs={"code": instrument.code, "version": instrument.version},
    )
    client.force_login(setting.worker)
    assert client.get(url).status_code == 403
    client.force_login(setting.admin)
    page = client.get(url).content.decode()
    assert "Question 1" in page
    assert page.count("<textarea") == 3 * len(instrument.definition.items)

    partly = {f"{item.code}__fi": "Kysymys" for item in instrument.definition.items[:3]}
    client.post(url, partly)
    assert not InstrumentVersion.objects.get(pk=instrument.pk).answerable
    texts = {f"{item.code}__fi": f"Kysymys {item.code}" for item in instrument.definition.items}
    response = client.post(url, {**texts, f"{instrument.definition.items[0].code}__sv": "Fråga"})

    assert response.status_code == 302
    instrument.refresh_from_db()
    assert instrument.answerable
    first = instrument.definition.items[0].code
    assert instrument.item_text(first) == {"fi": f"Kysymys {first}", "sv": "Fråga"}


def test_the_editor_saves_a_new_version_and_refuses_a_broken_one(client, setting):
    from polku.measures.models import InstrumentVersion

    url = reverse("measures:instrument_editor")
    client.force_login(setting.worker)
    assert client.get(url).status_code == 403
    client.force_login(setting.admin)
    page = client.get(f"{url}?from=work-ability-score/1.1").content.decode()
    assert "Stienstra" in page  # starts from the chosen version
    data = services.latest_version("work-ability-score").definition_data | {"version": "2.0"}
    before = InstrumentVersion.objects.count()

    broken = client.post(url, {"definition": json.dumps({**data, "scoring": {"method": "x"}})})
    not_json = client.post(url, {"definition": "{"})

    assert broken.status_code == not_json.status_code == 400
    assert "scoring.method" in broken.content.decode()
    assert "not valid JSON (line 1" in not_json.content.decode()
    assert InstrumentVersion.objects.count() == before
    assert client.post(url, {"definition": json.dumps(data)}).status_code == 302
    saved = InstrumentVersion.objects.get(code="work-ability-score", version="2.0")
    assert saved.source == "editor"


def test_a_new_instrument_starts_from_a_valid_definition(client, setting):
    from polku.measures.models import InstrumentVersion

    client.force_login(setting.admin)
    url = reverse("measures:instrument_editor")
    page = client.get(url)
    starter = page.context["form"]["definition"].value()

    assert client.post(url, {"definition": starter}).status_code == 302
    assert InstrumentVersion.objects.get(code="new-instrument").answerable


def test_a_refused_answer_shows_the_form_again_and_logs_the_look(client, setting):
    administration = services.start_administration(
        actor=setting.actor(),
        client=setting.client,
        organisation=setting.org_a,
        instrument=services.latest_version("work-ability-score"),
    )
    url = reverse("measures:answer", kwargs={"public_id": administration.public_id})
    client.force_login(setting.worker)
    before = last_number()

    response = client.post(url, {"was": "11", "submit": "1"})

    assert response.status_code == 400
    assert "Mira" in response.content.decode()
    rows = list(AccessLogEntry.objects.filter(sequence__gt=before))
    assert [row.action for row in rows] == ["view"]


@pytest.mark.parametrize("page", ["pathways:client_pathway", "clients:overview"])
def test_the_clients_pages_show_due_and_latest_measurements_in_their_one_log_row(
    client, setting, page
):
    from datetime import timedelta

    from django.utils import timezone

    from polku.measures.tests.test_measurements import answered_was

    answered_was(setting, 4, 7)
    services.start_administration(
        actor=setting.actor(),
        client=setting.client,
        organisation=setting.org_a,
        instrument=services.latest_version("work-ability-score"),
        occasion="periodic",
        due_on=timezone.localdate() - timedelta(days=3),
    )
    url = reverse(page, kwargs={"public_id": setting.client.public_id})
    client.force_login(setting.worker)
    before = last_number()

    text = plain_table_markup(client.get(url).content.decode())

    assert "overdue since" in text
    assert "<td>7</td><td>Moderate</td>" in text
    rows = list(AccessLogEntry.objects.filter(sequence__gt=before))
    assert [row.categories for row in rows] == ["basic", "measurements"]


@pytest.mark.parametrize(
    ("categories", "shown"),
    [(["basic"], False), (["basic", "measurements"], True)],
)
def test_a_consent_shows_measurements_on_the_pathway_only_when_it_covers_them(
    client, setting, categories, shown
):
    from polku.clients.services import record_consent
    from polku.measures.tests.test_measurements import answered_was
    from polku.policy.enums import ConsentMethod, Purpose

    answered_was(setting, 4, 7)
    record_consent(
        actor=setting.actor(),
        client=setting.client,
        discloser=setting.org_a,
        recipient=setting.outsider.active_memberships()[0].organisation,
        purpose=Purpose.SERVICE_COORDINATION,
        categories=categories,
        method=ConsentMethod.IN_PERSON,
    )
    url = reverse("pathways:client_pathway", kwargs={"public_id": setting.client.public_id})
    client.force_login(setting.outsider)
    before = last_number()

    text = plain_table_markup(client.get(url).content.decode())

    assert ("<td>7</td>" in text) is shown
    rows = AccessLogEntry.objects.filter(sequence__gt=before)
    assert ("measurements" in {row.categories for row in rows}) is shown


def test_the_worklist_lists_due_questionnaires_only_of_clients_it_may_and_logs_them(
    client, setting
):
    from datetime import timedelta

    from django.utils import timezone

    from polku.pathways.models import Programme
    from polku.pathways.services import open_episode
    from polku.policy.models import ServiceRelationship

    open_episode(
        actor=setting.actor(),
        client=setting.client,
        programme=Programme.objects.get(code="job-coaching"),
        organisation=setting.org_a,
        case_manager=setting.worker,
    )
    services.start_administration(
        actor=setting.actor(),
        client=setting.client,
        organisation=setting.org_a,
        instrument=services.latest_version("work-ability-score"),
        due_on=timezone.localdate(),
    )
    client.force_login(setting.worker)
    before = last_number()

    shown = client.get("/").content.decode()

    assert "Questionnaires due" in shown
    rows = AccessLogEntry.objects.filter(sequence__gt=before, categories="measurements")
    assert [(r.action, r.client_public_id) for r in rows] == [("list", setting.client.public_id)]
    # The relationship ends; the episode and the assignment stay open.
    today = timezone.localdate()
    ServiceRelationship.objects.filter(client=setting.client).update(
        started_on=today - timedelta(days=10), ended_on=today - timedelta(days=1)
    )
    assert "Questionnaires due" not in client.get("/").content.decode()
