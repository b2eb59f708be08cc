"""A job coach's employer work on a 320 CSS pixel wide screen: the register, an employer's
page with its contact log, a wrong business ID refused, a contact recorded, and the weekly
figures; nothing scrolls sideways and axe-core finds nothing to fix."""

import pytest
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.core.models import Industry, Municipality
from polku.employment import employer_services
from polku.employment.models import ContactMode, ContactPurpose, Employer, EmployerContact
from polku.policy.actors import Actor
from tests.browser.conftest import sign_in
from tests.browser.test_phone_layout import HEIGHT, WIDTH, problems_of

pytestmark = pytest.mark.browser


def test_a_coachs_employer_work_reflows_on_a_phone(
    live_server, browser, axe, make_organisation, make_professional
):
    ngo = make_organisation("Askel eteenpäin ry", OrganisationKind.NGO)
    coach = make_professional("jussi", Role.JOB_COACH, ngo, first_name="Jussi")
    actor = Actor.for_user(coach)
    employer = employer_services.create_employer(
        actor=actor,
        name="Pirkanmaan Kiinteistöhuolto- ja Ympäristöpalvelukeskus Oy",
        business_id="2345678-0",
        industry=Industry.objects.get(pk="81"),
        municipality=Municipality.objects.get(pk="837"),
        address="Hyvin pitkän kadunnimen tie 123 A 45, 33100 Tampere",
    )
    person = employer_services.add_contact_person(
        employer,
        actor=actor,
        name="Leena Lehtinen-Kivimäki",
        title="Kiinteistöhuollon työnjohtaja",
        email="leena.lehtinen-kivimaki@kiinteistohuolto.example.invalid",
    )
    employer_services.record_employer_contact(
        actor=actor,
        employer=employer,
        date=timezone.localdate(),
        mode=ContactMode.FACE_TO_FACE,
        purpose=ContactPurpose.FOLLOW_ALONG,
        contact_person=person,
        result="Työkokeilu on alkanut hyvin; toiveena selkeä viikkosuunnitelma.",
    )
    url = live_server.url

    page = sign_in(browser, url, "jussi", width=WIDTH, height=HEIGHT)
    problems: list[str] = []
    for address in (
        f"{url}/",
        f"{url}/employers/",
        f"{url}/employers/?q=pirk",
        f"{url}/employers/new/",
        f"{url}/employers/{employer.pk}/",
        f"{url}/employers/{employer.pk}/edit/",
        f"{url}/employers/my-contacts/",
    ):
        page.goto(address)
        problems += problems_of(axe, page)

    # A wrong business ID is refused with the error summary, and nothing is saved.
    page.goto(f"{url}/employers/new/")
    page.locator("#id_name").fill("Tampereen Tiili Oy")
    page.locator("#id_business_id").fill("2345678-9")
    page.locator("#id_municipality").select_option("837")
    page.locator("form.card button[type=submit]").click()
    assert page.locator(".error-summary").is_visible()
    problems += problems_of(axe, page)
    assert Employer.objects.count() == 1

    # A contact recorded on the employer's page appears in the log.
    page.goto(f"{url}/employers/{employer.pk}/")
    page.locator("#id_contact-mode_1").check()  # phone
    page.locator("#id_contact-purpose").select_option("job_development")
    page.locator("#id_contact-result").fill("Soitto uudesta tehtävästä")
    page.locator("section[aria-labelledby=record-heading] button[type=submit]").click()
    assert page.get_by_text("Soitto uudesta tehtävästä").is_visible()
    assert EmployerContact.objects.count() == 2
    problems += problems_of(axe, page)
    assert problems == [], "\n".join(problems)
