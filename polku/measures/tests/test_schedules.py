"""Administrators edit each programme's measurement schedule; the daily run follows it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from polku.measures.models import Administration, Schedule
from polku.measures.schedules import schedule_measurements
from polku.pathways.models import Programme
from polku.pathways.services import open_episode

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
