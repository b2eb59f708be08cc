"""A project manager's project pages on a 320 CSS pixel wide screen: the list, the
overview, editing with a refused budget, the staff page and the coordinator's programme
page; nothing scrolls sideways and axe-core finds nothing to fix."""

from datetime import timedelta

import pytest

from polku.policy.models import ProjectRole
from polku.projects.tests.fixtures_pages import TODAY, make_project_world
from tests.browser.conftest import sign_in
from tests.browser.test_phone_layout import HEIGHT, WIDTH, problems_of

pytestmark = pytest.mark.browser


def test_the_project_pages_reflow_on_a_phone(
    live_server, browser, axe, make_organisation, make_professional
):
    world = make_project_world(make_organisation, make_professional)
    world.participant(901, entered_on=TODAY - timedelta(days=30))
    project = world.project.public_id
    url = live_server.url

    page = sign_in(browser, url, "manager", width=WIDTH, height=HEIGHT)
    problems: list[str] = []
    for address in (
        f"{url}/",
        f"{url}/projects/",
        f"{url}/projects/new/",
        f"{url}/projects/{project}/",
        f"{url}/projects/{project}/edit/",
        f"{url}/projects/{project}/staff/",
    ):
        page.goto(address)
        problems += problems_of(axe, page)

    # A negative budget is refused with the error summary; nothing changes.
    page.goto(f"{url}/projects/{project}/edit/")
    page.locator(f"#id_budget_{TODAY.year}").fill("-1")
    page.locator("form.card button[type=submit]").click()
    assert page.locator(".error-summary").is_visible()
    problems += problems_of(axe, page)
    assert world.project.budget_years.get(year=TODAY.year).amount == 120000

    # Ending the worker's role from the staff page, without any script needed.
    role = ProjectRole.objects.get(user=world.worker)
    page.goto(f"{url}/projects/{project}/staff/")
    page.locator(f"form[action$='/staff/{role.public_id}/end/'] button").click()
    page.wait_for_url(f"{url}/projects/{project}/staff/")
    role.refresh_from_db()
    assert role.valid_until == TODAY
    problems += problems_of(axe, page)

    coordinator = sign_in(browser, url, "coordinator", width=WIDTH, height=HEIGHT)
    coordinator.goto(f"{url}/projects/programmes/{world.programme.public_id}/")
    problems += problems_of(axe, coordinator)
    assert problems == [], "\n".join(problems)
