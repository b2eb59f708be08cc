"""The demo's employers: believable, valid, and seeded once."""

import pytest

from polku.accounts.validators import validate_business_id
from polku.employment.employer_selectors import contacts_per_week
from polku.employment.models import Employer, EmployerContact, EmployerContactPerson
from polku.policy.actors import Actor
from polku.synthetic.demo import seed_demo_data
from polku.synthetic.employers import DEMO_CONTACTS, DEMO_EMPLOYERS

pytestmark = pytest.mark.django_db


def test_the_demo_has_employers_with_valid_business_ids_and_the_coachs_contacts(codesets):
    seed_demo_data()
    seed_demo_data()

    employers = list(Employer.objects.all())
    assert len(employers) == len(DEMO_EMPLOYERS) == 5
    for employer in employers:
        validate_business_id(employer.business_id)
    assert EmployerContactPerson.objects.count() == 6
    contacts = EmployerContact.objects.select_related("coach", "organisation")
    assert contacts.count() == len(DEMO_CONTACTS) == 8
    assert {(c.coach.username, c.organisation.name) for c in contacts} == {
        ("tyohonvalmentaja", "Askel eteenpäin ry")
    }
    coach = contacts[0].coach
    first, last = min(c.date for c in contacts), max(c.date for c in contacts)
    weeks = contacts_per_week(Actor.for_user(coach), coach, first, last)
    assert sum(week.contacts for week in weeks) == 8
    assert sum(week.face_to_face for week in weeks) == 5
