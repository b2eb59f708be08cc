"""Lists and single decisions agree: over random worlds, each client-data model's
``visible_to(actor)`` lists exactly the rows that its single decision — ``decide`` for the
client, the ``access_`` function for a record — opens for ``VIEW``.

A world is a few organisations with their staff (fixed for the test) and, per example,
relationships in random registers (some ended or not yet started), consents with a random
discloser (or none), recipient, purpose, categories, validity and withdrawal, referrals
with their grounds (open or ended, on consents that may have lapsed), and episodes,
journal entries and measurements with random owners and registers. The actor is any of
the kinds the policy knows, acting for a random purpose. Each example's rows are rolled
back before the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Organisation, User
from polku.clients.access import access_consent
from polku.clients.models import Client
from polku.clients.selectors import get_visible_client
from polku.measures.access import access_measurement
from polku.measures.enums import Channel, Occasion
from polku.measures.models import Administration, InstrumentVersion
from polku.measures.services import INSTRUMENTS_DIR, load_definition_file
from polku.pathways.access import access_episode, access_journal_entry, access_referral
from polku.pathways.enums import EntryType, Urgency
from polku.pathways.models import Episode, JournalEntry, Programme, Referral
from polku.policy.actors import Actor, ApiGrant, LinkScope
from polku.policy.enums import (
    CONSENT_PURPOSES,
    DataCategory,
    LegalBasis,
    Register,
)
from polku.policy.models import Consent, ConsentCategory, ReferralGrant, ServiceRelationship

pytestmark = pytest.mark.django_db

ORGANISATIONS = 3
CLIENTS = 3  # and one more, merged into the first: its rows are never listed
REGISTERS = list(Register)
CATEGORIES = list(DataCategory)
DAYS = [-30, -1, 0, 1, 30]  # relative to today: the boundaries of every period


def today() -> date:
    return timezone.localdate()


@dataclass
class Staff:
    organisations: list[Organisation]
    client_workers: list[User]
    managers: list[User]  # a role that does no client work
    administrator: User
    clients: list[Client]
    programme: Programme
    instrument: InstrumentVersion


@pytest.fixture
def staff(make_organisation, make_professional) -> Staff:
    kinds = [OrganisationKind.SOCIAL_WELFARE, OrganisationKind.HEALTH_CARE, OrganisationKind.NGO]
    organisations = [
        make_organisation(f"Organisaatio {number}", kind) for number, kind in enumerate(kinds)
    ]
    client_workers = [
        make_professional(f"worker{number}", Role.SOCIAL_WORKER, organisation)
        for number, organisation in enumerate(organisations)
    ]
    managers = [
        make_professional(f"manager{number}", Role.PROJECT_MANAGER, organisation)
        for number, organisation in enumerate(organisations)
    ]
    administrator = make_professional("admin", Role.ADMINISTRATOR, organisations[0], is_staff=True)
    clients = [
        Client.objects.create(
            first_names="Testi", last_name=f"Asiakas{number}", birth_date=date(1980, 1, 1)
        )
        for number in range(CLIENTS)
    ]
    clients.append(
        Client.objects.create(
            first_names="Testi",
            last_name="Yhdistetty",
            birth_date=date(1980, 1, 1),
            merged_into=clients[0],
        )
    )
    programme = Programme.objects.create(code="test-programme", name="Testiohjelma")
    instrument = load_definition_file(INSTRUMENTS_DIR / "work-ability-score-1.1.json")
    assert instrument is not None
    return Staff(
        organisations, client_workers, managers, administrator, clients, programme, instrument
    )


# --- the random world ------------------------------------------------------------------

client_index = st.integers(0, CLIENTS)  # CLIENTS is the merged client
organisation_index = st.integers(0, ORGANISATIONS - 1)
registers = st.sampled_from(REGISTERS)
purposes = st.sampled_from(CONSENT_PURPOSES)
category_sets = st.sets(st.sampled_from(CATEGORIES), max_size=len(CATEGORIES))
day = st.sampled_from(DAYS)


@st.composite
def periods(draw: Any, *, open_end: bool = True) -> tuple[int, int | None]:
    start = draw(day)
    ends = [d for d in DAYS if d >= start]
    end = draw(st.one_of(st.none(), st.sampled_from(ends)) if open_end else st.sampled_from(ends))
    return start, end


relationships = st.lists(
    st.tuples(client_index, organisation_index, registers, periods()),
    max_size=6,
    unique_by=lambda row: (row[0], row[1], row[2]),
)


@st.composite
def consent_rows(draw: Any) -> dict[str, Any]:
    recipient = draw(organisation_index)
    others = [o for o in range(ORGANISATIONS) if o != recipient]
    return {
        "client": draw(client_index),
        "recipient": recipient,
        "discloser": draw(st.one_of(st.none(), st.sampled_from(others))),
        "purpose": draw(purposes),
        "categories": draw(category_sets),
        "period": draw(periods()),
        "withdrawn": draw(st.booleans()),
    }


@st.composite
def referral_rows(draw: Any) -> dict[str, Any]:
    sender = draw(organisation_index)
    return {
        "client": draw(client_index),
        "sender": sender,
        "receiver": draw(st.sampled_from([o for o in range(ORGANISATIONS) if o != sender])),
        "episode": draw(st.one_of(st.none(), st.integers(0, 3))),  # index into the episodes
        "purpose": draw(purposes),
        "categories": draw(category_sets),
        "ended": draw(st.booleans()),
        "consents": draw(st.sets(st.integers(0, 3), max_size=2)),  # indexes into the consents
    }


records = st.lists(st.tuples(client_index, organisation_index, registers), max_size=4)


@st.composite
def actors(draw: Any) -> tuple[str, Any]:
    """What kind of actor, and who: resolved against the world once it exists."""
    kind = draw(
        st.sampled_from(
            ["client_worker", "manager", "administrator", "client", "system", "api", "link"]
        )
    )
    if kind in {"client_worker", "manager"}:
        return kind, draw(organisation_index)
    if kind == "client":
        return kind, draw(st.integers(0, CLIENTS - 1))
    if kind == "api":
        scopes = draw(st.sets(st.sampled_from(CATEGORIES)))
        return kind, (draw(organisation_index), draw(purposes), scopes)
    if kind == "link":
        return kind, draw(st.integers(0, 3))  # index into the measurements
    return kind, None


worlds = st.fixed_dictionaries(
    {
        "relationships": relationships,
        "consents": st.lists(consent_rows(), max_size=4),
        "episodes": records,
        "referrals": st.lists(referral_rows(), max_size=3),
        "journal": records,
        "measurements": records,
        "actor": actors(),
        "purpose": purposes,
    }
)


def build(staff: Staff, world: dict[str, Any]) -> dict[str, list[Any]]:
    now, on = timezone.now(), today()
    org, client = staff.organisations, staff.clients
    for c, o, register, (start, end) in world["relationships"]:
        ServiceRelationship.objects.create(
            client=client[c],
            organisation=org[o],
            register=register,
            legal_basis=LegalBasis.CLIENT_AGREEMENT,
            started_on=on + timedelta(days=start),
            ended_on=None if end is None else on + timedelta(days=end),
            created_by=staff.client_workers[o],
        )
    consents = []
    for row in world["consents"]:
        start, end = row["period"]
        consent = Consent.objects.create(
            client=client[row["client"]],
            discloser=None if row["discloser"] is None else org[row["discloser"]],
            recipient=org[row["recipient"]],
            purpose=row["purpose"],
            valid_from=on + timedelta(days=start),
            valid_until=None if end is None else on + timedelta(days=end),
            method="signed_paper",
            recorded_by=staff.client_workers[row["recipient"]],
            recorded_by_organisation=org[row["recipient"]],
            withdrawn_at=now if row["withdrawn"] else None,
        )
        for category in row["categories"]:
            ConsentCategory.objects.create(consent=consent, category=category)
        consents.append(consent)
    episodes = [
        Episode.objects.create(
            client=client[c],
            programme=staff.programme,
            organisation=org[o],
            register=register,
            created_by=staff.client_workers[o],
        )
        for c, o, register in world["episodes"]
    ]
    referrals = []
    for row in world["referrals"]:
        episode = (
            episodes[row["episode"]]
            if row["episode"] is not None and row["episode"] < len(episodes)
            else None
        )
        referral = Referral.objects.create(
            client=client[row["client"]],
            episode=episode,
            from_organisation=org[row["sender"]],
            from_user=staff.client_workers[row["sender"]],
            to_organisation=org[row["receiver"]],
            reason="Testilähete",
            purpose=row["purpose"],
            urgency=Urgency.NORMAL,
            shared_categories=sorted(row["categories"]),
            respond_by=on + timedelta(days=14),
        )
        grant = ReferralGrant.objects.create(
            public_id=referral.public_id,
            client=referral.client,
            sender=referral.from_organisation,
            receiver=referral.to_organisation,
            purpose=row["purpose"],
            categories=ReferralGrant.encode(row["categories"]),
            ended_at=now if row["ended"] else None,
        )
        grant.consents.set(consents[i] for i in row["consents"] if i < len(consents))
        referrals.append(referral)
    journal = [
        JournalEntry.objects.create(
            client=client[c],
            organisation=org[o],
            register=register,
            entry_type=EntryType.MEETING,
            text="Testikirjaus",
            author=staff.client_workers[o],
        )
        for c, o, register in world["journal"]
    ]
    measurements = [
        Administration.objects.create(
            client=client[c],
            organisation=org[o],
            register=register,
            instrument=staff.instrument,
            occasion=Occasion.BASELINE,
            channel=Channel.LINK,
            created_by=staff.client_workers[o],
        )
        for c, o, register in world["measurements"]
    ]
    return {
        "consents": consents,
        "episodes": episodes,
        "referrals": referrals,
        "journal": journal,
        "measurements": measurements,
    }


def make_actor(staff: Staff, rows: dict[str, list[Any]], kind: str, who: Any) -> Actor:
    if kind == "client_worker":
        return Actor.for_user(staff.client_workers[who])
    if kind == "manager":
        return Actor.for_user(staff.managers[who])
    if kind == "administrator":
        return Actor.for_user(staff.administrator)
    if kind == "client":
        return Actor.client_self(staff.clients[who])
    if kind == "api":
        organisation, purpose, scopes = who
        return Actor.api_client(
            ApiGrant(
                name="testirajapinta",
                organisation=staff.organisations[organisation],
                purpose=purpose,
                scopes=frozenset(f"{category}:read" for category in scopes),
            )
        )
    if kind == "link" and rows["measurements"]:
        measurement = rows["measurements"][who % len(rows["measurements"])]
        return Actor.link_holder(
            LinkScope(
                model="measures.administration",
                object_id=measurement.pk,
                client_id=measurement.client_id,
                owner=measurement.organisation,
            )
        )
    return Actor.system("visible-to-test")


def ids(queryset: Any) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def opened(access: Any, *args: Any) -> bool:
    try:
        access(*args)
    except (Http404, PermissionDenied):
        return False
    return True


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds)
def test_visible_to_lists_exactly_what_single_decisions_open(staff: Staff, world: dict) -> None:
    with transaction.atomic():
        # Given a random world and a random actor acting for a random purpose
        rows = build(staff, world)
        kind, who = world["actor"]
        actor = make_actor(staff, rows, kind, who).for_purpose(world["purpose"])

        # When the lists are asked, then each holds exactly what single decisions open
        assert ids(Client.objects.visible_to(actor)) == {
            c.pk for c in staff.clients if opened(get_visible_client, actor, c.public_id)
        }
        assert ids(Episode.objects.visible_to(actor)) == {
            e.pk for e in rows["episodes"] if opened(access_episode, actor, e.public_id)
        }
        assert ids(Referral.objects.visible_to(actor)) == {
            r.pk for r in rows["referrals"] if opened(access_referral, actor, r.public_id)
        }
        assert ids(JournalEntry.objects.visible_to(actor)) == {
            j.pk for j in rows["journal"] if opened(access_journal_entry, actor, j.public_id)
        }
        assert ids(Administration.objects.visible_to(actor)) == {
            m.pk for m in rows["measurements"] if opened(access_measurement, actor, m.public_id)
        }
        assert ids(Consent.objects.visible_to(actor)) == {
            c.pk
            for c in rows["consents"]
            if opened(access_consent, actor, c.client.public_id, c.public_id)
        }
        transaction.set_rollback(True)
