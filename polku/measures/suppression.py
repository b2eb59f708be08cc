"""Which group results the change-in-groups page may publish: pure functions, no ORM.

The page publishes, per instrument, the change of everyone (the total), of each programme
(the programme filter of the table, and the breakdown by programme) and of each
municipality of residence (the breakdown by municipality). Each such result is a *cell*:
the (first, latest) score pair of every person in it. Every statistic shown of a cell
(count, mean change, confidence interval, effect size, shares) is a function of those pairs.

A cell is published only when

1. it holds at least ``MIN_CELL`` persons;
2. compared with any other published cell, the persons whose pair is not the same in both
   (in one and not the other, or with another pair) are none or at least ``MIN_CELL``:
   subtracting one published result from another never isolates fewer persons, across the
   page's filters too (the table filtered by a programme against everyone, a programme
   against a municipality);
3. when the total is published, subtracting all published cells of one breakdown from it
   leaves the pairs of no one or of at least ``MIN_CELL`` persons: hidden groups cannot be
   worked out from their complements, however many are hidden.

Cells that break a rule are hidden one at a time (the smaller first, never the total before
a group) until every rule holds, so that the answer is the same whichever filter the user
chose: one suppression serves every view of the page.

This is for today's group pages; the insights capability will bring its own module.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from polku.measures.scoring import MIN_CELL

Pair = tuple[float, float]
# One cell: each person's (first, latest) score in it, by person.
Cell = dict[Hashable, Pair]
CellId = tuple[str, Hashable]

TOTAL: CellId = ("total", None)
PROGRAMME = "programme"
MUNICIPALITY = "municipality"


@dataclass(frozen=True)
class Measurement:
    """One scored measurement: whose, in which programme's episode (None outside one),
    the person's municipality of residence (None when not known), and the score."""

    person: Hashable
    programme: Hashable | None
    municipality: Hashable | None
    total: float


@dataclass
class Cells:
    """The cells the page can show for one instrument."""

    total: Cell = field(default_factory=dict)
    # breakdown name (PROGRAMME, MUNICIPALITY) -> group key -> cell
    breakdowns: dict[str, dict[Hashable, Cell]] = field(default_factory=dict)

    def all(self) -> dict[CellId, Cell]:
        cells: dict[CellId, Cell] = {TOTAL: self.total}
        for name, groups in self.breakdowns.items():
            for key, cell in groups.items():
                cells[(name, key)] = cell
        return cells


def _pairs(series: Mapping[Hashable, list[float]]) -> Cell:
    """Persons with two or more scores: their first and latest."""
    return {
        person: (totals[0], totals[-1]) for person, totals in series.items() if len(totals) >= 2
    }


def group_cells(measurements: Iterable[Measurement]) -> Cells:
    """Build the cells from measurements in time order per person.

    The total and the municipalities pair each person's first and latest score overall; a
    programme pairs the first and latest score taken in its episodes."""
    everyone: dict[Hashable, list[float]] = defaultdict(list)
    by_programme: dict[Hashable, dict[Hashable, list[float]]] = defaultdict(
        lambda: defaultdict(list)
    )
    municipality_of: dict[Hashable, Hashable | None] = {}
    for measurement in measurements:
        everyone[measurement.person].append(measurement.total)
        by_programme[measurement.programme][measurement.person].append(measurement.total)
        municipality_of[measurement.person] = measurement.municipality
    total = _pairs(everyone)
    by_municipality: dict[Hashable, Cell] = defaultdict(dict)
    for person, pair in total.items():
        by_municipality[municipality_of[person]][person] = pair
    programmes = {key: _pairs(series) for key, series in by_programme.items()}
    return Cells(
        total=total,
        breakdowns={
            PROGRAMME: {key: cell for key, cell in programmes.items() if cell},
            MUNICIPALITY: dict(by_municipality),
        },
    )


def differing_persons(a: Mapping[Any, Pair], b: Mapping[Any, Pair]) -> int:
    """How many persons' pairs do not cancel when one cell is subtracted from the other."""
    if len(a) > len(b):
        a, b = b, a
    common = [person for person in a if person in b]
    same = sum(1 for person in common if a[person] == b[person])
    # Everyone in either cell, less those whose pairs cancel.
    return len(a) + len(b) - len(common) - same


def residual_persons(total: Mapping[Any, Pair], cells: Iterable[Mapping[Any, Pair]]) -> int:
    """How many persons' pairs remain when every cell is subtracted from the total."""
    balance: Counter[tuple[Hashable, Pair]] = Counter(total.items())
    for cell in cells:
        balance.subtract(cell.items())
    return len({person for (person, _pair), count in balance.items() if count})


def _unsafe(size: int, min_cell: int) -> bool:
    return 0 < size < min_cell


def publishable(cells: Cells, *, min_cell: int = MIN_CELL) -> set[CellId]:
    """The cells that may be published together (see the module's rules)."""
    if min_cell < MIN_CELL:
        raise ValueError(f"min_cell may not be below {MIN_CELL}: small groups are never shown")
    every = cells.all()

    def order(cell_id: CellId) -> tuple[int, bool, str]:
        # The smaller first; at equal size a group before the total; then a stable order.
        return len(every[cell_id]), cell_id == TOTAL, repr(cell_id)

    candidates = sorted(
        (cell_id for cell_id, cell in every.items() if len(cell) >= min_cell), key=order
    )
    published = set(candidates)
    # Rule 2. Hiding a cell only removes comparisons, so one pass settles it; sizes that
    # differ by min_cell or more always differ in enough persons, so only near sizes are
    # compared.
    for index, first in enumerate(candidates):
        for second in candidates[index + 1 :]:
            if len(every[second]) - len(every[first]) >= min_cell:
                break
            if first not in published:
                break
            if second in published and _unsafe(
                differing_persons(every[first], every[second]), min_cell
            ):
                published.discard(first)  # the smaller of the two, by ``order``
    # Rule 3, per breakdown: hiding a group of one breakdown does not change another's.
    if TOTAL in published:
        for name, groups in cells.breakdowns.items():
            shown = sorted(((name, key) for key in groups if (name, key) in published), key=order)
            while shown and _unsafe(
                residual_persons(cells.total, (every[cell_id] for cell_id in shown)), min_cell
            ):
                published.discard(shown.pop(0))
    return published
