"""The outcome report as tables: one set of tables for the page, the PDF and the
spreadsheet, so the three always show the same figures under the same headings.

A cell keeps its number (for the spreadsheet) and its text in the reader's language (for
the page and the PDF): rates with one decimal, shares as whole percentages.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.employment.coaching_enums import TransitionKind
from polku.employment.outcome_selectors import Figures, OutcomeReport, Row

COUNT, RATE, SHARE, TEXT = "count", "rate", "share", "text"
NOT_AVAILABLE = "–"


@dataclass(frozen=True)
class Cell:
    value: Any
    kind: str = TEXT
    # Said in words next to the value (the IPS expectation met or not): not by colour alone.
    note: str = ""
    meets: bool | None = None
    # Shown after the value on the page and in the PDF (e.g. "1 of 2" after a share).
    detail: str = ""

    @property
    def text(self) -> str:
        if self.value is None:
            return NOT_AVAILABLE
        if self.kind == RATE:
            # ``number_format`` cuts decimals off; round them first.
            return number_format(round(self.value, 1), 1)
        if self.kind == SHARE:
            return f"{number_format(round(self.value * 100), 0)} %"
        return str(self.value)


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


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    # Rows in bold at the end (the total).
    footer: list[list[Cell]] = field(default_factory=list)
    # Which columns the page and the PDF show (the first ones, naming the row, always).
    shown: list[bool] = field(default_factory=list)

    def _on_page(self, cells: list[Any]) -> list[Any]:
        shown = self.shown or [True] * len(cells)
        return [cell for cell, show in zip(cells, shown, strict=False) if show]

    @property
    def page_headers(self) -> list[str]:
        return self._on_page(self.headers)

    @property
    def page_rows(self) -> list[list[Cell]]:
        return [self._on_page(row) for row in self.rows]

    @property
    def page_footer(self) -> list[list[Cell]]:
        return [self._on_page(row) for row in self.footer]


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


# The spreadsheet ----------------------------------------------------------------------------

SHEET_TITLE_LENGTH = 31
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
NUMBER_FORMATS = {RATE: "0.0", SHARE: "0%", COUNT: "0"}


def sheet_title(title: str) -> str:
    """A table's title as a worksheet may be named: 31 characters, none of []:*?/\\."""
    return SHEET_TITLE_FORBIDDEN.sub("-", title)[:SHEET_TITLE_LENGTH]


def report_xlsx(report: OutcomeReport, tables: list[Table]) -> bytes:
    """The report as an Excel workbook: one sheet per table, its header row first, numbers
    as numbers (shares as percentages), an empty cell where a figure is not available."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(sheet_title(table.title))
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in [*table.rows, *table.footer]:
            sheet.append([cell.value for cell in row])
            for written, cell in zip(sheet[sheet.max_row], row, strict=True):
                if cell.kind in NUMBER_FORMATS:
                    written.number_format = NUMBER_FORMATS[cell.kind]
        for cell in sheet[sheet.max_row] if table.footer else []:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    workbook.properties.title = report_title(report)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_title(report: OutcomeReport) -> str:
    return _("Supported employment outcomes %(period)s, %(organisation)s") % {
        "period": report.period.key,
        "organisation": report.organisation.localized_name,
    }


def report_filename(report: OutcomeReport, extension: str) -> str:
    return f"outcomes-{report.period.key}.{extension}"
