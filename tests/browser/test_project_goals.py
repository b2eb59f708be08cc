"""A project manager opens the goal–action–result table, records a result's status with a
link as its evidence and then with a live figure, and sees both in the table and in the
result's history; axe-core finds nothing on the pages."""

from datetime import timedelta

import pytest

from polku.projects import tracking_services as services
from polku.projects.tests.fixtures_tracking import TODAY, make_project_world
from tests.browser.conftest import sign_in
from tests.browser.test_phone_layout import HEIGHT, WIDTH, problems_of

pytestmark = pytest.mark.browser

LINK = "https://example.org/hanke/palautekooste.pdf"


def test_a_manager_records_progress_with_evidence(
    live_server, browser, axe, programmes, make_organisation, make_professional
):
    # Given a project with a goal, an action and a result, and two participants who have
    # left, one of them in work.
    pw = make_project_world(make_organisation, make_professional)
    actor = pw.actor()
    goal = services.add_goal(actor=actor, project=pw.project, text="Osallistujat työllistyvät")
    action = services.add_action(
        actor=actor, goal=goal, text="Työkokeilut alueen yrityksissä", responsible="Ville"
    )
    result = services.add_result(
        actor=actor,
        action=action,
        text="Osallistujista työssä hankkeesta lähtiessä",
        target_value=40,
        target_unit="%",
    )
    for number, employed in enumerate([True, False]):
        pw.enrol(
            pw.world.new_client(number),
            left_on=TODAY - timedelta(days=20),
            exit_observed_on=TODAY - timedelta(days=10),
            exit_employed=employed,
        )
    url = live_server.url
    page = sign_in(browser, url, "pm")
    problems: list[str] = []

    # When the manager opens the table and the result's page
    page.goto(f"{url}/projects/{pw.project.public_id}/goals/")
    problems += problems_of(axe, page)
    page.get_by_role("link", name=result.text).click()
    page.wait_for_url(f"{url}/projects/results/{result.public_id}/")
    problems += problems_of(axe, page)
    edit = page.locator("form:has(input[name=form][value=edit])")

    # and records a status with a link as the evidence
    edit.locator("#id_edit-status").select_option("in_progress")
    edit.locator("input[name=edit-evidence_kind][value=link]").check()
    edit.locator("#id_edit-evidence_link").fill(LINK)
    edit.locator("#id_edit-note").fill("Palautekooste kevään kokeiluista")
    edit.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/projects/results/{result.public_id}/")

    # then the history shows the change, with the note
    history = page.locator("table", has_text="Palautekooste kevään kokeiluista")
    assert history.locator("td", has_text=LINK).count() == 1
    problems += problems_of(axe, page)

    # When the live figure of participants in work at exit becomes the evidence
    edit = page.locator("form:has(input[name=form][value=edit])")
    edit.locator("#id_edit-status").select_option("done")
    edit.locator("input[name=edit-evidence_kind][value=live_figure]").check()
    edit.locator("#id_edit-live_figure").select_option("in_work_at_exit")
    edit.locator("#id_edit-note").fill("Seurataan Polun luvusta")
    edit.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/projects/results/{result.public_id}/")
    assert page.locator("table", has_text="Seurataan Polun luvusta").count() == 1

    # then the table shows the result achieved, with the figure counted today
    page.goto(f"{url}/projects/{pw.project.public_id}/goals/")
    row = page.locator("tr", has=page.get_by_role("link", name=result.text))
    assert row.locator(".badge--ok").count() == 1
    assert "1 / 2 (50 %)" in row.inner_text()
    assert page.locator("#progress-1").get_attribute("value") == "1"
    problems += problems_of(axe, page)

    # and the action's page and the plans' pages are accessible too
    for address in (
        f"/projects/actions/{action.public_id}/",
        f"/projects/goals/{goal.public_id}/",
        f"/projects/{pw.project.public_id}/communication/",
        f"/projects/{pw.project.public_id}/evaluation/",
    ):
        page.goto(url + address)
        problems += problems_of(axe, page)

    # and on a phone the table and the result's page reflow without scrolling sideways
    phone = sign_in(browser, url, "pm", width=WIDTH, height=HEIGHT)
    for address in (
        f"/projects/{pw.project.public_id}/goals/",
        f"/projects/results/{result.public_id}/",
    ):
        phone.goto(url + address)
        problems += problems_of(axe, phone)
    assert problems == [], "\n".join(problems)
