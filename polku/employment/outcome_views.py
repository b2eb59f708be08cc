"""The supervisor's outcome view: the page, and the same report as PDF and as a spreadsheet.
Thin: the policy names the organisation, the selectors count, the exports lay out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from polku.employment import outcome_exports, outcome_selectors
from polku.employment.employer_selectors import FACE_TO_FACE_PER_WEEK
from polku.employment.outcome_forms import OutcomeForm
from polku.employment.outcome_selectors import PeriodKind
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Purpose

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@serves(Purpose.EMPLOYMENT_SUPPORT)
def outcomes(request: HttpRequest) -> HttpResponse:
    """Outcomes per coach and per team for a month or a quarter, with the trend; with
    ``format=pdf`` or ``format=xlsx`` the same report as a file. Counts only, of the
    organisation the reader acts for (``decisions.may_read_employment_outcomes``)."""
    actor = Actor.of(request)
    organisation = decisions.may_read_employment_outcomes(actor)
    if organisation is None:
        raise PermissionDenied(_("Only the professionals of an organisation read its figures."))
    today = timezone.localdate()
    form = OutcomeForm(
        request.GET or {"kind": PeriodKind.MONTH},
        units=outcome_selectors.organisation_units(organisation),
        today=today,
    )
    context: dict[str, Any] = {
        "form": form,
        "organisation": organisation,
        "report": None,
        "face_to_face_expectation": FACE_TO_FACE_PER_WEEK,
    }
    if not form.is_valid():
        # Nothing is computed for a period that cannot be read.
        return render(request, "employment/outcomes/outcomes.html", context, status=400)
    report = outcome_selectors.outcome_report(
        organisation,
        form.cleaned_data["period_value"],
        unit=form.cleaned_data["unit_value"],
        today=today,
    )
    tables = outcome_exports.report_tables(report)
    context.update(
        report=report,
        tables={table.key: table for table in tables},
        title=outcome_exports.report_title(report),
    )
    file_format = form.cleaned_data["format"]
    if file_format == "xlsx":
        response = HttpResponse(outcome_exports.report_xlsx(report, tables), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="{outcome_exports.report_filename(report, "xlsx")}"'
        )
        return response
    if file_format == "pdf":
        from weasyprint import HTML

        html = render_to_string(
            "employment/outcomes/outcomes_pdf.html",
            {**context, "language": get_language()},
            request=request,
        )
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
            pdf_variant="pdf/ua-1"
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{outcome_exports.report_filename(report, "pdf")}"'
        )
        return response
    context["charts"] = outcome_selectors.trend_charts(report)
    return render(request, "employment/outcomes/outcomes.html", context)
