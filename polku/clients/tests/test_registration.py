"""Registering clients: one person per identity code, duplicates warned, nothing leaks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from polku.audit.models import AccessLogEntry
from polku.clients.identity_code import synthetic_identity_code
from polku.clients.models import Client
from polku.policy.actors import Actor
from polku.policy.models import ServiceRelationship

from .conftest import SYNTHETIC_CODE

pytestmark = pytest.mark.django_db


def form_data(world, organisation, **overrides):
    data = {
        "first_names": "Eero",
        "last_name": "Esimerkki",
        "identity_code": "",
        "birth_date": "1990-05-17",
        "gender": "not_stated",
        "preferred_language": "fi",
        "municipality": "837",
        "phone": "",
        "email": "",
        "street_address": "",
        "postal_code": "",
        "post_office": "",
        "organisation": organisation.pk,
        "register": "employment_services",
        "legal_basis": "multi_sector_act",
        "started_on": "",
    }
    data.update(overrides)
    return data


def test_a_professional_registers_a_client_with_a_relationship_to_their_organisation(client, world):
    client.force_login(world.worker_b)

    response = client.post(reverse("clients:create"), form_data(world, world.org_b))

    assert response.status_code == 302
    registered = Client.objects.get(last_name="Esimerkki")
    assert response["Location"] == f"/clients/{registered.public_id}/"
    relationship = ServiceRelationship.objects.get(client=registered)
    assert (relationship.organisation, relationship.register, relationship.legal_basis) == (
        world.org_b,
        "employment_services",
        "multi_sector_act",
    )
    row = AccessLogEntry.objects.latest("sequence")
    assert (row.action, row.client_public_id, row.basis_public_id) == (
        "create",
        registered.public_id,
        relationship.public_id,
    )


def test_an_existing_identity_code_attaches_to_the_same_person_and_reveals_nothing(client, world):
    client.force_login(world.worker_b)

    response = client.post(
        reverse("clients:create"),
        form_data(
            world,
            world.org_b,
            first_names="Toinen",
            last_name="Nimi",
            identity_code=SYNTHETIC_CODE.lower(),
        ),
        follow=True,
    )

    assert Client.objects.count() == 1
    assert set(
        ServiceRelationship.objects.filter(client=world.client).values_list(
            "organisation__name", flat=True
        )
    ) == {"Sosiaalipalvelut A", "Työllisyyspalvelut B"}
    page = response.content.decode()
    assert "already known to Polku" in page
    assert "Aino Maria Testinen" in page  # identity is shared master data
    assert "Sosiaalipalvelut A" not in page  # other organisations' relationships are not
    assert "040 000 0901" in page  # contact details are basic details of the shared person


def test_same_name_and_birth_date_without_a_code_warns_before_creating(client, world):
    client.force_login(world.worker_b)
    data = form_data(
        world, world.org_b, first_names="Aino Maria", last_name="Testinen", birth_date="1980-01-01"
    )

    warned = client.post(reverse("clients:create"), data)

    assert warned.status_code == 400
    assert "A person with the same name and date of birth is already registered" in (
        warned.content.decode()
    )
    assert Client.objects.count() == 1
    # Finding that the person exists is logged, as a lookup by identity code is.
    existing = Client.objects.get()
    lookup = AccessLogEntry.objects.latest("sequence")
    assert (lookup.action, lookup.client_public_id) == ("lookup", existing.public_id)

    confirmed = client.post(reverse("clients:create"), {**data, "confirm_not_duplicate": "on"})
    assert confirmed.status_code == 302
    assert Client.objects.count() == 2


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("010180-9016", "The check character does not match"),
        ("310480-901X", "must be a real birth date"),
        ("010180Z9015", "The century sign Z is not valid"),
        ("0101-80", "An identity code has the form DDMMYYCZZZQ"),
    ],
)
def test_a_bad_identity_code_is_refused_with_its_own_message_and_changes_nothing(
    client, world, code, message
):
    client.force_login(world.worker_b)
    before = (
        Client.objects.count(),
        ServiceRelationship.objects.count(),
        AccessLogEntry.objects.count(),
    )

    response = client.post(
        reverse("clients:create"), form_data(world, world.org_b, identity_code=code)
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="Eero"' in page  # what the user typed is kept
    assert (
        Client.objects.count(),
        ServiceRelationship.objects.count(),
        AccessLogEntry.objects.count(),
    ) == before


def test_an_organisation_the_user_is_not_in_is_refused(client, world):
    client.force_login(world.worker_b)

    response = client.post(reverse("clients:create"), form_data(world, world.org_a))

    assert response.status_code == 400
    assert not Client.objects.filter(last_name="Esimerkki").exists()


@pytest.mark.parametrize("who", ["analyst_a", "admin"])
def test_roles_without_client_work_cannot_register(client, world, who):
    client.force_login(getattr(world, who))

    assert client.get(reverse("clients:create")).status_code == 403


def test_editing_details_keeps_identity_and_logs_the_change(client, world):
    client.force_login(world.worker_a)
    url = reverse("clients:edit", kwargs={"public_id": world.client.public_id})

    response = client.post(
        url,
        {
            "first_names": "Aino Maria",
            "last_name": "Testinen-Uusi",
            "gender": "female",
            "preferred_language": "sv",
            "languages": ["fi", "sv"],
            "phone": "040 000 0902",
            "postal_code": "33100",
        },
    )

    assert response.status_code == 302
    world.client.refresh_from_db()
    assert (world.client.last_name, world.client.preferred_language, world.client.languages) == (
        "Testinen-Uusi",
        "sv",
        ["fi", "sv"],
    )
    assert world.client.birth_date == date(1980, 1, 1)
    assert world.client.search_name == "testinen-uusi aino maria"
    assert AccessLogEntry.objects.latest("sequence").action == "change"


def test_a_bad_postal_code_is_refused_and_changes_nothing(client, world):
    client.force_login(world.worker_a)
    url = reverse("clients:edit", kwargs={"public_id": world.client.public_id})

    response = client.post(
        url,
        {
            "first_names": "X",
            "last_name": "Y",
            "gender": "female",
            "preferred_language": "fi",
            "postal_code": "331",
        },
    )

    assert response.status_code == 400
    assert "A postal code has five digits" in response.content.decode()
    world.client.refresh_from_db()
    assert world.client.first_names == "Aino Maria"


def test_a_relationship_ends_once_and_only_by_its_own_organisation(world):
    from django.core.exceptions import ValidationError
    from django.http import Http404

    from polku.clients.services import end_relationship

    relationship = ServiceRelationship.objects.get(client=world.client)
    with pytest.raises(Http404):
        end_relationship(
            actor=Actor.for_user(world.worker_c), relationship=relationship, end_reason="other"
        )

    end_relationship(
        actor=Actor.for_user(world.worker_a), relationship=relationship, end_reason="other"
    )
    relationship.refresh_from_db()
    assert relationship.ended_on is not None
    with pytest.raises((ValidationError, Http404)):
        end_relationship(
            actor=Actor.for_user(world.worker_a), relationship=relationship, end_reason="other"
        )


def _counts():
    return (
        Client.objects.count(),
        ServiceRelationship.objects.count(),
        AccessLogEntry.objects.count(),
    )


@pytest.mark.parametrize("by", ["birth_date", "identity_code"])
def test_a_birth_date_in_the_future_is_refused_from_tomorrow_on(client, world, by):
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)

    def fields(day):
        if by == "birth_date":
            return {"birth_date": day.isoformat()}
        return {"identity_code": synthetic_identity_code(day, 960), "birth_date": ""}

    client.force_login(world.worker_b)
    before = _counts()

    refused = client.post(
        reverse("clients:create"), form_data(world, world.org_b, **fields(tomorrow))
    )

    assert refused.status_code == 400
    page = refused.content.decode()
    assert (
        "The date of birth cannot be in the future." in page
        if by == "birth_date"
        else "is in the future; check the year and the century sign." in page
    )
    assert _counts() == before
    accepted = client.post(
        reverse("clients:create"), form_data(world, world.org_b, **fields(today))
    )
    assert accepted.status_code == 302
    assert Client.objects.get(last_name="Esimerkki").birth_date == today


def test_the_service_refuses_a_birth_date_in_the_future(world):
    from django.core.exceptions import ValidationError

    from polku.clients.services import RelationshipTerms, register_client
    from polku.policy.actors import Actor
    from polku.policy.enums import LegalBasis, Register

    before = _counts()

    with pytest.raises(ValidationError) as refused:
        register_client(
            actor=Actor.for_user(world.worker_b),
            terms=RelationshipTerms(
                organisation=world.org_b,
                register=Register.EMPLOYMENT_SERVICES,
                legal_basis=LegalBasis.MULTI_SECTOR_ACT,
            ),
            first_names="Eero",
            last_name="Esimerkki",
            birth_date=timezone.localdate() + timedelta(days=1),
        )

    assert refused.value.message_dict == {
        "birth_date": ["The date of birth cannot be in the future."]
    }
    assert _counts() == before


def test_registering_a_known_identity_code_counts_as_a_lookup_and_stops_at_the_limit(
    client, world, settings
):
    from polku.clients.models import IdentityLookup

    settings.POLKU_IDENTITY_LOOKUPS_PER_HOUR = 1
    client.force_login(world.worker_b)
    data = form_data(world, world.org_b, identity_code=SYNTHETIC_CODE)

    client.post(reverse("clients:create"), data)
    ServiceRelationship.objects.filter(client=world.client, organisation=world.org_b).delete()
    before = (AccessLogEntry.objects.count(), ServiceRelationship.objects.count())
    response = client.post(reverse("clients:create"), data)

    assert IdentityLookup.objects.filter(user=world.worker_b).count() == 1
    assert response.status_code == 429
    assert "You have looked up 1 person within the last hour" in response.content.decode()
    assert (AccessLogEntry.objects.count(), ServiceRelationship.objects.count()) == before
