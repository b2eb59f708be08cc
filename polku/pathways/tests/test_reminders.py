"""The daily task reminder: counts and a link, no client data, one e-mail a person a day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from polku.accounts.models import Membership
from polku.core import daily
from polku.pathways import services
from polku.pathways.models import TaskReminder
from polku.pathways.reminders import remind_tasks
from polku.pathways.tasks import remind_tasks as remind_tasks_task
from polku.pathways.tests.test_query_counts import new_client
from polku.pathways.tests.test_tasks import make_plan

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def run(today=TODAY, **kwargs):
    return remind_tasks(today=today, **kwargs)


def test_each_owner_gets_one_email_with_counts_and_a_link_and_no_client_data(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    # given the manager's task three days late and another due tomorrow, the physician's
    # due today, the organisation's queue and the client's own
    make_plan(
        team,
        extra=[
            services.ActionInput(
                "Selvitä palkkatuki", owner_user=team.manager, due_on=TODAY + timedelta(days=1)
            )
        ],
    )

    # when the daily reminder runs
    with django_capture_on_commit_callbacks(execute=True):
        report = run()

    # then the manager and the physician are reminded, each once, of their own tasks only
    assert report.reminded == 2
    by_address = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_address) == ["manager@example.invalid", "receiver@example.invalid"]
    to_manager = by_address["manager@example.invalid"]
    assert to_manager.subject == "Polku: tehtäviä odottaa sinua"
    assert "1 tehtävä on myöhässä." in to_manager.body
    assert "1 tehtävä erääntyy huomenna." in to_manager.body
    assert "erääntyy tänään" not in to_manager.body
    assert "http://127.0.0.1:8000/" in to_manager.body
    assert "1 tehtävä erääntyy tänään." in by_address["receiver@example.invalid"].body
    # and no e-mail says whose or what
    for message in mailoutbox:
        for text in (message.subject, message.body):
            for secret in (
                "Pauli",
                "Polkunen",
                "Kela",
                "palkkatuki",
                "lääkärinlausunto",
                "Työllisyysalue",
                str(team.client.public_id),
            ):
                assert secret.lower() not in text.lower()
    reminders = TaskReminder.objects.values_list("user__username", "overdue", "due_tomorrow")
    assert sorted(reminders) == [("manager", 1, 1), ("receiver", 0, 0)]


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_reminds_again(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    make_plan(team)
    with django_capture_on_commit_callbacks(execute=True):
        run()
    sent = len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        again = run()

    assert again.reminded == 0
    assert len(mailoutbox) == sent
    with django_capture_on_commit_callbacks(execute=True):
        tomorrow = run(today=TODAY + timedelta(days=1))
    assert tomorrow.reminded == sent
    assert len(mailoutbox) == 2 * sent


def test_done_tasks_later_tasks_and_tasks_of_an_ended_episode_remind_no_one(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    # given the due tasks of one plan done (its queue's and the client's own are due too,
    # but they are nobody's to be reminded of)
    plan = make_plan(team)
    services.complete_plan_action(actor=team.actor(), action=plan.own)
    services.complete_plan_action(actor=team.actor(), action=plan.elsewhere)
    # and an episode with overdue tasks ended
    ended = make_plan(team, client=new_client(team, 2))
    services.end_episode(actor=team.actor(), episode=ended.episode, end_reason="moved")
    # and the colleague's task due in two days
    services.save_plan(
        actor=team.actor(),
        episode=make_plan(team, client=new_client(team, 3)).episode,
        goals=[services.GoalInput("Töihin")],
        actions=[
            services.ActionInput(
                "Myöhemmin", owner_user=team.colleague, due_on=TODAY + timedelta(days=2)
            )
        ],
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = run()

    assert report.reminded == 0
    assert mailoutbox == []


def test_no_address_or_no_client_work_today_means_no_reminder(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    make_plan(team)
    team.manager.email = ""
    team.manager.save()
    Membership.objects.filter(user=team.receiver).update(
        valid_from=TODAY - timedelta(days=30), valid_until=TODAY - timedelta(days=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = run()

    assert report.reminded == 0
    assert mailoutbox == []


def test_the_daily_run_goes_a_chunk_of_professionals_at_a_time(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    make_plan(team)

    with django_capture_on_commit_callbacks(execute=True):
        report = run(chunk_size=1)

    assert report.reminded == 2
    assert len(mailoutbox) == 2


def test_the_reminder_is_a_daily_task_in_the_queue(team, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    make_plan(team)

    assert remind_tasks_task in daily.tasks()
    with translation.override("en"):
        result = remind_tasks_task.enqueue()

    assert result.return_value == {"reminded": 2, "skipped": 0}
    assert TaskReminder.objects.count() == 2
