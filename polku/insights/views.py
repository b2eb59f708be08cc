"""The insight pages of an area and a period: the situational picture and the equality
view. Thin: the form reads the question, the policy says whether the reader reads insights
at all, the sections count. Aggregates only, never a person, so nothing is logged as read
(``docs/access-policy.md``, "Aggregates: the insight pages")."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from polku.insights import exports
from polku.insights.export_views import VIEWS
from polku.insights.forms import PictureForm
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Purpose


def _insight_page(request: HttpRequest, view: str) -> HttpResponse:
    """An insight page (``export_views.VIEWS``): to those who read insights
    (``decisions.may_read_insights``), 404 to anyone else; 400 with the form's errors, and
    nothing computed, for a question that cannot be read."""
    actor = Actor.of(request)
    if not decisions.may_read_insights(actor):
        raise Http404
    template = f"insights/{view}.html"
    form = PictureForm(request.GET, actor=actor, today=timezone.localdate())
    may_read_export_log = decisions.readable_export_records(actor) is not None
    if not form.is_valid():
        refused = {"form": form, "sections": None, "may_read_export_log": may_read_export_log}
        return render(request, template, refused, status=400)
    query = form.picture_query()
    sections = VIEWS[view].sections(actor, query)
    context = {
        "form": form,
        "query": query,
        "sections": sections,
        "counted": any(section.tables for section in sections),
        # The exports ask the question the page answers (``export_views``).
        "export_view": view,
        "export_query": exports.query_string(query),
        "may_read_export_log": may_read_export_log,
    }
    return render(request, template, context)


@login_required
@serves(Purpose.KNOWLEDGE_MANAGEMENT)
def picture(request: HttpRequest) -> HttpResponse:
    """The situational picture of an area and a period."""
    return _insight_page(request, "picture")


@login_required
@serves(Purpose.KNOWLEDGE_MANAGEMENT)
def equality(request: HttpRequest) -> HttpResponse:
    """The equality view of the same question: whom the services reach, by age band and
    gender, and the gaps between the groups in the results."""
    return _insight_page(request, "equality")
