"""The job-coaching pages: the caseload (a constant number of queries, each client logged
as listed), the coaching page and its forms, ending through the confirmation, refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from polku.audit.models import AccessLogEntry
from polku.clients.services import record_consent
from polku.employment import coaching_services as services
from polku.employment.coaching_enums import Occasion, Stage, TransitionKind
from polku.employment.models import Coaching
from polku.employment.tests.coaching_world import World, make_world
from polku.measures.schedules import add_months
from polku.policy.enums import Action, ConsentMethod, DataCategory, Purpose

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world(programmes, make_organisation, make_professional) -> World:
    return make_world(make_organisation, make_professional)


def caseload_queries(client) -> int:
    url = reverse("employment:caseload")
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_caseload_asks_as_often_for_15_clients_as_for_1(world, client):
    client.force_login(world.coach)
    world.new_coaching(0)
    one = caseload_queries(client)

    for number in range(1, 15):
        coaching = world.new_coaching(number)
        services.record_contact(actor=world.actor(), coaching=coaching, kind="phone")
    fifteen = caseload_queries(client)

    assert fifteen == one
    assert Coaching.objects.open().count() == 15


def test_the_caseload_shows_stage_days_last_contact_and_next_step(world, client):
    coaching = world.new_coaching(0, started_on=TODAY - timedelta(days=12))
    services.record_contact(
        actor=world.actor(),
        coaching=coaching,
        kind="meeting",
        contacted_on=TODAY - timedelta(days=2),
    )
    services.update_profile(
        actor=world.actor(),
        coaching=coaching,
        job_preferences="",
        strengths="",
        supports_needed="",
        next_step="Soitto työnantajalle",
        next_step_on=TODAY - timedelta(days=1),
    )
    other_coachs = world.new_coaching(1)
    other_coachs.coach = world.colleague
    other_coachs.save()
    client.force_login(world.coach)
    before = AccessLogEntry.objects.count()

    html = client.get(reverse("employment:caseload")).content.decode()

    assert "Polkunen0" in html
    assert "Polkunen1" not in html
    assert "Vocational profile" in html
    assert ">12<" in html  # days in stage
    assert (TODAY - timedelta(days=2)).strftime("%-d.%-m.%Y") in html
    assert "Soitto työnantajalle" in html
    assert "overdue since" in html
    listed = AccessLogEntry.objects.filter(sequence__gt=before, action=Action.LIST)
    assert list(listed.values_list("client_public_id", flat=True)) == [coaching.client.public_id]
    assert listed.get().categories == "basic,employment"


def test_the_coaching_page_is_logged_and_its_forms_act(world, client):
    coaching = world.new_coaching(0)
    client.force_login(world.coach)
    url = reverse("employment:coaching", kwargs={"public_id": coaching.public_id})
    before = AccessLogEntry.objects.count()

    response = client.get(url)

    assert response.status_code == 200
    assert AccessLogEntry.objects.filter(
        sequence__gt=before, action=Action.VIEW, client_public_id=coaching.client.public_id
    ).exists()
    response = client.post(url, {"form": "stage", "stage-stage": Stage.JOB_SEARCH})
    assert response.status_code == 302
    response = client.post(url, {"form": "contact", "contact-kind": "phone", "contact-note": "ok"})
    assert response.status_code == 302
    response = client.post(url, {"form": "contact", "contact-kind": ""})
    assert response.status_code == 400
    assert "Choose the kind of contact." in response.content.decode()
    coaching.refresh_from_db()
    assert (coaching.stage, coaching.last_contact_on) == (Stage.JOB_SEARCH, TODAY)


def test_a_wrong_stage_from_the_page_is_refused(world, client):
    coaching = world.new_coaching(0)
    client.force_login(world.coach)
    url = reverse("employment:coaching", kwargs={"public_id": coaching.public_id})

    response = client.post(url, {"form": "stage", "stage-stage": Stage.VOCATIONAL_PROFILE})

    assert response.status_code == 400
    coaching.refresh_from_db()
    assert coaching.stage == Stage.VOCATIONAL_PROFILE


def test_outsiders_find_nothing_and_readers_change_nothing(world, client):
    coaching = world.new_coaching(0)
    world.consent_to_c(coaching.client)
    url = reverse("employment:coaching", kwargs={"public_id": coaching.public_id})
    end_url = reverse("employment:end_coaching", kwargs={"public_id": coaching.public_id})

    client.force_login(world.other_coach)
    assert client.get(url).status_code == 404
    assert client.post(url, {"form": "contact", "contact-kind": "phone"}).status_code == 404
    assert client.get(end_url).status_code == 404

    client.force_login(world.reader)
    page = client.get(url)
    assert page.status_code == 200
    assert "Record the contact" not in page.content.decode()
    assert client.post(url, {"form": "contact", "contact-kind": "phone"}).status_code == 403
    assert client.get(end_url).status_code == 403
    assert not coaching.contacts.exists()


def test_ending_goes_through_the_confirmation(world, client):
    coaching = world.new_coaching(0)
    client.force_login(world.coach)
    url = reverse("employment:end_coaching", kwargs={"public_id": coaching.public_id})

    refused = client.post(url, {"end-transition": "", "end-ended_on": ""})
    assert refused.status_code == 400
    assert "Choose where the client goes after the coaching." in refused.content.decode()

    data = {"end-transition": TransitionKind.OPEN_MARKET_WORK, "end-ended_on": ""}
    step = client.post(url, data)
    assert step.status_code == 200
    assert "What will follow" in step.content.decode()
    coaching.refresh_from_db()
    assert coaching.is_active

    confirmation = step.context["step"].signature()
    done = client.post(url, {**data, "confirmation": confirmation, "confirm": "1"})
    assert done.status_code == 302
    coaching.refresh_from_db()
    assert (coaching.ended_on, coaching.stage) == (TODAY, Stage.ENDED)
    assert coaching.transitions.get().kind == TransitionKind.OPEN_MARKET_WORK


def test_starting_from_the_episode_page(world, client):
    episode = world.new_episode(world.new_client(0))
    client.force_login(world.coach)
    episode_url = reverse("pathways:episode", kwargs={"public_id": episode.public_id})
    start_url = reverse("employment:start_coaching", kwargs={"public_id": episode.public_id})

    assert start_url in client.get(episode_url).content.decode()
    response = client.post(start_url, {"coach": world.coach.pk, "started_on": ""})

    coaching = Coaching.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("employment:coaching", kwargs={"public_id": coaching.public_id})
    html = client.get(episode_url).content.decode()
    assert start_url not in html
    assert reverse("employment:coaching", kwargs={"public_id": coaching.public_id}) in html

    client.force_login(world.other_coach)
    assert client.get(start_url).status_code == 404


def test_follow_ups_due_appear_on_the_worklist_with_how_late(world, client):
    ended_on = add_months(TODAY, -3) - timedelta(days=4)
    coaching = world.new_coaching(0, started_on=ended_on - timedelta(days=30))
    services.end_coaching(
        actor=world.actor(),
        coaching=coaching,
        transition=TransitionKind.EDUCATION,
        ended_on=ended_on,
    )
    not_due = world.new_coaching(1, started_on=TODAY - timedelta(days=40))
    services.end_coaching(
        actor=world.actor(), coaching=not_due, transition=TransitionKind.EDUCATION
    )
    client.force_login(world.coach)

    html = client.get(reverse("home")).content.decode()

    assert "Transition follow-ups due" in html
    assert "Polkunen0" in html
    assert "Polkunen1" not in html
    late = (TODAY - add_months(ended_on, 3)).days
    assert f"{late} days late" in html

    services.record_follow_up(
        actor=world.actor(), coaching=coaching, occasion=Occasion.MONTHS_3, kind="education"
    )
    assert "Transition follow-ups due" not in client.get(reverse("home")).content.decode()


def test_a_coaching_is_shown_on_the_episode_page_only_to_whom_its_page_opens(world, client):
    # given a coaching, and the client's consent to disclose the episode and employment
    # data to C for coordinating services only (not for supporting employment)
    coaching = world.new_coaching()
    record_consent(
        actor=world.actor(),
        client=coaching.client,
        discloser=world.org_a,
        recipient=world.org_c,
        purpose=Purpose.SERVICE_COORDINATION,
        categories=[DataCategory.BASIC, DataCategory.PLAN, DataCategory.EMPLOYMENT],
        method=ConsentMethod.SIGNED_PAPER,
    )
    episode_url = reverse("pathways:episode", kwargs={"public_id": coaching.episode.public_id})
    coaching_url = reverse("employment:coaching", kwargs={"public_id": coaching.public_id})
    client.force_login(world.reader)

    # then C's reader sees the episode but neither the coaching nor a link to it
    page = client.get(episode_url)
    assert page.status_code == 200
    assert coaching_url not in page.content.decode()
    assert client.get(coaching_url).status_code == 404

    # and with a consent for supporting employment, both
    world.consent_to_c(coaching.client)
    assert coaching_url in client.get(episode_url).content.decode()
    assert client.get(coaching_url).status_code == 200


def test_ending_the_episode_says_its_job_coaching_stays_open(world, client):
    coaching = world.new_coaching(0)
    client.force_login(world.coach)
    url = reverse("pathways:episode_end", kwargs={"public_id": coaching.episode.public_id})

    step = client.post(url, {"end-end_reason": "education"})

    page = step.content.decode()
    assert "The job coaching by" in page
    assert "stays open: ending the episode does not end it" in page
    assert reverse("employment:coaching", kwargs={"public_id": coaching.public_id}) in page
    # and without an open coaching, nothing is said of one
    services.end_coaching(
        actor=world.actor(), coaching=coaching, transition=TransitionKind.EDUCATION
    )
    assert (
        "The job coaching by"
        not in client.post(url, {"end-end_reason": "education"}).content.decode()
    )
