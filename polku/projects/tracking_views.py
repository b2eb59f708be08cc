"""The self-evaluation pages: a project's goal → action → result table with its progress
and live figures, and the pages of a goal, an action and a result, where the project's
managers record progress. Thin: the policy is asked through ``tracking_selectors``'s
``readable_*`` and the services; each form on a page posts back to it, named by ``form``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from polku.core.forms import acted
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Purpose
from polku.projects import live_figures
from polku.projects import tracking_selectors as selectors
from polku.projects import tracking_services as services
from polku.projects.enums import EvidenceKind
from polku.projects.tracking_forms import (
    ActionForm,
    ActionProgressForm,
    GoalForm,
    RemoveForm,
    ResultForm,
    ResultProgressForm,
)


def _posted(request: HttpRequest, names: tuple[str, ...]) -> str:
    posted = request.POST.get("form", "") if request.method == "POST" else ""
    if posted and posted not in names:
        raise Http404
    return posted


def _form(
    form_class: Callable[..., forms.Form], request: HttpRequest, name: str, posted: str, **kw: Any
) -> Any:
    bound = posted == name
    return form_class(
        request.POST if bound else None, request.FILES if bound else None, prefix=name, **kw
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
def goals(request: HttpRequest, public_id: str) -> HttpResponse:
    """The self-evaluation page; a manager adds a goal from it."""
    actor = Actor.of(request)
    project = selectors.readable_project(actor, public_id)
    posted = _posted(request, ("goal",))
    goal_form = _form(GoalForm, request, "goal", posted)
    if posted:
        goal = acted(
            goal_form,
            lambda data: services.add_goal(actor=actor, project=project, text=data["text"]),
        )
        if goal is not None:
            messages.success(request, _("The goal has been added."))
            return redirect("projects:goal", public_id=goal.public_id)
    today = timezone.localdate()
    live = {key: figure.value(project, today) for key, figure in live_figures.FIGURES.items()}
    table = selectors.progress_table(project, on=today, live=live)
    return render(
        request,
        "projects/tracking/goals.html",
        {
            "project": project,
            "table": table,
            "summary": selectors.progress_summary(table),
            "may_manage": decisions.may_manage_project(actor, project),
            "goal_form": goal_form,
            "figures": [(figure, live[key]) for key, figure in live_figures.FIGURES.items()],
            "history": selectors.project_history(project, limit=10),
        },
        status=400 if posted else 200,
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
def goal(request: HttpRequest, public_id: str) -> HttpResponse:
    """A goal: its text, actions, and for managers the forms to change it, add an action
    under it or remove it."""
    actor = Actor.of(request)
    goal = selectors.readable_goal(actor, public_id)
    project = goal.project
    posted = _posted(request, ("edit", "action", "remove"))
    edit_form = _form(GoalForm, request, "edit", posted, initial={"text": goal.text})
    action_form = _form(ActionForm, request, "action", posted)
    remove_form = _form(RemoveForm, request, "remove", posted)
    if posted == "edit" and (
        acted(edit_form, lambda data: services.edit_goal(actor=actor, goal=goal, text=data["text"]))
        is not None
    ):
        messages.success(request, _("The goal has been saved."))
        return redirect("projects:goal", public_id=goal.public_id)
    if posted == "action":
        action = acted(
            action_form, lambda data: services.add_action(actor=actor, goal=goal, **data)
        )
        if action is not None:
            messages.success(request, _("The action has been added."))
            return redirect("projects:goal", public_id=goal.public_id)
    if posted == "remove" and remove_form.is_valid():
        services.remove_goal(actor=actor, goal=goal, note=remove_form.cleaned_data["note"])
        messages.success(request, _("The goal has been removed. Its history is kept."))
        return redirect("projects:goals", public_id=project.public_id)
    if posted:
        services.require_manager(actor, project)
    row = next(row for row in selectors.progress_table(project) if row.public_id == goal.public_id)
    return render(
        request,
        "projects/tracking/goal.html",
        {
            "project": project,
            "goal": goal,
            "row": row,
            "may_manage": decisions.may_manage_project(actor, project),
            "edit_form": edit_form,
            "action_form": action_form,
            "remove_form": remove_form,
        },
        status=400 if posted else 200,
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
def action(request: HttpRequest, public_id: str) -> HttpResponse:
    """An action: its progress form, its results, adding a result, and its history."""
    actor = Actor.of(request)
    action = selectors.readable_action(actor, public_id)
    project = action.goal.project
    posted = _posted(request, ("edit", "result", "remove"))
    edit_form = _form(
        ActionProgressForm, request, "edit", posted, initial=ActionProgressForm.initial_of(action)
    )
    result_form = _form(ResultForm, request, "result", posted)
    remove_form = _form(RemoveForm, request, "remove", posted)
    if (
        posted == "edit"
        and acted(
            edit_form, lambda data: services.update_action(actor=actor, action=action, **data)
        )
        is not None
    ):
        messages.success(request, _("The action's progress has been saved."))
        return redirect("projects:action", public_id=action.public_id)
    if posted == "result":
        result = acted(
            result_form, lambda data: services.add_result(actor=actor, action=action, **data)
        )
        if result is not None:
            messages.success(request, _("The result has been added."))
            return redirect("projects:result", public_id=result.public_id)
    if posted == "remove" and remove_form.is_valid():
        services.remove_action(actor=actor, action=action, note=remove_form.cleaned_data["note"])
        messages.success(request, _("The action has been removed. Its history is kept."))
        return redirect("projects:goal", public_id=action.goal.public_id)
    if posted:
        services.require_manager(actor, project)
    row = next(
        row
        for goal_row in selectors.progress_table(project)
        for row in goal_row.actions
        if row.public_id == action.public_id
    )
    return render(
        request,
        "projects/tracking/action.html",
        {
            "project": project,
            "action": action,
            "row": row,
            "history": selectors.action_history(action),
            "may_manage": decisions.may_manage_project(actor, project),
            "edit_form": edit_form,
            "result_form": result_form,
            "remove_form": remove_form,
        },
        status=400 if posted else 200,
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
def result(request: HttpRequest, public_id: str) -> HttpResponse:
    """A result: its progress form (status, evidence, target, achieved, note) and history."""
    actor = Actor.of(request)
    result = selectors.readable_result(actor, public_id)
    project = result.action.goal.project
    posted = _posted(request, ("edit", "remove"))
    edit_form = _form(
        ResultProgressForm, request, "edit", posted, initial=ResultProgressForm.initial_of(result)
    )
    remove_form = _form(RemoveForm, request, "remove", posted)
    if (
        posted == "edit"
        and acted(
            edit_form,
            lambda _data: services.update_result(
                actor=actor, result=result, **edit_form.service_arguments()
            ),
        )
        is not None
    ):
        messages.success(request, _("The result's progress has been saved."))
        return redirect("projects:result", public_id=result.public_id)
    if posted == "remove" and remove_form.is_valid():
        services.remove_result(actor=actor, result=result, note=remove_form.cleaned_data["note"])
        messages.success(request, _("The result has been removed. Its history is kept."))
        return redirect("projects:action", public_id=result.action.public_id)
    if posted:
        services.require_manager(actor, project)
    row = next(
        row
        for goal_row in selectors.progress_table(project)
        for row in goal_row.results
        if row.public_id == result.public_id
    )
    return render(
        request,
        "projects/tracking/result.html",
        {
            "project": project,
            "result": result,
            "row": row,
            "number": row.number,
            "action_number": row.number.rsplit(".", 1)[0],
            "action": result.action,
            "history": selectors.result_history(result),
            "may_manage": decisions.may_manage_project(actor, project),
            "edit_form": edit_form,
            "remove_form": remove_form,
        },
        status=400 if posted else 200,
    )


@never_cache
@require_GET
@login_required
@serves(Purpose.PROJECT_MONITORING)
def evidence_document(request: HttpRequest, public_id: str) -> HttpResponse:
    """The document attached as a result's evidence, to those who may read the project."""
    actor = Actor.of(request)
    result = selectors.readable_result(actor, public_id)
    if result.evidence_kind != EvidenceKind.DOCUMENT or not result.evidence_document:
        raise Http404
    response = HttpResponse(
        bytes(result.evidence_document), content_type=result.evidence_content_type
    )
    response["Content-Disposition"] = (
        content_disposition_header(
            result.evidence_content_type != "application/pdf", result.evidence_name
        )
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
