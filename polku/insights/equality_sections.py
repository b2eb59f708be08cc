"""The equality view: whom the services reach and for whom they work, for the same area,
period and filters as the situational picture (``scope.PictureQuery``).

*Reach*: the picture's own figures (``picture.episode_rows``) by age band on the period's
last day (rows) and gender (columns), with the margins, and each group's share of all
clients in service.

*Results*: for each result, the gap between women and men, and between each age band and
the rest, with its 95 % interval (``equality``): the share in work at the end of job
coaching (``employment_figures.ended_coachings`` read by the employment app's
``transition_figures``: Newcombe's interval), the mean change from the first to the latest
score in the period per instrument (``measurement_figures.measured_pairs``: Welch's) and
the mean days in the current phase on the snapshot day per phase
(``picture.episodes_in_phase``: Welch's). A gap is given only between groups of at least
five persons each, and only when neither group's estimate is withheld; its reason is said
otherwise. Whether the interval excludes zero is said in words, never by colour alone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from polku.clients.enums import Gender
from polku.core import small_cells
from polku.core.small_cells import Relation, is_small
from polku.core.tables import PROTECTIVE, RATE, SHARE, SMALL, Cell, Table, count_cell
from polku.employment.coaching_enums import Occasion
from polku.employment.coaching_selectors import transition_figures
from polku.employment.models import Transition
from polku.insights.employment_figures import ended_coachings
from polku.insights.equality import MIN_GROUP, Gap, mean_gap, proportion_gap, too_small
from polku.insights.measurement_figures import measured_pairs
from polku.insights.persons import share_publishable
from polku.insights.picture import (
    ALL,
    GENDER_COLUMNS,
    MEN,
    OTHER,
    WOMEN,
    episode_rows,
    episodes_in_phase,
    gender_column,
    gender_headers,
    snapshot_day,
)
from polku.insights.scope import AGE_BANDS, PictureQuery, age_band_key, born_between
from polku.insights.sections import Section, SectionFunction, count_table, grid_relations
from polku.measures import charts
from polku.pathways.enums import Phase
from polku.policy.actors import Actor

AGES = [band.key for band in AGE_BANDS]
ALL_AGES = "all_ages"
REACH_FIGURES = ("in_service", "new", "unmanaged")

# --- reach --------------------------------------------------------------------------------


def reach_figures(actor: Actor, query: PictureQuery) -> dict[tuple[str, str, str], int]:
    """The picture's clients in service, new episodes and clients without a case manager
    keyed (figure, age band key or ``ALL_AGES``, gender column or ``ALL``). Every client
    is of one band and one gender, so the bands and the genders add up to the margins."""
    values = {
        (figure, band, column): 0
        for figure in REACH_FIGURES
        for band in [*AGES, ALL_AGES]
        for column in (*GENDER_COLUMNS, ALL)
    }
    for row in episode_rows(actor, query, by_age=True):
        column = gender_column(row["client__gender"])
        for figure in REACH_FIGURES:
            for band in (row["age_band"], ALL_AGES):
                values[(figure, band, column)] += row[figure]
                values[(figure, band, ALL)] += row[figure]
    return values


def reach_section(actor: Actor, query: PictureQuery) -> Section | None:
    """Whom the services reach: each reach figure by age band and gender, with the
    margins, and the share of all clients in service of each group."""
    values = reach_figures(actor, query)
    if values[("in_service", ALL_AGES, ALL)] == 0:
        return None
    labels = {band.key: str(band.label) for band in AGE_BANDS}
    columns = (*GENDER_COLUMNS, ALL)
    titles = {
        "in_service": _("Clients in service in the period"),
        "new": _("Episodes started in the period"),
        "unmanaged": _("Clients without a case manager on the last day"),
    }
    tables = []
    for figure in REACH_FIGURES:
        tables.append(
            count_table(
                key=f"reach_{figure}",
                title=titles[figure],
                headers=[_("Age on the last day"), *gender_headers()],
                rows=[(labels[band], [(band, column) for column in columns]) for band in AGES],
                footer=[(_("All ages"), [(ALL_AGES, column) for column in columns])],
                values={
                    (band, column): values[(figure, band, column)]
                    for band in [*AGES, ALL_AGES]
                    for column in columns
                },
                relations=grid_relations(
                    AGES, GENDER_COLUMNS, row_total=ALL_AGES, column_total=ALL
                ),
            )
        )
    tables.append(_shares_of(tables[0]))
    return Section(
        key="reach",
        title=_("Whom the services reach"),
        tables=tables,
        note=_(
            "Age in whole years on the last day of the period. A client in service had an "
            "episode under way at some time in the period and is counted once; episodes "
            "are counted as episodes. A client without a case manager had an episode under "
            "way at the end of the last day (or today) and none of those episodes had a "
            "case manager. The shares are of all clients in service, and are withheld "
            "where the count is."
        ),
    )


def _shares_of(counts: Table) -> Table:
    """Each cell of a count table as a share of its grand total (the last cell of its
    footer), withheld wherever the count is: a share and the total would give it away."""
    total = counts.footer[-1][-1]

    def share(cell: Cell) -> Cell:
        if cell.withheld or total.withheld or not total.value:
            return Cell(None, SHARE, withheld=cell.withheld or PROTECTIVE)
        return Cell(cell.value / total.value, SHARE)

    return Table(
        key="reach_share",
        title=_("Share of all clients in service"),
        headers=list(counts.headers),
        rows=[[row[0], *(share(cell) for cell in row[1:])] for row in counts.rows],
        footer=[[row[0], *(share(cell) for cell in row[1:])] for row in counts.footer],
    )


# --- the groups compared ------------------------------------------------------------------


def rest_of(band: str) -> str:
    return f"not_{band}"


@dataclass(frozen=True)
class Comparison:
    """Group ``first`` − group ``second``. ``relation`` says how the two (and any group
    published elsewhere, such as the others of the gender columns) make all persons, so
    that a small group's size cannot be worked out from the other's."""

    key: str
    label: str
    first: str
    second: str
    relation: Relation


def comparisons() -> list[Comparison]:
    """Women − men, and each age band − the rest (all other ages, every gender)."""
    return [
        Comparison("gender", _("Women − men"), WOMEN, MEN, Relation(ALL, (WOMEN, MEN, OTHER))),
        *(
            Comparison(
                band.key,
                _("%(group)s − the rest") % {"group": band.label},
                band.key,
                rest_of(band.key),
                Relation(ALL, (band.key, rest_of(band.key))),
            )
            for band in AGE_BANDS
        ),
    ]


def in_group(group: str, column: str, band: str) -> bool:
    """Whether a person of the gender column and age band is in ``group``."""
    if group == ALL:
        return True
    if group in (WOMEN, MEN, OTHER):
        return column == group
    if group in AGES:
        return band == group
    return band != group.removeprefix("not_")


GROUPS = [WOMEN, MEN, OTHER, ALL, *AGES, *(rest_of(band) for band in AGES)]


@dataclass
class Result:
    """One result compared between the groups: the persons of each group, each group's
    estimate (None when it is withheld) and the gap of each comparison. ``scale`` turns an
    estimate and a gap into the unit the page writes (percentage points for shares)."""

    key: str
    title: str
    figure: str  # in a sentence: "the share in work"
    unit: str
    estimate_kind: str
    persons: dict[str, int]
    estimates: dict[str, float | None]
    gaps: dict[str, Gap]
    scale: float = 1.0


def withheld_gap(comparison: Comparison, sizes: tuple[int, int], reason: str) -> Gap:
    return Gap((comparison.first, comparison.second), None, None, None, sizes, reason=reason)


def _estimate_withheld_reason() -> str:
    return _(
        "Not given: a group's figure is withheld, since it would tell about fewer than "
        "%(minimum)s persons."
    ) % {"minimum": MIN_GROUP}


# --- results: work at the end of job coaching ---------------------------------------------


def work_result(actor: Actor, query: PictureQuery) -> Result | None:
    """The share in work among the coachings ended in the period whose situation at exit
    is recorded, by group; None when there are none. The shares are the employment app's
    (``transition_figures``), taken over each group's coachings; a band's rest is all
    minus the band."""
    ended = ended_coachings(actor, query)
    recorded = ended.filter(
        Exists(Transition.objects.filter(coaching=OuterRef("pk"), occasion=Occasion.EXIT))
    )
    # The persons: distinct clients of the recorded coachings, by gender and band.
    persons_by_cell: Counter[tuple[str, str]] = Counter(
        (gender_column(gender), band)
        for _client, gender, band in recorded.annotate(
            band=age_band_key(query.ends_on, prefix="client__")
        )
        .values_list("client_id", "client__gender", "band")
        .distinct()
    )
    if not persons_by_cell:
        return None
    filters: dict[str, Q] = {
        ALL: Q(),
        WOMEN: Q(client__gender=Gender.FEMALE),
        MEN: Q(client__gender=Gender.MALE),
        **{band.key: born_between(band, query.ends_on, prefix="client__") for band in AGE_BANDS},
    }
    counts: dict[str, tuple[int, int]] = {}
    for group, condition in filters.items():
        at_exit = transition_figures(ended.filter(condition))[Occasion.EXIT]
        counts[group] = (at_exit.in_work, at_exit.recorded)
    for band in AGES:
        counts[rest_of(band)] = (
            counts[ALL][0] - counts[band][0],
            counts[ALL][1] - counts[band][1],
        )
    persons = _persons(persons_by_cell)
    estimates: dict[str, float | None] = {}
    for group, (in_work, whole) in counts.items():
        publishable = persons[group] >= MIN_GROUP and share_publishable(in_work, whole)
        estimates[group] = in_work / whole if publishable else None
    gaps = {}
    for comparison in comparisons():
        first, second = comparison.first, comparison.second
        # A share and its in-work count could tell a group's size that the table withholds
        # (a band's rest, kept from giving the band away): the share is withheld with it.
        for hidden in withheld_persons(persons, comparison):
            estimates[str(hidden)] = None
        sizes = (persons[first], persons[second])
        gap = too_small((first, second), sizes)
        if gap is None and (estimates[first] is None or estimates[second] is None):
            gap = withheld_gap(comparison, sizes, _estimate_withheld_reason())
        gaps[comparison.key] = gap or proportion_gap(
            *counts[first], *counts[second], groups=(first, second)
        )
    return Result(
        key="gaps_work",
        title=_("Share in work at the end of job coaching"),
        figure=_("the share in work"),
        unit=_("percentage points"),
        estimate_kind=SHARE,
        persons=persons,
        estimates=estimates,
        gaps=gaps,
        scale=100.0,
    )


def _persons(by_cell: Mapping[tuple[str, str], int]) -> dict[str, int]:
    """The persons of every group, from the persons keyed (gender column, age band), each
    person in one cell."""
    return {
        group: sum(
            count for (column, band), count in by_cell.items() if in_group(group, column, band)
        )
        for group in GROUPS
    }


# --- results: means (measured change, days in the phase) ----------------------------------


def mean_result(
    *,
    key: str,
    title: str,
    figure: str,
    unit: str,
    values: Mapping[tuple[str, str], Sequence[float]],
    persons_by_cell: Mapping[tuple[str, str], int],
) -> Result:
    """A mean compared between the groups, from the values keyed (gender column, age
    band) and the persons they are of (a person may give several values: then the persons
    decide whether a gap is given)."""
    persons = _persons(persons_by_cell)

    def of(group: str) -> list[float]:
        return [
            value
            for (column, band), cell_values in values.items()
            if in_group(group, column, band)
            for value in cell_values
        ]

    grouped = {group: of(group) for group in GROUPS}
    estimates: dict[str, float | None] = {
        group: (sum(grouped[group]) / len(grouped[group]) if persons[group] >= MIN_GROUP else None)
        for group in GROUPS
    }
    gaps = {}
    for comparison in comparisons():
        first, second = comparison.first, comparison.second
        sizes = (persons[first], persons[second])
        gaps[comparison.key] = too_small((first, second), sizes) or mean_gap(
            grouped[first], grouped[second], groups=(first, second)
        )
    return Result(key, title, figure, unit, RATE, persons, estimates, gaps)


def change_results(actor: Actor, query: PictureQuery) -> list[Result]:
    """Per instrument, the change from the first to the latest score in the period of the
    clients measured at least twice in it, by group."""
    measured = measured_pairs(actor, query)
    results = []
    for code, pairs in measured.pairs.items():
        values: dict[tuple[str, str], list[float]] = defaultdict(list)
        persons: Counter[tuple[str, str]] = Counter()
        for client_id, (first, latest) in pairs.items():
            gender, band = measured.clients[client_id]
            values[(gender_column(gender), band)].append(latest - first)
            persons[(gender_column(gender), band)] += 1
        version = measured.latest[code]
        title = _("Mean change: %(instrument)s") % {"instrument": version.title}
        if not version.definition.higher_is_better:
            title = f"{title} ({charts.lower_is_better_note(change=True)})"
        results.append(
            mean_result(
                key=f"gaps_change_{code}",
                title=title,
                figure=_("the mean change"),
                unit=_("points"),
                values=values,
                persons_by_cell=persons,
            )
        )
    return results


def phase_results(actor: Actor, query: PictureQuery) -> list[Result]:
    """Per pathway phase, the days in the current phase on the snapshot day of the
    episodes under way then (over the episodes, as the picture's medians), by group."""
    day = snapshot_day(query)
    episodes = episodes_in_phase(actor, query).annotate(
        band=age_band_key(query.ends_on, prefix="client__")
    )
    days: dict[str, dict[tuple[str, str], list[float]]] = defaultdict(lambda: defaultdict(list))
    for phase, since, gender, band, count in episodes.values_list(
        "current_phase", "phase_since", "gender", "band"
    ).annotate(episodes=Count("pk")):
        days[phase][(gender_column(gender), band)] += [float((day - since).days)] * count
    persons: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for phase, gender, band, count in episodes.values_list(
        "current_phase", "gender", "band"
    ).annotate(persons=Count("counted_client", distinct=True)):
        persons[phase][(gender_column(gender), band)] += count
    return [
        mean_result(
            key=f"gaps_phase_{phase}",
            title=_("Days in the phase: %(phase)s") % {"phase": phase.label},
            figure=_("the mean days in the phase"),
            unit=_("days"),
            values=days[str(phase)],
            persons_by_cell=persons[str(phase)],
        )
        for phase in Phase
        if days.get(str(phase))
    ]


# --- presenting a result ------------------------------------------------------------------


def _number(value: float) -> str:
    return number_format(round(value, 1), 1)


def bounds(gap: Gap) -> tuple[float, float, float] | None:
    """The gap's estimate and interval, or None when it is not given."""
    if gap.estimate is None or gap.low is None or gap.high is None:
        return None
    return gap.estimate, gap.low, gap.high


def differs(low: float, high: float) -> bool:
    """Whether an interval excludes zero."""
    return low > 0 or high < 0


def reading(result: Result, comparison: Comparison, given: tuple[float, float, float]) -> str:
    """How to read one given gap (``bounds``), in a sentence."""
    estimate, low, high = given
    figures = {
        "comparison": comparison.label,
        "figure": result.figure,
        "gap": _number(estimate * result.scale),
        "unit": result.unit,
        "low": _number(low * result.scale),
        "high": _number(high * result.scale),
        "percent": "%",
    }
    if differs(low, high):
        return (
            _(
                "%(comparison)s: %(figure)s of the first group minus that of the second is "
                "%(gap)s %(unit)s, with a 95 %(percent)s interval from %(low)s to %(high)s. "
                "The interval does not include zero, so the groups differ."
            )
            % figures
        )
    return (
        _(
            "%(comparison)s: %(figure)s of the first group minus that of the second is "
            "%(gap)s %(unit)s, with a 95 %(percent)s interval from %(low)s to %(high)s. "
            "The interval includes zero, so the data show no clear difference."
        )
        % figures
    )


def withheld_persons(persons: Mapping[str, int], comparison: Comparison) -> frozenset[Hashable]:
    """The group sizes of a comparison that are withheld as counts are: a small group, and
    a group from which a small one could be worked out given all persons (and the others
    of the gender columns, published elsewhere)."""
    sizes: dict[Hashable, int] = {key: persons[str(key)] for key in comparison.relation.keys}
    return small_cells.suppress(sizes, [comparison.relation])


def gap_table(result: Result) -> Table:
    """One row a comparison: the persons and the estimate of each group, the gap with its
    interval, and in words whether the interval excludes zero (or why there is no gap).
    The persons are withheld as counts are: a small group, and a group from which a small
    one could be worked out given all persons."""
    rows = []
    for comparison in comparisons():
        withheld = withheld_persons(result.persons, comparison)
        gap = result.gaps[comparison.key]
        cells = []
        for group in (comparison.first, comparison.second):
            size, estimate = result.persons[group], result.estimates[group]
            if estimate is not None:
                shown = Cell(estimate, result.estimate_kind)
            elif size and not is_small(size) and group in withheld:
                shown = Cell(None, result.estimate_kind, withheld=PROTECTIVE)
            else:
                shown = Cell(None, result.estimate_kind, withheld=SMALL if size else "")
            cells += [count_cell(size, group, withheld), shown]
        given = bounds(gap)
        if given is not None:
            estimate, low, high = given
            cells += [
                Cell(estimate * result.scale, RATE),
                Cell(low * result.scale, RATE),
                Cell(high * result.scale, RATE),
                Cell(_("A difference") if differs(low, high) else _("No clear difference")),
            ]
        else:
            cells += [Cell(None, RATE), Cell(None, RATE), Cell(None, RATE), Cell(gap.reason)]
        rows.append([Cell(comparison.label), *cells])
    return Table(
        key=result.key,
        title=result.title,
        headers=[
            _("Groups compared"),
            _("Persons, first group"),
            _("Estimate, first group"),
            _("Persons, second group"),
            _("Estimate, second group"),
            _("Gap, %(unit)s") % {"unit": result.unit},
            _("95 %(percent)s interval, from") % {"percent": "%"},
            _("to"),
            _("Reading"),
        ],
        rows=rows,
    )


def gap_chart(result: Result) -> charts.Chart | None:
    """The given gaps of a result with their intervals; None when none is given."""
    rows = [
        (
            comparison.label,
            given[0] * result.scale,
            given[1] * result.scale,
            given[2] * result.scale,
        )
        for comparison in comparisons()
        if (given := bounds(result.gaps[comparison.key])) is not None
    ]
    if not rows:
        return None
    return charts.means_with_intervals(
        rows,
        x_title=_("Gap, %(unit)s") % {"unit": result.unit},
        description=_(
            "Chart of the gaps in %(figure)s between the groups compared, each a dot on a "
            "bar from the lower to the upper end of its 95 %(percent)s interval, with zero "
            "marked; the same figures are in the table, and a gap not given there is left "
            "out of the chart."
        )
        % {"figure": result.figure, "percent": "%"},
    )


def results_section(key: str, title: str, note: str, results: Sequence[Result]) -> Section | None:
    if not results:
        return None
    readings = [
        reading(result, comparison, given)
        for result in results
        for comparison in comparisons()
        if (given := bounds(result.gaps[comparison.key])) is not None
    ]
    return Section(
        key=key,
        title=title,
        tables=[gap_table(result) for result in results],
        charts=[chart for result in results if (chart := gap_chart(result))],
        note=note,
        readings=readings,
    )


def work_section(actor: Actor, query: PictureQuery) -> Section | None:
    result = work_result(actor, query)
    return results_section(
        "gaps_work",
        _("For whom supported employment works"),
        _(
            "Job coachings ended in the period whose situation at exit is recorded: the share "
            "in work (open labour market, subsidised work or self-employment), and the gap "
            "in percentage points with its 95 %(percent)s interval (Newcombe). A gap is the "
            "estimate of the first group minus that of the second. It is given when each "
            "group has at least five persons and neither group's share is withheld."
        )
        % {"percent": "%"},
        [result] if result else [],
    )


def change_section(actor: Actor, query: PictureQuery) -> Section | None:
    return results_section(
        "gaps_change",
        _("For whom the measured change is larger"),
        _(
            "Clients measured at least twice in the period: the change from their first to "
            "their latest score, and the gap in the mean change with its 95 %(percent)s "
            "interval (Welch). A gap is the estimate of the first group minus that of the "
            "second. It is given when each group has at least five persons."
        )
        % {"percent": "%"},
        change_results(actor, query),
    )


def phase_section(actor: Actor, query: PictureQuery) -> Section | None:
    return results_section(
        "gaps_phases",
        _("Time in the pathway phase"),
        _(
            "Episodes under way on the last day (or today): the days in their current phase "
            "so far, and the gap in the mean days with its 95 %(percent)s interval (Welch). "
            "A gap is the estimate of the first group minus that of the second. It is given "
            "when each group has at least five persons."
        )
        % {"percent": "%"},
        phase_results(actor, query),
    )


EQUALITY_SECTIONS: list[SectionFunction] = [
    reach_section,
    work_section,
    change_section,
    phase_section,
]


def equality(actor: Actor, query: PictureQuery) -> list[Section]:
    """The sections of the equality view that have something to say for ``query``."""
    return [section for function in EQUALITY_SECTIONS if (section := function(actor, query))]
