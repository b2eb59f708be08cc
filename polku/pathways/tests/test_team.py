"""The client's team: searching for members among the professionals of the organisations
that serve the client, adding and removing them, and their contact details."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership, Organisation, User, name_key
from polku.audit.enums import AuditEvent
from polku.audit.models import AccessLogEntry
from polku.clients.services import record_consent
from polku.core.text import fold
from polku.pathways import services
from polku.pathways.models import Episode, PlanAction, TeamMember
from polku.pathways.selectors import TEAM_SEARCH_SHOWN
from polku.pathways.tests.conftest import Team
from polku.policy.enums import ConsentMethod, DataCategory, LegalBasis, Purpose, Register
from polku.policy.models import ServiceRelationship

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@dataclass
class World:
    """Organisation A runs the episode; B serves the client and discloses to A under the
    client's consent (so A may know it); D serves the client without A knowing; C does not
    serve the client at all."""

    team: Team
    episode: Episode
    org_d: Organisation
    nurse_b: User
    worker_d: User
    url: str


@pytest.fixture
def world(team, make_organisation, make_professional) -> World:
    org_d = make_organisation("Terveyskeskus D", OrganisationKind.HEALTH_CARE)
    nurse_b = make_professional(
        "nurse_b", Role.NURSE, team.org_b, first_name="Äini", last_name="Mäkelä-Öhman"
    )
    worker_d = make_professional(
        "worker_d", Role.SOCIAL_WORKER, org_d, first_name="Aino", last_name="Mäkelä"
    )
    for organisation, user in ((team.org_b, team.receiver), (org_d, worker_d)):
        ServiceRelationship.objects.create(
            client=team.client,
            organisation=organisation,
            register=Register.HEALTH_CARE,
            legal_basis=LegalBasis.HEALTH_CARE_ACT,
            created_by=user,
        )
    record_consent(
        actor=team.actor(team.receiver),
        client=team.client,
        discloser=team.org_b,
        recipient=team.org_a,
        purpose=Purpose.SERVICE_COORDINATION,
        categories=[DataCategory.BASIC],
        method=ConsentMethod.SIGNED_PAPER,
    )
    episode = services.open_episode(
        actor=team.actor(),
        client=team.client,
        programme=team.programme,
        organisation=team.org_a,
        case_manager=team.manager,
    )
    url = reverse("pathways:team", kwargs={"public_id": episode.public_id})
    return World(team, episode, org_d, nurse_b, worker_d, url)


def found(response) -> list[str]:
    """The names in the search's results table, in order."""
    html = response.content.decode()
    if "professionals found" not in html and "professional found" not in html:
        return []
    results = html.split('id="results-heading"', 1)[1]
    return re.findall(r"<tr[^>]*>\s*<td[^>]*>([^<]+)<", results)


def search(client, world: World, **criteria: str):
    client.force_login(world.team.manager)
    response = client.get(world.url, criteria)
    assert response.status_code == 200
    return found(response)


def membership_of(user: User) -> Membership:
    return user.memberships.get()


def add_events() -> int:
    return AccessLogEntry.objects.filter(event=AuditEvent.TEAM_MEMBER_ADDED).count()


# The search -------------------------------------------------------------------------------


def test_a_name_is_found_by_the_beginning_of_first_or_last_name_whatever_case_and_accents(
    client, world
):
    # given Äini Mäkelä-Öhman of B, which serves the client and discloses to A
    # when A's case manager searches by the beginning of either name, in any case or accents
    # then she is found each time
    for query in ("mäk", "MAKELA", "ohm", "äini", "aini mak", "Mäkelä-Öhman Äini"):
        assert search(client, world, name=query) == ["Äini Mäkelä-Öhman"], query


def test_a_name_matches_only_at_the_beginning_of_a_name(client, world):
    assert search(client, world, name="kelä") == []
    assert search(client, world, name="ini") == []


def test_search_by_organisation_and_by_role(client, world):
    team = world.team

    by_organisation = search(client, world, organisation=str(team.org_b.pk))
    by_role = search(client, world, role=Role.WORK_ABILITY_COORDINATOR)
    both = search(client, world, organisation=str(team.org_a.pk), role=Role.NURSE)

    assert by_organisation == ["Olli Aaltomaa", "Äini Mäkelä-Öhman"]
    assert by_role == ["Kalle Aaltomaa"]
    assert both == []


def test_only_professionals_of_organisations_known_to_serve_the_client_are_found(client, world):
    # given Aino Mäkelä of D, which serves the client but discloses nothing to A, and Ulla of
    # C, which does not serve the client
    # when A searches for them by name
    # then neither is found: naming them would tell A who else serves the client
    assert search(client, world, name="aino") == []
    assert search(client, world, name="ulla") == []
    assert search(client, world, name="aaltomaa") == [
        "Kalle Aaltomaa",
        "Maija Aaltomaa",
        "Olli Aaltomaa",
    ]


