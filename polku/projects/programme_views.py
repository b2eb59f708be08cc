"""Programme pages: the programmes one coordinates (all of them for administrators), a
programme's overview of its projects, creating a programme and naming its coordinators.
Thin: the policy is asked through ``project_selectors``, the writes are
``project_services``. Counts only, never a participant: nothing is written to the access
log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from polku.core.forms import acted
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Purpose
from polku.projects import project_selectors as selectors
from polku.projects import project_services as services
from polku.projects.project_forms import CoordinatorForm, ProgrammeForm


@login_required
@serves(Purpose.PROJECT_MONITORING)
def programme_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.of(request)
    return render(
        request,
        "projects/programme_list.html",
        {
            "programmes": selectors.visible_programmes(actor),
            "may_administer": decisions.may_manage_configuration(actor),
        },
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
@transaction.atomic
def programme_create(request: HttpRequest) -> HttpResponse:
    """A new programme: administrators."""
    actor = Actor.of(request)
    if not decisions.may_manage_configuration(actor):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None)
    programme = acted(form, lambda data: services.create_programme(actor=actor, **data))
    if programme is not None:
        messages.success(request, _("The programme has been created."))
        return redirect("projects:programme", public_id=programme.public_id)
    return render(
        request,
        "projects/programme_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
@transaction.atomic
def programme_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The programme's projects with their figures, for its coordinators; an
    administrator names its coordinators here (the form posts to this page)."""
    actor = Actor.of(request)
    programme = selectors.access_programme(actor, public_id)
    administrator = decisions.may_manage_configuration(actor)
    if request.method == "POST" and not administrator:
        raise PermissionDenied
    form = (
        CoordinatorForm(request.POST or None, candidates=selectors.coordinator_candidates())
        if administrator
        else None
    )
    added = (
        acted(
            form,
            lambda data: services.add_coordinator(
                actor=actor, programme=programme, membership=data["membership"]
            ),
        )
        if form is not None
        else None
    )
    if added is not None:
        messages.success(request, _("The coordinator has been added."))
        return redirect("projects:programme", public_id=programme.public_id)
    return render(
        request,
        "projects/programme_detail.html",
        {"overview": selectors.programme_overview(actor, programme), "form": form},
        status=400 if form is not None and form.is_bound else 200,
    )
