"""The indicator pages of a project and of a programme, on the known participant set of
``fixtures_indicators``: who reads them, what they show, bad input and the empty state."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from polku.accounts.enums import Role
from polku.accounts.models import User
from polku.audit.models import AccessLogEntry
from polku.core.small_cells import is_small
from polku.policy.enums import ProjectRoleKind
from polku.policy.models import ProjectRole
from polku.projects.enums import FundingInstrument
from polku.projects.models import Project
from polku.projects.tests.fixtures_indicators import (
    IndicatorWorld,
    make_indicator_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator_world(make_organisation, make_professional) -> IndicatorWorld:
    return make_indicator_world(make_organisation, make_professional)


YEAR_2026 = {"starts_on": "2026-01-01", "ends_on": "2026-12-31"}


def project_url(project: Project) -> str:
    return reverse("projects:project_indicators", args=[project.public_id])


def programme_url(world: IndicatorWorld) -> str:
    return reverse("projects:programme_indicators", args=[world.programme.public_id])


def role(world: IndicatorWorld, user: User, kind: str, **keys) -> ProjectRole:
    membership = user.memberships.get()
    return ProjectRole.objects.create(
        user=user,
        organisation=membership.organisation,
        kind=kind,
        valid_from=date(2025, 1, 1),
        created_by=world.manager,
        **keys,
    )


@pytest.fixture
def partner(indicator_world: IndicatorWorld, make_professional) -> User:
    user = make_professional("kumppani", Role.SOCIAL_WORKER, indicator_world.org_b)
    role(
        indicator_world, user, ProjectRoleKind.WORKER, project_key=indicator_world.project.public_id
    )
    return user


@pytest.fixture
def coordinator(indicator_world: IndicatorWorld, make_professional, make_organisation) -> User:
    user = make_professional(
        "koordinaattori", Role.PROJECT_MANAGER, make_organisation("Työkykyohjelman koordinaatio")
    )
    role(
        indicator_world,
        user,
        ProjectRoleKind.COORDINATOR,
        programme_key=indicator_world.programme.public_id,
    )
    return user


def test_the_project_manager_reads_the_figures_of_a_year(indicator_world: IndicatorWorld, client):
    client.force_login(indicator_world.manager)
    logged = AccessLogEntry.objects.count()

    response = client.get(project_url(indicator_world.project), YEAR_2026)

    assert response.status_code == 200
    page = response.content.decode()
    table = response.context["table"]
    assert table.row("total").total == 5
    assert "Total number of participants" in page
    assert "EECO01" in page
    # Each indicator says how it is counted.
    assert "Left in the period; job searching, observed within four weeks after leaving." in page
    # Every group with its chart and the chart's text alternative.
    assert [group["key"] for group in response.context["groups"]] == [
        "output",
        "immediate",
        "longer_term",
    ]
    assert (
        'alt="Common output indicators on participants by gender: Unemployed, including '
        "long-term unemployed: women 2, men 0, other or not given 1;" in page
    )
    assert (
        "Participants in employment, including self-employment, upon leaving: women 0, men 1"
        in page
    )
    # The rural row says why it has no figures.
    assert "Not available: no urban–rural grouping of municipalities is loaded." in page
    # Aggregates only: no participant is named, none is logged as read.
    assert "Osallistuja" not in page
    assert AccessLogEntry.objects.count() == logged


def test_a_partners_worker_sees_the_figures_as_the_public_report_shows_them(
    indicator_world: IndicatorWorld, partner: User, coordinator: User, client
):
    """The project's five participants of 2026 make only small figures: a worker of a
    partner reads "<5" and "×" where the coordinator reads the exact counts, and no chart
    shows a withheld figure."""
    client.force_login(coordinator)
    exact = client.get(project_url(indicator_world.project), YEAR_2026)
    client.force_login(partner)

    response = client.get(project_url(indicator_world.project), YEAR_2026)

    assert exact.status_code == response.status_code == 200
    assert "as the public report shows them" not in exact.content.decode()
    exact_row = re.search(r'<tr id="indicator-unemployed".*?</tr>', exact.content.decode(), re.S)
    assert exact_row
    assert ">2</td>" in exact_row.group()
    page = response.content.decode()
    assert "as the public report shows them" in page
    row = re.search(r'<tr id="indicator-unemployed".*?</tr>', page, re.S)
    assert row
    assert ">2</td>" not in row.group()
    assert "&lt;5" in row.group()
    for group in response.context["groups"]:
        for indicator, cells in group["rows"]:
            if indicator.available:
                assert not any(is_small(cell.value) for cell in cells if not cell.withheld)
        assert group["chart"] is None
    assert "women 2, men 0" not in page
    assert "Osallistuja" not in page


def test_an_outsider_is_answered_not_found(
    indicator_world: IndicatorWorld, make_professional, client
):
    outsider = make_professional("ulkopuolinen", Role.SOCIAL_WORKER)
    client.force_login(outsider)

    assert client.get(project_url(indicator_world.project), YEAR_2026).status_code == 404
    assert client.get(programme_url(indicator_world), YEAR_2026).status_code == 404
    # Staff of one project do not read another project's figures.
    client.force_login(indicator_world.manager)
    assert client.get(project_url(indicator_world.other_project)).status_code == 404


def test_an_unknown_project_and_a_signed_out_reader(indicator_world: IndicatorWorld, client):
    response = client.get(project_url(indicator_world.project))
    assert response.status_code == 302

    client.force_login(indicator_world.manager)
    url = reverse("projects:project_indicators", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404


def test_the_coordinator_reads_the_programme_summed(
    indicator_world: IndicatorWorld, coordinator: User, client
):
    client.force_login(coordinator)

    response = client.get(programme_url(indicator_world), YEAR_2026)

    assert response.status_code == 200
    assert response.context["table"].row("total").total == 6  # P's five and Q's one
    assert "A client who took part in two projects counts in each." in response.content.decode()


def test_only_coordinators_read_the_programme(
    indicator_world: IndicatorWorld, partner: User, client
):
    for user in (indicator_world.manager, partner):
        client.force_login(user)

        assert client.get(programme_url(indicator_world), YEAR_2026).status_code == 404


def test_the_default_period_is_the_projects_up_to_today(indicator_world: IndicatorWorld, client):
    client.force_login(indicator_world.manager)

    response = client.get(project_url(indicator_world.project), {"unrelated": "1"})

    assert response.status_code == 200
    table = response.context["table"]
    project = indicator_world.project
    assert table.starts_on == project.starts_on
    assert table.ends_on == max(project.starts_on, min(project.ends_on, timezone.localdate()))
    page = response.content.decode()
    # Quick choices: each calendar year of the project.
    for year in (2025, 2026, 2027):
        assert f"?starts_on={year}-01-01&amp;ends_on={year}-12-31" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"starts_on": "2026-12-31", "ends_on": "2026-01-01"},
            "The last day cannot be before the first day.",
        ),
        ({"starts_on": "2026-13-01", "ends_on": "2026-12-31"}, "Enter a valid date."),
        ({"starts_on": "2026-01-01"}, "This field is required."),
        ({"starts_on": "0001-01-01", "ends_on": "2026-12-31"}, "Give a date from 1900 to 2999."),
    ],
)
def test_a_bad_period_is_a_form_error_and_nothing_is_computed(
    indicator_world: IndicatorWorld, client, query, message
):
    client.force_login(indicator_world.manager)

    response = client.get(project_url(indicator_world.project), query)

    assert response.status_code == 400
    assert response.context["table"] is None
    page = response.content.decode()
    assert message in page
    assert 'value="2026-' in page  # the form keeps what was given


def test_an_empty_period_is_explained(indicator_world: IndicatorWorld, client):
    client.force_login(indicator_world.manager)

    response = client.get(
        project_url(indicator_world.project), {"starts_on": "2024-01-01", "ends_on": "2024-12-31"}
    )

    assert response.status_code == 200
    assert "Nothing to count in this period" in response.content.decode()


def test_a_new_project_without_participants(indicator_world: IndicatorWorld, client):
    project = Project.objects.create(
        programme=indicator_world.programme,
        name="Uusi",
        funder="ELY",
        instrument=FundingInstrument.STATE_GRANT,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        organisation=indicator_world.org_a,
        created_by=indicator_world.manager,
    )
    role(
        indicator_world,
        indicator_world.manager,
        ProjectRoleKind.MANAGER,
        project_key=project.public_id,
    )
    client.force_login(indicator_world.manager)

    response = client.get(project_url(project))

    assert response.status_code == 200
    assert "Nothing to count in this period" in response.content.decode()
