"""Referrals between organisations: within consent, a state machine, deadlines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from polku.clients.services import record_consent
from polku.pathways import services
from polku.pathways.models import Referral
from polku.policy.enums import ConsentMethod, DataCategory, Purpose
from polku.policy.models import ServiceRelationship

pytestmark = pytest.mark.django_db


def consent_to_b(team, categories=(DataCategory.BASIC, DataCategory.PLAN)):
    return record_consent(
        actor=team.actor(),
        client=team.client,
        discloser=team.org_a,
        recipient=team.org_b,
        purpose=Purpose.SERVICE_COORDINATION,
        categories=list(categories),
        method=ConsentMethod.SIGNED_PAPER,
    )


def refer(team, **kwargs):
    values = {
        "actor": team.actor(),
        "client": team.client,
        "from_organisation": team.org_a,
        "to_organisation": team.org_b,
        "reason": "Työkyvyn arvio",
        "urgency": "normal",
        "shared_categories": [DataCategory.PLAN],
    }
    values.update(kwargs)
    return services.send_referral(**values)


def test_a_referral_without_the_clients_consent_is_refused_and_nothing_is_sent(team):
    with pytest.raises(ValidationError, match="has not consented"):
        refer(team)

    assert not Referral.objects.exists()


def test_shared_data_must_be_within_the_consent(team):
    consent_to_b(team, categories=[DataCategory.BASIC])

    with pytest.raises(ValidationError, match="Plan and pathway"):
        refer(team)


def test_the_deadline_follows_the_urgency(team):
    consent_to_b(team)

    urgent = refer(team, urgency="urgent")
    normal = refer(team)

    today = timezone.localdate()
    assert urgent.respond_by == today + timedelta(days=3)
    assert normal.respond_by == today + timedelta(days=14)
    assert normal.shared_categories == ["basic", "plan"]


def test_the_receiver_accepts_and_a_service_relationship_starts(team):
    consent_to_b(team)
    referral = refer(team)

    services.mark_referral_received(actor=team.actor(team.receiver), referral=referral)
    services.accept_referral(
        actor=team.actor(team.receiver),
        referral=referral,
        register="health_care",
        legal_basis="health_care_act",
    )

    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert referral.answered_by == team.receiver
    assert (
        ServiceRelationship.objects.active()
        .filter(client=team.client, organisation=team.org_b, register="health_care")
        .exists()
    )
    services.close_referral(actor=team.actor(team.receiver), referral=referral, status="completed")
    referral.refresh_from_db()
    assert referral.status == "completed"


def test_declining_needs_a_reason(team):
    consent_to_b(team)
    referral = refer(team)

    with pytest.raises(ValidationError):
        services.decline_referral(
            actor=team.actor(team.receiver), referral=referral, ground="other", reason=" "
        )
    with pytest.raises(ValidationError):
        services.decline_referral(
            actor=team.actor(team.receiver), referral=referral, ground="", reason="Ei kuulu"
        )
    services.decline_referral(
        actor=team.actor(team.receiver),
        referral=referral,
        ground="not_our_service",
        reason="Ei kuulu palveluumme",
    )

    referral.refresh_from_db()
    assert (referral.status, referral.decline_ground, referral.decline_reason) == (
        "declined",
        "not_our_service",
        "Ei kuulu palveluumme",
    )


def test_finished_referrals_do_not_move_again(team):
    consent_to_b(team)
    referral = refer(team)
    services.close_referral(actor=team.actor(), referral=referral, status="withdrawn")

    with pytest.raises(ValidationError, match="cannot become"):
        services.close_referral(actor=team.actor(), referral=referral, status="withdrawn")
    # The withdrawn referral no longer gives its receiver a ground to answer it (the
    # receiver still reads the sender's plan, referrals included, by the client's consent).
    with pytest.raises(PermissionDenied):
        services.accept_referral(
            actor=team.actor(team.receiver),
            referral=referral,
            register="health_care",
            legal_basis="health_care_act",
        )
    referral.refresh_from_db()
    assert referral.status == "withdrawn"


def test_only_the_receiver_answers_and_only_the_sender_withdraws(team):
    consent_to_b(team)
    referral = refer(team)

    # An outsider is not even told that the referral exists.
    with pytest.raises(Http404):
        services.accept_referral(
            actor=team.actor(team.outsider),
            referral=referral,
            register="other",
            legal_basis="client_agreement",
        )
    with pytest.raises(PermissionDenied):
        services.close_referral(
            actor=team.actor(team.receiver), referral=referral, status="withdrawn"
        )
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_a_withdrawn_referral_is_no_longer_open_to_the_receiver(team, client):
    from django.urls import reverse

    from polku.clients.services import withdraw_consent
    from polku.policy.models import Consent

    consent_to_b(team)
    referral = refer(team)
    services.close_referral(actor=team.actor(), referral=referral, status="withdrawn")
    for consent in Consent.objects.filter(client=team.client):
        withdraw_consent(actor=team.actor(), consent=consent, withdrawal_method="phone")
    client.force_login(team.receiver)

    response = client.get(reverse("pathways:referral", kwargs={"public_id": referral.public_id}))

    assert response.status_code == 404


def test_withdrawing_twice_says_why_instead_of_failing(team, client):
    from django.urls import reverse

    consent_to_b(team)
    referral = refer(team)
    url = reverse("pathways:referral", kwargs={"public_id": referral.public_id})
    client.force_login(team.manager)

    first = client.post(url, {"form": "withdraw"})
    second = client.post(url, {"form": "withdraw"}, follow=True)

    assert first.status_code == 302
    assert "cannot become" in second.content.decode()
    referral.refresh_from_db()
    assert referral.status == "withdrawn"


def test_a_receiver_that_serves_the_client_still_needs_consent_for_the_senders_records(team):
    ServiceRelationship.objects.create(
        client=team.client,
        organisation=team.org_b,
        register="employment_services",
        legal_basis="multi_sector_act",
        created_by=team.receiver,
    )

    basic_only = refer(team, shared_categories=[])
    with pytest.raises(ValidationError, match="has not consented"):
        refer(team, shared_categories=[DataCategory.HEALTH, DataCategory.SOCIAL_WELFARE])

    assert basic_only.shared_categories == ["basic"]
    assert Referral.objects.count() == 1
