"""Regressions for the leaks a review found in the first access core (each failed before).

One world: a client served by a wellbeing services county A (social welfare) and an
employment area B; an NGO C that serves the client too; D, which never has. Every refusal
asserts that nothing changed and that no access-log row was written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Organisation, User
from polku.audit.models import AccessLogEntry
from polku.clients.models import Client
from polku.clients.services import record_consent
from polku.measures.models import Administration
from polku.measures.services import latest_version, load_shipped_instruments
from polku.pathways import services as pathways
from polku.pathways.models import Episode, Programme, Referral, TeamMember
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import (
    Action,
    BasisKind,
    ConsentMethod,
    DataCategory,
    LegalBasis,
    Purpose,
    Register,
)
from polku.policy.models import Consent, ConsentCategory, ServiceRelationship

pytestmark = pytest.mark.django_db
SECRET_REASON = "Päihdehuollon jakso kesken"  # a referral reason only its parties may read


@dataclass
class World:
    a: Organisation
    b: Organisation
    c: Organisation
    d: Organisation
    worker_a: User
    worker_b: User
    worker_c: User
    client: Client
    programme: Programme


def relationship(client: Client, organisation: Organisation, register: Register, by: User) -> None:
    ServiceRelationship.objects.create(
        client=client,
        organisation=organisation,
        register=register,
        legal_basis=LegalBasis.CLIENT_AGREEMENT,
        created_by=by,
    )


def consent(
    world: World,
    discloser: Organisation,
    recipient: Organisation,
    categories: tuple[DataCategory, ...] = (DataCategory.BASIC, DataCategory.PLAN),
    purpose: Purpose = Purpose.SERVICE_COORDINATION,
) -> Consent:
    given = Consent.objects.create(
        client=world.client,
        discloser=discloser,
        recipient=recipient,
        purpose=purpose,
        method=ConsentMethod.SIGNED_PAPER,
        recorded_by=world.worker_b,
        recorded_by_organisation=discloser,
    )
    ConsentCategory.objects.bulk_create(
        [ConsentCategory(consent=given, category=category) for category in categories]
    )
    return given


@pytest.fixture
def world(programmes, make_organisation, make_professional) -> World:
    a = make_organisation("Hyvinvointialue A", OrganisationKind.SOCIAL_WELFARE)
    b = make_organisation("Työllisyysalue B", OrganisationKind.EMPLOYMENT_SERVICES)
    c = make_organisation("Järjestö C", OrganisationKind.NGO)
    d = make_organisation("Säätiö D", OrganisationKind.NGO)
    worker_a = make_professional("worker-a", Role.SOCIAL_WORKER, a)
    worker_b = make_professional("worker-b", Role.EMPLOYMENT_EXPERT, b)
    worker_c = make_professional("worker-c", Role.NGO_WORKER, c)
    client = Client.objects.create(
        first_names="Aino", last_name="Asiakas", birth_date=date(1980, 5, 17)
    )
    relationship(client, a, Register.SOCIAL_WELFARE, worker_a)
    relationship(client, b, Register.EMPLOYMENT_SERVICES, worker_b)
    relationship(client, c, Register.OTHER, worker_c)
    programme = Programme.objects.get(code="multi-sector-joint-service")
    return World(a, b, c, d, worker_a, worker_b, worker_c, client, programme)


def episode_of(world: World, organisation: Organisation, register: Register, by: User) -> Episode:
    return Episode.objects.create(
        client=world.client,
        programme=world.programme,
        organisation=organisation,
        register=register,
        created_by=by,
    )


def log_count() -> int:
    return AccessLogEntry.objects.count()


def newest_row() -> int:
    return AccessLogEntry.objects.aggregate(last=Max("sequence"))["last"] or 0


# 1. Consents between two other organisations ------------------------------------------------


def test_1_a_consent_between_two_other_organisations_is_neither_shown_nor_withdrawn(client, world):
    # Given a consent from B to C, which A serves the client beside
    between = consent(world, world.b, world.c)
    client.force_login(world.worker_a)
    before = log_count()
    urls = [
        reverse(
            "clients:consent_summary",
            kwargs={"public_id": world.client.public_id, "consent_id": between.public_id},
        ),
        reverse(
            "clients:consent_withdraw",
            kwargs={"public_id": world.client.public_id, "consent_id": between.public_id},
        ),
    ]

    # When A's social worker opens its summary and posts its withdrawal
    answers = [client.get(urls[0]).status_code, client.post(urls[1]).status_code]

    # Then both are 404, the consent stands and nothing is logged
    assert answers == [404, 404]
    between.refresh_from_db()
    assert between.withdrawn_at is None
    assert log_count() == before


# 2. The timeline shows a referral only to those who may read the sender's records ----------


def test_2_reading_the_receivers_plan_does_not_show_the_senders_referral(client, world):
    # Given a referral from A to B, and C reading B's plan (not A's) by the client's consent
    consent(world, world.a, world.b, (DataCategory.BASIC,))
    pathways.send_referral(
        actor=Actor.for_user(world.worker_a),
        client=world.client,
        from_organisation=world.a,
        to_organisation=world.b,
        reason=SECRET_REASON,
        urgency="normal",
        shared_categories=[],
    )
    consent(world, world.b, world.c)
    client.force_login(world.worker_c)

    # When C's worker opens the client's pathway
    page = client.get(
        reverse("pathways:client_pathway", kwargs={"public_id": world.client.public_id})
    )

    # Then the referral and its reason are not there
    assert page.status_code == 200
    assert SECRET_REASON not in page.content.decode()


# 3. The worklist decides each episode for its own owner -------------------------------------


def test_3_a_team_member_does_not_list_another_organisations_episode(client, world):
    # Given C's worker as case manager of C's episode and as a team member of A's episode,
    # without any ground to read A's plan
    own = pathways.open_episode(
        actor=Actor.for_user(world.worker_c),
        client=world.client,
        programme=world.programme,
        organisation=world.c,
        case_manager=world.worker_c,
    )
    others = episode_of(world, world.a, Register.SOCIAL_WELFARE, world.worker_a)
    TeamMember.objects.create(
        episode=others, user=world.worker_c, organisation=world.c, team_role="coach"
    )
    client.force_login(world.worker_c)

    # When the worklist is shown
    page = client.get(reverse("home"))

    # Then it lists C's own episode and not A's
    assert page.status_code == 200
    listed = {row.episode.pk for row in page.context["worklist"].my_cases} | {
        row.episode.pk for row in page.context["worklist"].team_cases
    }
    assert listed == {own.pk}


# 4 and 9. Who records a consent; recording reveals nothing ----------------------------------


@pytest.mark.parametrize("discloser_name", ["a", "d"])
def test_4_a_consent_to_disclose_another_organisations_records_needs_the_signed_form(
    world, discloser_name
):
    # Given C's worker, who serves the client, recording a consent naming A (which serves
    # the client) or D (which never has) as discloser to C
    discloser = getattr(world, discloser_name)
    before = (Consent.objects.count(), log_count())

    # When it is recorded as given in person, without the signed form
    with pytest.raises(ValidationError) as refused:
        record_consent(
            actor=Actor.for_user(world.worker_c),
            client=world.client,
            discloser=discloser,
            recipient=world.c,
            purpose=Purpose.SERVICE_COORDINATION,
            categories=[DataCategory.PLAN],
            method=ConsentMethod.IN_PERSON,
        )

    # Then it is refused with the same words either way (nothing about who served the
    # client), and nothing is recorded
    assert list(refused.value.message_dict) == ["evidence"]
    assert (Consent.objects.count(), log_count()) == before

    # And on the client's signed form, with its archive reference, it is recorded
    recorded = record_consent(
        actor=Actor.for_user(world.worker_c),
        client=world.client,
        discloser=discloser,
        recipient=world.c,
        purpose=Purpose.SERVICE_COORDINATION,
        categories=[DataCategory.PLAN],
        method=ConsentMethod.SIGNED_PAPER,
        evidence="ARK-2026-0042",
    )
    assert (recorded.evidence, recorded.recorded_by_organisation) == ("ARK-2026-0042", world.c)


def test_4_the_disclosers_own_staff_record_its_consent(world):
    recorded = record_consent(
        actor=Actor.for_user(world.worker_b),
        client=world.client,
        discloser=world.b,
        recipient=world.c,
        purpose=Purpose.EMPLOYMENT_SUPPORT,
        categories=[DataCategory.PLAN],
        method=ConsentMethod.IN_PERSON,
    )
    assert recorded.discloser == world.b


# 5. Each log row names the ground of what was actually shown -------------------------------


def test_5_a_page_logs_the_consent_its_records_rested_on(client, world):
    # Given C serving the client, and reading B's episode by the client's consent
    given = consent(world, world.b, world.c)
    episode_of(world, world.b, Register.EMPLOYMENT_SERVICES, world.worker_b)
    client.force_login(world.worker_c)
    newest = newest_row()

    # When C's worker opens the client's pathway
    url = reverse("pathways:client_pathway", kwargs={"public_id": world.client.public_id})
    assert client.get(url).status_code == 200

    # Then one row names C's own relationship for the details, and one names the consent,
    # its owner B and B's register for the plan it showed
    rows = {
        (row.basis, row.basis_public_id, row.owner_id, row.register, row.categories)
        for row in AccessLogEntry.objects.filter(sequence__gt=newest)
    }
    relationship = ServiceRelationship.objects.get(organisation=world.c)
    assert rows == {
        ("service_relationship", relationship.public_id, None, "", "basic"),
        ("consent", given.public_id, world.b.pk, "employment_services", "plan"),
    }


# 9. The referral ground ends with the referral or its consent -------------------------------


def referral_to_c(world: World, purpose: Purpose = Purpose.SERVICE_COORDINATION) -> Referral:
    consent(world, world.b, world.c, (DataCategory.BASIC, DataCategory.PLAN), purpose)
    return pathways.send_referral(
        actor=Actor.for_user(world.worker_b),
        client=world.client,
        from_organisation=world.b,
        to_organisation=world.c,
        reason=SECRET_REASON,
        urgency="normal",
        shared_categories=[DataCategory.PLAN],
        purpose=purpose,
    )


def receiver_reads(world: World, referral: Referral) -> bool:
    return bool(
        decisions.decide_as_receiver(
            Actor.for_user(world.worker_c), referral.public_id, Action.VIEW
        )
    )


@pytest.mark.parametrize("ending", ["declined", "completed", "consent_withdrawn"])
def test_9_the_referral_ground_ends_with_the_referral_or_its_consent(world, ending):
    referral = referral_to_c(world)
    assert receiver_reads(world, referral)
    receiver = Actor.for_user(world.worker_c)

    if ending == "declined":
        pathways.decline_referral(
            actor=receiver, referral=referral, ground="no_capacity", reason="Ei resursseja"
        )
    elif ending == "completed":
        pathways.accept_referral(
            actor=receiver,
            referral=referral,
            register=Register.OTHER,
            legal_basis=LegalBasis.CLIENT_AGREEMENT,
        )
        pathways.close_referral(actor=receiver, referral=referral, status="completed")
    else:
        Consent.objects.filter(client=world.client, recipient=world.c).update(
            withdrawn_at=timezone.now()
        )

    assert not receiver_reads(world, referral)


def test_9_referral_actions_say_404_to_outsiders_and_change_nothing(client, world):
    referral = referral_to_c(world)
    client.force_login(world.worker_a)
    before = log_count()

    answers = [
        client.post(
            reverse("pathways:referral", kwargs={"public_id": referral.public_id}),
            {"form": form},
        ).status_code
        for form in ("receive", "decline", "complete", "withdraw")
    ]

    assert answers == [404, 404, 404, 404]
    referral.refresh_from_db()
    assert referral.status == "sent"
    assert log_count() == before


def test_9_opening_a_referral_changes_nothing_and_logs_one_look(client, world):
    referral = referral_to_c(world)
    client.force_login(world.worker_c)
    before = newest_row()

    page = client.get(reverse("pathways:referral", kwargs={"public_id": referral.public_id}))

    assert page.status_code == 200
    referral.refresh_from_db()
    assert (referral.status, referral.received_at) == ("sent", None)
    rows = list(AccessLogEntry.objects.filter(sequence__gt=before))
    assert [(row.action, row.basis, row.basis_public_id) for row in rows] == [
        ("view", BasisKind.REFERRAL, referral.public_id)
    ]


# 10. Every consent purpose opens what it is for ---------------------------------------------


def test_10_a_referral_for_supporting_employment_rests_on_that_consent(world):
    referral = referral_to_c(world, Purpose.EMPLOYMENT_SUPPORT)

    assert referral.purpose == Purpose.EMPLOYMENT_SUPPORT
    assert receiver_reads(world, referral)
    # and the receiver reads the shared plan for that purpose, not for another
    receiver = Actor.for_user(world.worker_c)
    for purpose, allowed in (
        (Purpose.EMPLOYMENT_SUPPORT, True),
        (Purpose.REHABILITATION, False),
    ):
        decision = decisions.decide(
            receiver,
            world.client,
            action=Action.VIEW,
            category=DataCategory.PLAN,
            owner=world.b,
            purpose=purpose,
        )
        assert decision.allowed is allowed


def test_10_the_consent_form_offers_only_purposes_that_something_honours(client, world):
    client.force_login(world.worker_b)
    page = client.get(
        reverse("clients:consent_create", kwargs={"public_id": world.client.public_id})
    )
    offered = [value for value, _label in page.context["form"].fields["purpose"].choices]
    assert offered == [
        "service_coordination",
        "work_ability_assessment",
        "rehabilitation",
        "employment_support",
    ]


# 11. Registers hold inside one organisation -------------------------------------------------


def test_11_a_social_welfare_relationship_does_not_open_the_same_organisations_health_records(
    client, world
):
    # Given A's health-register episode and measurement (from an earlier health-care
    # relationship), while A now serves the client in social welfare only
    load_shipped_instruments()
    health = episode_of(world, world.a, Register.HEALTH_CARE, world.worker_a)
    Administration.objects.create(
        client=world.client,
        episode=health,
        organisation=world.a,
        register=Register.HEALTH_CARE,
        instrument=latest_version("work-ability-score"),
        occasion="ad_hoc",
        channel="together",
        created_by=world.worker_a,
    )
    actor = Actor.for_user(world.worker_a)

    # Then neither the episode nor the measurement is open to A's social worker
    for category in (DataCategory.PLAN, DataCategory.MEASUREMENTS):
        assert not decisions.decide(
            actor,
            world.client,
            action=Action.VIEW,
            category=category,
            owner=world.a,
            register=Register.HEALTH_CARE,
        )
    client.force_login(world.worker_a)
    assert (
        client.get(reverse("pathways:episode", kwargs={"public_id": health.public_id})).status_code
        == 404
    )


def test_11_an_episode_takes_the_register_of_its_relationship(world):
    episode = pathways.open_episode(
        actor=Actor.for_user(world.worker_a),
        client=world.client,
        programme=world.programme,
        organisation=world.a,
    )
    assert episode.register == Register.SOCIAL_WELFARE


def test_the_access_functions_refuse_a_malformed_id_with_404(world):
    from polku.pathways.access import access_episode, access_referral

    for access in (access_episode, access_referral):
        with pytest.raises(Http404):
            access(Actor.for_user(world.worker_a), "not-a-uuid")
