"""The situational picture (tilannekuva): clients in service, their episodes, phases and case
managers, and the trend by month, for an area, a period and filters (``scope``).

Every figure starts from ``scope.counted_clients`` / ``scope.counted_episodes`` and is an
aggregate query (GROUP BY and conditional counts), never a loop over clients, so that the
page of the whole country stays fast at national scale. Every count goes through
``sections.count_table`` with the relations that really hold between its figures.

The figures "on the last day" are taken on the period's last day, or today when the period
ends later (what is under way in the future is not known yet): ``snapshot_day``.

Gender is shown as women, men, and other or not stated (``GENDER_COLUMNS``); each client
has one gender, so a row's three make its total.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Greatest, Least
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from polku.clients.enums import Gender
from polku.core.small_cells import Relation
from polku.core.tables import RATE, Cell, Table
from polku.insights.alert_figures import alerts_section
from polku.insights.employment_figures import employment_section
from polku.insights.measurement_figures import measurement_section
from polku.insights.rates import rates_table
from polku.insights.referral_figures import referrals_section
from polku.insights.scope import PictureQuery, active_during, age_band_key, counted_episodes
from polku.insights.sections import Section, SectionFunction, count_table, grid_relations
from polku.measures import charts
from polku.pathways.enums import EndReason, Phase
from polku.pathways.models import CaseManagerAssignment, PhaseChange
from polku.policy.actors import Actor

WOMEN, MEN, OTHER, ALL = "women", "men", "other", "all"
GENDER_COLUMNS = (WOMEN, MEN, OTHER)
NO_PHASE = "none"
END_REASONS = [str(reason) for reason in EndReason]
PHASES = [str(phase) for phase in Phase] + [NO_PHASE]
# A median is given for a group of at least this many clients (as ``core.small_cells``).
MEDIAN_MIN_CLIENTS = 5


def gender_headers() -> list[str]:
    return [_("Women"), _("Men"), _("Other or not stated"), _("All")]


def gender_column(gender: str) -> str:
    if gender == Gender.FEMALE:
        return WOMEN
    if gender == Gender.MALE:
        return MEN
    return OTHER


def snapshot_day(query: PictureQuery, today: date | None = None) -> date:
    """The day the "on the last day" figures are taken: the period's last day, or today
    when the period ends later (but not before the period's first day)."""
    today = today or timezone.localdate()
    return max(query.starts_on, min(query.ends_on, today))


def under_way_on(day: date) -> Q:
    """Episodes under way on ``day``."""
    return active_during(day, day)


def case_manager_at_end_of(day: date) -> QuerySet[CaseManagerAssignment]:
    """Case-manager assignments in force when ``day`` ends (local time): one who left
    during the day no longer counts."""
    midnight = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return CaseManagerAssignment.objects.filter(started_at__lt=midnight).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=midnight)
    )


def _by_gender(rows: Iterable[Mapping[str, Any]], names: Sequence[str]) -> dict[Any, int]:
    """Sum rows grouped by ``client__gender`` into (name, gender column) and (name, ALL).
    Distinct client counts of different genders add up, since a client has one gender."""
    values: dict[Any, int] = {
        (name, column): 0 for name in names for column in (*GENDER_COLUMNS, ALL)
    }
    for row in rows:
        column = gender_column(row["client__gender"])
        for name in names:
            values[(name, column)] += row[name]
            values[(name, ALL)] += row[name]
    return values


def _gender_cells(name: Any) -> list[Any]:
    return [(name, column) for column in (*GENDER_COLUMNS, ALL)]


def _gender_sum(name: Any) -> Relation:
    return Relation((name, ALL), tuple((name, column) for column in GENDER_COLUMNS))


