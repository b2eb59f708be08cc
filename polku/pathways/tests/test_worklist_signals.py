"""Worklist signals: an incoming referral shows its client and reason within the policy,
else only that one waits; overdue alerts and referrals say how late they are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from polku.audit.models import AccessLogEntry
from polku.clients.services import withdraw_consent
from polku.pathways.alerts import refresh_alerts
from polku.pathways.models import Referral
from polku.pathways.tests.test_notifications import REASON, refer
from polku.pathways.tests.test_tasks import consent_to_b
from polku.policy.models import Consent

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def refer_with_consent(team) -> Referral:
    consent_to_b(team)
    return refer(team)


def receivers_home(client, team) -> str:
    client.force_login(team.receiver)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_incoming_referral_shows_the_client_and_the_reason(team, client):
    referral = refer_with_consent(team)

    page = receivers_home(client, team)

    assert "Polkunen, Pauli" in page
    assert REASON in page
    assert reverse("pathways:referral", kwargs={"public_id": referral.public_id}) in page
    [row] = AccessLogEntry.objects.filter(actor_id=team.receiver.pk)
    assert (row.action, row.basis, row.basis_public_id) == ("list", "referral", referral.public_id)


def test_after_the_consent_ends_only_that_a_referral_waits_is_shown(team, client):
    referral = refer_with_consent(team)
    withdraw_consent(
        actor=team.actor(), consent=Consent.objects.get(), withdrawal_method="in_person"
    )

    page = receivers_home(client, team)

    assert "A referral from Työllisyysalue A is waiting" in page
    assert "Pauli" not in page
    assert REASON not in page
    assert str(referral.public_id) not in page
    assert not AccessLogEntry.objects.filter(actor_id=team.receiver.pk).exists()


def test_an_overdue_referral_and_its_alert_say_how_late_they_are(team, client):
    referral = refer_with_consent(team)
    Referral.objects.filter(pk=referral.pk).update(respond_by=TODAY - timedelta(days=3))
    refresh_alerts()

    page = receivers_home(client, team)

    # once on the referral, once on its alert
    assert page.count("3 days late") == 2
    assert "Referral unanswered past its deadline" in page


def test_a_referral_due_today_is_not_late(team, client):
    referral = refer_with_consent(team)
    Referral.objects.filter(pk=referral.pk).update(respond_by=TODAY)

    page = receivers_home(client, team)

    assert " day late" not in page
    assert " days late" not in page