def test_an_organisation_that_does_not_serve_the_client_cannot_be_chosen(client, world):
    client.force_login(world.team.manager)

    response = client.get(world.url, {"organisation": str(world.org_d.pk)})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert found(response) == []


def test_memberships_outside_their_period_and_other_roles_are_not_found(
    client, world, make_professional
):
    # given professionals of A whose membership ended yesterday or starts tomorrow, a
    # project manager, and a professional whose account is closed
    org_a = world.team.org_a
    ended = make_professional("ended", Role.SOCIAL_WORKER, org_a, last_name="Aaltomaa-Ex")
    Membership.objects.filter(user=ended).update(
        valid_from=TODAY - timedelta(days=30), valid_until=TODAY - timedelta(days=1)
    )
    future = make_professional("future", Role.SOCIAL_WORKER, org_a, last_name="Aaltomaa-Uusi")
    Membership.objects.filter(user=future).update(valid_from=TODAY + timedelta(days=1))
    make_professional("manager2", Role.PROJECT_MANAGER, org_a, last_name="Aaltomaa-Hanke")
    make_professional(
        "closed", Role.SOCIAL_WORKER, org_a, last_name="Aaltomaa-Pois", is_active=False
    )
    lasts = make_professional("lasts", Role.SOCIAL_WORKER, org_a, last_name="Aaltomaa-Jatkaa")
    Membership.objects.filter(user=lasts).update(valid_until=TODAY)

    # when A searches for the family
    names = search(client, world, name="aaltomaa-")

    # then only the membership valid today in a client-work role is found
    assert names == ["Sanna Aaltomaa-Jatkaa"]


def test_a_long_result_shows_the_first_twenty_and_asks_to_refine(client, world, make_professional):
    for number in range(TEAM_SEARCH_SHOWN + 1):
        make_professional(
            f"coach{number}", Role.JOB_COACH, world.team.org_a, last_name=f"Valmentaja{number:02d}"
        )
    client.force_login(world.team.manager)

    response = client.get(world.url, {"name": "valmentaja"})

    assert len(found(response)) == TEAM_SEARCH_SHOWN
    assert found(response)[0] == "Sanna Valmentaja00"
    assert "Refine your search" in response.content.decode()


def test_an_empty_search_lists_nobody(client, world):
    client.force_login(world.team.manager)

    response = client.get(world.url, {"name": "  ", "organisation": "", "role": ""})

    assert response.status_code == 200
    assert found(response) == []


def test_the_search_asks_as_many_queries_for_twenty_matches_as_for_one(
    client, world, make_professional
):
    client.force_login(world.team.manager)

    def queries(name: str) -> tuple[int, int]:
        client.get(world.url, {"name": name})
        with CaptureQueriesContext(connection) as captured:
            response = client.get(world.url, {"name": name})
        return len(found(response)), len(captured)

    make_professional("coach", Role.JOB_COACH, world.team.org_b, last_name="Valmentaja")
    one, one_queries = queries("valmentaja")
    for number in range(TEAM_SEARCH_SHOWN - 1):
        make_professional(
            f"coach{number}", Role.JOB_COACH, world.team.org_b, last_name=f"Valmentaja{number}"
        )
    twenty, twenty_queries = queries("valmentaja")

    assert (one, twenty) == (1, TEAM_SEARCH_SHOWN)
    assert twenty_queries == one_queries


def test_a_search_name_is_kept_when_a_professional_is_renamed(world):
    nurse = world.nurse_b
    nurse.last_name = "Åström"
    nurse.save(update_fields=["last_name"])

    nurse.refresh_from_db()
    assert nurse.search_name == name_key("Åström", "Äini") == "astrom aini"
    assert fold("  Ärlig ÖSTEN ") == "arlig osten"


# Adding, without JavaScript -----------------------------------------------------------------


def test_a_member_is_added_from_the_search_results_with_the_add_button(client, world):
    # given the search's results, each with its own add form
    team = world.team
    client.force_login(team.manager)
    page = client.get(world.url, {"name": "äini"}).content.decode()
    membership = membership_of(world.nurse_b)
    assert f'name="membership" value="{membership.pk}"' in page

    # when the case manager presses "Add" on her row with the role written in
    response = client.post(
        world.url,
        {"form": "add", "membership": membership.pk, "team_role": "Omahoitaja", "name": "äini"},
    )

    # then she is on the team, through her organisation, and the act is in the log
    assert response.status_code == 302
    member = world.episode.team.get()
    assert (member.user, member.organisation, member.team_role, member.ended_on) == (
        world.nurse_b,
        team.org_b,
        "Omahoitaja",
        None,
    )
    assert add_events() == 1
    after = client.get(world.url, {"name": "äini"}).content.decode()
    assert "On the team" in after
    assert f'name="membership" value="{membership.pk}"' not in after


