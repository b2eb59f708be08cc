"""Reads of measurements: results with change and charts, due measurements, group change.

Instruments meant for group-level evaluation only (``level == "group"``) never show an
individual's score anywhere: only that the client answered, and when.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from polku.accounts.models import Organisation
from polku.audit.services import Access, record
from polku.clients.models import Client, statistical_municipality
from polku.clients.selectors import get_visible_client, record_page_view
from polku.core.names import localized as localized_name
from polku.core.panels import Panel
from polku.measures import access, charts, suppression
from polku.measures.definitions import Definition
from polku.measures.enums import AdministrationStatus, Occasion
from polku.measures.models import Administration, AnswerLink, InstrumentVersion, Schedule
from polku.measures.scoring import (
    MIN_CELL,
    ChangeClass,
    ChangeSummary,
    change_summary,
    reliable_change,
    score_range,
)
from polku.measures.texts import localized
from polku.pathways.models import CaseManagerAssignment, Episode, PlanReview, Programme
from polku.pathways.selectors import review_summary
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.decisions import OwnerDecisions
from polku.policy.enums import Action, DataCategory

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MEASUREMENTS = DataCategory.MEASUREMENTS


def _access(
    client: Client,
    decision: decisions.Decision,
    action: Action,
    categories: Sequence[DataCategory] = (MEASUREMENTS,),
) -> Access:
    return Access.granted(client.public_id, decision, action, categories)


@dataclass
class ResultRow:
    administration: Administration
    total: float | None
    band: str
    change_from_baseline: float | None = None
    change_from_previous: float | None = None
    reliable_change: str = ""


@dataclass
class InstrumentResults:
    instrument: InstrumentVersion
    title: str
    group_level: bool
    rows: list[ResultRow]
    chart: charts.Chart | None = None
    domain_chart: charts.Chart | None = None
    latest: ResultRow | None = None


@dataclass
class GoalAttainmentRow:
    review: PlanReview
    levels: list[int]
    t_score: float | None  # None when every goal weighs 0


@dataclass
class GoalAttainmentSeries:
    episode: Episode
    rows: list[GoalAttainmentRow]
    chart: charts.Chart | None


@dataclass
class ClientMeasurements:
    client: Client
    decision: decisions.Decision
    results: list[InstrumentResults]
    drafts: list[Administration]
    may_change: bool
    goal_attainment: list[GoalAttainmentSeries] = field(default_factory=list)


def _number(value: float, places: int = -1, *, sign: bool = False) -> str:
    """A number as the active language writes it (7,5 in Finnish); ``places`` -1 drops a
    zero decimal part."""
    text = floatformat(value, places)
    return f"+{text}" if sign and value > 0 else text


def _direction_note(definition: Definition, *, change: bool = False) -> str:
    """What a chart of the instrument says of its direction: nothing when higher is better
    (as readers expect), else that a lower score is better."""
    return "" if definition.higher_is_better else charts.lower_is_better_note(change=change)


def _band_label(definition: Definition, code: str) -> str:
    band = next((b for b in definition.bands if b.code == code), None)
    return localized(band.label) if band else ""


def _when(row: ResultRow) -> str:
    moment = row.administration.completed_at or row.administration.created_at
    return date_format(timezone.localtime(moment), "j.n.Y")


def _results(
    instrument: InstrumentVersion,
    administrations: list[Administration],
    client_name: str,
    *,
    with_charts: bool = True,
) -> InstrumentResults:
    definition = instrument.definition
    title = localized(definition.title)
    group_level = definition.level == "group"
    rows: list[ResultRow] = []
    baseline = previous = None
    for administration in administrations:
        total = None if group_level else administration.total
        row = ResultRow(
            administration,
            total,
            "" if group_level else _band_label(definition, administration.band),
        )
        if total is not None:
            if baseline is not None:
                row.change_from_baseline = total - baseline
                row.change_from_previous = total - previous if previous is not None else None
                if definition.reliability and definition.reference_sd:
                    row.reliable_change = reliable_change(
                        baseline,
                        total,
                        sd=definition.reference_sd,
                        reliability=definition.reliability,
                        higher_is_better=definition.higher_is_better,
                    ).classification
            baseline = total if baseline is None else baseline
            previous = total
        rows.append(row)
    results = InstrumentResults(
        instrument, title, group_level, rows, latest=rows[-1] if rows else None
    )
    scored = [(row, row.total) for row in rows if row.total is not None]
    if scored and not group_level and with_charts:
        points = [(_when(row), total) for row, total in scored]
        results.chart = charts.line_over_time(
            points,
            y_title=title,
            y_domain=score_range(definition),
            description=_("%(instrument)s of %(name)s over time: %(values)s.")
            % {
                "instrument": title,
                "name": client_name,
                "values": ", ".join(f"{when} {_number(value)}" for when, value in points),
            },
            note=_direction_note(definition),
        )
        if definition.subscales:
            bars = [
                (
                    localized(subscale.title),
                    _when(row),
                    row.administration.subscale_scores.get(subscale.code),
                )
                for row, _total in scored
                for subscale in definition.subscales
            ]
            bars = [bar for bar in bars if bar[2] is not None]
            if bars:
                mean_method = definition.scoring.method == "mean"
                top = max(definition.scales[i.scale].maximum for i in definition.scored_items)
                results.domain_chart = charts.grouped_bars(
                    bars,
                    y_title=title,
                    y_domain=(0, top if mean_method else max(b[2] for b in bars)),
                    description=_("%(instrument)s by domain at each measurement.")
                    % {"instrument": title},
                    note=_direction_note(definition),
                )
    return results


@transaction.atomic
def client_measurements(
    actor: Actor, public_id: UUID | str, *, charts_and_goals: bool = True
) -> ClientMeasurements:
    """The client's measurements that the user may see, with change and (unless
    ``charts_and_goals`` is false) charts and goal attainment; logged as one view of what
    was shown."""
    client, decision = get_visible_client(actor, public_id)
    owners = OwnerDecisions(actor, client)
    # One series per instrument, across its versions: a later version fixes wording or
    # scoring, not what is measured. The newest version's definition tells how to read it.
    by_code: dict[str, list[Administration]] = defaultdict(list)
    drafts = []
    administrations = (
        Administration.objects.filter(client=client)
        .exclude(status=AdministrationStatus.CANCELLED)
        .select_related("instrument", "organisation")
        .order_by("completed_at", "created_at")
    )
    for administration in administrations:
        if not owners.may_read(
            administration.organisation_id, MEASUREMENTS, administration.register
        ):
            continue
        if administration.status == AdministrationStatus.DRAFT:
            drafts.append(administration)
        else:
            by_code[administration.instrument.code].append(administration)
    measurements = ClientMeasurements(
        client=client,
        decision=decision,
        results=[
            _results(
                max((a.instrument for a in items), key=lambda i: i.created_at),
                items,
                client.full_name,
                with_charts=charts_and_goals,
            )
            for items in by_code.values()
        ],
        drafts=drafts,
        # Starting a measurement is for the organisation the actor acts for.
        may_change=actor.organisation is not None
        and owners.may_change(actor.organisation.pk, MEASUREMENTS),
    )
    if charts_and_goals:
        measurements.goal_attainment = _goal_attainment(owners, client)
    record_page_view(actor, client, decision, owners)
    return measurements


def _goal_attainment(owners: OwnerDecisions, client: Client) -> list[GoalAttainmentSeries]:
    """GAS T-scores (Kiresuk & Sherman, rho 0.3) of each plan review the user may see."""
    episodes = [
        episode
        for episode in Episode.objects.filter(client=client, plan__reviews__isnull=False)
        .distinct()
        .select_related("programme")
        .order_by("started_on", "pk")
        if owners.may_read(episode.organisation_id, DataCategory.PLAN, episode.register)
    ]
    reviews: dict[int, list[PlanReview]] = defaultdict(list)
    for review in (
        PlanReview.objects.filter(plan__episode__in=episodes)
        .select_related("plan")
        .prefetch_related("attainments__goal")
        .order_by("reviewed_on", "pk")
    ):
        reviews[review.plan.episode_id].append(review)
    series = []
    for episode in episodes:
        rows = []
        for review in reviews[episode.pk]:
            # Weighted by importance × difficulty as each goal stood at the review.
            summary = review_summary(review)
            levels = [row.level for row in summary.rows]
            rows.append(GoalAttainmentRow(review, levels, summary.t_score))
        scored = [(row.review.reviewed_on, row.t_score) for row in rows if row.t_score is not None]
        chart = (
            charts.line_over_time(
                [(date_format(day, "j.n.Y"), t_score) for day, t_score in scored],
                y_title=_("GAS T-score"),
                y_domain=(20, 80),
                description=_("Goal attainment T-scores of %(name)s: %(values)s.")
                % {
                    "name": client.full_name,
                    "values": ", ".join(_number(t_score, 0) for _day, t_score in scored),
                },
            )
            if scored
            else None
        )
        series.append(GoalAttainmentSeries(episode, rows, chart))
    return series


def get_administration(
    actor: Actor, public_id: UUID | str, *, action: Action = Action.VIEW
) -> tuple[Administration, decisions.Decision]:
    return access.access_measurement(actor, public_id, action=action)


# Group results ----------------------------------------------------------------------------


def _measured(
    organisations: list[Organisation], instrument: InstrumentVersion
) -> QuerySet[Administration]:
    """Complete, scored measurements of an instrument (any version) that the user's
    organisations (``decisions.aggregate_organisations``) took: the ground of every group
    result. Aggregates only leave here."""
    return Administration.objects.filter(
        instrument__code=instrument.code,
        status=AdministrationStatus.COMPLETE,
        total__isnull=False,
        organisation__in=organisations,
    ).order_by("client_id", "completed_at")


@dataclass
class InstrumentCells:
    """Every group result the page can show for one instrument, and which it may publish
    (``suppression.publishable``: one answer for every filter of the page)."""

    cells: suppression.Cells
    published: set[suppression.CellId]
    names: dict[suppression.CellId, str]

    def summary(
        self, definition: Definition, cell_id: suppression.CellId
    ) -> tuple[int, ChangeSummary | None, bool]:
        """(persons, the change if it may be published, whether it is hidden only to
        protect smaller groups)."""
        cell = self.cells.all().get(cell_id, {})
        if cell_id not in self.published:
            return len(cell), None, len(cell) >= MIN_CELL
        summary = change_summary(
            list(cell.values()),
            sd=definition.reference_sd,
            reliability=definition.reliability,
            higher_is_better=definition.higher_is_better,
        )
        return len(cell), summary, False


def instrument_cells(
    organisations: list[Organisation], instrument: InstrumentVersion
) -> InstrumentCells:
    """The group results of an instrument among the measurements of ``organisations``
    (``decisions.aggregate_organisations``), with what may be published. Aggregates only
    leave here."""
    # The municipality's name in the reader's language (a code set's English name is
    # filled for every municipality, repeating the Finnish one where there is no other).
    language = {"sv": "sv", "en": "en"}.get((get_language() or "").split("-")[0], "fi")
    # A client under a non-disclosure for personal safety counts under "not known".
    rows = (
        _measured(organisations, instrument)
        .annotate(
            municipality_shown=statistical_municipality(),
            municipality_name_shown=statistical_municipality(f"municipality__name_{language}"),
        )
        .values_list(
            "client_id",
            "episode__programme_id",
            "episode__programme__name",
            "episode__programme__names",
            "municipality_shown",
            "municipality_name_shown",
            "total",
        )
    )
    names: dict[suppression.CellId, str] = {}
    measurements = []
    for client_id, programme, name, programme_names, municipality, municipality_name, total in rows:
        if total is None:
            continue
        measurements.append(suppression.Measurement(client_id, programme, municipality, total))
        programme_name = localized_name(name, programme_names) if name else ""
        names[(suppression.PROGRAMME, programme)] = programme_name or _("Outside a programme")
        names[(suppression.MUNICIPALITY, municipality)] = municipality_name or _("Not known")
    cells = suppression.group_cells(measurements)
    return InstrumentCells(cells, suppression.publishable(cells), names)


@dataclass
class GroupChange:
    instrument: InstrumentVersion
    title: str
    summary: ChangeSummary | None
    protective: bool = False


@dataclass
class GroupResults:
    organisations: list[Organisation]
    programme: Programme | None
    rows: list[GroupChange]


def group_results(
    actor: Actor,
    programme: Programme | None,
    *,
    cells: dict[str, InstrumentCells] | None = None,
) -> GroupResults:
    """Change per instrument among the measurements the user's organisations took
    (optionally in one programme's episodes); aggregates only, published only as
    ``suppression.publishable`` allows. ``cells`` by instrument code, when already built."""
    rows = []
    organisations = decisions.aggregate_organisations(actor)
    cell_id = suppression.TOTAL if programme is None else (suppression.PROGRAMME, programme.pk)
    # Results recorded from another service without a total have no change to show.
    for code, latest in InstrumentVersion.latest_in_use(scored_only=True).items():
        found = (cells or {}).get(code) or instrument_cells(organisations, latest)
        _persons, summary, protective = found.summary(latest.definition, cell_id)
        rows.append(GroupChange(latest, localized(latest.definition.title), summary, protective))
    return GroupResults(organisations, programme, rows)


BREAKDOWNS = ("programme", "municipality")
DEFAULT_BREAKDOWN_INSTRUMENT = "work-ability-score"


@dataclass
class GroupsPage:
    results: GroupResults
    programmes: list[Programme]
    instruments: list[InstrumentVersion]
    breakdown: Breakdown | None


def groups_page(actor: Actor, *, programme_code: str, instrument_code: str, by: str) -> GroupsPage:
    """The change-in-groups page: the table per instrument (optionally of one programme)
    and the breakdown of one scored instrument (the Work Ability Score unless another is
    chosen) by programme or municipality. Both read one set of cells per instrument, so a
    result hidden in one is hidden in the other."""
    programmes = list(Programme.objects.order_by("name"))
    programme = next((p for p in programmes if p.code == programme_code), None)
    scored = InstrumentVersion.latest_in_use(scored_only=True)
    chosen = scored.get(instrument_code) or scored.get(DEFAULT_BREAKDOWN_INSTRUMENT)
    organisations = decisions.aggregate_organisations(actor)
    cells = {code: instrument_cells(organisations, latest) for code, latest in scored.items()}
    return GroupsPage(
        results=group_results(actor, programme, cells=cells),
        programmes=programmes,
        instruments=sorted(scored.values(), key=lambda version: version.title),
        breakdown=group_breakdown(
            actor,
            chosen,
            by if by in BREAKDOWNS else BREAKDOWNS[0],
            cells=cells.get(chosen.code),
        )
        if chosen
        else None,
    )


@dataclass
class GroupRow:
    label: str
    persons: int
    summary: ChangeSummary | None
    # Shown cells hidden too, so that a small cell cannot be recovered by subtraction.
    protective: bool = False


@dataclass
class Breakdown:
    instrument: InstrumentVersion
    title: str
    by: str
    rows: list[GroupRow]
    total: GroupRow
    chart: charts.Chart | None = None


def group_breakdown(
    actor: Actor, instrument: InstrumentVersion, by: str, *, cells: InstrumentCells | None = None
) -> Breakdown:
    """Change from first to latest measurement per programme or per municipality of
    residence, among the measurements of the user's organisations: aggregates only.

    A group of fewer than five persons is hidden, and so are groups from which a hidden one
    could be worked out, by this table's total or by any other result of the page
    (``suppression.publishable``)."""
    definition = instrument.definition
    found = cells or instrument_cells(decisions.aggregate_organisations(actor), instrument)
    result = []
    for key in found.cells.breakdowns[by]:
        cell_id = (by, key)
        persons, summary, protective = found.summary(definition, cell_id)
        result.append(GroupRow(found.names[cell_id], persons, summary, protective))
    result.sort(key=lambda row: row.label)
    persons, summary, _protective = found.summary(definition, suppression.TOTAL)
    breakdown = Breakdown(
        instrument, localized(definition.title), by, result, GroupRow(_("All"), persons, summary)
    )
    visible = [(row.label, row.summary) for row in result if row.summary is not None]
    if visible:
        breakdown.chart = charts.means_with_intervals(
            [(label, s.mean_change, s.ci_low, s.ci_high) for label, s in visible],
            x_title=_("Mean change with its %(level)s confidence interval") % {"level": "95 %"},
            description=_("Mean change in %(instrument)s by group: %(values)s.")
            % {
                "instrument": breakdown.title,
                "values": "; ".join(
                    f"{label} {_number(s.mean_change, 2, sign=True)} "
                    f"({_number(s.ci_low, 2)} … {_number(s.ci_high, 2)})"
                    for label, s in visible
                ),
            },
            note=_direction_note(definition, change=True),
        )
    return breakdown


# The page behind a link ---------------------------------------------------------------------


@dataclass(frozen=True)
class AboutQuestionnaire:
    """What the page behind a link tells the one who answers: who asks, why, and who will
    see the answers (for a client's own questionnaire, every organisation the policy lets
    read it; for an employer's, only the asking organisation)."""

    organisation: Organisation
    asker: str
    programme: str
    owner_sees: bool
    others: list[Organisation]
    by_client: bool


def about_link(link: AnswerLink) -> AboutQuestionnaire:
    administration = link.administration
    owner = administration.organisation
    by_client = administration.instrument.definition.respondent == "client"
    readers = decisions.reading_organisations(
        administration.client,
        category=MEASUREMENTS,
        owner=owner,
        register=administration.register,
    )
    episode = administration.episode
    return AboutQuestionnaire(
        organisation=owner,
        asker=link.created_by.get_full_name() or link.created_by.get_username(),
        programme=str(episode.programme) if by_client and episode is not None else "",
        owner_sees=owner in readers,
        others=[organisation for organisation in readers if organisation != owner]
        if by_client
        else [],
        by_client=by_client,
    )


def record_link_page_view(
    actor: Actor, administration: Administration, decision: decisions.Decision
) -> None:
    """Log the page where a professional sends a link: the client's contact details (on
    the ground of the basic details) and the measurement."""
    client = administration.client
    basic = decisions.require(actor, client, action=Action.VIEW)
    record(
        actor=actor,
        accesses=[
            _access(client, basic, Action.VIEW, [DataCategory.BASIC]),
            _access(client, decision, Action.VIEW),
        ],
    )


def record_link_view(link: AnswerLink, **where: Any) -> None:
    """Log that the holder of ``link`` was shown its questionnaire (with what is already
    answered, and who may read it), on the link's own ground."""
    administration = link.administration
    actor = access.link_holder(link, **where)
    decision = access.measurement_decision(actor, administration, Action.VIEW)
    record(actor=actor, accesses=[_access(administration.client, decision, Action.VIEW)])


# Panels on other capabilities' pages -------------------------------------------------------


def due_measurements_panel(*, actor: Actor) -> Panel | None:
    """Questionnaires due or overdue in the active episodes whose case manager the user
    is, for the clients whose measurements the policy lets the user list; each client
    shown is logged as listed."""
    episodes = Episode.objects.active().filter(
        pk__in=CaseManagerAssignment.objects.filter(user=actor.user, ended_at__isnull=True).values(
            "episode_id"
        )
    )
    drafts = list(
        Administration.objects.filter(
            status=AdministrationStatus.DRAFT, episode__in=episodes, due_on__isnull=False
        )
        .select_related("client", "instrument")
        .order_by("due_on")[:50]
    )
    owners: dict[int, int | None] = {}
    for draft in drafts:
        owners.setdefault(draft.client_id, draft.organisation_id)
    decided = decisions.decide_many(actor, owners, action=Action.LIST, category=MEASUREMENTS)
    drafts = [draft for draft in drafts if decided[draft.client_id]]
    shown = {draft.client_id: draft.client for draft in drafts}
    record(
        actor=actor,
        accesses=[
            _access(client, decided[client_id], Action.LIST) for client_id, client in shown.items()
        ],
    )
    return Panel("measures/panels/due.html", {"due": drafts, "today": timezone.localdate()})


# The client's own view, in plain language --------------------------------------------------


@dataclass
class PlainResult:
    """One instrument's result told to the client in plain words, with a chart."""

    title: str
    sentences: list[str]
    chart: charts.Chart | None = None
    rows: list[tuple[str, float]] = field(default_factory=list)


def _scale_sentences(definition: Definition, total: float, band_code: str) -> list[str]:
    low, high = score_range(definition)
    sentences = [
        _("Your score is %(score)s on a scale from %(low)s to %(high)s.")
        % {"score": _number(total), "low": _number(low), "high": _number(high)}
    ]
    band = _band_label(definition, band_code)
    if band:
        sentences.append(_("This is in the range “%(band)s”.") % {"band": band})
    sentences.append(
        _("A higher number means a better situation.")
        if definition.higher_is_better
        else _("A lower number means a better situation.")
    )
    return sentences


def own_result(administration: Administration) -> PlainResult | None:
    """The result of answers the client has just sent, and nothing older: shown on the
    page after answering through a link. None for instruments someone else answers, for
    group-level instruments and for answers that give no score."""
    definition = administration.instrument.definition
    if definition.respondent != "client" or definition.level == "group":
        return None  # an employer's rating is about the client, not for the employer
    if administration.total is None:
        return None
    return PlainResult(
        localized(definition.title),
        _scale_sentences(definition, administration.total, administration.band),
    )


CHANGE_SENTENCES: dict[str, StrOrPromise] = {
    ChangeClass.IMPROVED: gettext_lazy(
        "The change is clearly for the better: it is larger than the usual variation of "
        "this measurement."
    ),
    ChangeClass.DETERIORATED: gettext_lazy(
        "The change is clearly for the worse: it is larger than the usual variation of this "
        "measurement. Talk about it with your worker."
    ),
    ChangeClass.NO_RELIABLE_CHANGE: gettext_lazy(
        "The change is within the usual variation of this measurement."
    ),
}


def plain_summary(actor: Actor, public_id: UUID | str) -> tuple[Client, list[PlainResult]]:
    """The client's measurements told in plain language, to go through with the client
    (and, later, for the client's own portal). Logged as a view of measurements."""
    measurements = client_measurements(actor, public_id, charts_and_goals=False)
    summary = []
    for result in measurements.results:
        scored = [(row, row.total) for row in result.rows if row.total is not None]
        if result.group_level or not scored:
            continue
        definition = result.instrument.definition
        (first, first_total), (latest, latest_total) = scored[0], scored[-1]
        sentences = _scale_sentences(definition, latest_total, latest.administration.band)
        if len(scored) > 1:
            change = latest_total - first_total
            sentences.append(
                _("At the start, on %(first_date)s, your score was %(first)s.")
                % {"first_date": _when(first), "first": _number(first_total)}
            )
            if change:
                sentences.append(
                    (
                        _("It has gone up by %(change)s.")
                        if change > 0
                        else _("It has gone down by %(change)s.")
                    )
                    % {"change": _number(abs(change))}
                )
            else:
                sentences.append(_("It is the same as at the start."))
            if latest.reliable_change:
                sentences.append(str(CHANGE_SENTENCES[latest.reliable_change]))
        rows = [(_when(row), total) for row, total in scored]
        chart = charts.line_over_time(
            rows,
            y_title=_("Your score"),
            y_domain=score_range(definition),
            description=_("Your scores over time: %(values)s.")
            % {"values": ", ".join(f"{when} {_number(value)}" for when, value in rows)},
            note=_direction_note(definition),
        )
        summary.append(PlainResult(result.title, sentences, chart, rows))
    return measurements.client, summary


# Schedules ----------------------------------------------------------------------------------


@dataclass
class ScheduleRow:
    schedule: Schedule
    title: str
    when: str
    # A template whose wording has not been entered: nothing comes due until it is.
    waiting_for_wording: bool = False


def _when_due(schedule: Schedule) -> str:
    if schedule.occasion == Occasion.PERIODIC:
        return ngettext("Every month", "Every %(months)s months", schedule.months) % {
            "months": schedule.months
        }
    if schedule.occasion == Occasion.AFTER_EXIT:
        return ngettext(
            "%(months)s month after exit", "%(months)s months after exit", schedule.months
        ) % {"months": schedule.months}
    return str(schedule.get_occasion_display())


OCCASION_ORDER = [Occasion.BASELINE, Occasion.PERIODIC, Occasion.EXIT, Occasion.AFTER_EXIT]


def schedules_by_programme() -> list[tuple[Programme, list[ScheduleRow]]]:
    """Every programme with its schedule, in the order the occasions come."""
    latest = {
        instrument.code: instrument
        for instrument in InstrumentVersion.objects.order_by("created_at")
    }
    in_use = InstrumentVersion.latest_in_use()
    rows: dict[int, list[ScheduleRow]] = defaultdict(list)
    for schedule in Schedule.objects.all():
        instrument = latest.get(schedule.instrument_code)
        title = instrument.title if instrument else schedule.instrument_code
        waiting = (
            schedule.instrument_code in in_use and not in_use[schedule.instrument_code].answerable
        )
        rows[schedule.programme_id].append(
            ScheduleRow(schedule, title, _when_due(schedule), waiting)
        )
    for programme_rows in rows.values():
        programme_rows.sort(
            key=lambda row: (
                OCCASION_ORDER.index(Occasion(row.schedule.occasion)),
                row.schedule.months,
                row.title,
            )
        )
    return [(programme, rows[programme.pk]) for programme in Programme.objects.order_by("name")]


@dataclass
class LatestResult:
    title: str
    completed_on: date | None
    total: float | None
    band: str
    group_level: bool


def client_panel(*, client: Client, owners: OwnerDecisions) -> Panel | None:
    """Questionnaires due (and overdue) and the latest result of each instrument, on the
    client's pages, of the organisations whose measurements the user may read."""
    administrations = [
        administration
        for administration in Administration.objects.filter(client=client)
        .exclude(status=AdministrationStatus.CANCELLED)
        .select_related("instrument")
        .order_by("completed_at", "created_at")
        if owners.may_read(administration.organisation_id, MEASUREMENTS, administration.register)
    ]
    due = sorted(
        (a for a in administrations if a.status == AdministrationStatus.DRAFT and a.due_on),
        key=lambda administration: administration.due_on or timezone.localdate(),
    )
    latest: dict[str, Administration] = {}
    for administration in administrations:
        if administration.status == AdministrationStatus.COMPLETE:
            latest[administration.instrument.code] = administration
    results = []
    for administration in latest.values():
        definition = administration.instrument.definition
        group_level = definition.level == "group"
        results.append(
            LatestResult(
                localized(definition.title),
                timezone.localtime(administration.completed_at).date()
                if administration.completed_at
                else None,
                None if group_level else administration.total,
                "" if group_level else _band_label(definition, administration.band),
                group_level,
            )
        )
    return Panel(
        "measures/panels/client.html",
        {
            "client": client,
            "due": due,
            "results": sorted(results, key=lambda result: result.title),
            "today": timezone.localdate(),
        },
    )
