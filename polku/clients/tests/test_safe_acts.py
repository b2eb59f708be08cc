"""Withdrawing a consent and ending a service relationship: a choice made on purpose, a
confirmation that says what follows, the act only when confirmed with the values shown; and
the corrections for a mistake: a relationship restored, a withdrawn consent recorded again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from polku.audit.models import AccessLogEntry
from polku.clients import services
from polku.core.tests.test_confirmation import confirmed
from polku.pathways import services as pathways
from polku.pathways.models import Programme
from polku.policy.actors import Actor
from polku.policy.enums import BasisKind, Purpose
from polku.policy.models import Consent, RelationshipRestoration, ServiceRelationship

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def events(event: str) -> int:
    return AccessLogEntry.objects.filter(event=event).count()


# Withdrawing a consent ----------------------------------------------------------------------


def withdraw_url(world, consent: Consent) -> str:
    return reverse(
        "clients:consent_withdraw",
        kwargs={"public_id": world.client.public_id, "consent_id": consent.public_id},
    )


def again_url(world, consent: Consent) -> str:
    return reverse(
        "clients:consent_record_again",
        kwargs={"public_id": world.client.public_id, "consent_id": consent.public_id},
    )


def test_withdrawing_without_saying_how_is_refused_and_changes_nothing(client, world):
    consent = world.consent_to_b()
    client.force_login(world.worker_a)
    page = client.get(withdraw_url(world, consent)).content.decode()
    assert '<option value="" selected>– choose –</option>' in page

    response = client.post(withdraw_url(world, consent), {"withdrawal_method": ""})

    assert response.status_code == 400
    assert "Choose how the client withdrew the consent." in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert events("consent_withdrawn") == 0


def test_the_withdrawal_confirmation_says_who_loses_what(client, world):
    consent = world.consent_to_b()
    client.force_login(world.worker_a)

    response = client.post(withdraw_url(world, consent), {"withdrawal_method": "phone"})

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "From the moment you confirm, Työllisyyspalvelut B can no longer see the data of "
        "Sosiaalipalvelut A that the consent covered (Basic details) for the purpose "
        "“Coordinating the client&#x27;s services”." in page
    )
    assert "By phone" in page
    assert "A withdrawal cannot be undone." in page
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_the_confirmed_withdrawal_ends_access_and_logs_it(client, world):
    consent = world.consent_to_b()
    client.force_login(world.worker_a)
    confirmation = client.post(withdraw_url(world, consent), {"withdrawal_method": "phone"})

    tampered = client.post(
        withdraw_url(world, consent), confirmed(confirmation, withdrawal_method="in_writing")
    )
    assert tampered.status_code == 400
    consent.refresh_from_db()
    assert consent.withdrawn_at is None

    response = client.post(withdraw_url(world, consent), confirmed(confirmation))

    assert response.status_code == 302
    consent.refresh_from_db()
    assert (consent.withdrawal_method, consent.withdrawn_by) == ("phone", world.worker_a)
    assert not Consent.objects.valid().exists()
    assert events("consent_withdrawn") == 1
    again = client.get(withdraw_url(world, consent))
    assert again.status_code == 409


def test_a_withdrawn_consent_is_recorded_again_as_a_new_consent(client, world):
    consent = world.consent_to_b()
    services.withdraw_consent(
        actor=Actor.for_user(world.worker_a), consent=consent, withdrawal_method="in_person"
    )
    client.force_login(world.worker_a)
    overview = reverse("clients:overview", kwargs={"public_id": world.client.public_id})
    assert again_url(world, consent) in client.get(overview).content.decode()

    refused = client.post(again_url(world, consent), {"replacement_reason": "", "method": ""})
    assert refused.status_code == 400
    assert Consent.objects.count() == 1

    response = client.post(
        again_url(world, consent),
        {"replacement_reason": "withdrawn_by_mistake", "method": "in_person"},
    )

    assert response.status_code == 302
    new = Consent.objects.get(replaces=consent)
    assert new.is_valid()
    assert (new.discloser, new.recipient, new.purpose, new.category_labels()) == (
        world.org_a,
        world.org_b,
        Purpose.SERVICE_COORDINATION,
        ["Basic details"],
    )
    assert new.replacement_reason == "withdrawn_by_mistake"
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None  # the withdrawal itself stays as it was
    assert events("consent_recorded_again") == 1
    page = client.get(overview).content.decode()
    assert "Recorded again after the withdrawal of" in page
    assert "recorded again" in page
    assert client.get(again_url(world, consent)).status_code == 409


def test_recording_again_follows_the_rules_of_recording_a_consent(world):
    # The recipient's own staff may not record a consent disclosing another
    # organisation's records without the client's signed form.
    consent = world.consent_to_b()
    services.withdraw_consent(
        actor=Actor.for_user(world.worker_a), consent=consent, withdrawal_method="in_person"
    )
    from polku.clients.services import RelationshipTerms, start_relationship_by_identity_code
    from polku.clients.tests.conftest import SYNTHETIC_CODE
    from polku.policy.enums import LegalBasis, Register

    start_relationship_by_identity_code(
        actor=Actor.for_user(world.worker_b),
        identity_code=SYNTHETIC_CODE,
        terms=RelationshipTerms(
            organisation=world.org_b,
            register=Register.EMPLOYMENT_SERVICES,
            legal_basis=LegalBasis.EMPLOYMENT_SERVICES_ACT,
        ),
    )

    with pytest.raises(ValidationError, match="signed form"):
        services.record_consent_again(
            actor=Actor.for_user(world.worker_b),
            consent=consent,
            replacement_reason="given_again",
            method="in_person",
        )
    assert Consent.objects.count() == 1


def test_outsiders_get_404_on_recording_a_consent_again(client, world):
    consent = world.consent_to_b()
    services.withdraw_consent(
        actor=Actor.for_user(world.worker_a), consent=consent, withdrawal_method="in_person"
    )
    client.force_login(world.worker_c)

    assert client.get(again_url(world, consent)).status_code == 404
    response = client.post(
        again_url(world, consent), {"replacement_reason": "given_again", "method": "in_person"}
    )

    assert response.status_code == 404
    assert Consent.objects.count() == 1


# Ending a service relationship --------------------------------------------------------------


@pytest.fixture
def relationship(world):
    ServiceRelationship.objects.filter(client=world.client, organisation=world.org_a).update(
        started_on=TODAY - timedelta(days=100)
    )
    return ServiceRelationship.objects.get(client=world.client, organisation=world.org_a)


def relationship_url(world, relationship: ServiceRelationship, name: str = "relationship") -> str:
    return reverse(
        f"clients:{name}",
        kwargs={"public_id": world.client.public_id, "relationship_id": relationship.public_id},
    )


def test_ending_a_relationship_without_a_reason_is_refused(client, world, relationship):
    client.force_login(world.worker_a)
    end = relationship_url(world, relationship, "relationship_end")
    assert '<option value="" selected>– choose –</option>' in client.get(end).content.decode()

    response = client.post(end, {"end_reason": ""})

    assert response.status_code == 400
    assert "Choose why the service relationship ends." in response.content.decode()
    relationship.refresh_from_db()
    assert relationship.ended_on is None


def test_open_episodes_are_ended_before_the_relationship(client, world, relationship, programmes):
    episode = pathways.open_episode(
        actor=Actor.for_user(world.worker_a),
        client=world.client,
        programme=Programme.objects.get(code="multi-sector-joint-service"),
        organisation=world.org_a,
    )
    client.force_login(world.worker_a)

    response = client.post(
        relationship_url(world, relationship, "relationship_end"), {"end_reason": "moved"}
    )

    assert response.status_code == 400
    assert "End the client&#x27;s open episodes in this register first" in (
        response.content.decode()
    )
    with pytest.raises(ValidationError, match="open episodes"):
        services.end_relationship(
            actor=Actor.for_user(world.worker_a), relationship=relationship, end_reason="moved"
        )
    pathways.end_episode(actor=Actor.for_user(world.worker_a), episode=episode, end_reason="moved")
    assert (
        client.post(
            relationship_url(world, relationship, "relationship_end"), {"end_reason": "moved"}
        ).status_code
        == 200
    )


def test_the_relationship_end_confirmation_says_what_will_follow(client, world, relationship):
    client.force_login(world.worker_a)
    yesterday = TODAY - timedelta(days=1)

    response = client.post(
        relationship_url(world, relationship, "relationship_end"),
        {"end_reason": "moved", "ended_on": yesterday.isoformat()},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        f"After {yesterday:%-d.%-m.%Y}, the relationship no longer lets Sosiaalipalvelut A see "
        "or change the client's records in its Social welfare client records." in page
    )
    assert "restore it within 30 days" in page
    relationship.refresh_from_db()
    assert relationship.ended_on is None


def test_a_relationship_ended_by_mistake_is_restored_with_its_history_kept(
    client, world, relationship
):
    client.force_login(world.worker_a)
    end = relationship_url(world, relationship, "relationship_end")
    yesterday = TODAY - timedelta(days=1)
    confirmation = client.post(end, {"end_reason": "moved", "ended_on": yesterday.isoformat()})
    tampered = client.post(end, confirmed(confirmation, end_reason="no_contact"))
    assert tampered.status_code == 400

    response = client.post(end, confirmed(confirmation))

    assert response.status_code == 302
    assert response.url == relationship_url(world, relationship)
    relationship.refresh_from_db()
    assert (relationship.ended_on, relationship.end_reason, relationship.ended_by) == (
        yesterday,
        "moved",
        world.worker_a,
    )
    assert events("relationship_ended") == 1
    overview = reverse("clients:overview", kwargs={"public_id": world.client.public_id})
    assert client.get(overview).status_code == 404  # the organisation no longer serves them

    # The relationship's own page stays open to the organisation for the correction.
    page = client.get(relationship_url(world, relationship))
    assert page.status_code == 200
    assert "Restore the service relationship" in page.content.decode()
    row = AccessLogEntry.objects.filter(event="").latest("sequence")
    assert (row.basis, row.basis_public_id, row.purpose) == (
        BasisKind.SERVICE_RELATIONSHIP,
        relationship.public_id,
        Purpose.REGISTER_MAINTENANCE,
    )
    refused = client.post(relationship_url(world, relationship), {"reason": ""})
    assert refused.status_code == 400

    restored = client.post(
        relationship_url(world, relationship), {"reason": "Päätetty väärän asiakkaan kohdalla"}
    )

    assert restored.status_code == 302
    relationship.refresh_from_db()
    assert (relationship.ended_on, relationship.end_reason) == (None, "")
    restoration = RelationshipRestoration.objects.get()
    assert (restoration.ended_on, restoration.end_reason, restoration.corrected_by) == (
        yesterday,
        "moved",
        world.worker_a,
    )
    assert events("relationship_restored") == 1
    assert client.get(overview).status_code == 200
    history = client.get(relationship_url(world, relationship)).content.decode()
    assert f"Ended on {yesterday:%-d.%-m.%Y}: The client moved away" in history
    assert "as ended by mistake: Päätetty väärän asiakkaan kohdalla" in history


def test_restoring_is_refused_after_the_correction_period(client, world, relationship):
    services.end_relationship(
        actor=Actor.for_user(world.worker_a), relationship=relationship, end_reason="moved"
    )
    ServiceRelationship.objects.filter(pk=relationship.pk).update(
        ended_on=TODAY - timedelta(days=40),
        end_recorded_at=timezone.now() - timedelta(days=31),
    )
    client.force_login(world.worker_a)

    assert client.get(relationship_url(world, relationship)).status_code == 404
    assert client.post(relationship_url(world, relationship), {"reason": "V"}).status_code == 404
    assert not RelationshipRestoration.objects.exists()


def test_outsiders_get_404_on_a_relationships_pages(client, world, relationship):
    world.consent_to_b()
    services.end_relationship(
        actor=Actor.for_user(world.worker_a), relationship=relationship, end_reason="moved"
    )
    rows = AccessLogEntry.objects.count()
    for user in (world.worker_b, world.worker_c, world.analyst_a):
        client.force_login(user)
        for name in ("relationship", "relationship_end"):
            assert client.get(relationship_url(world, relationship, name)).status_code == 404
        response = client.post(relationship_url(world, relationship), {"reason": "Virhe"})
        assert response.status_code == 404

    relationship.refresh_from_db()
    assert relationship.ended_on is not None
    assert AccessLogEntry.objects.count() == rows
