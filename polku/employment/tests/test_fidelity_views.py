"""The fidelity self-review's pages: the history, starting, scoring and finalising a
review, the wording pages, and refusals to other organisations."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import plain_table_markup
from polku.audit.models import AccessLogEntry
from polku.employment import fidelity_services
from polku.employment.models import FidelityItem, FidelityReview, ReviewStatus
from polku.employment.tests.fidelity_fixtures import (  # noqa: F401 (a fixture)
    GOOD_SCORES,
    Fidelity,
    fidelity_fixture,
    scores_of,
)
from polku.synthetic.fidelity import DEMO_REVIEWS, seed_demo_fidelity

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# Items 1–25 all at 3: total 75, fair.
FAIR_SCORES = (3,) * 25
# Items 1–25 at 5 but items 4 (3), 11 (2), 18 (4), 21 (2) and 25 (4):
# 20 × 5 + 3 + 2 + 4 + 2 + 4 = 115, exemplary.
EXEMPLARY_SCORES = tuple(
    {4: 3, 11: 2, 18: 4, 21: 2, 25: 4}.get(number, 5) for number in range(1, 26)
)


def compact(html: str) -> str:
    """A page without what ``{% stacked_table %}`` adds and without space between tags."""
    return re.sub(r">\s+<", "><", plain_table_markup(html))


def signed_in(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def form_data(scores: dict[int, Any], **extra: str) -> dict[str, Any]:
    data: dict[str, Any] = {"reviewers": "Aino", "notes": "", **extra}
    for number, score in scores.items():
        data[f"score_{number}"] = "" if score is None else str(score)
        data[f"note_{number}"] = ""
    return data


def test_the_history_shows_totals_bands_chart_and_weakest_items(
    client: Any, fidelity: Fidelity
) -> None:
    fidelity.review(scores=FAIR_SCORES, reviewed_on=TODAY - timedelta(days=200), final=True)
    fidelity.review(scores=EXEMPLARY_SCORES, reviewed_on=TODAY - timedelta(days=10), final=True)
    fidelity.review(scores=GOOD_SCORES[:5], reviewed_on=TODAY)  # a draft

    page = signed_in(client, fidelity.coach_a).get(reverse("employment:fidelity"))

    html = compact(page.content.decode())
    assert page.status_code == 200
    assert "<td>75</td><td>Fair fidelity</td>" in html
    assert "<td>115</td><td>Exemplary fidelity</td>" in html
    assert "5 items of 25 scored" in html
    day = TODAY - timedelta(days=10)
    assert f"Latest final review {day.day}.{day.month}.{day.year}: total 115, Exemplary" in html
    # The weakest: items 11 and 21 (2), 4 (3), 18 and 25 (4), each by its number.
    weakest = html.split("Weakest items of the latest final review")[1].split("</ol>")[0]
    assert re.findall(r"<li>(Item \d+) <span[^>]*>\((\w+)\)</span>: (\d)</li>", weakest) == [
        ("Item 11", "Organisation", "2"),
        ("Item 21", "Services", "2"),
        ("Item 4", "Organisation", "3"),
        ("Item 18", "Services", "4"),
        ("Item 25", "Services", "4"),
    ]
    assert 'src="data:image/svg+xml;base64,' in html
    assert "lowest totals of the bands marked (exemplary 115, good 100, fair 74)" in html
    # Item 11: 3 → 2.
    assert '<th scope="row">Item 11</th><td>3</td><td>2</td><td>-1</td>' in html
    assert "The wording of 25 items has not been entered" in html
    assert AccessLogEntry.objects.count() == 0


def test_another_organisation_sees_no_review_of_the_unit(client: Any, fidelity: Fidelity) -> None:
    fidelity.review(scores=GOOD_SCORES, final=True)

    page = signed_in(client, fidelity.coach_b).get(reverse("employment:fidelity"))

    html = compact(page.content.decode())
    assert page.status_code == 200
    assert "<td>100</td>" not in html
    assert "/fidelity/reviews/" not in html
    assert "No reviews of this unit yet." in html  # its own unit


def test_a_member_of_another_organisation_gets_404_and_cannot_post(
    client: Any, fidelity: Fidelity
) -> None:
    review = fidelity.review(scores=GOOD_SCORES[:3])
    url = reverse("employment:fidelity_review", kwargs={"review_id": review.pk})
    signed_in(client, fidelity.coach_b)

    read = client.get(url)
    posted = client.post(url, form_data(scores_of((5,) * 25), action="finalise"))
    started = client.post(
        reverse("employment:fidelity_start", kwargs={"unit_id": fidelity.unit_a.pk}),
        {"reviewed_on": TODAY.isoformat()},
    )

    assert (read.status_code, posted.status_code, started.status_code) == (404, 404, 404)
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert dict(review.scores.values_list("item__number", "score")) == {1: 4, 2: 4, 3: 3}
    assert FidelityReview.objects.count() == 1


def test_an_analyst_reads_but_may_not_score(client: Any, fidelity: Fidelity) -> None:
    review = fidelity.review(scores=GOOD_SCORES[:3])
    url = reverse("employment:fidelity_review", kwargs={"review_id": review.pk})
    signed_in(client, fidelity.analyst_a)

    read = client.get(url)
    posted = client.post(url, form_data({1: 1}))

    assert (read.status_code, posted.status_code) == (200, 403)
    assert 'type="radio"' not in read.content.decode()
    assert review.scores.get(item__number=1).score == 4


def test_a_coach_starts_a_review(client: Any, fidelity: Fidelity) -> None:
    page = signed_in(client, fidelity.coach_a).post(
        reverse("employment:fidelity_start", kwargs={"unit_id": fidelity.unit_a.pk}),
        {"reviewed_on": TODAY.isoformat(), "reviewers": "Aino, Pekka", "notes": ""},
    )

    review = FidelityReview.objects.get()
    assert page.status_code == 302
    assert page["Location"] == reverse(
        "employment:fidelity_review", kwargs={"review_id": review.pk}
    )
    assert (review.unit, review.reviewers, review.status) == (
        fidelity.unit_a,
        "Aino, Pekka",
        ReviewStatus.DRAFT,
    )


def test_the_scoring_form_groups_items_by_section_and_shows_entered_anchors(
    client: Any, fidelity: Fidelity
) -> None:
    fidelity_services.set_item_wording(
        actor=fidelity.actor(fidelity.admin),
        item=FidelityItem.objects.get(number=12),
        title={"en": "Placeholder title twelve"},
        anchors={3: {"en": "placeholder anchor three"}},
    )
    review = fidelity.review()

    page = signed_in(client, fidelity.coach_a).get(
        reverse("employment:fidelity_review", kwargs={"review_id": review.pk})
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert html.index(">Staffing</h2>") < html.index(">Organisation</h2>")
    assert html.index(">Organisation</h2>") < html.index(">Services</h2>")
    assert html.count('type="radio"') == 125
    assert "Item 12: Placeholder title twelve" in html
    assert "3 – placeholder anchor three" in html
    assert "<legend>Item 7" in html
    assert "An administrator enters it from the licensed source" in html


def test_a_draft_is_saved_with_gaps(client: Any, fidelity: Fidelity) -> None:
    review = fidelity.review()
    url = reverse("employment:fidelity_review", kwargs={"review_id": review.pk})

    page = signed_in(client, fidelity.coach_a).post(
        url, form_data({1: 4, 2: None, 3: 5}, action="draft")
    )

    assert page.status_code == 302
    assert dict(review.scores.values_list("item__number", "score")) == {1: 4, 3: 5}
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT


@pytest.mark.parametrize("bad", ["0", "6"])
def test_a_score_of_0_or_6_is_refused_with_an_error(
    client: Any, fidelity: Fidelity, bad: str
) -> None:
    review = fidelity.review(scores=GOOD_SCORES[:2])
    url = reverse("employment:fidelity_review", kwargs={"review_id": review.pk})

    page = signed_in(client, fidelity.coach_a).post(url, form_data({1: 1, 5: bad}, action="draft"))

    assert page.status_code == 400
    assert "Choose a score from 1 to 5." in page.content.decode()
    assert dict(review.scores.values_list("item__number", "score")) == {1: 4, 2: 4}


def test_finalising_with_gaps_is_refused_and_nothing_changes(
    client: Any, fidelity: Fidelity
) -> None:
    review = fidelity.review(scores=GOOD_SCORES[:2])
    url = reverse("employment:fidelity_review", kwargs={"review_id": review.pk})
    scores = scores_of(GOOD_SCORES[:24])  # item 25 left out

    page = signed_in(client, fidelity.coach_a).post(url, form_data(scores, action="finalise"))

    assert page.status_code == 400
    assert "items without a score: 25." in page.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert dict(review.scores.values_list("item__number", "score")) == {1: 4, 2: 4}


def test_a_complete_review_is_finalised_and_then_read_only(client: Any, fidelity: Fidelity) -> None:
    review = fidelity.review()
    url = reverse("employment:fidelity_review", kwargs={"review_id": review.pk})
    signed_in(client, fidelity.coach_a)

    finalised = client.post(url, form_data(scores_of(GOOD_SCORES), action="finalise"))
    shown = client.get(url)
    again = client.post(url, form_data(scores_of((1,) * 25), action="draft"))

    assert finalised.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.FINAL
    assert "Total 100 of 125: Good fidelity." in shown.content.decode()
    assert 'type="radio"' not in shown.content.decode()
    assert again.status_code == 409
    assert sum(review.scores.values_list("score", flat=True)) == 100


def test_an_administrator_enters_the_wording_others_are_refused(
    client: Any, fidelity: Fidelity
) -> None:
    url = reverse("employment:fidelity_item_wording", kwargs={"number": 3})
    data = {"title__fi": "Otsikko", "title__sv": "", "title__en": "Title", "anchor_5__en": "Top"}

    refused = signed_in(client, fidelity.coach_a).post(url, data)
    listing_refused = client.get(reverse("employment:fidelity_wording"))
    assert (refused.status_code, listing_refused.status_code) == (403, 403)
    assert FidelityItem.objects.get(number=3).title == {}

    signed_in(client, fidelity.admin)
    listing = client.get(reverse("employment:fidelity_wording"))
    saved = client.post(url, data)

    assert listing.status_code == 200
    assert listing.content.decode().count("Not entered") == 25
    assert saved.status_code == 302
    item = FidelityItem.objects.get(number=3)
    assert (item.title, item.anchors) == ({"fi": "Otsikko", "en": "Title"}, {"5": {"en": "Top"}})


def test_the_demo_reviews_go_from_fair_88_to_good_101(client: Any, fidelity: Fidelity) -> None:
    recorded = seed_demo_fidelity(fidelity.coach_a)
    again = seed_demo_fidelity(fidelity.coach_a)

    page = signed_in(client, fidelity.coach_a).get(reverse("employment:fidelity"))

    html = compact(page.content.decode())
    assert (recorded, again) == (2, 0)
    assert [sum(scores) for _days, _who, scores in DEMO_REVIEWS] == [88, 101]
    assert "<td>88</td><td>Fair fidelity</td>" in html
    assert "<td>101</td><td>Good fidelity</td>" in html
    assert FidelityItem.objects.exclude(title={}).count() == 0


def test_the_history_asks_as_many_queries_for_six_reviews_as_for_two(
    client: Any, fidelity: Fidelity
) -> None:
    signed_in(client, fidelity.coach_a)
    for days_ago in (300, 200):
        fidelity.review(
            scores=FAIR_SCORES, reviewed_on=TODAY - timedelta(days=days_ago), final=True
        )
    client.get(reverse("employment:fidelity"))  # sessions and caches warmed

    with CaptureQueriesContext(connection) as two:
        assert client.get(reverse("employment:fidelity")).status_code == 200
    for days_ago in (150, 100, 50, 10):
        fidelity.review(
            scores=GOOD_SCORES, reviewed_on=TODAY - timedelta(days=days_ago), final=True
        )
    with CaptureQueriesContext(connection) as six:
        page = client.get(reverse("employment:fidelity"))

    assert page.content.decode().count('href="/fidelity/reviews/') == 6
    assert len(six.captured_queries) == len(two.captured_queries)
