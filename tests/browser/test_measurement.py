"""The client answers a questionnaire through a link on a phone; the case manager sees
the score, the change and the chart."""

from datetime import date

import pytest

from conftest import TEST_PASSWORD
from polku.accounts.enums import OrganisationKind, Role
from polku.audit.services import Origin
from polku.clients.services import RelationshipTerms, register_client
from polku.measures.services import load_shipped_instruments
from polku.policy.enums import LegalBasis, Register
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_the_client_answers_on_a_phone_and_the_case_manager_sees_the_change(
    live_server, browser, axe, programmes, make_organisation, make_professional
):
    load_shipped_instruments()
    area = make_organisation("Työllisyysalue A", OrganisationKind.EMPLOYMENT_SERVICES)
    coach = make_professional("jussi", Role.JOB_COACH, area, first_name="Jussi")
    client = register_client(
        origin=Origin(user=coach),
        terms=RelationshipTerms(
            organisation=area,
            register=Register.EMPLOYMENT_SERVICES,
            legal_basis=LegalBasis.MULTI_SECTOR_ACT,
        ),
        first_names="Mira",
        last_name="Mittari",
        birth_date=date(1988, 2, 2),
    ).client
    url = live_server.url

    desk = browser.new_context(locale="fi-FI", viewport={"width": 1280, "height": 900}).new_page()
    desk.goto(f"{url}/accounts/login/")
    desk.get_by_label("Käyttäjätunnus").fill("jussi")
    desk.get_by_label("Salasana").fill(TEST_PASSWORD)
    desk.get_by_role("button", name="Kirjaudu sisään").click()
    desk.goto(f"{url}/clients/{client.public_id}/measures/")
    desk.get_by_label("Mittari").select_option(label="Työkykypistemäärä (WAS) 1.1")
    desk.get_by_label("Miten").select_option("link")
    desk.get_by_role("button", name="Aloita mittaus").click()
    desk.get_by_role("button", name="Tee linkki").click()
    link = desk.get_by_label("Linkki").input_value()
    assert link.startswith(f"{url}/q/")

    phone = browser.new_context(
        locale="fi-FI", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    ).new_page()
    phone.goto(link)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(axe, phone)
    phone.get_by_label("7", exact=True).check()
    phone.get_by_role("button", name="Lähetä vastaukset").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "Kiitos vastauksistasi"
    own = phone.get_by_role("region", name="Tuloksesi")
    assert "Pistemääräsi on 7 asteikolla 0–10." in own.inner_text()
    assert_accessible(axe, phone)

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
