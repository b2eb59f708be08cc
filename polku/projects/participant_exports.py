"""The participant list of a project as an XLSX workbook (openpyxl): the entry, exit and
follow-up details, never the sensitive details."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from polku.projects.models import Project
from polku.projects.participant_selectors import ParticipantRow


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return str(_("Yes") if value else _("No"))


def participants_xlsx(project: Project, rows: list[ParticipantRow]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(_("Participants"))[:31]
    headers = [
        _("Last name"),
        _("First names"),
        _("Entry date"),
        _("Gender"),
        _("Age at entry"),
        _("Municipality of residence"),
        _("Labour-market status at entry"),
        _("Highest completed education (ISCED 2011)"),
        _("Leaving date"),
        _("Situation observed on"),
        _("Engaged in job searching upon leaving"),
        _("In education or training upon leaving"),
        _("Gained a qualification upon leaving"),
        _("In employment, including self-employment, upon leaving"),
        _("Follow-up observed on"),
        _("In employment, including self-employment, six months after leaving"),
        _("Improved labour-market situation six months after leaving"),
    ]
    sheet.append([str(header) for header in headers])
    for row in rows:
        p = row.participant
        cells: list[Any] = [
            p.client.last_name,
            p.client.first_names,
            p.entered_on,
            p.get_gender_display(),
            p.age_at_entry,
            p.municipality.name if p.municipality else "",
            p.get_labour_status_display(),
            p.education_level,
            p.left_on,
            p.exit_observed_on,
            _yes_no(p.exit_job_searching),
            _yes_no(p.exit_in_education),
            _yes_no(p.exit_qualification),
            _yes_no(p.exit_employed),
            p.follow_up_observed_on,
            _yes_no(p.follow_up_employed),
            _yes_no(p.follow_up_improved),
        ]
        sheet.append(cells)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "d.m.yyyy"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def participants_filename(project: Project, on: date) -> str:
    code = project.code or str(project.public_id)[:8]
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in code)
    return f"participants-{safe}-{on.isoformat()}.xlsx"
