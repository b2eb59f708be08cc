"""Reads of a project's communication and evaluation plans, through the policy: anyone who
may read the project reads its plans (``decisions.may_read_project``); anyone else gets
``Http404``, whatever the row."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from polku.policy import decisions
from polku.policy.actors import Actor
from polku.projects.models import CommunicationItem, EvaluationQuestion, Project


def readable_communication_item(actor: Actor, public_id: UUID | str) -> CommunicationItem:
    row = (
        CommunicationItem.objects.select_related("project__programme")
        .filter(public_id=decisions.public_id_or_404(public_id))
        .first()
    )
    if row is None or not decisions.may_read_project(actor, row.project):
        raise Http404
    return row


def readable_evaluation_question(actor: Actor, public_id: UUID | str) -> EvaluationQuestion:
    row = (
        EvaluationQuestion.objects.select_related("project__programme")
        .filter(public_id=decisions.public_id_or_404(public_id))
        .first()
    )
    if row is None or not decisions.may_read_project(actor, row.project):
        raise Http404
    return row


def communication_plan(project: Project) -> QuerySet[CommunicationItem]:
    return CommunicationItem.objects.filter(project=project).order_by("position", "pk")


def evaluation_plan(project: Project) -> QuerySet[EvaluationQuestion]:
    return EvaluationQuestion.objects.filter(project=project).order_by("position", "pk")