@pytest.mark.parametrize(
    "whose", ["outsider", "worker_d", "ended", "project_manager", "missing", "not a number"]
)
def test_a_tampered_membership_is_refused_and_nothing_changes(
    client, world, make_professional, whose
):
    # given a membership id that the search would never offer
    team = world.team
    if whose == "ended":
        user = make_professional("ended", Role.SOCIAL_WORKER, team.org_a)
        Membership.objects.filter(user=user).update(
            valid_from=TODAY - timedelta(days=9), valid_until=TODAY - timedelta(days=1)
        )
    elif whose == "project_manager":
        user = make_professional("pm", Role.PROJECT_MANAGER, team.org_a)
    membership_id = {
        "outsider": lambda: membership_of(team.outsider).pk,
        "worker_d": lambda: membership_of(world.worker_d).pk,
        "ended": lambda: membership_of(user).pk,
        "project_manager": lambda: membership_of(user).pk,
        "missing": lambda: 999999,
        "not a number": lambda: "1 OR 1=1",
    }[whose]()
    client.force_login(team.manager)

    # when it is posted to the add form
    response = client.post(
        world.url, {"form": "add", "membership": membership_id, "team_role": "Ohjaaja"}
    )

    # then the request is refused with a message, and nothing changed, not even the log
    assert response.status_code == 400
    assert "alert--error" in response.content.decode()
    assert not TeamMember.objects.exists()
    assert add_events() == 0


def test_the_same_person_is_not_added_twice(client, world):
    colleague = world.team.colleague
    membership = membership_of(colleague)
    services.add_team_member(
        actor=world.team.actor(), episode=world.episode, membership=membership, team_role="A"
    )
    client.force_login(world.team.manager)

    response = client.post(
        world.url, {"form": "add", "membership": membership.pk, "team_role": "B"}
    )

    assert response.status_code == 400
    assert f"{colleague} is already on the team." in response.content.decode()
    assert list(world.episode.team.values_list("team_role", flat=True)) == ["A"]


def test_a_role_on_the_team_is_required(client, world):
    client.force_login(world.team.manager)

    response = client.post(
        world.url,
        {"form": "add", "membership": membership_of(world.team.colleague).pk, "team_role": " "},
    )

    assert response.status_code == 400
    assert not TeamMember.objects.exists()


# Removing -----------------------------------------------------------------------------------


def add(world: World, user: User, started_days_ago: int = 10) -> TeamMember:
    member = services.add_team_member(
        actor=world.team.actor(),
        episode=world.episode,
        membership=membership_of(user),
        team_role="Ohjaaja",
    )
    TeamMember.objects.filter(pk=member.pk).update(
        started_on=TODAY - timedelta(days=started_days_ago)
    )
    return member


def test_removing_a_member_ends_their_period_and_is_logged(client, world):
    # given a colleague on the team for ten days
    member = add(world, world.team.colleague)
    client.force_login(world.team.manager)

    # when the case manager removes them as of yesterday
    response = client.post(
        world.url,
        {"form": "remove", "member": member.pk, "ended_on": str(TODAY - timedelta(days=1))},
    )

    # then the row stays as the record of their period, and the act is in the log
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.ended_on == TODAY - timedelta(days=1)
    row = AccessLogEntry.objects.get(event=AuditEvent.TEAM_MEMBER_REMOVED)
    assert (row.client_public_id, row.actor_id) == (
        world.team.client.public_id,
        str(world.team.manager.pk),
    )
    page = client.get(world.url).content.decode()
    assert "Former team members" in page
    # and they may join again later
    add(world, world.team.colleague, started_days_ago=0)
    assert world.episode.team.filter(ended_on__isnull=True).count() == 1


def test_a_removed_members_open_tasks_move_to_their_organisations_queue(client, world):
    member = add(world, world.team.colleague)
    services.save_plan(
        actor=world.team.actor(),
        episode=world.episode,
        goals=[services.GoalInput("Haluan töihin")],
        actions=[
            services.ActionInput("Avoin", owner_user=world.team.colleague, due_on=TODAY),
            services.ActionInput(
                "Tehty", owner_user=world.team.colleague, due_on=TODAY, done_on=TODAY
            ),
            services.ActionInput("Toisen", owner_user=world.team.manager, due_on=TODAY),
        ],
    )
    client.force_login(world.team.manager)

    client.post(world.url, {"form": "remove", "member": member.pk})

    owners = {
        action.text: (action.owner_user, action.owner_organisation)
        for action in PlanAction.objects.filter(plan__episode=world.episode)
    }
    assert owners == {
        "Avoin": (None, member.organisation),
        "Tehty": (world.team.colleague, None),  # who did it stays on record
        "Toisen": (world.team.manager, None),
    }


