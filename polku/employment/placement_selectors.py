"""Reads of placements: a coaching's placements and its time to the first job, the current
job on the caseload, and the placement figures of a set of coachings.

The caller has opened the coaching to the actor (``access.access_coaching``) and logged
the view, or limited the coachings to those it may count; placements are decided on as
their coaching (same client, owner and register).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from polku.employment.models import Coaching, Placement
from polku.employment.placement_enums import KEPT_DAYS, EndReason, PlacementKind


def coaching_placements(coaching: Coaching) -> list[Placement]:
    """The placements of a coaching, the latest start first. One query."""
    return list(
        coaching.placements.select_related("employer", "occupation").order_by("-started_on", "-pk")
    )


def days_to_first_job(
    coaching: Coaching, placements: Iterable[Placement] | None = None, on: date | None = None
) -> int | None:
    """Days from the start of the coaching to the start of its first job that has begun
    (by ``on``, today if not given); None before any. Computed, never typed. Given the
    coaching's ``placements`` (already read), it asks the database nothing."""
    on = on or timezone.localdate()
    if placements is None:
        placements = coaching.placements.jobs().filter(started_on__lte=on).only("started_on")
    starts = [
        p.started_on for p in placements if p.kind == PlacementKind.JOB and p.started_on <= on
    ]
    return (min(starts) - coaching.started_on).days if starts else None


@dataclass(frozen=True)
class PlacementsPanel:
    """The "Jobs" section of the coaching page."""

    placements: list[Placement]
    days_to_first_job: int | None

    @property
    def open_placements(self) -> list[Placement]:
        return [p for p in self.placements if p.is_active]


def placements_panel(coaching: Coaching) -> PlacementsPanel:
    placements = coaching_placements(coaching)
    return PlacementsPanel(placements, days_to_first_job(coaching, placements))


def with_current_employer(
    coachings: QuerySet[Coaching], on: date | None = None
) -> QuerySet[Coaching]:
    """``coachings`` with ``current_employer``: the name of the employer of the client's
    job that has begun by ``on`` and is not ended (the latest started, if more than one),
    or None. A subquery: no
    query more, whatever the number of coachings."""
    on = on or timezone.localdate()
    current = (
        Placement.objects.jobs()
        .filter(coaching=OuterRef("pk"), started_on__lte=on, ended_on__isnull=True)
        .order_by("-started_on", "-pk")
        .values("employer__name")[:1]
    )
    return coachings.annotate(current_employer=Subquery(current))


# Figures -------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class PlacementFigures:
    """The placement figures of a set of coachings for the period [``start``, ``end``] and
    the day ``on`` (see ``placement_figures`` for each definition)."""

    start: date
    end: date
    on: date
    job_starts: int
    first_job_days: list[int]
    jobs_due_for_90_days: int
    jobs_kept_90_days: int
    endings_by_reason: dict[EndReason, int]
    caseload: int
    in_job: int
    in_education: int
    endings_total: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "endings_total", sum(self.endings_by_reason.values()))

    @property
    def first_jobs(self) -> int:
        return len(self.first_job_days)

    @property
    def median_days_to_first_job(self) -> float | None:
        return float(statistics.median(self.first_job_days)) if self.first_job_days else None

    @property
    def mean_days_to_first_job(self) -> float | None:
        return statistics.fmean(self.first_job_days) if self.first_job_days else None

    @property
    def share_kept_90_days(self) -> float | None:
        return _share(self.jobs_kept_90_days, self.jobs_due_for_90_days)

    @property
    def share_in_job(self) -> float | None:
        return _share(self.in_job, self.caseload)

    @property
    def share_in_education(self) -> float | None:
        return _share(self.in_education, self.caseload)


