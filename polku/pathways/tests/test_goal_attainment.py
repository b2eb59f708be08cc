"""Goal Attainment Scaling as practised: goals with a baseline, five levels and
importance × difficulty weights; reviews that name each goal with the level reached and
the T-score beside them; goals taken out of the plan stay in their reviews."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conftest import plain_table_markup
from polku.pathways import gas, selectors, services
from polku.pathways.models import Goal, GoalAttainment, Plan, PlanAction, PlanReview, PlanVersion
from polku.pathways.tests.test_plan_form import form_values, open_episode

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()

WORK = services.GoalInput(
    "Haluan päästä töihin puusepänverstaalle",
    baseline="Ei työkokemusta alalta, jännittää uusia paikkoja.",
    levels=(
        "Ei ole käynyt tutustumassa verstaaseen.",
        "Tietää verstaan, mutta ei ole käynyt siellä.",
        "Työkokeilu verstaalla kahtena päivänä viikossa.",
        "Työkokeilu neljänä päivänä viikossa.",
        "Osa-aikainen työsopimus verstaalle.",
    ),
    importance=3,
    difficulty=2,
)
SLEEP = services.GoalInput(
    "Haluan nukkua yöni paremmin",
    baseline="Herää useita kertoja yössä.",
    levels=("", "Herää useita kertoja.", "Nukkuu yleensä yön läpi.", "", ""),
    importance=2,
    difficulty=1,
)
RHYTHM = services.GoalInput("Haluan säännöllisen päivärytmin")  # weighted by neither: 1


def plan_with(team, *goals, **fields):
    return services.save_plan(
        actor=team.actor(), episode=open_episode(team), goals=list(goals), **fields
    )


def review(team, plan, levels, **fields):
    """Rate the plan's goals, in order, at ``levels``."""
    goals = Plan.objects.get(pk=plan.pk).current_goals()
    attainments = {goal.pk: level for goal, level in zip(goals, levels, strict=True)}
    return services.review_plan(actor=team.actor(), plan=plan, attainments=attainments, **fields)


# The weights and the T-score --------------------------------------------------------------


@pytest.mark.parametrize(
    ("importance", "difficulty", "weight"),
    [(None, None, 1), (0, 3, 0), (3, 0, 0), (1, 1, 1), (2, 1, 2), (3, 2, 6), (3, 3, 9)],
)
def test_a_goal_weighs_its_importance_times_its_difficulty_or_one(importance, difficulty, weight):
    assert gas.goal_weight(importance, difficulty) == weight
    assert Goal(importance=importance, difficulty=difficulty).weight == weight


@pytest.mark.parametrize(("importance", "difficulty"), [(2, None), (None, 1), (4, 1), (1, -1)])
def test_a_goal_weighted_by_one_factor_or_out_of_range_has_no_weight(importance, difficulty):
    with pytest.raises(ValueError, match="importance"):
        gas.goal_weight(importance, difficulty)


def test_the_t_score_of_a_review_uses_importance_times_difficulty_worked_by_hand(team):
    """Kiresuk & Sherman with ρ = 0.3. Goals weighted 3 × 2 = 6 (at +1), 2 × 1 = 2 (at −1)
    and unweighted 1 (at 0): Σwx = 6 − 2 + 0 = 4, Σw² = 36 + 4 + 1 = 41, Σw = 9,
    T = 50 + 10·4 / √(0.7·41 + 0.3·81) = 50 + 40 / √53 = 55.494…"""
    plan = plan_with(team, WORK, SLEEP, RHYTHM)

    summary = selectors.review_summary(review(team, plan, [1, -1, 0]))

    assert summary.t_score == pytest.approx(50 + 40 / math.sqrt(53))
    assert summary.t_score == pytest.approx(55.49442255794756)
    assert [(row.goal.text, row.level, row.weight) for row in summary.rows] == [
        (WORK.text, 1, 6),
        (SLEEP.text, -1, 2),
        (RHYTHM.text, 0, 1),
    ]
    # Unweighted, the same levels would give 50 + 10·0 / … = 50
    assert gas.gas_t_score([1, -1, 0]) == 50


def test_a_review_keeps_the_t_score_it_was_scored_with_when_a_weight_changes(team):
    plan = plan_with(team, WORK, SLEEP, RHYTHM)
    first = review(team, plan, [1, -1, 0])
    goals = list(plan.goals.all())

    services.save_plan(
        actor=team.actor(),
        episode=plan.episode,
        goals=[services.GoalInput(g.text, importance=1, difficulty=1, goal_id=g.pk) for g in goals],
    )

    assert selectors.review_summary(first).t_score == pytest.approx(55.49442255794756)
    assert sorted(GoalAttainment.objects.values_list("weight", flat=True)) == [1, 2, 6]


