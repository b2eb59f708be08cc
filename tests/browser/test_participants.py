"""Project participants on a 320 CSS pixel wide screen: the client's page with the projects
panel, enrolling a client, the participant page with its forms and the participant list;
a refused form shows its error summary; nothing scrolls sideways and axe-core finds
nothing."""

from datetime import date

import pytest

from polku.projects import participant_services as services
from polku.projects.models import Participant
from polku.projects.tests.fixtures_participants import make_project_world
from tests.browser.conftest import sign_in
from tests.browser.test_phone_layout import HEIGHT, WIDTH, problems_of

pytestmark = pytest.mark.browser


def test_participant_pages_reflow_on_a_phone(
    live_server, browser, axe, programmes, make_organisation, make_professional
):
    world = make_project_world(make_organisation, make_professional)
    actor = world.actor()
    participant = world.enrol()
    services.record_sensitive(actor=actor, participant=participant, disability="declined")
    services.record_exit(actor=actor, participant=participant, left_on=date(2026, 5, 29))
    url = live_server.url

    page = sign_in(browser, url, "worker-a", width=WIDTH, height=HEIGHT)
    problems: list[str] = []
    for address in (
        f"/clients/{world.other_client.public_id}/",
        f"/projects/participants/{participant.public_id}/",
        f"/projects/{world.project.public_id}/participants/",
        f"/projects/{world.project.public_id}/participants/?show=follow_up_due",
    ):
        page.goto(url + address)
        problems += problems_of(axe, page)

    # Enrolling the other client from their page, with a refused date first.
    page.goto(f"{url}/clients/{world.other_client.public_id}/")
    page.get_by_role("link", name="Työkyky käyttöön").click()
    problems += problems_of(axe, page)
    page.locator("#id_entry-entered_on").fill("2024-06-03")
    page.locator("main button[type=submit]").click()
    assert page.locator(".error-summary").is_visible()
    problems += problems_of(axe, page)
    page.locator("#id_entry-entered_on").fill("2026-06-01")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{url}/projects/participants/**")
    assert Participant.objects.filter(client=world.other_client).exists()

    # The first participant's exit, observed too early: refused, the input kept.
    page.goto(f"{url}/projects/participants/{participant.public_id}/")
    page.locator("#id_exit-observed_on").fill("2026-05-01")
    page.locator("#exit button[type=submit]").click()
    assert page.locator("#exit .error-summary").is_visible()
    problems += problems_of(axe, page)
    assert problems == [], "\n".join(problems)