def placement_figures(
    coachings: QuerySet[Coaching], start: date, end: date, on: date | None = None
) -> PlacementFigures:
    """The placement figures of ``coachings`` (already limited to what the caller may
    count). Two queries whatever the number of coachings.

    - job starts: job placements that started in [start, end];
    - days to the first job: for each coaching whose first job (by start) started in
      [start, end], the days from the coaching's start to it; their median and mean;
    - jobs kept 90 days: of the job placements that started in [start, end] and at least
      90 days before ``on``, those not ended or ended at least 90 days after their start;
    - job endings: job placements that ended in [start, end], by their reason;
    - the caseload on ``on``: the coachings that had started by ``on`` and had not ended
      before it; of these, those with a job held on ``on`` (started by then and not ended
      before it), and those with studies held on ``on``. A client in both counts in both.
    """
    return placement_rows(coachings).figures(start, end, on or timezone.localdate())


# A coaching as the figures read it: pk, start, end.
CoachingRow = tuple[int, date, date | None]
# A placement as the figures read it: coaching pk, kind, start, end, end reason.
PlacementRow = tuple[int, str, date, date | None, str]


@dataclass(frozen=True)
class PlacementRows:
    """What ``placement_figures`` counts: coachings and their placements, read once, so
    that the figures of any subset of the coachings (``subset``) for any period are
    counted without asking the database again (the supervisor's outcome view counts them
    per coach, per team and per period)."""

    coachings: list[CoachingRow]
    placements: list[PlacementRow]

    def subset(self, coaching_ids: Collection[int]) -> PlacementRows:
        """The rows of the coachings ``coaching_ids`` only."""
        return PlacementRows(
            [row for row in self.coachings if row[0] in coaching_ids],
            [row for row in self.placements if row[0] in coaching_ids],
        )

    def figures(self, start: date, end: date, on: date) -> PlacementFigures:
        """``placement_figures`` of these rows (each figure defined there)."""
        return _figures(self.coachings, self.placements, start, end, on)


def placement_rows(coachings: QuerySet[Coaching]) -> PlacementRows:
    """The rows ``placement_figures`` counts, of ``coachings``. Two queries."""
    return PlacementRows(
        list(coachings.values_list("pk", "started_on", "ended_on")),
        list(
            Placement.objects.filter(coaching__in=coachings.values("pk")).values_list(
                "coaching_id", "kind", "started_on", "ended_on", "end_reason"
            )
        ),
    )


def _figures(
    rows: list[CoachingRow], placements: list[PlacementRow], start: date, end: date, on: date
) -> PlacementFigures:
    jobs = [p for p in placements if p[1] == PlacementKind.JOB]

    first_job: dict[int, date] = {}
    for coaching_id, _kind, started_on, _ended, _reason in jobs:
        if coaching_id not in first_job or started_on < first_job[coaching_id]:
            first_job[coaching_id] = started_on
    coaching_start = {pk: started_on for pk, started_on, _ended in rows}
    first_job_days = sorted(
        (first - coaching_start[pk]).days
        for pk, first in first_job.items()
        if start <= first <= end
    )

    due_by = on - timedelta(days=KEPT_DAYS)
    due = [p for p in jobs if start <= p[2] <= end and p[2] <= due_by]
    kept = [p for p in due if p[3] is None or (p[3] - p[2]).days >= KEPT_DAYS]

    reasons = Counter(EndReason(p[4]) for p in jobs if p[3] is not None and start <= p[3] <= end)

    open_on = {
        pk
        for pk, started_on, ended_on in rows
        if started_on <= on and (ended_on is None or ended_on >= on)
    }

    def holding(kind: PlacementKind) -> int:
        return len(
            {
                p[0]
                for p in placements
                if p[1] == kind and p[0] in open_on and p[2] <= on and (p[3] is None or p[3] >= on)
            }
        )

    return PlacementFigures(
        start=start,
        end=end,
        on=on,
        job_starts=sum(1 for p in jobs if start <= p[2] <= end),
        first_job_days=first_job_days,
        jobs_due_for_90_days=len(due),
        jobs_kept_90_days=len(kept),
        endings_by_reason={reason: reasons[reason] for reason in EndReason if reasons[reason]},
        caseload=len(open_on),
        in_job=holding(PlacementKind.JOB),
        in_education=holding(PlacementKind.EDUCATION),
    )
