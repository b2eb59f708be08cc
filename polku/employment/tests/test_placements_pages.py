"""The placement pages: the "Jobs" section of the coaching page, starting and ending a
placement (good and bad input), refusals, and the caseload's current job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from polku.audit.enums import AuditEvent
from polku.audit.models import AccessLogEntry
from polku.employment import placement_services
from polku.employment.coaching_enums import Stage
from polku.employment.models import Placement
from polku.employment.placement_enums import EndReason
from polku.employment.tests.placement_fixtures import (  # noqa: F401 (fixtures)
    WAREHOUSE,
    employers_fixture,
    start_job,
    world_fixture,
)
from polku.policy.enums import Action

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def last_pk() -> int:
    return AccessLogEntry.objects.aggregate(last=Max("pk"))["last"] or 0


def form_data(employer, **changes):
    data = {
        "kind": "job",
        "employer": str(employer.pk),
        "occupation": WAREHOUSE,
        "job_title": "Varastotyöntekijä",
        "terms": "pay_subsidy",
        "hours_per_week": "25.5",
        "started_on": (TODAY - timedelta(days=1)).isoformat(),
        "supports_agreed": "Työnohjaaja kerran viikossa.",
    }
    data.update(changes)
    return data


def test_starting_a_job_from_its_page_moves_the_coaching_to_work(world, employers, client):
    coaching = world.new_coaching(0, started_on=TODAY - timedelta(days=10))
    client.force_login(world.coach)
    url = reverse("employment:start_placement", kwargs={"public_id": coaching.public_id})

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<optgroup label="9 ' in html  # occupations grouped by major group
    assert "933 Transport and storage labourers" in html

    response = client.post(url, form_data(employers["Keittiö Kokeilu Oy"]))

    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.employer.name, placement.occupation_id, str(placement.hours_per_week)) == (
        "Keittiö Kokeilu Oy",
        WAREHOUSE,
        "25.5",
    )
    coaching.refresh_from_db()
    assert (coaching.stage, coaching.stage_started_on) == (
        Stage.IN_WORK,
        TODAY - timedelta(days=1),
    )
    coaching_page = client.get(response.url).content.decode()
    assert "Keittiö Kokeilu Oy" in coaching_page
    assert "Transport and storage labourers" in coaching_page
    assert "Pay subsidy" in coaching_page
    assert "Työnohjaaja kerran viikossa." in coaching_page
    assert "Days from the start of coaching to the first job: 9" in coaching_page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"occupation": ""}, "Choose the occupation."),
        ({"hours_per_week": "61"}, "The hours per week must be more than 0 and at most 60"),
        ({"hours_per_week": "abc"}, "Enter a number."),
        ({"kind": ""}, "Choose whether this is a job or studies."),
        ({"started_on": (TODAY - timedelta(days=11)).isoformat()}, "before the job coaching"),
    ],
)
def test_bad_input_shows_its_error_and_changes_nothing(world, employers, client, changes, message):
    coaching = world.new_coaching(0, started_on=TODAY - timedelta(days=10))
    client.force_login(world.coach)
    url = reverse("employment:start_placement", kwargs={"public_id": coaching.public_id})
    before = last_pk()

    response = client.post(url, form_data(employers["Keittiö Kokeilu Oy"], **changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Placement.objects.exists()
    coaching.refresh_from_db()
    assert coaching.stage == Stage.VOCATIONAL_PROFILE
    assert not AccessLogEntry.objects.filter(pk__gt=before).exclude(event="").exists()


def test_occupations_are_named_in_the_readers_language(world, employers, client):
    coaching = world.new_coaching(0, started_on=TODAY - timedelta(days=10))
    client.force_login(world.coach)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    url = reverse("employment:start_placement", kwargs={"public_id": coaching.public_id})

    html = client.get(url).content.decode()

    assert "933 Medhjälpare inom transport och lager" in html


def test_ending_a_job_from_its_page(world, employers, client):
    coaching = world.new_coaching(0, started_on=TODAY - timedelta(days=10))
    job = start_job(world, coaching, employers["Keittiö Kokeilu Oy"], started_on=TODAY)
    client.force_login(world.coach)
    url = reverse("employment:end_placement", kwargs={"public_id": job.public_id})

    assert client.get(url).status_code == 200
    response = client.post(url, {"end_reason": ""})
    assert response.status_code == 400
    assert "Choose the reason for ending." in response.content.decode()
    job.refresh_from_db()
    assert job.ended_on is None

    response = client.post(url, {"end_reason": EndReason.HEALTH, "end_note": "Selkä."})

    assert response.status_code == 302
    job.refresh_from_db()
    coaching.refresh_from_db()
    assert (job.ended_on, job.end_reason, coaching.stage) == (
        TODAY,
        EndReason.HEALTH,
        Stage.JOB_SEARCH,
    )
    assert "Health reasons" in client.get(response.url).content.decode()
    assert client.get(url).status_code == 409  # ended already


def test_outsiders_find_nothing_and_readers_change_nothing(world, employers, client):
    coaching = world.new_coaching(0, started_on=TODAY - timedelta(days=10))
    job = start_job(world, coaching, employers["Keittiö Kokeilu Oy"], started_on=TODAY)
    world.consent_to_c(coaching.client)
    start_url = reverse("employment:start_placement", kwargs={"public_id": coaching.public_id})
    end_url = reverse("employment:end_placement", kwargs={"public_id": job.public_id})
    coaching_url = reverse("employment:coaching", kwargs={"public_id": coaching.public_id})
    data = form_data(employers["Testiopisto"])
    before = last_pk()

    client.force_login(world.other_coach)
    assert client.get(start_url).status_code == 404
    assert client.post(start_url, data).status_code == 404
    assert client.post(end_url, {"end_reason": "other"}).status_code == 404
    assert last_pk() == before

    client.force_login(world.reader)
    page = client.get(coaching_url).content.decode()
    assert "Keittiö Kokeilu Oy" in page  # a reader on consent sees the job
    assert "Record a job or studies" not in page
    assert client.get(start_url).status_code == 403
    assert client.post(start_url, data).status_code == 403
    assert client.post(end_url, {"end_reason": "other"}).status_code == 403

    job.refresh_from_db()
    assert (Placement.objects.count(), job.ended_on) == (1, None)
    assert not AccessLogEntry.objects.filter(
        pk__gt=before, event__in=[AuditEvent.PLACEMENT_STARTED, AuditEvent.PLACEMENT_ENDED]
    ).exists()


def test_the_pages_are_logged_as_viewed(world, employers, client):
    coaching = world.new_coaching(0, started_on=TODAY - timedelta(days=10))
    client.force_login(world.coach)
    before = last_pk()

    client.get(reverse("employment:start_placement", kwargs={"public_id": coaching.public_id}))

    row = AccessLogEntry.objects.filter(pk__gt=before).get()
    assert (row.client_public_id, row.action, row.categories) == (
        coaching.client.public_id,
        Action.VIEW,
        "basic,employment",
    )


def page_queries(client, url) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_caseload_shows_the_current_job_in_as_many_queries(world, employers, client):
    client.force_login(world.coach)
    url = reverse("employment:caseload")
    first = world.new_coaching(0, started_on=TODAY - timedelta(days=10))
    start_job(world, first, employers["Keittiö Kokeilu Oy"], started_on=TODAY)
    one = page_queries(client, url)

    for number in range(1, 6):
        coaching = world.new_coaching(number, started_on=TODAY - timedelta(days=10))
        job = start_job(
            world, coaching, employers["Testiopisto"], started_on=TODAY - timedelta(days=2)
        )
        if number == 1:  # ended: no current job
            placement_services.end_placement(actor=world.actor(), placement=job, end_reason="other")
    six = page_queries(client, url)

    assert six == one
    html = client.get(url).content.decode()
    assert "Keittiö Kokeilu Oy" in html
    assert html.count("Testiopisto") == 4


def test_the_coaching_page_asks_as_often_for_many_placements(world, employers, client):
    coaching = world.new_coaching(0, started_on=TODAY - timedelta(days=30))
    client.force_login(world.coach)
    url = reverse("employment:coaching", kwargs={"public_id": coaching.public_id})
    start_job(
        world, coaching, employers["Keittiö Kokeilu Oy"], started_on=TODAY - timedelta(days=20)
    )
    one = page_queries(client, url)

    for _ in range(4):
        start_job(world, coaching, employers["Testiopisto"], started_on=TODAY - timedelta(days=5))
    five = page_queries(client, url)

    assert five == one
