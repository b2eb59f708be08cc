"""The measurement section of the situational picture: per instrument, the counted clients
measured at least twice in the period, and how their scores changed from the first to the
latest complete measurement in the period (as ``projects.report_exports`` does for a
project's participants).

The mean change has its 95 % confidence interval (``measures.scoring.change_summary``:
Student's t), and, when the instrument's definition gives a reference SD and a reliability,
how many changed reliably for the better or the worse (Jacobson & Truax). An instrument
with fewer than five persons measured twice shows "<5" and no mean. The scores of every
version of an instrument are taken together; the newest version in use says how to read
them (reliability, reference SD, which direction is better).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from polku.core.small_cells import Relation
from polku.core.tables import RATE, Cell, Table
from polku.insights.persons import (
    ALL,
    person_counts,
    person_headers,
    person_keys,
    person_relations,
)
from polku.insights.scope import PictureQuery, age_band_key, counted_clients
from polku.insights.sections import Section, count_table
from polku.measures.definitions import Definition
from polku.measures.enums import AdministrationStatus
from polku.measures.models import Administration, InstrumentVersion
from polku.measures.scoring import ChangeClass, ChangeSummary, change_summary, reliable_change
from polku.policy.actors import Actor

IMPROVED, UNCHANGED, DETERIORATED = "improved", "unchanged", "deteriorated"


@dataclass(frozen=True)
class MeasuredPairs:
    """Per instrument code, each client's first and latest score in the period (clients
    measured at least twice); each client's gender and age band on the period's last day
    (``scope.age_band_key``); the newest version in use of each instrument, which says how
    to read its scores."""

    pairs: dict[str, dict[int, tuple[float, float]]]
    clients: dict[int, tuple[str, str]]
    latest: dict[str, InstrumentVersion]


def measured_pairs(actor: Actor, query: PictureQuery) -> MeasuredPairs:
    """The counted clients' complete scores in the period, first and latest per instrument
    (every version of an instrument together), for the instruments still scored."""
    rows = (
        Administration.objects.filter(
            client__in=counted_clients(actor, query).values("pk"),
            status=AdministrationStatus.COMPLETE,
            total__isnull=False,
            completed_at__date__gte=query.starts_on,
            completed_at__date__lte=query.ends_on,
        )
        .order_by("client_id", "completed_at", "pk")
        .annotate(age_band=age_band_key(query.ends_on, prefix="client__"))
        .values_list("client_id", "client__gender", "age_band", "instrument__code", "total")
    )
    series: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    clients: dict[int, tuple[str, str]] = {}
    for client_id, gender, band, code, total in rows:
        if total is not None:
            series[code][client_id].append(total)
            clients[client_id] = (gender, band)
    latest = InstrumentVersion.latest_in_use(scored_only=True)
    pairs_of: dict[str, dict[int, tuple[float, float]]] = {}
    for code in sorted(series):
        pairs = {
            client_id: (scores[0], scores[-1])
            for client_id, scores in series[code].items()
            if len(scores) > 1
        }
        if pairs and code in latest:
            pairs_of[code] = pairs
    return MeasuredPairs(pairs_of, clients, latest)


def measurement_section(actor: Actor, query: PictureQuery) -> Section | None:
    """Per instrument, persons measured twice by gender, the reliable changes and the mean
    change with its interval; None when no counted client was measured twice."""
    scores = measured_pairs(actor, query)
    if not scores.pairs:
        return None
    pairs_of, latest = scores.pairs, scores.latest
    genders = {client_id: gender for client_id, (gender, _band) in scores.clients.items()}
    codes = list(pairs_of)
    titles = {code: latest[code].title for code in codes}
    summaries: dict[str, ChangeSummary | None] = {}
    values = person_counts(
        codes,
        [(code, genders[client_id]) for code in codes for client_id in pairs_of[code]],
    )
    relations = person_relations(codes)
    reliable_codes = []
    for code in codes:
        definition = latest[code].definition
        measured = list(pairs_of[code].values())
        summary = change_summary(
            measured,
            sd=definition.reference_sd,
            reliability=definition.reliability,
            higher_is_better=definition.higher_is_better,
        )
        summaries[code] = summary
        if definition.reference_sd is not None and definition.reliability is not None:
            reliable_codes.append(code)
            _count_reliable_changes(code, measured, definition, values)
            relations.append(
                Relation(
                    (code, ALL),
                    ((code, IMPROVED), (code, UNCHANGED), (code, DETERIORATED)),
                )
            )
    reliable = [IMPROVED, DETERIORATED] if reliable_codes else []
    headers = [_("Instrument"), *person_headers()]
    if reliable:
        headers += [_("Reliably improved"), _("Reliably deteriorated")]
    persons = count_table(
        key="measured_twice",
        title=_("Clients measured at least twice in the period"),
        headers=headers,
        rows=[
            (
                titles[code],
                person_keys(code)
                + ([(code, column) for column in reliable] if code in reliable_codes else []),
            )
            for code in codes
        ],
        values=values,
        relations=relations,
    )
    if reliable:
        # An instrument without the reliable change leaves those two cells empty.
        width = len(headers)
        persons.rows = [row + [Cell(None)] * (width - len(row)) for row in persons.rows]
    return Section(
        key="measurements",
        title=_("Measured change"),
        # The persons column repeats the table above's "all", withheld the same way.
        tables=[persons, _changes(codes, titles, summaries, [row[4] for row in persons.rows])],
        note=_(
            "Clients counted who completed an instrument at least twice in the period: "
            "the change from their first to their latest score in the period. A reliable "
            "change is larger than the instrument's measurement error could explain "
            "(Jacobson and Truax). The mean change and its confidence interval are shown "
            "when at least five persons were measured twice."
        ),
    )


def _count_reliable_changes(
    code: str,
    pairs: list[tuple[float, float]],
    definition: Definition,
    values: dict[tuple[Hashable, str], int],
) -> None:
    assert definition.reference_sd is not None
    assert definition.reliability is not None
    classes = [
        reliable_change(
            before,
            after,
            sd=definition.reference_sd,
            reliability=definition.reliability,
            higher_is_better=definition.higher_is_better,
        ).classification
        for before, after in pairs
    ]
    values[(code, IMPROVED)] = classes.count(ChangeClass.IMPROVED)
    values[(code, DETERIORATED)] = classes.count(ChangeClass.DETERIORATED)
    values[(code, UNCHANGED)] = classes.count(ChangeClass.NO_RELIABLE_CHANGE)


def _changes(
    codes: list[str],
    titles: dict[str, str],
    summaries: dict[str, ChangeSummary | None],
    persons: list[Cell],
) -> Table:
    rows = []
    for code, count in zip(codes, persons, strict=True):
        summary = summaries[code]
        if summary is None:
            figures = [Cell(None, RATE)] * 3
        else:
            figures = [
                Cell(summary.mean_change, RATE),
                Cell(summary.ci_low, RATE),
                Cell(summary.ci_high, RATE),
            ]
        rows.append([Cell(titles[code]), count, *figures])
    return Table(
        key="measured_change",
        title=_("Mean change from the first to the latest score"),
        headers=[
            _("Instrument"),
            _("Persons"),
            _("Mean change"),
            _("95 %(percent)s interval, from") % {"percent": "%"},
            _("to"),
        ],
        rows=rows,
    )
