"""The demo and volume seeders: complete, idempotent, deterministic, synthetic only."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.audit.models import AccessLogEntry
from polku.audit.sealing import verify_access_log
from polku.clients import identity_storage
from polku.clients.identity_code import parse_identity_code
from polku.clients.models import Client, search_key
from polku.policy.actors import Actor
from polku.policy.enums import ConsentStatus, LegalBasis
from polku.policy.models import Consent, ConsentCategory, ServiceRelationship
from polku.synthetic import volume
from polku.synthetic.demo import (
    DEMO_CLIENTS,
    DEMO_PASSWORD,
    NGO,
    SOCIAL_SERVICES,
    legal_bases_for,
    register_for,
)
from polku.synthetic.volume import SYNTHETIC_PASSWORD, VolumeSeeder, username_for

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        Unit.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Client.objects.count(),
        ServiceRelationship.objects.count(),
        Consent.objects.count(),
        ConsentCategory.objects.count(),
        AccessLogEntry.objects.count(),
    )


def visible_last_names(username: str) -> set[str]:
    user = User.objects.get(username=username)
    return set(Client.objects.visible_to(Actor.for_user(user)).values_list("last_name", flat=True))


def served_by(organisation_name: str) -> set[str]:
    return set(
        ServiceRelationship.objects.active()
        .filter(organisation__name=organisation_name)
        .values_list("client__last_name", flat=True)
    )


def assert_synthetic_identity_codes(numbers: range = range(900, 1000)) -> int:
    """Every stored code decrypts to a valid synthetic code matching its hash and birth
    date, and no two clients share one. Returns how many clients have a code."""
    coded = Client.objects.exclude(identity_code_hash=None)
    for client in coded:
        code = parse_identity_code(client.identity_code)
        assert code.is_synthetic
        assert code.individual_number in numbers
        assert code.birth_date == client.birth_date
        assert client.identity_code_hash == identity_storage.lookup_hash(code.value)
    hashes = list(coded.values_list("identity_code_hash", flat=True))
    assert len(hashes) == len(set(hashes))
    assert not Client.objects.filter(identity_code_hash=None).exclude(identity_code_encrypted="")
    return len(hashes)


def test_the_demo_has_every_kind_of_organisation_and_every_role_and_runs_twice(capsys):
    call_command("seed_demo")
    first = snapshot()

    call_command("seed_demo")

    assert snapshot() == first
    # The pathways (polku.synthetic.pathways) add 89 access-log rows to the clients' 30;
    # the placements (polku.synthetic.placements) 1 row; the work trial
    # (polku.synthetic.worktrials) a consent to its host (one category) and 7 rows.
    assert first[4:] == (12, 22, 6 + 1, 13 + 1, 30 + 90 + 43 + 15 + 1 + 7)
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind)
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role)
    assert Organisation.objects.values("municipality").distinct().count() == 3
    assert User.objects.get(username="sosiaalityontekija").check_password(DEMO_PASSWORD)
    output = capsys.readouterr().out
    assert "sosiaalityontekija" in output
    assert DEMO_PASSWORD in output


def test_volume_seeding_creates_what_was_asked_with_fitting_roles(capsys):
    call_command("seed_synthetic", seed=7, organisations=30, professionals=250)

    assert Organisation.objects.count() == 30
    assert User.objects.count() == 250
    assert Membership.objects.count() == 250
    assert not Client.objects.exists()
    assert not Membership.objects.filter(organisation__kind=OrganisationKind.EMPLOYER).exists()
    assert not Membership.objects.exclude(unit__organisation=F("organisation")).exists()
    social_welfare = Membership.objects.filter(organisation__kind=OrganisationKind.SOCIAL_WELFARE)
    assert set(social_welfare.values_list("role", flat=True)) <= {
        Role.SOCIAL_WORKER,
        Role.SOCIAL_COUNSELLOR,
        Role.PROJECT_MANAGER,
        Role.ANALYST,
        Role.ADMINISTRATOR,
    }
    assert User.objects.get(username=username_for(7, 1)).check_password(SYNTHETIC_PASSWORD)


def test_a_seed_already_present_is_left_alone(capsys):
    call_command("seed_synthetic", seed=3, organisations=5, professionals=20)
    first = snapshot()

    call_command("seed_synthetic", seed=3, organisations=5, professionals=20)

    assert snapshot() == first
    assert "already in the database" in capsys.readouterr().out


def test_the_same_seed_gives_the_same_data(codesets):
    def run() -> list[tuple[str, str, str, str]]:
        seeder = VolumeSeeder(seed=11)
        seeder.organisations(10)
        seeder.professionals(40)
        rows = list(
            Membership.objects.order_by("user__username").values_list(
                "user__username", "user__last_name", "organisation__name", "role"
            )
        )
        Organisation.objects.all().delete()
        User.objects.all().delete()
        return rows

    assert run() == run()


def test_the_social_worker_serves_nine_demo_clients_and_the_job_coach_sees_three_by_consent():
    call_command("seed_demo")

    social_workers_clients = visible_last_names("sosiaalityontekija")
    job_coachs_clients = visible_last_names("tyohonvalmentaja")

    assert social_workers_clients == served_by(SOCIAL_SERVICES)
    assert len(social_workers_clients) == 9
    assert served_by(NGO) == {"Salo", "Mäkelä", "Hakala"}
    assert job_coachs_clients - served_by(NGO) == {"Lehtinen", "Holmström", "Nieminen"}
    # Heikkilä withdrew the consent to the NGO and Koskinen's has expired.
    statuses = {
        consent.client.last_name: consent.status()
        for consent in Consent.objects.filter(recipient__name=NGO).select_related("client")
    }
    assert statuses == {
        "Lehtinen": ConsentStatus.VALID,
        "Holmström": ConsentStatus.VALID,
        "Nieminen": ConsentStatus.VALID,
        "Heikkilä": ConsentStatus.WITHDRAWN,
        "Koskinen": ConsentStatus.EXPIRED,
    }
    assert not job_coachs_clients & {"Heikkilä", "Koskinen"}
    assert visible_last_names("analyytikko") == set()


def test_demo_clients_are_synthetic_and_written_through_the_services():
    call_command("seed_demo")

    assert assert_synthetic_identity_codes(numbers=range(990, 1000)) == 9
    assert Client.objects.filter(identity_code_hash=None).count() == 3
    assert sorted(Client.objects.values_list("last_name", flat=True)) == sorted(
        spec.last_name for spec in DEMO_CLIENTS
    )
    for relationship in ServiceRelationship.objects.select_related("organisation"):
        assert relationship.register == register_for(relationship.organisation.kind)
        fitting = [*legal_bases_for(relationship.organisation.kind), LegalBasis.CLIENT_AGREEMENT]
        assert relationship.legal_basis in fitting
    ended = ServiceRelationship.objects.exclude(ended_on=None)
    assert [(r.client.last_name, r.is_active()) for r in ended] == [("Rantanen", False)]
    # One access-log row per relationship, consent, withdrawal and ending: 22 + 6 + 1 + 1;
    # the rest are the pathways', the measurements', job coaching's, the placements' and the
    # work trial's (test_pathway_seeding.py).
    assert AccessLogEntry.objects.count() == 30 + 90 + 43 + 15 + 1 + 7
    assert verify_access_log().intact


def test_the_demo_leaves_a_client_registered_already_alone():
    call_command("seed_demo")
    # Found by identity code although the name changed; found by name and birth date
    # although its only relationship has ended.
    Client.objects.filter(last_name="Virtanen").update(last_name="Virtanen-Koski")
    ServiceRelationship.objects.filter(client__last_name="Heinonen").update(
        ended_on=timezone.localdate()
    )
    first = snapshot()

    call_command("seed_demo")

    assert snapshot() == first


def test_volume_clients_are_served_by_the_seeds_own_organisations(capsys):
    call_command("seed_synthetic", seed=5, organisations=20, professionals=120, clients=200)

    assert Client.objects.count() == 200
    with_code = assert_synthetic_identity_codes(numbers=range(900, 990))
    assert 160 <= with_code < 200
    for client in Client.objects.all():
        assert client.search_name == search_key(client.last_name, client.first_names)
        assert volume.BIRTH_FIRST <= client.birth_date <= volume.BIRTH_LAST
    per_client = Counter(ServiceRelationship.objects.values_list("client_id", flat=True))
    assert len(per_client) == 200
    assert set(per_client.values()) <= {1, 2, 3}
    assert not (
        ServiceRelationship.objects.values("client", "organisation")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    today = timezone.localdate()
    for relationship in ServiceRelationship.objects.select_related("organisation"):
        assert relationship.register == register_for(relationship.organisation.kind)
        assert relationship.legal_basis in legal_bases_for(relationship.organisation.kind)
        assert today - timedelta(days=3 * 365) < relationship.started_on <= today
        assert Membership.objects.filter(
            user=relationship.created_by_id, organisation=relationship.organisation_id
        ).exists()
    assert not ServiceRelationship.objects.filter(
        organisation__kind=OrganisationKind.EMPLOYER
    ).exists()
    # A client lives where one of its organisations is.
    for client in Client.objects.prefetch_related("service_relationships__organisation"):
        municipalities = {
            r.organisation.municipality_id for r in client.service_relationships.all()
        }
        assert client.municipality_id in municipalities
    ended = ServiceRelationship.objects.exclude(ended_on=None).count()
    assert 0 < ended < ServiceRelationship.objects.count() // 2
    consents = Consent.objects.all()
    assert 30 <= consents.count() <= 90
    for consent in consents.prefetch_related("categories"):
        assert consent.recipient_id != consent.discloser_id
        assert not ServiceRelationship.objects.filter(
            client=consent.client_id, organisation=consent.recipient_id
        ).exists()
        assert ServiceRelationship.objects.filter(
            client=consent.client_id, organisation=consent.recorded_by_organisation_id
        ).exists()
        assert 1 <= len(consent.categories.all()) <= 4
    assert {c.status() for c in consents} >= {ConsentStatus.VALID}
    assert not AccessLogEntry.objects.exists()
    output = capsys.readouterr().out
    assert "clients: 200 in" in output
    assert "A professional with clients: synth5-" in output


def test_the_professional_named_at_the_end_sees_the_clients_it_claims(capsys):
    call_command("seed_synthetic", seed=6, organisations=10, professionals=50, clients=300)

    line = next(
        line
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("A professional with clients:")
    )
    username = line.split()[4]
    claimed = int(line.split("serves ")[1].split()[0])
    user = User.objects.get(username=username)
    organisation = user.memberships.get().organisation_id
    served = (
        ServiceRelationship.objects.active()
        .filter(organisation=organisation)
        .values("client")
        .distinct()
        .count()
    )
    assert claimed == served >= volume.MIN_CASELOAD
    assert Client.objects.visible_to(Actor.for_user(user)).count() >= served
    assert username == username_for(6, 1)


def test_the_same_seed_gives_the_same_clients(codesets):
    def run() -> tuple[list[tuple], list[tuple], list[tuple]]:
        seeder = VolumeSeeder(seed=13)
        seeder.organisations(10)
        seeder.professionals(40)
        seeder.clients(120, pathway_share=0)
        clients: list[tuple] = [
            (c.public_id, c.full_name, c.birth_date, c.identity_code, c.municipality_id)
            for c in Client.objects.order_by("public_id")
        ]
        clients += Client.objects.order_by("public_id").values_list(
            "preferred_language", "languages", "email", "street_address", "search_name"
        )
        relationships = list(
            ServiceRelationship.objects.order_by("public_id").values_list(
                "public_id",
                "client__public_id",
                "organisation__name",
                "register",
                "legal_basis",
                "started_on",
                "ended_on",
                "created_by__username",
            )
        )
        consents = list(
            Consent.objects.order_by("public_id", "categories__category").values_list(
                "public_id",
                "client__public_id",
                "recipient__name",
                "discloser__name",
                "valid_from",
                "valid_until",
                "withdrawn_at",
                "categories__category",
            )
        )
        Consent.objects.all().delete()
        ServiceRelationship.objects.all().delete()
        Client.objects.all().delete()
        Organisation.objects.all().delete()
        User.objects.all().delete()
        return clients, relationships, consents

    first, second = run(), run()

    assert first == second
    clients, relationships, consents = first
    assert len(clients) == 2 * 120
    assert len(relationships) >= 120
    assert consents


def test_codes_already_taken_or_run_out_leave_clients_without_a_code(codesets, monkeypatch):
    # One birth date holds 90 volume codes (900-989); seeds 8 and 98 number them alike.
    monkeypatch.setattr(volume, "BIRTH_LAST", volume.BIRTH_FIRST)
    for seed in (8, 98):
        seeder = VolumeSeeder(seed=seed)
        seeder.organisations(5)
        seeder.professionals(20)
        seeder.clients(150)

    assert Client.objects.count() == 300
    assert assert_synthetic_identity_codes() == volume.SYNTHETIC_NUMBERS == 90


def test_demo_and_volume_data_share_a_database_without_sharing_a_code(codesets, monkeypatch):
    # Every volume code on one birth date, which is also a demo client's birth date.
    monkeypatch.setattr(volume, "BIRTH_FIRST", DEMO_CLIENTS[0].birth_date)
    monkeypatch.setattr(volume, "BIRTH_LAST", DEMO_CLIENTS[0].birth_date)
    seeder = VolumeSeeder(seed=4)
    seeder.organisations(5)
    seeder.professionals(20)
    seeder.clients(120)

    call_command("seed_demo")

    assert Client.objects.count() == 120 + len(DEMO_CLIENTS)
    assert assert_synthetic_identity_codes() == 90 + 9
