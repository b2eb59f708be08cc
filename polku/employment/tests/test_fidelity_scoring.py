"""Scoring of the IPS fidelity scale: totals, bands, the weakest items, change per item."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polku.employment.fidelity_scoring import (
    FidelityBand,
    ItemChange,
    band,
    changes,
    total,
    weakest_items,
)

EXEMPLARY, GOOD, FAIR = FidelityBand.EXEMPLARY, FidelityBand.GOOD, FidelityBand.FAIR
NOT_SE = FidelityBand.NOT_SUPPORTED_EMPLOYMENT


@pytest.mark.parametrize(
    ("total_score", "expected"),
    [
        (125, EXEMPLARY),
        (115, EXEMPLARY),
        (114, GOOD),
        (100, GOOD),
        (99, FAIR),
        (74, FAIR),
        (73, NOT_SE),
        (25, NOT_SE),
    ],
)
def test_the_bands_at_their_boundaries(total_score: int, expected: FidelityBand) -> None:
    assert band(total_score) == expected


@given(st.integers(min_value=25, max_value=125))
def test_every_total_falls_in_the_band_its_range_gives(total_score: int) -> None:
    expected = (
        EXEMPLARY
        if 115 <= total_score <= 125
        else GOOD
        if 100 <= total_score <= 114
        else FAIR
        if 74 <= total_score <= 99
        else NOT_SE
    )
    assert band(total_score) == expected


@given(st.integers(min_value=25, max_value=124))
def test_a_higher_total_never_falls_in_a_lower_band(total_score: int) -> None:
    order = [NOT_SE, FAIR, GOOD, EXEMPLARY]
    assert order.index(band(total_score + 1)) >= order.index(band(total_score))


@pytest.mark.parametrize("outside", [24, 126, 0, -1])
def test_a_total_outside_the_scale_has_no_band(outside: int) -> None:
    with pytest.raises(ValueError, match="outside 25–125"):
        band(outside)


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=25, max_size=25))
def test_the_total_of_25_scores_is_their_sum_within_25_to_125(values: list[int]) -> None:
    scores = dict(enumerate(values, start=1))
    assert total(scores) == sum(values)
    assert 25 <= total(scores) <= 125


def test_the_total_of_a_review_with_hand_counted_scores() -> None:
    # 10 items at 3, 10 at 4 and 5 at 5: 30 + 40 + 25 = 95, fair.
    scores = {number: 3 if number <= 10 else 4 if number <= 20 else 5 for number in range(1, 26)}
    assert total(scores) == 95
    assert band(95) == FAIR


def test_a_total_needs_all_25_scores_each_1_to_5() -> None:
    with pytest.raises(ValueError, match=r"\[25\]"):
        total(dict.fromkeys(range(1, 25), 4))
    with pytest.raises(ValueError, match="outside 1–5"):
        total({number: 6 if number == 3 else 4 for number in range(1, 26)})


def test_the_weakest_items_are_the_lowest_with_ties_by_item_number() -> None:
    scores = dict.fromkeys(range(1, 26), 5)
    scores.update({2: 4, 9: 2, 12: 3, 17: 2, 20: 4, 23: 3, 25: 4})

    assert weakest_items(scores) == [(9, 2), (17, 2), (12, 3), (23, 3), (2, 4)]
    assert weakest_items(scores, count=2) == [(9, 2), (17, 2)]


def test_items_at_the_highest_score_are_never_weakest() -> None:
    scores = dict.fromkeys(range(1, 26), 5)
    scores[14] = 4

    assert weakest_items(scores) == [(14, 4)]
    assert weakest_items(dict.fromkeys(range(1, 26), 5)) == []


def test_the_change_per_item_between_two_reviews() -> None:
    before = {1: 3, 2: 4, 3: 5}
    after = {1: 4, 2: 4, 3: 3, 4: 2}

    found = changes(before, after)

    assert found == [
        ItemChange(1, 3, 4),
        ItemChange(2, 4, 4),
        ItemChange(3, 5, 3),
        ItemChange(4, None, 2),
    ]
    assert [change.change for change in found] == [1, 0, -2, None]
