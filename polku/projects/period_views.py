"""Reporting periods and the funder report: the list of a project's periods, adding one,
closing one (two steps, ``core.confirmation``), and the report files — made now for an
open period, the frozen files for a closed one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from polku.core.confirmation import confirm_then_act
from polku.core.forms import acted
from polku.core.views import problem
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Purpose
from polku.projects import period_services as services
from polku.projects import report_exports
from polku.projects.models import ReportingPeriod
from polku.projects.period_forms import CloseForm, PeriodForm
from polku.projects.project_selectors import access_project

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _period(actor: Actor, public_id: Any) -> ReportingPeriod:
    period = (
        ReportingPeriod.objects.select_related("project__programme", "project__organisation")
        .filter(public_id=decisions.public_id_or_404(public_id))
        .first()
    )
    if period is None or not decisions.may_read_project(actor, period.project):
        raise Http404
    return period


@login_required
@serves(Purpose.PROJECT_MONITORING)
@transaction.atomic
def periods(request: HttpRequest, public_id: str) -> HttpResponse:
    """The project's reporting periods with their reports; managers add periods here."""
    actor = Actor.of(request)
    project = access_project(actor, public_id)
    manages = decisions.may_manage_project(actor, project)
    form = PeriodForm(request.POST or None)
    if request.method == "POST":
        if not manages:
            services.require_manager(actor, project)
        if acted(form, lambda data: services.add_period(actor=actor, project=project, **data)):
            messages.success(request, _("The reporting period has been added."))
            return redirect(request.path)
    return render(
        request,
        "projects/reports/periods.html",
        {
            "project": project,
            "periods": list(project.periods.select_related("closed_by").order_by("-starts_on")),
            "form": form if manages else None,
            "exact": decisions.may_read_exact_figures(actor, project),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
@transaction.atomic
def close_period(request: HttpRequest, public_id: str) -> HttpResponse:
    """Close a period: a page that says what will follow, then the frozen reports."""
    actor = Actor.of(request)
    period = _period(actor, public_id)
    services.require_manager(actor, period.project)
    back_url = reverse("projects:periods", kwargs={"public_id": period.project.public_id})
    if period.is_closed:
        return problem(
            request, _("The period has already been closed."), status=409, back_url=back_url
        )

    def perform(data: dict[str, Any]) -> HttpResponse:
        services.close_period(actor=actor, period=period)
        messages.success(request, _("The period has been closed and its reports frozen."))
        return redirect(back_url)

    return confirm_then_act(
        request,
        form=CloseForm(request.POST or None),
        act="close_reporting_period",
        subject=str(period.public_id),
        template="projects/reports/close.html",
        context={"period": period, "project": period.project},
        log_view=lambda: None,  # the page shows no client's data
        check=lambda data: services.check_close(period),
        consequences=lambda data: {},
        perform=perform,
        back_url=back_url,
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
@transaction.atomic
def report_file(
    request: HttpRequest, public_id: str, version: str, file_format: str
) -> HttpResponse:
    """A period's report: ``version`` "funder" (exact counts: managers and coordinators)
    or "public" (small figures withheld: every reader of the project), as PDF or XLSX.
    A closed period's files are the frozen ones, byte for byte."""
    actor = Actor.of(request)
    period = _period(actor, public_id)
    if version not in report_exports.VERSIONS or file_format not in CONTENT_TYPES:
        raise Http404
    exact = version == report_exports.FUNDER
    if exact and not decisions.may_read_exact_figures(actor, period.project):
        raise Http404
    if period.is_closed:
        content = bytes(getattr(period, report_exports.stored_field(version, file_format)))
    else:
        content = report_exports.made_now(
            period.project,
            period.starts_on,
            period.ends_on,
            public=not exact,
            file_format=file_format,
        )
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    name = report_exports.filename(period, version, file_format)
    disposition = "attachment" if file_format == "xlsx" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response
