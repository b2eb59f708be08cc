"""The access policy over the second version's dimensions: every kind of actor, owners and
registers, purposes, referral states, several memberships, date boundaries, merged clients.

One world: organisation A serves the client in social welfare; B serves the client in
employment services; C and D serve nobody. Each case states the rule it checks, and the
list filter must agree with the single decision wherever an actor may list.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership
from polku.clients.models import Client
from polku.pathways.access import access_episode
from polku.pathways.models import Episode, Programme
from polku.policy.actors import Actor, ApiGrant, LinkScope
from polku.policy.decisions import decide, decide_as_receiver, visible_clients, visible_records
from polku.policy.enums import (
    Action,
    BasisKind,
    ConsentMethod,
    DataCategory,
    LegalBasis,
    Purpose,
    Register,
)
from polku.policy.models import Consent, ConsentCategory, ReferralGrant, ServiceRelationship

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY, TOMORROW = TODAY - timedelta(days=1), TODAY + timedelta(days=1)
PLAN, MEASUREMENTS = DataCategory.PLAN, DataCategory.MEASUREMENTS
EMPLOYMENT = DataCategory.EMPLOYMENT
REGISTERS = list(Register)
PURPOSES = [
    Purpose.SERVICE_COORDINATION,
    Purpose.WORK_ABILITY_ASSESSMENT,
    Purpose.REHABILITATION,
    Purpose.EMPLOYMENT_SUPPORT,
]


@pytest.fixture
def world(make_organisation, make_professional):
    orgs = {
        name: make_organisation(f"Organisaatio {name}", kind)
        for name, kind in (
            ("A", OrganisationKind.SOCIAL_WELFARE),
            ("B", OrganisationKind.EMPLOYMENT_SERVICES),
            ("C", OrganisationKind.NGO),
            ("D", OrganisationKind.NGO),
        )
    }
    workers = {
        name: make_professional(f"worker-{name}", Role.SOCIAL_WORKER, org)
        for name, org in orgs.items()
    }
    client = Client.objects.create(
        first_names="Testi", last_name="Asiakas", birth_date=TODAY.replace(year=1980)
    )
    for name, register in (("A", Register.SOCIAL_WELFARE), ("B", Register.EMPLOYMENT_SERVICES)):
        ServiceRelationship.objects.create(
            client=client,
            organisation=orgs[name],
            register=register,
            legal_basis=LegalBasis.CLIENT_AGREEMENT,
            created_by=workers[name],
        )
    return orgs, workers, client


def give_consent(world, discloser, recipient, purpose, categories, **fields):
    orgs, workers, client = world
    consent = Consent.objects.create(
        client=client,
        discloser=orgs[discloser] if discloser else None,
        recipient=orgs[recipient],
        purpose=purpose,
        method=ConsentMethod.SIGNED_PAPER,
        recorded_by=workers["B"],
        recorded_by_organisation=orgs["B"],
        **fields,
    )
    ConsentCategory.objects.bulk_create(
        [ConsentCategory(consent=consent, category=category) for category in categories]
    )
    return consent


# Owners × registers: an own relationship opens its own organisation's records in its own
# register only; never another organisation's.


@pytest.mark.parametrize(
    ("owner", "register", "category", "action"),
    list(itertools.product(["A", "B"], REGISTERS, [PLAN, MEASUREMENTS, EMPLOYMENT], list(Action))),
)
def test_an_own_relationship_opens_its_own_register_only(world, owner, register, category, action):
    orgs, workers, client = world
    decision = decide(
        Actor.for_user(workers["A"]),
        client,
        action=action,
        category=category,
        owner=orgs[owner],
        register=register,
    )
    expected = owner == "A" and register == Register.SOCIAL_WELFARE and action != Action.LOOKUP
    assert decision.allowed is expected
    if expected:
        assert (decision.basis, decision.owner_id, decision.register) == (
            BasisKind.SERVICE_RELATIONSHIP,
            orgs["A"].pk,
            Register.SOCIAL_WELFARE,
        )


# Purposes: a consent opens reading for its own purpose, of its discloser, for what it covers.


@pytest.mark.parametrize(
    ("consented", "asked", "category", "action"),
    list(itertools.product(PURPOSES, PURPOSES, [PLAN, MEASUREMENTS], [Action.VIEW, Action.CHANGE])),
)
def test_a_consent_opens_reading_for_its_purpose_and_categories(
    world, consented, asked, category, action
):
    orgs, workers, client = world
    give_consent(world, "B", "C", consented, [PLAN])
    actor = Actor.for_user(workers["C"])

    decision = decide(
        actor, client, action=action, category=category, owner=orgs["B"], purpose=asked
    )

    expected = consented == asked and category == PLAN and action == Action.VIEW
    assert decision.allowed is expected
    listed = Client.objects.filter(
        visible_clients(actor, category=category, purpose=asked), pk=client.pk
    ).exists()
    assert listed is (consented == asked and category == PLAN)


# Employment data (job coaching): the same grounds as any register-held category. A consent
# for employment support that covers it opens reading for that purpose only; the list
# filter and the coachings' own queryset agree with the single decision.


@pytest.mark.parametrize(
    ("consented", "asked", "covered", "action"),
    list(
        itertools.product(
            PURPOSES, PURPOSES, [EMPLOYMENT, PLAN], [Action.LIST, Action.VIEW, Action.CHANGE]
        )
    ),
)
def test_employment_data_opens_on_its_own_grounds(world, consented, asked, covered, action):
    orgs, workers, client = world
    give_consent(world, "B", "C", consented, [covered])
    actor = Actor.for_user(workers["C"]).for_purpose(asked)

    decision = decide(
        actor,
        client,
        action=action,
        category=EMPLOYMENT,
        owner=orgs["B"],
        register=Register.EMPLOYMENT_SERVICES,
    )

    readable = consented == asked and covered == EMPLOYMENT
    assert decision.allowed is (readable and action != Action.CHANGE)
    listed = Client.objects.filter(
        visible_clients(actor, category=EMPLOYMENT), pk=client.pk
    ).exists()
    assert listed is readable


@pytest.mark.parametrize(
    ("worker", "consent", "expected"),
    [
        ("A", None, False),  # serves the client, but in another register
        ("B", None, True),  # the owner, in its own register
        ("C", Purpose.EMPLOYMENT_SUPPORT, True),
        ("C", Purpose.SERVICE_COORDINATION, False),  # consented for another purpose
        ("D", None, False),
    ],
)
def test_coachings_are_listed_as_decided(world, programmes, worker, consent, expected):
    from polku.employment.models import Coaching

    orgs, workers, client = world
    if consent is not None:
        give_consent(world, "B", "C", consent, [EMPLOYMENT])
    episode = Episode.objects.create(
        client=client,
        programme=Programme.objects.get(code="multi-sector-joint-service"),
        organisation=orgs["B"],
        register=Register.EMPLOYMENT_SERVICES,
        created_by=workers["B"],
    )
    coaching = Coaching.objects.create(
        client=client,
        episode=episode,
        organisation=orgs["B"],
        register=Register.EMPLOYMENT_SERVICES,
        coach=workers["B"],
    )
    actor = Actor.for_user(workers[worker]).for_purpose(Purpose.EMPLOYMENT_SUPPORT)

    decision = decide(
        actor,
        client,
        action=Action.VIEW,
        category=EMPLOYMENT,
        owner=orgs["B"],
        register=Register.EMPLOYMENT_SERVICES,
    )

    assert decision.allowed is expected
    assert Coaching.objects.visible_to(actor).filter(pk=coaching.pk).exists() is expected


# Referral states: the receiver's ground is open only while the referral and its consents are.


@pytest.mark.parametrize(
    ("state", "open_"),
    [
        ("open", True),
        ("ended", False),
        ("consent_withdrawn", False),
        ("consent_expired", False),
        ("consent_not_yet_valid", False),
    ],
)
def test_the_referral_ground_follows_its_referral_and_consent(world, state, open_):
    orgs, workers, client = world
    by_state: dict[str, dict[str, Any]] = {
        "consent_withdrawn": {"withdrawn_at": timezone.now()},
        "consent_expired": {"valid_from": TODAY - timedelta(days=9), "valid_until": YESTERDAY},
        "consent_not_yet_valid": {"valid_from": TOMORROW},
    }
    consent_fields = by_state.get(state, {})
    consent = give_consent(
        world, "B", "C", Purpose.EMPLOYMENT_SUPPORT, [DataCategory.BASIC, PLAN], **consent_fields
    )
    grant = ReferralGrant.objects.create(
        public_id=uuid.uuid4(),
        client=client,
        sender=orgs["B"],
        receiver=orgs["C"],
        purpose=Purpose.EMPLOYMENT_SUPPORT,
        categories=ReferralGrant.encode(["basic", "plan"]),
        ended_at=timezone.now() if state == "ended" else None,
    )
    grant.consents.add(consent)
    receiver = Actor.for_user(workers["C"]).for_purpose(Purpose.EMPLOYMENT_SUPPORT)

    as_receiver = decide_as_receiver(receiver, grant.public_id, Action.VIEW)
    shared_plan = decide(receiver, client, action=Action.VIEW, category=PLAN, owner=orgs["B"])
    other_purpose = decide(
        receiver.for_purpose(Purpose.REHABILITATION),
        client,
        action=Action.VIEW,
        category=PLAN,
        owner=orgs["B"],
    )
    not_shared = decide(
        receiver, client, action=Action.VIEW, category=MEASUREMENTS, owner=orgs["B"]
    )

    assert as_receiver.allowed is open_
    # The shared plan stays open on the consent itself while that is valid.
    assert shared_plan.allowed is (state in {"open", "ended"})
    assert not other_purpose
    assert not not_shared
    # Another organisation never reads on this referral's ground.
    assert not decide_as_receiver(Actor.for_user(workers["D"]), grant.public_id, Action.VIEW)


# Several memberships: a professional acts through one at a time.


def test_a_person_with_two_memberships_acts_through_the_chosen_one_only(world):
    orgs, workers, client = world
    second = Membership.objects.create(
        user=workers["C"], organisation=orgs["A"], role=Role.SOCIAL_WORKER
    )
    first = Membership.objects.get(user=workers["C"], organisation=orgs["C"])

    as_c = Actor.for_user(workers["C"], membership_id=first.pk)
    as_a = Actor.for_user(workers["C"], membership_id=second.pk)

    assert not decide(as_c, client, action=Action.VIEW, category=DataCategory.BASIC)
    assert (
        decide(as_a, client, action=Action.VIEW, category=DataCategory.BASIC).organisation
        == (orgs["A"])
    )
    # Someone else's membership cannot be chosen: the user acts through their own.
    foreign = Membership.objects.get(user=workers["B"])
    assert Actor.for_user(workers["C"], membership_id=foreign.pk).membership in {first, second}


# Date boundaries: a relationship ending today, a consent ending today, a membership ended.


def test_grounds_hold_through_their_last_day_and_not_a_day_longer(world):
    orgs, workers, client = world
    ServiceRelationship.objects.filter(organisation=orgs["A"]).update(ended_on=TODAY)
    give_consent(world, "B", "C", Purpose.SERVICE_COORDINATION, [PLAN], valid_until=TODAY)
    actor_a, actor_c = Actor.for_user(workers["A"]), Actor.for_user(workers["C"])

    def sees(actor, on, owner):
        return decide(
            actor, client, action=Action.VIEW, category=PLAN, owner=orgs[owner], on=on
        ).allowed

    assert sees(actor_a, TODAY, "A")
    assert not sees(actor_a, TOMORROW, "A")
    assert sees(actor_c, TODAY, "B")
    assert not sees(actor_c, TOMORROW, "B")
    Membership.objects.filter(user=workers["A"]).update(
        valid_from=TODAY - timedelta(days=30), valid_until=YESTERDAY
    )
    assert not decide(
        Actor.for_user(workers["A"]), client, action=Action.VIEW, category=DataCategory.BASIC
    )


# Merged clients: the merged-away record opens nothing by id.


def test_records_of_a_merged_away_client_are_not_reached_by_id(world, programmes):
    orgs, workers, client = world
    keep = Client.objects.create(
        first_names="Testi", last_name="Asiakas", birth_date=client.birth_date
    )
    episode = Episode.objects.create(
        client=client,
        programme=Programme.objects.get(code="multi-sector-joint-service"),
        organisation=orgs["A"],
        register=Register.SOCIAL_WELFARE,
        created_by=workers["A"],
    )
    Client.objects.filter(pk=client.pk).update(merged_into=keep)

    with pytest.raises(Http404):
        access_episode(Actor.for_user(workers["A"]), episode.public_id)


# The client, link, API and system actors.


def test_the_client_reads_and_exports_their_own_data_only(world):
    orgs, _workers, client = world
    other = Client.objects.create(first_names="Muu", last_name="Henkilö", birth_date=TODAY)
    me = Actor.client_self(client)

    for action in (Action.VIEW, Action.EXPORT):
        assert decide(me, client, action=action, category=DataCategory.HEALTH, owner=orgs["A"])
        assert not decide(me, other, action=action, category=DataCategory.BASIC)
    assert decide(me, client, action=Action.CHANGE, category=DataCategory.BASIC)
    assert not decide(me, client, action=Action.CHANGE, category=PLAN, owner=orgs["A"])
    assert set(Client.objects.filter(visible_clients(me))) == {client}


def test_a_link_opens_its_one_owners_measurements_only(world):
    orgs, _workers, client = world
    holder = Actor.link_holder(
        LinkScope(
            model="measures.administration", object_id=1, client_id=client.pk, owner=orgs["B"]
        )
    )

    assert decide(holder, client, action=Action.CHANGE, category=MEASUREMENTS, owner=orgs["B"])
    assert not decide(holder, client, action=Action.VIEW, category=MEASUREMENTS, owner=orgs["A"])
    assert not decide(holder, client, action=Action.VIEW, category=PLAN, owner=orgs["B"])
    assert not Client.objects.filter(visible_clients(holder)).exists()


LINK_CATEGORIES = [MEASUREMENTS, EMPLOYMENT, PLAN, DataCategory.BASIC]
LINK_ASKED = [Action.VIEW, Action.CHANGE, Action.LIST, Action.EXPORT]


@pytest.mark.parametrize(
    ("category", "action"), list(itertools.product(LINK_CATEGORIES, LINK_ASKED))
)
def test_a_measurement_link_still_opens_its_owners_measurements_only(world, category, action):
    orgs, _workers, client = world
    holder = Actor.link_holder(
        LinkScope(
            model="measures.administration", object_id=1, client_id=client.pk, owner=orgs["B"]
        )
    )

    decision = decide(holder, client, action=action, category=category, owner=orgs["B"])

    expected = category == MEASUREMENTS and action in {Action.VIEW, Action.CHANGE}
    assert decision.allowed is expected
    if expected:
        assert (decision.basis, decision.owner_id) == (BasisKind.LINK, orgs["B"].pk)
    assert not decide(holder, client, action=action, category=category, owner=orgs["A"])


# The employer's feedback link on a work trial: handed to the host (an organisation of kind
# employer), it opens the trial's employment data of its owner to read and rate, and only
# while the client's consent to disclose employment data of the owner to that host, for
# supporting employment, is valid on the day. Nothing else, whatever the consent.
CONSENT_CASES = [
    "valid",
    "none",
    "withdrawn",
    "expired",
    "not_yet",
    "other_recipient",
    "other_purpose",
    "too_narrow",
    "other_discloser",
    "any_current_provider",
]


def _employer_consent(world, host, case):
    orgs, _workers, _client = world
    if case == "none":
        return
    recipient = orgs["D"] if case == "other_recipient" else host
    purpose = (
        Purpose.SERVICE_COORDINATION if case == "other_purpose" else Purpose.EMPLOYMENT_SUPPORT
    )
    categories = [DataCategory.BASIC, PLAN] if case == "too_narrow" else [EMPLOYMENT]
    discloser = {"other_discloser": "A", "any_current_provider": None}.get(case, "B")
    fields: dict[str, Any] = {}
    if case == "withdrawn":
        fields["withdrawn_at"] = timezone.now()
    if case == "expired":
        fields.update(valid_from=TODAY - timedelta(days=30), valid_until=YESTERDAY)
    if case == "not_yet":
        fields["valid_from"] = TOMORROW
    consent = Consent.objects.create(
        client=_client,
        discloser=orgs[discloser] if discloser else None,
        recipient=recipient,
        purpose=purpose,
        method=ConsentMethod.SIGNED_PAPER,
        recorded_by=_workers["B"],
        recorded_by_organisation=orgs["B"],
        **fields,
    )
    ConsentCategory.objects.bulk_create(
        [ConsentCategory(consent=consent, category=category) for category in categories]
    )


@pytest.mark.parametrize(
    ("category", "action", "case"),
    list(itertools.product(LINK_CATEGORIES, LINK_ASKED, CONSENT_CASES)),
)
def test_an_employer_link_opens_the_trials_employment_data_only_on_the_consent(
    world, make_organisation, category, action, case
):
    orgs, _workers, client = world
    host = make_organisation("Työnantaja E Oy", OrganisationKind.EMPLOYER)
    _employer_consent(world, host, case)
    holder = Actor.link_holder(
        LinkScope(
            model="employment.worktrial",
            object_id=1,
            client_id=client.pk,
            owner=orgs["B"],
            recipient=host,
        ),
        purpose=Purpose.EMPLOYMENT_SUPPORT,
    )

    decision = decide(
        holder,
        client,
        action=action,
        category=category,
        owner=orgs["B"],
        register=Register.EMPLOYMENT_SERVICES,
    )

    consented = case in {"valid", "any_current_provider"}
    expected = consented and category == EMPLOYMENT and action in {Action.VIEW, Action.CHANGE}
    assert decision.allowed is expected
    if expected:
        assert (decision.basis, decision.owner_id, decision.organisation) == (
            BasisKind.LINK,
            orgs["B"].pk,
            orgs["B"],
        )
    # never another owner's data, nor the client's list
    assert not decide(holder, client, action=action, category=category, owner=orgs["A"])
    assert not Client.objects.filter(visible_clients(holder)).exists()
    # the list filter agrees: the owner's rows of the client, under employment, on consent
    listed = ServiceRelationship.objects.filter(
        visible_records(holder, category, register_field=None)
    )
    assert set(listed.values_list("organisation__name", flat=True)) == (
        {"Organisaatio B"} if consented and category == EMPLOYMENT else set()
    )


def test_an_employer_link_without_a_recipient_opens_nothing(world):
    orgs, _workers, client = world
    holder = Actor.link_holder(
        LinkScope(model="employment.worktrial", object_id=1, client_id=client.pk, owner=orgs["B"])
    )

    for action in (Action.VIEW, Action.CHANGE):
        assert not decide(holder, client, action=action, category=EMPLOYMENT, owner=orgs["B"])
    assert not ServiceRelationship.objects.filter(
        visible_records(holder, EMPLOYMENT, register_field=None)
    ).exists()


def test_an_api_client_acts_within_its_organisation_scopes_and_purpose(world):
    orgs, _workers, client = world
    api = Actor.api_client(
        ApiGrant(
            name="B:n asiakastietojärjestelmä",
            organisation=orgs["B"],
            purpose=Purpose.SERVICE_COORDINATION,
            scopes=frozenset({"plan:read"}),
        )
    )

    assert decide(api, client, action=Action.VIEW, category=PLAN, owner=orgs["B"])
    assert not decide(api, client, action=Action.CHANGE, category=PLAN, owner=orgs["B"])
    assert not decide(api, client, action=Action.VIEW, category=MEASUREMENTS, owner=orgs["B"])
    assert not decide(api, client, action=Action.VIEW, category=PLAN, owner=orgs["A"])
    assert not decide(
        api.for_purpose(Purpose.REHABILITATION),
        client,
        action=Action.VIEW,
        category=PLAN,
        owner=orgs["B"],
    )
    assert set(Client.objects.filter(visible_clients(api, category=PLAN))) == {client}


def test_a_system_job_is_named_on_its_decisions(world):
    orgs, _workers, client = world
    job = Actor.system("pathways.refresh_alerts")

    decision = decide(job, client, action=Action.VIEW, category=PLAN, owner=orgs["A"])

    assert (decision.allowed, decision.basis) == (True, BasisKind.SYSTEM)
    assert job.log_id == "pathways.refresh_alerts"


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.ANALYST, Role.ADMINISTRATOR])
def test_management_analysis_and_administration_read_no_individual(world, make_professional, role):
    orgs, _workers, client = world
    user = make_professional(f"user-{role}", role, orgs["A"], is_staff=role == Role.ADMINISTRATOR)
    actor = Actor.for_user(user)

    for category, action in itertools.product(list(DataCategory), list(Action)):
        assert not decide(actor, client, action=action, category=category, owner=orgs["A"])
    # An administrator's one client act is register maintenance, shown as such.
    maintenance = decide(
        actor.for_purpose(Purpose.REGISTER_MAINTENANCE),
        client,
        action=Action.LOOKUP,
        category=DataCategory.BASIC,
    )
    assert maintenance.allowed is (role == Role.ADMINISTRATOR)


def test_a_page_declares_the_purpose_its_decisions_and_log_rows_carry(world, rf):
    from django.contrib.sessions.backends.db import SessionStore

    from polku.policy.actors import serves

    _orgs, workers, client = world
    seen = []

    @serves(Purpose.EMPLOYMENT_SUPPORT)
    def job_coaching_page(request):
        actor = Actor.of(request)
        seen.append(
            (actor.purpose, decide(actor, client, action=Action.VIEW, category=PLAN).purpose)
        )

    request = rf.get("/job-coaching/")
    request.user, request.session = workers["A"], SessionStore()
    job_coaching_page(request)

    assert seen == [(Purpose.EMPLOYMENT_SUPPORT, Purpose.EMPLOYMENT_SUPPORT)]


def test_a_page_that_declares_no_purpose_cannot_ask_about_client_data(world, rf):
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.exceptions import ImproperlyConfigured

    from polku.policy.decisions import visible_clients

    _orgs, workers, client = world
    request = rf.get("/forgot-to-declare/")
    request.user, request.session = workers["A"], SessionStore()
    actor = Actor.of(request)

    with pytest.raises(ImproperlyConfigured, match="declares no purpose"):
        decide(actor, client, action=Action.VIEW, category=PLAN)
    with pytest.raises(ImproperlyConfigured, match="declares no purpose"):
        visible_clients(actor)
