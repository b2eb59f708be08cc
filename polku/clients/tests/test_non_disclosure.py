"""A non-disclosure for personal safety (turvakielto): where the client lives is shown only
to the organisation that registered it; setting and lifting it are logged acts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from polku.audit.models import AccessLogEntry
from polku.clients.models import Client
from polku.clients.selectors import get_visible_client
from polku.clients.services import (
    RelationshipTerms,
    end_relationship,
    lift_non_disclosure,
    merge_clients,
    register_client,
    set_non_disclosure,
    start_relationship_by_identity_code,
    update_client_details,
)
from polku.core.models import Municipality
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import LegalBasis, Purpose, Register
from polku.policy.models import ServiceRelationship

from .conftest import SYNTHETIC_CODE

pytestmark = pytest.mark.django_db

STREET = "Rauhankatu 9 A 3"


@pytest.fixture
def protected(world):
    """The client, living in Kangasala, served by A and B, under A's non-disclosure."""
    client = world.client
    client.municipality = Municipality.objects.get(pk="211")
    client.street_address, client.postal_code, client.post_office = STREET, "36200", "Kangasala"
    client.save()
    start_relationship_by_identity_code(
        actor=Actor.for_user(world.worker_b),
        identity_code=SYNTHETIC_CODE,
        terms=RelationshipTerms(
            organisation=world.org_b,
            register=Register.EMPLOYMENT_SERVICES,
            legal_basis=LegalBasis.EMPLOYMENT_SERVICES_ACT,
        ),
    )
    return set_non_disclosure(actor=Actor.for_user(world.worker_a), client=client)


def test_setting_it_names_the_organisation_and_is_logged(world, protected):
    # given the non-disclosure A's social worker set (fixture)
    row = AccessLogEntry.objects.latest("sequence")

    # then it names A, the worker and the moment, and the log has the act
    assert protected.non_disclosure_organisation == world.org_a
    assert protected.non_disclosure_set_by == world.worker_a
    assert protected.non_disclosure_set_at is not None
    assert (row.event, row.organisation_id, row.client_public_id) == (
        "non_disclosure_set",
        world.org_a.pk,
        protected.public_id,
    )


def test_only_the_registering_organisation_and_the_client_see_the_address(world, protected):
    # given the non-disclosure, and everyone else who may see the client's details
    world.consent_to_b()
    client_self = Actor.client_self(protected)
    subject_access = Actor.system("export_person", purpose=Purpose.SUBJECT_ACCESS)
    alerts = Actor.system("pathways.refresh_alerts")
    seeing = {
        "A's social worker": Actor.for_user(world.worker_a),
        "B, which serves the client too": Actor.for_user(world.worker_b),
        "an administrator": Actor.for_user(world.admin),
        "the client": client_self,
        "the subject-access export": subject_access,
        "a daily job": alerts,
    }

    # when the policy is asked for each
    shown = {name: decisions.may_see_address(actor, protected) for name, actor in seeing.items()}

    # then only A, the client and the client's own export see it
    assert shown == {
        "A's social worker": True,
        "B, which serves the client too": False,
        "an administrator": False,
        "the client": True,
        "the subject-access export": True,
        "a daily job": False,
    }


def test_the_registering_organisation_no_longer_sees_it_once_it_stops_serving(world, protected):
    # given A's relationship, started ten days ago, ended yesterday
    relationship = ServiceRelationship.objects.get(client=protected, organisation=world.org_a)
    today = timezone.localdate()
    relationship.started_on = today - timedelta(days=10)
    relationship.save()
    end_relationship(
        actor=Actor.for_user(world.worker_a),
        relationship=relationship,
        end_reason="service_completed",
        ended_on=today - timedelta(days=1),
    )

    # then A sees the address no more (nor anything else of the client)
    assert not decisions.may_see_address(Actor.for_user(world.worker_a), protected)


