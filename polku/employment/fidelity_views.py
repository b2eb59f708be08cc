"""Pages of the IPS fidelity self-review: the units' review histories, starting a review,
scoring it, and the scale's wording for administrators.

A fidelity review is the service's quality review of a unit, not client data: these pages
declare no purpose and write no access-log rows (as the employer register's pages). Who may
read or score a unit's reviews is decided by the policy (``fidelity_selectors``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from polku.core.forms import apply_errors
from polku.core.views import problem
from polku.employment import fidelity_selectors, fidelity_services
from polku.employment.fidelity_forms import ItemWordingForm, ScoringForm, StartReviewForm
from polku.employment.models import FidelityItem
from polku.policy import decisions
from polku.policy.actors import Actor

FINALISE = "finalise"


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The units the actor may read, each with its reviews, the chart of the final reviews'
    totals against the bands, the latest band and the latest review's weakest items."""
    actor = Actor.of(request)
    items = fidelity_selectors.items()
    return render(
        request,
        "employment/fidelity/overview.html",
        {
            "histories": fidelity_selectors.unit_histories(actor),
            "wording_missing": sum(1 for item in items if not item.has_wording),
            "may_edit_wording": decisions.may_edit_fidelity_wording(actor),
        },
    )


@login_required
def start_review(request: HttpRequest, unit_id: int) -> HttpResponse:
    actor = Actor.of(request)
    unit = fidelity_selectors.unit_for(actor, unit_id, change=True)
    form = StartReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = fidelity_services.start_review(actor=actor, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The review was started. Score the items below."))
            return redirect("employment:fidelity_review", review_id=review.pk)
    return render(
        request,
        "employment/fidelity/start.html",
        {"unit": unit, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def review(request: HttpRequest, review_id: int) -> HttpResponse:
    """The scoring form of a draft (saved as a draft, or finalised when every item has a
    score), or a final review read-only."""
    actor = Actor.of(request)
    posted = request.method == "POST"
    found = fidelity_selectors.review_for(actor, review_id, change=posted)
    if posted and found.is_final:
        return problem(request, _("A final review cannot be changed."), status=409)
    items = fidelity_selectors.items()
    scores = fidelity_selectors.review_scores(found)
    form = ScoringForm(request.POST or None, review=found, items=items, scores=scores)
    if posted and form.is_valid():
        finalise = request.POST.get("action") == FINALISE
        try:
            # One transaction: a review that cannot be finalised keeps its earlier scores.
            with transaction.atomic():
                fidelity_services.save_scores(
                    actor=actor,
                    review=found,
                    scores=form.scores(),
                    item_notes=form.item_notes(),
                    reviewers=form.cleaned_data["reviewers"],
                    notes=form.cleaned_data["notes"],
                )
                if finalise:
                    fidelity_services.finalise_review(actor=actor, review=found)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The review is final.") if finalise else _("The review was saved as a draft."),
            )
            if finalise:
                return redirect("employment:fidelity")
            return redirect("employment:fidelity_review", review_id=found.pk)
    summary = fidelity_selectors.ReviewSummary(
        found, {number: score.score for number, score in scores.items()}
    )
    return render(
        request,
        "employment/fidelity/review.html",
        {
            "review": found,
            "summary": summary,
            "form": form,
            "scores": scores,
            "items": items,
            "may_review": decisions.may_review_fidelity(actor, found.unit),
            "may_edit_wording": decisions.may_edit_fidelity_wording(actor),
            "wording_missing": any(not item.has_wording for item in items),
        },
        status=400 if form.errors else 200,
    )


def _require_wording_editor(request: HttpRequest) -> Actor:
    actor = Actor.of(request)
    if not decisions.may_edit_fidelity_wording(actor):
        raise PermissionDenied
    return actor


@login_required
def wording(request: HttpRequest) -> HttpResponse:
    """The scale's items for an administrator, each with whether its wording is entered."""
    _require_wording_editor(request)
    return render(
        request, "employment/fidelity/wording.html", {"items": fidelity_selectors.items()}
    )


@login_required
def item_wording(request: HttpRequest, number: int) -> HttpResponse:
    """An administrator enters one item's title and anchors from the licensed source."""
    actor = _require_wording_editor(request)
    item = get_object_or_404(FidelityItem, number=number)
    form = ItemWordingForm(request.POST or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            fidelity_services.set_item_wording(
                actor=actor, item=item, title=form.title(), anchors=form.anchors()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The wording of item %(number)d was saved.") % {"number": number}
            )
            return redirect("employment:fidelity_wording")
    return render(
        request,
        "employment/fidelity/item_wording.html",
        {"item": item, "form": form},
        status=400 if form.errors else 200,
    )
