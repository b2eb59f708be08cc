"""Looking a person up: client-work roles only, for one organisation, a few times an hour."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from polku.accounts.enums import Role
from polku.accounts.models import Membership
from polku.audit.models import AccessLogEntry
from polku.clients.identity_code import synthetic_identity_code
from polku.clients.models import Client, IdentityLookup

from .conftest import SYNTHETIC_CODE
from .test_registration import form_data

pytestmark = pytest.mark.django_db

# Valid codes of nobody registered (individual numbers 900-999 are reserved for tests).
UNKNOWN_CODES = [synthetic_identity_code(date(1975, 6, 15), number) for number in (950, 951, 952)]


def search(client, query, **extra):
    return client.post(reverse("clients:search"), {"q": query, **extra})


def without_tokens(page):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def duplicate_of_aino(world, organisation):
    """A new client with the registered person's name and birth date, without a code."""
    return form_data(
        world,
        organisation,
        first_names="Aino Maria",
        last_name="Testinen",
        birth_date="1980-01-01",
    )


def counts():
    return AccessLogEntry.objects.count(), IdentityLookup.objects.count()


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.ANALYST, Role.ADMINISTRATOR])
def test_a_role_outside_client_work_cannot_look_a_person_up_and_learns_nothing(
    client, world, make_professional, role
):
    # Given a professional whose only role is outside client work
    user = make_professional(f"outside-{role}", role, world.org_c)
    client.force_login(user)
    before = counts()

    # When they search by the full identity code of a registered person
    response = search(client, SYNTHETIC_CODE)

    # Then they are refused, the page is the same as for a code of nobody, and nothing is
    # logged or counted
    page = response.content.decode()
    assert response.status_code == 403
    assert "Only professionals who work with clients can look a person up." in page
    assert "Aino" not in page
    assert "Testinen" not in page
    assert "A person with this identity code exists" not in page
    assert counts() == before
    unknown = search(client, UNKNOWN_CODES[0])
    assert unknown.status_code == 403
    assert without_tokens(unknown.content.decode().replace(UNKNOWN_CODES[0], SYNTHETIC_CODE)) == (
        without_tokens(page)
    )


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.ANALYST, Role.ADMINISTRATOR])
def test_a_role_outside_client_work_gets_no_duplicate_check_at_registration(
    client, world, make_professional, role
):
    user = make_professional(f"outside-{role}", role, world.org_a)
    client.force_login(user)
    before = (*counts(), Client.objects.count())

    response = client.post(
        reverse("clients:create"),
        duplicate_of_aino(world, world.org_a),
    )

    assert response.status_code == 403
    assert "Aino" not in response.content.decode()
    assert (*counts(), Client.objects.count()) == before


def test_a_lookup_row_names_the_organisation_and_role_it_was_made_for(client, world):
    # Given a job coach's organisation C, which does not serve the person
    client.force_login(world.worker_c)

    # When the NGO worker looks the person up
    response = search(client, SYNTHETIC_CODE)

    # Then they learn the name, and the row says for which organisation, in which role
    assert response.status_code == 200
    assert "Aino Maria Testinen is not a client of your organisation" in (response.content.decode())
    row = AccessLogEntry.objects.latest("sequence")
    assert (
        row.action,
        row.client_public_id,
        row.organisation,
        row.organisation_name,
        row.role,
        row.basis,
    ) == (
        "lookup",
        world.client.public_id,
        world.org_c,
        "Järjestö C",
        "ngo_worker",
        "starting_relationship",
    )
    lookup = IdentityLookup.objects.get()
    assert (lookup.user, lookup.organisation) == (world.worker_c, world.org_c)


def test_the_duplicate_check_at_registration_logs_the_organisation(client, world):
    client.force_login(world.worker_b)

    response = client.post(
        reverse("clients:create"),
        duplicate_of_aino(world, world.org_b),
    )

    assert response.status_code == 400
    row = AccessLogEntry.objects.latest("sequence")
    assert (row.action, row.client_public_id, row.organisation, row.role) == (
        "lookup",
        world.client.public_id,
        world.org_b,
        "employment_expert",
    )
    assert IdentityLookup.objects.get().organisation == world.org_b


