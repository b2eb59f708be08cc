"""Counts of persons by gender, as the insight sections show them: women, men, and the
others or not stated together (two groups that small would mostly be withheld apart), and
all. Each row's groups add up to its "all", which ``count_table`` is told."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

from django.utils.translation import gettext as _

from polku.clients.enums import Gender
from polku.core.small_cells import Relation, is_small
from polku.insights.sections import grid_relations

WOMEN, MEN, OTHER, ALL = "women", "men", "other", "all"
GENDER_GROUPS = (WOMEN, MEN, OTHER)
PERSON_COLUMNS = (*GENDER_GROUPS, ALL)


def gender_group(gender: str) -> str:
    """The column a client's recorded gender is counted in."""
    groups: dict[str, str] = {Gender.FEMALE: WOMEN, Gender.MALE: MEN}
    return groups.get(gender, OTHER)


def person_headers() -> list[str]:
    return [_("Women"), _("Men"), _("Other or not stated"), _("All")]


def person_counts(
    rows: Sequence[Hashable], persons: Iterable[tuple[Hashable, str]]
) -> dict[tuple[Hashable, str], int]:
    """Counts keyed ``(row, column)`` for every row and column of ``PERSON_COLUMNS``, from
    (row, gender) pairs, one a person in that row."""
    counter = Counter((row, gender_group(gender)) for row, gender in persons)
    values: dict[tuple[Hashable, str], int] = {}
    for row in rows:
        for group in GENDER_GROUPS:
            values[(row, group)] = counter[(row, group)]
        values[(row, ALL)] = sum(values[(row, group)] for group in GENDER_GROUPS)
    return values


def person_relations(rows: Sequence[Hashable]) -> list[Relation]:
    """Each row's gender groups make its "all"."""
    return grid_relations(rows, GENDER_GROUPS, column_total=ALL)


def person_keys(row: Hashable) -> list[tuple[Hashable, str]]:
    return [(row, column) for column in PERSON_COLUMNS]


def share_publishable(part: int, whole: int) -> bool:
    """Whether ``part / whole`` may be shown: a whole of at least five persons, and neither
    the part nor the rest a small figure that the share and the whole would give away."""
    return whole > 0 and not is_small(whole) and not is_small(part) and not is_small(whole - part)
