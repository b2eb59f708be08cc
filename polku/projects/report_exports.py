"""The funder report of a project for a period: the ESF+ indicators by gender, the
participants' entry and exit figures, the progress of goals, actions and results, and the
measurement results of the participants — one set of tables (``core.tables``) for the PDF
(WeasyPrint, PDF/UA) and the spreadsheet (openpyxl).

Two versions: the funder's, with exact counts, and the public one, in which every figure
about fewer than five persons is withheld together with the figures it could be worked
out from (``core.small_cells``; ``indicator_withholding`` states the indicators'
relations, this module those of the other tables). Closing a period
(``period_services.close_period``) freezes both versions' files.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.core import small_cells
from polku.core.tables import COUNT, RATE, SMALL, Cell, Table, count_cell, tables_xlsx
from polku.measures.enums import AdministrationStatus
from polku.measures.models import Administration, InstrumentVersion
from polku.measures.scoring import MIN_CELL, change_summary
from polku.measures.texts import localized
from polku.projects import indicator_selectors, tracking_selectors
from polku.projects.indicator_selectors import IndicatorTable
from polku.projects.indicator_withholding import (
    GENDERS,
    flow_key,
    withheld_figures,
)
from polku.projects.indicators import IndicatorGroup
from polku.projects.models import Participant, Project

FUNDER, PUBLIC = "funder", "public"
VERSIONS = (FUNDER, PUBLIC)


@dataclass(frozen=True)
class MeasurementChange:
    """The change of one instrument's score among the participants measured at least
    twice while in the project, up to the period's end."""

    title: str
    persons: int
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None
    higher_is_better: bool


@dataclass(frozen=True)
class FunderReport:
    project: Project
    starts_on: date
    ends_on: date
    public: bool
    made_at: datetime
    frozen_by: str  # blank for a report made for viewing, not frozen
    indicators: IndicatorTable
    progress: list[tracking_selectors.GoalProgress]
    measurements: list[MeasurementChange]


def measurement_changes(
    project: Project, starts_on: date, ends_on: date
) -> list[MeasurementChange]:
    """Per scored instrument: the first and the latest complete measurement of each
    participant between their entry and their leaving (or the period's last day), among
    the participants in the project at some time in the period. Counts and means only."""
    participants = Participant.objects.filter(
        project=project, entered_on__lte=ends_on, client__merged_into__isnull=True
    ).exclude(left_on__lt=starts_on)
    window = {
        pk: (entered, left)
        for pk, entered, left in participants.values_list("client_id", "entered_on", "left_on")
    }
    rows = (
        Administration.objects.filter(
            client_id__in=participants.values("client_id"),
            status=AdministrationStatus.COMPLETE,
            total__isnull=False,
        )
        .order_by("client_id", "completed_at", "pk")
        .values_list("client_id", "instrument__code", "completed_at", "total")
    )
    series: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for client_id, code, completed_at, total in rows:
        entered, left = window[client_id]
        day = timezone.localdate(completed_at)
        if total is not None and entered <= day <= min(left or ends_on, ends_on):
            series[code][client_id].append(float(total))
    latest = InstrumentVersion.latest_in_use(scored_only=True)
    changes = []
    for code in sorted(series):
        version = latest.get(code)
        if version is None:
            continue
        definition = version.definition
        pairs = [(scores[0], scores[-1]) for scores in series[code].values() if len(scores) > 1]
        if not pairs:
            continue
        summary = change_summary(
            pairs,
            sd=definition.reference_sd,
            reliability=definition.reliability,
            higher_is_better=definition.higher_is_better,
        )
        changes.append(
            MeasurementChange(
                title=localized(definition.title),
                persons=len(pairs),
                mean_change=summary.mean_change if summary else None,
                ci_low=summary.ci_low if summary else None,
                ci_high=summary.ci_high if summary else None,
                higher_is_better=definition.higher_is_better,
            )
        )
    return changes


def build(
    project: Project,
    starts_on: date,
    ends_on: date,
    *,
    public: bool,
    made_at: datetime | None = None,
    frozen_by: User | None = None,
) -> FunderReport:
    return FunderReport(
        project=project,
        starts_on=starts_on,
        ends_on=ends_on,
        public=public,
        made_at=made_at or timezone.now(),
        frozen_by=frozen_by.get_full_name() if frozen_by else "",
        indicators=indicator_selectors.compute_indicators(project, starts_on, ends_on),
        progress=tracking_selectors.progress_table(project, on=min(ends_on, timezone.localdate())),
        measurements=measurement_changes(project, starts_on, ends_on),
    )


