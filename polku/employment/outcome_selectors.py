"""The supervisor's outcome view of supported employment (IPS outcome-based supervision):
per coach, per team (the unit of the coach's membership) and in all, for a month or a
quarter, with the same figures for the periods before it.

Aggregates only: counts and shares of the organisation's own coachings, placements and
employer contacts, never a client's name or record, for the one organisation the policy
names (``decisions.may_read_employment_outcomes``). As on the other aggregate pages
(measures, "Change in groups"), no client is shown, so no client is logged as read.

The definitions (also in ``docs/employment.md``, "The supervisor's outcome view"):

- **reference day**: the period's last day, or today if that is earlier;
- **weeks**: the days of the period up to the reference day, divided by 7;
- **coaches**: those with a job-coach membership of the organisation valid on a day of the
  period up to the reference day, and anyone who coached, or recorded an employer contact,
  for the organisation in that time;
- **employer contacts per week**: the engagement log's contacts of the period up to the
  reference day, divided by the weeks and by the coaches (so a team's and the total figure
  are per coach, comparable with the IPS expectation of about six face-to-face contacts per
  coach per week, ``employer_selectors.FACE_TO_FACE_PER_WEEK``); all modes, and face to
  face apart;
- **caseload**: the coachings that had started by the reference day and had not ended
  before it;
- **transitions off the caseload**: the coachings that ended in the period (up to the
  reference day), by their exit transition;
- the placement figures are ``placement_selectors.placement_figures``'s (read through
  ``_placement_part``) for the period up to the reference day: job starts, the shares of
  the caseload in a job and in education on the reference day, job endings by reason;
  and jobs kept 90 days: of the jobs started in the period at least 90 days before
  *today*, those not ended or ended 90 days or more after their start (as of the
  reference day, a month's jobs could never be 90 days old).

A constant number of queries whatever the number of coaches and periods: each source is
read once for the whole span of the periods, and the figures are counted here.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.accounts.enums import Role
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.employment import employer_selectors, placement_selectors
from polku.employment.coaching_enums import Occasion, TransitionKind
from polku.employment.employer_selectors import FACE_TO_FACE_PER_WEEK
from polku.employment.models import Coaching, Placement, Transition
from polku.employment.placement_selectors import PlacementFigures
from polku.measures import charts
from polku.measures.schedules import add_months

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
FIRST_YEAR = 2000


class PeriodKind(models.TextChoices):
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")


# How many periods before the one asked for the trends show.
TREND_PERIODS = {PeriodKind.MONTH: 6, PeriodKind.QUARTER: 4}
PERIOD_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3}


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month or quarter."""

    start: date
    kind: PeriodKind

    @property
    def end(self) -> date:
        return add_months(self.start, PERIOD_MONTHS[self.kind]) - timedelta(days=1)

    @property
    def key(self) -> str:
        """``2026-11`` for a month, ``2026-Q4`` for a quarter: what the form takes."""
        if self.kind == PeriodKind.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    def __str__(self) -> str:
        return self.key

    @classmethod
    def parse(cls, text: str, kind: PeriodKind) -> Period | None:
        """The period written as ``key`` writes it for ``kind``, or None: nothing else is
        taken (no other separators, no spaces, no year before 2000)."""
        pattern = MONTH if kind == PeriodKind.MONTH else QUARTER
        found = pattern.fullmatch(text)
        if found is None or int(found[1]) < FIRST_YEAR:
            return None
        year, number = int(found[1]), int(found[2])
        month = number if kind == PeriodKind.MONTH else 3 * number - 2
        return cls(date(year, month, 1), kind)

    @classmethod
    def containing(cls, kind: PeriodKind, day: date) -> Period:
        month = day.month if kind == PeriodKind.MONTH else 3 * ((day.month - 1) // 3) + 1
        return cls(date(day.year, month, 1), kind)

    def shifted(self, periods: int) -> Period:
        return Period(add_months(self.start, periods * PERIOD_MONTHS[self.kind]), self.kind)

    def with_trend(self) -> list[Period]:
        """The periods of the trend: the ones before this (``TREND_PERIODS``) and this,
        oldest first."""
        return [self.shifted(-n) for n in range(TREND_PERIODS[self.kind], -1, -1)]

    def reference_day(self, today: date) -> date:
        return min(self.end, today)


# The figures of one group in one period -----------------------------------------------------


@dataclass
class Figures:
    """The outcome figures of one group of coaches (a coach, a team, all) in one period,
    as defined in the module's docstring. ``placements`` is None where the placement
    figures are not available."""

    period: Period
    on: date
    days: int
    coaches: int = 0
    contacts: int = 0
    face_to_face: int = 0
    caseload: int = 0
    ended: int = 0
    off_caseload: Counter[str] = field(default_factory=Counter)
    placements: PlacementFigures | None = None

    def _per_coach_week(self, count: int) -> float | None:
        if not self.coaches or self.days <= 0:
            return None
        return count * 7 / self.days / self.coaches

    @property
    def weeks(self) -> float:
        return self.days / 7

    @property
    def contacts_per_week(self) -> float | None:
        return self._per_coach_week(self.contacts)

    @property
    def face_to_face_per_week(self) -> float | None:
        return self._per_coach_week(self.face_to_face)

    @property
    def meets_face_to_face_expectation(self) -> bool:
        per_week = self.face_to_face_per_week
        return per_week is not None and per_week >= FACE_TO_FACE_PER_WEEK

    @property
    def job_starts(self) -> int | None:
        return None if self.placements is None else self.placements.job_starts

    @property
    def share_in_job(self) -> float | None:
        return None if self.placements is None else self.placements.share_in_job

    @property
    def share_in_education(self) -> float | None:
        return None if self.placements is None else self.placements.share_in_education

    @property
    def jobs_due_for_90_days(self) -> int | None:
        return None if self.placements is None else self.placements.jobs_due_for_90_days

    @property
    def jobs_kept_90_days(self) -> int | None:
        return None if self.placements is None else self.placements.jobs_kept_90_days

    @property
    def share_kept_90_days(self) -> float | None:
        return None if self.placements is None else self.placements.share_kept_90_days

    @property
    def job_endings(self) -> int | None:
        return None if self.placements is None else self.placements.endings_total

    @property
    def endings_by_reason(self) -> dict[Any, int]:
        return {} if self.placements is None else dict(self.placements.endings_by_reason)


# Groups -------------------------------------------------------------------------------------

ALL = ("all", None)


def _coach_key(coach_id: int) -> tuple[str, int | None]:
    return ("coach", coach_id)


def _unit_key(unit_id: int | None) -> tuple[str, int | None]:
    return ("unit", unit_id)


@dataclass(frozen=True)
class Coach:
    user: User
    unit: Unit | None

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


def _coaches_by_user(organisation: Organisation, today: date) -> dict[int, Coach]:
    """Each professional of the organisation with their team: the unit of their membership
    in it, the one valid today in a job coach's role first, else the latest started. One
    query."""
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "unit")
        .order_by("user_id", "valid_from", "pk")
    )
    chosen: dict[int, Membership] = {}

    def rank(membership: Membership) -> tuple[bool, bool, date, int]:
        valid = membership.valid_from <= today and (
            membership.valid_until is None or membership.valid_until >= today
        )
        return (valid, membership.role == Role.JOB_COACH, membership.valid_from, membership.pk)

    for membership in memberships:
        current = chosen.get(membership.user_id)
        if current is None or rank(membership) > rank(current):
            chosen[membership.user_id] = membership
    return {user_id: Coach(m.user, m.unit) for user_id, m in chosen.items()}


