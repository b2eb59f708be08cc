"""Query-count guards: the worklist, the client's pathway and the episode page ask the
database as many times for a large world as for a small one."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polku.clients.models import Client
from polku.clients.services import RelationshipTerms, record_consent, register_client
from polku.pathways import services
from polku.pathways.models import Episode, Referral
from polku.policy.enums import ConsentMethod, DataCategory, LegalBasis, Purpose, Register

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    """The number of queries one GET of ``url`` asks (after a first, warming GET)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def new_client(team, number: int) -> Client:
    return register_client(
        actor=team.actor(),
        terms=RelationshipTerms(
            organisation=team.org_a,
            register=Register.EMPLOYMENT_SERVICES,
            legal_basis=LegalBasis.MULTI_SECTOR_ACT,
        ),
        first_names="Pauli",
        last_name=f"Polkunen{number}",
        birth_date=date(1975, 6, 1 + number % 28),
    ).client


def consent_to_b(team, client: Client) -> None:
    record_consent(
        actor=team.actor(),
        client=client,
        discloser=team.org_a,
        recipient=team.org_b,
        purpose=Purpose.SERVICE_COORDINATION,
        categories=[DataCategory.BASIC, DataCategory.PLAN],
        method=ConsentMethod.SIGNED_PAPER,
    )


def open_episode(team, client: Client) -> Episode:
    return services.open_episode(
        actor=team.actor(),
        client=client,
        programme=team.programme,
        organisation=team.org_a,
        case_manager=team.manager,
    )


def refer(team, client: Client, episode: Episode | None = None) -> None:
    services.send_referral(
        actor=team.actor(),
        client=client,
        from_organisation=team.org_a,
        to_organisation=team.org_b,
        reason="Työkyvyn arvio",
        urgency="normal",
        shared_categories=[DataCategory.PLAN],
        episode=episode,
    )


def add_case(team, number: int) -> None:
    """A client of A in an episode managed by the manager, with a colleague on the team,
    referred to B (so that B's receiver has it waiting)."""
    client = new_client(team, number)
    episode = open_episode(team, client)
    services.add_team_member(
        actor=team.actor(),
        episode=episode,
        membership=team.colleague.memberships.get(),
        team_role="Työkykykoordinaattori",
    )
    consent_to_b(team, client)
    refer(team, client, episode)


def worklist_queries(team, client, user, cases: int) -> int:
    client.force_login(user)
    for number in range(Referral.objects.count() + 1, cases + 1):
        add_case(team, number)
    return queries_for(client, reverse("home"))


@pytest.mark.parametrize("who", ["manager", "colleague"])
def test_the_worklist_asks_as_many_queries_for_twenty_clients_as_for_one(team, client, who):
    # given one case on the worklist of its case manager, or of a team member
    one = worklist_queries(team, client, getattr(team, who), 1)

    # when there are twenty
    twenty = worklist_queries(team, client, getattr(team, who), 20)

    # then the worklist asks the database as often
    assert twenty == one


def test_the_receivers_worklist_asks_as_many_queries_for_twenty_referrals_as_for_one(team, client):
    one = worklist_queries(team, client, team.receiver, 1)

    twenty = worklist_queries(team, client, team.receiver, 20)

    assert twenty == one


def grow_pathway(team, times: int) -> Episode:
    """``times`` episodes of the team's client, each with a referral, a journal entry, a
    phase change and a plan; the first episode is returned."""
    first = None
    for number in range(times):
        episode = open_episode(team, team.client)
        first = first or episode
        refer(team, team.client, episode)
        services.add_journal_entry(
            actor=team.actor(),
            client=team.client,
            organisation=team.org_a,
            register=Register.EMPLOYMENT_SERVICES,
            entry_type="meeting",
            text=f"Tapaaminen {number}",
            episode=episode,
        )
        services.save_plan(
            actor=team.actor(),
            episode=episode,
            goals=[services.GoalInput(f"Tavoite {number}")],
        )
    assert first is not None
    return first


def test_the_pathway_asks_as_many_queries_for_six_episodes_as_for_one(team, client):
    # given a client with one episode, referral, journal entry and plan
    consent_to_b(team, team.client)
    grow_pathway(team, 1)
    client.force_login(team.manager)
    url = reverse("pathways:client_pathway", kwargs={"public_id": team.client.public_id})
    one = queries_for(client, url)

    # when the client has six of each
    grow_pathway(team, 5)
    six = queries_for(client, url)

    # then the pathway page asks the database as often
    assert six == one


def test_the_episode_page_asks_as_many_queries_for_six_of_everything_as_for_one(team, client):
    # given an episode with one referral, team member, journal entry and phase change
    consent_to_b(team, team.client)
    episode = grow_pathway(team, 1)
    services.add_team_member(
        actor=team.actor(),
        episode=episode,
        membership=team.colleague.memberships.get(),
        team_role="Työkykykoordinaattori",
    )
    client.force_login(team.manager)
    url = reverse("pathways:episode", kwargs={"public_id": episode.public_id})
    one = queries_for(client, url)

    # when it has six referrals, journal entries, phase changes and goals
    phases = team.programme.phases
    for number in range(5):
        refer(team, team.client, episode)
        services.add_journal_entry(
            actor=team.actor(),
            client=team.client,
            organisation=team.org_a,
            register=Register.EMPLOYMENT_SERVICES,
            entry_type="meeting",
            text=f"Lisää {number}",
            episode=episode,
        )
        services.change_phase(
            actor=team.actor(), episode=episode, phase=phases[(number + 1) % len(phases)]
        )
    services.save_plan(
        actor=team.actor(),
        episode=episode,
        goals=[services.GoalInput(f"Tavoite {n}") for n in range(6)],
    )
    six = queries_for(client, url)

    # then the episode page asks the database as often
    assert six == one
