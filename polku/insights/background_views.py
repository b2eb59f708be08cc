"""The background figures page: the import form, the report of the last dry run or load,
and what is loaded. Thin: the policy answers ``may_import_background_figures`` (others
get 404), the service reads and loads, the selectors tell what is loaded. Public
statistics of areas: nothing is written to the access log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from polku.insights import background_selectors as selectors
from polku.insights.background_forms import BackgroundImportForm
from polku.insights.background_services import ImportReport, import_background_figures
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Purpose


@login_required
@serves(Purpose.KNOWLEDGE_MANAGEMENT)
@transaction.atomic
def background(request: HttpRequest) -> HttpResponse:
    actor = Actor.of(request)
    if not decisions.may_import_background_figures(actor):
        raise Http404
    form = BackgroundImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    report: ImportReport | None = None
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_background_figures(
            actor=actor,
            file_name=upload.name or "",
            content=upload.read(),
            dry_run=form.cleaned_data["dry_run"],
            source=form.cleaned_data["source"],
        )
        if report.ok:
            # The next file starts from a dry run again.
            form = BackgroundImportForm()
    failed = (form.is_bound and not form.is_valid()) or (report is not None and not report.ok)
    return render(
        request,
        "insights/background.html",
        {
            "form": form,
            "report": report,
            "loaded": selectors.loaded_kinds(),
            "imports": selectors.recent_imports(),
        },
        status=400 if failed else 200,
    )
