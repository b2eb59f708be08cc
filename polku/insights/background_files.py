"""Reading a CSV file of background figures: which layout its header is, and each row's
municipality, period and figures (``docs/background-figures.md``).

Pure: it reads bytes and the municipalities' codes and names given to it, writes
nothing, and reports every problem with its row number (the file's line, the header's
line counting as a row too, as a spreadsheet numbers them) and column, in translated
words. ``background_services`` decides what to load.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from polku.insights.enums import BackgroundFileKind, BackgroundKind

FIRST_YEAR = 1900
# The largest figure a PositiveIntegerField holds on every database.
LARGEST_FIGURE = 2_147_483_647

AREA_COLUMNS = frozenset({"alue", "kunta", "område", "kommun", "area", "municipality"})
YEAR_COLUMNS = frozenset({"vuosi", "år", "year"})
MONTH_COLUMNS = frozenset({"kuukausi", "månad", "month"})
# Words that name a kind of figure in a column's header (compared case-folded, as parts
# of the header). Long-term unemployment is looked for first: its Finnish word contains
# the word for the unemployed.
KIND_WORDS: tuple[tuple[BackgroundKind, tuple[str, ...]], ...] = (
    (
        BackgroundKind.LONG_TERM_UNEMPLOYED,
        ("pitkäaikaistyöttöm", "långtidsarbetslös", "long-term unemployed"),
    ),
    (
        BackgroundKind.UNEMPLOYED,
        (
            "työttömät työnhakijat",
            "työttömiä työnhakijoita",
            "työttömät",
            "arbetslösa arbetssökande",
            "arbetslösa",
            "unemployed jobseekers",
            "unemployed",
        ),
    ),
    (
        BackgroundKind.POPULATION,
        ("väkiluku", "väestö", "väkimäärä", "folkmängd", "befolkning", "population"),
    ),
)
# What statistics write for a figure that is missing or withheld.
MISSING_FIGURES = frozenset({"", ".", "..", "...", "-", "–"})
# Areas of another level than a municipality, which the tables list beside them: the
# whole country (SSS), regions (MK), sub-regions (SK), wellbeing services counties and
# other groupings with a letter code. Skipped, and counted.
OTHER_AREA = re.compile(r"(?:SSS|(?!KU)[A-Z]{2,4}\d{1,3})(?:\s.*)?")
WHOLE_COUNTRY = frozenset({"koko maa", "hela landet", "whole country"})
MUNICIPALITY = re.compile(r"(?:KU)?(\d{3})(?:\s+(.+))?", re.IGNORECASE)
YEAR = re.compile(r"\d{4}")
MONTH = re.compile(r"(\d{4})\s*[M-]\s*(\d{1,2})", re.IGNORECASE)
SPACES = re.compile(r"[\s\u00a0\u202f]+")


@dataclass(frozen=True)
class RowProblem:
    """What is wrong in one row (or the header, row 1), and in which column."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ParsedFigure:
    row: int
    municipality: str
    kind: BackgroundKind
    year: int
    month: int | None
    value: int

    @property
    def key(self) -> tuple[str, str, int, int | None]:
        return (self.municipality, self.kind.value, self.year, self.month)


@dataclass
class ParsedFile:
    """What a file says: its layout, the figures of its good rows, and its problems."""

    kind: BackgroundFileKind | None = None
    rows: int = 0
    figures: list[ParsedFigure] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    # Figures the statistics mark missing (".."): reported, not loaded, no obstacle.
    missing: list[RowProblem] = field(default_factory=list)
    # Rows of areas that are not municipalities (the whole country, regions).
    other_areas: int = 0


@dataclass(frozen=True)
class Layout:
    kind: BackgroundFileKind
    area: int
    period: int
    values: dict[int, BackgroundKind]