def _fetch(sql: str, inner: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` over ``inner`` (Django's own query, with its parameters kept apart),
    which it names ``{inner}``: an aggregate over the scope's rows in one statement. No
    rows when the scope is empty by construction (a reader with no clients)."""
    try:
        inner_sql, params = inner.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connections[inner.db].cursor() as cursor:
        cursor.execute(sql.replace("{inner}", inner_sql), params)
        return list(cursor.fetchall())


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


# --- episodes ---------------------------------------------------------------------------


def episode_figures(actor: Actor, query: PictureQuery) -> dict[Any, int]:
    """The episode figures keyed (figure, gender column): ``in_service`` (distinct clients
    with an episode under way at some time in the period), ``new`` and ``ended`` (episodes
    started and ended in the period), ``ended_<reason>`` (by end reason), ``under_way``
    (distinct clients with an episode under way on the snapshot day), ``unmanaged`` (those
    of them without a case manager at the end of that day) and ``managed`` (the rest)."""
    values = _by_gender(episode_rows(actor, query), EPISODE_FIGURES)
    for column in (*GENDER_COLUMNS, ALL):
        values[("managed", column)] = values[("under_way", column)] - values[("unmanaged", column)]
    return values


EPISODE_FLAGS = ("new", "ended", *(f"ended_{reason}" for reason in END_REASONS))
EPISODE_FIGURES = ("in_service", "under_way", "unmanaged", *EPISODE_FLAGS)


def episode_rows(
    actor: Actor, query: PictureQuery, *, by_age: bool = False
) -> list[dict[str, Any]]:
    """The figures of ``episode_figures`` (but ``managed``) per gender, as rows with
    ``client__gender`` and each figure; with ``by_age``, per gender and age band on the
    period's last day (``age_band``: a key of ``scope.AGE_BANDS``) — every client is of
    one gender and one band, so the rows add up.

    One query: the episodes under way in the period with a flag for each figure, summed
    per client (so each client counts once, without a sort for every distinct count),
    then per gender (and band)."""
    starts_on, ends_on = query.starts_on, query.ends_on
    day = snapshot_day(query)
    then = under_way_on(day)
    ended_in_period = Q(ended_on__gte=starts_on, ended_on__lte=ends_on)
    episode_flags = {
        "new": _flag(Q(started_on__gte=starts_on, started_on__lte=ends_on)),
        "ended": _flag(ended_in_period),
        **{
            f"ended_{reason}": _flag(ended_in_period & Q(end_reason=reason))
            for reason in END_REASONS
        },
    }
    # A client has a case manager when one of their episodes under way then (of the
    # chosen kind of organisation) has one: the case manager answers for the whole pathway.
    has_case_manager = Exists(case_manager_at_end_of(day).filter(episode=OuterRef("pk")))
    inner = (
        counted_episodes(actor, query)
        .filter(active_during(starts_on, ends_on))
        .order_by()
        .annotate(
            counted_client=F("client_id"),
            gender=F("client__gender"),
            band=age_band_key(ends_on, prefix="client__") if by_age else Value(""),
            under_way=_flag(then),
            managed=_flag(then & Q(has_case_manager)),
            **episode_flags,
        )
        .values("counted_client", "gender", "band", "under_way", "managed", *episode_flags)
    )
    per_client = ", ".join(f"SUM({name}) AS {name}" for name in episode_flags)
    totals = ", ".join(f"SUM({name})" for name in episode_flags)
    # The column names are the code's own (the end reasons' codes), never input.
    sql = (
        "SELECT gender, band, COUNT(*), SUM(under_way), "  # noqa: S608
        "SUM(CASE WHEN under_way = 1 AND managed = 0 THEN 1 ELSE 0 END), "
        f"{totals} FROM (SELECT counted_client, gender, band, MAX(under_way) AS under_way, "
        f"MAX(managed) AS managed, {per_client} FROM ({{inner}}) episodes "
        "GROUP BY counted_client, gender, band) clients GROUP BY gender, band"
    )
    return [
        {
            "client__gender": gender,
            "age_band": band,
            **dict(zip(EPISODE_FIGURES, (int(n or 0) for n in counts), strict=True)),
        }
        for gender, band, *counts in _fetch(sql, inner)
    ]


def episodes_section(actor: Actor, query: PictureQuery) -> Section | None:
    """Clients in service, new and ended episodes (by end reason) and clients without a case
    manager, each by gender (``episode_figures``)."""
    values = episode_figures(actor, query)
    if values[("in_service", ALL)] == 0:
        return None
    reasons = END_REASONS
    day = snapshot_day(query)
    day_text = dateformat.format(day, "j.n.Y")

    def subset(*names: str) -> dict[Any, int]:
        return {key: count for key, count in values.items() if key[0] in names}

    # Clients and episodes, separately counted: each row's genders make its total, and no
    # other sum holds between the rows (a client may start two episodes).
    overview = count_table(
        key="episodes",
        title=_("Clients and episodes in the period"),
        headers=[_("Figure"), *gender_headers()],
        rows=[
            (_("Clients in service in the period"), _gender_cells("in_service")),
            (_("Episodes started in the period"), _gender_cells("new")),
        ],
        values=subset("in_service", "new"),
        relations=[_gender_sum("in_service"), _gender_sum("new")],
    )
    case_managers = count_table(
        key="case_managers",
        title=_("Case managers on %(day)s") % {"day": day_text},
        headers=[_("Figure"), *gender_headers()],
        rows=[
            (_("Clients with an episode under way"), _gender_cells("under_way")),
            (_("Of them, clients without a case manager"), _gender_cells("unmanaged")),
        ],
        values=subset("under_way", "unmanaged", "managed"),
        relations=[
            *(_gender_sum(name) for name in ("under_way", "unmanaged", "managed")),
            # Those under way are those without a case manager and those with one. The
            # latter are not shown, but a reader could work them out as the difference,
            # so they are protected as well.
            *(
                Relation(("under_way", column), (("unmanaged", column), ("managed", column)))
                for column in (*GENDER_COLUMNS, ALL)
            ),
        ],
    )
    # Each episode has one end reason: the reasons add up to the ended episodes.
    reason_keys = [f"ended_{reason}" for reason in reasons]
    ended_values = {
        (name if name != "ended" else ALL, column): count
        for (name, column), count in values.items()
        if name == "ended" or name in reason_keys
    }
    ended = count_table(
        key="ended_episodes",
        title=_("Episodes ended in the period, by end reason"),
        headers=[_("End reason"), *gender_headers()],
        rows=[
            (str(EndReason(reason).label), _gender_cells(f"ended_{reason}")) for reason in reasons
        ],
        footer=[(_("All ended episodes"), _gender_cells(ALL))],
        values=ended_values,
        relations=grid_relations(reason_keys, GENDER_COLUMNS, row_total=ALL, column_total=ALL),
    )
    rates = rates_table(
        query,
        values[("in_service", ALL)],
        published=not overview.rows[0][-1].withheld,
    )
    return Section(
        key="episodes",
        title=_("Clients and episodes"),
        tables=[overview, *([rates] if rates else []), case_managers, ended],
        note=_(
            "A client in service had an episode under way at some time in the period; a "
            "client with several episodes is counted once. Started and ended episodes are "
            "counted as episodes. A client has a case manager when one of their episodes "
            "under way at the end of that day has one."
        ),
    )


# --- phases -----------------------------------------------------------------------------


def _weighted_median(counts: Mapping[int, int]) -> float | None:
    """The median of values given as {value: how many times}."""
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())

    def at(position: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if position < seen:
                return value
        raise IndexError(position)

    middle = total // 2
    if total % 2:
        return float(at(middle))
    return statistics.mean([at(middle - 1), at(middle)])


PHASES_SQL = """
WITH episodes AS ({inner})
SELECT 'days', current_phase, NULL, phase_since, COUNT(*)
FROM episodes GROUP BY current_phase, phase_since
UNION ALL
SELECT 'clients', current_phase, gender, NULL, COUNT(DISTINCT counted_client)
FROM episodes GROUP BY current_phase, gender
UNION ALL
SELECT 'all', NULL, gender, NULL, COUNT(DISTINCT counted_client) FROM episodes GROUP BY gender
"""
# (The branch with the dates comes first: PostgreSQL takes a column's type from it.)


def episodes_in_phase(actor: Actor, query: PictureQuery) -> QuerySet[Any]:
    """The counted episodes under way on the snapshot day, annotated with their client
    (``counted_client``), the client's ``gender``, the ``current_phase`` (the latest phase
    change on or before the day; ``NO_PHASE`` for none) and ``phase_since``, the day it
    began (for an episode without a phase, the day the episode started)."""
    day = snapshot_day(query)
    latest = PhaseChange.objects.filter(episode=OuterRef("pk"), started_on__lte=day).order_by(
        "-started_on", "-recorded_at", "-pk"
    )
    return (
        counted_episodes(actor, query)
        .filter(under_way_on(day))
        .order_by()
        .annotate(
            counted_client=F("client_id"),
            gender=F("client__gender"),
            current_phase=Coalesce(Subquery(latest.values("phase")[:1]), Value(NO_PHASE)),
            phase_since=Coalesce(
                Subquery(latest.values("started_on")[:1]),
                F("started_on"),
                output_field=DateField(),
            ),
        )
    )


def phase_figures(
    actor: Actor, query: PictureQuery
) -> tuple[dict[Any, int], dict[str, float | None]]:
    """The clients by the pathway phase of their episodes under way on the snapshot day
    (the latest phase change on or before it; ``NO_PHASE`` for none), keyed (phase, gender
    column), with (``ALL``, column) the distinct clients under way; and the median days in
    each phase so far, over the episodes (for an episode without a phase, the days since it
    started).

    One query: the episodes under way with their phase (a subquery on the latest phase
    change), counted by phase and gender, by gender, and by phase and the day the phase
    began (numbers only: the median is taken from these in Python, the same on both
    databases)."""
    day = snapshot_day(query)
    inner = episodes_in_phase(actor, query).values(
        "counted_client", "gender", "current_phase", "phase_since"
    )
    values: dict[Any, int] = {
        (phase, column): 0 for phase in [*PHASES, ALL] for column in (*GENDER_COLUMNS, ALL)
    }
    days: dict[str, Counter[int]] = {phase: Counter() for phase in PHASES}
    for kind, phase, gender, since, count in _fetch(PHASES_SQL, inner):
        if kind == "days":
            # SQLite hands a raw cursor's dates over as text.
            began = since if isinstance(since, date) else date.fromisoformat(str(since))
            days[phase][(day - began).days] += int(count)
            continue
        row = phase if kind == "clients" else ALL
        values[(row, gender_column(gender))] += int(count)
        values[(row, ALL)] += int(count)
    return values, {phase: _weighted_median(days[phase]) for phase in PHASES}


def phases_section(actor: Actor, query: PictureQuery) -> Section | None:
    """Clients by pathway phase on the snapshot day, by gender, with the median days in the
    phase so far (``phase_figures``)."""
    values, medians = phase_figures(actor, query)
    if values[(ALL, ALL)] == 0:
        return None
    day = snapshot_day(query)
    phases = PHASES
    labels = {str(phase): str(phase.label) for phase in Phase} | {NO_PHASE: _("No phase recorded")}
    table = count_table(
        key="phases",
        title=_("Clients by pathway phase on %(day)s") % {"day": dateformat.format(day, "j.n.Y")},
        headers=[_("Phase"), *gender_headers()],
        rows=[(labels[phase], _gender_cells(phase)) for phase in phases],
        footer=[(_("All clients with an episode under way"), _gender_cells(ALL))],
        values=values,
        # A client with two episodes in different phases is in two rows, so the phases do
        # not add up to the total: only each row's genders make its total.
        relations=[_gender_sum(key) for key in [*phases, ALL]],
    )
    table.headers.append(_("Median days in the phase"))
    for row, phase in zip(table.rows, phases, strict=True):
        enough = values[(phase, ALL)] >= MEDIAN_MIN_CLIENTS
        row.append(Cell(medians[phase] if enough else None, RATE))
    for row in table.footer:
        row.append(Cell(None, RATE))
    return Section(
        key="phases",
        title=_("Pathway phases"),
        tables=[table],
        note=_(
            "The phase of an episode is the latest phase recorded on or before the day. A "
            "client with episodes in two phases is counted in both, so the phases do not "
            "add up to the total. The median days in the phase are taken over the "
            "episodes, and given only for a phase of at least five clients; for an episode "
            "without a phase, the days since it started."
        ),
    )


# --- trend ------------------------------------------------------------------------------


def month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_label(number: int) -> str:
    return f"{number % 12 + 1}/{number // 12}"


def _month_of(expression: Any) -> Any:
    return ExtractYear(expression) * 12 + ExtractMonth(expression) - 1


# The trend in one query. The clients in service by month, exactly: each client's episodes,
# cut to the period, become spans of months; overlapping spans of a client are merged into
# islands (a running maximum of the months so far, over a window); a client is in service
# in a month when one of their islands covers it, and their islands never overlap, so
# counting the islands by (first month, last month) counts each client once per month.
# Window functions as both PostgreSQL and SQLite (3.25 and later) run them. Then the
# episodes started and ended by month, and the distinct clients of the whole period.
TREND_SQL = """
WITH episodes AS ({inner})
SELECT 'islands', first_month, last_month, COUNT(*) FROM (
  SELECT MIN(first_month) AS first_month, MAX(last_month) AS last_month FROM (
    SELECT counted_client, first_month, last_month,
      SUM(starts_island) OVER (
        PARTITION BY counted_client ORDER BY first_month, last_month ROWS UNBOUNDED PRECEDING
      ) AS island
    FROM (
      SELECT counted_client, first_month, last_month,
        CASE WHEN first_month <= MAX(last_month) OVER (
          PARTITION BY counted_client ORDER BY first_month, last_month
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) THEN 0 ELSE 1 END AS starts_island
      FROM episodes
    ) marked
  ) numbered
  GROUP BY counted_client, island
) islands
GROUP BY first_month, last_month
UNION ALL
SELECT 'new', start_month, NULL, COUNT(*) FROM episodes
WHERE start_month IS NOT NULL GROUP BY start_month
UNION ALL
SELECT 'ended', end_month, NULL, COUNT(*) FROM episodes
WHERE end_month IS NOT NULL GROUP BY end_month
UNION ALL
SELECT 'clients', NULL, NULL, COUNT(DISTINCT counted_client) FROM episodes
"""

TREND_FIGURES = ("in_service", "new", "ended")


def trend_figures(actor: Actor, query: PictureQuery) -> tuple[list[int], dict[Any, int]]:
    """The months overlapping the period (``month_number``) and the figures keyed (month,
    figure) and ("period", figure): ``in_service`` (distinct clients with an episode under
    way at some time in the month, or the period), ``new`` and ``ended`` (episodes started
    and ended in it). One query (``TREND_SQL``)."""
    starts_on, ends_on = query.starts_on, query.ends_on
    inner = (
        counted_episodes(actor, query)
        .filter(active_during(starts_on, ends_on))
        .order_by()
        .annotate(
            counted_client=F("client_id"),
            first_month=_month_of(
                Greatest("started_on", Value(starts_on), output_field=DateField())
            ),
            last_month=_month_of(
                Least(
                    Coalesce("ended_on", Value(ends_on), output_field=DateField()),
                    Value(ends_on),
                    output_field=DateField(),
                )
            ),
            start_month=Case(
                When(
                    Q(started_on__gte=starts_on, started_on__lte=ends_on),
                    then=_month_of(F("started_on")),
                ),
                default=None,
                output_field=IntegerField(),
            ),
            end_month=Case(
                When(
                    Q(ended_on__gte=starts_on, ended_on__lte=ends_on),
                    then=_month_of(F("ended_on")),
                ),
                default=None,
                output_field=IntegerField(),
            ),
        )
        .values("counted_client", "first_month", "last_month", "start_month", "end_month")
    )
    months = list(range(month_number(starts_on), month_number(ends_on) + 1))
    values: dict[Any, int] = {
        (key, name): 0 for key in [*months, "period"] for name in TREND_FIGURES
    }
    for kind, first, last, count in _fetch(TREND_SQL, inner):
        if kind == "islands":
            for covered in range(int(first), int(last) + 1):
                values[(covered, "in_service")] += int(count)
        elif kind == "clients":
            values[("period", "in_service")] = int(count)
        else:
            values[(int(first), kind)] += int(count)
            values[("period", kind)] += int(count)
    return months, values


def trend_section(actor: Actor, query: PictureQuery) -> Section | None:
    """The trend by month with a line chart (``trend_figures``)."""
    months, values = trend_figures(actor, query)
    if not values[("period", "in_service")]:
        return None
    columns = list(TREND_FIGURES)
    table = count_table(
        key="trend",
        title=_("By month"),
        headers=[
            _("Month"),
            _("Clients in service"),
            _("Episodes started"),
            _("Episodes ended"),
        ],
        rows=[(month_label(month), [(month, name) for name in columns]) for month in months],
        footer=[(_("Whole period"), [("period", name) for name in columns])],
        values=values,
        # The months' started and ended episodes make the period's ("neighbouring periods":
        # a small month is not to be worked out from the total and the other months). A
        # client in service in two months counts in both, so those do not add up.
        relations=[
            Relation(("period", name), tuple((month, name) for month in months))
            for name in ("new", "ended")
        ],
    )
    return Section(
        key="trend",
        title=_("Trend by month"),
        tables=[table],
        charts=[_trend_chart(table, months, columns)],
        note=_(
            "A month that the period cuts counts only the days within the period. A client "
            "in service in several months is counted in each of them."
        ),
    )


def _trend_chart(table: Table, months: Sequence[int], columns: Sequence[str]) -> charts.Chart:
    """The monthly figures as lines; a withheld figure is left out of the chart too."""
    names = {
        "in_service": _("Clients in service"),
        "new": _("Episodes started"),
        "ended": _("Episodes ended"),
    }
    points = [
        (month_label(month), names[name], cell.value)
        for month, row in zip(months, table.rows, strict=True)
        for name, cell in zip(columns, row[1:], strict=True)
        if cell.value is not None
    ]
    return charts.series_over_time(
        points,
        y_title=_("Number"),
        description=_(
            "Line chart of the clients in service and the episodes started and ended in each "
            "month of the period; the same figures are in the table by month, and the "
            "figures withheld there are left out of the chart."
        ),
    )


PICTURE_SECTIONS: list[SectionFunction] = [
    episodes_section,
    phases_section,
    trend_section,
    referrals_section,
    alerts_section,
    employment_section,
    measurement_section,
]


def picture(actor: Actor, query: PictureQuery) -> list[Section]:
    """The sections that have something to say for ``query``, in order (a section may
    say only why it has no figures: then it has a note and no tables)."""
    return [section for function in PICTURE_SECTIONS if (section := function(actor, query))]
