"""Episodes, phases, one case manager, handover, team, plans and reviews."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from polku.audit.models import AccessLogEntry
from polku.pathways import services
from polku.pathways.models import CaseManagerAssignment, Episode, PlanVersion
from polku.pathways.selectors import phase_durations
from polku.pathways.tests.test_plan_form import form_values

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def manager_of(episode):
    assignment = services.current_case_manager(episode)
    return assignment.user if assignment else None


def open_episode(team, **kwargs):
    return services.open_episode(
        actor=team.actor(),
        client=team.client,
        programme=team.programme,
        organisation=team.org_a,
        **kwargs,
    )


def test_the_database_refuses_a_second_active_case_manager(team):
    episode = open_episode(team, case_manager=team.manager)

    with pytest.raises(IntegrityError), transaction.atomic():
        CaseManagerAssignment.objects.create(
            episode=episode,
            user=team.colleague,
            organisation=team.org_a,
            assigned_by=team.manager,
        )

    assert CaseManagerAssignment.objects.filter(episode=episode).count() == 1


def test_naming_a_second_case_manager_is_refused_with_a_message(team):
    episode = open_episode(team, case_manager=team.manager)

    with pytest.raises(ValidationError, match="propose a handover"):
        services.assign_case_manager(actor=team.actor(), episode=episode, user=team.colleague)

    assert list(CaseManagerAssignment.objects.values_list("user__username", flat=True)) == [
        "manager"
    ]


def test_handover_keeps_the_old_manager_responsible_until_accepted(team):
    episode = open_episode(team, case_manager=team.manager)
    handover = services.propose_handover(
        actor=team.actor(), episode=episode, to_user=team.colleague, note="Lomalle"
    )

    assert manager_of(episode) == team.manager
    with pytest.raises(PermissionDenied):
        services.answer_handover(actor=team.actor(team.receiver), handover=handover, accept=True)

    services.answer_handover(actor=team.actor(team.colleague), handover=handover, accept=True)

    assert manager_of(episode) == team.colleague
    history = [
        (a.user.username, a.ended_at is None)
        for a in episode.case_manager_assignments.order_by("started_at")
    ]
    assert history == [("manager", False), ("colleague", True)]


def test_only_the_current_case_manager_proposes_a_handover(team):
    episode = open_episode(team, case_manager=team.manager)

    with pytest.raises(PermissionDenied):
        services.propose_handover(
            actor=team.actor(team.colleague), episode=episode, to_user=team.colleague
        )


def test_phases_move_in_order_and_durations_add_up(team):
    start = TODAY - timedelta(days=100)
    episode = open_episode(team, started_on=start, case_manager=team.manager)
    services.change_phase(
        actor=team.actor(),
        episode=episode,
        phase="rehabilitation",
        started_on=start + timedelta(days=40),
    )
    services.change_phase(
        actor=team.actor(),
        episode=episode,
        phase="employment",
        started_on=start + timedelta(days=70),
    )

    with pytest.raises(ValidationError, match="before the current phase"):
        services.change_phase(
            actor=team.actor(),
            episode=episode,
            phase="education",
            started_on=start + timedelta(days=60),
        )
    with pytest.raises(ValidationError, match="no such phase"):
        services.change_phase(actor=team.actor(), episode=episode, phase="follow_up")

    changes = list(episode.phase_changes.order_by("started_on"))
    assert phase_durations(changes, TODAY) == [
        ("Assessment", 40),
        ("Rehabilitation", 30),
        ("Employment", 30),
    ]


def test_ending_an_episode_needs_a_reason_and_releases_the_case_manager(team):
    episode = open_episode(team, case_manager=team.manager)

    with pytest.raises(ValidationError):
        services.end_episode(actor=team.actor(), episode=episode, end_reason="")
    services.end_episode(actor=team.actor(), episode=episode, end_reason="open_labour_market")

    episode.refresh_from_db()
    assert (episode.ended_on, episode.end_reason) == (TODAY, "open_labour_market")
    assert services.current_case_manager(episode) is None


def test_the_database_refuses_an_ended_episode_without_a_reason(team):
    episode = open_episode(team)

    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.filter(pk=episode.pk).update(ended_on=TODAY)


def test_an_outsider_cannot_open_or_change_an_episode_and_nothing_changes(team):
    episode = open_episode(team, case_manager=team.manager)
    before = (Episode.objects.count(), AccessLogEntry.objects.count())

    with pytest.raises(Http404):
        services.open_episode(
            actor=team.actor(team.outsider),
            client=team.client,
            programme=team.programme,
            organisation=team.org_a,
        )
    with pytest.raises(Http404):
        services.change_phase(
            actor=team.actor(team.outsider), episode=episode, phase="rehabilitation"
        )

    assert (Episode.objects.count(), AccessLogEntry.objects.count()) == before
    assert episode.phase_changes.count() == 1


def test_a_plan_keeps_every_version_and_reviews_rate_each_goal(team):
    episode = open_episode(team, case_manager=team.manager)
    plan = services.save_plan(
        actor=team.actor(),
        episode=episode,
        goals=[
            services.GoalInput("Haluan päästä töihin puutöihin"),
            services.GoalInput("Haluan nukkua paremmin", importance=2, difficulty=1),
        ],
        actions=[
            services.ActionInput(
                "Työkokeilu puusepänverstaalla",
                owner_is_client=True,
                due_on=TODAY + timedelta(days=30),
            )
        ],
        helping_factors="Motivaatio",
        next_review_on=TODAY + timedelta(days=90),
    )
    first_goal, second_goal = plan.goals.all()
    services.save_plan(
        actor=team.actor(),
        episode=episode,
        goals=[
            services.GoalInput("Haluan päästä töihin puutöihin", goal_id=first_goal.pk),
            services.GoalInput(
                "Haluan nukkua paremmin", importance=3, difficulty=1, goal_id=second_goal.pk
            ),
        ],
        change_note="Paino muuttui",
    )

    versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert [g["weight"] for g in versions[0].content["goals"]] == [1, 2]
    assert [g["weight"] for g in versions[1].content["goals"]] == [1, 3]
    assert versions[0].content["actions"][0]["text"] == "Työkokeilu puusepänverstaalla"

    with pytest.raises(ValidationError, match="Rate every goal"):
        services.review_plan(actor=team.actor(), plan=plan, attainments={first_goal.pk: 1})
    review = services.review_plan(
        actor=team.actor(), plan=plan, attainments={first_goal.pk: 1, second_goal.pk: -1}
    )
    assert sorted(review.attainments.values_list("level", flat=True)) == [-1, 1]
    assert review.plan_version == 2


def test_a_plan_needs_a_goal(team):
    episode = open_episode(team)

    with pytest.raises(ValidationError, match="at least one goal"):
        services.save_plan(actor=team.actor(), episode=episode, goals=[services.GoalInput("  ")])
    assert not PlanVersion.objects.exists()


def test_saving_the_plan_form_keeps_each_actions_goal_and_done_date(team, client):
    from django.urls import reverse

    episode = open_episode(team)
    services.save_plan(
        actor=team.actor(),
        episode=episode,
        goals=[services.GoalInput("Töihin"), services.GoalInput("Päivärytmi")],
        actions=[
            services.ActionInput("Työkokeilu", goal_position=1, owner_is_client=True),
        ],
    )
    action = episode.plan.actions.get()
    action.done_on = timezone.localdate()
    action.save()
    url = reverse("pathways:plan_edit", kwargs={"public_id": episode.public_id})
    client.force_login(team.manager)
    data = form_values(client.get(url))

    response = client.post(url, {**data, "change_note": "Tarkistettu"})

    assert response.status_code == 302
    action = episode.plan.actions.get()
    assert action.goal is not None
    assert action.goal.text == "Päivärytmi"
    assert action.done_on == timezone.localdate()


def test_an_ended_episodes_plan_and_team_are_a_record_no_longer_changed(team):
    episode = open_episode(team)
    services.end_episode(actor=team.actor(), episode=episode, end_reason="education")

    with pytest.raises(ValidationError, match="has ended"):
        services.save_plan(actor=team.actor(), episode=episode, goals=[services.GoalInput("X")])
    with pytest.raises(ValidationError, match="has ended"):
        services.add_team_member(
            actor=team.actor(),
            episode=episode,
            membership=team.colleague.memberships.get(),
            team_role="Ohjaaja",
        )
    assert not PlanVersion.objects.filter(plan__episode=episode).exists()
    assert not episode.team.exists()
