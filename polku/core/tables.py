"""Report tables: one set of tables for a page, its PDF and its spreadsheet, so the three
always show the same figures under the same headings.

A cell keeps its number (for the spreadsheet) and its text in the reader's language (for
the page and the PDF): rates with one decimal, shares as whole percentages. A cell whose
figure is withheld (``core.small_cells``) keeps no number at all: it says "<5" when it is
about fewer than five persons, and "×" when it is hidden so that such a figure cannot be
worked out from it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format

from polku.core.small_cells import is_small

COUNT, RATE, SHARE, TEXT = "count", "rate", "share", "text"
NOT_AVAILABLE = "–"
# A figure about fewer than five persons, and one hidden to protect such a figure.
SMALL, PROTECTIVE = "<5", "×"


@dataclass(frozen=True)
class Cell:
    value: Any
    kind: str = TEXT
    # Said in words next to the value (an expectation met or not): not by colour alone.
    note: str = ""
    meets: bool | None = None
    # Shown after the value on the page and in the PDF (e.g. "1 of 2" after a share).
    detail: str = ""
    # ``SMALL`` or ``PROTECTIVE`` when the figure is withheld (then ``value`` is None).
    withheld: str = ""

    @property
    def text(self) -> str:
        if self.withheld:
            return self.withheld
        if self.value is None:
            return NOT_AVAILABLE
        if self.kind == RATE:
            # ``number_format`` cuts decimals off; round them first.
            return number_format(round(self.value, 1), 1)
        if self.kind == SHARE:
            return f"{number_format(round(self.value * 100), 0)} %"
        return str(self.value)

    @property
    def sheet_value(self) -> Any:
        """What the spreadsheet cell holds: the number, or the mark of a withheld one."""
        return self.withheld or self.value


def count_cell(value: int, key: Hashable, withheld: Collection[Hashable]) -> Cell:
    """A count, or the mark of a withheld one (``core.small_cells``): "<5" for a figure
    about fewer than five persons, "×" for one hidden so that such a figure cannot be
    worked out."""
    if key in withheld:
        return Cell(None, COUNT, withheld=SMALL if is_small(value) else PROTECTIVE)
    return Cell(value, COUNT)


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


SHEET_TITLE_LENGTH = 31
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
NUMBER_FORMATS = {RATE: "0.0", SHARE: "0%", COUNT: "0"}


def sheet_title(title: str) -> str:
    """A table's title as a worksheet may be named: 31 characters, none of []:*?/\\."""
    return SHEET_TITLE_FORBIDDEN.sub("-", title)[:SHEET_TITLE_LENGTH]


def tables_xlsx(
    title: str, tables: list[Table], *, preface: list[list[Any]] | None = None
) -> bytes:
    """Tables as an Excel workbook: one sheet per table, its header row first, numbers as
    numbers (shares as percentages), an empty cell where a figure is not available.
    ``preface`` rows (label, value) go on a first sheet titled ``title``, when given."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    if preface:
        sheet = workbook.create_sheet(sheet_title(title))
        for line in preface:
            sheet.append(list(line))
    used: set[str] = set()
    for table in tables:
        name = sheet_title(table.title)
        # Worksheet names must differ; a repeated title gets its table's key.
        if name in used:
            name = sheet_title(f"{table.key} {table.title}")
        used.add(name)
        sheet = workbook.create_sheet(name)
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in [*table.rows, *table.footer]:
            sheet.append([cell.sheet_value for cell in row])
            for written, cell in zip(sheet[sheet.max_row], row, strict=True):
                if cell.kind in NUMBER_FORMATS and not cell.withheld:
                    written.number_format = NUMBER_FORMATS[cell.kind]
        for cell in sheet[sheet.max_row] if table.footer else []:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
