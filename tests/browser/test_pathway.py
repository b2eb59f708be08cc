"""A whole pathway across two organisations, in the browser, with axe-core on every page."""

import pytest

from polku.accounts.enums import OrganisationKind, Role
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_a_whole_pathway(
    live_server, browser, axe, programmes, make_organisation, make_professional
):
    area = make_organisation("Työllisyysalue A", OrganisationKind.EMPLOYMENT_SERVICES)
    rehab = make_organisation("Kuntoutus B", OrganisationKind.HEALTH_CARE)
    make_professional(
        "maija", Role.EMPLOYMENT_EXPERT, area, first_name="Maija", last_name="Manageri"
    )
    make_professional("olli", Role.PHYSICIAN, rehab, first_name="Olli", last_name="Lääkäri")
    url = live_server.url

    # The case manager registers the client and opens an episode with herself as manager.
    page = sign_in(browser, url, "maija")
    page.goto(f"{url}/clients/new/")
    page.get_by_label("Etunimet").fill("Pauli")
    page.get_by_label("Sukunimi").fill("Polkunen")
    page.get_by_label("Henkilötunnus").fill("010675-951H")
    page.get_by_label("Rekisteri").select_option("employment_services")
    page.get_by_label("Oikeusperuste").select_option("multi_sector_act")
    page.get_by_role("button", name="Rekisteröi asiakas").click()
    overview_url = page.url
    page.get_by_role("link", name="Kirjaa suostumus").click()
    page.get_by_label("Vastaanottava organisaatio").select_option(label="Kuntoutus B")
    page.get_by_label("Perustiedot").check()
    page.get_by_role("button", name="Kirjaa suostumus").click()

    page.get_by_role("link", name="Palvelupolku").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Aloita jakso").click()
    page.get_by_label("Ohjelma").select_option(label="Monialainen työllistymisen edistäminen (TYP)")
    page.get_by_label("Asiakasvastaava").select_option(label="Maija Manageri")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Aloita jakso").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Monialainen työllistymisen edistäminen (TYP)"
    )
    assert_accessible(axe, page)
    episode_url = page.url

    # She refers the client to rehabilitation; the physician accepts.
    page.goto(overview_url)
    page.get_by_role("link", name="Palvelupolku").click()
    page.get_by_role("link", name="Lähetä").click()
    page.get_by_label("Vastaanottava organisaatio").select_option(label="Kuntoutus B")
    page.get_by_label("Lähetteen syy").fill("Työkyvyn arvio ja kuntoutustarve")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Lähetä lähete").click()

    receiver = sign_in(browser, url, "olli")
    assert_accessible(axe, receiver)
    incoming = receiver.get_by_role("region", name="Saapuneet lähetteet")
    assert "Työkyvyn arvio ja kuntoutustarve" in incoming.inner_text()
    incoming.get_by_role("link", name="Polkunen, Pauli").click()
    receiver.get_by_label("Rekisteri").select_option("health_care")
    receiver.get_by_label("Oikeusperuste").select_option("health_care_act")
    assert_accessible(axe, receiver)
    receiver.get_by_role("button", name="Hyväksy lähete").click()
    assert receiver.get_by_text("Hyväksytty").first.is_visible()

    # A plan with two goals, then a review.
    page.goto(episode_url)
    page.get_by_role("link", name="Laadi suunnitelma").click()
    page.get_by_label("Tavoite 1 asiakkaan omin sanoin").fill("Haluan päästä puutöihin")
    page.get_by_label("0 odotettu taso (tavoite 1)").fill("Työkokeilu puusepänverstaalla")
    page.get_by_label("Tärkeys asiakkaalle (tavoite 1)").select_option("3")
    page.get_by_label("Vaikeus (tavoite 1)").select_option("2")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Lisää tavoite").click()
    assert page.evaluate("window.notReloaded === true")  # the row was added in place
    page.get_by_label("Tavoite 2 asiakkaan omin sanoin").fill("Haluan jaksaa arjessa paremmin")
    page.get_by_label("Toimenpide 1", exact=True).fill("Unipäiväkirja kahden viikon ajan")
    page.get_by_label("Mitä tavoitetta edistää (toimenpide 1)").select_option(
        label="Tavoite 2: Haluan jaksaa arjessa paremmin"
    )
    assert_accessible(axe, page)
    page.get_by_role("button", name="Tallenna suunnitelma").click()
    page.goto(f"{episode_url}plan/print/")
    assert page.get_by_role("row", name="Unipäiväkirja kahden viikon ajan 2").is_visible()
    page.goto(episode_url)
    page.get_by_role("link", name="Arvioi suunnitelma").click()
    page.get_by_role("group", name="Haluan päästä puutöihin").get_by_label(
        "+1 odotettua hieman parempi"
    ).check()
    page.get_by_role("group", name="Haluan jaksaa arjessa paremmin").get_by_label(
        "0 odotettu taso"
    ).check()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Tallenna arvio").click()

    # Phases move to employment, and the episode ends.
    for phase in ("Kuntoutus", "Työllistyminen"):
        page.get_by_label("Uusi vaihe").select_option(label=phase)
        page.get_by_role("button", name="Vaihda vaihe").click()
    assert page.get_by_role("heading", name="Vaihe: Työllistyminen").is_visible()
    page.get_by_label("Miksi jakso päättyy").select_option(label="Työ avoimilla työmarkkinoilla")
    page.get_by_role("button", name="Päätä jakso…").click()
    assert page.get_by_role("heading", name="Mitä tästä seuraa").is_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Päätä jakso", exact=True).click()

    timeline = page.get_by_role("region", name="Aikajana").locator(".timeline__title")
    titles = timeline.all_inner_texts()
    assert titles[0].startswith("Jakso alkoi")
    expected_order = [
        "Jakso alkoi",
        "Vaihe: Kartoitus",
        "Asiakasvastaava: Maija Manageri",
        "Lähete",
        "Lähete hyväksytty",
        "Suunnitelman versio 1",
        "Suunnitelma arvioitu",
        "Vaihe: Kuntoutus",
        "Vaihe: Työllistyminen",
        "Jakso päättyi",
    ]
    positions = [
        next(i for i, title in enumerate(titles) if title.startswith(prefix))
        for prefix in expected_order
    ]
    assert positions == sorted(positions), titles
    assert_accessible(axe, page)
