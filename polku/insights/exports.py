"""Insight figures as files: a table as CSV (RFC 4180, UTF-8 with a byte-order mark so
that spreadsheet programs read the letters right; numbers as numbers, a withheld figure
as its mark, "<5" or "×"), every table of a view as one XLSX workbook (``core.tables``),
and the log of each export (``record_export``)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from polku.core.tables import Table
from polku.insights.models import ExportRecord
from polku.insights.scope import PictureQuery
from polku.policy import decisions
from polku.policy.actors import Actor


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
