"""Goals weighted 1–10 before Goal Attainment Scaling's importance × difficulty: the data
migration gives each the nearest weight and leaves every review's T-score as it was."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from polku.audit.roles import grant_app_role, switch_user
from polku.pathways import selectors, services
from polku.pathways.models import Goal, PlanReview

BEFORE = ("pathways", "0004_team_member_periods")
AFTER = ("pathways", "0005_goal_attainment_scaling")
migration = importlib.import_module("polku.pathways.migrations.0005_goal_attainment_scaling")


@pytest.mark.parametrize("weight", range(1, 11))
def test_each_old_weight_becomes_the_nearest_product_of_importance_and_difficulty(weight):
    importance, difficulty = migration.FACTORS[weight]
    new = 1 if importance is None else importance * difficulty
    products = {1, *(i * d for i in range(4) for d in range(4))}

    assert abs(new - weight) == min(abs(p - weight) for p in products)
    assert importance is None or importance >= difficulty


@contextmanager
def as_owner() -> Iterator[None]:
    """The schema is changed by the database's owner (PostgreSQL runs test as the app)."""
    if connection.vendor != "postgresql":
        yield
        return
    previous = switch_user(connection, USER="polku_test_owner")
    try:
        yield
    finally:
        # Tables dropped and made again belong to the owner: give the app its grants back.
        grant_app_role(connection, previous["USER"])
        switch_user(connection, **previous)


def migrate(target: tuple[str, str]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_weights_into_importance_and_difficulty(team):
    # Given a plan reviewed under the old weights 1, 5 and 9
    episode = services.open_episode(
        actor=team.actor(), client=team.client, programme=team.programme, organisation=team.org_a
    )
    plan = services.save_plan(
        actor=team.actor(),
        episode=episode,
        goals=[services.GoalInput(text) for text in ("Yksi", "Viisi", "Yhdeksän")],
    )
    goals = {goal.text: goal.pk for goal in plan.goals.all()}
    review = services.review_plan(
        actor=team.actor(),
        plan=plan,
        attainments={goals["Yksi"]: 1, goals["Viisi"]: -1, goals["Yhdeksän"]: 2},
    )
    with as_owner():
        try:
            old = migrate(BEFORE).loader.project_state([BEFORE]).apps
            for text, weight in (("Viisi", 5), ("Yhdeksän", 9)):
                old.get_model("pathways", "Goal").objects.filter(pk=goals[text]).update(
                    weight=weight
                )

            # When the migration runs
            migrate(AFTER)
        finally:
            executor = MigrationExecutor(connection)
            executor.migrate(executor.loader.graph.leaf_nodes())

    # Then each goal has its nearest importance × difficulty, and the review its old weights
    weighted = {
        goal.text: (goal.importance, goal.difficulty, goal.weight) for goal in Goal.objects.all()
    }
    assert weighted == {"Yksi": (None, None, 1), "Viisi": (2, 2, 4), "Yhdeksän": (3, 3, 9)}
    summary = selectors.review_summary(
        PlanReview.objects.prefetch_related("attainments__goal").get(pk=review.pk)
    )
    assert [row.weight for row in summary.rows] == [1, 5, 9]
    # Kiresuk & Sherman: Σwx = 1 − 5 + 18 = 14, Σw² = 107, Σw = 15,
    # T = 50 + 140 / √(0.7·107 + 0.3·225) = 50 + 140 / √142.4
    assert summary.t_score == pytest.approx(50 + 140 / 142.4**0.5)
