"""The situational picture page on the known world of ``fixtures_picture``: who reads it and
what each reader sees, the form's defaults and bad input, the empty state, the navigation
link, and a number of queries that does not grow with the number of clients."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from polku.accounts.enums import Role
from polku.audit.models import AccessLogEntry
from polku.clients.enums import Gender
from polku.clients.models import Client
from polku.insights.tests.fixtures_picture import (
    NOKIA,
    TAMPERE,
    PictureWorld,
    make_picture_world,
)
from polku.pathways.enums import Phase
from polku.pathways.models import Episode, PhaseChange
from polku.policy.enums import Register

pytestmark = pytest.mark.django_db

URL = "/insights/"
HALF_2025 = {"starts_on": "2025-01-01", "ends_on": "2025-06-30"}


@pytest.fixture
def world(make_organisation, make_professional) -> PictureWorld:
    return make_picture_world(make_organisation, make_professional)


def in_service_row(response) -> list[str]:
    section = response.context["sections"][0]
    return [cell.text for cell in section.tables[0].rows[0]]


def test_the_url_is_named():
    assert reverse("insights:picture") == URL


def test_an_analyst_reads_the_whole_countrys_picture(world: PictureWorld, client):
    client.force_login(world.analyst)
    logged = AccessLogEntry.objects.count()

    response = client.get(URL, HALF_2025)

    assert response.status_code == 200
    page = response.content.decode()
    assert [section.key for section in response.context["sections"]] == [
        "episodes",
        "phases",
        "trend",
        "alerts",  # a past period: only its note why there are no alerts
    ]
    assert "Alerts are shown only for a period that includes today" in page
    assert in_service_row(response) == ["Clients in service in the period", "5", "<5", "<5", "10"]
    assert "Clients by pathway phase on 30.6.2025" in page
    assert "Trend by month" in page
    assert "figures withheld there are left out of the chart" in page  # the chart alt text
    assert (
        "A figure about fewer than five persons is shown as &lt;5, and a figure from which "
        "one could be worked out as ×." in page
    )
    # Aggregates only: no client is named, and none is logged as read.
    assert "Testi" not in page
    assert AccessLogEntry.objects.count() == logged


def test_a_social_worker_sees_only_their_organisations_clients(world: PictureWorld, client):
    client.force_login(world.social_worker)

    response = client.get(URL, HALF_2025)

    assert response.status_code == 200
    # T1 T2 T3 N1: four women, where the analyst reads ten clients.
    assert in_service_row(response) == ["Clients in service in the period", "<5", "0", "0", "<5"]


def test_an_administrator_without_clients_sees_the_empty_state(
    world: PictureWorld, client, make_organisation, make_professional
):
    administrator = make_professional("yllapito", Role.ADMINISTRATOR, make_organisation("Ylläpito"))
    client.force_login(administrator)

    response = client.get(URL, HALF_2025)

    assert response.status_code == 200
    assert not response.context["counted"]
    assert all(not section.tables for section in response.context["sections"])
    assert "Nothing to count" in response.content.decode()


def test_a_signed_out_user_is_sent_to_sign_in(client):
    response = client.get(URL, HALF_2025)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_area_not_offered_is_a_form_error(world: PictureWorld, client):
    client.force_login(world.social_worker)

    # The social worker reads no project, so none is offered.
    response = client.get(URL, {**HALF_2025, "area": "project:not-a-project"})

    assert response.status_code == 400
    assert response.context["sections"] is None


def test_the_filters_and_the_area_change_the_figures(world: PictureWorld, client):
    client.force_login(world.analyst)

    nokia = client.get(URL, {**HALF_2025, "area": f"municipality:{NOKIA}"})
    women = client.get(URL, {**HALF_2025, "gender": Gender.FEMALE})
    county = client.get(URL, {**HALF_2025, "area": "county:08"})

    assert in_service_row(nokia) == ["Clients in service in the period", "<5", "<5", "0", "<5"]
    assert in_service_row(women) == ["Clients in service in the period", "5", "0", "0", "5"]
    # Tampere and Nokia are both in Pirkanmaa.
    assert in_service_row(county)[-1] == "10"


def test_the_default_is_the_whole_country_this_year_up_to_today(world: PictureWorld, client):
    client.force_login(world.analyst)
    today = timezone.localdate()

    response = client.get(URL)

    assert response.status_code == 200
    query = response.context["query"]
    assert (query.starts_on, query.ends_on) == (date(today.year, 1, 1), today)
    assert query.area.kind == "country"


def test_areas_are_named_in_the_readers_language(world: PictureWorld, client):
    client.force_login(world.analyst)

    finnish = client.get(URL, HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    swedish = client.get(URL, HTTP_ACCEPT_LANGUAGE="sv").content.decode()

    assert f'<option value="municipality:{TAMPERE}">Tampere</option>' in finnish
    assert f'<option value="municipality:{TAMPERE}">Tammerfors</option>' in swedish
    assert '<optgroup label="' in finnish


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"area": "municipality:999999"}, "area"),
        ({"starts_on": "2025-06-30", "ends_on": "2025-01-01"}, "ends_on"),
        ({"starts_on": "2020-01-01", "ends_on": "2025-01-01"}, "ends_on"),
        ({"gender": "robot"}, "gender"),
        ({"age_band": "100_plus"}, "age_band"),
        ({"organisation_kind": "guild"}, "organisation_kind"),
        ({"language": "xx"}, "language"),
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


def test_a_period_of_exactly_five_years_is_allowed(world: PictureWorld, client):
    client.force_login(world.analyst)

    response = client.get(URL, {"starts_on": "2020-07-01", "ends_on": "2025-06-30"})

    assert response.status_code == 200


def test_the_navigation_offers_the_picture_to_those_who_read_insights(world: PictureWorld, client):
    client.force_login(world.analyst)

    home = client.get(reverse("home")).content.decode()
    picture = client.get(URL, HALF_2025).content.decode()
    client.logout()
    signed_out = client.get(reverse("accounts:login")).content.decode()

    assert f'<a href="{URL}">Situational picture</a>' in home
    assert f'<a href="{URL}" aria-current="page">Situational picture</a>' in picture
    assert "Situational picture" not in signed_out


def add_clients(world: PictureWorld, count: int) -> None:
    for index in range(count):
        client = Client.objects.create(
            first_names="Testi",
            last_name=f"Lisä-{index}",
            birth_date=date(1980 + index % 30, 1, 1),
            gender=[Gender.FEMALE, Gender.MALE, Gender.OTHER][index % 3],
            municipality_id=[TAMPERE, NOKIA][index % 2],
        )
        episode = Episode.objects.create(
            client=client,
            programme=world.programme,
            organisation=world.social,
            register=Register.SOCIAL_WELFARE,
            started_on=date(2025, 1 + index % 6, 1),
            created_by=world.analyst,
        )
        PhaseChange.objects.create(
            episode=episode,
            phase=Phase.ASSESSMENT,
            started_on=episode.started_on,
            recorded_by=world.analyst,
        )


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
    assert len(few.captured_queries) < 30


def test_a_member_of_an_inactive_organisation_gets_not_found(
    world: PictureWorld, client, make_organisation, make_professional
):
    closed = make_organisation("Lakkautettu")
    reader = make_professional("suljettu", Role.ANALYST, closed)
    closed.is_active = False
    closed.save()
    client.force_login(reader)

    response = client.get(URL, HALF_2025)

    assert response.status_code == 404
