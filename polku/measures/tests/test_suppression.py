"""What the change-in-groups page may publish: no small group, and no person's change
recoverable by subtracting one published result from another."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polku.measures.suppression import (
    MUNICIPALITY,
    PROGRAMME,
    TOTAL,
    Measurement,
    differing_persons,
    group_cells,
    publishable,
    residual_persons,
)

PROGRAMMES = ["ips", "typ", "rehab", None]
MUNICIPALITIES = ["837", "091", "853", None]


def people(count, programme, municipality, before, after, start=0):
    """``count`` persons measured twice in one programme: ``before`` then ``after``."""
    return [
        Measurement(start + index, programme, municipality, score)
        for index in range(count)
        for score in (before, after)
    ]


def page_results(measurements):
    """Every result the page can show, worked out from the measurements directly (not with
    the module under test): the total, the table filtered by each programme (= the
    breakdown's programme rows) and the breakdown's municipality rows; each as the
    (first, latest) score of every person with two or more scores in it."""
    overall: dict[int, list[float]] = defaultdict(list)
    per_programme: dict[str | None, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    home = {}
    for m in measurements:
        overall[m.person].append(m.total)
        per_programme[m.programme][m.person].append(m.total)
        home[m.person] = m.municipality

    def pairs(series):
        return {p: (s[0], s[-1]) for p, s in series.items() if len(s) >= 2}

    results = {TOTAL: pairs(overall)}
    for programme, series in per_programme.items():
        if pairs(series):
            results[(PROGRAMME, programme)] = pairs(series)
    for person, pair in results[TOTAL].items():
        results.setdefault((MUNICIPALITY, home[person]), {})[person] = pair
    return results


def uncancelled_persons(minuend, subtrahends):
    """The persons whose (first, latest) pairs are left when the subtrahends' sums are
    taken from the minuend's: what subtraction reveals about."""
    left = Counter(minuend.items())
    for cell in subtrahends:
        left.subtract(cell.items())
    return {person for (person, _pair), count in left.items() if count}


scores = st.integers(0, 4).map(float)  # few values, so that pairs often cancel
# A person: their municipality, and measurements in a first programme and perhaps a second
# one, in time order (the second block after, or interleaved with, the first).
person_plans = st.tuples(
    st.sampled_from(MUNICIPALITIES),
    st.sampled_from(PROGRAMMES),
    st.lists(scores, max_size=3),
    st.sampled_from(PROGRAMMES),
    st.lists(scores, max_size=2),
    st.booleans(),
)


def measurements_of(plans):
    measurements = []
    for person, (home, first, first_scores, second, second_scores, interleave) in enumerate(plans):
        own = [Measurement(person, first, home, score) for score in first_scores]
        later = [Measurement(person, second, home, score) for score in second_scores]
        if interleave and own:
            own = [own[0], *later, *own[1:]]
        else:
            own += later
        measurements += own
    return measurements


measurement_lists = st.lists(person_plans, max_size=40).map(measurements_of)


@settings(max_examples=500, deadline=None)
@given(measurements=measurement_lists)
def test_no_published_result_reveals_a_small_group_by_subtraction(measurements):
    """Property, over random people (up to 40, each in one or two programmes, one
    municipality) and scores (few values, so that pairs often cancel): let R be the results
    the page would publish for one instrument, over all its filters (everyone; the table
    filtered by each programme, which are the breakdown's programme rows; the breakdown's
    municipality rows). Then

    1. every result in R covers at least 5 persons;
    2. for every two results A, B in R, the persons whose (first, latest) pairs do not
       cancel in sum(A) − sum(B) are none or at least 5: in particular no one person's
       change is sum(A) − sum(B), so none can be recovered by subtracting two results;
    3. when the total is in R, for each breakdown the persons left in
       sum(total) − Σ sum(published rows) are none or at least 5, so hidden rows cannot be
       worked out from their complement however many are hidden.
    """
    results = page_results(measurements)
    cells = group_cells(measurements)
    assert cells.all() == results  # the module builds exactly the page's results

    published = publishable(cells)

    assert all(len(results[cell_id]) >= 5 for cell_id in published)
    for first in published:
        for second in published:
            revealed = uncancelled_persons(results[first], [results[second]])
            assert len(revealed) == 0 or len(revealed) >= 5, (first, second, revealed)
    if TOTAL in published:
        for breakdown in (PROGRAMME, MUNICIPALITY):
            rows = [results[c] for c in published if c[0] == breakdown]
            revealed = uncancelled_persons(results[TOTAL], rows)
            assert len(revealed) == 0 or len(revealed) >= 5, (breakdown, revealed)


def test_a_programme_one_person_short_of_everyone_is_hidden_in_every_view():
    # Given five persons in IPS and one more in social rehabilitation
    measurements = people(5, "ips", "837", 4, 6) + people(1, "rehab", "837", 3, 9, start=5)

    published = publishable(group_cells(measurements))

    # Then everyone (6) is shown, but IPS (5) is not: 6·mean − 5·mean would be the one
    # person's change
    assert published == {TOTAL, (MUNICIPALITY, "837")}


def test_several_hidden_groups_hide_the_smallest_shown_one_too():
    # Given municipalities of 1 and 2 persons (hidden) beside ones of 6 and 9
    measurements = (
        people(6, "ips", "837", 4, 6)
        + people(9, "ips", "091", 4, 5, start=6)
        + people(1, "ips", "853", 4, 8, start=15)
        + people(2, "ips", None, 4, 7, start=16)
    )

    published = publishable(group_cells(measurements))

    # Then the group of 6 is hidden as well: the three hidden groups together are 9 persons
    assert {c for c in published if c[0] == MUNICIPALITY} == {(MUNICIPALITY, "091")}
    assert TOTAL in published
    assert (PROGRAMME, "ips") in published  # the same 18 persons as the total: nothing new


def test_results_that_differ_in_enough_persons_are_all_shown():
    measurements = people(5, "ips", "837", 4, 6) + people(5, "typ", "091", 4, 5, start=5)

    assert publishable(group_cells(measurements)) == {
        TOTAL,
        (PROGRAMME, "ips"),
        (PROGRAMME, "typ"),
        (MUNICIPALITY, "837"),
        (MUNICIPALITY, "091"),
    }


def test_a_person_in_two_programmes_counts_in_each_with_that_programmes_scores():
    measurements = [
        Measurement(1, "ips", "837", 3.0),
        Measurement(1, "ips", "837", 4.0),
        Measurement(1, "typ", "837", 6.0),
        Measurement(1, "typ", "837", 8.0),
    ]

    cells = group_cells(measurements)

    assert cells.total == {1: (3.0, 8.0)}
    assert cells.breakdowns[PROGRAMME] == {"ips": {1: (3.0, 4.0)}, "typ": {1: (6.0, 8.0)}}


def test_counting_helpers():
    a = {1: (1.0, 2.0), 2: (1.0, 2.0), 3: (0.0, 1.0)}
    b = {1: (1.0, 2.0), 2: (1.0, 3.0)}

    assert differing_persons(a, b) == 2  # 2 has another pair, 3 is only in a
    assert residual_persons(a, [b]) == 2


def test_min_cell_cannot_be_lowered():
    with pytest.raises(ValueError, match="min_cell may not be below 5"):
        publishable(group_cells([]), min_cell=3)
