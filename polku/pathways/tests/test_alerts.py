"""Each alert rule: raised when its condition holds, cleared when the condition is gone."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from polku.clients.models import Client
from polku.clients.services import RelationshipTerms, record_consent, register_client
from polku.pathways import alerts, services
from polku.pathways.alerts import refresh_alerts
from polku.pathways.models import Alert, Episode, PlanReview
from polku.policy.enums import ConsentMethod, DataCategory, LegalBasis, Purpose, Register

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def open_alerts():
    return sorted(
        (a.kind, a.recipient.username) for a in Alert.objects.open().select_related("recipient")
    )


def episode(team, days_ago=10, case_manager=True, client=None):
    return services.open_episode(
        actor=team.actor(),
        client=client or team.client,
        programme=team.programme,
        organisation=team.org_a,
        started_on=TODAY - timedelta(days=days_ago),
        case_manager=team.manager if case_manager else None,
    )


def another_client(team, last_name):
    """One more client of organisation A (invented names)."""
    return register_client(
        actor=team.actor(),
        terms=RelationshipTerms(
            organisation=team.org_a,
            register=Register.EMPLOYMENT_SERVICES,
            legal_basis=LegalBasis.MULTI_SECTOR_ACT,
        ),
        first_names="Testi",
        last_name=last_name,
        birth_date=date(1980, 1, 1),
    ).client


def job_log(caplog):
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "polku.jobs"]


def alerts_by_client():
    return sorted(
        (a.client.last_name, a.kind) for a in Alert.objects.open().select_related("client")
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


# The daily run: a chunk of clients at a time, one bad record skipped and reported --------


def test_a_review_dated_9999_12_31_is_reported_and_the_other_clients_still_get_alerts(team, caplog):
    item = episode(team)
    plan = services.save_plan(
        actor=team.actor(),
        episode=item,
        goals=[services.GoalInput("Töihin")],
        next_review_on=TODAY - timedelta(days=1),
    )
    refresh_alerts()
    # A review dated at the end of time, as a form without a date check once let through.
    PlanReview.objects.create(
        plan=plan, reviewed_on=date(9999, 12, 31), reviewed_by=team.manager, plan_version=1
    )
    other = another_client(team, "Toinen")
    episode(team, client=other, case_manager=False)

    with caplog.at_level(logging.INFO, logger="polku.jobs"):
        report = refresh_alerts()

    # The other client's alert is raised; the bad one's open alert is left as it was.
    assert alerts_by_client() == [
        ("Polkunen", "plan_review_overdue"),
        ("Toinen", "no_case_manager"),
    ]
    assert (report.opened, report.cleared, report.skipped) == (1, 0, 1)
    assert job_log(caplog) == [
        ("ERROR", f"pathways.refresh_alerts skipped episode {item.public_id}: OverflowError")
    ]
    assert "Polkunen" not in caplog.text
    assert "Pauli" not in caplog.text


def test_a_failing_chunk_is_rolled_back_alone(team, caplog, monkeypatch):
    first = team.client
    second = another_client(team, "Toinen")
    third = another_client(team, "Kolmas")
    for client in (first, second, third):
        episode(team, client=client, case_manager=False)
    refresh_chunk = alerts._refresh_clients

    def fails_after_writing_for_the_second(start, end, **kwargs):
        report = refresh_chunk(start, end, **kwargs)
        if start <= second.pk <= end:
            raise RuntimeError("disk full")
        return report

    monkeypatch.setattr(alerts, "_refresh_clients", fails_after_writing_for_the_second)

    with caplog.at_level(logging.INFO, logger="polku.jobs"):
        report = refresh_alerts(chunk_size=1)

    assert alerts_by_client() == [
        ("Kolmas", "no_case_manager"),
        ("Polkunen", "no_case_manager"),
    ]
    assert (report.opened, report.skipped) == (2, 1)
    assert job_log(caplog) == [
        ("ERROR", f"pathways.refresh_alerts skipped client {second.public_id}: RuntimeError")
    ]


def test_a_failing_chunk_of_many_clients_is_run_again_client_by_client(team, caplog, monkeypatch):
    second = another_client(team, "Toinen")
    third = another_client(team, "Kolmas")
    for client in (team.client, second, third):
        episode(team, client=client, case_manager=False)
    refresh_chunk = alerts._refresh_clients

    def fails_with_the_second(start, end, **kwargs):
        if start <= second.pk <= end:
            raise RuntimeError("bad row")
        return refresh_chunk(start, end, **kwargs)

    monkeypatch.setattr(alerts, "_refresh_clients", fails_with_the_second)

    with caplog.at_level(logging.INFO, logger="polku.jobs"):
        report = refresh_alerts()

    assert alerts_by_client() == [
        ("Kolmas", "no_case_manager"),
        ("Polkunen", "no_case_manager"),
    ]
    assert (report.opened, report.skipped) == (2, 1)
    assert job_log(caplog) == [
        (
            "WARNING",
            "pathways.refresh_alerts: a chunk of 3 failed (RuntimeError); running it one by one",
        ),
        ("ERROR", f"pathways.refresh_alerts skipped client {second.public_id}: RuntimeError"),
    ]


def test_the_daily_run_asks_the_same_number_of_queries_for_one_client_or_many(team):
    episode(team, case_manager=False)
    with CaptureQueriesContext(connection) as one:
        refresh_alerts()
    Alert.objects.all().delete()
    for name in ("Toinen", "Kolmas", "Neljäs"):
        episode(team, client=another_client(team, name), case_manager=False)

    with CaptureQueriesContext(connection) as four:
        report = refresh_alerts()

    assert report.opened == 4
    assert len(four.captured_queries) == len(one.captured_queries)


def test_an_alert_follows_its_episode_to_the_client_it_was_merged_into(team):
    other = another_client(team, "Toinen")
    item = episode(team, client=other, case_manager=False)
    refresh_alerts()
    Episode.objects.filter(pk=item.pk).update(client=team.client)

    report = refresh_alerts(chunk_size=1)

    assert alerts_by_client() == [("Polkunen", "no_case_manager")]
    assert (report.opened, report.cleared, report.skipped) == (1, 1, 0)
