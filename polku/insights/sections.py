"""The pieces every insight page is made of. A *section* is one group of figures (the
episodes, the phases, the referrals …): its tables (``core.tables``: the same for the page,
the PDF and the spreadsheets), its charts (``measures.charts``: each with its text
alternative) and a note on how it is counted. A section function takes the reader and the
query (``scope.PictureQuery``) and returns a ``Section``, or None when it has nothing to
say for that query.

Every count a section shows goes through ``count_table``, which withholds small figures
and those they could be worked out from (``core.small_cells``), given how the table's
figures add up.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from polku.core import small_cells
from polku.core.small_cells import Relation
from polku.core.tables import Cell, Table, count_cell
from polku.insights.scope import PictureQuery
from polku.measures.charts import Chart
from polku.policy.actors import Actor


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)
    note: str = ""
    # Sentences that say how to read a figure (each gap of the equality view), in order.
    readings: list[str] = field(default_factory=list)


SectionFunction = Callable[[Actor, PictureQuery], "Section | None"]


def grid_relations(
    rows: Sequence[Hashable],
    columns: Sequence[Hashable],
    *,
    row_total: Hashable | None = None,
    column_total: Hashable | None = None,
) -> list[Relation]:
    """How a cross-table of counts adds up, cells keyed ``(row, column)``: each row's
    cells make its ``(row, column_total)``, each column's make its ``(row_total,
    column)``, and the margins make the grand total ``(row_total, column_total)``. Leave
    a total out when the parts overlap (a person in two rows), since then no sum holds."""
    relations = []
    if column_total is not None:
        relations += [
            Relation((row, column_total), tuple((row, column) for column in columns))
            for row in rows
        ]
    if row_total is not None:
        relations += [
            Relation((row_total, column), tuple((row, column) for row in rows))
            for column in columns
        ]
    if row_total is not None and column_total is not None:
        relations.append(
            Relation((row_total, column_total), tuple((row_total, c) for c in columns))
        )
    return relations


def count_table(
    *,
    key: str,
    title: str,
    headers: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Hashable]]],
    values: Mapping[Any, int],
    relations: Iterable[Relation] = (),
    footer: Sequence[tuple[str, Sequence[Hashable]]] = (),
) -> Table:
    """A table of counts with small figures withheld. ``rows`` and ``footer`` are (label,
    the keys of its cells in ``values``); ``values`` may hold figures no row shows (a rest
    that is known only through a relation), which are protected as well."""
    shown = [cell for _label, keys in (*rows, *footer) for cell in keys]
    withheld = small_cells.suppress(values, relations, shown=shown)

    def line(label: str, keys: Sequence[Hashable]) -> list[Cell]:
        return [Cell(label), *(count_cell(values[k], k, withheld) for k in keys)]

    return Table(
        key=key,
        title=title,
        headers=list(headers),
        rows=[line(label, keys) for label, keys in rows],
        footer=[line(label, keys) for label, keys in footer],
    )
