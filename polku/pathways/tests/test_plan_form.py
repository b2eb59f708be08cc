"""The plan form keeps every goal and action; plan and review dates stay in their range;
a handover answered twice is explained, not a server error."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from polku.pathways import services
from polku.pathways.models import (
    CaseManagerAssignment,
    Handover,
    Plan,
    PlanAction,
    PlanReview,
    PlanVersion,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
FAR_FUTURE = date(9999, 12, 31)


class FormValues(HTMLParser):
    """What a browser sends for the page's form (without pressing any button)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "checkbox", "radio"):
            self.values[name] = a.get("value", "")
        elif tag == "input" and name and "checked" in a:
            self.values[name] = a.get("value", "on")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""
        elif tag == "select":
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            if self._textarea:
                # A browser drops the one newline that follows <textarea>.
                self.values[self._textarea] = self.values[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_values(response) -> dict[str, str]:
    parser = FormValues()
    parser.feed(response.content.decode())
    parser.values.pop("csrfmiddlewaretoken", None)
    return parser.values


def open_episode(team, **kwargs):
    return services.open_episode(
        actor=team.actor(),
        client=team.client,
        programme=team.programme,
        organisation=team.org_a,
        started_on=TODAY - timedelta(days=30),
        case_manager=team.manager,
        **kwargs,
    )


def plan_contents(plan: Plan) -> tuple[list[tuple], list[tuple]]:
    goals = [
        (
            goal.pk,
            goal.text,
            goal.baseline,
            goal.baseline_level,
            tuple(goal.level_texts().values()),
            goal.importance,
            goal.difficulty,
        )
        for goal in plan.goals.order_by("position")
    ]
    actions = [
        (a.text, a.goal.text if a.goal else None, a.owner_is_client, a.due_on, a.done_on)
        for a in plan.actions.order_by("pk").select_related("goal")
    ]
    return goals, actions


def levels(n: int) -> tuple[str, str, str, str, str]:
    return (f"Huonompi {n}", f"Alku {n}", f"Odotettu {n}", f"Parempi {n}", f"Paljon {n}")


def test_saving_the_plan_form_keeps_every_goal_and_action(team, client):
    episode = open_episode(team)
    plan = services.save_plan(
        actor=team.actor(),
        episode=episode,
        goals=[
            services.GoalInput(
                f"Tavoite {n}",
                baseline=f"Lähtötilanne {n}" if n % 2 else "",
                baseline_level=(-1, -2, 0)[n % 3],
                levels=levels(n) if n % 2 else ("", "", f"Odotettu {n}", "", ""),
                importance=n % 4 if n > 2 else None,
                difficulty=3 if n > 2 else None,
            )
            for n in range(1, 9)
        ],
        actions=[
            services.ActionInput(
                f"Toimenpide {n}",
                goal_position=n % 8,
                owner_is_client=n % 2 == 0,
                due_on=TODAY + timedelta(days=n),
                done_on=TODAY - timedelta(days=n) if n > 6 else None,
            )
            for n in range(1, 10)
        ],
    )
    before = plan_contents(plan)
    url = reverse("pathways:plan_edit", kwargs={"public_id": episode.public_id})
    client.force_login(team.manager)
    values = form_values(client.get(url))

    response = client.post(url, {**values, "change_note": "Tarkistettu"})

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version == 2
    assert plan_contents(plan) == before
    assert len(before[0]) == 8
    assert len(before[1]) == 9


def test_the_add_buttons_show_the_form_again_with_one_more_row_and_save_nothing(team, client):
    # Given a plan with eight goals and nine actions
    episode = open_episode(team)
    services.save_plan(
        actor=team.actor(),
        episode=episode,
        goals=[services.GoalInput(f"Tavoite {n}") for n in range(1, 9)],
        actions=[services.ActionInput(f"Toimenpide {n}") for n in range(1, 10)],
    )
    url = reverse("pathways:plan_edit", kwargs={"public_id": episode.public_id})
    client.force_login(team.manager)
    values = form_values(client.get(url))
    assert "goals-8-text" not in values  # no blank rows: the buttons add them

    # When a goal is added (without scripts), then an action that serves the new goal
    with_goal = client.post(url, {**values, "add": "goal"})
    assert with_goal.status_code == 200
    values = form_values(with_goal)
    assert values["goals-8-text"] == ""
    values["goals-8-text"] = "Tavoite 9"
    values["goals-8-level_0"] = "Odotettu 9"
    with_action = client.post(url, {**values, "add": "action"})
    assert with_action.status_code == 200
    assert 'value="8">Goal 9: Tavoite 9</option>' in with_action.content.decode()
    assert Plan.objects.get(episode=episode).version == 1  # nothing saved yet
    values = form_values(with_action)
    assert values["goals-8-text"] == "Tavoite 9"
    values["actions-9-text"] = "Toimenpide 10"
    values["actions-9-goal"] = "8"
    saved = client.post(url, values)

    # Then the plan has both, the new action serving the new goal
    assert saved.status_code == 302
    plan = Plan.objects.get(episode=episode)
    assert plan.version == 2
    goals = list(plan.goals.order_by("position"))
    assert [goal.text for goal in goals] == [f"Tavoite {n}" for n in range(1, 10)]
    assert goals[-1].level_0 == "Odotettu 9"
    actions = list(plan.actions.order_by("pk").select_related("goal"))
    assert [action.text for action in actions] == [f"Toimenpide {n}" for n in range(1, 11)]
    assert actions[-1].goal == goals[-1]


def test_a_new_plans_form_starts_with_one_goal_and_one_action_row(team, client):
    episode = open_episode(team)
    client.force_login(team.manager)

    page = client.get(reverse("pathways:plan_edit", kwargs={"public_id": episode.public_id}))

    text = page.content.decode()
    values = form_values(page)
    assert "Goal 1 in the client&#x27;s own words" in text
    assert "goals-0-text" in values
    assert "actions-0-text" in values
    assert "goals-1-text" not in values
    assert "actions-1-text" not in values
    assert (values["goals-TOTAL_FORMS"], values["actions-TOTAL_FORMS"]) == ("1", "1")
    # The rows that scripts copy for a new goal or action are in the page, unnumbered
    assert 'name="goals-__prefix__-text"' in text
    assert "Goal __number__ in the client" in text
    assert 'src="/static/pathways/plan_form.js"' in text


def test_a_plan_form_without_its_rows_is_refused_and_changes_nothing(team, client):
    episode = open_episode(team)
    services.save_plan(actor=team.actor(), episode=episode, goals=[services.GoalInput("Töihin")])
    url = reverse("pathways:plan_edit", kwargs={"public_id": episode.public_id})
    client.force_login(team.manager)

    response = client.post(url, {"change_note": "Vanha lomake"})

    assert response.status_code == 400
    assert "Please check the following" in response.content.decode()
    assert PlanVersion.objects.filter(plan__episode=episode).count() == 1
    assert list(Plan.objects.get(episode=episode).goals.values_list("text", flat=True)) == [
        "Töihin"
    ]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"next_review_on": FAR_FUTURE}, "next_review_on"),
        ({"next_review_on": TODAY - timedelta(days=31)}, "next_review_on"),  # before the start
        ({"client_agreed_on": TODAY + timedelta(days=1)}, "client_agreed_on"),
        ({"client_agreed_on": date(1, 1, 1)}, "client_agreed_on"),
        ({"actions": [services.ActionInput("Kurssi", due_on=FAR_FUTURE)]}, "actions"),
        (
            {"actions": [services.ActionInput("Kurssi", done_on=TODAY + timedelta(days=1))]},
            "actions",
        ),
    ],
)
def test_plan_dates_out_of_range_are_refused_and_change_nothing(team, fields, problem):
    episode = open_episode(team)

    with pytest.raises(ValidationError) as refused:
        services.save_plan(
            actor=team.actor(), episode=episode, goals=[services.GoalInput("Töihin")], **fields
        )

    assert list(refused.value.message_dict) == [problem]
    assert not Plan.objects.filter(episode=episode).exists()
    assert not PlanAction.objects.exists()


