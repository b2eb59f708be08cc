"""Who has seen the client's data: own organisations' accesses and others' use of its
own register."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from polku.audit.services import Access, record
from polku.policy.actors import Actor
from polku.policy.enums import Action, BasisKind, DataCategory, Register

pytestmark = pytest.mark.django_db


def read_by(world, user, organisation, owner, basis=BasisKind.CONSENT):
    with transaction.atomic():
        record(
            actor=Actor.for_user(user),
            accesses=[
                Access(
                    client_public_id=world.client.public_id,
                    action=Action.VIEW,
                    categories=[DataCategory.SOCIAL_WELFARE],
                    organisation=organisation,
                    basis=basis,
                    owner=owner,
                    register=Register.SOCIAL_WELFARE if owner else "",
                )
            ],
        )


def test_the_owner_sees_others_reads_of_its_register_but_not_their_other_reads(client, world):
    world.worker_b.first_name, world.worker_b.last_name = "Bertta", "Lukija"
    world.worker_b.save()
    world.worker_c.first_name, world.worker_c.last_name = "Cecilia", "Muualla"
    world.worker_c.save()
    read_by(world, world.worker_b, world.org_b, owner=world.org_a)
    read_by(
        world, world.worker_c, world.org_c, owner=world.org_c, basis=BasisKind.SERVICE_RELATIONSHIP
    )
    client.force_login(world.worker_a)

    response = client.get(
        reverse("clients:access_log", kwargs={"public_id": world.client.public_id})
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Bertta Lukija" in page
    assert "Työllisyyspalvelut B" in page
    assert "Cecilia Muualla" not in page
    assert "Järjestö C" not in page
