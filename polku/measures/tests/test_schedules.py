"""Administrators edit each programme's measurement schedule; the daily run follows it."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from polku.clients.services import RelationshipTerms, register_client
from polku.measures import schedules
from polku.measures.models import Administration, Schedule
from polku.measures.schedules import schedule_measurements
from polku.pathways.models import Episode, Programme
from polku.pathways.services import open_episode
from polku.policy.enums import LegalBasis, Register

pytestmark = pytest.mark.django_db

URL = reverse("measures:schedules")


def test_everyone_sees_the_schedules_and_only_an_administrator_changes_them(client, setting):
    client.force_login(setting.worker)
    page = client.get(URL).content.decode()
    assert "Every 6 months" in page
    assert "6 months after exit" in page
    assert 'name="add"' not in page
    programme = Programme.objects.get(code="job-coaching")
    before = Schedule.objects.count()

    response = client.post(
        URL,
        {
            "add": "1",
            "programme": programme.pk,
            "instrument_code": "icf-rating",
            "occasion": "baseline",
            "months": "0",
        },
    )

    assert response.status_code == 403
    assert Schedule.objects.count() == before


def test_an_added_instrument_comes_due_in_the_programmes_episodes(client, setting):
    programme = Programme.objects.get(code="job-coaching")
    client.force_login(setting.admin)

    response = client.post(
        URL,
        {
            "add": "1",
            "programme": programme.pk,
            "instrument_code": "icf-rating",
            "occasion": "baseline",
            "months": "6",
        },
    )

    assert response.status_code == 302
    added = Schedule.objects.get(programme=programme, instrument_code="icf-rating")
    assert added.months == 0  # months mean nothing at the start
    open_episode(
        actor=setting.actor(),
        client=setting.client,
        programme=programme,
        organisation=setting.org_a,
    )
    schedule_measurements()
    due = Administration.objects.get(instrument__code="icf-rating")
    assert (due.occasion, due.due_on, due.channel) == (
        "baseline",
        timezone.localdate(),
        "observer",
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"instrument_code": "work-ability-score", "occasion": "periodic", "months": "0"},
            "at least 1",
        ),
        (
            {"instrument_code": "work-ability-score", "occasion": "baseline", "months": "0"},
            "already has this measurement",
        ),
        (
            {"instrument_code": "no-such", "occasion": "baseline", "months": "0"},
            "Select a valid choice",
        ),
    ],
)
def test_a_bad_schedule_row_is_explained_and_changes_nothing(client, setting, fields, message):
    programme = Programme.objects.get(code="job-coaching")
    client.force_login(setting.admin)
    before = list(Schedule.objects.values_list("pk", flat=True))

    response = client.post(URL, {"add": "1", "programme": programme.pk, **fields})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(Schedule.objects.values_list("pk", flat=True)) == before


def test_a_removed_row_makes_no_new_measurements(client, setting):
    programme = Programme.objects.get(code="job-coaching")
    row = Schedule.objects.get(
        programme=programme, instrument_code="work-ability-score", occasion="baseline"
    )
    client.force_login(setting.admin)

    assert client.post(URL, {"remove": row.pk}).status_code == 302

    assert not Schedule.objects.filter(pk=row.pk).exists()
    open_episode(
        actor=setting.actor(),
        client=setting.client,
        programme=programme,
        organisation=setting.org_a,
    )
    schedule_measurements()
    assert not Administration.objects.filter(occasion="baseline").exists()


# The daily run: a chunk of clients at a time, one bad record skipped and reported --------


def another_client(setting, last_name):
    return register_client(
        actor=setting.actor(),
        terms=RelationshipTerms(
            organisation=setting.org_a,
            register=Register.EMPLOYMENT_SERVICES,
            legal_basis=LegalBasis.MULTI_SECTOR_ACT,
        ),
        first_names="Testi",
        last_name=last_name,
        birth_date=date(1981, 3, 3),
    ).client


def coached(setting, client):
    return open_episode(
        actor=setting.actor(),
        client=client,
        programme=Programme.objects.get(code="job-coaching"),
        organisation=setting.org_a,
        case_manager=setting.worker,
    )


def due_by_client():
    return sorted(
        (a.client.last_name, a.instrument.code, a.occasion)
        for a in Administration.objects.select_related("client", "instrument")
    )


def job_log(caplog):
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "polku.jobs"]


def test_an_episode_ended_9999_12_31_is_reported_and_the_others_still_come_due(setting, caplog):
    bad = coached(setting, setting.client)
    # An end date at the end of time has no "six months after exit".
    Episode.objects.filter(pk=bad.pk).update(ended_on=date(9999, 12, 31), end_reason="pension")
    coached(setting, another_client(setting, "Toinen"))

    with caplog.at_level(logging.INFO, logger="polku.jobs"):
        report = schedule_measurements()

    assert due_by_client() == [("Toinen", "work-ability-score", "baseline")]
    assert (report.created, report.skipped) == (1, 1)
    assert job_log(caplog) == [
        ("ERROR", f"measures.schedule_measurements skipped episode {bad.public_id}: ValueError")
    ]


def test_a_failing_chunk_is_rolled_back_alone_and_the_reminders_count_what_was_kept(
    setting, caplog, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    second = another_client(setting, "Toinen")
    third = another_client(setting, "Kolmas")
    for client in (setting.client, second, third):
        coached(setting, client)
    remind = schedules._reminders

    def fails_for_the_second(created):
        if any(a.client_id == second.pk for a in created):
            raise RuntimeError("mail queue full")
        return remind(created)

    monkeypatch.setattr(schedules, "_reminders", fails_for_the_second)

    with (
        caplog.at_level(logging.INFO, logger="polku.jobs"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = schedule_measurements(chunk_size=1)

    assert due_by_client() == [
        ("Kolmas", "work-ability-score", "baseline"),
        ("Mittari", "work-ability-score", "baseline"),
    ]
    assert (report.created, report.reminders, report.skipped) == (2, 1, 1)
    assert job_log(caplog) == [
        (
            "ERROR",
            f"measures.schedule_measurements skipped client {second.public_id}: RuntimeError",
        )
    ]
    # One message to the case manager for the whole run, not one per chunk.
    assert [(m.to, m.body) for m in mailoutbox] == [
        (
            ["worker@example.invalid"],
            "2 questionnaires of your clients are due. See them on your home page in Polku.",
        )
    ]


def test_the_daily_run_asks_the_same_number_of_queries_for_one_client_or_many(setting):
    coached(setting, setting.client)
    with CaptureQueriesContext(connection) as one:
        schedule_measurements()
    Administration.objects.all().delete()
    for name in ("Toinen", "Kolmas", "Neljäs"):
        coached(setting, another_client(setting, name))

    with CaptureQueriesContext(connection) as four:
        report = schedule_measurements()

    assert report.created == 4
    assert len(four.captured_queries) == len(one.captured_queries)
