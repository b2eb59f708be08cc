"""The communication plan and the evaluation plan of a project: the table, and for the
project's managers adding a row, changing a row's status from the table, and a row's own
page to edit or remove it. Thin: the policy is in ``plan_selectors`` and the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.core.forms import acted
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Purpose
from polku.projects import plan_selectors as selectors
from polku.projects import plan_services as services
from polku.projects.plan_forms import CommunicationItemForm, EvaluationQuestionForm, StatusForm
from polku.projects.tracking_selectors import readable_project


@dataclass(frozen=True)
class PlanKind:
    """What differs between the two plans' pages."""

    slug: str  # the URL names: projects:<slug>, projects:<slug>_row
    title: str | Promise
    form: type[forms.Form]
    columns: tuple[tuple[str, str | Promise], ...]
    rows: Any
    readable_row: Any
    add: Any


COMMUNICATION = PlanKind(
    slug="communication",
    title=gettext_lazy("Communication plan"),
    form=CommunicationItemForm,
    columns=(
        ("goal", gettext_lazy("Communication goal")),
        ("target_groups", gettext_lazy("Target groups")),
        ("channels", gettext_lazy("Channels")),
        ("timing", gettext_lazy("Timing")),
        ("responsible", gettext_lazy("Responsible")),
    ),
    rows=selectors.communication_plan,
    readable_row=selectors.readable_communication_item,
    add=services.add_communication_item,
)
EVALUATION = PlanKind(
    slug="evaluation",
    title=gettext_lazy("Evaluation plan"),
    form=EvaluationQuestionForm,
    columns=(
        ("question", gettext_lazy("Evaluation question")),
        ("data", gettext_lazy("Data")),
        ("source", gettext_lazy("From whom")),
        ("method", gettext_lazy("Method")),
        ("timing", gettext_lazy("Timing")),
    ),
    rows=selectors.evaluation_plan,
    readable_row=selectors.readable_evaluation_question,
    add=services.add_evaluation_question,
)


def _plan(request: HttpRequest, public_id: str, kind: PlanKind) -> HttpResponse:
    actor = Actor.of(request)
    project = readable_project(actor, public_id)
    posted = request.POST.get("form", "") if request.method == "POST" else ""
    if posted and posted not in ("add", "status"):
        raise Http404
    add_form = kind.form(request.POST if posted == "add" else None, prefix="add")
    if posted == "add":
        row = acted(add_form, lambda data: kind.add(actor=actor, project=project, **data))
        if row is not None:
            messages.success(request, _("The row has been added to the plan."))
            return redirect(f"projects:{kind.slug}", public_id=project.public_id)
    elif posted == "status":
        row = kind.readable_row(actor, request.POST.get("row", ""))
        if row.project_id != project.pk:
            raise Http404
        status_form = StatusForm(request.POST)
        if status_form.is_valid():
            services.set_plan_row_status(actor=actor, row=row, **status_form.cleaned_data)
            messages.success(request, _("The status has been saved."))
            return redirect(f"projects:{kind.slug}", public_id=project.public_id)
    if posted:
        services.require_manager(actor, project)
    rows = list(kind.rows(project))
    return render(
        request,
        "projects/plans/plan.html",
        {
            "project": project,
            "kind": kind,
            "rows": [(row, [getattr(row, name) for name, _label in kind.columns]) for row in rows],
            "may_manage": decisions.may_manage_project(actor, project),
            "add_form": add_form,
            "status_form": StatusForm(),
        },
        status=400 if posted else 200,
    )


def _row(request: HttpRequest, public_id: str, kind: PlanKind) -> HttpResponse:
    actor = Actor.of(request)
    row = kind.readable_row(actor, public_id)
    project = row.project
    posted = request.POST.get("form", "") if request.method == "POST" else ""
    if posted and posted not in ("edit", "remove"):
        raise Http404
    if posted:
        services.require_manager(actor, project)
    if posted == "remove":
        services.remove_plan_row(actor=actor, row=row)
        messages.success(request, _("The row has been removed from the plan."))
        return redirect(f"projects:{kind.slug}", public_id=project.public_id)
    form = kind.form(request.POST if posted else None, initial=kind.form.initial_of(row))  # type: ignore[attr-defined]
    if acted(form, lambda data: services.edit_plan_row(actor=actor, row=row, **data)):
        messages.success(request, _("The row has been saved."))
        return redirect(f"projects:{kind.slug}", public_id=project.public_id)
    return render(
        request,
        "projects/plans/row.html",
        {
            "project": project,
            "kind": kind,
            "row": row,
            "shown": [(label, getattr(row, name)) for name, label in kind.columns],
            "form": form,
            "may_manage": decisions.may_manage_project(actor, project),
        },
        status=400 if posted else 200,
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
def communication(request: HttpRequest, public_id: str) -> HttpResponse:
    return _plan(request, public_id, COMMUNICATION)


@login_required
@serves(Purpose.PROJECT_MONITORING)
def communication_row(request: HttpRequest, public_id: str) -> HttpResponse:
    return _row(request, public_id, COMMUNICATION)


@login_required
@serves(Purpose.PROJECT_MONITORING)
def evaluation(request: HttpRequest, public_id: str) -> HttpResponse:
    return _plan(request, public_id, EVALUATION)


@login_required
@serves(Purpose.PROJECT_MONITORING)
def evaluation_row(request: HttpRequest, public_id: str) -> HttpResponse:
    return _row(request, public_id, EVALUATION)
