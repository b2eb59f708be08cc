"""The access policy, exhaustively: role × relationship × data category × action.

One world holds a client for each kind of relationship between the client and the
professional's organisation A (the other organisations are B and C); one professional
per role is a member of A. Every combination is decided and compared with the rule
written out as a table, and the list filter must agree with the single decisions.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from polku.accounts.enums import CLIENT_WORK_ROLES, OrganisationKind, Role
from polku.clients.models import Client
from polku.policy.actors import Actor
from polku.policy.decisions import decide, visible_clients
from polku.policy.enums import Action, DataCategory, Purpose, Register
from polku.policy.models import Consent, ConsentCategory, ServiceRelationship

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY, TOMORROW = TODAY - timedelta(days=1), TODAY + timedelta(days=1)
TESTED = DataCategory.MEASUREMENTS  # the category that consents in the world cover
OTHER = DataCategory.EMPLOYMENT

# Scenario -> (what grants access, if anything). "own" is a social-welfare relationship.
SCENARIOS = [
    "own",
    "own_ended",
    "own_future",
    "consent_named_discloser",
    "consent_all_providers",
    "consent_expired",
    "consent_not_yet_valid",
    "consent_withdrawn",
    "consent_too_narrow_category",
    "consent_other_purpose",
    "consent_other_recipient",
    "no_relationship",
]


def expected(role: Role, scenario: str, category: DataCategory, action: Action) -> bool:
    """The rule, as a table a person can read."""
    if role not in CLIENT_WORK_ROLES:
        return False  # management, analysis and administration see no individual client
    if scenario == "own":
        # An own social-welfare relationship opens every category but patient records.
        return category != DataCategory.HEALTH
    covered = {
        "consent_named_discloser": {DataCategory.BASIC, TESTED},
        "consent_all_providers": {DataCategory.BASIC, TESTED},
        "consent_too_narrow_category": {OTHER},
    }.get(scenario, set())
    return category in covered and action in {Action.LIST, Action.VIEW}


@pytest.fixture
def world(make_organisation, make_professional):
    org_a = make_organisation("Organisaatio A", OrganisationKind.SOCIAL_WELFARE)
    org_b = make_organisation("Organisaatio B", OrganisationKind.EMPLOYMENT_SERVICES)
    org_c = make_organisation("Organisaatio C", OrganisationKind.NGO)
    recorder = make_professional("recorder", Role.SOCIAL_WORKER, org_b)
    users = {role: make_professional(f"user-{role}", role, org_a) for role in Role}
    clients = {}
    for number, scenario in enumerate(SCENARIOS):
        client = Client.objects.create(
            first_names="Testi", last_name=f"Asiakas{number}", birth_date=TODAY.replace(year=1980)
        )
        clients[scenario] = client

        def relationship(
            org, start=YESTERDAY, end=None, register=Register.EMPLOYMENT_SERVICES, client=client
        ):
            ServiceRelationship.objects.create(
                client=client,
                organisation=org,
                register=register,
                legal_basis="client_agreement",
                started_on=start,
                ended_on=end,
                created_by=recorder,
            )

        def consent(
            discloser=org_b,
            recipient=org_a,
            purpose=Purpose.SERVICE_COORDINATION,
            categories=(DataCategory.BASIC, TESTED),
            start=YESTERDAY,
            end=None,
            withdrawn=False,
            client=client,
        ):
            consent = Consent.objects.create(
                client=client,
                discloser=discloser,
                recipient=recipient,
                purpose=purpose,
                valid_from=start,
                valid_until=end,
                method="in_person",
                recorded_by=recorder,
                recorded_by_organisation=org_b,
                withdrawn_at=timezone.now() if withdrawn else None,
            )
            for category in categories:
                ConsentCategory.objects.create(consent=consent, category=category)

        relationship(org_b)
        match scenario:
            case "own":
                relationship(org_a, register=Register.SOCIAL_WELFARE)
            case "own_ended":
                relationship(org_a, start=TODAY - timedelta(days=30), end=YESTERDAY)
            case "own_future":
                relationship(org_a, start=TOMORROW)
            case "consent_named_discloser":
                consent()
            case "consent_all_providers":
                consent(discloser=None)
            case "consent_expired":
                consent(start=TODAY - timedelta(days=30), end=YESTERDAY)
            case "consent_not_yet_valid":
                consent(start=TOMORROW)
            case "consent_withdrawn":
                consent(withdrawn=True)
            case "consent_too_narrow_category":
                consent(categories=(OTHER,))
            case "consent_other_purpose":
                consent(purpose=Purpose.REHABILITATION)
            case "consent_other_recipient":
                consent(recipient=org_c)
    return users, clients


def test_every_combination_is_decided_by_the_rule(world):
    users, clients = world
    mismatches = []
    for role, scenario, category, action in itertools.product(
        Role, SCENARIOS, DataCategory, [a for a in Action if a != Action.LOOKUP]
    ):
        decision = decide(
            Actor.for_user(users[role]), clients[scenario], action=action, category=category
        )
        if decision.allowed != expected(role, scenario, category, action):
            mismatches.append(
                (role.value, scenario, category.value, action.value, decision.allowed)
            )
    assert mismatches == []


def test_every_allowed_decision_names_its_ground(world):
    users, clients = world
    user = users[Role.SOCIAL_WORKER]

    own = decide(
        Actor.for_user(user), clients["own"], action=Action.VIEW, category=DataCategory.BASIC
    )
    by_consent = decide(
        Actor.for_user(user),
        clients["consent_named_discloser"],
        action=Action.VIEW,
        category=TESTED,
    )

    assert own.organisation is not None
    assert (own.basis, own.organisation.name, own.role) == (
        "service_relationship",
        "Organisaatio A",
        Role.SOCIAL_WORKER,
    )
    assert (
        own.basis_public_id
        == ServiceRelationship.objects.get(
            client=clients["own"], organisation=own.organisation
        ).public_id
    )
    assert by_consent.basis == "consent"
    assert (
        by_consent.basis_public_id
        == Consent.objects.get(client=clients["consent_named_discloser"]).public_id
    )


@pytest.mark.parametrize("category", list(DataCategory))
def test_the_list_filter_agrees_with_the_single_decisions(world, category):
    users, clients = world
    for role in Role:
        listed = set(
            Client.objects.filter(
                visible_clients(Actor.for_user(users[role]), category=category)
            ).values_list("last_name", flat=True)
        )
        allowed = {
            client.last_name
            for scenario, client in clients.items()
            if expected(role, scenario, category, Action.LIST)
        }
        assert listed == allowed, (role, category)


def test_data_held_by_a_third_organisation_is_not_disclosed_by_a_named_consent(
    world, make_organisation
):
    users, clients = world
    user, client = users[Role.SOCIAL_WORKER], clients["consent_named_discloser"]
    org_b = Consent.objects.get(client=client).discloser
    org_d = make_organisation("Organisaatio D", OrganisationKind.HEALTH_CARE)

    from_b = decide(Actor.for_user(user), client, action=Action.VIEW, category=TESTED, owner=org_b)
    from_d = decide(Actor.for_user(user), client, action=Action.VIEW, category=TESTED, owner=org_d)

    assert from_b.allowed
    assert not from_d.allowed


def test_an_all_providers_consent_covers_current_providers_only(world, make_organisation):
    users, clients = world
    user, client = users[Role.SOCIAL_WORKER], clients["consent_all_providers"]
    current = ServiceRelationship.objects.get(client=client).organisation
    former = make_organisation("Entinen palveluntuottaja", OrganisationKind.NGO)
    ServiceRelationship.objects.create(
        client=client,
        organisation=former,
        register=Register.OTHER,
        legal_basis="client_agreement",
        started_on=TODAY - timedelta(days=90),
        ended_on=TODAY - timedelta(days=10),
        created_by=user,
    )

    assert decide(
        Actor.for_user(user), client, action=Action.VIEW, category=TESTED, owner=current
    ).allowed
    assert not decide(
        Actor.for_user(user), client, action=Action.VIEW, category=TESTED, owner=former
    ).allowed


def test_own_organisation_data_is_open_but_another_organisations_is_not(world):
    users, clients = world
    user, client = users[Role.SOCIAL_WORKER], clients["own"]
    org_a = users[Role.SOCIAL_WORKER].memberships.get().organisation
    org_b = ServiceRelationship.objects.exclude(organisation=org_a).get(client=client).organisation

    assert decide(
        Actor.for_user(user), client, action=Action.CHANGE, category=OTHER, owner=org_a
    ).allowed
    assert not decide(
        Actor.for_user(user), client, action=Action.VIEW, category=OTHER, owner=org_b
    ).allowed


def test_an_inactive_user_or_an_ended_membership_sees_nothing(world):
    users, clients = world
    user = users[Role.SOCIAL_WORKER]
    membership = user.memberships.get()
    membership.valid_until = YESTERDAY
    membership.valid_from = YESTERDAY - timedelta(days=10)
    membership.save()

    assert not decide(
        Actor.for_user(user), clients["own"], action=Action.VIEW, category=DataCategory.BASIC
    )
    assert not Client.objects.filter(visible_clients(Actor.for_user(user))).exists()
