"""Each alert rule: raised when its condition holds, cleared when the condition is gone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from polku.clients.models import Client
from polku.clients.services import record_consent
from polku.pathways import services
from polku.pathways.alerts import refresh_alerts
from polku.pathways.models import Alert
from polku.policy.enums import ConsentMethod, DataCategory, Purpose

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def open_alerts():
    return sorted(
        (a.kind, a.recipient.username) for a in Alert.objects.open().select_related("recipient")
    )


def episode(team, days_ago=10, case_manager=True):
    return services.open_episode(
        actor=team.actor(),
        client=team.client,
        programme=team.programme,
        organisation=team.org_a,
        started_on=TODAY - timedelta(days=days_ago),
        case_manager=team.manager if case_manager else None,
    )


def test_an_episode_without_a_case_manager_alerts_its_opener_until_one_is_named(team):
    item = episode(team, case_manager=False)

    refresh_alerts()
    assert open_alerts() == [("no_case_manager", "manager")]

    services.assign_case_manager(actor=team.actor(), episode=item, user=team.colleague)
    report = refresh_alerts()

    assert open_alerts() == []
    assert report.cleared == 1


def test_the_joint_assessment_is_due_within_three_months(team):
    item = episode(team, days_ago=95)
    services.add_journal_entry(
        actor=team.actor(),
        client=team.client,
        organisation=team.org_a,
        register="employment_services",
        entry_type="meeting",
        text="Tapaaminen",
    )

    refresh_alerts()
    assert open_alerts() == [("assessment_overdue", "manager")]

    services.change_phase(actor=team.actor(), episode=item, phase="rehabilitation")
    refresh_alerts()
    assert open_alerts() == []


def test_no_contact_for_too_long_alerts_the_case_manager_until_contact(team):
    item = episode(team, days_ago=61)
    services.change_phase(actor=team.actor(), episode=item, phase="rehabilitation")

    refresh_alerts()
    assert open_alerts() == [("no_contact", "manager")]

    services.add_journal_entry(
        actor=team.actor(),
        client=team.client,
        organisation=team.org_a,
        register="employment_services",
        entry_type="phone_call",
        text="Soitto",
    )
    refresh_alerts()
    assert open_alerts() == []


def test_an_overdue_plan_review_alerts_until_the_plan_is_reviewed(team):
    item = episode(team)
    plan = services.save_plan(
        actor=team.actor(),
        episode=item,
        goals=[services.GoalInput("Töihin")],
        next_review_on=TODAY - timedelta(days=1),
    )

    refresh_alerts()
    assert open_alerts() == [("plan_review_overdue", "manager")]

    services.review_plan(
        actor=team.actor(),
        plan=plan,
        attainments={plan.goals.get().pk: 0},
        next_review_on=TODAY + timedelta(days=180),
    )
    refresh_alerts()
    assert open_alerts() == []


def test_the_plan_is_reviewed_at_least_every_six_months(team):
    item = episode(team)
    services.save_plan(actor=team.actor(), episode=item, goals=[services.GoalInput("Töihin")])

    refresh_alerts(today=TODAY + timedelta(days=181))
    assert ("plan_review_overdue", "manager") not in open_alerts()

    refresh_alerts(today=TODAY + timedelta(days=183))
    assert ("plan_review_overdue", "manager") in open_alerts()


def test_too_long_in_one_phase_alerts_until_the_phase_changes(team):
    item = episode(team, days_ago=400)
    services.add_journal_entry(
        actor=team.actor(),
        client=team.client,
        organisation=team.org_a,
        register="employment_services",
        entry_type="meeting",
        text="Tapaaminen",
    )
    services.change_phase(
        actor=team.actor(),
        episode=item,
        phase="rehabilitation",
        started_on=TODAY - timedelta(days=366),
    )

    refresh_alerts()
    assert open_alerts() == [("phase_too_long", "manager")]

    services.change_phase(actor=team.actor(), episode=item, phase="employment")
    refresh_alerts()
    assert open_alerts() == []


def test_an_unanswered_referral_alerts_both_sides_until_answered(team):
    record_consent(
        actor=team.actor(),
        client=team.client,
        discloser=team.org_a,
        recipient=team.org_b,
        purpose=Purpose.SERVICE_COORDINATION,
        categories=[DataCategory.BASIC],
        method=ConsentMethod.IN_PERSON,
    )
    referral = services.send_referral(
        actor=team.actor(),
        client=team.client,
        from_organisation=team.org_a,
        to_organisation=team.org_b,
        reason="Arvio",
        urgency="urgent",
        shared_categories=[],
    )

    refresh_alerts(today=TODAY + timedelta(days=3))
    assert open_alerts() == []
    refresh_alerts(today=TODAY + timedelta(days=4))
    assert open_alerts() == [("referral_overdue", "manager"), ("referral_overdue", "receiver")]

    services.accept_referral(
        actor=team.actor(team.receiver),
        referral=referral,
        register="health_care",
        legal_basis="health_care_act",
    )
    refresh_alerts(today=TODAY + timedelta(days=4))
    assert open_alerts() == []


def test_refreshing_twice_changes_nothing(team):
    episode(team, case_manager=False)
    refresh_alerts()

    report = refresh_alerts()

    assert (report.opened, report.cleared, report.open) == (0, 0, 1)
    assert Alert.objects.count() == 1


def test_a_change_refreshes_only_that_clients_alerts_in_the_background(
    team, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    item = episode(team, case_manager=False)
    someone_else = Client.objects.create(
        first_names="Toinen", last_name="Asiakas", birth_date=TODAY.replace(year=1990)
    )
    stale_here = Alert.objects.create(
        kind="no_contact",
        subject_key="no_contact:gone",
        client=team.client,
        recipient=team.colleague,
    )
    stale_elsewhere = Alert.objects.create(
        kind="no_contact",
        subject_key="no_contact:other",
        client=someone_else,
        recipient=team.colleague,
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.assign_case_manager(actor=team.actor(), episode=item, user=team.manager)

    stale_here.refresh_from_db()
    stale_elsewhere.refresh_from_db()
    assert stale_here.cleared_at is not None
    assert stale_elsewhere.cleared_at is None
    assert open_alerts() == [("no_contact", "colleague")]
