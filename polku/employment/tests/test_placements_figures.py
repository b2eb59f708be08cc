"""The placement figures and the time to the first job, on known data computed by hand."""

from __future__ import annotations

from datetime import date

import pytest

from polku.employment import coaching_services, placement_selectors
from polku.employment.coaching_enums import TransitionKind
from polku.employment.models import Coaching
from polku.employment.placement_enums import EndReason, PlacementKind
from polku.employment.tests.placement_fixtures import (  # noqa: F401 (fixtures)
    employers_fixture,
    make_placement,
    world_fixture,
)

pytestmark = pytest.mark.django_db

START, END = date(2025, 3, 1), date(2025, 6, 30)
# 90 days before ON is 29 June 2025: a job that started on 30 June is not yet due.
ON = date(2025, 9, 27)


@pytest.fixture(name="known")
def known_fixture(world, employers):
    """Seven coachings (c1–c7) with the placements below; c7 is left out by the caller.

    c1 from 1.1.: job 11.3.–10.4. (dismissed), job from 1.5.
    c2 from 1.2.: job 15.2.–15.6. (resigned), studies from 1.9.
    c3 from 1.4. to 31.8.: job 30.6.–31.8. (fixed term ended)
    c4 from 1.5.: job from 15.7.
    c5 from 1.6.: studies 1.3.–31.5. (interrupted)
    c6 from 1.3.: job 3.3.–1.6. (health; exactly 90 days)
    c7 from 1.1.: job from 1.4. (not counted)
    """
    work = employers["Varastopalvelu Testinen Oy"]
    school = employers["Testiopisto"]
    c = {
        n: world.new_coaching(n, started_on=start)
        for n, start in (
            (1, date(2025, 1, 1)),
            (2, date(2025, 2, 1)),
            (3, date(2025, 4, 1)),
            (4, date(2025, 5, 1)),
            (5, date(2025, 6, 1)),
            (6, date(2025, 3, 1)),
            (7, date(2025, 1, 1)),
        )
    }
    make_placement(c[1], work, date(2025, 3, 11), date(2025, 4, 10), EndReason.DISMISSED)
    make_placement(c[1], work, date(2025, 5, 1))
    make_placement(c[2], work, date(2025, 2, 15), date(2025, 6, 15), EndReason.RESIGNED)
    make_placement(c[2], school, date(2025, 9, 1), kind=PlacementKind.EDUCATION)
    make_placement(c[3], work, date(2025, 6, 30), date(2025, 8, 31), EndReason.FIXED_TERM_ENDED)
    coaching_services.end_coaching(
        actor=world.actor(),
        coaching=c[3],
        transition=TransitionKind.OPEN_MARKET_WORK,
        ended_on=date(2025, 8, 31),
    )
    make_placement(c[4], work, date(2025, 7, 15))
    make_placement(
        c[5],
        school,
        date(2025, 3, 1),
        date(2025, 5, 31),
        EndReason.STUDIES_INTERRUPTED,
        kind=PlacementKind.EDUCATION,
    )
    make_placement(c[6], work, date(2025, 3, 3), date(2025, 6, 1), EndReason.HEALTH)
    make_placement(c[7], work, date(2025, 4, 1))
    return c


def test_the_figures_of_a_period_and_a_day(known, django_assert_num_queries):
    coachings = Coaching.objects.exclude(pk=known[7].pk)

    with django_assert_num_queries(2):
        figures = placement_selectors.placement_figures(coachings, START, END, ON)

    # job starts in March–June: c1's two (11.3., 1.5.), c3's (30.6.), c6's (3.3.)
    assert figures.job_starts == 4
    # first jobs in the period: c6 after 2 days, c1 after 31 + 28 + 10 = 69, c3 after
    # 29 + 31 + 30 = 90 (c2's first job was in February, c4's in July)
    assert figures.first_job_days == [2, 69, 90]
    assert figures.median_days_to_first_job == 69.0
    assert figures.mean_days_to_first_job == pytest.approx(161 / 3)
    # due for 90 days (started in the period by 29.6.): c1's two and c6's; kept: c1's open
    # job and c6's, which ended on its 90th day
    assert (figures.jobs_due_for_90_days, figures.jobs_kept_90_days) == (3, 2)
    assert figures.share_kept_90_days == pytest.approx(2 / 3)
    # job endings in the period (studies not counted)
    assert figures.endings_by_reason == {
        EndReason.RESIGNED: 1,
        EndReason.DISMISSED: 1,
        EndReason.HEALTH: 1,
    }
    assert figures.endings_total == 3
    # open on 27.9.: c1, c2, c4, c5, c6 (c3 ended 31.8.); in a job c1 and c4; studying c2
    assert (figures.caseload, figures.in_job, figures.in_education) == (5, 2, 1)
    assert (figures.share_in_job, figures.share_in_education) == (0.4, 0.2)


def test_the_figures_ask_as_often_for_many_coachings(known, django_assert_num_queries):
    with django_assert_num_queries(2):
        figures = placement_selectors.placement_figures(Coaching.objects.all(), START, END, ON)
    # c7's job (1.4.) counts now too; it is its coaching's first, after 31 + 28 + 31 = 90 days
    assert figures.job_starts == 5
    assert figures.first_job_days == [2, 69, 90, 90]
    assert figures.median_days_to_first_job == 79.5


def test_no_coachings_give_no_shares(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        figures = placement_selectors.placement_figures(
            Coaching.objects.filter(pk=-1), START, END, ON
        )
    assert (figures.job_starts, figures.caseload, figures.endings_by_reason) == (0, 0, {})
    assert figures.median_days_to_first_job is None
    assert figures.mean_days_to_first_job is None
    assert figures.share_in_job is None
    assert figures.share_kept_90_days is None


def test_days_to_first_job(known):
    assert placement_selectors.days_to_first_job(known[1], on=ON) == 69
    assert placement_selectors.days_to_first_job(known[2], on=ON) == 14
    assert placement_selectors.days_to_first_job(known[5], on=ON) is None  # studies only
    # before its job began, c4 had no job yet
    assert placement_selectors.days_to_first_job(known[4], on=date(2025, 7, 14)) is None
    assert placement_selectors.days_to_first_job(known[4], on=ON) == 75
