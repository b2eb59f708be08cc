"""Insight figures as CSV, and the log of every export."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from polku.accounts.enums import Role
from polku.clients.models import Client
from polku.core.tables import COUNT, PROTECTIVE, SMALL, Cell, Table
from polku.insights.exports import record_export, table_csv
from polku.insights.models import ExportRecord
from polku.insights.scope import Area, AreaKind, Filters, PictureQuery
from polku.policy.actors import Actor

QUERY = PictureQuery(
    Area(AreaKind.MUNICIPALITY, "837"),
    date(2026, 1, 1),
    date(2026, 6, 30),
    Filters(gender="female"),
)


def test_a_table_is_written_as_csv_with_its_marks():
    table = Table(
        key="phases",
        title="Vaiheet",
        headers=["Vaihe", "Naiset", "Miehet"],
        rows=[
            [
                Cell("Arviointi"),
                Cell(None, COUNT, withheld=SMALL),
                Cell(None, COUNT, withheld=PROTECTIVE),
            ],
            [Cell("Työllistyminen"), Cell(12, COUNT), Cell(30, COUNT)],
        ],
        footer=[[Cell("Yhteensä"), Cell(15, COUNT), Cell(33, COUNT)]],
    )

    content = table_csv(table)

    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [
        ["Vaihe", "Naiset", "Miehet"],
        ["Arviointi", "<5", "×"],
        ["Työllistyminen", "12", "30"],
        ["Yhteensä", "15", "33"],
    ]


@pytest.mark.django_db
def test_every_export_is_logged_with_what_was_asked(make_professional):
    analyst = make_professional("aino", Role.ANALYST, first_name="Aino", last_name="Analyytikko")

    record = record_export(
        actor=Actor.for_user(analyst), view="picture", query=QUERY, file_format="xlsx"
    )

    assert ExportRecord.objects.get() == record
    assert (record.made_by, record.made_by_name) == (analyst, "Aino Analyytikko")
    assert record.organisation == analyst.memberships.get().organisation
    assert (record.area_kind, record.area_code) == ("municipality", "837")
    assert (record.starts_on, record.ends_on) == (date(2026, 1, 1), date(2026, 6, 30))
    assert record.filters == {"gender": "female"}


@pytest.mark.django_db
def test_an_export_is_refused_to_who_reads_no_insights():
    client = Client.objects.create(
        first_names="Testi", last_name="Asiakas", birth_date=date(1980, 1, 1)
    )

    with pytest.raises(PermissionDenied):
        record_export(
            actor=Actor.client_self(client), view="picture", query=QUERY, file_format="csv"
        )
    assert not ExportRecord.objects.exists()
