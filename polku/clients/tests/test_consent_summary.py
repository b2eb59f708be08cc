"""The consent summary: the page speaks the reader's language, the summary the client's;
it names the organisations whose records the consent covers today."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from polku.clients.services import record_consent
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import ConsentMethod, DataCategory, LegalBasis, Purpose, Register
from polku.policy.models import ServiceRelationship

pytestmark = pytest.mark.django_db


def all_providers_consent(world):
    """A consent from every organisation that serves the client to B, while A and C do."""
    ServiceRelationship.objects.create(
        client=world.client,
        organisation=world.org_c,
        register=Register.OTHER,
        legal_basis=LegalBasis.CLIENT_AGREEMENT,
        created_by=world.worker_c,
    )
    return record_consent(
        actor=Actor.for_user(world.worker_a),
        client=world.client,
        discloser=None,
        recipient=world.org_b,
        purpose=Purpose.SERVICE_COORDINATION,
        categories=[DataCategory.BASIC],
        method=ConsentMethod.SIGNED_PAPER,
        evidence="Archive 2026/901",
    )


def summary(client, world, consent, user, reader_language):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = reader_language
    url = reverse(
        "clients:consent_summary",
        kwargs={"public_id": world.client.public_id, "consent_id": consent.public_id},
    )
    return client.get(url).content.decode()


def test_the_page_is_in_the_readers_language_and_the_summary_in_the_clients(client, world):
    # Given a client who reads Swedish, and organisations named in Swedish and English
    world.client.preferred_language = "sv"
    world.client.save(update_fields=["preferred_language"])
    world.org_a.names = {"sv": "Socialtjänsten A", "en": "Social Services A"}
    world.org_a.save(update_fields=["names"])
    consent = world.consent_to_b()

    # When a worker who reads English opens the summary
    page = summary(client, world, consent, world.worker_a, "en")

    # Then the page around it is in English and the summary, marked as Swedish, is in
    # Swedish with the organisation's Swedish name
    head, article = page.split('<article class="card" lang="sv">')
    assert "Back to the client" in head
    assert "Consent summary for the client" in head
    assert "Socialtjänsten A" in article
    assert "Social Services A" not in article
    assert "Sosiaalipalvelut A" not in article


def test_a_consent_of_every_provider_names_those_that_serve_the_client_today(client, world):
    consent = all_providers_consent(world)

    # The recipient may know every organisation that discloses to it
    found = decisions.consent_disclosers(Actor.for_user(world.worker_b), consent)
    assert [organisation.name for organisation in found.named] == [
        "Järjestö C",
        "Sosiaalipalvelut A",
    ]
    assert found.others == 0
    page = summary(client, world, consent, world.worker_b, "en")
    assert "Järjestö C, Sosiaalipalvelut A" in page
    assert "All organisations that serve you now" not in page


def test_organisations_the_reader_may_not_know_of_are_counted_not_named(client, world):
    consent = all_providers_consent(world)

    # The recorder A knows of its own relationship, not of C's
    found = decisions.consent_disclosers(Actor.for_user(world.worker_a), consent)

    assert [organisation.name for organisation in found.named] == ["Sosiaalipalvelut A"]
    assert found.others == 1
    page = summary(client, world, consent, world.worker_a, "en")
    assert "Järjestö C" not in page