# --- tables ---------------------------------------------------------------------------


def indicator_tables(report: FunderReport) -> list[Table]:
    table = report.indicators
    withheld = withheld_figures(table) if report.public else frozenset()
    headers = [_("Code"), _("Indicator"), _("Women"), _("Men"), _("Other or not given"), _("Total")]
    titles = {
        IndicatorGroup.OUTPUT: _("Common output indicators on participants"),
        IndicatorGroup.IMMEDIATE: _("Common immediate result indicators (upon leaving)"),
        IndicatorGroup.LONGER_TERM: _(
            "Common longer-term result indicators (six months after leaving)"
        ),
    }
    tables = []
    for group, title in titles.items():
        rows = []
        for row in table.rows:
            if row.group != group:
                continue
            if not row.available:
                rows.append([Cell(row.code), Cell(str(row.label)), *[Cell(None)] * 4])
                continue
            rows.append(
                [
                    Cell(row.code),
                    Cell(str(row.label)),
                    *(
                        count_cell(getattr(row, column), (row.key, column), withheld)
                        for column in (*GENDERS, "total")
                    ),
                ]
            )
        tables.append(Table(key=str(group), title=title, headers=headers, rows=rows))
    flow = table.flow
    flow_rows = [
        ("entered", _("Entered in the period"), flow.entered),
        ("left", _("Left in the period"), flow.left),
        ("in_project_at_end", _("In the project at the end of the period"), flow.in_project_at_end),
        (
            "left_without_exit_data",
            _("Left without their situation upon leaving recorded"),
            flow.left_without_exit_data,
        ),
        (
            "exit_observed_late",
            _("Left, with the situation observed more than four weeks after leaving"),
            flow.exit_observed_late,
        ),
        ("follow_ups_due", _("Six months after leaving fell in the period"), flow.follow_ups_due),
        (
            "follow_ups_recorded",
            _("Of those, the situation six months after recorded"),
            flow.follow_ups_recorded,
        ),
    ]

    tables.insert(
        0,
        Table(
            key="flow",
            title=_("Participants in the period"),
            headers=[_("Participants"), _("Persons")],
            rows=[
                # Those who entered are the total of the output indicators.
                [Cell(str(label)), count_cell(value, flow_key(key), withheld)]
                for key, label, value in flow_rows
            ],
        ),
    )
    notes = [
        [
            Cell(str(note.label)),
            count_cell(note.missing, ("note", note.key), withheld),
            Cell(None)
            if note.declined is None
            else count_cell(note.declined, ("declined", note.key), withheld),
        ]
        for note in table.notes
    ]
    tables.append(
        Table(
            key="notes",
            title=_("Missing and declined answers"),
            headers=[_("Item"), _("Not known"), _("Declined to answer")],
            rows=notes,
        )
    )
    return tables


def progress_rows(report: FunderReport) -> Table:
    rows = []
    for goal in report.progress:
        rows.append(
            [Cell(goal.number), Cell(goal.text), Cell(""), Cell(""), Cell(""), Cell(""), Cell("")]
        )
        for action in goal.actions:
            rows.append(
                [
                    Cell(action.number),
                    Cell(action.text),
                    Cell(action.status_label),
                    Cell(action.responsible),
                    Cell(""),
                    Cell(""),
                    Cell(""),
                ]
            )
            for result in action.results:
                live = result.evidence.live_value
                achieved: Cell
                if (
                    report.public
                    and live is not None
                    and (
                        small_cells.is_small(live.value)
                        or (
                            live.denominator is not None
                            and small_cells.is_small(live.denominator - live.value)
                        )
                    )
                ):
                    achieved = Cell(None, withheld=SMALL)
                else:
                    achieved = Cell(result.achieved)
                rows.append(
                    [
                        Cell(result.number),
                        Cell(result.text),
                        Cell(result.status_label),
                        Cell(result.responsible),
                        Cell(result.target),
                        achieved,
                        Cell(result.evidence.description),
                    ]
                )
    return Table(
        key="progress",
        title=_("Goals, actions and results"),
        headers=[
            _("No."),
            _("Goal, action or result"),
            _("Status"),
            _("Responsible"),
            _("Target"),
            _("Achieved"),
            _("Evidence"),
        ],
        rows=rows,
    )


