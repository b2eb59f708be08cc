"""Query-count guards: the client overview and the client search ask the database as many
times for a large world as for a small one."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polku.clients.services import RelationshipTerms, record_consent, register_client
from polku.measures import services as measures
from polku.pathways import services as pathways
from polku.pathways.models import Programme
from polku.policy.actors import Actor
from polku.policy.enums import ConsentMethod, DataCategory, LegalBasis, Purpose, Register

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    """The number of queries one GET of ``url`` asks (after a first, warming GET)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_pathway(world, number: int) -> None:
    """An episode of the world's client at A, with a consent to B, a referral to B and a
    completed measurement."""
    actor = Actor.for_user(world.worker_a)
    episode = pathways.open_episode(
        actor=actor,
        client=world.client,
        programme=Programme.objects.get(code="multi-sector-joint-service"),
        organisation=world.org_a,
        case_manager=world.worker_a,
    )
    record_consent(
        actor=actor,
        client=world.client,
        discloser=world.org_a,
        recipient=world.org_b,
        purpose=Purpose.SERVICE_COORDINATION,
        categories=[DataCategory.BASIC, DataCategory.PLAN],
        method=ConsentMethod.SIGNED_PAPER,
    )
    pathways.send_referral(
        actor=actor,
        client=world.client,
        from_organisation=world.org_a,
        to_organisation=world.org_b,
        reason=f"Työkyvyn arvio {number}",
        urgency="normal",
        shared_categories=[DataCategory.PLAN],
        episode=episode,
    )
    administration = measures.start_administration(
        actor=actor,
        client=world.client,
        organisation=world.org_a,
        instrument=measures.latest_version("work-ability-score"),
        episode=episode,
    )
    measures.save_answers(
        actor=actor, administration=administration, answers={"was": number % 11}, submit=True
    )


def test_the_overview_asks_as_many_queries_for_six_episodes_as_for_one(world, programmes, client):
    # given a client with one episode, consent, referral and measurement
    measures.load_shipped_instruments()
    add_pathway(world, 1)
    client.force_login(world.worker_a)
    url = reverse("clients:overview", kwargs={"public_id": world.client.public_id})
    one = queries_for(client, url)

    # when the client has six of each
    for number in range(2, 7):
        add_pathway(world, number)
    six = queries_for(client, url)

    # then the overview asks the database as often
    assert six == one


def add_clients(world, first: int, last: int) -> None:
    for number in range(first, last + 1):
        register_client(
            actor=Actor.for_user(world.worker_a),
            terms=RelationshipTerms(
                organisation=world.org_a,
                register=Register.SOCIAL_WELFARE,
                legal_basis=LegalBasis.SOCIAL_WELFARE_ACT,
            ),
            first_names=f"Etsittävä {number}",
            last_name="Hakunen",
            birth_date=date(1990, 1, number),
        )


def test_the_search_asks_as_many_queries_for_twenty_matches_as_for_one(world, client):
    # given one client called Hakunen
    add_clients(world, 1, 1)
    client.force_login(world.worker_a)
    url = reverse("clients:search") + "?q=Hakunen"
    one = queries_for(client, url)

    # when there are twenty
    add_clients(world, 2, 20)
    twenty = queries_for(client, url)

    # then the search asks the database as often
    assert twenty == one