def test_a_review_whose_goals_all_weigh_zero_has_no_t_score(team):
    plan = plan_with(team, services.GoalInput("Tavoite", importance=0, difficulty=3))

    summary = selectors.review_summary(review(team, plan, [2]))

    assert summary.t_score is None


# Saving goals -----------------------------------------------------------------------------


def test_a_goal_keeps_its_baseline_levels_and_weights_in_the_plan_and_its_versions(team):
    plan = plan_with(team, WORK)

    goal = plan.goals.get()
    assert (goal.baseline, goal.baseline_level, goal.importance, goal.difficulty) == (
        WORK.baseline,
        -1,
        3,
        2,
    )
    assert goal.level_texts() == dict(zip((-2, -1, 0, 1, 2), WORK.levels, strict=True))
    snapshot = PlanVersion.objects.get(plan=plan).content["goals"][0]
    assert snapshot["weight"] == 6
    assert snapshot["levels"] == dict(zip(["-2", "-1", "0", "+1", "+2"], WORK.levels, strict=True))


@pytest.mark.parametrize(
    ("goal", "problem"),
    [
        (services.GoalInput("Töihin", importance=2), "both its importance and its difficulty"),
        (services.GoalInput("Töihin", difficulty=2), "both its importance and its difficulty"),
        (services.GoalInput("Töihin", importance=4, difficulty=1), "from 0 to 3"),
        (services.GoalInput("Töihin", baseline_level=1), "starting level"),
        (services.GoalInput("Töihin", levels=("a", "b")), "five levels"),  # type: ignore[arg-type]
    ],
)
def test_a_goal_with_a_bad_scale_is_refused_and_changes_nothing(team, goal, problem):
    episode = open_episode(team)

    with pytest.raises(ValidationError, match=problem) as refused:
        services.save_plan(actor=team.actor(), episode=episode, goals=[goal])

    assert list(refused.value.message_dict) == ["goals"]
    assert refused.value.message_dict["goals"][0].startswith("Goal 1: ")
    assert not Plan.objects.filter(episode=episode).exists()
    assert not Goal.objects.exists()


def test_the_database_refuses_a_goal_weighted_by_one_factor(team):
    plan = plan_with(team, RHYTHM)

    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(plan=plan, text="Puolikas", importance=2)


def test_levels_written_without_the_goal_are_refused_on_the_form(team, client):
    plan = plan_with(team, RHYTHM)
    url = reverse("pathways:plan_edit", kwargs={"public_id": plan.episode.public_id})
    client.force_login(team.manager)
    values = form_values(client.post(url, {**form_values(client.get(url)), "add": "goal"}))
    values["goals-1-level_0"] = "Odotettu taso ilman tavoitetta"

    response = client.post(url, values)

    assert response.status_code == 400
    assert "Write the goal itself too." in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).version == 1


# Removing goals and actions ---------------------------------------------------------------


def test_removing_goals_deletes_the_unreviewed_and_keeps_the_reviewed_in_its_review(team, client):
    # Given a plan with three goals, reviewed once, and a goal added after the review
    plan = plan_with(team, WORK, SLEEP)
    first = review(team, plan, [1, 0])
    plan = services.save_plan(
        actor=team.actor(),
        episode=plan.episode,
        goals=[
            services.GoalInput(
                g.text, goal_id=g.pk, importance=g.importance, difficulty=g.difficulty
            )
            for g in plan.goals.all()
        ]
        + [RHYTHM],
        actions=[services.ActionInput("Käynti verstaalla", goal_position=1)],
    )
    work, sleep, rhythm = plan.goals.order_by("position")
    url = reverse("pathways:plan_edit", kwargs={"public_id": plan.episode.public_id})
    client.force_login(team.manager)
    values = form_values(client.get(url))
    assert values["actions-0-goal"] == "1"  # the action serves the second goal

    # When the reviewed second goal and the unreviewed third are removed, and the action
    # moved to the first goal
    values.update({"goals-1-DELETE": "on", "goals-2-DELETE": "on", "actions-0-goal": "0"})
    response = client.post(url, values)

    # Then the unreviewed goal is gone, the reviewed one is out of the plan but in its review
    assert response.status_code == 302
    plan.refresh_from_db()
    assert [goal.text for goal in plan.current_goals()] == [WORK.text]
    assert not Goal.objects.filter(pk=rhythm.pk).exists()
    sleep.refresh_from_db()
    assert sleep.ended_in_version == plan.version == 3
    assert [row.goal.text for row in selectors.review_summary(first).rows] == [
        WORK.text,
        SLEEP.text,
    ]
    assert PlanAction.objects.get().goal == work
    assert [g["text"] for g in PlanVersion.objects.get(number=3).content["goals"]] == [WORK.text]
    # ... and the next review rates the goals in the plan only
    page = client.get(reverse("pathways:plan_review", kwargs={"public_id": plan.episode.public_id}))
    assert f"goal_{sleep.pk}" not in page.content.decode()
    assert f"goal_{work.pk}" in page.content.decode()


