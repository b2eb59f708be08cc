"""The ESF+ common indicators of a project (or of a programme's projects) for a period,
computed in the database: one query with conditional counts, grouped by gender, whatever
the number of participants (and one small query per loaded version of the urban–rural
grouping).

Aggregates only, never a participant: the counts are the project's figures, which its
staff, its partners' staff and its programme's coordinators read
(``decisions.may_read_project``). The definitions are in ``indicators`` and explained in
``docs/indicators.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.clients.enums import Gender
from polku.core.codesets.rural import (
    GroupingNotLoaded,
    classification_versions,
    rural_municipality_codes,
)
from polku.measures.schedules import add_months
from polku.projects.enums import EducationLevel, LabourStatus, SensitiveAnswer
from polku.projects.indicators import (
    FOLLOW_UP_EARLIEST_DAYS,
    FOLLOW_UP_LATEST_DAYS,
    FOLLOW_UP_MONTHS,
    INDICATORS,
    UPON_LEAVING_DAYS,
    IndicatorGroup,
)
from polku.projects.models import FundingProgramme, Participant, Project

WOMEN, MEN, OTHER = "women", "men", "other"
SENSITIVE_ITEMS = (
    "disability",
    "third_country_national",
    "foreign_background",
    "minority",
    "homeless",
)


@dataclass(frozen=True)
class IndicatorRow:
    key: str
    code: str
    label: str | Promise
    group: IndicatorGroup
    women: int
    men: int
    other: int  # other or not given
    total: int
    available: bool = True


@dataclass(frozen=True)
class DataNote:
    """How many of the participants an item concerns have it missing (not known, not
    asked), and for a sensitive item how many declined to answer."""

    key: str
    label: str | Promise
    missing: int
    declined: int | None = None


@dataclass(frozen=True)
class ParticipantFlow:
    entered: int  # entry date in the period
    left: int  # leaving date in the period
    in_project_at_end: int  # entered by the period's last day and not left by then
    left_without_exit_data: int  # left in the period, no situation upon leaving recorded
    exit_observed_late: int  # left in the period, situation observed after four weeks
    follow_ups_due: int  # six months after leaving fell in the period
    follow_ups_recorded: int  # of those, the situation six months after was recorded
    follow_ups_outside_window: int  # of those recorded, observed outside 22–30 weeks


@dataclass(frozen=True)
class IndicatorTable:
    starts_on: date
    ends_on: date
    rows: list[IndicatorRow]
    notes: list[DataNote]
    flow: ParticipantFlow
    # The versions of the urban–rural grouping the rural row counts by (none: not available).
    rural_versions: tuple[str, ...] = ()

    def row(self, key: str) -> IndicatorRow:
        return next(row for row in self.rows if row.key == key)

    def group(self, group: IndicatorGroup) -> list[IndicatorRow]:
        return [row for row in self.rows if row.group == group]

    @property
    def is_empty(self) -> bool:
        """No participant concerns the period: none entered, left, stayed in the project
        or was due a follow-up."""
        flow = self.flow
        return not (flow.entered or flow.left or flow.in_project_at_end or flow.follow_ups_due)


def follow_up_leaving_dates(starts_on: date, ends_on: date) -> tuple[date, date] | None:
    """The leaving dates whose six months after (in calendar months, the day clamped to
    the month's end) fall in ``starts_on``–``ends_on``: the first and the last, or None."""
    first = add_months(starts_on, -FOLLOW_UP_MONTHS)
    while add_months(first, FOLLOW_UP_MONTHS) < starts_on:
        first += timedelta(days=1)
    last = add_months(ends_on, -FOLLOW_UP_MONTHS)
    while add_months(last + timedelta(days=1), FOLLOW_UP_MONTHS) <= ends_on:
        last += timedelta(days=1)
    return (first, last) if first <= last else None


def _version_year(version: str) -> int | None:
    match = re.match(r"\d{4}", version)
    return int(match.group()) if match else None


def rural_condition() -> tuple[Q | None, tuple[str, ...]]:
    """A condition on participants: the municipality at entry is rural in the version of
    the grouping in effect on the entry date — the latest loaded version of the entry's
    year or before, or the earliest loaded version for an entry before any. None when no
    version is loaded (the rural figure is then not available)."""
    versions = [
        version for version in classification_versions() if _version_year(version) is not None
    ]
    condition: Q | None = None
    used: list[str] = []
    for index, version in enumerate(versions):
        try:
            codes = rural_municipality_codes(version)
        except GroupingNotLoaded:  # removed meanwhile
            continue
        in_effect = Q(municipality_id__in=sorted(codes))
        if index > 0:
            in_effect &= Q(entered_on__gte=date(_version_year(version) or 1, 1, 1))
        if index + 1 < len(versions):
            following = _version_year(versions[index + 1]) or 1
            in_effect &= Q(entered_on__lt=date(following, 1, 1))
        condition = in_effect if condition is None else condition | in_effect
        used.append(version)
    return condition, tuple(used)


def _days(field: str) -> ExpressionWrapper:
    """Days from leaving to ``field``, as a duration (portable between databases)."""
    return ExpressionWrapper(F(field) - F("left_on"), output_field=DurationField())


def _conditions(starts_on: date, ends_on: date, rural: Q | None) -> dict[str, Q]:
    """Every figure's condition on a participant row, by name."""
    entered = Q(entered_on__gte=starts_on, entered_on__lte=ends_on)
    left = Q(left_on__gte=starts_on, left_on__lte=ends_on)
    exit_in_time = Q(exit_observed_on__isnull=False) & Q(
        LessThanOrEqual(_days("exit_observed_on"), timedelta(days=UPON_LEAVING_DAYS))
    )
    exit_late = Q(exit_observed_on__isnull=False) & ~Q(
        LessThanOrEqual(_days("exit_observed_on"), timedelta(days=UPON_LEAVING_DAYS))
    )
    dates = follow_up_leaving_dates(starts_on, ends_on)
    due = Q(left_on__gte=dates[0], left_on__lte=dates[1]) if dates else Q(pk__in=[])
    follow_up_in_window = (
        Q(follow_up_observed_on__isnull=False)
        & Q(
            GreaterThanOrEqual(
                _days("follow_up_observed_on"), timedelta(days=FOLLOW_UP_EARLIEST_DAYS)
            )
        )
        & Q(LessThanOrEqual(_days("follow_up_observed_on"), timedelta(days=FOLLOW_UP_LATEST_DAYS)))
    )
    unemployed = [LabourStatus.UNEMPLOYED, LabourStatus.LONG_TERM_UNEMPLOYED]
    low, middle = ["0", "1", "2"], ["3", "4"]
    high = [level.value for level in EducationLevel if level.value not in {*low, *middle}]
    conditions: dict[str, Q] = {
        # Output indicators: entry data of those who entered in the period.
        "unemployed": entered & Q(labour_status__in=unemployed),
        "long_term_unemployed": entered & Q(labour_status=LabourStatus.LONG_TERM_UNEMPLOYED),
        "inactive": entered & Q(labour_status=LabourStatus.INACTIVE),
        "employed": entered & Q(labour_status=LabourStatus.EMPLOYED),
        "below_18": entered & Q(age_at_entry__lt=18),
        "age_18_29": entered & Q(age_at_entry__gte=18, age_at_entry__lte=29),
        "age_55_plus": entered & Q(age_at_entry__gte=55),
        "isced_0_2": entered & Q(education_level__in=low),
        "isced_3_4": entered & Q(education_level__in=middle),
        "isced_5_8": entered & Q(education_level__in=high),
        "total": entered,
        "rural": entered & rural if rural is not None else Q(pk__in=[]),
        # Immediate results: those who left in the period, observed within four weeks.
        **{
            item: left & exit_in_time & Q(**{item: True})
            for item in (
                "exit_job_searching",
                "exit_in_education",
                "exit_qualification",
                "exit_employed",
            )
        },
        # Longer-term results: six months after leaving fell in the period.
        "follow_up_employed": due & follow_up_in_window & Q(follow_up_employed=True),
        "follow_up_improved": due & follow_up_in_window & Q(follow_up_improved=True),
        # The flow of participants.
        "flow_left": left,
        "flow_in_project_at_end": Q(entered_on__lte=ends_on)
        & (Q(left_on__isnull=True) | Q(left_on__gt=ends_on)),
        "flow_left_without_exit_data": left & Q(exit_observed_on__isnull=True),
        "flow_exit_observed_late": left & exit_late,
        "flow_follow_ups_due": due,
        "flow_follow_ups_recorded": due & Q(follow_up_observed_on__isnull=False),
        "flow_follow_ups_outside_window": due
        & Q(follow_up_observed_on__isnull=False)
        & ~follow_up_in_window,
        # Missing and declined data of those who entered in the period.
        "missing_labour_status": entered & Q(labour_status=""),
        "missing_education_level": entered & Q(education_level=""),
        "missing_municipality": entered & Q(municipality__isnull=True),
    }
    for item in SENSITIVE_ITEMS:
        conditions[f"declined_{item}"] = entered & Q(
            **{f"sensitive__{item}": SensitiveAnswer.DECLINED}
        )
        conditions[f"missing_{item}"] = entered & (
            Q(sensitive__isnull=True) | Q(**{f"sensitive__{item}": ""})
        )
        conditions[item] = entered & Q(**{f"sensitive__{item}": SensitiveAnswer.YES})
    return conditions


def _bucket(gender: str) -> str:
    if gender == Gender.FEMALE:
        return WOMEN
    if gender == Gender.MALE:
        return MEN
    return OTHER


def _compute(participants: QuerySet[Participant], starts_on: date, ends_on: date) -> IndicatorTable:
    rural, versions = rural_condition()
    conditions = _conditions(starts_on, ends_on, rural)
    # The conditions on the sensitive details must keep participants who have none:
    # the sensitive details are joined with a left outer join.
    grouped = (
        participants.order_by()
        .values("gender")
        .annotate(**{name: Count("pk", filter=condition) for name, condition in conditions.items()})
    )
    counts: dict[str, dict[str, int]] = {name: {WOMEN: 0, MEN: 0, OTHER: 0} for name in conditions}
    for result in grouped:
        bucket = _bucket(result["gender"])
        for name in conditions:
            counts[name][bucket] += result[name]

    def total(name: str) -> int:
        return sum(counts[name].values())

    rows = [
        IndicatorRow(
            key=indicator.key,
            code=indicator.code,
            label=indicator.label,
            group=indicator.group,
            women=counts[indicator.key][WOMEN],
            men=counts[indicator.key][MEN],
            other=counts[indicator.key][OTHER],
            total=total(indicator.key),
            available=indicator.key != "rural" or rural is not None,
        )
        for indicator in INDICATORS
    ]
    sensitive_labels: dict[str, Any] = {
        "disability": _("Disability"),
        "third_country_national": _("Third-country national"),
        "foreign_background": _("Foreign background"),
        "minority": _("Minority"),
        "homeless": _("Homeless or housing exclusion"),
    }
    notes = [
        DataNote(
            "labour_status", _("Labour market status at entry"), total("missing_labour_status")
        ),
        DataNote(
            "education_level", _("Education level at entry"), total("missing_education_level")
        ),
        DataNote(
            "municipality", _("Municipality of residence at entry"), total("missing_municipality")
        ),
        *(
            DataNote(item, label, total(f"missing_{item}"), total(f"declined_{item}"))
            for item, label in sensitive_labels.items()
        ),
    ]
    flow = ParticipantFlow(
        entered=total("total"),
        left=total("flow_left"),
        in_project_at_end=total("flow_in_project_at_end"),
        left_without_exit_data=total("flow_left_without_exit_data"),
        exit_observed_late=total("flow_exit_observed_late"),
        follow_ups_due=total("flow_follow_ups_due"),
        follow_ups_recorded=total("flow_follow_ups_recorded"),
        follow_ups_outside_window=total("flow_follow_ups_outside_window"),
    )
    return IndicatorTable(starts_on, ends_on, rows, notes, flow, versions)


def compute_indicators(project: Project, starts_on: date, ends_on: date) -> IndicatorTable:
    """The ESF+ indicators of ``project`` for ``starts_on``–``ends_on`` (both included),
    by gender, with the participant flow and the missing and declined data."""
    return _compute(Participant.objects.filter(project=project), starts_on, ends_on)


def compute_programme_indicators(
    programme: FundingProgramme, starts_on: date, ends_on: date
) -> IndicatorTable:
    """The indicators of all of ``programme``'s projects, summed: a client who took part
    in two of its projects counts in each, as each project reports them."""
    return _compute(Participant.objects.filter(project__programme=programme), starts_on, ends_on)
