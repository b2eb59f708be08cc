"""Insight figures as files: a table as CSV (RFC 4180, UTF-8 with a byte-order mark so
that spreadsheet programs read the letters right; numbers as numbers, a withheld figure
as its mark, "<5" or "×"), every table of a view as one XLSX workbook (``core.tables``),
the whole view as a PDF/UA document with its charts, and the log of each export
(``record_export``).

Every file says what it shows: the view, the area, the period, the filters, when it was
made and by whom, and the rule by which small figures are withheld (``preface``); its
name gives the view, the area and the period in ASCII (``file_name``)."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from polku.core.models import EmploymentArea, Municipality, WellbeingCounty
from polku.core.tables import Table, tables_xlsx
from polku.insights.forms import PictureForm, area_value
from polku.insights.models import ExportRecord
from polku.insights.scope import Area, AreaKind, PictureQuery
from polku.insights.sections import Section
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.projects.models import Project

FILTER_NAMES = ("organisation_kind", "age_band", "gender", "language")
CODE_SETS: Mapping[str, Any] = {
    AreaKind.WELLBEING_COUNTY: WellbeingCounty,
    AreaKind.EMPLOYMENT_AREA: EmploymentArea,
    AreaKind.MUNICIPALITY: Municipality,
}


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in [*table.rows, *table.footer]:
        writer.writerow(["" if cell.sheet_value is None else cell.sheet_value for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@transaction.atomic
def record_export(
    *,
    actor: Actor,
    view: str,
    query: PictureQuery,
    file_format: str,
    table: str = "",
) -> ExportRecord:
    """Log that ``actor`` exported the figures of ``view`` (one ``table`` or all) for
    ``query``; refused to anyone who may not read insights."""
    if not decisions.may_read_insights(actor) or actor.user is None:
        raise PermissionDenied
    membership = actor.membership
    filters: dict[str, Any] = {
        name: value for name, value in asdict(query.filters).items() if value
    }
    return ExportRecord.objects.create(
        made_by=actor.user,
        made_by_name=actor.user.get_full_name() or actor.user.get_username(),
        organisation=membership.organisation if membership else None,
        view=view,
        table=table,
        file_format=file_format,
        area_kind=str(query.area.kind),
        area_code=query.area.code,
        starts_on=query.starts_on,
        ends_on=query.ends_on,
        filters=filters,
        path=actor.path,
    )


# --- what a file shows ----------------------------------------------------------------------


def _uuid_or_none(code: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(code)
    except ValueError:
        return None


def area_names(areas: Iterable[Area]) -> dict[Area, str]:
    """Each area's name in the reader's language (a project's name), with one query a
    kind of area; an area no longer found keeps its code."""
    areas = set(areas)
    names = {area: area.code for area in areas}
    for area in areas:
        if area.kind == AreaKind.COUNTRY:
            names[area] = str(AreaKind.COUNTRY.label)
    for kind, model in CODE_SETS.items():
        codes = {area.code for area in areas if area.kind == kind}
        for entry in model.objects.filter(pk__in=codes) if codes else []:
            names[Area(str(kind), str(entry.pk))] = entry.name
    projects = [
        public_id
        for area in areas
        if area.kind == AreaKind.PROJECT and (public_id := _uuid_or_none(area.code))
    ]
    if projects:
        found = Project.objects.filter(public_id__in=projects)
        for public_id, name in found.values_list("public_id", "name"):
            names[Area(str(AreaKind.PROJECT), str(public_id))] = name
    return names


def area_name(area: Area) -> str:
    return area_names([area])[area]


def filter_lines(filters: Mapping[str, str]) -> list[tuple[str, str]]:
    """The filters in force as (the filter's label, its value's label), as the page's
    form names them; none for a filter left at "all"."""
    lines = []
    for name in FILTER_NAMES:
        value = filters.get(name, "")
        if not value:
            continue
        field = PictureForm.base_fields[name]
        labels = {str(key): str(label) for key, label in getattr(field, "choices", [])}
        lines.append((str(field.label), labels.get(value, value)))
    return lines


def period_text(starts_on: date, ends_on: date) -> str:
    return f"{date_format(starts_on, 'j.n.Y')}–{date_format(ends_on, 'j.n.Y')}"


def made_at_text(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j.n.Y H:i")


def suppression_rule() -> str:
    return _(
        "A figure about fewer than five persons is shown as <5, and a figure from which "
        "one could be worked out as ×."
    )


def preface(title: str, query: PictureQuery, record: ExportRecord) -> list[list[Any]]:
    """What the file shows, as (label, value) lines: the first sheet of a workbook, the
    head of a PDF."""
    filters = filter_lines(asdict(query.filters))
    return [
        # "Area" and "View" alone are translated elsewhere in other senses.
        [_("Insight view"), title],
        [_("Area of the figures"), area_name(query.area)],
        [_("Period"), period_text(query.starts_on, query.ends_on)],
        [
            _("Filters"),
            "; ".join(f"{label}: {value}" for label, value in filters) or _("No filters"),
        ],
        [_("Made"), made_at_text(record.made_at)],
        [_("Made by"), record.made_by_name],
        [_("Small figures"), suppression_rule()],
    ]


def query_string(query: PictureQuery) -> str:
    """The query string that asks the page (and its exports) the same question."""
    filters = {name: value for name, value in asdict(query.filters).items() if value}
    return urlencode(
        {
            "area": area_value(query.area.kind, query.area.code),
            "starts_on": query.starts_on.isoformat(),
            "ends_on": query.ends_on.isoformat(),
            **filters,
        }
    )


def file_name(title: str, query: PictureQuery, extension: str, *, table: str = "") -> str:
    """``<view>-<area>[-<table>]-<first day>-<last day>.<extension>``, in ASCII (the
    names in the reader's language with their letters' accents taken off)."""
    parts = [
        slugify(title) or "insights",
        slugify(area_name(query.area)) or slugify(query.area.kind),
        *([slugify(table)] if table else []),
        f"{query.starts_on:%Y%m%d}-{query.ends_on:%Y%m%d}",
    ]
    return f"{'-'.join(part for part in parts if part)}.{extension}"


# --- the files --------------------------------------------------------------------------------


def all_tables(sections: Sequence[Section]) -> list[Table]:
    return [table for section in sections for table in section.tables]


def find_table(sections: Sequence[Section], key: str) -> Table | None:
    return next((table for table in all_tables(sections) if table.key == key), None)


def view_xlsx(
    title: str, query: PictureQuery, sections: Sequence[Section], record: ExportRecord
) -> bytes:
    """Every table of the view's sections, one sheet each, after a first sheet that says
    what they show."""
    return tables_xlsx(title, all_tables(sections), preface=preface(title, query, record))


def view_pdf(
    title: str, query: PictureQuery, sections: Sequence[Section], record: ExportRecord
) -> bytes:
    """The view as a PDF/UA document: what it shows, then every section with its tables,
    charts (SVG, each with its text alternative) and note."""
    from weasyprint import HTML

    html = render_to_string(
        "insights/export_pdf.html",
        {
            "title": title,
            "preface": preface(title, query, record),
            "suppression": suppression_rule(),
            # As on the page: a section that only says why it has no figures, only among
            # figures.
            "sections": [s for s in sections if s.tables or (s.note and all_tables(sections))],
            "counted": bool(all_tables(sections)),
            "language": get_language(),
        },
    )
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))
