"""The equality view's statistics against published worked examples and hand computation,
and the rules that hold for every input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polku.insights.equality import (
    Gap,
    mean_gap,
    proportion_gap,
    t_quantile_975,
    t_upper_tail,
    wilson_interval,
)
from polku.measures.scoring import t_critical_95


def figures(gap: Gap) -> tuple[float, float, float]:
    """The estimate and the interval of a gap that is given."""
    assert gap.estimate is not None
    assert gap.low is not None
    assert gap.high is not None
    return gap.estimate, gap.low, gap.high


def rounded(gap: Gap, places: int = 4) -> tuple[float, ...]:
    return tuple(round(figure, places) for figure in figures(gap))


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # Newcombe (1998), Statistics in Medicine 17:873–890, Table II, method 10.
        ((56, 70, 48, 80), (0.2, 0.0524, 0.3339)),
        ((9, 10, 3, 10), (0.6, 0.1705, 0.8090)),
        ((6, 7, 2, 7), (0.5714, 0.0582, 0.8062)),
        ((5, 56, 0, 29), (0.0893, -0.0381, 0.1926)),
        ((0, 10, 0, 20), (0.0, -0.1611, 0.2775)),
        ((10, 10, 0, 20), (1.0, 0.6791, 1.0)),
    ],
)
def test_newcombes_worked_examples(counts, expected):
    gap = proportion_gap(*counts, groups=("women", "men"))

    assert gap.given
    assert rounded(gap) == expected
    assert gap.groups == ("women", "men")
    assert gap.sizes == (counts[1], counts[3])


def test_wilson_interval_of_a_half_and_at_the_ends():
    # Wilson (1927): 5/10 gives 0.2366–0.7634 (Newcombe 1998a, Table I).
    assert tuple(round(bound, 4) for bound in wilson_interval(5, 10)) == (0.2366, 0.7634)
    # 0/10: from 0 to z²/(n + z²) = 3.8415/13.8415 = 0.2775; n/n mirrors it.
    assert tuple(round(bound, 4) for bound in wilson_interval(0, 10)) == (0.0, 0.2775)
    assert tuple(round(bound, 4) for bound in wilson_interval(10, 10)) == (0.7225, 1.0)
    with pytest.raises(ValueError, match="need 0 <= successes <= n"):
        wilson_interval(3, 0)


def test_welch_interval_by_hand():
    # a = 1…5: mean 3, variance 10/4 = 2.5, over n 0.5.
    # b = 2, 4, …, 12: mean 7, variance 70/5 = 14, over n 14/6 = 2.3333.
    # SE = √(0.5 + 2.3333) = √2.8333 = 1.68325.
    # df = 2.8333² / (0.5²/4 + 2.3333²/5) = 8.02778 / 1.15139 = 6.97226.
    # t(0.975; 6.97226) = 2.36653, between t(6) = 2.44691 and t(7) = 2.36462.
    # Interval: −4 ± 2.36653 × 1.68325 = −4 ± 3.98347.
    gap = mean_gap([1, 2, 3, 4, 5], [2, 4, 6, 8, 10, 12], groups=("fi", "sv"))

    estimate, low, high = figures(gap)
    assert gap.sizes == (5, 6)
    assert round(estimate, 5) == -4
    assert round(low, 4) == round(-4 - 3.98347, 4)
    assert round(high, 4) == round(-4 + 3.98347, 4)


def test_welch_with_equal_values_in_each_group_is_exact():
    gap = mean_gap([2.0] * 5, [1.0] * 7)

    assert (gap.estimate, gap.low, gap.high) == (1.0, 1.0, 1.0)


def test_t_quantile_agrees_with_the_table_and_the_exact_tail():
    for df in range(1, 31):
        # Just off a whole df the exact computation runs, not the table.
        assert t_quantile_975(df + 1e-9) == pytest.approx(t_critical_95(df), abs=2e-6)
    t = t_quantile_975(6.97226)
    assert round(t, 5) == 2.36653
    assert t_upper_tail(t, 6.97226) == pytest.approx(0.025, abs=1e-12)
    # Large df approach the normal quantile 1.95996.
    assert t_quantile_975(100000.5) == pytest.approx(1.959985, abs=1e-5)


def test_a_group_of_fewer_than_five_gives_no_gap():
    gap = proportion_gap(3, 4, 20, 40, groups=("other", "all"))
    means = mean_gap([1.0] * 10, [1.0, 2.0, 3.0, 4.0])

    assert not gap.given
    assert (gap.estimate, gap.low, gap.high) == (None, None, None)
    assert gap.sizes == (4, 40)
    assert gap.reason.startswith("Not given: a group has fewer than 5 persons")
    assert not means.given
    assert means.sizes == (10, 4)


@st.composite
def two_groups(draw):
    n_a = draw(st.integers(5, 400))
    n_b = draw(st.integers(5, 400))
    return draw(st.integers(0, n_a)), n_a, draw(st.integers(0, n_b)), n_b


@given(two_groups())
def test_the_proportion_gaps_interval_holds_its_estimate_within_minus_one_and_one(counts):
    gap = proportion_gap(*counts)

    estimate, low, high = figures(gap)
    assert -1 <= low <= estimate <= high <= 1


@given(
    st.lists(st.floats(-1000, 1000), min_size=5, max_size=40),
    st.lists(st.floats(-1000, 1000), min_size=5, max_size=40),
)
def test_the_mean_gaps_interval_holds_its_estimate(values_a, values_b):
    gap = mean_gap(values_a, values_b)

    estimate, low, high = figures(gap)
    assert math.isfinite(low)
    assert math.isfinite(high)
    assert low <= estimate <= high
