"""The acts of a fidelity self-review: start, save a draft, finalise; and the wording."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polku.audit.models import AccessLogEntry
from polku.employment import fidelity_services
from polku.employment.models import FidelityItem, FidelityReview, FidelityScore, ReviewStatus
from polku.employment.tests.fidelity_fixtures import (  # noqa: F401 (a fixture)
    GOOD_SCORES,
    Fidelity,
    fidelity_fixture,
    scores_of,
)

pytestmark = pytest.mark.django_db


def scores_in(review: FidelityReview) -> dict[int, int]:
    return dict(review.scores.values_list("item__number", "score"))


def test_the_scale_ships_25_items_in_three_sections_without_wording(fidelity: Fidelity) -> None:
    items = list(FidelityItem.objects.order_by("number"))

    assert [item.number for item in items] == list(range(1, 26))
    assert [item.section for item in items] == ["staffing"] * 3 + ["organisation"] * 8 + [
        "services"
    ] * 14
    assert all(item.title == {} and item.anchors == {} for item in items)
    assert items[6].label == "Item 7"


def test_a_coach_starts_a_draft_review_of_their_unit(fidelity: Fidelity) -> None:
    day = timezone.localdate() - timedelta(days=3)

    review = fidelity_services.start_review(
        actor=fidelity.actor(), unit=fidelity.unit_a, reviewed_on=day, reviewers=" Aino "
    )

    assert (review.unit, review.organisation, review.reviewed_on) == (
        fidelity.unit_a,
        fidelity.org_a,
        day,
    )
    assert (review.status, review.reviewers, review.created_by) == (
        ReviewStatus.DRAFT,
        "Aino",
        fidelity.coach_a,
    )
    assert review.finalised_at is None
    # Not client data: no access-log row.
    assert AccessLogEntry.objects.count() == 0


def test_another_organisations_coach_cannot_start_a_review(fidelity: Fidelity) -> None:
    with pytest.raises(PermissionDenied):
        fidelity_services.start_review(
            actor=fidelity.actor(fidelity.coach_b),
            unit=fidelity.unit_a,
            reviewed_on=timezone.localdate(),
        )

    assert FidelityReview.objects.count() == 0


def test_an_analyst_may_not_score(fidelity: Fidelity) -> None:
    review = fidelity.review(scores=(3,) * 25)

    with pytest.raises(PermissionDenied):
        fidelity_services.save_scores(
            actor=fidelity.actor(fidelity.analyst_a), review=review, scores={1: 5}
        )

    assert scores_in(review)[1] == 3


def test_a_review_cannot_be_dated_in_the_future(fidelity: Fidelity) -> None:
    with pytest.raises(ValidationError) as refused:
        fidelity_services.start_review(
            actor=fidelity.actor(),
            unit=fidelity.unit_a,
            reviewed_on=timezone.localdate() + timedelta(days=1),
        )

    assert refused.value.message_dict == {
        "reviewed_on": ["A review cannot be dated in the future."]
    }
    assert FidelityReview.objects.count() == 0


def test_a_draft_is_saved_with_gaps_and_changed_again(fidelity: Fidelity) -> None:
    review = fidelity.review()

    fidelity_services.save_scores(
        actor=fidelity.actor(),
        review=review,
        scores={1: 4, 2: 3, 7: 2},
        item_notes={7: " no job developer yet "},
    )
    fidelity_services.save_scores(
        actor=fidelity.actor(fidelity.manager_a),
        review=review,
        scores={2: None, 7: 3},
        notes="Second sitting",
    )

    review.refresh_from_db()
    assert scores_in(review) == {1: 4, 7: 3}
    assert FidelityScore.objects.get(review=review, item__number=7).note == "no job developer yet"
    assert (review.status, review.notes) == (ReviewStatus.DRAFT, "Second sitting")


@pytest.mark.parametrize("bad", [0, 6])
def test_a_score_outside_1_to_5_is_refused_and_nothing_changes(
    fidelity: Fidelity, bad: int
) -> None:
    review = fidelity.review()
    fidelity_services.save_scores(actor=fidelity.actor(), review=review, scores={1: 4})

    with pytest.raises(ValidationError) as refused:
        fidelity_services.save_scores(actor=fidelity.actor(), review=review, scores={2: 5, 3: bad})

    assert refused.value.message_dict == {
        "score_3": ["Item 3: a score is a whole number from 1 to 5."]
    }
    assert scores_in(review) == {1: 4}


def test_a_final_review_needs_all_25_scores_and_nothing_changes_without(
    fidelity: Fidelity,
) -> None:
    review = fidelity.review(scores=GOOD_SCORES[:23])  # items 24 and 25 unscored

    with pytest.raises(ValidationError) as refused:
        fidelity_services.finalise_review(actor=fidelity.actor(), review=review)

    assert refused.value.messages == [
        "A final review needs a score on every item; items without a score: 24, 25. "
        "Save the review as a draft until they are scored."
    ]
    review.refresh_from_db()
    assert (review.status, review.finalised_at) == (ReviewStatus.DRAFT, None)
    assert len(scores_in(review)) == 23


def test_a_complete_review_is_finalised_and_then_read_only(fidelity: Fidelity) -> None:
    review = fidelity.review(scores=GOOD_SCORES)

    final = fidelity_services.finalise_review(actor=fidelity.actor(), review=review)

    assert final.status == ReviewStatus.FINAL
    assert final.finalised_at is not None
    assert sum(scores_in(final).values()) == 100
    with pytest.raises(ValidationError, match=r"A final review cannot be changed\."):
        fidelity_services.save_scores(actor=fidelity.actor(), review=final, scores={1: 5})
    with pytest.raises(ValidationError, match=r"A final review cannot be changed\."):
        fidelity_services.finalise_review(actor=fidelity.actor(), review=final)
    assert scores_in(final)[1] == 4


def test_an_administrator_enters_an_items_wording(fidelity: Fidelity) -> None:
    item = FidelityItem.objects.get(number=7)

    fidelity_services.set_item_wording(
        actor=fidelity.actor(fidelity.admin),
        item=item,
        title={"fi": " Kohdan otsikko ", "sv": "", "en": "Item title"},
        anchors={1: {"fi": "ei lainkaan"}, 5: {"en": "fully", "sv": " "}},
    )

    item.refresh_from_db()
    assert item.title == {"fi": "Kohdan otsikko", "en": "Item title"}
    assert item.anchors == {"1": {"fi": "ei lainkaan"}, "5": {"en": "fully"}}
    assert item.label == "Item title"  # the tests read English
    assert item.anchor(5) == "fully"
    assert item.anchor(1) == "ei lainkaan"  # no English: the default language's


def test_only_an_administrator_enters_wording(fidelity: Fidelity) -> None:
    item = FidelityItem.objects.get(number=7)

    with pytest.raises(PermissionDenied):
        fidelity_services.set_item_wording(
            actor=fidelity.actor(), item=item, title={"fi": "Otsikko"}, anchors={}
        )

    item.refresh_from_db()
    assert item.title == {}
