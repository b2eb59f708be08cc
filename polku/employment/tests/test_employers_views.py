"""The employer register's pages: search, add, edit, the employer page with its contact
log, and "My employer contacts"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import plain_table_markup
from polku.accounts.enums import Role
from polku.employment import employer_services
from polku.employment.models import ContactMode, ContactPurpose, Employer, EmployerContact
from polku.employment.tests.employer_fixtures import (  # noqa: F401 (a fixture)
    VALID_ID,
    Coaches,
    coaches_fixture,
)

pytestmark = pytest.mark.django_db


def signed_in(client, coaches: Coaches, user=None):
    client.force_login(user or coaches.coach_a)
    return client


def test_the_register_finds_employers_by_name_prefix(client, coaches: Coaches):
    coaches.employer("Pirkan Puutarha Oy")
    coaches.employer("Hervannan Kahvila", business_id="")

    page = signed_in(client, coaches).get(reverse("employment:employers"), {"q": "pirk"})

    html = plain_table_markup(page.content.decode())
    assert page.status_code == 200
    assert "Pirkan Puutarha Oy</a>" in html
    assert "Hervannan Kahvila" not in html
    assert "<td>81 Services to buildings and landscape activities</td>" in html
    assert "<td>10–49 employees</td>" in html


def test_the_register_asks_as_many_queries_for_eight_employers_as_for_two(client, coaches: Coaches):
    signed_in(client, coaches)
    coaches.employer("Aalto Oy")
    coaches.employer("Berg Ab", business_id="")
    client.get(reverse("employment:employers"))  # sessions and caches warmed

    with CaptureQueriesContext(connection) as two:
        assert client.get(reverse("employment:employers")).status_code == 200
    for name in ("Carita", "Duo", "Eero", "Filla", "Gamma", "Hilla"):
        coaches.employer(f"{name} Oy", business_id="", industry=None)
    with CaptureQueriesContext(connection) as eight:
        page = client.get(reverse("employment:employers"))

    assert page.content.decode().count('href="/employers/') >= 8
    assert len(eight.captured_queries) == len(two.captured_queries)


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.ANALYST])
def test_roles_outside_client_work_are_refused_the_pages(
    client, coaches: Coaches, make_professional, role
):
    employer = coaches.employer()
    outsider = make_professional("olli", role=role, organisation=coaches.org_a)
    signed_in(client, coaches, outsider)

    for url in (
        reverse("employment:employers"),
        reverse("employment:employer_create"),
        reverse("employment:employer", kwargs={"employer_id": employer.pk}),
        reverse("employment:my_employer_contacts"),
    ):
        assert client.get(url).status_code == 403
    created = client.post(
        reverse("employment:employer_create"), {"name": "Uusi Oy", "municipality": "837"}
    )
    assert created.status_code == 403
    assert Employer.objects.count() == 1


def test_a_wrong_business_id_is_refused_with_a_clear_message_and_nothing_saved(
    client, coaches: Coaches
):
    page = signed_in(client, coaches).post(
        reverse("employment:employer_create"),
        {"name": "Tampereen Tiili Oy", "business_id": "2345678-9", "municipality": "837"},
    )

    assert page.status_code == 200
    html = page.content.decode()
    assert "Please check the following" in html
    assert "The check digit of the business ID does not match." in html
    assert not Employer.objects.exists()


def test_a_finnish_reader_gets_the_message_in_finnish(client, coaches: Coaches):
    page = signed_in(client, coaches).post(
        reverse("employment:employer_create"),
        {"name": "Tampereen Tiili Oy", "business_id": "2345678-9", "municipality": "837"},
        HTTP_ACCEPT_LANGUAGE="fi",
    )

    assert "Y-tunnuksen tarkistusnumero ei täsmää." in page.content.decode()
    assert not Employer.objects.exists()


def test_an_employer_is_added_and_edited_through_the_pages(client, coaches: Coaches):
    signed_in(client, coaches)

    added = client.post(
        reverse("employment:employer_create"),
        {
            "name": "Tampereen Tiili Oy",
            "business_id": VALID_ID,
            "industry": "23",
            "size_band": "50-249",
            "municipality": "837",
            "address": "Tiilitehtaankatu 3",
        },
    )
    employer = Employer.objects.get()
    assert added.status_code == 302
    assert added["Location"] == reverse("employment:employer", kwargs={"employer_id": employer.pk})

    edited = client.post(
        reverse("employment:employer_edit", kwargs={"employer_id": employer.pk}),
        {
            "name": "Tampereen Tiili ja Kivi Oy",
            "business_id": VALID_ID,
            "industry": "23",
            "size_band": "250+",
            "municipality": "837",
            "address": "",
            "is_active": "on",
        },
    )

    assert edited.status_code == 302
    employer.refresh_from_db()
    assert (
        employer.name,
        employer.size_band,
        employer.address,
        employer.created_by_organisation,
    ) == (
        "Tampereen Tiili ja Kivi Oy",
        "250+",
        "",
        coaches.org_a,
    )


def test_the_employer_page_shows_only_this_organisations_contact_log(client, coaches: Coaches):
    employer = coaches.employer()
    today = timezone.localdate()
    for coach, result in ((coaches.coach_a, "Meidän käynti"), (coaches.coach_b, "Heidän käynti")):
        employer_services.record_employer_contact(
            actor=coaches.actor(coach),
            employer=employer,
            date=today,
            mode=ContactMode.FACE_TO_FACE,
            purpose=ContactPurpose.JOB_DEVELOPMENT,
            result=result,
        )

    page = signed_in(client, coaches).get(
        reverse("employment:employer", kwargs={"employer_id": employer.pk})
    )

    html = page.content.decode()
    assert "Meidän käynti" in html
    assert "Heidän käynti" not in html
    assert "Ben Valmentaja" not in html


def test_a_contact_person_and_a_contact_are_added_on_the_employer_page(client, coaches: Coaches):
    employer = coaches.employer()
    other = coaches.employer("Toinen Oy", business_id="")
    stranger = employer_services.add_contact_person(other, actor=coaches.actor(), name="Matti")
    url = reverse("employment:employer", kwargs={"employer_id": employer.pk})
    signed_in(client, coaches)

    client.post(
        url,
        {"form": "person", "person-name": "Leena Lehtinen", "person-title": "Esihenkilö"},
    )
    person = employer.contact_people.get()
    refused = client.post(
        url,
        {
            "form": "contact",
            "contact-date": timezone.localdate().isoformat(),
            "contact-mode": "phone",
            "contact-purpose": "placement",
            "contact-contact_person": stranger.pk,
        },
    )
    assert refused.status_code == 200
    assert "Please check the following" in refused.content.decode()
    assert not EmployerContact.objects.exists()

    recorded = client.post(
        url,
        {
            "form": "contact",
            "contact-date": timezone.localdate().isoformat(),
            "contact-mode": "face_to_face",
            "contact-purpose": "placement",
            "contact-contact_person": person.pk,
            "contact-result": "Sopimus kahden viikon työkokeilusta.",
            "contact-next_step": "Aloituspalaveri",
            "contact-next_step_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )

    assert recorded.status_code == 302
    contact = EmployerContact.objects.get()
    assert (contact.coach, contact.organisation, contact.contact_person, contact.purpose) == (
        coaches.coach_a,
        coaches.org_a,
        person,
        "placement",
    )


def test_my_employer_contacts_counts_the_weeks(client, coaches: Coaches):
    employer = coaches.employer()
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    for day in (monday, monday, today):
        employer_services.record_employer_contact(
            actor=coaches.actor(),
            employer=employer,
            date=day,
            mode=ContactMode.FACE_TO_FACE,
            purpose=ContactPurpose.FOLLOW_ALONG,
        )

    page = signed_in(client, coaches).get(
        reverse("employment:my_employer_contacts"),
        {"start": monday.isoformat(), "end": today.isoformat()},
    )

    assert page.status_code == 200
    (week,) = page.context["weeks"]
    assert (week.contacts, week.face_to_face) == (3, 3)
    html = plain_table_markup(page.content.decode())
    year, number, _weekday = monday.isocalendar()
    assert f"Week {number}/{year}" in html


def test_the_home_page_leads_a_coach_to_the_employers(client, coaches: Coaches):
    page = signed_in(client, coaches).get(reverse("home"))

    html = page.content.decode()
    assert f'href="{reverse("employment:employers")}"' in html
    assert f'href="{reverse("employment:my_employer_contacts")}"' in html
    assert "Employer work" in html
