"""Merging two records of one person moves everything of the duplicate to the kept one."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from polku.audit.models import AccessLogEntry
from polku.clients.models import Client
from polku.clients.services import RelationshipTerms, merge_clients, register_client
from polku.measures import services as measures
from polku.pathways import services as pathways
from polku.pathways.alerts import refresh_alerts
from polku.pathways.models import Alert, Episode, JournalEntry, Plan, Referral
from polku.policy.actors import Actor
from polku.policy.enums import ConsentMethod, DataCategory, LegalBasis, Purpose, Register
from polku.policy.models import Consent, ServiceRelationship

pytestmark = pytest.mark.django_db


def rows_pointing_to(client: Client) -> dict[str, int]:
    """Rows of every model, in every app, that point to ``client``."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is Client:
                count = model._base_manager.filter(**{field.name: client}).count()
                if count:
                    found[f"{model._meta.label}.{field.name}"] = count
    return found


def duplicate_of(world, organisation, user, register, legal_basis) -> Client:
    """The same person registered again, without the identity code."""
    return register_client(
        actor=Actor.for_user(user),
        terms=RelationshipTerms(
            organisation=organisation, register=register, legal_basis=legal_basis
        ),
        first_names="Aino Maria",
        last_name="Testinen",
        birth_date=date(1980, 1, 1),
    ).client


@pytest.fixture
def duplicate_with_a_pathway(world, programmes):
    """A duplicate record served by organisation B, with an episode and its plan, a
    referral, a journal entry, a measurement, a consent and an alert."""
    measures.load_shipped_instruments()
    worker = Actor.for_user(world.worker_b)
    duplicate = duplicate_of(
        world,
        world.org_b,
        world.worker_b,
        Register.EMPLOYMENT_SERVICES,
        LegalBasis.MULTI_SECTOR_ACT,
    )
    from polku.clients.services import record_consent
    from polku.pathways.models import Programme

    episode = pathways.open_episode(
        actor=worker,
        client=duplicate,
        programme=Programme.objects.get(code="job-coaching"),
        organisation=world.org_b,
    )
    pathways.save_plan(actor=worker, episode=episode, goals=[pathways.GoalInput("Töihin")])
    record_consent(
        actor=worker,
        client=duplicate,
        discloser=world.org_b,
        recipient=world.org_a,
        purpose=Purpose.SERVICE_COORDINATION,
        categories=[DataCategory.BASIC],
        method=ConsentMethod.IN_PERSON,
    )
    pathways.send_referral(
        actor=worker,
        client=duplicate,
        from_organisation=world.org_b,
        to_organisation=world.org_a,
        reason="Sosiaalityön arvio",
        urgency="normal",
        shared_categories=[],
        episode=episode,
    )
    pathways.add_journal_entry(
        actor=worker,
        client=duplicate,
        organisation=world.org_b,
        register=Register.EMPLOYMENT_SERVICES,
        entry_type="meeting",
        text="Ensitapaaminen",
        episode=episode,
    )
    measures.start_administration(
        actor=worker,
        client=duplicate,
        organisation=world.org_b,
        instrument=measures.latest_version("work-ability-score"),
    )
    refresh_alerts(client_id=duplicate.pk)  # the episode has no case manager
    return duplicate


def test_merging_moves_every_record_of_the_duplicate_to_the_kept_one(
    world, duplicate_with_a_pathway
):
    duplicate = duplicate_with_a_pathway
    keep = world.client
    pointing = rows_pointing_to(duplicate)
    assert {
        "pathways.Episode.client",
        "pathways.Referral.client",
        "pathways.JournalEntry.client",
        "pathways.Alert.client",
        "measures.Administration.client",
        "policy.Consent.client",
        "policy.ServiceRelationship.client",
    } <= set(pointing)

    merge_clients(actor=Actor.for_user(world.admin), keep=keep, duplicate=duplicate)

    assert rows_pointing_to(duplicate) == {}
    assert Episode.objects.get().client == keep
    assert Plan.objects.get().episode.client == keep
    assert Referral.objects.get().client == keep
    assert JournalEntry.objects.get().client == keep
    assert Alert.objects.get().client == keep
    assert measures.Administration.objects.get().client == keep
    assert Consent.objects.get().client == keep
    assert sorted(
        ServiceRelationship.objects.filter(client=keep).values_list(
            "organisation__name", "ended_on"
        )
    ) == [("Sosiaalipalvelut A", None), ("Työllisyyspalvelut B", None)]
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep


def test_an_open_relationship_both_records_have_ends_on_the_day_of_the_merge(world):
    duplicate = duplicate_of(
        world, world.org_a, world.worker_a, Register.SOCIAL_WELFARE, LegalBasis.SOCIAL_WELFARE_ACT
    )
    first = ServiceRelationship.objects.get(client=world.client)
    second = ServiceRelationship.objects.get(client=duplicate)

    merge_clients(actor=Actor.for_user(world.admin), keep=world.client, duplicate=duplicate)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.client, first.ended_on) == (world.client, None)
    assert (second.client, second.ended_on) == (world.client, timezone.localdate())
    assert rows_pointing_to(duplicate) == {}


def test_records_merged_into_the_duplicate_earlier_point_to_the_kept_one(world):
    older = duplicate_of(
        world,
        world.org_b,
        world.worker_b,
        Register.EMPLOYMENT_SERVICES,
        LegalBasis.MULTI_SECTOR_ACT,
    )
    duplicate = duplicate_of(
        world,
        world.org_b,
        world.worker_b,
        Register.EMPLOYMENT_SERVICES,
        LegalBasis.MULTI_SECTOR_ACT,
    )
    admin = Actor.for_user(world.admin)
    merge_clients(actor=admin, keep=duplicate, duplicate=older)

    merge_clients(actor=admin, keep=world.client, duplicate=duplicate)

    older.refresh_from_db()
    assert older.merged_into == world.client
    assert rows_pointing_to(duplicate) == {}


def test_an_administrator_merges_on_the_page_and_both_records_are_logged(
    client, world, duplicate_with_a_pathway
):
    duplicate = duplicate_with_a_pathway
    client.force_login(world.admin)
    before = AccessLogEntry.objects.aggregate(last=Max("sequence"))["last"] or 0

    response = client.post(
        reverse("clients:merge"),
        {"keep": world.client.public_id, "duplicate": duplicate.public_id, "confirmed": "on"},
    )

    assert response.status_code == 302
    assert Episode.objects.get().client == world.client
    rows = AccessLogEntry.objects.filter(sequence__gt=before, action="change")
    assert [row.client_public_id for row in rows.order_by("sequence")] == [
        world.client.public_id,
        duplicate.public_id,
    ]
