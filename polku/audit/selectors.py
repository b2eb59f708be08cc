"""Reading the access log: filters and pages that the database answers from its indexes.

A log grows by a row for every look at a client's data, to millions of rows, so a page is
found by its rows' numbers (keyset paging: "the 50 rows before number N") rather than by
counting and skipping rows, and every filter is a condition on an indexed column or on the
client's own rows. Which rows a reader may see is the policy's
(``decisions.access_log_rows``); the callers apply it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from polku.audit.models import AccessLogEntry
from polku.policy.enums import Action, DataCategory

PAGE_SIZE = 50


@dataclass(frozen=True)
class LogFilter:
    """What the reader narrows the log to; None is no narrowing."""

    date_from: date | None = None
    date_to: date | None = None
    organisation_id: int | None = None
    category: DataCategory | None = None
    action: Action | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def covering(category: DataCategory) -> Q:
    """Rows whose categories (a sorted, comma-separated list) include ``category``."""
    return (
        Q(categories=category)
        | Q(categories__startswith=f"{category},")
        | Q(categories__endswith=f",{category}")
        | Q(categories__contains=f",{category},")
    )


def filtered(rows: QuerySet[AccessLogEntry], log_filter: LogFilter) -> QuerySet[AccessLogEntry]:
    """``rows`` narrowed to the filter: a period of whole days in local time (the end day
    included), the acting organisation, a data category, an action."""
    if log_filter.date_from is not None:
        rows = rows.filter(occurred_at__gte=_start_of(log_filter.date_from))
    if log_filter.date_to is not None:
        rows = rows.filter(occurred_at__lt=_start_of(log_filter.date_to + timedelta(days=1)))
    if log_filter.organisation_id is not None:
        rows = rows.filter(organisation_id=log_filter.organisation_id)
    if log_filter.category is not None:
        rows = rows.filter(covering(log_filter.category))
    if log_filter.action is not None:
        rows = rows.filter(action=log_filter.action)
    return rows


@dataclass(frozen=True)
class LogPage:
    """Up to ``PAGE_SIZE`` rows, newest first, and the numbers to page on from: rows
    older than ``older_than`` and newer than ``newer_than``, when there are any."""

    rows: list[AccessLogEntry]
    older_than: int | None
    newer_than: int | None


def page(
    rows: QuerySet[AccessLogEntry],
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> LogPage:
    """One page of ``rows``: the newest, the ``size`` rows numbered below ``before`` (the
    next older page) or those numbered above ``after`` (the next newer page). Two short
    index scans, whatever the length of the log."""
    if after is not None:
        newer = list(rows.filter(sequence__gt=after).order_by("sequence")[: size + 1])
        shown = newer[:size][::-1]
        more_newer, more_older = len(newer) > size, rows.filter(sequence__lte=after).exists()
    else:
        older = rows if before is None else rows.filter(sequence__lt=before)
        found = list(older.order_by("-sequence")[: size + 1])
        shown = found[:size]
        more_older = len(found) > size
        more_newer = before is not None and rows.filter(sequence__gte=before).exists()
    return LogPage(
        rows=shown,
        older_than=shown[-1].sequence if shown and more_older else None,
        newer_than=shown[0].sequence if shown and more_newer else None,
    )
