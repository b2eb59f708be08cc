"""Which figures of the ESF+ indicators are withheld from a reader who may not see small
counts: the public report, and the indicator page of a project's workers and partners.

A figure about fewer than five persons is withheld, and so is every figure it could be
worked out from (``core.small_cells``, exact elimination over the relations stated here:
row totals, nested rows, groups that add up to all who entered with a rest nobody sees,
and results that are parts of those who left or were due a follow-up). The project's
managers and its programme's coordinators read exact figures
(``decisions.may_read_exact_figures``).
"""

from __future__ import annotations

from collections.abc import Hashable

from polku.core import small_cells
from polku.core.small_cells import Relation
from polku.projects.indicator_selectors import IndicatorTable
from polku.projects.indicators import IndicatorGroup

GENDERS = ("women", "men", "other")
# Output indicators that are parts of another (the rest of the whole is never shown):
# withholding must keep the rest from being worked out by subtraction.
NESTED_ROWS = {"long_term_unemployed": "unemployed"}
# Groups of output rows that, with a rest nobody sees (missing answers, the ages between
# the bands), add up to all who entered.
PARTS_OF_ALL = (
    ("unemployed", "inactive", "employed"),
    ("below_18", "age_18_29", "age_55_plus"),
    ("isced_0_2", "isced_3_4", "isced_5_8"),
)
FLOW_CELLS = {"entered": ("total", "total")}
SUBSETS_OF_ALL = (
    "disability",
    "third_country_national",
    "foreign_background",
    "minority",
    "homeless",
    "rural",
)

FLOW_FIELDS = (
    "entered",
    "left",
    "in_project_at_end",
    "left_without_exit_data",
    "exit_observed_late",
    "follow_ups_due",
    "follow_ups_recorded",
    "follow_ups_outside_window",
)


def flow_key(field: str) -> tuple[str, str]:
    """The key of a flow figure: those who entered are the output indicators' total."""
    return FLOW_CELLS.get(field, ("flow", field))


def withheld_figures(table: IndicatorTable) -> frozenset[Hashable]:
    """Every figure of ``table`` to withhold: the indicator cells ((row key, column)),
    the flow figures (``flow_key``) and the notes' missing (("note", item)) and declined
    (("declined", item)) counts. The flow and the notes add up with nothing else shown,
    so only their small figures are withheld."""
    withheld = set(_indicator_cells(table))
    for field in FLOW_FIELDS:
        value = getattr(table.flow, field)
        if small_cells.is_small(value):
            withheld.add(flow_key(field))
    for note in table.notes:
        if small_cells.is_small(note.missing):
            withheld.add(("note", note.key))
        if note.declined is not None and small_cells.is_small(note.declined):
            withheld.add(("declined", note.key))
    return frozenset(withheld)


def _indicator_cells(table: IndicatorTable) -> frozenset[Hashable]:
    """The (row key, column) cells of the indicator rows to withhold, and the flow totals
    (row "flow") the results are parts of."""
    values: dict[Hashable, int] = {}
    shown: set[Hashable] = set()
    relations: list[Relation] = []
    rows = {row.key: row for row in table.rows if row.available}
    columns = (*GENDERS, "total")
    for key, row in rows.items():
        for column in columns:
            values[(key, column)] = getattr(row, column)
            shown.add((key, column))
        relations.append(Relation((key, "total"), tuple((key, g) for g in GENDERS)))

    def rest(name: str, whole: str, parts: tuple[str, ...]) -> None:
        """``whole`` = ``parts`` + a rest that is never shown, in every column."""
        for column in columns:
            remainder = values[(whole, column)] - sum(values[(p, column)] for p in parts)
            if remainder < 0:  # parts that overlap: no exact relation to state
                return
        for column in columns:
            values[(name, column)] = values[(whole, column)] - sum(
                values[(p, column)] for p in parts
            )
            relations.append(
                Relation((whole, column), (*((p, column) for p in parts), (name, column)))
            )
        relations.append(Relation((name, "total"), tuple((name, g) for g in GENDERS)))

    for part, whole in NESTED_ROWS.items():
        if part in rows and whole in rows:
            rest(f"rest of {whole}", whole, (part,))
    if "total" in rows:
        for group in PARTS_OF_ALL:
            if all(key in rows for key in group):
                rest(f"rest of {group[0]}", "total", group)
        for key in SUBSETS_OF_ALL:
            if key in rows:
                rest(f"not {key}", "total", (key,))
    # The results upon leaving and six months after are parts of those who left and
    # those due a follow-up; the flow figures are shown as totals.
    flow = table.flow
    values[("flow", "left")] = flow.left
    values[("flow", "follow_ups_due")] = flow.follow_ups_due
    shown |= {("flow", "left"), ("flow", "follow_ups_due")}
    for key, row in rows.items():
        of = {
            IndicatorGroup.IMMEDIATE: "left",
            IndicatorGroup.LONGER_TERM: "follow_ups_due",
        }.get(row.group)
        if of and values[("flow", of)] >= row.total:
            values[(f"not {key}", "total")] = values[("flow", of)] - row.total
            relations.append(Relation(("flow", of), ((key, "total"), (f"not {key}", "total"))))
    return small_cells.suppress(values, relations, shown=shown)
