"""Share in work at exit and 3 and 6 months after, against figures computed by hand."""

from __future__ import annotations

import pytest
from django.utils import timezone

from polku.employment import coaching_services as services
from polku.employment.coaching_enums import Occasion
from polku.employment.coaching_enums import TransitionKind as Kind
from polku.employment.coaching_selectors import transition_figures
from polku.employment.models import Coaching
from polku.employment.tests.coaching_world import World, make_world
from polku.measures.schedules import add_months

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world(programmes, make_organisation, make_professional) -> World:
    return make_world(make_organisation, make_professional)


def coached(world: World, number: int, exit_: Kind, months_3=None, months_6=None, *, ago=7):
    """A coaching ended ``ago`` months ago with ``exit_``, and its follow-ups, if given."""
    ended_on = add_months(TODAY, -ago)
    coaching = world.new_coaching(number, started_on=add_months(ended_on, -1))
    services.end_coaching(
        actor=world.actor(), coaching=coaching, transition=exit_, ended_on=ended_on
    )
    for occasion, kind in ((Occasion.MONTHS_3, months_3), (Occasion.MONTHS_6, months_6)):
        if kind is not None:
            services.record_follow_up(
                actor=world.actor(),
                coaching=coaching,
                occasion=occasion,
                kind=kind,
                observed_on=services.follow_up_due_on(coaching, occasion),
            )
    return coaching


def test_share_in_work_by_hand(world):
    coached(world, 1, Kind.OPEN_MARKET_WORK, Kind.SUBSIDISED_WORK, Kind.OPEN_MARKET_WORK)
    coached(world, 2, Kind.UNEMPLOYED, Kind.SELF_EMPLOYMENT, None)
    coached(world, 3, Kind.EDUCATION, Kind.UNKNOWN, Kind.UNEMPLOYED)
    coached(world, 4, Kind.UNKNOWN, None, Kind.PENSION)
    coached(world, 5, Kind.SUBSIDISED_WORK, ago=0)  # its follow-ups are not due yet
    world.new_coaching(6)  # still open: not counted

    figures = transition_figures(Coaching.objects.all())

    # At exit: 5 recorded; in work 1 and 5; 4 not known.
    exit_ = figures[Occasion.EXIT]
    assert (exit_.recorded, exit_.in_work, exit_.unknown, exit_.missing) == (5, 2, 1, 0)
    assert exit_.share_in_work == pytest.approx(2 / 5)
    # +3 months: 1, 2 and 3 recorded; in work 1 and 2; 3 not known; 4 missing (5 not due).
    months_3 = figures[Occasion.MONTHS_3]
    assert (months_3.recorded, months_3.in_work, months_3.unknown, months_3.missing) == (
        3,
        2,
        1,
        1,
    )
    assert months_3.share_in_work == pytest.approx(2 / 3)
    # +6 months: 1, 3 and 4 recorded; in work 1 only; 2 missing (5 not due).
    months_6 = figures[Occasion.MONTHS_6]
    assert (months_6.recorded, months_6.in_work, months_6.unknown, months_6.missing) == (
        3,
        1,
        0,
        1,
    )
    assert months_6.share_in_work == pytest.approx(1 / 3)


def test_no_share_without_records(world):
    world.new_coaching(1)

    figures = transition_figures(Coaching.objects.all())

    assert all(f.recorded == 0 and f.share_in_work is None for f in figures.values())
    assert all(f.missing == 0 for f in figures.values())


def test_figures_of_a_subset_count_only_it(world):
    first = coached(world, 1, Kind.SELF_EMPLOYMENT, Kind.SELF_EMPLOYMENT, Kind.SELF_EMPLOYMENT)
    coached(world, 2, Kind.UNEMPLOYED, Kind.UNEMPLOYED, Kind.UNEMPLOYED)

    figures = transition_figures(Coaching.objects.filter(pk=first.pk))

    assert [figures[o].share_in_work for o in Occasion] == [1.0, 1.0, 1.0]