def test_a_client_loaded_for_another_organisation_has_no_address_and_cannot_be_saved(
    world, protected
):
    # when B loads the client for a page
    client, _decision = get_visible_client(Actor.for_user(world.worker_b), protected.public_id)

    # then the instance holds no address, and saving it would be refused
    assert (client.municipality, client.street_address, client.postal_code) == (None, "", "")
    assert client.post_office == ""
    with pytest.raises(RuntimeError):
        client.save()
    stored = Client.objects.get(pk=protected.pk)
    assert (stored.street_address, stored.municipality_id) == (STREET, "211")


def test_another_organisation_cannot_change_the_address(world, protected):
    # when B tries to change the address through the service
    with pytest.raises(PermissionDenied):
        update_client_details(
            actor=Actor.for_user(world.worker_b),
            client=protected,
            changes={"street_address": "Muualla 1", "phone": "040 000 0999"},
        )

    # then nothing changed
    stored = Client.objects.get(pk=protected.pk)
    assert (stored.street_address, stored.phone) == (STREET, "040 000 0901")


def test_another_organisations_edit_form_changes_the_rest_and_keeps_the_address(
    client, world, protected
):
    # given B's worker on the edit form, which has no address fields
    client.force_login(world.worker_b)
    url = reverse("clients:edit", kwargs={"public_id": protected.public_id})
    form = client.get(url).content.decode()
    assert 'name="street_address"' not in form
    assert STREET not in form
    assert "Kangasala" not in form
    assert "non-disclosure for personal safety" in form

    # when they save a new phone number (and try an address the form does not have)
    response = client.post(
        url,
        {
            "first_names": "Aino Maria",
            "last_name": "Testinen",
            "gender": "not_stated",
            "preferred_language": "fi",
            "phone": "040 000 0999",
            "street_address": "Muualla 1",
            "municipality": "837",
        },
    )

    # then the phone changed and the address stayed
    assert response.status_code == 302
    stored = Client.objects.get(pk=protected.pk)
    assert stored.phone == "040 000 0999"
    assert (stored.street_address, stored.municipality_id) == (STREET, "211")


def test_the_overview_shows_the_address_to_the_registering_organisation_only(
    client, world, protected
):
    url = reverse("clients:overview", kwargs={"public_id": protected.public_id})
    client.force_login(world.worker_a)
    own = client.get(url).content.decode()
    client.force_login(world.worker_b)
    other = client.get(url).content.decode()

    assert [STREET in own, "Kangasala" in own] == [True, True]
    assert [STREET in other, "Kangasala" in other, "36200" in other] == [False, False, False]
    assert "shown only to the organisation that registered it" in other
    assert world.org_a.name not in other


def test_another_organisation_can_neither_lift_nor_take_it_over(client, world, protected):
    # given B's worker
    client.force_login(world.worker_b)
    url = reverse("clients:non_disclosure", kwargs={"public_id": protected.public_id})
    before = AccessLogEntry.objects.count()

    # when they try to lift it, and to set it for B
    lift = client.post(url, {"act": "lift"})
    take_over = client.post(url, {"act": "set"})

    # then both are refused, and nothing changed
    assert lift.status_code == 403
    assert take_over.status_code == 409
    assert "already in force" in take_over.content.decode()
    stored = Client.objects.get(pk=protected.pk)
    assert stored.non_disclosure_organisation == world.org_a
    assert AccessLogEntry.objects.count() == before


def test_an_unknown_act_is_a_clear_error(client, world, protected):
    client.force_login(world.worker_a)
    url = reverse("clients:non_disclosure", kwargs={"public_id": protected.public_id})

    response = client.post(url, {"act": "forget"})

    assert response.status_code == 400
    assert "Choose whether to set or lift" in response.content.decode()
    assert Client.objects.get(pk=protected.pk).under_non_disclosure


