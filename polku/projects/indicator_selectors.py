"""The ESF+ common indicators of a project (or of a programme's projects) for a period,
computed in the database: one SQL query with conditional counts, grouped by gender,
whatever the number of participants, and one that reads which versions of the urban–rural
grouping are loaded.

The counting query is written out in SQL (``FIGURES``) rather than built by the ORM: it has
some fifty conditional counts, whose building and compiling by the ORM would cost as much
time as running them; written out, it is as fast as a hand-written query (it is one), and
it reads as the definitions in ``docs/indicators.md`` do. It runs on PostgreSQL and SQLite
alike, the days between two dates excepted (``_in_sql``).

Aggregates only, never a participant: the counts are the project's figures, which its
staff, its partners' staff and its programme's coordinators read
(``decisions.may_read_project``). The definitions are in ``indicators`` and explained in
``docs/indicators.md``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polku.clients.enums import Gender
from polku.core.codesets.rural import classification_versions
from polku.core.models import MunicipalityGroup
from polku.measures.schedules import add_months
from polku.projects.indicators import (
    FOLLOW_UP_EARLIEST_DAYS,
    FOLLOW_UP_LATEST_DAYS,
    FOLLOW_UP_MONTHS,
    INDICATORS,
    UPON_LEAVING_DAYS,
    IndicatorGroup,
)
from polku.projects.models import FundingProgramme, Participant, Project, SensitiveDetails

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
    definition: str | Promise = ""  # how Polku counts it, in a sentence


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


def rural_versions() -> list[tuple[str, date | None, date | None]]:
    """The loaded versions of the urban–rural grouping with the entry dates each is in
    effect for: (version, from, until before), oldest first. A version is in effect from
    the first day of its year until the next version's; the earliest also for any earlier
    entry, the latest for any later one. Empty when none is loaded: the rural figure is
    then not available (``rural.GroupingNotLoaded``)."""
    versions = [
        (version, year)
        for version in classification_versions()
        if (year := _version_year(version)) is not None
    ]
    return [
        (
            version,
            date(year, 1, 1) if index > 0 else None,
            date(versions[index + 1][1], 1, 1) if index + 1 < len(versions) else None,
        )
        for index, (version, year) in enumerate(versions)
    ]


# The figures, each a condition on a participant row ``p`` (with its sensitive details
# ``s``, left-joined) in SQL that PostgreSQL and SQLite read alike; ``{days(x)}`` is the
# number of days from leaving to date column ``x``. Parameters: the period (``starts``,
# ``ends``), the leaving dates whose six months after fall in it (``due_from``,
# ``due_until``), the windows in days and ``true``.
ENTERED = "p.entered_on BETWEEN %(starts)s AND %(ends)s"
LEFT = "p.left_on BETWEEN %(starts)s AND %(ends)s"
DUE = "p.left_on BETWEEN %(due_from)s AND %(due_until)s"
EXIT_IN_TIME = "{days(p.exit_observed_on)} <= %(upon_leaving)s"
EXIT_LATE = "{days(p.exit_observed_on)} > %(upon_leaving)s"
FOLLOW_UP_IN_WINDOW = (
    "{days(p.follow_up_observed_on)} BETWEEN %(follow_up_earliest)s AND %(follow_up_latest)s"
)
FIGURES: dict[str, str] = {
    # Output indicators: entry data of those who entered in the period.
    "unemployed": f"{ENTERED} AND p.labour_status IN ('unemployed', 'long_term_unemployed')",
    "long_term_unemployed": f"{ENTERED} AND p.labour_status = 'long_term_unemployed'",
    "inactive": f"{ENTERED} AND p.labour_status = 'inactive'",
    "employed": f"{ENTERED} AND p.labour_status = 'employed'",
    "below_18": f"{ENTERED} AND p.age_at_entry < 18",
    "age_18_29": f"{ENTERED} AND p.age_at_entry BETWEEN 18 AND 29",
    "age_55_plus": f"{ENTERED} AND p.age_at_entry >= 55",
    "isced_0_2": f"{ENTERED} AND p.education_level IN ('0', '1', '2')",
    "isced_3_4": f"{ENTERED} AND p.education_level IN ('3', '4')",
    "isced_5_8": f"{ENTERED} AND p.education_level IN ('5', '6', '7', '8')",
    "total": ENTERED,
    **{item: f"{ENTERED} AND s.{item} = 'yes'" for item in SENSITIVE_ITEMS},
    # Immediate results: those who left in the period, observed within four weeks.
    **{
        item: f"{LEFT} AND {EXIT_IN_TIME} AND p.{item} = %(true)s"
        for item in ("exit_job_searching", "exit_in_education", "exit_qualification")
    },
    "exit_employed": f"{LEFT} AND {EXIT_IN_TIME} AND p.exit_employed = %(true)s",
    # Longer-term results: six months after leaving fell in the period.
    "follow_up_employed": f"{DUE} AND {FOLLOW_UP_IN_WINDOW} AND p.follow_up_employed = %(true)s",
    "follow_up_improved": f"{DUE} AND {FOLLOW_UP_IN_WINDOW} AND p.follow_up_improved = %(true)s",
    # The flow of participants.
    "flow_left": LEFT,
    "flow_in_project_at_end": (
        "p.entered_on <= %(ends)s AND (p.left_on IS NULL OR p.left_on > %(ends)s)"
    ),
    "flow_left_without_exit_data": f"{LEFT} AND p.exit_observed_on IS NULL",
    "flow_exit_observed_late": f"{LEFT} AND {EXIT_LATE}",
    "flow_follow_ups_due": DUE,
    "flow_follow_ups_recorded": f"{DUE} AND p.follow_up_observed_on IS NOT NULL",
    "flow_follow_ups_outside_window": f"{DUE} AND NOT ({FOLLOW_UP_IN_WINDOW})",
    # Missing and declined data of those who entered in the period.
    "missing_labour_status": f"{ENTERED} AND p.labour_status = ''",
    "missing_education_level": f"{ENTERED} AND p.education_level = ''",
    "missing_municipality": f"{ENTERED} AND p.municipality_id IS NULL",
    **{f"declined_{item}": f"{ENTERED} AND s.{item} = 'declined'" for item in SENSITIVE_ITEMS},
    **{f"missing_{item}": f"{ENTERED} AND COALESCE(s.{item}, '') = ''" for item in SENSITIVE_ITEMS},
}


DAYS_SINCE_LEAVING = re.compile(r"\{days\((?P<column>[a-z_.]+)\)\}")


def _in_sql(condition: str, vendor: str) -> str:
    """``condition`` with each ``{days(column)}`` written for the database ``vendor``."""

    def days(match: re.Match[str]) -> str:
        column = match.group("column")
        if vendor == "sqlite":
            return f"CAST(julianday({column}) - julianday(p.left_on) AS INTEGER)"
        return f"({column} - p.left_on)"

    return DAYS_SINCE_LEAVING.sub(days, condition)


def _rural(versions: int) -> str:
    """The rural condition with ``versions`` loaded versions, each in effect for the
    entries from its ``version_<n>_from`` until before its ``version_<n>_until`` (the
    earliest with no start, the latest with no end)."""
    if not versions:
        return "1 = 0"
    groups = MunicipalityGroup._meta.db_table
    group = connection.ops.quote_name("group")
    in_effect = []
    for index in range(versions):
        # Table and column names only are written in; every value is a parameter.
        parts = [
            f"p.municipality_id IN (SELECT g.municipality_id FROM {groups} g WHERE "  # noqa: S608
            f"g.classification_version = %(version_{index})s AND g.{group} = 'rural')"
        ]
        if index > 0:
            parts.append(f"p.entered_on >= %(version_{index}_from)s")
        if index + 1 < versions:
            parts.append(f"p.entered_on < %(version_{index}_until)s")
        in_effect.append("(" + " AND ".join(parts) + ")")
    return f"{ENTERED} AND (" + " OR ".join(in_effect) + ")"


@functools.cache
def counting_sql(vendor: str, versions: int, programme: bool) -> str:
    """The one query that counts every figure by gender, for a database ``vendor``, with
    ``versions`` loaded versions of the urban–rural grouping, over a project's
    participants (with ``programme``, over all of a programme's projects')."""
    figures = {**FIGURES, "rural": _rural(versions)}
    counts = ",\n  ".join(
        f"SUM(CASE WHEN {_in_sql(condition, vendor)} THEN 1 ELSE 0 END) AS {name}"
        for name, condition in figures.items()
    )
    scope = (
        f"p.project_id IN (SELECT pr.id FROM {Project._meta.db_table} pr"  # noqa: S608
        " WHERE pr.programme_id = %(scope)s)"
        if programme
        else "p.project_id = %(scope)s"
    )
    return (
        f"SELECT p.gender,\n  {counts}\n"
        f"FROM {Participant._meta.db_table} p\n"
        f"LEFT OUTER JOIN {SensitiveDetails._meta.db_table} s ON s.participant_id = p.id\n"
        f"WHERE {scope}\n"
        "GROUP BY p.gender"
    )


def _bucket(gender: str) -> str:
    if gender == Gender.FEMALE:
        return WOMEN
    if gender == Gender.MALE:
        return MEN
    return OTHER


def _compute(scope: int, starts_on: date, ends_on: date, *, programme: bool) -> IndicatorTable:
    versions = rural_versions()
    due = follow_up_leaving_dates(starts_on, ends_on)
    params: dict[str, Any] = {
        "scope": scope,
        "starts": starts_on,
        "ends": ends_on,
        # No leaving date qualifies when none does: an empty range.
        "due_from": due[0] if due else ends_on,
        "due_until": due[1] if due else starts_on - timedelta(days=1),
        "upon_leaving": UPON_LEAVING_DAYS,
        "follow_up_earliest": FOLLOW_UP_EARLIEST_DAYS,
        "follow_up_latest": FOLLOW_UP_LATEST_DAYS,
        "true": True,
    }
    for index, (version, in_effect_from, in_effect_until) in enumerate(versions):
        params[f"version_{index}"] = version
        params[f"version_{index}_from"] = in_effect_from
        params[f"version_{index}_until"] = in_effect_until
    sql = counting_sql(connection.vendor, len(versions), programme)
    names = [*FIGURES, "rural"]
    counts: dict[str, dict[str, int]] = {name: {WOMEN: 0, MEN: 0, OTHER: 0} for name in names}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column[0] for column in cursor.description]
        for result in cursor.fetchall():
            values = dict(zip(columns, result, strict=True))
            bucket = _bucket(values["gender"])
            for name in names:
                counts[name][bucket] += int(values[name] or 0)
    rural_available = bool(versions)

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
            available=indicator.key != "rural" or rural_available,
            definition=indicator.definition,
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
    return IndicatorTable(
        starts_on, ends_on, rows, notes, flow, tuple(version for version, _, _ in versions)
    )


def compute_indicators(project: Project, starts_on: date, ends_on: date) -> IndicatorTable:
    """The ESF+ indicators of ``project`` for ``starts_on``–``ends_on`` (both included),
    by gender, with the participant flow and the missing and declined data."""
    return _compute(project.pk, starts_on, ends_on, programme=False)


def compute_programme_indicators(
    programme: FundingProgramme, starts_on: date, ends_on: date
) -> IndicatorTable:
    """The indicators of all of ``programme``'s projects, summed: a client who took part
    in two of its projects counts in each, as each project reports them."""
    return _compute(programme.pk, starts_on, ends_on, programme=True)
