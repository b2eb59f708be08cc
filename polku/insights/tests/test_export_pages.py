"""The exports of the situational picture (a table as CSV, every table as one XLSX workbook,
the whole view as a PDF) on the known world of ``fixtures_picture``, each logged once with
what was asked; who may export and who may not; bad input; and the log of exports.

In the world's first half of 2025 the whole country has ten clients in service: five women
(T1, T2, T3, N1, N4), three men (T4, N2, N3) and two of other or unstated gender (T7,
T8). Tampere has six: three women (T1, T2, T3), one man (T4), two others (T7, T8).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, StreamObject

from polku.accounts.enums import Role
from polku.accounts.models import User
from polku.clients.models import Client
from polku.insights.models import ExportRecord
from polku.insights.tests.fixtures_picture import TAMPERE, PictureWorld, make_picture_world
from polku.policy import decisions
from polku.policy.actors import Actor

pytestmark = pytest.mark.django_db

HALF_2025 = {"starts_on": "2025-01-01", "ends_on": "2025-06-30"}
TAMPERE_WOMEN = {**HALF_2025, "area": f"municipality:{TAMPERE}", "gender": "female"}
XLSX_URL = "/insights/picture/export.xlsx"
CSV_URL = "/insights/picture/export.csv"
PDF_URL = "/insights/picture/export.pdf"
LOG_URL = "/insights/exports/"
# Each export with the query string that makes it (the CSV names a table).
EXPORTS = [
    (XLSX_URL, {}),
    (CSV_URL, {"table": "episodes"}),
    (PDF_URL, {}),
]
RULE = (
    "A figure about fewer than five persons is shown as <5, and a figure from which one "
    "could be worked out as ×."
)


@pytest.fixture
def world(make_organisation, make_professional) -> PictureWorld:
    return make_picture_world(make_organisation, make_professional)


def made_text(record: ExportRecord) -> str:
    return date_format(timezone.localtime(record.made_at), "j.n.Y H:i")


def test_the_urls_are_named():
    assert reverse("insights:export_xlsx", kwargs={"view": "picture"}) == XLSX_URL
    assert reverse("insights:export_csv", kwargs={"view": "picture"}) == CSV_URL
    assert reverse("insights:export_pdf", kwargs={"view": "picture"}) == PDF_URL
    assert reverse("insights:export_log") == LOG_URL


def test_every_table_is_exported_as_one_workbook_and_logged(world: PictureWorld, client):
    client.force_login(world.analyst)

    response = client.get(XLSX_URL, HALF_2025)

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="situational-picture-whole-country-20250101-20250630.xlsx"'
    )
    record = ExportRecord.objects.get()
    assert (record.made_by, record.made_by_name) == (world.analyst, "Sanna Aaltomaa")
    assert record.organisation == world.analyst.memberships.get().organisation
    assert (record.view, record.table, record.file_format) == ("picture", "", "xlsx")
    assert (record.area_kind, record.area_code) == ("country", "")
    assert (record.starts_on, record.ends_on) == (date(2025, 1, 1), date(2025, 6, 30))
    assert record.filters == {}
    assert record.path == XLSX_URL

    workbook = load_workbook(io.BytesIO(response.content))
    # A sheet name is the table's title cut at 31 characters.
    assert workbook.sheetnames == [
        "Situational picture",
        "Clients and episodes in the per",
        "Case managers on 30.6.2025",
        "Episodes ended in the period, b",
        "Clients by pathway phase on 30.",
        "By month",
    ]
    assert [list(row) for row in workbook["Situational picture"].iter_rows(values_only=True)] == [
        ["Insight view", "Situational picture"],
        ["Area of the figures", "Whole country"],
        ["Period", "1.1.2025–30.6.2025"],
        ["Filters", "No filters"],
        ["Made", made_text(record)],
        ["Made by", "Sanna Aaltomaa"],
        ["Small figures", RULE],
    ]
    episodes = workbook["Clients and episodes in the per"]
    assert [list(row) for row in episodes.iter_rows(values_only=True)][:2] == [
        ["Figure", "Women", "Men", "Other or not stated", "All"],
        ["Clients in service in the period", 5, "<5", "<5", 10],
    ]


def test_one_table_is_exported_as_csv_and_logged_with_its_filters(world: PictureWorld, client):
    client.force_login(world.analyst)

    response = client.get(CSV_URL, {**TAMPERE_WOMEN, "table": "episodes"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="situational-picture-tampere-episodes-20250101-20250630.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # T1, T2 and T3: three women in service; T1 and T3 started episodes in the period
    # (T1's second and T3's), T2's began in 2024.
    assert rows == [
        ["Figure", "Women", "Men", "Other or not stated", "All"],
        ["Clients in service in the period", "<5", "0", "0", "<5"],
        ["Episodes started in the period", "<5", "0", "0", "<5"],
    ]
    record = ExportRecord.objects.get()
    assert (record.view, record.table, record.file_format) == ("picture", "episodes", "csv")
    assert (record.area_kind, record.area_code) == ("municipality", TAMPERE)
    assert record.filters == {"gender": "female"}


def test_the_whole_view_is_exported_as_a_pdf_and_logged(world: PictureWorld, client):
    client.force_login(world.analyst)

    response = client.get(PDF_URL, {**HALF_2025, "area": f"municipality:{TAMPERE}"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'inline; filename="situational-picture-tampere-20250101-20250630.pdf"'
    )
    record = ExportRecord.objects.get()
    assert (record.view, record.table, record.file_format) == ("picture", "", "pdf")
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert text.startswith("Situational picture\n")
    assert "Area of the figures Tampere\n" in text
    assert "Period 1.1.2025–30.6.2025\n" in text
    assert f"Made {made_text(record)}\n" in text
    assert "Made by Sanna Aaltomaa\n" in text
    assert "Clients and episodes\n" in text  # a section's title
    assert "Trend by month\n" in text
    # Tampere: three women, one man, two others, six in all.
    assert "Clients in service in the period <5 <5 <5 6\n" in text
    assert "A figure about fewer than five persons is shown as <5" in text
    # Tagged for accessibility, as PDF/UA asks, with the language of the text.
    root = reader.trailer["/Root"].get_object()
    assert isinstance(root, DictionaryObject)
    metadata = root["/Metadata"].get_object()
    assert isinstance(metadata, StreamObject)
    assert b'pdfuaid:part="1"' in metadata.get_data()
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"].get_object() == {"/Marked": True}
    assert root["/Lang"] == "en"


def test_a_view_with_nothing_to_count_is_exported_saying_so(world: PictureWorld, client):
    client.force_login(world.analyst)

    response = client.get(PDF_URL, {"starts_on": "2010-01-01", "ends_on": "2010-12-31"})

    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "None of the clients whose figures you may read had an episode under way" in text
    # As on the page, a section that only says why it has nothing is left out then.
    assert "Alerts are shown only for a period that includes today" not in text
    assert ExportRecord.objects.get().file_format == "pdf"


def test_the_file_is_named_in_the_readers_language_in_ascii(world: PictureWorld, client):
    client.force_login(world.analyst)

    response = client.get(
        XLSX_URL, {**HALF_2025, "area": f"municipality:{TAMPERE}"}, HTTP_ACCEPT_LANGUAGE="sv"
    )

    assert response["Content-Disposition"] == (
        'attachment; filename="lagesbild-tammerfors-20250101-20250630.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Lägesbild"
    assert workbook["Lägesbild"]["B2"].value == "Tammerfors"


def test_the_exports_count_only_the_readers_clients(world: PictureWorld, client):
    client.force_login(world.social_worker)

    response = client.get(CSV_URL, {**HALF_2025, "table": "episodes"})

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The social welfare organisation serves T1, T2, T3 and N1: four women.
    assert rows[1] == ["Clients in service in the period", "<5", "0", "0", "<5"]
    assert ExportRecord.objects.get().made_by == world.social_worker


def outsider_without_membership(world: PictureWorld) -> User:
    return User.objects.create_user(username="ulkopuolinen", password="x" * 20)


def member_of_an_inactive_organisation(world: PictureWorld, make_organisation, make_professional):
    closed = make_organisation("Lakkautettu")
    reader = make_professional("suljettu", Role.ANALYST, closed)
    closed.is_active = False
    closed.save()
    return reader


@pytest.mark.parametrize(("url", "extra"), EXPORTS)
@pytest.mark.parametrize("who", ["without_membership", "inactive_organisation"])
def test_who_reads_no_insights_gets_not_found_and_nothing_is_logged(
    world: PictureWorld, client, make_organisation, make_professional, url, extra, who
):
    if who == "without_membership":
        reader = outsider_without_membership(world)
    else:
        reader = member_of_an_inactive_organisation(world, make_organisation, make_professional)
    client.force_login(reader)

    response = client.get(url, {**HALF_2025, **extra})

    assert response.status_code == 404
    assert not ExportRecord.objects.exists()


@pytest.mark.parametrize(("url", "extra"), EXPORTS)
def test_a_signed_out_user_is_sent_to_sign_in_and_nothing_is_logged(
    world: PictureWorld, client, url, extra
):
    response = client.get(url, {**HALF_2025, **extra})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not ExportRecord.objects.exists()


@pytest.mark.parametrize(("url", "extra"), EXPORTS)
@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"starts_on": "2025-06-30", "ends_on": "2025-01-01"},
            "Last day: The last day cannot be before the first day.",
        ),
        ({"gender": "robot"}, "Gender: Select a valid choice."),
        ({"area": "municipality:999999"}, "Area: Select a valid choice."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_exported_or_logged(
    world: PictureWorld, client, url, extra, query, message
):
    client.force_login(world.analyst)

    response = client.get(url, {**HALF_2025, **extra, **query})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "The figures could not be exported" in page
    assert message in page
    assert not ExportRecord.objects.exists()


@pytest.mark.parametrize("table", [{"table": "no_such_table"}, {"table": ""}, {}])
def test_a_table_the_view_does_not_show_is_not_found(world: PictureWorld, client, table):
    client.force_login(world.analyst)

    response = client.get(CSV_URL, {**HALF_2025, **table})

    assert response.status_code == 404
    assert not ExportRecord.objects.exists()


def test_a_view_that_is_not_exported_has_no_url(world: PictureWorld, client):
    client.force_login(world.analyst)

    assert client.get("/insights/nothing/export.xlsx", HALF_2025).status_code == 404
    assert not ExportRecord.objects.exists()


def test_the_page_links_its_exports_with_its_question(world: PictureWorld, client):
    client.force_login(world.analyst)

    page = client.get("/insights/", TAMPERE_WOMEN).content.decode()

    query = (
        f"area=municipality%3A{TAMPERE}&amp;starts_on=2025-01-01&amp;ends_on=2025-06-30"
        "&amp;gender=female"
    )
    assert f'<a href="{XLSX_URL}?{query}">XLSX' in page
    assert f'<a href="{PDF_URL}?{query}">PDF' in page
    assert f'<a href="{CSV_URL}?{query}&amp;table=episodes">CSV' in page
    assert f'<a href="{CSV_URL}?{query}&amp;table=trend">CSV' in page
    assert not ExportRecord.objects.exists()  # a link is not an export


def test_the_page_links_no_exports_when_it_shows_no_figures(world: PictureWorld, client):
    client.force_login(world.analyst)

    empty = client.get("/insights/", {"starts_on": "2010-01-01", "ends_on": "2010-12-31"})
    refused = client.get("/insights/", {**HALF_2025, "gender": "robot"})

    assert empty.status_code == 200
    assert not empty.context["counted"]
    assert refused.status_code == 400
    for response in (empty, refused):
        assert "/export." not in response.content.decode()


# --- the log of exports -----------------------------------------------------------------------


def record(user: User, made_at: datetime, **fields) -> ExportRecord:
    values = {
        "made_by": user,
        "made_by_name": user.get_full_name(),
        "made_at": made_at,
        "view": "picture",
        "file_format": "xlsx",
        "area_kind": "country",
        "starts_on": date(2025, 1, 1),
        "ends_on": date(2025, 6, 30),
        **fields,
    }
    return ExportRecord.objects.create(**values)


def moment(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=timezone.get_current_timezone())


def entries(response) -> list[tuple[str, ...]]:
    return [
        (
            date_format(timezone.localtime(entry.made_at), "j.n.Y H:i"),
            entry.made_by,
            entry.view,
            entry.table,
            entry.file_format,
            entry.area,
            entry.period,
            "; ".join(f"{label}: {value}" for label, value in entry.filters),
        )
        for entry in response.context["entries"]
    ]


@pytest.fixture
def logged(analyst: User, social_worker: User, make_professional) -> User:
    """Three exports: the analyst's two and the social worker's one."""
    record(analyst, moment(2))
    record(
        analyst,
        moment(3),
        table="episodes",
        file_format="csv",
        area_kind="municipality",
        area_code=TAMPERE,
        filters={"gender": "female", "age_band": "25_34"},
    )
    record(social_worker, moment(4, 9), file_format="pdf")
    return analyst


def test_an_administrator_reads_every_export_newest_first(administrator, logged, client):
    client.force_login(administrator)

    response = client.get(LOG_URL)

    assert response.status_code == 200
    assert entries(response) == [
        ("4.3.2026 09:00", "Sanna Aaltomaa", "Situational picture", "", "PDF",
         "Whole country", "1.1.2025–30.6.2025", ""),
        ("3.3.2026 12:00", "Aino Analyysimaa", "Situational picture", "episodes", "CSV",
         "Tampere", "1.1.2025–30.6.2025", "Age on the last day: 25–34; Gender: Female"),
        ("2.3.2026 12:00", "Aino Analyysimaa", "Situational picture", "", "XLSX",
         "Whole country", "1.1.2025–30.6.2025", ""),
    ]  # fmt: skip
    page = response.content.decode()
    assert "Age on the last day: 25–34; Gender: Female" in page
    assert "All tables" in page


def test_an_analyst_reads_only_their_own_exports(analyst, logged, client):
    client.force_login(analyst)

    response = client.get(LOG_URL)

    assert response.status_code == 200
    assert [entry[1] for entry in entries(response)] == ["Aino Analyysimaa"] * 2


def test_the_log_is_not_found_for_a_social_worker(social_worker, logged, client):
    client.force_login(social_worker)

    assert client.get(LOG_URL).status_code == 404


def test_the_picture_links_the_log_to_those_who_read_it(world: PictureWorld, client):
    link = f'<a href="{LOG_URL}">Exports of insight figures</a>'
    pages = {}
    for reader in (world.analyst, world.social_worker):
        client.force_login(reader)
        pages[reader.username] = client.get("/insights/", HALF_2025).content.decode()

    assert link in pages["aino"]
    assert link not in pages["sanna"]


def test_the_log_sends_a_signed_out_user_to_sign_in(client):
    response = client.get(LOG_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_log_is_paginated_by_fifty(administrator, analyst, client):
    for index in range(51):
        record(analyst, moment(1) + timedelta(minutes=index), area_code=str(index))
    client.force_login(administrator)

    first = client.get(LOG_URL)
    second = client.get(LOG_URL, {"page": "2"})
    beyond = client.get(LOG_URL, {"page": "not-a-page"})

    assert len(first.context["entries"]) == 50
    assert first.context["entries"][0].made_at == moment(1) + timedelta(minutes=50)
    assert [entry.made_at for entry in second.context["entries"]] == [moment(1)]
    assert 'href="?page=2"' in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()
    assert len(beyond.context["entries"]) == 50  # a page that is no number gives the first


def test_an_export_made_on_the_page_shows_in_the_makers_log(world: PictureWorld, client):
    client.force_login(world.analyst)
    client.get(PDF_URL, TAMPERE_WOMEN)

    response = client.get(LOG_URL)

    made = ExportRecord.objects.get()
    assert entries(response) == [
        (made_text(made), "Sanna Aaltomaa", "Situational picture", "", "PDF", "Tampere",
         "1.1.2025–30.6.2025", "Gender: Female"),
    ]  # fmt: skip


# --- the policy -------------------------------------------------------------------------------


def test_who_reads_which_export_records(
    administrator, analyst, social_worker, make_organisation, make_professional
):
    closed = make_organisation("Lakkautettu")
    inactive_analyst = make_professional("suljettu", Role.ANALYST, closed)
    closed.is_active = False
    closed.save()
    person = Client.objects.create(
        first_names="Testi", last_name="Asiakas", birth_date=date(1980, 1, 1)
    )

    assert decisions.readable_export_records(Actor.for_user(administrator)) == decisions.EVERY_ROW
    own = decisions.readable_export_records(Actor.for_user(analyst))
    assert own is not None
    assert own == Q(made_by_id=analyst.pk)
    assert decisions.readable_export_records(Actor.for_user(social_worker)) is None
    assert decisions.readable_export_records(Actor.for_user(inactive_analyst)) is None
    assert decisions.readable_export_records(Actor.client_self(person)) is None
