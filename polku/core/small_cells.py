"""Small-cell suppression for published tables of counts (DESIGN §5.4).

A figure about fewer than ``MIN_CELL`` persons (1–4; a zero says nothing of anyone) is
withheld, and so are as many other figures as it takes that no withheld small figure can
be worked out again from what is published. A table states what it publishes and how its
figures add up: each ``Relation`` says that a total is the sum of its parts (the women,
the men and the others of a row make its total; the long-term unemployed and the other
unemployed make the unemployed). A part that the table never shows (the other
unemployed) is *implicit*: it is known to the reader only through its relation, and it
is protected like any shown figure.

A withheld figure can be worked out exactly when the published figures and the relations
determine it: a linear system, solved here by exact elimination over the withheld figures.
Figures are withheld one at a time — the smallest published figure of a relation that
gives a small figure away, a part before a total — until no small figure is determined;
then any withheld figure that the published ones determine anyway is published again.

Pure functions, no ORM: reports, pages and exports call the same ``suppress``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

MIN_CELL = 5

Key = Hashable


@dataclass(frozen=True)
class Relation:
    """``total`` is the sum of ``parts``."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def keys(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


def is_small(value: int, min_cell: int = MIN_CELL) -> bool:
    return 0 < value < min_cell


def determined(
    values: Mapping[Key, int], relations: Iterable[Relation], hidden: Iterable[Key]
) -> set[Key]:
    """The hidden figures that the other figures and the relations fix exactly."""
    hidden_keys = sorted(set(hidden), key=repr)
    column = {key: index for index, key in enumerate(hidden_keys)}
    rows: list[list[Fraction]] = []
    for relation in relations:
        # total - sum(parts) = 0, with the published figures moved to the right-hand side.
        row = [Fraction(0)] * (len(hidden_keys) + 1)
        for key, sign in [(relation.total, 1), *((part, -1) for part in relation.parts)]:
            if key in column:
                row[column[key]] += sign
            else:
                row[-1] -= sign * values[key]
        if any(row[:-1]):
            rows.append(row)
    pivots = _reduce(rows, len(hidden_keys))
    found = set()
    for row_index, pivot in pivots:
        row = rows[row_index]
        if all(value == 0 for index, value in enumerate(row[:-1]) if index != pivot):
            found.add(hidden_keys[pivot])
    return found


def _reduce(rows: list[list[Fraction]], width: int) -> list[tuple[int, int]]:
    """Reduce ``rows`` in place to reduced row echelon form; the (row, column) pivots."""
    pivots: list[tuple[int, int]] = []
    top = 0
    for col in range(width):
        pivot = next((r for r in range(top, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[top], rows[pivot] = rows[pivot], rows[top]
        lead = rows[top][col]
        rows[top] = [value / lead for value in rows[top]]
        for r in range(len(rows)):
            if r != top and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[top], strict=True)]
        pivots.append((top, col))
        top += 1
        if top == len(rows):
            break
    return pivots


def suppress(
    values: Mapping[Key, int],
    relations: Iterable[Relation],
    *,
    shown: Iterable[Key] | None = None,
    min_cell: int = MIN_CELL,
) -> frozenset[Key]:
    """The published figures to withhold. ``values`` holds every figure, the implicit
    ones too; ``shown`` the keys the table publishes (default: all of ``values``)."""
    relations = list(relations)
    published = set(values if shown is None else shown)
    hidden = {key for key in values if key not in published or is_small(values[key], min_cell)}
    totals = {relation.total for relation in relations}
    while True:
        leaking = [
            key for key in determined(values, relations, hidden) if is_small(values[key], min_cell)
        ]
        if not leaking:
            # A withheld figure that the published ones give away anyway protects
            # nothing: publish it (it adds nothing a reader could not work out).
            free = {
                key
                for key in determined(values, relations, hidden)
                if key in published and not is_small(values[key], min_cell)
            }
            return frozenset((hidden - free) & published)
        key = min(leaking, key=repr)
        candidates = {
            other
            for relation in relations
            if key in relation.keys
            for other in relation.keys
            if other not in hidden
        }
        if not candidates:  # determined through other relations: widen to all of them
            candidates = {k for relation in relations for k in relation.keys if k not in hidden}
        hidden.add(min(candidates, key=lambda k: (k in totals, values[k], repr(k))))
