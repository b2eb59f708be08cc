"""Scoring of the IPS supported-employment fidelity scale: pure functions, no database.

The scale has 25 items, each scored 1–5, so a complete review totals 25–125. The total
falls in one of four bands: 115–125 exemplary fidelity, 100–114 good fidelity, 74–99 fair
fidelity, and 73 or below is not supported employment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

ITEM_COUNT = 25
LOWEST_SCORE = 1
HIGHEST_SCORE = 5
LOWEST_TOTAL = ITEM_COUNT * LOWEST_SCORE
HIGHEST_TOTAL = ITEM_COUNT * HIGHEST_SCORE
# How many of the weakest items a page shows.
WEAKEST_COUNT = 5


class FidelityBand(models.TextChoices):
    EXEMPLARY = "exemplary", _("Exemplary fidelity")
    GOOD = "good", _("Good fidelity")
    FAIR = "fair", _("Fair fidelity")
    NOT_SUPPORTED_EMPLOYMENT = "not_supported_employment", _("Not supported employment")


# The lowest total of each band, highest band first; below the last is not supported
# employment.
BAND_FLOORS = (
    (115, FidelityBand.EXEMPLARY),
    (100, FidelityBand.GOOD),
    (74, FidelityBand.FAIR),
)


def total(scores: Mapping[int, int]) -> int:
    """The total of a complete review: ``scores`` maps each item number 1–25 to 1–5."""
    missing = set(range(1, ITEM_COUNT + 1)) - set(scores)
    if missing:
        raise ValueError(f"items without a score: {sorted(missing)}")
    for number, score in scores.items():
        if not 1 <= number <= ITEM_COUNT:
            raise ValueError(f"no item {number} on the scale")
        if not LOWEST_SCORE <= score <= HIGHEST_SCORE:
            raise ValueError(f"item {number} scored {score}, outside 1–5")
    return sum(scores.values())


def band(total_score: int) -> FidelityBand:
    """The band of a total of 25–125."""
    if not LOWEST_TOTAL <= total_score <= HIGHEST_TOTAL:
        raise ValueError(f"a total of {total_score} is outside 25–125")
    for floor, named in BAND_FLOORS:
        if total_score >= floor:
            return named
    return FidelityBand.NOT_SUPPORTED_EMPLOYMENT


def weakest_items(scores: Mapping[int, int], count: int = WEAKEST_COUNT) -> list[tuple[int, int]]:
    """The ``count`` lowest-scored items as (item number, score), lowest first and, among
    equal scores, by item number; only items scored below the highest score (5)."""
    below_top = [(number, score) for number, score in scores.items() if score < HIGHEST_SCORE]
    return sorted(below_top, key=lambda pair: (pair[1], pair[0]))[:count]


@dataclass(frozen=True)
class ItemChange:
    number: int
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        """``after - before``; None when either review left the item without a score."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def changes(before: Mapping[int, int], after: Mapping[int, int]) -> list[ItemChange]:
    """The change of each item between two reviews, by item number."""
    numbers = sorted(set(before) | set(after))
    return [ItemChange(number, before.get(number), after.get(number)) for number in numbers]