def test_the_registering_organisation_lifts_it_and_everyone_sees_the_address_again(
    client, world, protected
):
    # given A's worker on the page
    client.force_login(world.worker_a)
    url = reverse("clients:non_disclosure", kwargs={"public_id": protected.public_id})
    assert "Lift the non-disclosure" in client.get(url).content.decode()

    # when they lift it
    response = client.post(url, {"act": "lift"})

    # then it is gone, logged, and B sees the address
    assert response.status_code == 302
    stored = Client.objects.get(pk=protected.pk)
    assert not stored.under_non_disclosure
    assert stored.non_disclosure_set_by is None
    assert AccessLogEntry.objects.latest("sequence").event == "non_disclosure_lifted"
    assert decisions.may_see_address(Actor.for_user(world.worker_b), stored)


def test_lifting_what_is_not_in_force_is_refused(world):
    with pytest.raises(ValidationError):
        lift_non_disclosure(actor=Actor.for_user(world.worker_a), client=world.client)


def test_a_client_registered_with_it_has_it_from_the_start(client, world):
    # given B's worker registering a new client with the box ticked
    client.force_login(world.worker_b)

    response = client.post(
        reverse("clients:create"),
        {
            "first_names": "Turva",
            "last_name": "Testaaja",
            "birth_date": "1990-05-17",
            "gender": "not_stated",
            "preferred_language": "fi",
            "municipality": "211",
            "street_address": STREET,
            "postal_code": "36200",
            "post_office": "Kangasala",
            "non_disclosure": "on",
            "organisation": world.org_b.pk,
            "register": "employment_services",
            "legal_basis": "employment_services_act",
        },
    )

    # then the client is under B's non-disclosure, and both acts are logged
    assert response.status_code == 302
    registered = Client.objects.get(last_name="Testaaja")
    assert registered.non_disclosure_organisation == world.org_b
    events = list(
        AccessLogEntry.objects.filter(client_public_id=registered.public_id)
        .order_by("sequence")
        .values_list("event", flat=True)
    )
    assert events[:2] == ["client_registered", "non_disclosure_set"]


def test_a_merge_keeps_the_non_disclosure_of_the_duplicate(world, protected):
    # given a duplicate record without it, kept instead of the protected one
    duplicate_registration = register_client(
        actor=Actor.for_user(world.worker_a),
        terms=RelationshipTerms(
            organisation=world.org_a,
            register=Register.SOCIAL_WELFARE,
            legal_basis=LegalBasis.SOCIAL_WELFARE_ACT,
        ),
        first_names="Aino Maria",
        last_name="Testinen",
        birth_date=protected.birth_date,
    )
    keep = duplicate_registration.client
    admin = replace(Actor.for_user(world.admin), purpose=Purpose.REGISTER_MAINTENANCE)

    # when the administrator merges the protected record into it
    merge_clients(actor=admin, keep=keep, duplicate=protected)

    # then the kept record is under the same non-disclosure
    kept = Client.objects.get(pk=keep.pk)
    assert kept.non_disclosure_organisation == world.org_a
    assert kept.non_disclosure_set_at == protected.non_disclosure_set_at


def test_the_client_sees_their_address_but_neither_lifts_nor_sets_one(world, protected):
    itself = Actor.client_self(protected)
    before = (
        Client.objects.filter(pk=protected.pk).values_list("non_disclosure_organisation").get(),
        AccessLogEntry.objects.count(),
    )

    assert decisions.may_see_address(itself, protected)
    assert not decisions.may_lift_non_disclosure(itself, protected)
    with pytest.raises(PermissionDenied):
        lift_non_disclosure(actor=itself, client=protected)
    assert (
        Client.objects.filter(pk=protected.pk).values_list("non_disclosure_organisation").get(),
        AccessLogEntry.objects.count(),
    ) == before


def test_the_client_cannot_register_one_for_themselves(world):
    with pytest.raises(PermissionDenied):
        set_non_disclosure(actor=Actor.client_self(world.client), client=world.client)
    world.client.refresh_from_db()
    assert world.client.non_disclosure_organisation_id is None
