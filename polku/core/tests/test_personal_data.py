"""Every model that holds data about a client is declared in the personal-data registry."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from polku.core import personal_data


def test_every_model_that_reaches_a_client_is_declared():
    # Given every installed app's declarations (made in their AppConfig.ready)
    # When the models that reach the client through foreign keys are compared with them
    missing = personal_data.undeclared("clients.client")

    # Then none is missing: a new app must say how its data is exported and anonymised
    assert missing == []


def test_a_model_reaching_the_client_through_other_models_counts(monkeypatch):
    # Given the registry without the declaration of goal attainments (client <- episode <-
    # plan <- review <- attainment)
    declared = dict(personal_data._declarations)
    del declared["pathways.goalattainment"]
    monkeypatch.setattr(personal_data, "_declarations", declared)

    # When the registry is checked
    # Then the attainments are named as undeclared
    assert personal_data.undeclared("clients.client") == ["pathways.goalattainment"]


def test_models_reaching_the_client_are_exactly_the_client_data_models():
    # Given the installed apps
    # When the models reaching the client are listed
    reached = personal_data.models_reaching("clients.client")

    # Then reference data and accounts are not among them
    assert "accounts.user" not in reached
    assert "pathways.programme" not in reached
    assert "measures.instrumentversion" not in reached
    assert {"clients.client", "policy.consentcategory", "measures.answerlink"} <= reached


@pytest.mark.django_db
def test_every_declaration_finds_its_rows_from_a_client():
    # Given a client that is not saved (no rows anywhere)
    client = apps.get_model("clients", "Client")(pk=0)

    # When each declaration looks for the client's rows
    # Then the lookup is valid for its model and finds nothing
    for declaration in personal_data.declarations():
        assert list(declaration.rows([client])) == [], declaration.label


def test_a_declaration_naming_a_missing_field_is_refused():
    # Given a model
    model: type[models.Model] = apps.get_model("policy", "Consent")

    # When its declaration names a field it does not have
    # Then it is refused
    with pytest.raises(ValueError, match=r"policy.consent has no fields \['nickname'\]"):
        personal_data.declare(model, client_lookup="client", personal={"nickname": ""})
