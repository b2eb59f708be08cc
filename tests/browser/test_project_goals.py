"""A project manager opens the goal–action–result table, records a result's status with a
link as its evidence and then with a live figure, and sees both in the table and in the
result's history; she then adds a reporting period, closes it in two steps and downloads
the funder's report, whose PDF text and spreadsheet carry the figures. axe-core finds
nothing on the pages."""

import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.utils import translation
from pypdf import PdfReader

from polku.projects import tracking_services as services
from polku.projects.indicators import INDICATORS
from polku.projects.tests.fixtures_tracking import TODAY, make_project_world
from tests.browser.conftest import sign_in
from tests.browser.test_phone_layout import HEIGHT, WIDTH, problems_of

pytestmark = pytest.mark.browser

LINK = "https://example.org/hanke/palautekooste.pdf"


def test_a_manager_records_progress_and_reports_a_period(
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

    # When she adds a reporting period from the project's start to yesterday
    page.goto(f"{url}/projects/{pw.project.public_id}/reports/")
    problems += problems_of(axe, page)
    add = page.locator("form:has(#id_starts_on)")
    add.locator("#id_starts_on").fill(pw.project.starts_on.isoformat())
    add.locator("#id_ends_on").fill((TODAY - timedelta(days=1)).isoformat())
    add.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/projects/{pw.project.public_id}/reports/")

    # and closes it: the first step says what will follow, the second freezes the reports
    page.locator("a[href*='/close/']").click()
    problems += problems_of(axe, page)
    page.locator("form.stacked-form button[type=submit]").click()
    confirm = page.locator("button[name=confirm]")
    confirm.wait_for()
    problems += problems_of(axe, page)
    confirm.click()
    page.wait_for_url(f"{url}/projects/{pw.project.public_id}/reports/")
    assert page.locator(".badge--ok").count() == 1
    problems += problems_of(axe, page)

    # then the funder's spreadsheet downloads with the figures: both participants left in
    # the period, one of them (a woman) in work upon leaving; the goal and its result
    with page.expect_download() as download:
        page.locator("a[href$='funder.xlsx']").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    cells = [
        [value for value in row if value is not None]
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    with translation.override("fi"):
        in_work = str(next(i.label for i in INDICATORS if i.key == "exit_employed"))
        left = translation.gettext("Left in the period")
        frozen = translation.gettext("Frozen on %(day)s by %(name)s") % {
            "day": r"\S+ \S+",
            "name": pw.manager.get_full_name(),
        }
    employed = next(row for row in cells if in_work in row)
    assert employed[-4:] == [1, 0, 0, 1]  # women, men, other, total
    assert [left, 2] in cells
    assert any(goal.text in row for row in cells)
    assert any(result.text in row for row in cells)

    # and the PDF's text says the same, and when and by whom it was frozen
    pdf = page.context.request.get(
        url + page.locator("a[href$='funder.pdf']").get_attribute("href")
    )
    assert pdf.ok
    text = " ".join(page_.extract_text() or "" for page_ in PdfReader(io.BytesIO(pdf.body())).pages)
    text = re.sub(r"\s+", " ", text)
    assert re.search(frozen, text), text
    assert goal.text in text
    assert re.search(re.escape(in_work) + r" 1 0 0 1", text), text

    # and on a phone the table and the result's page reflow without scrolling sideways
    phone = sign_in(browser, url, "pm", width=WIDTH, height=HEIGHT)
    for address in (
        f"/projects/{pw.project.public_id}/goals/",
        f"/projects/results/{result.public_id}/",
    ):
        phone.goto(url + address)
        problems += problems_of(axe, phone)
    assert problems == [], "\n".join(problems)