def _job_coach_periods(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(organisation=organisation, role=Role.JOB_COACH)


# Reading the sources once -------------------------------------------------------------------


@dataclass(frozen=True)
class _CoachingRow:
    pk: int
    coach_id: int
    started_on: date
    ended_on: date | None
    exit_kind: str | None


def _coachings(organisation: Organisation) -> QuerySet[Coaching]:
    """The organisation's coachings (of clients not merged into another record): the
    ground of every figure here."""
    return Coaching.objects.filter(organisation=organisation, client__merged_into__isnull=True)


def _in_span(coachings: QuerySet[Coaching], first: date, last: date) -> QuerySet[Coaching]:
    """The coachings open at some time from ``first`` to ``last``, or with a job or
    studies then: a job may end after its coaching has, and counts under its coach."""
    placement_in_span = Placement.objects.filter(coaching=OuterRef("pk")).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first)
    )
    return coachings.filter(started_on__lte=last).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first) | Exists(placement_in_span)
    )


def _coaching_rows(coachings: QuerySet[Coaching]) -> list[_CoachingRow]:
    """``coachings`` with their exit transition's kind. One query."""
    exit_kind = Transition.objects.filter(coaching=OuterRef("pk"), occasion=Occasion.EXIT).values(
        "kind"
    )[:1]
    rows = coachings.annotate(exit_kind=Subquery(exit_kind)).values_list(
        "pk", "coach_id", "started_on", "ended_on", "exit_kind"
    )
    return [_CoachingRow(*row) for row in rows]


