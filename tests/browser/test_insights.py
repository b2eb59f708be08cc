"""An analyst opens the situational picture of Pirkanmaa for the first half of 2025,
narrows it to women, switches to the equality view of the same question and back,
downloads the picture as a workbook and as a PDF and finds the same figures in both;
axe-core finds nothing on the pages, at a desktop width and on a phone."""

import io

import openpyxl
import pytest
from pypdf import PdfReader

from polku.insights.models import ExportRecord
from polku.insights.tests.fixtures_picture import make_picture_world
from tests.browser.conftest import sign_in
from tests.browser.test_phone_layout import HEIGHT, WIDTH, problems_of

pytestmark = pytest.mark.browser


def in_service(page) -> list[str]:
    """The first figure row of the first section: clients in service, by gender."""
    row = page.locator("section.card").first.locator("table tbody tr").first
    return [cell.inner_text().strip() for cell in row.locator("th, td").all()]


def test_an_analyst_reads_filters_and_exports_the_picture(
    live_server, browser, axe, programmes, make_organisation, make_professional
):
    world = make_picture_world(make_organisation, make_professional)
    url = live_server.url
    page = sign_in(browser, url, world.analyst.username)
    problems: list[str] = []

    # When the analyst opens the picture, chooses Pirkanmaa and the first half of 2025
    page.get_by_role("link", name="Tilannekuva").click()
    page.wait_for_url(f"{url}/insights/")
    problems += problems_of(axe, page)
    page.locator("#id_area").select_option("county:08")
    page.locator("#id_starts_on").fill("2025-01-01")
    page.locator("#id_ends_on").fill("2025-06-30")
    page.get_by_role("button", name="Näytä").click()
    page.wait_for_load_state()

    # then ten clients of Tampere and Nokia were in service
    assert in_service(page)[-1] == "10"
    assert page.locator("figure.chart img").count() >= 1
    problems += problems_of(axe, page)

    # When she narrows the picture to women
    page.locator("#id_gender").select_option("female")
    page.get_by_role("button", name="Näytä").click()
    page.wait_for_load_state()

    # then five women were, and no man
    assert in_service(page)[1:] == ["5", "0", "0", "5"]
    problems += problems_of(axe, page)

    # When she switches to the equality view of the same question
    page.locator("nav.view-switch").get_by_role("link", name="Tasa-arvo ja yhdenvertaisuus").click()
    page.wait_for_url(f"{url}/insights/equality/?*")
    # then the reach of the services is shown by age band for the same five women
    reach = page.locator("section.card", has_text="Keitä palvelut tavoittavat")
    assert reach.locator("table").first.locator("tfoot tr").first.inner_text().split()[-1] == "5"
    assert page.locator("#id_gender").input_value() == "female"
    problems += problems_of(axe, page)

    # When she goes back to the picture and downloads it as a workbook
    page.locator("nav.view-switch").get_by_role("link", name="Tilannekuva").click()
    page.wait_for_url(f"{url}/insights/?*")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = [
        [value for value in row if value is not None]
        for sheet in workbook.worksheets[1:]
        for row in sheet.iter_rows(values_only=True)
    ]
    # then it holds the same row, with the numbers as numbers
    assert any(row[1:] == [5, 0, 0, 5] for row in rows if row)

    # and the PDF says the same, with the area and the rule of small figures
    address = page.get_by_role("link", name="PDF").get_attribute("href")
    pdf = page.context.request.get(f"{url}{address}")
    assert pdf.ok
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Pirkanma" in text
    assert " 5 0 0 5" in " ".join(text.split())
    assert "<5" in text

    # and both exports are in the log, with the filter
    assert [(r.file_format, r.filters) for r in ExportRecord.objects.order_by("pk")] == [
        ("xlsx", {"gender": "female"}),
        ("pdf", {"gender": "female"}),
    ]

    # and on a phone the picture reflows without scrolling sideways
    phone = sign_in(browser, url, world.analyst.username, width=WIDTH, height=HEIGHT)
    phone.goto(page.url)
    problems += problems_of(axe, phone)
    assert problems == [], "\n".join(problems)
