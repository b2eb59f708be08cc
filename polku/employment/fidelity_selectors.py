"""Reads of fidelity self-reviews: the units an actor may read and each unit's history.

Fidelity reviews are not client data: these reads write no access-log rows. Who may read
or score a unit's reviews is decided by ``decisions.may_read_fidelity`` and
``may_review_fidelity``; a review of a unit the actor may not read is answered as if it did
not exist (404), one they may read but not change with 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from polku.accounts.models import Unit
from polku.employment import fidelity_scoring
from polku.employment.fidelity_scoring import FidelityBand, ItemChange
from polku.employment.models import FidelityItem, FidelityReview, FidelityScore
from polku.measures import charts
from polku.policy import decisions
from polku.policy.actors import Actor


@dataclass(frozen=True)
class ReviewSummary:
    review: FidelityReview
    scores: dict[int, int]

    @property
    def complete(self) -> bool:
        return len(self.scores) == fidelity_scoring.ITEM_COUNT

    @property
    def total(self) -> int | None:
        return fidelity_scoring.total(self.scores) if self.complete else None

    @property
    def band(self) -> FidelityBand | None:
        total = self.total
        return fidelity_scoring.band(total) if total is not None else None


@dataclass(frozen=True)
class WeakItem:
    item: FidelityItem
    score: int


@dataclass
class UnitHistory:
    unit: Unit
    may_review: bool
    reviews: list[ReviewSummary] = field(default_factory=list)
    chart: charts.Chart | None = None
    weakest: list[WeakItem] = field(default_factory=list)
    changes: list[tuple[FidelityItem, ItemChange]] = field(default_factory=list)

    @property
    def finals(self) -> list[ReviewSummary]:
        return [summary for summary in self.reviews if summary.review.is_final]

    @property
    def latest(self) -> ReviewSummary | None:
        return self.finals[-1] if self.finals else None


def items() -> list[FidelityItem]:
    return list(FidelityItem.objects.order_by("number"))


def readable_units(actor: Actor) -> list[Unit]:
    """The active units of the organisation the actor acts for, if they may read them."""
    organisation = actor.organisation
    if actor.membership is None or organisation is None:
        return []
    units = Unit.objects.filter(organisation=organisation, is_active=True).select_related(
        "organisation"
    )
    return [unit for unit in units if decisions.may_read_fidelity(actor, unit)]


def unit_for(actor: Actor, unit_id: int, *, change: bool = False) -> Unit:
    unit = Unit.objects.select_related("organisation").filter(pk=unit_id).first()
    if unit is None or not decisions.may_read_fidelity(actor, unit):
        raise Http404
    if change and not decisions.may_review_fidelity(actor, unit):
        raise PermissionDenied
    return unit


def review_for(actor: Actor, review_id: int, *, change: bool = False) -> FidelityReview:
    """A review by id: 404 unless the actor may read its unit's reviews, 403 when asked for
    a change they may not make."""
    review = (
        FidelityReview.objects.select_related("unit__organisation", "created_by")
        .filter(pk=review_id)
        .first()
    )
    if review is None or not decisions.may_read_fidelity(actor, review.unit):
        raise Http404
    if change and not decisions.may_review_fidelity(actor, review.unit):
        raise PermissionDenied
    return review


def review_scores(review: FidelityReview) -> dict[int, FidelityScore]:
    return {score.item.number: score for score in review.scores.select_related("item")}


def _band_lines() -> list[tuple[float, str]]:
    return [(floor, str(named.label)) for floor, named in fidelity_scoring.BAND_FLOORS]


def _chart(unit: Unit, finals: list[ReviewSummary]) -> charts.Chart | None:
    if not finals:
        return None
    points = [
        (f"{day.day}.{day.month}.{day.year}", float(summary.total or 0))
        for summary in finals
        if (day := summary.review.reviewed_on)
    ]
    description = _(
        "Fidelity total of %(unit)s in its final reviews, on a scale of 25–125, with the "
        "lowest totals of the bands marked (exemplary 115, good 100, fair 74): %(points)s."
    ) % {
        "unit": unit.localized_name,
        "points": "; ".join(f"{when} {int(total)}" for when, total in points),
    }
    return charts.line_over_time(
        points,
        y_title=_("Total"),
        y_domain=(fidelity_scoring.LOWEST_TOTAL, fidelity_scoring.HIGHEST_TOTAL),
        description=description,
        reference_lines=_band_lines(),
    )


def unit_histories(actor: Actor, *, with_charts: bool = True) -> list[UnitHistory]:
    """Each unit the actor may read, with its reviews in date order (drafts too), the chart
    of its final reviews' totals, the weakest items of its latest final review and the
    change per item since the final review before it. A few queries for any number of
    units and reviews."""
    units = readable_units(actor)
    by_number = {item.number: item for item in items()}
    reviews = FidelityReview.objects.filter(unit__in=units).prefetch_related(
        Prefetch("scores", queryset=FidelityScore.objects.select_related("item"))
    )
    per_unit: dict[int, list[ReviewSummary]] = {}
    for review in reviews.order_by("reviewed_on", "pk"):
        scores = {score.item.number: score.score for score in review.scores.all()}
        per_unit.setdefault(review.unit_id, []).append(ReviewSummary(review, scores))
    histories = []
    for unit in units:
        history = UnitHistory(
            unit=unit,
            may_review=decisions.may_review_fidelity(actor, unit),
            reviews=per_unit.get(unit.pk, []),
        )
        finals = history.finals
        if with_charts:
            history.chart = _chart(unit, finals)
        if finals:
            history.weakest = [
                WeakItem(by_number[number], score)
                for number, score in fidelity_scoring.weakest_items(finals[-1].scores)
            ]
        if len(finals) > 1:
            history.changes = [
                (by_number[change.number], change)
                for change in fidelity_scoring.changes(finals[-2].scores, finals[-1].scores)
            ]
        histories.append(history)
    return histories