def _placement_part(
    coachings: QuerySet[Coaching],
    groups: dict[tuple[str, int | None], set[int]],
    periods: Iterable[tuple[Period, date]],
    today: date,
) -> dict[tuple[tuple[str, int | None], Period], PlacementFigures]:
    """``placement_selectors.placement_figures`` of each group of ``coachings`` (by their
    pks) in each period (with its reference day), from rows read once (two queries).

    A job counts as started, or ended, in the period up to its reference day. Jobs kept 90
    days are counted as of ``today``, not the reference day: no job that started in a
    month can be 90 days old on that month's last day, so a month's (or a recent
    quarter's) retention shows once its jobs are 90 days old."""
    rows = placement_selectors.placement_rows(coachings)
    periods = list(periods)
    found = {}
    for key, coaching_ids in groups.items():
        part = rows.subset(coaching_ids)
        for period, on in periods:
            figures = part.figures(period.start, on, on)
            retention = part.figures(period.start, on, today)
            found[(key, period)] = replace(
                figures,
                jobs_due_for_90_days=retention.jobs_due_for_90_days,
                jobs_kept_90_days=retention.jobs_kept_90_days,
            )
    return found


# The report ---------------------------------------------------------------------------------


@dataclass
class Row:
    """A coach's or a team's line of the report: its figures in the period and the trend."""

    label: str
    figures: Figures
    trend: list[Figures]
    team: str = ""


@dataclass
class OutcomeReport:
    organisation: Organisation
    period: Period
    unit: Unit | None
    today: date
    coaches: list[Row]
    teams: list[Row]
    total: Row
    periods: list[Period]

    @property
    def on(self) -> date:
        return self.total.figures.on

    @property
    def is_empty(self) -> bool:
        """Nothing to count: no coach, no coaching, no contact in any period shown."""
        return not self.coaches and all(
            not (f.caseload or f.ended or f.contacts or f.job_starts) for f in self.total.trend
        )

    @property
    def face_to_face_expectation(self) -> int:
        return FACE_TO_FACE_PER_WEEK


def _team_name(unit: Unit | None) -> str:
    return unit.localized_name if unit is not None else _("No team")


def outcome_report(
    organisation: Organisation,
    period: Period,
    *,
    unit: Unit | None = None,
    today: date | None = None,
) -> OutcomeReport:
    """The outcome figures of ``organisation`` (which the caller has had the policy name:
    ``decisions.may_read_employment_outcomes``) in ``period`` and the periods of its trend,
    per coach, per team and in all; only of the coaches of ``unit`` when one is given.
    Six queries whatever the number of coaches and periods."""
    today = today or timezone.localdate()
    periods = [p for p in period.with_trend() if p.start <= today]
    span_start, span_end = periods[0].start, period.reference_day(today)
    coach_of = _coaches_by_user(organisation, today)
    coachings = _in_span(_coachings(organisation), span_start, span_end)
    rows = _coaching_rows(coachings)
    contact_counts = employer_selectors.organisation_contact_counts(
        organisation.pk, span_start, span_end
    )
    job_coach_periods = list(
        _job_coach_periods(organisation)
        .filter(valid_from__lte=span_end)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=span_start))
        .values_list("user_id", "valid_from", "valid_until")
    )

    def unit_of(coach_id: int) -> int | None:
        coach = coach_of.get(coach_id)
        return coach.unit.pk if coach is not None and coach.unit is not None else None

    def in_scope(coach_id: int) -> bool:
        return unit is None or unit_of(coach_id) == unit.pk

    def keys(coach_id: int) -> list[tuple[str, int | None]]:
        return [_coach_key(coach_id), _unit_key(unit_of(coach_id)), ALL]

    figures: dict[tuple[tuple[str, int | None], Period], Figures] = {}
    members: dict[tuple[tuple[str, int | None], Period], set[int]] = defaultdict(set)

    def of(key: tuple[str, int | None], p: Period) -> Figures:
        found = figures.get((key, p))
        if found is None:
            on = p.reference_day(today)
            found = figures[(key, p)] = Figures(p, on, (on - p.start).days + 1)
        return found

    for p in periods:
        on = p.reference_day(today)
        active: set[int] = {
            user_id
            for user_id, valid_from, valid_until in job_coach_periods
            if valid_from <= on and (valid_until is None or valid_until >= p.start)
        }
        for row in rows:
            if row.started_on > on or (row.ended_on is not None and row.ended_on < p.start):
                continue
            active.add(row.coach_id)
            if not in_scope(row.coach_id):
                continue
            for key in keys(row.coach_id):
                target = of(key, p)
                if row.ended_on is None or row.ended_on >= on:
                    target.caseload += 1
                if row.ended_on is not None and p.start <= row.ended_on <= on:
                    target.ended += 1
                    target.off_caseload[row.exit_kind or TransitionKind.UNKNOWN] += 1
        for count in contact_counts:
            if not p.start <= count.date <= on:
                continue
            active.add(count.coach_id)
            if not in_scope(count.coach_id):
                continue
            for key in keys(count.coach_id):
                target = of(key, p)
                target.contacts += count.contacts
                target.face_to_face += count.face_to_face
        for coach_id in active:
            if in_scope(coach_id):
                for key in keys(coach_id):
                    members[(key, p)].add(coach_id)
                    of(key, p)
        of(ALL, p)
    for (key, p), listed in members.items():
        figures[(key, p)].coaches = len(listed)

    coachings_of = _scoped_groups(rows, keys, in_scope)
    # Every group shown, with or without coachings: a coach without any has no job starts.
    placement_groups = {key: coachings_of.get(key, set()) for key, _period in figures}
    placements = _placement_part(
        coachings,
        placement_groups,
        [(p, p.reference_day(today)) for p in periods],
        today,
    )
    for (key, p), part in placements.items():
        if (key, p) in figures:
            figures[(key, p)].placements = part

    def row_of(key: tuple[str, int | None], label: str, team: str = "") -> Row:
        return Row(label, of(key, period), [of(key, p) for p in periods], team)

    coach_ids = sorted(
        {c for (key, p), ids in members.items() if p == period and key == ALL for c in ids},
        key=lambda c: (_coach_name(coach_of, c), c),
    )
    coach_rows = [
        row_of(
            _coach_key(c),
            _coach_name(coach_of, c),
            _team_name(coach_of[c].unit if c in coach_of else None),
        )
        for c in coach_ids
    ]
    unit_ids = {unit_of(c) for c in coach_ids}
    units: dict[int | None, Unit | None] = {
        coach.unit.pk: coach.unit for coach in coach_of.values() if coach.unit is not None
    }
    team_rows = sorted(
        (
            row_of(_unit_key(u), _team_name(units.get(u) if u is not None else None))
            for u in unit_ids
        ),
        key=lambda row: (row.label == _("No team"), row.label),
    )
    total_label = unit.localized_name if unit is not None else _("All teams")
    return OutcomeReport(
        organisation=organisation,
        period=period,
        unit=unit,
        today=today,
        coaches=coach_rows,
        teams=team_rows,
        total=row_of(ALL, total_label),
        periods=periods,
    )


