"""The equality view's page on the known world of ``fixtures_picture``: who reads it and what
each reader sees, the link between the two views keeping the question, bad input and the
empty state."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polku.accounts.enums import Role
from polku.audit.models import AccessLogEntry
from polku.insights.tests.figures_world import (
    STARTS_ON,
    TODAY,
    FiguresWorld,
    figures_world_fixture,  # noqa: F401
)
from polku.insights.tests.fixtures_picture import PictureWorld, make_picture_world
from polku.insights.tests.test_equality_sections import results_fixture  # noqa: F401
from polku.insights.tests.test_picture_pages import add_clients

pytestmark = pytest.mark.django_db

URL = "/insights/equality/"
HALF_2025 = {"starts_on": "2025-01-01", "ends_on": "2025-06-30"}


@pytest.fixture
def world(make_organisation, make_professional) -> PictureWorld:
    return make_picture_world(make_organisation, make_professional)


def all_ages_in_service(response) -> list[str]:
    table = response.context["sections"][0].tables[0]
    return [cell.text for cell in table.footer[0]]


def test_the_url_is_named():
    assert reverse("insights:equality") == URL


def test_an_analyst_reads_the_reach_of_the_whole_country(world: PictureWorld, client):
    client.force_login(world.analyst)
    logged = AccessLogEntry.objects.count()

    response = client.get(URL, HALF_2025)

    assert response.status_code == 200
    page = response.content.decode()
    # No coachings, measurements or phases of five persons: the reach, and the phases'
    # gaps that say why none is given.
    assert [section.key for section in response.context["sections"]] == ["reach", "gaps_phases"]
    assert all_ages_in_service(response) == ["All ages", "5", "<5", "<5", "10"]
    assert "Whom the services reach" in page
    assert "Share of all clients in service" in page
    assert "Not given: a group has fewer than 5 persons" in page
    assert (
        "A figure about fewer than five persons is shown as &lt;5, and a figure from which "
        "one could be worked out as ×." in page
    )
    assert "Testi" not in page
    assert AccessLogEntry.objects.count() == logged


def test_a_social_worker_sees_only_their_organisations_clients(world: PictureWorld, client):
    client.force_login(world.social_worker)

    response = client.get(URL, HALF_2025)

    assert response.status_code == 200
    # T1 T2 T3 N1: four women, where the analyst reads ten clients.
    assert all_ages_in_service(response) == ["All ages", "<5", "0", "0", "<5"]


def test_the_two_views_link_to_each_other_with_the_same_question(world: PictureWorld, client):
    client.force_login(world.analyst)
    question = {**HALF_2025, "gender": "female"}

    equality = client.get(URL, question).content.decode()
    picture = client.get(reverse("insights:picture"), question).content.decode()

    query_string = "starts_on=2025-01-01&amp;ends_on=2025-06-30&amp;gender=female"
    assert f'<a href="/insights/?{query_string}">Situational picture</a>' in equality
    assert f'<a href="{URL}?{query_string}" aria-current="page">Equality</a>' in equality
    assert f'<a href="{URL}?{query_string}">Equality</a>' in picture


def test_an_outsider_gets_not_found(
    world: PictureWorld, client, make_organisation, make_professional
):
    closed = make_organisation("Lakkautettu")
    reader = make_professional("suljettu", Role.ANALYST, closed)
    closed.is_active = False
    closed.save()
    client.force_login(reader)

    response = client.get(URL, HALF_2025)

    assert response.status_code == 404


def test_a_signed_out_user_is_sent_to_sign_in(client):
    response = client.get(URL, HALF_2025)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_administrator_without_clients_sees_the_empty_state(
    world: PictureWorld, client, make_organisation, make_professional
):
    administrator = make_professional("yllapito", Role.ADMINISTRATOR, make_organisation("Ylläpito"))
    client.force_login(administrator)

    response = client.get(URL, HALF_2025)

    assert response.status_code == 200
    assert response.context["sections"] == []
    assert "Nothing to count" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"area": "municipality:999999"}, "area"),
        ({"starts_on": "2025-06-30", "ends_on": "2025-01-01"}, "ends_on"),
        ({"gender": "robot"}, "gender"),
        ({"age_band": "100_plus"}, "age_band"),
        ({"starts_on": "1.1.2025"}, "starts_on"),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_counted(
    world: PictureWorld, client, query, field
):
    client.force_login(world.analyst)

    response = client.get(URL, {**HALF_2025, **query})

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert response.context["sections"] is None
    assert "Please check the following" in response.content.decode()


def test_the_gaps_are_shown_with_their_reading_and_chart(results: FiguresWorld, client):
    client.force_login(results.social_worker)

    response = client.get(URL, {"starts_on": STARTS_ON.isoformat(), "ends_on": TODAY.isoformat()})

    assert response.status_code == 200
    page = response.content.decode()
    assert [section.key for section in response.context["sections"]] == [
        "reach",
        "gaps_work",
        "gaps_change",
        "gaps_phases",
    ]
    assert "How to read the gaps" in page
    assert "The interval does not include zero, so the groups differ." in page
    assert 'data-label="Reading">A difference</td>' in page
    assert 'alt="Chart of the gaps in the share in work between the groups compared' in page


def test_the_number_of_queries_does_not_grow_with_the_clients(world: PictureWorld, client):
    client.force_login(world.analyst)
    client.get(URL, HALF_2025)  # the session and the code sets warmed up

    add_clients(world, 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, HALF_2025).status_code == 200
    add_clients(world, 45)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL, HALF_2025).status_code == 200

    assert len(many.captured_queries) == len(few.captured_queries)
