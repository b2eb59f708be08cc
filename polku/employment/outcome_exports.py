"""The outcome report as tables (``core.tables``): one set for the page, the PDF and
the spreadsheet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.core.tables import COUNT, RATE, SHARE, TEXT, Cell, Table, tables_xlsx
from polku.employment.coaching_enums import TransitionKind
from polku.employment.outcome_selectors import Figures, OutcomeReport, Row


@dataclass(frozen=True)
class Column:
    header: str | Promise
    value: Callable[[Figures], Any]
    kind: str = COUNT
    # The spreadsheet has every column; the page and the PDF leave out those that another
    # column's detail repeats.
    on_page: bool = True


def _face_to_face(figures: Figures) -> Any:
    return figures.face_to_face_per_week


def _share_kept(figures: Figures) -> Any:
    return figures.share_kept_90_days


FIGURE_COLUMNS = [
    Column(gettext_lazy("Contacts per week"), lambda f: f.contacts_per_week, RATE),
    Column(gettext_lazy("Face to face per week"), _face_to_face, RATE),
    Column(gettext_lazy("Job starts"), lambda f: f.job_starts),
    Column(gettext_lazy("Caseload"), lambda f: f.caseload),
    Column(gettext_lazy("Working"), lambda f: f.share_in_job, SHARE),
    Column(gettext_lazy("In education"), lambda f: f.share_in_education, SHARE),
    Column(gettext_lazy("Jobs kept 90 days"), lambda f: f.jobs_kept_90_days, on_page=False),
    Column(
        gettext_lazy("Jobs started 90 days ago or more"),
        lambda f: f.jobs_due_for_90_days,
        on_page=False,
    ),
    Column(gettext_lazy("Share kept 90 days"), _share_kept, SHARE),
    Column(gettext_lazy("Job endings"), lambda f: f.job_endings),
    Column(gettext_lazy("Off the caseload"), lambda f: f.ended),
]


def _figure_cells(figures: Figures, expectation: int) -> list[Cell]:
    cells = []
    for column in FIGURE_COLUMNS:
        value = column.value(figures)
        if column.value is _face_to_face and value is not None:
            meets = figures.meets_face_to_face_expectation
            note = (_("meets %(target)s") if meets else _("below %(target)s")) % {
                "target": expectation
            }
            cells.append(Cell(value, column.kind, note, meets))
        elif column.value is _share_kept and figures.jobs_due_for_90_days:
            detail = _("%(kept)s of %(due)s") % {
                "kept": figures.jobs_kept_90_days,
                "due": figures.jobs_due_for_90_days,
            }
            cells.append(Cell(value, column.kind, detail=detail))
        else:
            cells.append(Cell(value, column.kind))
    return cells


def _first(value: Any) -> Cell:
    return Cell(value, COUNT if isinstance(value, int) else TEXT)


def _headers(*first: str | Promise) -> list[str]:
    return [str(h) for h in (*first, *(column.header for column in FIGURE_COLUMNS))]


def _shown(first: int) -> list[bool]:
    return [True] * first + [column.on_page for column in FIGURE_COLUMNS]


def report_tables(report: OutcomeReport) -> list[Table]:
    """The report's tables: per coach, per team (with the total), the trend, job endings
    by reason and transitions off the caseload."""
    expectation = report.face_to_face_expectation

    def line(row: Row, *first: Any) -> list[Cell]:
        return [*(_first(value) for value in first), *_figure_cells(row.figures, expectation)]

    total = report.total
    tables = [
        Table(
            "coaches",
            _("Coaches"),
            _headers(gettext_lazy("Coach"), gettext_lazy("Team")),
            [line(row, row.label, row.team) for row in report.coaches],
            shown=_shown(2),
        ),
        Table(
            "teams",
            _("Teams"),
            _headers(gettext_lazy("Team"), gettext_lazy("Coaches")),
            [line(row, row.label, row.figures.coaches) for row in report.teams],
            [line(total, total.label, total.figures.coaches)],
            shown=_shown(2),
        ),
        Table(
            "trend",
            _("Trend"),
            _headers(gettext_lazy("Period"), gettext_lazy("Coaches")),
            [
                [Cell(f.period.key), Cell(f.coaches, COUNT), *_figure_cells(f, expectation)]
                for f in reversed(total.trend)
            ],
            shown=_shown(2),
        ),
    ]
    endings = total.figures.endings_by_reason
    tables.append(
        Table(
            "endings",
            _("Job endings by reason"),
            [_("Reason"), _("Job endings")],
            [
                [Cell(str(getattr(reason, "label", reason))), Cell(count, COUNT)]
                for reason, count in endings.items()
            ],
        )
    )
    off = total.figures.off_caseload
    tables.append(
        Table(
            "transitions",
            _("Transitions off the caseload"),
            [_("Exit transition"), _("Coachings ended")],
            [
                [Cell(str(kind.label)), Cell(off[kind], COUNT)]
                for kind in TransitionKind
                if off.get(kind)
            ],
        )
    )
    return tables


def report_xlsx(report: OutcomeReport, tables: list[Table]) -> bytes:
    """The report as an Excel workbook (``core.tables.tables_xlsx``)."""
    return tables_xlsx(report_title(report), tables)


def report_title(report: OutcomeReport) -> str:
    return _("Supported employment outcomes %(period)s, %(organisation)s") % {
        "period": report.period.key,
        "organisation": report.organisation.localized_name,
    }


def report_filename(report: OutcomeReport, extension: str) -> str:
    return f"outcomes-{report.period.key}.{extension}"