def test_an_action_serving_a_goal_being_removed_is_refused_and_nothing_changes(team, client):
    plan = plan_with(
        team, WORK, SLEEP, actions=[services.ActionInput("Unipäiväkirja", goal_position=1)]
    )
    url = reverse("pathways:plan_edit", kwargs={"public_id": plan.episode.public_id})
    client.force_login(team.manager)
    values = form_values(client.get(url))
    values["goals-1-DELETE"] = "on"

    response = client.post(url, values)

    assert response.status_code == 400
    assert "That goal is being removed or has no text." in response.content.decode()
    plan.refresh_from_db()
    assert plan.version == 1
    assert [goal.text for goal in plan.current_goals()] == [WORK.text, SLEEP.text]
    assert PlanAction.objects.values_list("goal__text", flat=True).get() == SLEEP.text


def test_removing_an_action_on_the_form_leaves_the_others(team, client):
    plan = plan_with(
        team,
        WORK,
        actions=[services.ActionInput("Ensimmäinen"), services.ActionInput("Toinen")],
    )
    url = reverse("pathways:plan_edit", kwargs={"public_id": plan.episode.public_id})
    client.force_login(team.manager)
    values = form_values(client.get(url))
    values["actions-0-DELETE"] = "on"

    assert client.post(url, values).status_code == 302

    assert list(PlanAction.objects.values_list("text", flat=True)) == ["Toinen"]


# The review page and the episode page -----------------------------------------------------


def test_the_review_page_names_each_goal_with_its_levels_and_preselects_none(team, client):
    plan = plan_with(team, WORK, SLEEP)
    client.force_login(team.manager)

    page = client.get(reverse("pathways:plan_review", kwargs={"public_id": plan.episode.public_id}))

    text = page.content.decode()
    assert f"Goal 1: {WORK.text}" in text
    assert f"Goal 2: {SLEEP.text}" in text
    assert "+2 much more than expected: Osa-aikainen työsopimus verstaalle." in text
    assert (
        "−1 somewhat less than expected: Tietää verstaan, mutta ei ole käynyt siellä. "
        "(starting level)" in text
    )
    assert "+2 much more than expected</label>" in text  # a level not written for SLEEP
    assert "Weight 6 (importance 3 × difficulty 2)." in text
    assert f"At the start: {WORK.baseline}" in text
    assert " checked" not in text


def test_a_review_without_a_level_chosen_is_refused_and_records_nothing(team, client):
    plan = plan_with(team, WORK, SLEEP)
    work, _sleep = plan.goals.all()
    client.force_login(team.manager)
    url = reverse("pathways:plan_review", kwargs={"public_id": plan.episode.public_id})

    response = client.post(url, {f"goal_{work.pk}": "1"})

    assert response.status_code == 400
    assert "Choose the level the client has reached." in response.content.decode()
    assert not PlanReview.objects.exists()


def test_the_latest_review_shows_each_goal_with_the_level_reached_and_the_t_score(team, client):
    plan = plan_with(team, WORK, SLEEP, RHYTHM)
    review(team, plan, [0, 0, 0], reviewed_on=TODAY - timedelta(days=20))
    review(team, plan, [1, -1, 0], reviewed_on=TODAY - timedelta(days=1), note="Hyvä kevät")
    client.force_login(team.manager)

    pages = [
        client.get(reverse(name, kwargs={"public_id": plan.episode.public_id}))
        for name in ("pathways:episode", "pathways:plan_review")
    ]

    for page in pages:
        text = plain_table_markup(page.content.decode())
        assert page.status_code == 200
        assert "GAS T-score" in text
        assert '<p class="score-summary__value">55.5</p>' in text
        assert (
            f"<td>{WORK.text}</td><td><strong>+1 somewhat more than expected</strong>"
            "<br>Työkokeilu neljänä päivänä viikossa.</td><td>6</td>" in text
        )
        assert f"<td>{RHYTHM.text}</td><td><strong>0 expected level</strong></td>" in text
    episode_page = plain_table_markup(pages[0].content.decode())
    assert "<td>50.0</td>" in episode_page  # the earlier review, in the list of all reviews
    assert "Hyvä kevät" in episode_page


def test_importance_without_difficulty_is_refused_next_to_the_field(team, client):
    plan = plan_with(team, RHYTHM)
    url = reverse("pathways:plan_edit", kwargs={"public_id": plan.episode.public_id})
    client.force_login(team.manager)
    values = form_values(client.get(url))
    values["goals-0-importance"] = "2"

    response = client.post(url, values)

    assert response.status_code == 400
    assert (
        'id="id_goals-0-difficulty_errors"><li>Give both the importance and the difficulty, '
        "or neither.</li>" in response.content.decode()
    )
    goal = Goal.objects.get()
    assert (goal.importance, goal.difficulty, Plan.objects.get().version) == (None, None, 1)
