"""The insight pages of an area and a period: the situational picture and the equality
view. Thin: the form reads the question, the policy says whether the reader reads insights
at all, the sections count. Aggregates only, never a person, so nothing is logged as read
(``docs/access-policy.md``, "Aggregates: the insight pages")."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from polku.insights.equality_sections import equality as equality_sections
from polku.insights.forms import PictureForm
from polku.insights.picture import picture as picture_sections
from polku.insights.scope import PictureQuery
from polku.insights.sections import Section
from polku.policy import decisions
from polku.policy.actors import Actor, serves
from polku.policy.enums import Purpose


def _insight_page(
    request: HttpRequest,
    template: str,
    sections_of: Callable[[Actor, PictureQuery], list[Section]],
) -> HttpResponse:
    """An insight page: to those who read insights (``decisions.may_read_insights``), 404
    to anyone else; 400 with the form's errors, and nothing computed, for a question that
    cannot be read."""
    actor = Actor.of(request)
    if not decisions.may_read_insights(actor):
        raise Http404
    form = PictureForm(request.GET, actor=actor, today=timezone.localdate())
    if not form.is_valid():
        return render(request, template, {"form": form, "sections": None}, status=400)
    query = form.picture_query()
    sections = sections_of(actor, query)
    context = {
        "form": form,
        "query": query,
        "sections": sections,
        "counted": any(section.tables for section in sections),
    }
    return render(request, template, context)


@login_required
@serves(Purpose.KNOWLEDGE_MANAGEMENT)
def picture(request: HttpRequest) -> HttpResponse:
    """The situational picture of an area and a period."""
    return _insight_page(request, "insights/picture.html", picture_sections)


@login_required
@serves(Purpose.KNOWLEDGE_MANAGEMENT)
def equality(request: HttpRequest) -> HttpResponse:
    """The equality view of the same question: whom the services reach, by age band and
    gender, and the gaps between the groups in the results."""
    return _insight_page(request, "insights/equality.html", equality_sections)
