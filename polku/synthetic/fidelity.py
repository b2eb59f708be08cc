"""The demo's IPS fidelity self-reviews: two final reviews of the demo job coaching unit,
half a year apart, from fair fidelity (88) to good (101).

The scale's wording is licensed and is not shipped, so the demo enters none: its pages show
the items as "Item N" and tell an administrator where to enter the wording."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from polku.accounts.models import User
from polku.employment import fidelity_services
from polku.employment.models import FidelityReview
from polku.policy.actors import Actor

# Scores of items 1–25 in each review, with how many days ago it was held.
DEMO_REVIEWS = (
    (
        190,
        "Työhönvalmennuksen tiimi ja tiiminvetäjä",
        # Staffing 1–3, organisation 4–11, services 12–25: 10 + 29 + 49 = 88 (fair).
        (4, 3, 3, 4, 4, 3, 4, 4, 3, 4, 3, 4, 4, 3, 4, 3, 4, 3, 3, 4, 4, 3, 3, 4, 3),
    ),
    (
        8,
        "Työhönvalmennuksen tiimi, tiiminvetäjä ja ulkopuolinen arvioija",
        # 13 + 33 + 55 = 101 (good); the weakest: items 7, 14 and 19 (3), then 2 and 3 (4).
        (5, 4, 4, 4, 5, 4, 3, 4, 5, 4, 4, 4, 4, 3, 4, 4, 4, 4, 3, 4, 4, 4, 5, 4, 4),
    ),
)


def seed_demo_fidelity(coach: User) -> int:
    """Record, once, the demo reviews of ``coach``'s unit as the coach; return how many
    reviews were recorded now."""
    fidelity_services.ensure_scale()
    actor = Actor.for_user(coach)
    assert actor.membership is not None
    assert actor.membership.unit is not None
    unit = actor.membership.unit
    if FidelityReview.objects.filter(unit=unit).exists():
        return 0
    today = timezone.localdate()
    for days_ago, reviewers, scores in DEMO_REVIEWS:
        review = fidelity_services.start_review(
            actor=actor,
            unit=unit,
            reviewed_on=today - timedelta(days=days_ago),
            reviewers=reviewers,
        )
        fidelity_services.save_scores(
            actor=actor,
            review=review,
            scores=dict(enumerate(scores, start=1)),
        )
        fidelity_services.finalise_review(actor=actor, review=review)
    return len(DEMO_REVIEWS)
