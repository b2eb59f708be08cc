"""Each access-log row in plain words (``audit.describe``)."""

from __future__ import annotations

import uuid

import pytest
from django.utils import translation

from polku.audit.describe import DID_EVENT, describe
from polku.audit.enums import AuditEvent
from polku.audit.models import AccessLogEntry


def row(**fields):
    values = {
        "actor_kind": "professional",
        "actor_name": "Maija Esimerkki",
        "organisation_name": "Tampereen kaupunki",
        "role": "social_worker",
        "client_public_id": uuid.uuid4(),
        "action": "view",
        "categories": "basic",
        "basis": "service_relationship",
    }
    values.update(fields)
    return AccessLogEntry(**values)


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        (
            {},
            "Sosiaalityöntekijä Maija Esimerkki (Tampereen kaupunki) luki perustietoja "
            "organisaation oman asiakkuuden perusteella.",
        ),
        (
            {"action": "list", "categories": "basic,plan", "basis": "consent"},
            "Sosiaalityöntekijä Maija Esimerkki (Tampereen kaupunki) näki luettelossa "
            "perustietoja ja suunnitelmaa ja palvelupolkua asiakkaan suostumuksella.",
        ),
        (
            {"action": "change", "event": "plan_saved", "basis": "referral"},
            "Sosiaalityöntekijä Maija Esimerkki (Tampereen kaupunki) tallensi suunnitelman "
            "organisaatiolle tehdyn lähetteen perusteella.",
        ),
        (
            {"action": "lookup", "basis": "starting_relationship"},
            "Sosiaalityöntekijä Maija Esimerkki (Tampereen kaupunki) haki henkilön "
            "tunnistetietoja asiakkuuden aloittamiseksi.",
        ),
        (
            {
                "actor_kind": "system",
                "actor_name": "pathways.refresh_alerts",
                "organisation_name": "",
                "role": "",
                "action": "list",
                "categories": "plan",
                "basis": "system",
            },
            "Järjestelmäajo pathways.refresh_alerts näki luettelossa suunnitelmaa ja "
            "palvelupolkua automaattisena ajona.",
        ),
        (
            {
                "actor_kind": "client",
                "organisation_name": "",
                "role": "",
                "action": "export",
                "categories": "health",
                "basis": "client_self",
            },
            "Asiakas vei tiedostoon terveystietoja omina tietoinaan.",
        ),
        (
            {"action": "change", "event": "task_done", "basis": ""},
            "Sosiaalityöntekijä Maija Esimerkki (Tampereen kaupunki) teki muutoksen: task_done.",
        ),
        (
            {"actor_name": "Maija 010180-9015 Esimerkki"},
            "Sosiaalityöntekijä Maija [identity code] Esimerkki (Tampereen kaupunki) luki "
            "perustietoja organisaation oman asiakkuuden perusteella.",
        ),
    ],
)
def test_a_row_in_plain_finnish(fields, sentence):
    with translation.override("fi"):
        assert describe(row(**fields)) == sentence


def test_every_event_that_changes_data_has_its_own_sentence():
    assert {str(event) for event in AuditEvent} - set(DID_EVENT) == set()
