"""A count table withholds its small figures and whatever would give them away through the
margins it states (``sections.count_table`` over ``core.small_cells``)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from polku.core.small_cells import determined, is_small
from polku.insights.sections import count_table, grid_relations


def test_a_small_cell_and_its_complement_are_withheld_and_margins_kept():
    # Two phases × two genders with their totals; "assessment, women" is 3.
    values = {
        ("assessment", "women"): 3,
        ("assessment", "men"): 12,
        ("work", "women"): 20,
        ("work", "men"): 30,
        ("assessment", "all"): 15,
        ("work", "all"): 50,
        ("all", "women"): 23,
        ("all", "men"): 42,
        ("all", "all"): 65,
    }
    rows = ["assessment", "work"]
    columns = ["women", "men"]

    table = count_table(
        key="phases",
        title="Phases",
        headers=["Phase", "Women", "Men", "All"],
        rows=[(row, [(row, c) for c in [*columns, "all"]]) for row in rows],
        footer=[("All", [("all", c) for c in [*columns, "all"]])],
        values=values,
        relations=grid_relations(rows, columns, row_total="all", column_total="all"),
    )

    texts = [[cell.text for cell in row] for row in [*table.rows, *table.footer]]
    assert texts[0][1] == "<5"
    # The row and the column of the small cell each lose one more figure, and the cell
    # that closes the rectangle too: nothing adds up to the 3 again.
    hidden = sum(text in {"<5", "×"} for line in texts for text in line[1:])
    assert hidden == 4
    assert texts[2] == ["All", "23", "42", "65"]
    assert texts[0][3] == "15"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=20), min_size=3, max_size=3),
        min_size=1,
        max_size=5,
    )
)
def test_no_withheld_figure_of_a_grid_with_margins_can_be_worked_out(grid: list[list[int]]):
    """Any grid of counts (age bands × genders, months × figures) with its row, column and
    grand totals: whatever ``count_table`` shows, no withheld figure under five follows
    from the shown ones and the margins."""
    rows = list(range(len(grid)))
    columns = ["women", "men", "other"]
    values: dict[object, int] = {}
    for row in rows:
        for column, value in zip(columns, grid[row], strict=True):
            values[(row, column)] = value
        values[(row, "all")] = sum(grid[row])
    for column in [*columns, "all"]:
        values[("all", column)] = sum(values[(row, column)] for row in rows)
    relations = grid_relations(rows, columns, row_total="all", column_total="all")

    table = count_table(
        key="grid",
        title="Grid",
        headers=["", *columns, "all"],
        rows=[(str(row), [(row, c) for c in [*columns, "all"]]) for row in rows],
        footer=[("all", [("all", c) for c in [*columns, "all"]])],
        values=values,
        relations=relations,
    )

    keys = [(row, c) for row in [*rows, "all"] for c in [*columns, "all"]]
    cells = [cell for line in [*table.rows, *table.footer] for cell in line[1:]]
    published = list(zip(keys, cells, strict=True))
    withheld = {key for key, cell in published if cell.withheld}
    assert all(key in withheld for key in keys if is_small(values[key]))
    assert not [key for key in determined(values, relations, withheld) if is_small(values[key])]
    # What is shown is the figure itself.
    assert all(cell.value == values[key] for key, cell in published if not cell.withheld)
