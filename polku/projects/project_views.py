"""Project pages: the list of the projects one may read, starting a project, its overview,
editing it and its staff. Thin: the policy is asked through ``project_selectors``'s
``access_project``, the writes are ``project_services``.

A project's pages show its description and counts of participants, never a participant:
nothing here is client data, so nothing is written to the access log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from polku.core.forms import acted
from polku.core.views import problem
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Purpose
from polku.projects import project_selectors as selectors
from polku.projects import project_services as services
from polku.projects.project_forms import AddStaffForm, EndStaffForm, ProjectForm


@login_required
@serves(Purpose.PROJECT_MONITORING)
def project_list(request: HttpRequest) -> HttpResponse:
    """The projects the actor may read, by programme."""
    actor = Actor.of(request)
    return render(
        request,
        "projects/project_list.html",
        {
            "groups": selectors.readable_projects(actor),
            "may_create": selectors.creatable_organisations(actor).exists(),
            "may_administer": decisions.may_manage_configuration(actor),
        },
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
@transaction.atomic
def project_create(request: HttpRequest) -> HttpResponse:
    """Start a project: an administrator for any organisation (naming its first manager),
    a project manager for their own (becoming its first manager)."""
    actor = Actor.of(request)
    organisations = selectors.creatable_organisations(actor)
    if not organisations.exists():
        return problem(
            request,
            _(
                "Projects are started by administrators and by the project managers of the "
                "organisation that administers the project."
            ),
            status=403,
        )
    administrator = decisions.may_manage_configuration(actor)
    form = ProjectForm(
        request.POST or None,
        programmes=selectors.open_programmes(),
        organisations=organisations,
        managers=selectors.coordinator_candidates() if administrator else None,
    )
    project = acted(
        form, lambda data: services.create_project(actor=actor, **form.service_arguments())
    )
    if project is not None:
        messages.success(request, _("The project has been created."))
        return redirect("projects:project", public_id=project.public_id)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": None},
        status=400 if form.is_bound else 200,
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
def project_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """A project's overview: funding, period, area, organisations, budget, staff and
    participant counts, with the way to its other sections."""
    actor = Actor.of(request)
    project = selectors.access_project(actor, public_id)
    return render(
        request,
        "projects/project_detail.html",
        {"overview": selectors.project_overview(actor, project), "project": project},
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
@transaction.atomic
def project_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """Change the project's details, area, partners and budget by year: its managers."""
    actor = Actor.of(request)
    project = selectors.access_project(actor, public_id, manage=True)
    initial = {
        "name": project.name,
        "code": project.code,
        "funder": project.funder,
        "instrument": project.instrument,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "description": project.description,
        "partners": list(project.partners.all()),
        "municipalities": list(project.municipalities.all()),
        **{f"budget_{row.year}": row.amount for row in project.budget_years.all()},
    }
    form = ProjectForm(request.POST or None, project=project, initial=initial)
    if acted(
        form,
        lambda data: services.update_project(
            actor=actor, project=project, **form.service_arguments()
        ),
    ):
        messages.success(request, _("The project's details have been saved."))
        return redirect("projects:project", public_id=project.public_id)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": project},
        status=400 if form.is_bound else 200,
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
@transaction.atomic
def project_staff(request: HttpRequest, public_id: str) -> HttpResponse:
    """The project's staff by organisation, ended roles included; its managers add staff
    here (the form posts to this page)."""
    actor = Actor.of(request)
    project = selectors.access_project(actor, public_id, manage=request.method == "POST")
    may_manage = decisions.may_manage_project(actor, project)
    form = (
        AddStaffForm(request.POST or None, candidates=selectors.staff_candidates(project))
        if may_manage
        else None
    )
    added = (
        acted(form, lambda data: services.add_staff(actor=actor, project=project, **data))
        if form is not None
        else None
    )
    if added is not None:
        messages.success(request, _("The role has been added."))
        return redirect("projects:staff", public_id=project.public_id)
    return render(
        request,
        "projects/project_staff.html",
        {
            "project": project,
            "staff": selectors.project_staff(project, include_ended=True),
            "form": form,
            "end_form": EndStaffForm(),
            "may_manage": may_manage,
            "today": timezone.localdate(),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
@require_POST
@transaction.atomic
def end_staff(request: HttpRequest, public_id: str, role_id: str) -> HttpResponse:
    """End a staff role on the given day (today, if none is given): its managers."""
    actor = Actor.of(request)
    project = selectors.access_project(actor, public_id, manage=True)
    role = selectors.staff_role(project, role_id)
    form = EndStaffForm(request.POST)
    if acted(
        form,
        lambda data: services.end_staff_role(
            actor=actor,
            project=project,
            role=role,
            valid_until=data["valid_until"] or timezone.localdate(),
        ),
    ):
        messages.success(request, _("The role has been ended."))
        return redirect("projects:staff", public_id=project.public_id)
    message = " ".join(str(error) for errors in form.errors.values() for error in errors) or _(
        "The role could not be ended."
    )
    return problem(
        request,
        message,
        status=400,
        back_url=reverse("projects:staff", kwargs={"public_id": project.public_id}),
    )
