"""Whose clients a reader's insight figures count (``decisions.insight_clients``): an
analyst every client's, another professional the clients they may list, no other actor
any."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership
from polku.clients.models import Client
from polku.policy import decisions
from polku.policy.actors import Actor, ApiGrant
from polku.policy.enums import LegalBasis, Purpose, Register
from polku.policy.models import ServiceRelationship

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world(make_organisation, make_professional):
    org_a = make_organisation("Sosiaalitoimi A", OrganisationKind.SOCIAL_WELFARE)
    org_b = make_organisation("Työllisyysalue B", OrganisationKind.EMPLOYMENT_SERVICES)
    worker_a = make_professional("sanna", Role.SOCIAL_WORKER, org_a)
    clients = [
        Client.objects.create(
            first_names="Testi", last_name=f"Asiakas{n}", birth_date=TODAY.replace(year=1980)
        )
        for n in range(3)
    ]
    for client, organisation in zip(clients, (org_a, org_a, org_b), strict=True):
        ServiceRelationship.objects.create(
            client=client,
            organisation=organisation,
            register=Register.SOCIAL_WELFARE
            if organisation == org_a
            else Register.EMPLOYMENT_SERVICES,
            legal_basis=LegalBasis.CLIENT_AGREEMENT,
            started_on=TODAY - timedelta(days=10),
            created_by=worker_a,
        )
    return org_a, org_b, worker_a, clients


def counted(actor: Actor) -> set[int] | None:
    scope = decisions.insight_clients(actor)
    if scope is None:
        return None
    return set(Client.objects.filter(scope).values_list("pk", flat=True))


def test_an_analyst_counts_every_client(world, make_professional, make_organisation):
    _org_a, _org_b, _worker, clients = world
    analyst = make_professional("aino", Role.ANALYST, make_organisation("Hyvinvointialue"))

    assert counted(Actor.for_user(analyst)) == {client.pk for client in clients}


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.PROJECT_MANAGER, Role.ADMINISTRATOR])
def test_another_professional_counts_the_clients_they_may_list(world, make_professional, role):
    org_a, _org_b, _worker, clients = world
    user = make_professional("pekka", role, org_a)

    scope = counted(Actor.for_user(user))

    if role == Role.SOCIAL_WORKER:
        assert scope == {clients[0].pk, clients[1].pk}
    else:  # the organisation's clients are listed by those doing client work only
        assert scope == set()


def test_an_ended_membership_or_an_inactive_organisation_counts_nothing(world):
    org_a, _org_b, worker, _clients = world
    Membership.objects.filter(user=worker).update(
        valid_from=TODAY - timedelta(days=30), valid_until=TODAY - timedelta(days=1)
    )
    assert decisions.insight_clients(Actor.for_user(worker)) is None
    Membership.objects.filter(user=worker).update(valid_until=None)
    org_a.is_active = False
    org_a.save()
    assert decisions.insight_clients(Actor.for_user(worker)) is None


def test_no_other_kind_of_actor_reads_insights(world):
    org_a, _org_b, _worker, clients = world
    actors = [
        Actor.client_self(clients[0]),
        Actor.api_client(
            ApiGrant("Raportointi", org_a, Purpose.KNOWLEDGE_MANAGEMENT, frozenset({"plan:read"}))
        ),
        Actor.system("insights", Purpose.KNOWLEDGE_MANAGEMENT),
    ]

    assert [decisions.insight_clients(actor) for actor in actors] == [None] * 3
    assert not any(decisions.may_read_insights(actor) for actor in actors)
