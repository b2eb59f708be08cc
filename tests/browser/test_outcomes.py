"""The supervisor's outcome view in Chromium: the analyst of the known world reads
September 2026 at a desktop width and on a 320-pixel phone; axe-core checks both, with the
trend charts, and the form error of a period that cannot be read."""

import pytest

from polku.employment.tests.outcome_world import make_outcome_world
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_phone_layout import HEIGHT, WIDTH, problems_of

pytestmark = pytest.mark.browser


def test_the_outcome_view_is_accessible_and_reflows(
    live_server, browser, axe, programmes, make_organisation, make_professional
):
    known = make_outcome_world(make_organisation, make_professional)
    url = f"{live_server.url}/coaching/outcomes/?kind=month&period=2026-09"

    desk = sign_in(browser, live_server.url, known.analyst.username)
    desk.goto(url)
    assert desk.locator("h1").count() == 1
    assert desk.locator("figure.chart img").count() == 2
    assert_accessible(axe, desk)
    desk.goto(f"{live_server.url}/coaching/outcomes/?kind=quarter&period=2026-09")
    assert desk.locator(".error-summary").count() == 1
    assert_accessible(axe, desk)
    desk.context.close()

    phone = sign_in(browser, live_server.url, known.analyst.username, WIDTH, HEIGHT)
    phone.goto(url)
    assert problems_of(axe, phone) == []
    phone.context.close()
