"""The exports of the insight views (every table as CSV or as one XLSX workbook, the whole
view as a PDF) and the log of them. Thin: the view's own form reads the question, the
policy says who exports and who reads the log, ``exports`` lays the files out and records
each export in the transaction that makes it.

The views that can be exported are listed once, in ``VIEWS``: their URLs are made from it
(``urls.py``), so a new view needs one line here and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.core.views import problem
from polku.insights import export_selectors, exports
from polku.insights import picture as picture_figures
from polku.insights.equality_sections import equality as equality_sections
from polku.insights.forms import PictureForm
from polku.insights.models import ExportFormat
from polku.insights.scope import PictureQuery
from polku.insights.sections import Section
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Purpose

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
PDF = "application/pdf"
LOG_PAGE_SIZE = 50


@dataclass(frozen=True)
class InsightView:
    """An insight view that can be exported: its title, its sections for a reader and a
    question, and the name of its page's URL."""

    title: str | Promise
    sections: Callable[[Actor, PictureQuery], list[Section]]
    page: str


VIEWS: dict[str, InsightView] = {
    "picture": InsightView(
        gettext_lazy("Situational picture"), picture_figures.picture, "insights:picture"
    ),
    "equality": InsightView(gettext_lazy("Equality"), equality_sections, "insights:equality"),
}


def view_title(key: str) -> str:
    """A view's title in the reader's language; its key when it is no longer exported."""
    view = VIEWS.get(key)
    return str(view.title) if view is not None else key


@dataclass(frozen=True)
class Question:
    actor: Actor
    view: InsightView
    title: str
    query: PictureQuery


def _question(request: HttpRequest, view: str) -> Question | HttpResponse:
    """The reader and the question, or the 400 page when the question cannot be read;
    404 to whoever reads no insights (``decisions.may_read_insights``)."""
    actor = Actor.of(request)
    if not decisions.may_read_insights(actor) or view not in VIEWS:
        raise Http404
    insight = VIEWS[view]
    form = PictureForm(request.GET, actor=actor, today=timezone.localdate())
    if not form.is_valid():
        errors = " ".join(
            f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
            for name, messages in form.errors.items()
            for error in messages
        )
        return problem(
            request,
            _("Nothing was exported, since the question could not be read: %(errors)s")
            % {"errors": errors},
            title=_("The figures could not be exported"),
            back_url=reverse(insight.page),
        )
    return Question(actor, insight, str(insight.title), form.picture_query())


def _file(content: bytes, content_type: str, name: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    return response


@login_required
@serves(Purpose.KNOWLEDGE_MANAGEMENT)
def export_csv(request: HttpRequest, view: str) -> HttpResponse:
    """One table of the view (``?table=<key>``) as CSV; 404 for a table it does not show."""
    question = _question(request, view)
    if isinstance(question, HttpResponse):
        return question
    key = request.GET.get("table", "")
    with transaction.atomic():
        sections = question.view.sections(question.actor, question.query)
        table = exports.find_table(sections, key) if key else None
        if table is None:
            raise Http404
        exports.record_export(
            actor=question.actor,
            view=view,
            query=question.query,
            file_format=ExportFormat.CSV,
            table=table.key,
        )
        content = exports.table_csv(table)
    name = exports.file_name(question.title, question.query, "csv", table=table.key)
    return _file(content, CSV, name)


@login_required
@serves(Purpose.KNOWLEDGE_MANAGEMENT)
def export_xlsx(request: HttpRequest, view: str) -> HttpResponse:
    """Every table of the view as one workbook, after a sheet that says what they show."""
    question = _question(request, view)
    if isinstance(question, HttpResponse):
        return question
    with transaction.atomic():
        sections = question.view.sections(question.actor, question.query)
        record = exports.record_export(
            actor=question.actor, view=view, query=question.query, file_format=ExportFormat.XLSX
        )
        content = exports.view_xlsx(question.title, question.query, sections, record)
    return _file(content, XLSX, exports.file_name(question.title, question.query, "xlsx"))


@login_required
@serves(Purpose.KNOWLEDGE_MANAGEMENT)
def export_pdf(request: HttpRequest, view: str) -> HttpResponse:
    """The whole view as a PDF/UA document: what it shows, then every section."""
    question = _question(request, view)
    if isinstance(question, HttpResponse):
        return question
    with transaction.atomic():
        sections = question.view.sections(question.actor, question.query)
        record = exports.record_export(
            actor=question.actor, view=view, query=question.query, file_format=ExportFormat.PDF
        )
        content = exports.view_pdf(question.title, question.query, sections, record)
    name = exports.file_name(question.title, question.query, "pdf")
    return _file(content, PDF, name, inline=True)


@login_required
@serves(Purpose.KNOWLEDGE_MANAGEMENT)
def export_log(request: HttpRequest) -> HttpResponse:
    """The exports of insight figures, newest first: every one to administrators, an
    analyst's own to them (``decisions.readable_export_records``), 404 to anyone else."""
    actor = Actor.of(request)
    records = export_selectors.readable_exports(actor)
    if records is None:
        raise Http404
    page = Paginator(records, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "entries": export_selectors.described(list(page.object_list), view_title),
        "everyone": decisions.may_manage_configuration(actor),
    }
    return render(request, "insights/export_log.html", context)
