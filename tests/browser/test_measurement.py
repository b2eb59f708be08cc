"""The client answers a questionnaire through a link on a phone; the case manager sees
the score, the change and the chart."""

from datetime import date

import pytest
from playwright.sync_api import Browser, Page

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Organisation, User
from polku.clients.models import Client
from polku.clients.services import RelationshipTerms, register_client
from polku.measures.services import load_shipped_instruments
from polku.policy.actors import Actor
from polku.policy.enums import LegalBasis, Register
from tests.browser.conftest import assert_accessible, new_page, sign_in

pytestmark = pytest.mark.browser


def served_client(coach: User, area: Organisation) -> Client:
    return register_client(
        actor=Actor.for_user(coach),
        terms=RelationshipTerms(
            organisation=area,
            register=Register.EMPLOYMENT_SERVICES,
            legal_basis=LegalBasis.MULTI_SECTOR_ACT,
        ),
        first_names="Mira",
        last_name="Mittari",
        birth_date=date(1988, 2, 2),
    ).client


def answer_link(desk: Page, url: str, client: Client, instrument: str) -> str:
    """The case manager starts a measurement to be answered through a link; its address."""
    desk.goto(f"{url}/clients/{client.public_id}/measures/")
    desk.get_by_label("Mittari").select_option(label=instrument)
    desk.get_by_label("Miten").select_option("link")
    desk.get_by_role("button", name="Aloita mittaus").click()
    desk.get_by_role("button", name="Tee linkki").click()
    return desk.get_by_label("Linkki").input_value()


def phone(browser: Browser) -> Page:
    return new_page(browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)


def test_the_client_answers_on_a_phone_and_the_case_manager_sees_the_change(
    live_server, browser, axe, programmes, make_organisation, make_professional
):
    load_shipped_instruments()
    area = make_organisation("Työllisyysalue A", OrganisationKind.EMPLOYMENT_SERVICES)
    coach = make_professional("jussi", Role.JOB_COACH, area, first_name="Jussi")
    client = served_client(coach, area)
    url = live_server.url

    desk = sign_in(browser, url, "jussi")
    link = answer_link(desk, url, client, "Työkykypistemäärä (WAS) 1.1")
    assert link.startswith(f"{url}/q/")

    mobile = phone(browser)
    mobile.goto(link)
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(axe, mobile)
    mobile.get_by_label("7", exact=True).check()
    mobile.get_by_role("button", name="Lähetä vastaukset").click()
    assert mobile.get_by_role("heading", level=1).inner_text() == "Kiitos vastauksistasi"
    own = mobile.get_by_role("region", name="Tuloksesi")
    assert "Pistemääräsi on 7 asteikolla 0–10." in own.inner_text()
    assert_accessible(axe, mobile)

    # A second measurement, answered together, shows the change.
    desk.goto(f"{url}/clients/{client.public_id}/measures/")
    desk.get_by_label("Mittari").select_option(label="Työkykypistemäärä (WAS) 1.1")
    desk.get_by_label("Miten").select_option("together")
    desk.get_by_role("button", name="Aloita mittaus").click()
    desk.get_by_label("9", exact=True).check()
    desk.get_by_role("button", name="Lähetä vastaukset").click()

    results = desk.get_by_role("region", name="Työkykypistemäärä (WAS)")
    assert results.locator(".score-summary__value").inner_text() == "9"
    assert (
        results.get_by_role("img")
        .first.get_attribute("alt")
        .startswith("Työkykypistemäärä (WAS): Mira Mittari")
    )
    table = results.get_by_role("table")
    assert table.get_by_role("row").nth(2).get_by_role("cell").nth(4).inner_text() == "2"
    assert_accessible(axe, desk)
    assert "luotettavasti" in results.get_by_role("table").inner_text()

    # The same results in plain language, to go through with the client.
    desk.get_by_role("link", name="Selkokielellä asiakkaalle").click()
    plain = desk.get_by_role("region", name="Työkykypistemäärä (WAS)")
    assert "Pistemääräsi on 9 asteikolla 0–10." in plain.inner_text()
    assert "noussut" in plain.inner_text()
    assert_accessible(axe, desk)


def test_an_administrator_readies_a_template_and_the_client_answers_a_question_at_a_time(
    live_server, browser, axe, programmes, make_organisation, make_professional
):
    load_shipped_instruments()
    area = make_organisation("Työllisyysalue A", OrganisationKind.EMPLOYMENT_SERVICES)
    make_professional("paakayttaja", Role.ADMINISTRATOR, area, is_staff=True)
    coach = make_professional("jussi", Role.JOB_COACH, area, first_name="Jussi")
    client = served_client(coach, area)
    url = live_server.url

    admin = sign_in(browser, url, "paakayttaja")
    admin.goto(f"{url}/measures/instruments/")
    assert_accessible(axe, admin)
    admin.get_by_role("link", name="Kirjaa sanamuodot Osallisuusindikaattori").click()
    assert_accessible(axe, admin)
    for number, box in enumerate(admin.get_by_label("suomi", exact=True).all(), start=1):
        box.fill(f"Väittämä {number}")
    admin.get_by_role("button", name="Tallenna sanamuodot").click()
    assert "Mittari on käyttövalmis" in admin.get_by_role("status").inner_text()
    admin.get_by_role("link", name="Määrittele uusi mittari").click()
    assert_accessible(axe, admin)
    admin.goto(f"{url}/measures/schedules/")
    coaching = admin.get_by_role("region", name="Työhönvalmennus (IPS)")
    assert coaching.get_by_role(
        "cell", name="6 kuukautta päättymisen jälkeen", exact=True
    ).is_visible()
    assert_accessible(axe, admin)

    desk = sign_in(browser, url, "jussi")
    mobile = phone(browser)
    mobile.goto(answer_link(desk, url, client, "Osallisuusindikaattori 1.0"))
    assert mobile.get_by_text("Kysymys 1 / 10").is_visible()
    assert_accessible(axe, mobile)
    mobile.get_by_label("Jokseenkin samaa mieltä").check()
    mobile.get_by_text("Vastauksesi tähän asti on tallennettu.").wait_for()  # saved as given
    mobile.reload()
    assert mobile.get_by_label("Jokseenkin samaa mieltä").is_checked()
    mobile.get_by_role("button", name="Seuraava").click()
    assert mobile.get_by_text("Kysymys 2 / 10").is_visible()
    assert mobile.get_by_role("group", name="2. Väittämä 2").is_visible()
    mobile.get_by_role("button", name="Edellinen").click()
    assert mobile.get_by_label("Jokseenkin samaa mieltä").is_checked()  # saved on the way
    mobile.get_by_role("button", name="Tallenna ja jatka myöhemmin").click()
    assert "Vastauksesi on tallennettu" in mobile.get_by_role("status").inner_text()