@pytest.mark.parametrize("ended_on", [TODAY + timedelta(days=1), TODAY - timedelta(days=11)])
def test_an_end_date_outside_the_members_period_is_refused(client, world, ended_on):
    member = add(world, world.team.colleague)
    client.force_login(world.team.manager)

    response = client.post(world.url, {"form": "remove", "member": member.pk, "ended_on": ended_on})

    assert response.status_code == 400
    assert "between the day they joined the team and today" in response.content.decode()
    member.refresh_from_db()
    assert member.ended_on is None
    assert not AccessLogEntry.objects.filter(event=AuditEvent.TEAM_MEMBER_REMOVED).exists()


def test_a_member_of_another_episodes_team_cannot_be_removed_through_this_one(client, world):
    # given a member of another episode of the same organisation
    team = world.team
    other = services.open_episode(
        actor=team.actor(),
        client=team.client,
        programme=team.programme,
        organisation=team.org_a,
    )
    stranger = services.add_team_member(
        actor=team.actor(),
        episode=other,
        membership=membership_of(team.colleague),
        team_role="Ohjaaja",
    )
    client.force_login(team.manager)

    # when their id is posted to this episode's team page
    response = client.post(world.url, {"form": "remove", "member": stranger.pk})

    # then nothing is found and nothing changed
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.ended_on is None


# Who may see and change the team --------------------------------------------------------------


def test_an_outsider_finds_no_team_page_and_changes_nothing(client, world):
    member = add(world, world.team.colleague)
    client.force_login(world.team.outsider)
    before = AccessLogEntry.objects.count()

    responses = [
        client.get(world.url),
        client.get(world.url, {"name": "kal"}),
        client.post(world.url, {"form": "remove", "member": member.pk}),
        client.post(
            world.url,
            {"form": "add", "membership": membership_of(world.team.outsider).pk, "team_role": "X"},
        ),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404, 404]
    member.refresh_from_db()
    assert member.ended_on is None
    assert world.episode.team.count() == 1
    assert AccessLogEntry.objects.count() == before


def test_a_reader_sees_the_team_and_its_contact_details_but_cannot_search_or_change_it(
    client, world
):
    # given B's physician, who may read A's plan under the client's consent, and a member
    # with a work phone
    team = world.team
    record_consent(
        actor=team.actor(),
        client=team.client,
        discloser=team.org_a,
        recipient=team.org_b,
        purpose=Purpose.SERVICE_COORDINATION,
        categories=[DataCategory.BASIC, DataCategory.PLAN],
        method=ConsentMethod.SIGNED_PAPER,
    )
    team.colleague.phone = "+358 40 000 0000"
    team.colleague.save()
    member = add(world, team.colleague)
    client.force_login(team.receiver)

    page = client.get(world.url)
    searched = client.get(world.url, {"name": "kal"})
    removed = client.post(world.url, {"form": "remove", "member": member.pk})

    assert page.status_code == 200
    html = page.content.decode()
    assert "+358 40 000 0000" in html
    assert "colleague@example.invalid" in html
    assert 'role="search"' not in html
    assert (searched.status_code, removed.status_code) == (403, 403)
    member.refresh_from_db()
    assert member.ended_on is None


def test_the_team_page_is_logged_as_a_look_at_the_plan(client, world):
    client.force_login(world.team.manager)
    before = AccessLogEntry.objects.count()

    client.get(world.url, {"name": "kal"})

    row = AccessLogEntry.objects.latest("sequence")
    assert AccessLogEntry.objects.count() == before + 1
    assert (row.client_public_id, row.categories, row.event) == (
        world.team.client.public_id,
        DataCategory.PLAN,
        "",
    )


def test_a_reader_is_not_told_of_members_from_organisations_it_may_not_know(client, world):
    # given D, which may read A's plan under the client's consent but does not know that B
    # serves the client, and a team with B's nurse on it
    team = world.team
    record_consent(
        actor=team.actor(),
        client=team.client,
        discloser=team.org_a,
        recipient=world.org_d,
        purpose=Purpose.SERVICE_COORDINATION,
        categories=[DataCategory.BASIC, DataCategory.PLAN],
        method=ConsentMethod.SIGNED_PAPER,
    )
    add(world, team.colleague)
    add(world, world.nurse_b)
    client.force_login(world.worker_d)

    pages = [
        client.get(url).content.decode()
        for url in (world.url, reverse("pathways:episode", args=[world.episode.public_id]))
    ]

    for html in pages:
        assert "Kalle" in html
        assert "Mäkelä-Öhman" not in html
        assert team.org_b.name not in html
        assert "The team has 1 member from an organisation" in html
