"""Small-cell suppression: no withheld small figure can be worked out again."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from polku.core.small_cells import Relation, determined, is_small, suppress

PARTS = [(row, col) for row in range(2) for col in range(2)]


def cross_table(values: list[int]) -> tuple[dict[object, int], list[Relation]]:
    """A 2×2 table of counts with its row totals, column totals and grand total."""
    cells: dict[object, int] = dict(zip(PARTS, values, strict=True))
    relations = []
    for row in range(2):
        cells[(row, "total")] = cells[(row, 0)] + cells[(row, 1)]
        relations.append(Relation((row, "total"), ((row, 0), (row, 1))))
    for col in range(2):
        cells[("total", col)] = cells[(0, col)] + cells[(1, col)]
        relations.append(Relation(("total", col), ((0, col), (1, col))))
    cells[("total", "total")] = sum(values)
    relations.append(Relation(("total", "total"), ((0, "total"), (1, "total"))))
    return cells, relations


def possible_values(cells: dict[object, int], withheld: frozenset[object], key: object) -> set[int]:
    """Every value ``key`` can take in a table of non-negative counts that agrees with
    every published figure: found by trying every table, not by the module's algebra."""
    found = set()
    for candidate in itertools.product(range(13), repeat=4):
        other, _relations = cross_table(list(candidate))
        if all(other[k] == cells[k] for k in cells if k not in withheld):
            found.add(other[key])
    return found


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=8), min_size=4, max_size=4))
def test_no_withheld_small_figure_can_be_worked_out(values: list[int]) -> None:
    cells, relations = cross_table(values)
    withheld = suppress(cells, relations)
    for key, value in cells.items():
        if is_small(value):
            assert key in withheld
            assert len(possible_values(cells, withheld, key)) > 1, (key, cells, withheld)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=30), min_size=3, max_size=3),
        min_size=1,
        max_size=6,
    )
)
def test_rows_with_margins_never_leak(rows: list[list[int]]) -> None:
    # Rows of (women, men, others) with their totals, and the first two rows nested: the
    # second is a part of the first, the rest of the first never shown.
    values: dict[object, int] = {}
    relations = []
    shown: set[object] = set()
    for index, row in enumerate(rows):
        for col, value in enumerate(row):
            values[(index, col)] = value
            shown.add((index, col))
        values[(index, "total")] = sum(row)
        shown.add((index, "total"))
        relations.append(Relation((index, "total"), tuple((index, col) for col in range(3))))
    columns: list[object] = [0, 1, 2, "total"]
    if len(rows) > 1:
        for column in columns:
            values[("rest", column)] = values[(0, column)] - values[(1, column)]
        if all(values[("rest", column)] >= 0 for column in columns):
            for column in columns:
                relations.append(Relation((0, column), ((1, column), ("rest", column))))
            relations.append(Relation(("rest", "total"), tuple(("rest", c) for c in range(3))))
        else:
            for column in columns:
                del values[("rest", column)]
    withheld = suppress(values, relations, shown=shown)
    hidden = withheld | (values.keys() - shown)
    leaked = determined(values, relations, hidden)
    assert not [key for key in leaked if is_small(values[key])]
    assert all(not is_small(values[key]) or key in withheld for key in shown)
    assert withheld <= shown


def test_a_table_without_small_figures_is_published_whole() -> None:
    cells, relations = cross_table([5, 6, 7, 8])
    assert suppress(cells, relations) == frozenset()


def test_one_small_figure_takes_its_row_and_column_partners_with_it() -> None:
    cells, relations = cross_table([2, 10, 9, 11])
    withheld = suppress(cells, relations)
    assert (0, 0) in withheld
    # Its row and its column each need a second withheld figure, and so on round.
    assert len(withheld) >= 4
    assert ("total", "total") not in withheld
