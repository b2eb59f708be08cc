"""Placement screens: starting a job (or studies) from the coaching page, and ending it.
Thin: the policy is asked through ``access``, the writes are ``placement_services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from polku.clients.selectors import record_view
from polku.core.forms import acted
from polku.core.views import problem
from polku.employment import placement_services as services
from polku.employment.access import access_coaching, access_placement
from polku.employment.placement_forms import EndPlacementForm, StartPlacementForm
from polku.policy.actors import Actor, serves
from polku.policy.enums import Action, DataCategory, Purpose

EMPLOYMENT = DataCategory.EMPLOYMENT


@login_required
@serves(Purpose.EMPLOYMENT_SUPPORT)
@transaction.atomic
def start_placement(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a job or studies that the client in coaching starts."""
    actor = Actor.of(request)
    coaching, decision = access_coaching(actor, public_id, action=Action.CHANGE)
    back_url = reverse("employment:coaching", kwargs={"public_id": coaching.public_id})
    if not coaching.is_active:
        return problem(request, _("The job coaching has ended."), status=409, back_url=back_url)
    form = StartPlacementForm(request.POST or None)
    if acted(form, lambda data: services.start_placement(actor=actor, coaching=coaching, **data)):
        messages.success(request, _("The placement has been recorded."))
        return redirect(back_url)
    record_view(actor, coaching.client, decision, [DataCategory.BASIC, EMPLOYMENT])
    return render(
        request,
        "employment/placements/start.html",
        {"form": form, "coaching": coaching, "client": coaching.client, "back_url": back_url},
        status=400 if form.is_bound else 200,
    )


@login_required
@serves(Purpose.EMPLOYMENT_SUPPORT)
@transaction.atomic
def end_placement(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record the end of a job or studies, with its reason."""
    actor = Actor.of(request)
    placement, decision = access_placement(actor, public_id, action=Action.CHANGE)
    back_url = reverse("employment:coaching", kwargs={"public_id": placement.coaching.public_id})
    if not placement.is_active:
        return problem(
            request, _("This placement has already ended."), status=409, back_url=back_url
        )
    form = EndPlacementForm(request.POST or None)
    if acted(form, lambda data: services.end_placement(actor=actor, placement=placement, **data)):
        messages.success(request, _("The end of the placement has been recorded."))
        return redirect(back_url)
    record_view(actor, placement.client, decision, [DataCategory.BASIC, EMPLOYMENT])
    return render(
        request,
        "employment/placements/end.html",
        {
            "form": form,
            "placement": placement,
            "coaching": placement.coaching,
            "client": placement.client,
            "back_url": back_url,
        },
        status=400 if form.is_bound else 200,
    )
