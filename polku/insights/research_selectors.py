"""Reads of research studies: configuration, not client data, so nothing here is logged.
Which studies a reader sees is the policy's (``decisions.readable_studies``)."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from polku.accounts.models import Organisation
from polku.insights.models import ResearchExtract, Study
from polku.policy import decisions
from polku.policy.actors import Actor


def readable_studies(actor: Actor) -> QuerySet[Study]:
    """The studies the actor may read; PermissionDenied for whom the pages are not."""
    scope = decisions.readable_studies(actor)
    if scope is None:
        raise PermissionDenied
    return Study.objects.filter(scope).select_related("organisation")


def access_study(actor: Actor, public_id: UUID | str) -> Study:
    """One study, for those who may read it; 404 for everyone else, as for one that does
    not exist."""
    scope = decisions.readable_studies(actor)
    study = (
        Study.objects.filter(scope, public_id=decisions.public_id_or_404(public_id))
        .select_related("organisation", "recorded_by", "approved_by", "closed_by")
        .first()
        if scope is not None
        else None
    )
    if study is None:
        raise Http404
    return study


def extracts_of(study: Study) -> QuerySet[ResearchExtract]:
    return study.extracts.select_related("made_by").order_by("-made_at", "-pk")


def recording_organisations(actor: Actor) -> QuerySet[Organisation]:
    """The organisations the actor may record a study for."""
    if actor.is_staff:
        return Organisation.objects.filter(is_active=True).order_by("name")
    organisation = actor.organisation
    if organisation is None or not decisions.may_record_study(actor, organisation):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=organisation.pk)
