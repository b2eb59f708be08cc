"""Reporting periods: adding and closing them, and the frozen funder report."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from polku.projects import period_services, report_exports
from polku.projects.models import ReportingPeriod
from polku.projects.tests.fixtures_pages import TODAY, ProjectWorld, project_world  # noqa: F401

pytestmark = pytest.mark.django_db
LAST_YEAR = (date(TODAY.year - 1, 1, 1), date(TODAY.year - 1, 12, 31))


def closed_period(world: ProjectWorld) -> ReportingPeriod:
    period = period_services.add_period(
        actor=world.actor(), project=world.project, starts_on=LAST_YEAR[0], ends_on=LAST_YEAR[1]
    )
    return period_services.close_period(actor=world.actor(), period=period)


def sheet_values(content: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    return [list(row) for sheet in workbook for row in sheet.iter_rows(values_only=True)]


def test_only_managers_add_periods_inside_the_project(project_world: ProjectWorld) -> None:  # noqa: F811
    world = project_world
    with pytest.raises(PermissionDenied):
        period_services.add_period(
            actor=world.actor(world.worker),
            project=world.project,
            starts_on=LAST_YEAR[0],
            ends_on=LAST_YEAR[1],
        )
    with pytest.raises(Http404):
        period_services.add_period(
            actor=world.actor(world.outsider),
            project=world.project,
            starts_on=LAST_YEAR[0],
            ends_on=LAST_YEAR[1],
        )
    with pytest.raises(ValidationError):
        period_services.add_period(
            actor=world.actor(),
            project=world.project,
            starts_on=date(TODAY.year - 5, 1, 1),
            ends_on=LAST_YEAR[1],
        )
    period_services.add_period(
        actor=world.actor(), project=world.project, starts_on=LAST_YEAR[0], ends_on=LAST_YEAR[1]
    )
    with pytest.raises(ValidationError):  # overlaps the first
        period_services.add_period(
            actor=world.actor(), project=world.project, starts_on=LAST_YEAR[1], ends_on=LAST_YEAR[1]
        )
    assert ReportingPeriod.objects.count() == 1


def test_a_period_not_yet_over_cannot_be_closed(project_world: ProjectWorld) -> None:  # noqa: F811
    world = project_world
    period = period_services.add_period(
        actor=world.actor(), project=world.project, starts_on=date(TODAY.year, 1, 1), ends_on=TODAY
    )
    with pytest.raises(ValidationError):
        period_services.close_period(actor=world.actor(), period=period)
    period.refresh_from_db()
    assert not period.is_closed
    assert period.report_pdf is None


def test_the_frozen_report_is_the_same_after_later_edits(project_world: ProjectWorld) -> None:  # noqa: F811
    world = project_world
    for number in range(6):
        world.participant(number + 10, entered_on=date(TODAY.year - 1, 3, 1))
    period = closed_period(world)
    frozen = {
        name: bytes(getattr(period, name))
        for name in ("report_pdf", "report_xlsx", "public_pdf", "public_xlsx")
    }
    rows = sheet_values(frozen["report_xlsx"])
    assert ["EECO01", "Total number of participants", 6, 0, 0, 6] in rows
    assert any(
        row[:1] == ["Status"] and "Frozen on" in str(row[1]) and "Maija" in str(row[1])
        for row in rows
    )

    # Later edits: two more participants, one of the six leaves.
    world.participant(30, entered_on=date(TODAY.year - 1, 6, 1))
    world.participant(31, entered_on=date(TODAY.year - 1, 6, 1))
    period.refresh_from_db()
    for name, content in frozen.items():
        assert bytes(getattr(period, name)) == content
    # A report made now for the same dates shows the edits: it is the freezing that keeps them.
    now = report_exports.made_now(world.project, *LAST_YEAR, public=False, file_format="xlsx")
    assert ["EECO01", "Total number of participants", 8, 0, 0, 8] in sheet_values(now)
    with pytest.raises(ValidationError):
        period_services.close_period(actor=world.actor(), period=period)


def test_the_public_report_withholds_small_figures(project_world: ProjectWorld) -> None:  # noqa: F811
    world = project_world
    for number in range(3):
        world.participant(number + 40, entered_on=date(TODAY.year - 1, 3, 1))
    report = report_exports.made_now(world.project, *LAST_YEAR, public=True, file_format="xlsx")
    rows = sheet_values(report)
    total = next(row for row in rows if row[1] == "Total number of participants")
    assert total[2:] == ["<5", 0, 0, "<5"]
    assert not any(
        3 in row for row in rows if row and row[0] in {"EECO01", "Entered in the period"}
    )
    exact = sheet_values(
        report_exports.made_now(world.project, *LAST_YEAR, public=False, file_format="xlsx")
    )
    assert ["EECO01", "Total number of participants", 3, 0, 0, 3] in exact


def test_the_funder_report_is_refused_to_workers_over_http(
    project_world: ProjectWorld,  # noqa: F811
    client: Any,
) -> None:
    world = project_world
    period = closed_period(world)
    client.force_login(world.worker)
    url = f"/projects/reports/{period.public_id}/"
    assert client.get(url + "funder.xlsx").status_code == 404
    public = client.get(url + "public.pdf")
    assert public.status_code == 200
    assert period.public_pdf is not None
    assert public.content == bytes(period.public_pdf)
    client.force_login(world.outsider)
    assert client.get(url + "public.pdf").status_code == 404
