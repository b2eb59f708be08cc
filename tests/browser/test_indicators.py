"""The ESF+ indicator page in Chromium: the project manager of the known participant set
reads 2026 at a desktop width and on a 320-pixel phone; axe-core checks both, with the
charts, and the form error of a period that ends before it begins."""

import pytest

from polku.projects.tests.fixtures_indicators import make_indicator_world
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_phone_layout import HEIGHT, WIDTH, problems_of

pytestmark = pytest.mark.browser


def test_the_indicator_page_is_accessible_and_reflows(
    live_server, browser, axe, make_organisation, make_professional
):
    world = make_indicator_world(make_organisation, make_professional)
    base = f"{live_server.url}/projects/{world.project.public_id}/indicators/"
    url = f"{base}?starts_on=2026-01-01&ends_on=2026-12-31"

    desk = sign_in(browser, live_server.url, world.manager.username)
    desk.goto(url)
    assert desk.locator("h1").count() == 1
    assert desk.locator("figure.chart img").count() == 3
    assert desk.locator("#indicator-total td").last.inner_text() == "5"
    assert_accessible(axe, desk)
    desk.goto(f"{base}?starts_on=2026-12-31&ends_on=2026-01-01")
    assert desk.locator(".error-summary").count() == 1
    assert_accessible(axe, desk)
    desk.context.close()

    phone = sign_in(browser, live_server.url, world.manager.username, WIDTH, HEIGHT)
    phone.goto(url)
    assert problems_of(axe, phone) == []
    phone.context.close()