def measurement_table(report: FunderReport) -> Table:
    rows = []
    for change in report.measurements:
        if report.public and change.persons < MIN_CELL:
            persons = Cell(None, COUNT, withheld=SMALL)
        else:
            persons = Cell(change.persons, COUNT)
        rows.append(
            [
                Cell(change.title),
                persons,
                Cell(change.mean_change, RATE),
                Cell(
                    None if change.ci_low is None else f"{change.ci_low:.1f} … {change.ci_high:.1f}"
                ),
                Cell(_("higher is better") if change.higher_is_better else _("lower is better")),
            ]
        )
    return Table(
        key="measurements",
        title=_("Measurement results"),
        headers=[
            _("Instrument"),
            _("Participants measured twice"),
            _("Mean change"),
            _("Confidence interval (95 %)"),
            _("Direction"),
        ],
        rows=rows,
    )


def report_tables(report: FunderReport) -> list[Table]:
    return [*indicator_tables(report), progress_rows(report), measurement_table(report)]


def _day(value: date | datetime) -> str:
    return date_format(value, "j.n.Y")


def title(report: FunderReport) -> str:
    version = _("public report") if report.public else _("report to the funder")
    return _("%(project)s: %(version)s %(start)s – %(end)s") % {
        "project": report.project.name,
        "version": version,
        "start": _day(report.starts_on),
        "end": _day(report.ends_on),
    }


def preface(report: FunderReport) -> list[list[Any]]:
    project = report.project
    budget = sum((year.amount for year in project.budget_years.all()), Decimal(0))
    made = (
        _("Frozen on %(day)s by %(name)s")
        % {
            "day": date_format(timezone.localtime(report.made_at), "j.n.Y H:i"),
            "name": report.frozen_by,
        }
        if report.frozen_by
        else _("Made on %(day)s from the data of that moment; the period is not closed.")
        % {"day": date_format(timezone.localtime(report.made_at), "j.n.Y H:i")}
    )
    return [
        [_("Project"), project.name],
        [_("Funder's project code"), project.code or "–"],
        [_("Funder"), project.funder],
        [_("Funding instrument"), str(project.get_instrument_display())],
        [_("Programme"), project.programme.name],
        [_("Project period"), f"{_day(project.starts_on)} – {_day(project.ends_on)}"],
        [_("Administering organisation"), project.organisation.localized_name],
        [
            _("Partner organisations"),
            ", ".join(o.localized_name for o in project.partners.order_by("name")) or "–",
        ],
        [_("Area"), ", ".join(m.name for m in project.municipalities.all()) or "–"],
        [_("Budget frame in all (€)"), budget],
        [_("Reporting period"), f"{_day(report.starts_on)} – {_day(report.ends_on)}"],
        [
            _("Version"),
            _("public: figures about fewer than five persons withheld")
            if report.public
            else _("for the funder: exact counts"),
        ],
        [_("Status"), made],
    ]


def pdf(report: FunderReport, tables: list[Table]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "projects/reports/report_pdf.html",
        {
            "report": report,
            "tables": tables,
            "title": title(report),
            "preface": preface(report),
            "language": get_language(),
        },
    )
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))


def xlsx(report: FunderReport, tables: list[Table]) -> bytes:
    return tables_xlsx(title(report), tables, preface=preface(report))


def made_now(
    project: Project, starts_on: date, ends_on: date, *, public: bool, file_format: str
) -> bytes:
    report = build(project, starts_on, ends_on, public=public)
    tables = report_tables(report)
    return pdf(report, tables) if file_format == "pdf" else xlsx(report, tables)


@dataclass(frozen=True)
class FrozenFiles:
    report_pdf: bytes
    report_xlsx: bytes
    public_pdf: bytes
    public_xlsx: bytes


def frozen_files(
    project: Project, starts_on: date, ends_on: date, *, frozen_at: datetime, frozen_by: User
) -> FrozenFiles:
    files = {}
    for public in (False, True):
        report = build(
            project, starts_on, ends_on, public=public, made_at=frozen_at, frozen_by=frozen_by
        )
        tables = report_tables(report)
        files[public] = (pdf(report, tables), xlsx(report, tables))
    return FrozenFiles(files[False][0], files[False][1], files[True][0], files[True][1])


def stored_field(version: str, file_format: str) -> str:
    return f"{'report' if version == FUNDER else 'public'}_{file_format}"


def filename(period: Any, version: str, file_format: str) -> str:
    return f"report-{version}-{period.starts_on:%Y%m%d}-{period.ends_on:%Y%m%d}.{file_format}"
