"""The ESF+ indicator pages of a project and of a programme. Thin: the access helpers ask
the policy, the selectors count, the template lays out. Aggregates only, never a
participant, so nothing is logged as read. A reader who may not see exact figures (the
project's workers, its partners' staff) sees them as the public report shows them, small
counts withheld (``indicator_withholding``)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from polku.core.tables import count_cell
from polku.policy import decisions
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
from polku.projects.indicator_withholding import (
    FLOW_FIELDS,
    GENDERS,
    flow_key,
    withheld_figures,
)
from polku.projects.indicators import IndicatorGroup

TEMPLATE = "projects/indicators/indicators.html"
COLUMNS = (*GENDERS, "total")


def _page(
    request: HttpRequest,
    *,
    subject: Any,
    starts_on: date,
    ends_on: date,
    compute: Any,
    programme_page: bool,
    exact: bool,
) -> HttpResponse:
    today = timezone.localdate()
    form = IndicatorPeriodForm(request.GET, starts_on=starts_on, ends_on=ends_on, today=today)
    context: dict[str, Any] = {
        "subject": subject,
        "programme_page": programme_page,
        "form": form,
        "years": calendar_years(starts_on, ends_on),
        "table": None,
        "exact": exact,
    }
    if not form.is_valid():
        # Nothing is computed for a period that cannot be read.
        return render(request, TEMPLATE, context, status=400)
    table: IndicatorTable = compute(
        subject, form.cleaned_data["starts_on"], form.cleaned_data["ends_on"]
    )
    withheld = frozenset() if exact else withheld_figures(table)
    groups = []
    for group in IndicatorGroup:
        rows = table.group(group)
        groups.append(
            {
                "key": group.value,
                "title": group.label,
                "rows": [
                    (row, [count_cell(getattr(row, c), (row.key, c), withheld) for c in COLUMNS])
                    for row in rows
                ],
                # A chart would show what the table withholds: it leaves those rows out.
                "chart": indicator_charts.group_chart(
                    str(group.label),
                    [row for row in rows if all((row.key, c) not in withheld for c in COLUMNS)],
                ),
            }
        )
    flow = {
        field: count_cell(getattr(table.flow, field), flow_key(field), withheld)
        for field in FLOW_FIELDS
    }
    notes = [
        (
            note,
            count_cell(note.missing, ("note", note.key), withheld),
            None
            if note.declined is None
            else count_cell(note.declined, ("declined", note.key), withheld),
        )
        for note in table.notes
    ]
    context.update(table=table, groups=groups, flow=flow, notes=notes, any_withheld=bool(withheld))
    return render(request, TEMPLATE, context)


@login_required
@serves(Purpose.PROJECT_MONITORING)
def project_indicators(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A project's ESF+ indicators for a period: its staff, partners' staff and its
    programme's coordinators (``decisions.may_read_project``)."""
    actor = Actor.of(request)
    project = access_project_figures(actor, public_id)
    return _page(
        request,
        subject=project,
        starts_on=project.starts_on,
        ends_on=project.ends_on,
        compute=compute_indicators,
        programme_page=False,
        exact=decisions.may_read_exact_figures(actor, project),
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
        # Only the programme's coordinators read it, and they read exact figures.
        exact=True,
    )
