"""A social worker registers a client, records a consent and reads the access log."""

import re

import pytest

from conftest import TEST_PASSWORD
from polku.accounts.enums import OrganisationKind, Role
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_register_a_client_record_a_consent_and_see_the_log(
    live_server, page, axe, make_organisation, make_professional
):
    own = make_organisation("Sosiaalipalvelut A", OrganisationKind.SOCIAL_WELFARE)
    make_organisation("Työllisyyspalvelut B", OrganisationKind.EMPLOYMENT_SERVICES)
    make_professional("sanna", Role.SOCIAL_WORKER, own)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Käyttäjätunnus").fill("sanna")
    page.get_by_label("Salasana").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.get_by_role("link", name="Asiakkaat").click()
    assert_accessible(axe, page)

    page.get_by_role("link", name="Rekisteröi uusi asiakas").click()
    page.get_by_label("Etunimet").fill("Ilona")
    page.get_by_label("Sukunimi").fill("Kokeilu")
    page.get_by_label("Henkilötunnus").fill("150385-942D")
    page.get_by_label("Kotikunta").select_option(label="Tampere")
    page.get_by_label("Rekisteri").select_option("social_welfare")
    page.get_by_label("Oikeusperuste").select_option("social_welfare_act")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Rekisteröi asiakas").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Ilona Kokeilu"
    assert page.get_by_text("150385-942D").is_visible()
    assert_accessible(axe, page)

    page.get_by_role("link", name="Kirjaa suostumus").click()
    page.get_by_label("Vastaanottava organisaatio").select_option(label="Työllisyyspalvelut B")
    page.get_by_label("Perustiedot").check()
    page.get_by_label("Mittaukset").check()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Kirjaa suostumus").click()

    consents = page.get_by_role("region", name="Suostumukset")
    assert consents.get_by_role("cell", name="Työllisyyspalvelut B", exact=True).is_visible()
    assert consents.get_by_text("Voimassa", exact=True).is_visible()

    page.get_by_role("link", name="Yhteenveto asiakkaalle").click()
    page.get_by_role("link", name="Svenska").click()
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Ditt samtycke till att dela uppgifter"
    )
    assert_accessible(axe, page)

    # Only the summary is in the client's language; the page around it stays the reader's.
    page.get_by_role("link", name="Takaisin asiakkaan tietoihin").click()
    page.get_by_role("link", name="Koko käyttöloki").click()
    registered = "Sosiaalityöntekijä Sanna Aaltomaa (Sosiaalipalvelut A) rekisteröi asiakkaan."
    assert page.get_by_role("cell", name=registered).is_visible()
    assert_accessible(axe, page)
    page.get_by_label("Toimenpide").select_option("create")
    page.get_by_role("button", name="Näytä").click()
    assert page.get_by_role("cell", name=registered).is_visible()
    assert page.get_by_role("cell", name=re.compile("luki perustietoja")).count() == 0