def normalise(name: str) -> str:
    """A header or a name compared as people mean it: case and spacing aside."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def parse_background_file(
    content: bytes,
    *,
    municipalities: Mapping[str, tuple[str, str]],
    today: date,
) -> ParsedFile:
    """Read ``content`` (a CSV file, UTF-8 with or without a byte-order mark, ``;`` or
    ``,`` between cells) against ``municipalities`` ({code: (Finnish name, Swedish
    name)}). Periods after ``today`` are out of range."""
    parsed = ParsedFile()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        parsed.problems.append(
            RowProblem(0, "", _("The file is not UTF-8 text. Save it as CSV in UTF-8."))
        )
        return parsed
    lines = text.splitlines(keepends=True)
    found = _find_header(lines)
    if found is None:
        parsed.problems.append(
            RowProblem(0, "", _("The file has no header row: it has no rows of several columns."))
        )
        return parsed
    header_index, delimiter, header = found
    layout = _layout(header)
    if isinstance(layout, RowProblem):
        parsed.problems.append(RowProblem(header_index + 1, "", layout.message))
        return parsed
    parsed.kind = layout.kind
    names = _Names(municipalities)
    seen: dict[tuple[str, str, int, int | None], int] = {}
    reader = csv.reader(io.StringIO("".join(lines[header_index + 1 :])), delimiter=delimiter)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            # A cell longer than the csv module takes, or a quote never closed.
            parsed.problems.append(
                RowProblem(
                    header_index + 1 + reader.line_num,
                    "",
                    _(
                        "The row cannot be read as CSV: a cell is too long or a quote is "
                        "not closed."
                    ),
                )
            )
            break
        number = header_index + 1 + reader.line_num
        filled = [cell for cell in cells if cell.strip()]
        if not filled:
            continue
        if len(filled) == 1 and cells[0].strip() and len(header) > 2:
            # A note under the table (the source, a footnote), as PxWeb writes them.
            continue
        parsed.rows += 1
        if len(cells) != len(header):
            parsed.problems.append(
                RowProblem(
                    number,
                    "",
                    _("The row has %(cells)s cells; the header has %(columns)s.")
                    % {"cells": len(cells), "columns": len(header)},
                )
            )
            continue
        _read_row(parsed, layout, header, cells, number, names, seen, today)
    return parsed


def _find_header(lines: list[str]) -> tuple[int, str, list[str]] | None:
    """The header: the first line of two or more cells (``;`` tried first), after any
    title lines that PxWeb writes above a table."""
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        for delimiter in (";", ","):
            try:
                cells = next(csv.reader([line], delimiter=delimiter))
            except csv.Error:
                return None
            if len([cell for cell in cells if cell.strip()]) >= 2:
                return index, delimiter, [cell.strip() for cell in cells]
    return None


def _layout(header: list[str]) -> Layout | RowProblem:
    names = [normalise(name) for name in header]
    area = [i for i, name in enumerate(names) if _is_area(name)]
    years = [i for i, name in enumerate(names) if name in YEAR_COLUMNS]
    months = [i for i, name in enumerate(names) if name in MONTH_COLUMNS]
    shown = "; ".join(header)
    unknown = _(
        "The header (%(header)s) is not a layout Polku knows. It needs the column Alue, "
        "either Vuosi (population) or Kuukausi (jobseekers), and the columns of figures."
    ) % {"header": shown}
    if len(area) != 1 or len(years) + len(months) != 1:
        return RowProblem(1, "", unknown)
    period = (years or months)[0]
    rest = [i for i in range(len(header)) if i not in (area[0], period)]
    if years:
        if len(rest) != 1:
            return RowProblem(
                1,
                "",
                _(
                    "A population file has one column of figures besides Alue and Vuosi; "
                    "this header (%(header)s) has %(count)s."
                )
                % {"header": shown, "count": len(rest)},
            )
        if _kind_of(names[rest[0]]) not in (None, BackgroundKind.POPULATION):
            # Jobseekers by year are not a figure Polku keeps: they are counted by month.
            return RowProblem(
                1,
                header[rest[0]],
                _(
                    "The column %(column)s counts jobseekers, which are loaded by month: "
                    "the file needs the column Kuukausi instead of Vuosi."
                )
                % {"column": header[rest[0]]},
            )
        return Layout(
            BackgroundFileKind.POPULATION, area[0], period, {rest[0]: BackgroundKind.POPULATION}
        )
    values: dict[int, BackgroundKind] = {}
    for index in rest:
        kind = _kind_of(names[index])
        if kind is None or kind == BackgroundKind.POPULATION:
            return RowProblem(
                1,
                header[index],
                _(
                    "The column %(column)s is not a figure Polku knows. A jobseekers file has "
                    "the columns Työttömät työnhakijat and/or Pitkäaikaistyöttömät."
                )
                % {"column": header[index]},
            )
        if kind in values.values():
            return RowProblem(
                1,
                header[index],
                _("Two columns of the header give the same figure: %(column)s.")
                % {"column": header[index]},
            )
        values[index] = kind
    if not values:
        return RowProblem(1, "", unknown)
    return Layout(BackgroundFileKind.JOBSEEKERS, area[0], period, values)


def _is_area(name: str) -> bool:
    # PxWeb may add the classification's year: "Alue 2025".
    first, _space, rest = name.partition(" ")
    return first in AREA_COLUMNS and (not rest or rest.isdigit())


def _kind_of(name: str) -> BackgroundKind | None:
    for kind, words in KIND_WORDS:
        if any(word in name for word in words):
            return kind
    return None


class _Names:
    """Municipalities found by code or by their Finnish or Swedish name."""

    def __init__(self, municipalities: Mapping[str, tuple[str, str]]) -> None:
        self.by_code = municipalities
        self.by_name: dict[str, str] = {}
        for code, names in sorted(municipalities.items()):
            for name in names:
                self.by_name.setdefault(normalise(name), code)


def _read_row(
    parsed: ParsedFile,
    layout: Layout,
    header: list[str],
    cells: list[str],
    number: int,
    names: _Names,
    seen: dict[tuple[str, str, int, int | None], int],
    today: date,
) -> None:
    problems: list[RowProblem] = []
    area_column = header[layout.area]
    area, area_problem = _municipality(cells[layout.area], names)
    if area is None and area_problem is None:
        parsed.other_areas += 1
        return
    if area_problem is not None:
        problems.append(RowProblem(number, area_column, area_problem))
    period_column = header[layout.period]
    period = (
        _year(cells[layout.period], today)
        if layout.kind == BackgroundFileKind.POPULATION
        else _month(cells[layout.period], today)
    )
    if isinstance(period, str):
        problems.append(RowProblem(number, period_column, period))
    values: list[tuple[BackgroundKind, str, int]] = []
    for index, kind in layout.values.items():
        value = _value(cells[index])
        if value is None:
            parsed.missing.append(
                RowProblem(
                    number,
                    header[index],
                    _("The figure is missing (%(value)s): it is not loaded.")
                    % {"value": cells[index].strip() or _("empty")},
                )
            )
        elif isinstance(value, str):
            problems.append(RowProblem(number, header[index], value))
        else:
            values.append((kind, header[index], value))
    parsed.problems.extend(problems)
    if problems or not isinstance(period, tuple) or area is None:
        return
    year, month = period
    for kind, column, value in values:
        figure = ParsedFigure(number, area, kind, year, month, value)
        earlier = seen.get(figure.key)
        if earlier is not None:
            parsed.problems.append(
                RowProblem(
                    number,
                    column,
                    _("The same figure (municipality, period) is already on row %(row)s.")
                    % {"row": earlier},
                )
            )
            continue
        seen[figure.key] = number
        parsed.figures.append(figure)


def _municipality(cell: str, names: _Names) -> tuple[str | None, str | None]:
    """(the municipality's code, None), or (None, the problem); (None, None) for an area
    of another level, which is skipped."""
    text = " ".join(cell.split())
    if not text:
        return None, _("The municipality is missing.")
    match = MUNICIPALITY.fullmatch(text)
    if match:
        code, name = match[1], match[2]
        if code not in names.by_code:
            return None, _("No municipality has the code %(code)s.") % {"code": code}
        if name and normalise(name) not in {normalise(known) for known in names.by_code[code]}:
            return None, _("The code %(code)s is the municipality %(known)s, not %(name)s.") % {
                "code": code,
                "known": names.by_code[code][0],
                "name": name,
            }
        return code, None
    if OTHER_AREA.fullmatch(text) or normalise(text) in WHOLE_COUNTRY:
        return None, None
    code = names.by_name.get(normalise(text))
    if code is None:
        return None, _("No municipality is called %(name)s.") % {"name": text}
    return code, None


def _check_year(year: int, today: date) -> str | None:
    if year < FIRST_YEAR or year > today.year:
        return _("The year %(year)s is out of range (%(first)s–%(last)s).") % {
            "year": year,
            "first": FIRST_YEAR,
            "last": today.year,
        }
    return None


def _year(cell: str, today: date) -> tuple[int, None] | str:
    text = cell.strip()
    if not YEAR.fullmatch(text):
        return _("%(value)s is not a year (such as 2024).") % {"value": text or _("empty")}
    year = int(text)
    return _check_year(year, today) or (year, None)


def _month(cell: str, today: date) -> tuple[int, int] | str:
    text = cell.strip()
    match = MONTH.fullmatch(text)
    if not match or not 1 <= int(match[2]) <= 12:
        return _("%(value)s is not a month (such as 2024M03 or 2024-03).") % {
            "value": text or _("empty")
        }
    year, month = int(match[1]), int(match[2])
    problem = _check_year(year, today)
    if problem:
        return problem
    if (year, month) > (today.year, today.month):
        return _("The month %(month)s is in the future.") % {"month": text}
    return year, month


def _value(cell: str) -> int | str | None:
    """The figure; None when the statistics mark it missing; else the problem."""
    text = SPACES.sub("", cell)
    if text in MISSING_FIGURES:
        return None
    if not re.fullmatch(r"[-−]?\d+", text):
        return _("%(value)s is not a whole number.") % {"value": cell.strip()}
    if text[0] in "-−":
        return _("A figure cannot be negative (%(value)s).") % {"value": cell.strip()}
    value = int(text)
    if value > LARGEST_FIGURE:
        return _("The figure %(value)s is too large.") % {"value": cell.strip()}
    return value
