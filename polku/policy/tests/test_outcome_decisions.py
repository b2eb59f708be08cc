"""Who reads an organisation's supported-employment outcome figures
(``decisions.may_read_employment_outcomes``): a professional acting for the organisation,
in any role, and never for another organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership, Unit
from polku.clients.models import Client
from polku.policy import decisions
from polku.policy.actors import Actor, ApiGrant, LinkScope
from polku.policy.enums import Purpose

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def organisations(make_organisation):
    return (
        make_organisation("Työllisyysalue A", OrganisationKind.EMPLOYMENT_SERVICES),
        make_organisation("Valmennus B", OrganisationKind.NGO),
    )


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_figures_of_the_organisation_it_acts_for(
    organisations, make_professional, role
):
    org_a, _org_b = organisations
    user = make_professional("pirjo", role, org_a)

    organisation = decisions.may_read_employment_outcomes(Actor.for_user(user))

    assert organisation == org_a


def test_a_professional_of_two_organisations_reads_only_the_one_acted_for(
    organisations, make_professional
):
    org_a, org_b = organisations
    user = make_professional("pirjo", Role.JOB_COACH, org_a)
    unit = Unit.objects.create(organisation=org_b, name="Valmennustiimi")
    in_b = Membership.objects.create(user=user, organisation=org_b, unit=unit, role=Role.ANALYST)

    for_a = decisions.may_read_employment_outcomes(Actor.for_user(user))
    for_b = decisions.may_read_employment_outcomes(Actor.for_user(user, membership_id=in_b.pk))

    assert (for_a, for_b) == (org_a, org_b)


def test_without_a_membership_valid_on_the_day_nothing_is_read(organisations, make_professional):
    org_a, _org_b = organisations
    user = make_professional("pirjo", Role.JOB_COACH, org_a)
    Membership.objects.filter(user=user).update(valid_until=TODAY)
    actor = Actor.for_user(user)

    assert decisions.may_read_employment_outcomes(actor) == org_a
    assert decisions.may_read_employment_outcomes(actor, on=TODAY + timedelta(days=1)) is None
    Membership.objects.filter(user=user).update(
        valid_from=TODAY - timedelta(days=30), valid_until=TODAY - timedelta(days=1)
    )
    assert decisions.may_read_employment_outcomes(Actor.for_user(user)) is None


def test_an_inactive_user_or_organisation_reads_nothing(organisations, make_professional):
    org_a, _org_b = organisations
    user = make_professional("pirjo", Role.JOB_COACH, org_a)
    actor = Actor.for_user(user)
    assert actor.user is not None
    assert actor.membership is not None

    actor.user.is_active = False
    assert decisions.may_read_employment_outcomes(actor) is None
    actor.user.is_active = True
    actor.membership.organisation.is_active = False
    assert decisions.may_read_employment_outcomes(actor) is None


def test_no_other_kind_of_actor_reads_the_figures(organisations):
    org_a, _org_b = organisations
    client = Client.objects.create(
        first_names="Testi", last_name="Asiakas", birth_date=TODAY.replace(year=1980)
    )
    actors = [
        Actor.client_self(client),
        Actor.api_client(
            ApiGrant("Raportointi", org_a, Purpose.EMPLOYMENT_SUPPORT, frozenset({"plan:read"}))
        ),
        Actor.link_holder(
            LinkScope(
                model="measures.Administration", object_id=1, client_id=client.pk, owner=org_a
            )
        ),
        Actor.system("employment.outcomes", Purpose.EMPLOYMENT_SUPPORT),
    ]

    assert [decisions.may_read_employment_outcomes(actor) for actor in actors] == [None] * 4
