"""Projects and programmes by public id for their figures, through the access policy.

The figures are aggregates, never a participant: a project's are read by whom
``decisions.may_read_project`` allows (its staff, its partners' staff, its programme's
coordinators), a programme's by its coordinators (``decisions.may_coordinate``). Anyone
else is answered ``Http404``: whether the project exists must not leak.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from polku.policy import decisions
from polku.policy.actors import Actor
from polku.projects.models import FundingProgramme, Project
from polku.projects.project_selectors import access_project


def access_project_figures(actor: Actor, public_id: UUID | str) -> Project:
    """The project, when the actor may read it (``project_selectors.access_project``)."""
    return access_project(actor, public_id)


def access_programme_figures(actor: Actor, public_id: UUID | str) -> FundingProgramme:
    programme = FundingProgramme.objects.filter(
        public_id=decisions.public_id_or_404(public_id)
    ).first()
    if programme is None or not decisions.may_coordinate(actor, programme.public_id):
        raise Http404
    return programme
