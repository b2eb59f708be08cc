"""Answering a handover goes through the access module: the proposed successor answers;
a colleague who may read the episode is told it is not theirs to answer (403); anyone
else learns nothing (404). Refusals change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from polku.pathways import services
from polku.pathways.models import CaseManagerAssignment, Handover

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(team) -> Handover:
    episode = services.open_episode(
        actor=team.actor(),
        client=team.client,
        programme=team.programme,
        organisation=team.org_a,
        started_on=timezone.localdate() - timedelta(days=30),
        case_manager=team.manager,
    )
    return services.propose_handover(actor=team.actor(), episode=episode, to_user=team.colleague)


def state(handover: Handover) -> tuple:
    handover.refresh_from_db()
    assignments = CaseManagerAssignment.objects.values_list("user_id", "ended_at")
    return handover.state, handover.decided_at, sorted(assignments, key=str)


@pytest.mark.parametrize(("who", "status"), [("manager", 403), ("outsider", 404)])
def test_only_the_proposed_successor_answers_a_handover(team, client, proposed, who, status):
    # Given a handover proposed to a colleague, and someone else signed in
    before = state(proposed)
    client.force_login(getattr(team, who))
    url = reverse("pathways:answer_handover", kwargs={"handover_id": proposed.pk})

    # When they try to accept it
    response = client.post(url, {"answer": "accept"})

    # Then a reader of the episode is refused, an outsider is not told it exists, and
    # nothing changed
    assert response.status_code == status
    assert state(proposed) == before
    assert before[0] == "proposed"


def test_the_proposed_successor_answers_a_handover(team, client, proposed):
    # Given a handover proposed to the colleague, who is signed in
    client.force_login(team.colleague)
    url = reverse("pathways:answer_handover", kwargs={"handover_id": proposed.pk})

    # When the colleague accepts it
    response = client.post(url, {"answer": "accept"})

    # Then the colleague is the case manager
    assert response.status_code == 302
    assert proposed.episode.case_manager_assignments.get(ended_at__isnull=True).user == (
        team.colleague
    )
