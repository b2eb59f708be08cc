"""The outcome page and its PDF and spreadsheet, on the known world of ``outcome_world``
(September 2026), checked against the figures computed by hand in
``test_outcome_figures``."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polku.accounts.enums import Role
from polku.accounts.models import Membership, User
from polku.audit.models import AccessLogEntry
from polku.employment.tests.outcome_world import OutcomeWorld, make_outcome_world

pytestmark = pytest.mark.django_db

URL = reverse("employment:outcomes")
SEPTEMBER = {"kind": "month", "period": "2026-09"}


@pytest.fixture
def known(programmes, make_organisation, make_professional) -> OutcomeWorld:
    return make_outcome_world(make_organisation, make_professional)


def test_the_analyst_reads_the_figures_per_coach_and_team(known: OutcomeWorld, client):
    client.force_login(known.analyst)
    logged = AccessLogEntry.objects.count()

    response = client.get(URL, SEPTEMBER)

    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Jaana Aaltomaa", "Eero Aaltomaa", "Pekka Aaltomaa", "Etelä", "Pohjoinen"):
        assert name in page
    assert "Olli" not in page  # B's coach
    coaches = {row[0].text: row for row in response.context["tables"]["coaches"].rows}
    # Coach, team, contacts per week, face to face per week, …, caseload (column 6).
    jaana, pekka = coaches["Jaana Aaltomaa"], coaches["Pekka Aaltomaa"]
    assert [cell.text for cell in jaana[2:4]] == ["2.8", "1.4"]
    assert [cell.text for cell in pekka[2:4]] == ["8.2", "7.0"]
    # The IPS expectation said in words, not by colour alone.
    assert jaana[3].note == "below 6"
    assert pekka[3].note == "meets 6"
    assert "meets 6" in page
    assert (jaana[5].text, pekka[5].text) == ("1", "2")
    # Job starts, working, in education (columns 4, 6, 7).
    assert [jaana[i].text for i in (4, 6, 7)] == ["1", "100 %", "0 %"]
    assert [pekka[i].text for i in (4, 6, 7)] == ["0", "50 %", "50 %"]
    # Kept 90 days (column 10): Jaana's P1 of 1 September is 90 days old from 30 November
    # on, and still held.
    assert (jaana[10].text, jaana[10].detail) == ("100 %", "1 of 1")
    teams = response.context["tables"]["teams"]
    assert teams.page_footer[0][0].text == "All teams"
    assert teams.footer[0][6].text == "67 %"
    # The trend charts, each with its text alternative.
    assert 'alt="Share of the caseload working by period: 2026-05 0 %;' in page
    assert 'alt="Job starts by period: 2026-03 0;' in page
    # Aggregates only: no client is shown, so none is logged as read.
    assert AccessLogEntry.objects.count() == logged


def test_the_page_is_in_the_navigation_and_linked_from_the_caseload(known: OutcomeWorld, client):
    client.force_login(known.jaana)

    caseload = client.get(reverse("employment:caseload")).content.decode()

    assert caseload.count(f'href="{URL}"') == 2  # the navigation and the caseload's link


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "month", "period": "2026-13"}, "Give a month as year and month, e.g. 2026-11."),
        ({"kind": "month", "period": "2026-Q3"}, "Give a month as year and month, e.g. 2026-11."),
        (
            {"kind": "quarter", "period": "2026-09"},
            "Give a quarter as year and quarter, e.g. 2026-Q4.",
        ),
        ({"kind": "month", "period": "2999-01"}, "The period has not begun yet."),
        ({"kind": "week"}, "Select a valid choice. week is not one of the available choices."),
        ({"unit": "999999"}, "Select a valid choice. 999999 is not one of the available choices."),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_computed(
    known: OutcomeWorld, client, query, message
):
    client.force_login(known.analyst)

    for file_format in ("", "pdf", "xlsx"):
        response = client.get(URL, {**query, "format": file_format})

        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        assert response.context["report"] is None
        assert message in response.content.decode()


def test_an_empty_organisation_is_told_why_there_is_nothing(
    make_organisation, make_professional, client
):
    organisation = make_organisation("Uusi valmennus ry")
    client.force_login(make_professional("uusi", Role.PROJECT_MANAGER, organisation))

    response = client.get(URL)

    assert response.status_code == 200
    assert "Nothing to count yet" in response.content.decode()


def test_a_user_acting_for_no_organisation_is_refused(known: OutcomeWorld, client):
    user = User.objects.create_user(username="irrallinen", password="x-Very-long-2026")
    client.force_login(user)

    assert client.get(URL, SEPTEMBER).status_code == 403


def test_the_page_reads_as_much_for_six_coaches_as_for_three(
    known: OutcomeWorld, make_professional, client
):
    from datetime import date

    client.force_login(known.analyst)
    client.get(URL, SEPTEMBER)
    with CaptureQueriesContext(connection) as three:
        client.get(URL, SEPTEMBER)
    for name in ("maija", "mikko", "minna"):
        coach = make_professional(name, Role.JOB_COACH, known.org_a)
        Membership.objects.filter(user=coach).update(unit=known.south)
        known.coaching(coach, date(2026, 9, 1))
        known.contacts(coach, date(2026, 9, 2), 3)

    with CaptureQueriesContext(connection) as six:
        response = client.get(URL, SEPTEMBER)

    assert len(response.context["tables"]["coaches"].rows) == 6
    assert len(six) == len(three)


def test_the_spreadsheet_has_a_sheet_per_table_with_numbers(known: OutcomeWorld, client):
    from openpyxl import load_workbook

    client.force_login(known.analyst)

    response = client.get(URL, {**SEPTEMBER, "format": "xlsx"})

    assert response.status_code == 200
    assert 'filename="outcomes-2026-09.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Coaches",
        "Teams",
        "Trend",
        "Job endings by reason",
        "Transitions off the caseload",
    ]
    coaches = workbook["Coaches"]
    assert [cell.value for cell in coaches[1]][:6] == [
        "Coach",
        "Team",
        "Contacts per week",
        "Face to face per week",
        "Job starts",
        "Caseload",
    ]
    jaana = list(coaches[3])
    assert (jaana[0].value, jaana[1].value) == ("Jaana Aaltomaa", "Etelä")
    assert jaana[2].value == pytest.approx(2.8)
    assert jaana[3].value == pytest.approx(1.4)
    assert jaana[2].number_format == "0.0"
    assert jaana[5].value == 1
    assert jaana[12].value == 1  # off the caseload
    teams = workbook["Teams"]
    total = [cell.value for cell in teams[teams.max_row]]
    assert total[:2] == ["All teams", 3]
    assert total[2] == pytest.approx(47 * 7 / 30 / 3)
    assert total[3] == pytest.approx(36 * 7 / 30 / 3)
    assert total[5] == 3
    trend = workbook["Trend"]
    assert [trend.cell(row=r, column=1).value for r in range(2, 9)] == [
        "2026-09",
        "2026-08",
        "2026-07",
        "2026-06",
        "2026-05",
        "2026-04",
        "2026-03",
    ]
    assert trend.cell(row=3, column=6).value == 3  # August's caseload
    assert (jaana[4].value, jaana[6].value, jaana[7].value) == (1, 1.0, 0.0)
    assert jaana[6].number_format == "0%"
    assert total[6] == pytest.approx(2 / 3)
    endings = workbook["Job endings by reason"]
    assert [[c.value for c in row] for row in endings.iter_rows(min_row=2)] == [
        ["Resigned", 1],
        ["Health reasons", 1],
    ]
    transitions = workbook["Transitions off the caseload"]
    assert [[c.value for c in row] for row in transitions.iter_rows(min_row=2)] == [
        ["Work in the open labour market", 1],
        ["Education", 1],
    ]


def test_the_pdf_is_a_tagged_pdf_with_the_headings(known: OutcomeWorld, client):
    client.force_login(known.analyst)

    response = client.get(URL, {**SEPTEMBER, "format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for heading in ("Supported employment outcomes 2026-09", "Per coach", "Per team", "Trend"):
        assert heading in text
    assert "Jaana Aaltomaa" in text
    assert "Olli" not in text