def test_a_user_in_several_organisations_looks_up_for_the_one_they_act_for(client, world):
    # Given a professional who works with clients in B and C, acting for B
    c_membership = Membership.objects.create(
        user=world.worker_b, organisation=world.org_c, role=Role.JOB_COACH
    )
    client.force_login(world.worker_b)
    b_membership = Membership.objects.get(user=world.worker_b, organisation=world.org_b)
    client.post(reverse("policy:act_for"), {"membership": b_membership.pk})
    search(client, SYNTHETIC_CODE)
    assert AccessLogEntry.objects.latest("sequence").organisation == world.org_b

    # When they switch to act for C and look the person up again
    switched = client.post(reverse("policy:act_for"), {"membership": c_membership.pk})
    assert switched.status_code == 302
    chosen = search(client, SYNTHETIC_CODE)

    # Then the row names C and their role there
    assert chosen.status_code == 200
    row = AccessLogEntry.objects.latest("sequence")
    assert (row.action, row.organisation, row.role) == ("lookup", world.org_c, "job_coach")


def test_nobody_acts_through_another_users_membership(client, world):
    # Given the membership of another professional, in another organisation
    others = Membership.objects.get(user=world.worker_c)
    client.force_login(world.worker_b)

    # When B's worker asks to act through it
    refused = client.post(reverse("policy:act_for"), {"membership": others.pk}, follow=True)
    search(client, SYNTHETIC_CODE)

    # Then they are told so, and still act for B
    assert "Choose one of your own memberships." in refused.content.decode()
    assert AccessLogEntry.objects.latest("sequence").organisation == world.org_b


def test_lookups_over_the_hourly_limit_are_refused_with_429_and_nothing_is_looked_up(
    client, world, settings
):
    # Given a limit of three lookups an hour, and a user who has made three, found or not
    settings.POLKU_IDENTITY_LOOKUPS_PER_HOUR = 3
    client.force_login(world.worker_c)
    for code in UNKNOWN_CODES[:2]:
        assert search(client, code).status_code == 200
    assert search(client, SYNTHETIC_CODE).status_code == 200
    before = counts()

    # When they look up a fourth time
    response = search(client, SYNTHETIC_CODE)

    # Then they are told why, with a 429, and nothing is looked up, logged or counted
    page = response.content.decode()
    assert response.status_code == 429
    assert "You have looked up 3 persons within the last hour, which is the most allowed." in page
    assert "Aino" not in page
    assert counts() == before
    assert search(client, UNKNOWN_CODES[2]).status_code == 429


def test_the_limit_counts_the_lookups_of_the_last_hour_only(client, world, settings):
    settings.POLKU_IDENTITY_LOOKUPS_PER_HOUR = 2
    client.force_login(world.worker_c)
    for code in UNKNOWN_CODES[:2]:
        search(client, code)
    assert search(client, SYNTHETIC_CODE).status_code == 429

    IdentityLookup.objects.filter(user=world.worker_c).update(
        made_at=timezone.now() - timedelta(hours=1, seconds=1)
    )

    assert search(client, SYNTHETIC_CODE).status_code == 200


def test_the_limit_holds_across_app_processes(client, world, settings):
    """The count is read from the database: lookups made through another process count."""
    settings.POLKU_IDENTITY_LOOKUPS_PER_HOUR = 2
    IdentityLookup.objects.bulk_create(
        IdentityLookup(user=world.worker_c, organisation=world.org_c, made_at=timezone.now())
        for _ in range(2)
    )
    client.force_login(world.worker_c)

    assert search(client, SYNTHETIC_CODE).status_code == 429
    # Another user's lookups are their own.
    client.force_login(world.worker_b)
    assert search(client, SYNTHETIC_CODE).status_code == 200


def test_a_search_by_name_or_a_malformed_code_is_not_a_lookup(client, world, settings):
    settings.POLKU_IDENTITY_LOOKUPS_PER_HOUR = 1
    client.force_login(world.worker_a)

    search(client, "Testinen")
    search(client, "010180-9016")

    assert IdentityLookup.objects.count() == 0
    assert search(client, SYNTHETIC_CODE).status_code == 200


def test_the_duplicate_check_over_the_limit_keeps_the_form_and_creates_nothing(
    client, world, settings
):
    settings.POLKU_IDENTITY_LOOKUPS_PER_HOUR = 1
    client.force_login(world.worker_b)
    search(client, UNKNOWN_CODES[0])
    before = (*counts(), Client.objects.count())

    response = client.post(
        reverse("clients:create"),
        duplicate_of_aino(world, world.org_b),
    )

    page = response.content.decode()
    assert response.status_code == 429
    assert "You have looked up 1 person within the last hour" in page
    assert 'value="Testinen"' in page  # what the user typed is kept
    assert "A person with the same name and date of birth is already registered" not in page
    assert (*counts(), Client.objects.count()) == before
