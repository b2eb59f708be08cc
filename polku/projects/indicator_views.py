"""The ESF+ indicator pages of a project and of a programme. Thin: the access helpers ask
the policy, the selectors count, the template lays out. Aggregates only, never a
participant, so nothing is logged as read."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from polku.policy.actors import Actor, serves
from polku.policy.enums import Purpose
from polku.projects import indicator_charts
from polku.projects.indicator_access import access_programme_figures, access_project_figures
from polku.projects.indicator_forms import IndicatorPeriodForm, calendar_years
from polku.projects.indicator_selectors import (
    IndicatorTable,
    compute_indicators,
    compute_programme_indicators,
)
from polku.projects.indicators import IndicatorGroup

TEMPLATE = "projects/indicators/indicators.html"


def _page(
    request: HttpRequest,
    *,
    subject: Any,
    starts_on: date,
    ends_on: date,
    compute: Any,
    programme_page: bool,
) -> HttpResponse:
    today = timezone.localdate()
    form = IndicatorPeriodForm(request.GET, starts_on=starts_on, ends_on=ends_on, today=today)
    context: dict[str, Any] = {
        "subject": subject,
        "programme_page": programme_page,
        "form": form,
        "years": calendar_years(starts_on, ends_on),
        "table": None,
    }
    if not form.is_valid():
        # Nothing is computed for a period that cannot be read.
        return render(request, TEMPLATE, context, status=400)
    table: IndicatorTable = compute(
        subject, form.cleaned_data["starts_on"], form.cleaned_data["ends_on"]
    )
    groups = []
    for group in IndicatorGroup:
        rows = table.group(group)
        groups.append(
            {
                "key": group.value,
                "title": group.label,
                "rows": rows,
                "chart": indicator_charts.group_chart(str(group.label), rows),
            }
        )
    context.update(table=table, groups=groups)
    return render(request, TEMPLATE, context)


@login_required
@serves(Purpose.PROJECT_MONITORING)
def project_indicators(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A project's ESF+ indicators for a period: its staff, partners' staff and its
    programme's coordinators (``decisions.may_read_project``)."""
    project = access_project_figures(Actor.of(request), public_id)
    return _page(
        request,
        subject=project,
        starts_on=project.starts_on,
        ends_on=project.ends_on,
        compute=compute_indicators,
        programme_page=False,
    )


@login_required
@serves(Purpose.PROJECT_MONITORING)
def programme_indicators(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The indicators of all of a programme's projects summed: its coordinators
    (``decisions.may_coordinate``)."""
    programme = access_programme_figures(Actor.of(request), public_id)
    return _page(
        request,
        subject=programme,
        starts_on=programme.starts_on,
        ends_on=programme.ends_on,
        compute=compute_programme_indicators,
        programme_page=True,
    )
