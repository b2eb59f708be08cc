"""A count table withholds its small figures and whatever would give them away through the
margins it states (``sections.count_table`` over ``core.small_cells``)."""

from __future__ import annotations

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