def test_plan_dates_at_the_ends_of_their_range_are_accepted(team):
    episode = open_episode(team)
    latest = TODAY.replace(year=TODAY.year + 5) if (TODAY.month, TODAY.day) != (2, 29) else None

    plan = services.save_plan(
        actor=team.actor(),
        episode=episode,
        goals=[services.GoalInput("Töihin")],
        actions=[services.ActionInput("Kurssi", due_on=latest, done_on=TODAY)],
        next_review_on=episode.started_on,
        client_agreed_on=TODAY,
    )

    assert (plan.next_review_on, plan.client_agreed_on) == (episode.started_on, TODAY)
    with pytest.raises(ValidationError):
        services.save_plan(
            actor=team.actor(),
            episode=episode,
            goals=[services.GoalInput("Töihin")],
            next_review_on=(latest or TODAY.replace(year=TODAY.year + 5, day=28))
            + timedelta(days=1),
        )


def test_a_review_dated_far_ahead_is_refused_on_the_page_and_changes_nothing(team, client):
    episode = open_episode(team)
    plan = services.save_plan(
        actor=team.actor(), episode=episode, goals=[services.GoalInput("Töihin")]
    )
    goal = plan.goals.get()
    url = reverse("pathways:plan_review", kwargs={"public_id": episode.public_id})
    client.force_login(team.manager)

    held_later = client.post(url, {f"goal_{goal.pk}": "1", "reviewed_on": "9999-12-31"})
    next_far = client.post(url, {f"goal_{goal.pk}": "1", "next_review_on": "9999-12-31"})

    for response in (held_later, next_far):
        assert response.status_code == 400
        assert "The date must be between the start of the episode" in response.content.decode()
    assert not PlanReview.objects.exists()
    plan.refresh_from_db()
    assert plan.next_review_on is None


def test_a_review_held_today_is_accepted(team):
    episode = open_episode(team)
    plan = services.save_plan(
        actor=team.actor(), episode=episode, goals=[services.GoalInput("Töihin")]
    )

    review = services.review_plan(
        actor=team.actor(),
        plan=plan,
        attainments={plan.goals.get().pk: 0},
        reviewed_on=TODAY,
    )

    assert review.reviewed_on == TODAY
    with pytest.raises(ValidationError, match="and today"):
        services.review_plan(
            actor=team.actor(),
            plan=plan,
            attainments={plan.goals.get().pk: 0},
            reviewed_on=TODAY + timedelta(days=1),
        )


def test_answering_a_handover_twice_is_explained_and_changes_nothing(team, client):
    episode = open_episode(team)
    handover = services.propose_handover(
        actor=team.actor(), episode=episode, to_user=team.colleague
    )
    url = reverse("pathways:answer_handover", kwargs={"handover_id": handover.pk})
    client.force_login(team.colleague)
    assert client.post(url, {"answer": "accept"}).status_code == 302
    assignments = list(CaseManagerAssignment.objects.values_list("pk", "user_id", "ended_at"))

    again = client.post(url, {"answer": "decline"})

    assert again.status_code == 409
    assert "This handover has already been answered." in again.content.decode()
    handover.refresh_from_db()
    assert handover.state == "accepted"
    assert list(CaseManagerAssignment.objects.values_list("pk", "user_id", "ended_at")) == (
        assignments
    )
    assert Handover.objects.count() == 1
