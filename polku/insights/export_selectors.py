"""The log of exported insight figures as its page shows it: the records the reader may
read (``decisions.readable_export_records``), newest first, each described in the
reader's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from polku.insights import exports
from polku.insights.models import ExportRecord
from polku.insights.scope import Area
from polku.policy import decisions
from polku.policy.actors import Actor


@dataclass(frozen=True)
class ExportEntry:
    made_at: datetime
    made_by: str
    view: str
    table: str  # the table's key; blank when the file held every table
    file_format: str
    area: str
    period: str
    filters: list[tuple[str, str]]


def readable_exports(actor: Actor) -> QuerySet[ExportRecord] | None:
    """The records the actor reads, newest first; None when they read none."""
    scope = decisions.readable_export_records(actor)
    if scope is None:
        return None
    return ExportRecord.objects.filter(scope).order_by("-made_at", "-pk")


def described(
    records: Sequence[ExportRecord], view_title: Callable[[str], str]
) -> list[ExportEntry]:
    """The records as the log shows them, with their areas named in one query a kind."""
    names = exports.area_names(Area(record.area_kind, record.area_code) for record in records)
    return [
        ExportEntry(
            made_at=record.made_at,
            made_by=record.made_by_name,
            view=view_title(record.view),
            table=record.table,
            file_format=record.get_file_format_display(),
            area=names[Area(record.area_kind, record.area_code)],
            period=exports.period_text(record.starts_on, record.ends_on),
            filters=exports.filter_lines(record.filters),
        )
        for record in records
    ]
