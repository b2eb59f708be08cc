"""The research pages: the studies, recording one, a study's page with its approval, its
extracts and the making of one (a POST that answers with the file). Thin: the policy is
asked through ``research_selectors`` and ``decisions``, the writes are
``research_services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polku.core.forms import acted
from polku.insights import research_selectors as selectors
from polku.insights import research_services as services
from polku.insights.research_forms import StudyForm
from polku.insights.research_variables import VARIABLES, in_catalogue_order
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Purpose


@login_required
@serves(Purpose.RESEARCH)
def study_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.of(request)
    return render(
        request,
        "insights/research/study_list.html",
        {
            "studies": selectors.readable_studies(actor),
            "may_record": decisions.may_record_study(actor),
        },
    )


@login_required
@serves(Purpose.RESEARCH)
@transaction.atomic
def study_create(request: HttpRequest) -> HttpResponse:
    """Recording a study as a draft: administrators and analysts."""
    actor = Actor.of(request)
    if not decisions.may_record_study(actor):
        raise PermissionDenied
    form = StudyForm(request.POST or None, organisations=selectors.recording_organisations(actor))
    study = acted(form, lambda data: services.record_study(actor=actor, **data))
    if study is not None:
        messages.success(request, _("The study has been recorded. An administrator approves it."))
        return redirect("insights:study", public_id=study.public_id)
    return render(
        request,
        "insights/research/study_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@serves(Purpose.RESEARCH)
def study_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = Actor.of(request)
    study = selectors.access_study(actor, public_id)
    return render(
        request,
        "insights/research/study_detail.html",
        {
            "study": study,
            "variables": [VARIABLES[key] for key in in_catalogue_order(list(study.variables))],
            "extracts": selectors.extracts_of(study),
            "may_approve": decisions.may_approve_study(actor, study),
            "may_close": decisions.may_close_study(actor, study),
            "may_extract": decisions.may_make_extract(actor, study),
        },
    )


@login_required
@serves(Purpose.RESEARCH)
@require_POST
@transaction.atomic
def study_approve(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = Actor.of(request)
    study = selectors.access_study(actor, public_id)
    services.approve_study(actor=actor, study=study)
    messages.success(request, _("The study has been approved."))
    return redirect("insights:study", public_id=study.public_id)


@login_required
@serves(Purpose.RESEARCH)
@require_POST
@transaction.atomic
def study_close(request: HttpRequest, public_id: str) -> HttpResponse:
    actor = Actor.of(request)
    study = selectors.access_study(actor, public_id)
    services.close_study(actor=actor, study=study)
    messages.success(request, _("The study has been closed."))
    return redirect("insights:study", public_id=study.public_id)


@login_required
@serves(Purpose.RESEARCH)
@require_POST
@transaction.atomic
def study_extract(request: HttpRequest, public_id: str) -> HttpResponse:
    """The extract as a ZIP attachment; its record and log rows in the same transaction."""
    actor = Actor.of(request)
    study = selectors.access_study(actor, public_id)
    made = services.make_extract(actor=actor, study=study)
    response = HttpResponse(made.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    response["Cache-Control"] = "no-store"
    return response