def _coach_name(coach_of: dict[int, Coach], coach_id: int) -> str:
    coach = coach_of.get(coach_id)
    return coach.name if coach is not None else _("Former coach")


def _scoped_groups(
    rows: list[_CoachingRow],
    keys: Any,
    in_scope: Any,
) -> dict[tuple[str, int | None], set[int]]:
    """The coachings (pks) of each group, among the coachings in scope."""
    groups: dict[tuple[str, int | None], set[int]] = defaultdict(set)
    for row in rows:
        if in_scope(row.coach_id):
            for key in keys(row.coach_id):
                groups[key].add(row.pk)
    return dict(groups)


def organisation_units(organisation: Organisation) -> list[Unit]:
    """The teams a report may be limited to: the organisation's active units."""
    return list(Unit.objects.filter(organisation=organisation, is_active=True).order_by("name"))


# The trend charts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendChart:
    title: str
    chart: charts.Chart


def _percent(share: float) -> str:
    """A share as a whole percentage in the reader's language (``number_format`` cuts
    decimals off, so round first)."""
    return f"{number_format(round(share * 100), 0)} %"


def trend_charts(report: OutcomeReport) -> list[TrendChart]:
    """The share of the caseload working and the job starts over the periods of the trend
    (of the report's scope), each with its text alternative; a chart only where the figure
    is known in some period."""
    trend = report.total.trend
    found = []
    working = [(f.period.key, f.share_in_job) for f in trend if f.share_in_job is not None]
    if working:
        found.append(
            TrendChart(
                _("Share of the caseload working"),
                charts.line_over_time(
                    [(key, round(share * 100, 1)) for key, share in working],
                    y_title=_("Working, share of the caseload (%)"),
                    y_domain=(0, 100),
                    description=_("Share of the caseload working by period: %(values)s.")
                    % {
                        "values": "; ".join(
                            f"{key} {number_format(round(share * 100), 0)} %"
                            for key, share in working
                        )
                    },
                ),
            )
        )
    starts = [(f.period.key, f.job_starts) for f in trend if f.job_starts is not None]
    if starts:
        found.append(
            TrendChart(
                _("Job starts"),
                charts.line_over_time(
                    [(key, float(count)) for key, count in starts],
                    y_title=_("Job starts"),
                    y_domain=(0, max(1, *(count for _key, count in starts))),
                    description=_("Job starts by period: %(values)s.")
                    % {"values": "; ".join(f"{key} {count}" for key, count in starts)},
                ),
            )
        )
    return found
