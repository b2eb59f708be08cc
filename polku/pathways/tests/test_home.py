"""Each role's home page: what a project manager, an analyst, an administrator and a
professional in client work do in Polku; no client data where there is no client work."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from polku.accounts.enums import Role
from polku.audit.models import AccessLogEntry
from polku.audit.tests.test_sealing import seal_all
from polku.pathways.tests.test_tasks import make_plan

pytestmark = pytest.mark.django_db


def home(client, user) -> tuple[str, dict]:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode(), response.context


def links(page: str, *names: str) -> list[bool]:
    return [f'href="{reverse(name)}"' in page for name in names]


RESULTS = ("measures:groups", "measures:schedules", "measures:instruments")


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        (Role.PROJECT_MANAGER, "Following the results of your work"),
        (Role.ANALYST, "Analysing results"),
    ],
)
def test_project_managers_and_analysts_are_led_to_the_results_and_see_no_client(
    team, client, make_professional, role, heading
):
    make_plan(team)
    person = make_professional("aggregates", role, team.org_a)
    before = AccessLogEntry.objects.count()

    page, context = home(client, person)

    assert context["sections"] == [role.value]
    assert heading in page
    assert links(page, *RESULTS) == [True, True, True]
    assert "fewer than five persons" in page
    assert "A result appears once at least five clients" in page
    assert "worklist" not in context
    assert "Pauli" not in page
    assert "My tasks" not in page
    assert links(page, "admin:index") == [False]
    assert AccessLogEntry.objects.count() == before


def test_the_administrator_sees_what_needs_attention_and_where_to_manage_it(
    team, client, make_professional
):
    make_plan(team)
    admin = make_professional("admin", Role.ADMINISTRATOR, team.org_a, is_staff=True)
    TOTPDevice.objects.create(user=team.outsider, name="puhelin", confirmed=True)
    TOTPDevice.objects.create(user=team.manager, name="kesken", confirmed=False)
    before = AccessLogEntry.objects.count()

    page, context = home(client, admin)

    assert context["sections"] == ["administrator"]
    overview = context["administration"]
    # three organisations, each with one unit; five people of whom only one has a
    # confirmed second factor; the log's rows so far, none sealed
    assert (overview.organisations, overview.units, overview.professionals) == (3, 3, 5)
    assert overview.without_second_factor == 4
    assert overview.last_sealed_at is None
    assert overview.unsealed_rows == before
    assert "4 active users have not set up two-step sign-in." in page
    assert "The access log has not been sealed yet." in page
    assert links(page, "admin:index", "clients:merge", *RESULTS[1:]) == [True] * 4
    assert "Pauli" not in page
    assert "My tasks" not in page
    assert AccessLogEntry.objects.count() == before


# Committed, so that on PostgreSQL the sealing task's horizon can pass the rows.
@pytest.mark.django_db(transaction=True)
def test_after_sealing_the_administrator_sees_when_the_log_was_last_sealed(
    team, client, make_professional
):
    admin = make_professional("admin", Role.ADMINISTRATOR, team.org_a, is_staff=True)
    make_plan(team)
    seal_all()

    page, context = home(client, admin)

    assert context["administration"].last_sealed_at is not None
    assert context["administration"].unsealed_rows == 0
    assert "Last sealed" in page
    assert "0 rows wait for the next seal." in page


def test_client_work_gets_the_worklist_and_no_administration(team, client):
    make_plan(team)

    page, context = home(client, team.manager)

    assert context["sections"] == ["client_work"]
    assert "My tasks" in page
    assert "Polkunen, Pauli" in page
    assert links(page, "admin:index") == [False]
    assert "Following the results of your work" not in page


def test_someone_without_a_membership_is_told_how_to_get_one(client, make_professional):
    from polku.accounts.models import Membership

    person = make_professional("newcomer")
    Membership.objects.filter(user=person).delete()

    page, context = home(client, person)

    assert context["sections"] == []
    assert "You are not a member of any organisation yet." in page
