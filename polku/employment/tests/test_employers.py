"""Employers, contact people and the engagement log through their services and selectors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership
from polku.accounts.validators import business_id_check_digit, validate_business_id
from polku.core.models import Industry, Municipality
from polku.employment import employer_selectors, employer_services
from polku.employment.employer_selectors import WeekCount, contacts_per_week
from polku.employment.models import (
    ContactMode,
    ContactPurpose,
    Employer,
    EmployerContact,
    EmployerContactPerson,
)
from polku.employment.tests.employer_fixtures import (  # noqa: F401 (a fixture)
    OTHER_VALID_ID,
    VALID_ID,
    Coaches,
    coaches_fixture,
)
from polku.policy import decisions
from polku.policy.actors import Actor

pytestmark = pytest.mark.django_db

# --- business ID ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "check_digit"),
    [
        ("2345678", 0),  # 14+27+40+25+48+28+16 = 198 = 18 × 11: remainder 0 gives 0
        ("1234567", 1),  # 7+18+30+20+40+24+14 = 153, remainder 10: 11 − 10 = 1
        ("0112038", 9),  # 0+9+10+10+0+12+16 = 57, remainder 2: 11 − 2 = 9
        ("0245437", 2),  # 0+18+40+25+32+12+14 = 141, remainder 9: 11 − 9 = 2
        ("3456789", None),  # 21+36+50+30+56+32+18 = 243, remainder 1: no valid ID
    ],
)
def test_the_check_digit_is_computed_with_the_official_weights(body, check_digit):
    assert business_id_check_digit(body) == check_digit


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2345678-1", "business_id_check"),  # wrong check digit
        ("3456789-0", "business_id_check"),  # remainder 1: no check digit is right
        ("3456789-1", "business_id_check"),
        ("2345678", "business_id_format"),
        ("234567-80", "business_id_format"),
        ("2345678 0", "business_id_format"),
    ],
)
def test_a_wrong_business_id_is_refused_with_its_reason(value, code):
    with pytest.raises(ValidationError) as refused:
        validate_business_id(value)
    assert refused.value.code == code


# --- employers --------------------------------------------------------------------------------


def test_a_coach_adds_an_employer_to_the_shared_register(coaches: Coaches):
    employer = coaches.employer("Pirkan Puutarha Oy", address="Hatanpään valtatie 1")

    stored = Employer.objects.get()
    assert stored == employer
    assert (stored.name, stored.business_id, stored.industry_id, stored.size_band) == (
        "Pirkan Puutarha Oy",
        VALID_ID,
        "81",
        "10-49",
    )
    assert stored.municipality_id == "837"
    assert stored.created_by_organisation == coaches.org_a
    assert stored.search_name == "pirkan puutarha oy"
    assert stored.is_active


def test_a_wrong_check_digit_saves_nothing(coaches: Coaches):
    with pytest.raises(ValidationError) as refused:
        coaches.employer(business_id="2345678-5")

    assert refused.value.message_dict == {
        "business_id": ["The check digit of the business ID does not match."]
    }
    assert not Employer.objects.exists()


def test_a_business_id_is_registered_once_but_many_employers_may_have_none(coaches: Coaches):
    coaches.employer("Ensimmäinen Oy")
    coaches.employer("Toiminimi Virtanen", business_id="")
    coaches.employer("Yhdistys ilman tunnusta", business_id="")

    with pytest.raises(ValidationError) as refused:
        coaches.employer("Toinen Oy", business_id=VALID_ID)

    assert "An employer with this business ID is already registered." in str(refused.value)
    assert Employer.objects.count() == 3


def test_another_organisations_coach_edits_the_shared_employer(coaches: Coaches):
    employer = coaches.employer()

    employer_services.update_employer(
        employer,
        actor=coaches.actor(coaches.coach_b),
        name="Pirkan Puutarha ja Viher Oy",
        business_id=OTHER_VALID_ID,
        municipality=Municipality.objects.get(pk="980"),
        industry=Industry.objects.get(pk="01"),
    )

    employer.refresh_from_db()
    assert (employer.name, employer.business_id, employer.municipality_id) == (
        "Pirkan Puutarha ja Viher Oy",
        OTHER_VALID_ID,
        "980",
    )
    assert employer.search_name == "pirkan puutarha ja viher oy"
    assert employer.industry is not None
    assert employer.industry.parent_id == "A"


def test_an_edit_with_a_bad_business_id_changes_nothing(coaches: Coaches):
    employer = coaches.employer()

    with pytest.raises(ValidationError):
        employer_services.update_employer(
            employer, actor=coaches.actor(), name="Uusi nimi", business_id="1234567-2"
        )

    employer.refresh_from_db()
    assert (employer.name, employer.business_id) == ("Pirkan Puutarha Oy", VALID_ID)


def test_only_an_employer_organisation_of_polku_can_be_linked(coaches: Coaches, make_organisation):
    works = make_organisation(name="Ylöjärven Puutyö Oy", kind=OrganisationKind.EMPLOYER)

    with pytest.raises(ValidationError):
        coaches.employer("Askel", business_id="", organisation=coaches.org_a)
    employer = coaches.employer("Ylöjärven Puutyö Oy", organisation=works)

    assert works.employer == employer


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.ANALYST, Role.ADMINISTRATOR])
def test_roles_outside_client_work_may_not_manage_employers(
    coaches: Coaches, make_professional, role
):
    employer = coaches.employer()
    outsider = Actor.for_user(make_professional("olli", role=role, organisation=coaches.org_a))

    assert not decisions.may_manage_employers(outsider)
    with pytest.raises(PermissionDenied):
        employer_services.create_employer(
            actor=outsider, name="Uusi Oy", municipality=Municipality.objects.get(pk="837")
        )
    with pytest.raises(PermissionDenied):
        employer_services.update_employer(employer, actor=outsider, name="Muutettu")
    with pytest.raises(PermissionDenied):
        employer_selectors.search_employers(outsider, "pirkan")
    with pytest.raises(PermissionDenied):
        employer_services.record_employer_contact(
            actor=outsider,
            employer=employer,
            date=timezone.localdate(),
            mode=ContactMode.PHONE,
            purpose=ContactPurpose.OTHER,
        )
    employer.refresh_from_db()
    assert employer.name == "Pirkan Puutarha Oy"
    assert Employer.objects.count() == 1
    assert not EmployerContact.objects.exists()


def test_an_ended_membership_no_longer_manages_employers(coaches: Coaches):
    today = timezone.localdate()
    Membership.objects.filter(user=coaches.coach_a).update(
        valid_from=today - timedelta(days=30), valid_until=today - timedelta(days=1)
    )
    assert not decisions.may_manage_employers(Actor.for_user(coaches.coach_a))


def test_the_register_is_searched_by_name_prefix_and_by_exact_business_id(coaches: Coaches):
    coaches.employer("Äänekosken Kone Oy", business_id=VALID_ID)
    coaches.employer("Aalto Rakennus Oy", business_id=OTHER_VALID_ID)
    coaches.employer("Kahvila Äänelä", business_id="")
    closed = coaches.employer("Aava Catering Oy", business_id="")
    employer_services.update_employer(closed, actor=coaches.actor(), is_active=False)
    actor = coaches.actor(coaches.coach_b)

    def names(query: str, **options: bool) -> list[str]:
        found = employer_selectors.search_employers(actor, query, **options)
        return [employer.name for employer in found]

    assert names("aa") == ["Aalto Rakennus Oy", "Äänekosken Kone Oy"]
    assert names("ÄÄNE") == ["Äänekosken Kone Oy"]
    assert names("aa", include_inactive=True) == [
        "Aalto Rakennus Oy",
        "Äänekosken Kone Oy",  # folded: "aanekosken" sorts before "aava"
        "Aava Catering Oy",
    ]
    assert names(OTHER_VALID_ID) == ["Aalto Rakennus Oy"]
    assert names("1234567") == []  # a business ID is matched whole, not as a name prefix
    assert names("oy") == []
    assert len(names("")) == 3


# --- contact people ---------------------------------------------------------------------------


def test_contact_people_are_added_edited_and_retired(coaches: Coaches):
    employer = coaches.employer()

    person = employer_services.add_contact_person(
        employer,
        actor=coaches.actor(),
        name="Leena Lehtinen",
        title="Tuotantopäällikkö",
        phone="040 123 4567",
        email="leena.lehtinen@example.invalid",
    )
    employer_services.update_contact_person(person, actor=coaches.actor(), is_active=False)

    person.refresh_from_db()
    assert (person.employer, person.name, person.title, person.is_active) == (
        employer,
        "Leena Lehtinen",
        "Tuotantopäällikkö",
        False,
    )
    with pytest.raises(ValidationError):
        employer_services.add_contact_person(
            employer, actor=coaches.actor(), name="Pekka", phone="soita"
        )
    assert EmployerContactPerson.objects.count() == 1


# --- the engagement log -----------------------------------------------------------------------


def record(coaches: Coaches, employer: Employer, day: date, mode: str, **fields: object):
    return employer_services.record_employer_contact(
        actor=fields.pop("actor", None) or coaches.actor(),  # type: ignore[arg-type]
        employer=employer,
        date=day,
        mode=mode,
        purpose=fields.pop("purpose", ContactPurpose.JOB_DEVELOPMENT),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


def test_a_coach_records_a_contact_for_their_organisation(coaches: Coaches):
    employer = coaches.employer()
    person = employer_services.add_contact_person(employer, actor=coaches.actor(), name="Leena")
    today = timezone.localdate()

    contact = record(
        coaches,
        employer,
        today,
        ContactMode.FACE_TO_FACE,
        contact_person=person,
        purpose=ContactPurpose.WORK_TRIAL,
        result="Työkokeilupaikka varastossa syyskuusta.",
        next_step="Soitto aloituspäivästä",
        next_step_date=today + timedelta(days=7),
    )

    stored = EmployerContact.objects.get()
    assert stored == contact
    assert (stored.coach, stored.organisation, stored.contact_person) == (
        coaches.coach_a,
        coaches.org_a,
        person,
    )
    assert (stored.mode, stored.purpose, stored.result) == (
        "face_to_face",
        "work_trial",
        "Työkokeilupaikka varastossa syyskuusta.",
    )


def test_the_contact_person_must_work_at_the_employer(coaches: Coaches):
    employer = coaches.employer()
    other = coaches.employer("Toinen Oy", business_id="")
    stranger = employer_services.add_contact_person(other, actor=coaches.actor(), name="Matti")

    with pytest.raises(ValidationError) as refused:
        record(coaches, employer, timezone.localdate(), ContactMode.PHONE, contact_person=stranger)

    assert refused.value.message_dict == {
        "contact_person": ["The contact person must work at this employer."]
    }
    assert not EmployerContact.objects.exists()


def test_a_contact_is_not_recorded_in_the_future_nor_its_next_step_before_it(coaches: Coaches):
    employer = coaches.employer()
    today = timezone.localdate()

    with pytest.raises(ValidationError) as refused:
        record(
            coaches,
            employer,
            today + timedelta(days=1),
            ContactMode.PHONE,
            next_step_date=today,
        )

    assert set(refused.value.message_dict) == {"date", "next_step_date"}
    assert not EmployerContact.objects.exists()


def test_another_organisations_contact_log_is_invisible(coaches: Coaches):
    employer = coaches.employer()
    today = timezone.localdate()
    ours = record(coaches, employer, today, ContactMode.PHONE)
    theirs = record(
        coaches, employer, today, ContactMode.VIDEO, actor=coaches.actor(coaches.coach_b)
    )
    actor_a = coaches.actor()

    assert list(employer_selectors.employer_contacts(actor_a, employer)) == [ours]
    assert employer_selectors.contact_for(actor_a, ours.pk) == ours
    with pytest.raises(Http404):
        employer_selectors.contact_for(actor_a, theirs.pk)
    assert list(employer_selectors.coach_contacts(actor_a, coaches.coach_b, today, today)) == []


def test_a_coach_in_two_organisations_sees_the_log_of_the_one_they_act_for(
    coaches: Coaches,
):
    employer = coaches.employer()
    Membership.objects.create(user=coaches.coach_a, organisation=coaches.org_b, role=Role.JOB_COACH)
    membership_b = Membership.objects.get(user=coaches.coach_a, organisation=coaches.org_b)
    today = timezone.localdate()
    as_a = record(coaches, employer, today, ContactMode.PHONE)
    as_b = record(
        coaches,
        employer,
        today,
        ContactMode.PHONE,
        actor=Actor.for_user(coaches.coach_a, membership_id=membership_b.pk),
    )

    assert as_b.organisation == coaches.org_b
    assert list(employer_selectors.employer_contacts(coaches.actor(), employer)) == [as_a]
    assert list(employer_selectors.employer_contacts(coaches.actor(coaches.coach_b), employer)) == [
        as_b
    ]


def test_contacts_per_week_by_hand(coaches: Coaches):
    employer = coaches.employer()
    # Given: week 1 of 2026 (Mon 29 Dec 2025 – Sun 4 Jan 2026) starts in the old year.
    entries = [
        (date(2025, 12, 28), ContactMode.FACE_TO_FACE),  # before the period: not counted
        (date(2025, 12, 29), ContactMode.FACE_TO_FACE),  # before the period: not counted
        (date(2026, 1, 1), ContactMode.FACE_TO_FACE),  # week 1
        (date(2026, 1, 2), ContactMode.PHONE),  # week 1
        (date(2026, 1, 4), ContactMode.FACE_TO_FACE),  # week 1 (Sunday)
        (date(2026, 1, 5), ContactMode.EMAIL),  # week 2 (Monday)
        # week 3: none
        (date(2026, 1, 19), ContactMode.FACE_TO_FACE),  # week 4
        (date(2026, 1, 20), ContactMode.FACE_TO_FACE),
        (date(2026, 1, 21), ContactMode.FACE_TO_FACE),
        (date(2026, 1, 22), ContactMode.FACE_TO_FACE),
        (date(2026, 1, 23), ContactMode.FACE_TO_FACE),
        (date(2026, 1, 23), ContactMode.FACE_TO_FACE),
        (date(2026, 1, 24), ContactMode.VIDEO),
        (date(2026, 1, 26), ContactMode.FACE_TO_FACE),  # after the period: not counted
    ]
    for day, mode in entries:
        record(coaches, employer, day, mode)
    # Another coach's contacts and another organisation's are not the coach's figures.
    record(
        coaches,
        employer,
        date(2026, 1, 5),
        ContactMode.FACE_TO_FACE,
        actor=coaches.actor(coaches.coach_b),
    )

    weeks = contacts_per_week(coaches.actor(), coaches.coach_a, date(2026, 1, 1), date(2026, 1, 25))

    assert weeks == [
        WeekCount(2026, 1, date(2025, 12, 29), contacts=3, face_to_face=2),
        WeekCount(2026, 2, date(2026, 1, 5), contacts=1, face_to_face=0),
        WeekCount(2026, 3, date(2026, 1, 12), contacts=0, face_to_face=0),
        WeekCount(2026, 4, date(2026, 1, 19), contacts=7, face_to_face=6),
    ]
    assert [week.meets_face_to_face_target for week in weeks] == [False, False, False, True]
    assert weeks[0].sunday == date(2026, 1, 4)
    assert (
        contacts_per_week(
            coaches.actor(coaches.coach_b), coaches.coach_a, date(2026, 1, 1), date(2026, 1, 25)
        )[3].contacts
        == 0
    )
    assert (
        contacts_per_week(coaches.actor(), coaches.coach_a, date(2026, 1, 25), date(2026, 1, 1))
        == []
    )


def test_the_year_boundary_week_53(coaches: Coaches):
    employer = coaches.employer()
    # 2020 has 53 ISO weeks: week 53 runs from Mon 28 Dec 2020 to Sun 3 Jan 2021.
    record(coaches, employer, date(2020, 12, 31), ContactMode.FACE_TO_FACE)  # Thu, week 53
    record(coaches, employer, date(2021, 1, 3), ContactMode.PHONE)  # Sun, week 53
    record(coaches, employer, date(2021, 1, 4), ContactMode.PHONE)  # Mon, week 1 of 2021

    weeks = contacts_per_week(
        coaches.actor(), coaches.coach_a, date(2020, 12, 28), date(2021, 1, 10)
    )

    assert weeks == [
        WeekCount(2020, 53, date(2020, 12, 28), contacts=2, face_to_face=1),
        WeekCount(2021, 1, date(2021, 1, 4), contacts=1, face_to_face=0),
    ]
