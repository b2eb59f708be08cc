"""Tasks from the plan: on the owner's worklist or the organisation's queue, overdue
marking, done and undone from the worklist and the episode page, the client's own actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from polku.audit.models import AccessLogEntry
from polku.pathways import selectors, services
from polku.pathways.models import Episode, PlanAction
from polku.pathways.tests.test_plan_form import form_values
from polku.pathways.tests.test_query_counts import consent_to_b as consent_to
from polku.pathways.tests.test_query_counts import new_client, queries_for
from polku.policy.actors import Actor

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@dataclass
class Plan:
    episode: Episode
    own: PlanAction  # the case manager's, three days late
    queue: PlanAction  # organisation A's, no person named, due tomorrow
    clients: PlanAction  # the client's own
    elsewhere: PlanAction  # a physician's of organisation B, due today

    def action(self, text: str) -> PlanAction:
        return PlanAction.objects.get(plan__episode=self.episode, text=text)


def make_plan(team, client=None, episode=None, extra=()) -> Plan:
    episode = episode or services.open_episode(
        actor=team.actor(),
        client=client or team.client,
        programme=team.programme,
        organisation=team.org_a,
        case_manager=team.manager,
        started_on=TODAY - timedelta(days=30),
    )
    services.save_plan(
        actor=team.actor(),
        episode=episode,
        goals=[services.GoalInput("Haluan töihin puusepänverstaalle")],
        actions=[
            services.ActionInput(
                "Soita Kelaan kuntoutuksesta",
                owner_user=team.manager,
                due_on=TODAY - timedelta(days=3),
            ),
            services.ActionInput(
                "Varaa työkokeilupaikka",
                owner_organisation=team.org_a,
                due_on=TODAY + timedelta(days=1),
            ),
            services.ActionInput(
                "Hae kuntosalikortti", owner_is_client=True, due_on=TODAY + timedelta(days=10)
            ),
            services.ActionInput(
                "Kirjoita lääkärinlausunto", owner_user=team.receiver, due_on=TODAY
            ),
            *extra,
        ],
    )
    actions = {a.text: a for a in PlanAction.objects.filter(plan__episode=episode)}
    return Plan(
        episode,
        actions["Soita Kelaan kuntoutuksesta"],
        actions["Varaa työkokeilupaikka"],
        actions["Hae kuntosalikortti"],
        actions["Kirjoita lääkärinlausunto"],
    )


def consent_to_b(team) -> None:
    """The client lets A disclose basic details and the plan to B."""
    consent_to(team, team.client)


def tasks_of(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    worklist = response.context["worklist"]
    return response, worklist


def texts(rows) -> list[str]:
    return [row.action.text for row in rows]


def rows_about(client_public_id, user) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(client_public_id=client_public_id, actor_id=user.pk))


# On the worklist --------------------------------------------------------------------------


def test_the_owners_tasks_are_on_their_worklist_with_how_late_each_is(team, client):
    plan = make_plan(team)

    response, worklist = tasks_of(client, team.manager)

    assert texts(worklist.tasks) == ["Soita Kelaan kuntoutuksesta"]
    [row] = worklist.tasks
    assert (row.visible, row.may_complete, row.days_late) == (True, True, 3)
    page = response.content.decode()
    assert "3 days late" in page
    assert "Polkunen, Pauli" in page
    # the organisation's queue is the manager's too, as a client worker of organisation A
    assert texts(worklist.queue) == ["Varaa työkokeilupaikka"]
    # the client's own action is nobody's task
    assert "Hae kuntosalikortti" not in page
    assert plan.clients.pk not in {r.action.pk for r in worklist.tasks + worklist.queue}


def test_the_organisations_queue_is_on_every_client_workers_worklist_there(team, client):
    make_plan(team)

    _response, worklist = tasks_of(client, team.colleague)

    assert texts(worklist.tasks) == []
    assert texts(worklist.queue) == ["Varaa työkokeilupaikka"]
    [row] = worklist.queue
    assert (row.visible, row.may_complete, row.days_late) == (True, True, 0)


def test_an_outsider_sees_no_task_and_leaves_no_trace(team, client):
    make_plan(team)

    response, worklist = tasks_of(client, team.outsider)

    assert (worklist.tasks, worklist.queue, worklist.recently_done) == ([], [], [])
    assert "Pauli" not in response.content.decode()
    assert rows_about(team.client.public_id, team.outsider) == []


def test_a_task_in_a_plan_the_owner_may_not_see_is_listed_without_client_or_text(team, client):
    # given an action of organisation A's plan given to a physician of organisation B,
    # and no consent that lets B read A's plan
    make_plan(team)

    response, worklist = tasks_of(client, team.receiver)

    # then the physician sees that a task of A's plan is due, and nothing of the client
    [row] = worklist.tasks
    assert (row.visible, row.may_complete) == (False, False)
    page = response.content.decode()
    assert "A task in a plan of Työllisyysalue A" in page
    assert "Kirjoita lääkärinlausunto" not in page
    assert "Pauli" not in page
    assert rows_about(team.client.public_id, team.receiver) == []


def test_with_the_clients_consent_the_owner_sees_the_task_but_only_the_plans_owner_marks_it_done(
    team, client
):
    consent_to_b(team)
    make_plan(team)

    response, worklist = tasks_of(client, team.receiver)

    [row] = worklist.tasks
    assert (row.visible, row.may_complete) == (True, False)
    page = response.content.decode()
    assert "Kirjoita lääkärinlausunto" in page
    assert "organisation can mark it done." in page
    [logged] = rows_about(team.client.public_id, team.receiver)
    assert (logged.action, logged.basis) == ("list", "consent")


def test_tasks_of_an_ended_episode_leave_the_worklist(team, client):
    plan = make_plan(team)
    services.end_episode(actor=team.actor(), episode=plan.episode, end_reason="moved")

    _response, worklist = tasks_of(client, team.manager)

    assert (worklist.tasks, worklist.queue) == ([], [])


# Done and undone --------------------------------------------------------------------------


def post_done(client, plan, action, done="yes", back="home"):
    url = reverse("pathways:plan_action_done", kwargs={"public_id": plan.episode.public_id})
    return client.post(url, {"action": action.pk, "done": done, "back": back})


def events(user) -> list[str]:
    return list(
        AccessLogEntry.objects.filter(actor_id=user.pk)
        .exclude(event="")
        .order_by("sequence")
        .values_list("event", flat=True)
    )


def test_a_task_is_marked_done_from_the_worklist_without_a_new_plan_version(team, client):
    plan = make_plan(team)
    client.force_login(team.manager)
    version = plan.episode.plan.version

    response = post_done(client, plan, plan.own)

    assert response.status_code == 302
    assert response.url == reverse("home")
    plan.own.refresh_from_db()
    assert plan.own.done_on == TODAY
    plan.episode.plan.refresh_from_db()
    assert plan.episode.plan.version == version
    assert events(team.manager)[-1] == "plan_action_done"
    _response, worklist = tasks_of(client, team.manager)
    assert texts(worklist.tasks) == []
    assert texts(worklist.recently_done) == ["Soita Kelaan kuntoutuksesta"]


def test_done_by_mistake_is_undone_and_both_acts_are_logged(team, client):
    plan = make_plan(team)
    client.force_login(team.manager)
    post_done(client, plan, plan.queue)

    response = post_done(client, plan, plan.queue, done="no", back="episode")

    assert response.status_code == 302
    assert response.url == reverse("pathways:episode", kwargs={"public_id": plan.episode.public_id})
    plan.queue.refresh_from_db()
    assert plan.queue.done_on is None
    assert events(team.manager)[-2:] == ["plan_action_done", "plan_action_reopened"]
    _response, worklist = tasks_of(client, team.colleague)
    assert texts(worklist.queue) == ["Varaa työkokeilupaikka"]


def test_a_plan_saved_from_a_form_opened_before_a_task_was_done_keeps_the_task_and_its_date(
    team, client
):
    plan = make_plan(team)
    client.force_login(team.manager)
    url = reverse("pathways:plan_edit", kwargs={"public_id": plan.episode.public_id})
    values = form_values(client.get(url))  # the case manager opens the plan form
    post_done(client, plan, plan.own)  # meanwhile the task is marked done on the worklist
    row = next(k for k, v in values.items() if v == "Soita Kelaan kuntoutuksesta")
    values[row.replace("-text", "-due")] = (TODAY + timedelta(days=5)).isoformat()

    response = client.post(url, {**values, "change_note": "Uusi määräpäivä"})

    assert response.status_code == 302
    own = PlanAction.objects.get(pk=plan.own.pk)  # the same task, not a copy
    assert (own.done_on, own.due_on) == (TODAY, TODAY + timedelta(days=5))
    assert PlanAction.objects.filter(plan__episode=plan.episode).count() == 4
    # A done date the editor changes on the form is the one saved.
    values = form_values(client.get(url))
    values[row.replace("-text", "-done")] = ""
    client.post(url, values)
    own.refresh_from_db()
    assert own.done_on is None


def test_an_action_id_of_another_plan_posted_in_the_form_adds_a_new_action_there(team, client):
    mine, other = make_plan(team), make_plan(team, client=new_client(team, 1))
    client.force_login(team.manager)
    url = reverse("pathways:plan_edit", kwargs={"public_id": mine.episode.public_id})
    values = form_values(client.get(url))
    row = next(k for k, v in values.items() if v == "Soita Kelaan kuntoutuksesta")
    values[row.replace("-text", "-id")] = str(other.own.pk)

    assert client.post(url, values).status_code == 302

    other.own.refresh_from_db()
    assert other.own.plan.episode == other.episode
    assert other.own.text == "Soita Kelaan kuntoutuksesta"
    assert not PlanAction.objects.filter(pk=mine.own.pk).exists()
    assert PlanAction.objects.filter(plan__episode=mine.episode).count() == 4


@pytest.mark.parametrize(
    ("who", "consent", "status"),
    [("outsider", False, 404), ("receiver", False, 404), ("receiver", True, 403)],
)
def test_posting_done_without_the_right_to_change_the_plan_changes_nothing(
    team, client, who, consent, status
):
    # given a physician of B who owns the task, with or without the client's consent to
    # read A's plan, or an outsider
    if consent:
        consent_to_b(team)
    plan = make_plan(team)
    client.force_login(getattr(team, who))
    before = AccessLogEntry.objects.count()

    # when they post it done
    response = post_done(client, plan, plan.elsewhere)

    # then a reader hears no, anyone else that there is nothing; nothing changed or logged
    assert response.status_code == status
    plan.elsewhere.refresh_from_db()
    assert plan.elsewhere.done_on is None
    assert AccessLogEntry.objects.count() == before


def test_an_action_no_longer_in_the_plan_is_said_so_and_nothing_changes(team, client):
    plan = make_plan(team)
    other = make_plan(team, client=new_client(team, 2))
    client.force_login(team.manager)

    # an action of another episode's plan, posted to this episode
    response = post_done(client, plan, other.own)

    assert response.status_code == 302
    other.own.refresh_from_db()
    assert other.own.done_on is None
    page = client.get(reverse("home")).content.decode()
    assert "The action is no longer in the plan" in page


def test_marking_done_twice_or_undoing_an_open_action_is_refused(team):
    plan = make_plan(team)
    services.complete_plan_action(actor=team.actor(), action=plan.own)

    with pytest.raises(ValidationError, match="already marked done"):
        services.complete_plan_action(actor=team.actor(), action=plan.own)
    with pytest.raises(ValidationError, match="not marked done"):
        services.reopen_plan_action(actor=team.actor(), action=plan.queue)


def test_an_action_of_an_ended_episode_is_not_marked_done(team, client):
    plan = make_plan(team)
    services.end_episode(actor=team.actor(), episode=plan.episode, end_reason="moved")
    client.force_login(team.manager)

    post_done(client, plan, plan.own, back="episode")

    plan.own.refresh_from_db()
    assert plan.own.done_on is None
    with pytest.raises(ValidationError, match="The episode has ended"):
        services.complete_plan_action(actor=team.actor(), action=plan.own)


def test_a_done_date_before_the_episode_started_is_refused(team):
    plan = make_plan(team)

    with pytest.raises(ValidationError, match="between the start of the episode"):
        services.complete_plan_action(
            actor=team.actor(), action=plan.own, done_on=TODAY - timedelta(days=60)
        )

    plan.own.refresh_from_db()
    assert plan.own.done_on is None


# On the episode page -------------------------------------------------------------------------


def test_the_episode_page_lists_the_actions_and_the_clients_own_with_done_buttons(team, client):
    plan = make_plan(team)
    services.complete_plan_action(actor=team.actor(), action=plan.queue)
    client.force_login(team.manager)

    response = client.get(reverse("pathways:episode", kwargs={"public_id": plan.episode.public_id}))

    view = response.context["view"]
    assert [a.text for a in view.actions] == [
        "Soita Kelaan kuntoutuksesta",
        "Kirjoita lääkärinlausunto",
        "Varaa työkokeilupaikka",
    ]
    assert [a.text for a in view.client_actions] == ["Hae kuntosalikortti"]
    page = response.content.decode()
    assert "own actions</h3>" in page
    assert "3 days late" in page
    assert f"done {TODAY:%-d.%-m.%Y}" in page
    assert page.count('name="done" value="yes"') == 3
    assert page.count('name="done" value="no"') == 1


def test_a_reader_sees_the_actions_without_done_buttons(team, client):
    consent_to_b(team)
    plan = make_plan(team)
    client.force_login(team.receiver)

    response = client.get(reverse("pathways:episode", kwargs={"public_id": plan.episode.public_id}))

    page = response.content.decode()
    assert "Soita Kelaan kuntoutuksesta" in page
    assert 'name="done"' not in page


# The client's own actions, for the portal --------------------------------------------------


def test_the_client_reads_their_own_actions_and_the_look_is_logged(team):
    make_plan(team)

    actions = selectors.client_actions(Actor.client_self(team.client), team.client.public_id)

    assert [a.text for a in actions] == ["Hae kuntosalikortti"]
    bases = set(
        AccessLogEntry.objects.filter(
            client_public_id=team.client.public_id, actor_kind="client"
        ).values_list("basis", flat=True)
    )
    assert bases == {"client_self"}


def test_an_outsider_asking_for_the_clients_own_actions_gets_nothing(team):
    make_plan(team)

    with pytest.raises(Http404):
        selectors.client_actions(team.actor(team.outsider), team.client.public_id)


# Query-count guard ----------------------------------------------------------------------------


def test_the_worklist_asks_as_many_queries_for_twenty_tasks_as_for_one(team, client):
    # given one plan with own, queue and done tasks on the manager's worklist
    consent_to_b(team)
    first = make_plan(team)
    services.complete_plan_action(actor=team.actor(), action=first.queue)
    client.force_login(team.manager)
    one = queries_for(client, reverse("home"))

    # when there are twenty such plans, of twenty clients
    for number in range(2, 21):
        plan = make_plan(team, client=new_client(team, number))
        services.complete_plan_action(actor=team.actor(), action=plan.queue)
    twenty = queries_for(client, reverse("home"))

    # then the worklist asks the database as often
    _response, worklist = tasks_of(client, team.manager)
    assert len(worklist.tasks) == 20
    assert len(worklist.recently_done) == 20
    assert twenty == one
