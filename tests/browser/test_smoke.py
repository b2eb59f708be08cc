"""A professional signs in, reaches the home page and switches language."""

import pytest

from conftest import TEST_PASSWORD
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_sign_in_home_and_language_switch(live_server, page, axe, make_professional):
    make_professional(username="sanna")

    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "fi"
    assert page.get_by_role("heading", level=1).inner_text() == "Kirjaudu Polkuun"
    assert_accessible(axe, page)

    page.get_by_label("Käyttäjätunnus").fill("sanna")
    page.get_by_label("Salasana").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()

    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Tervetuloa, Sanna"
    assert page.get_by_role("cell", name="Sosiaalityöntekijä").is_visible()
    assert_accessible(axe, page)

    page.get_by_role("button", name="Svenska").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Välkommen, Sanna"
    assert page.get_by_role("cell", name="Socialarbetare").is_visible()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Sanna"
    assert_accessible(axe, page)


def test_the_login_page_works_on_a_phone(live_server, page, axe, db):
    page.set_viewport_size({"width": 375, "height": 740})

    page.goto(f"{live_server.url}/accounts/login/")

    assert page.get_by_role("button", name="Kirjaudu sisään").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(axe, page)
