"""A project's communication plan and evaluation plan, row by row, each with its status."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.projects.enums import ProgressStatus
from polku.projects.models.projects import Project


class CommunicationItem(models.Model):
    """A row of the communication plan: what for, to whom, through which channels, when,
    who is responsible."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="communication")
    position = models.PositiveSmallIntegerField(default=0)
    goal = models.TextField(_("communication goal"))
    target_groups = models.TextField(_("target groups"))
    channels = models.TextField(_("channels"))
    timing = models.CharField(_("timing"), max_length=200)
    responsible = models.CharField(_("responsible"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProgressStatus.choices,
        default=ProgressStatus.NOT_STARTED,
    )

    class Meta:
        verbose_name = _("communication plan row")
        verbose_name_plural = _("communication plan")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.goal


class EvaluationQuestion(models.Model):
    """A row of the evaluation plan: the question, the data that answer it, from whom,
    by which method, when."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evaluation")
    position = models.PositiveSmallIntegerField(default=0)
    question = models.TextField(_("evaluation question"))
    data = models.TextField(_("data"))
    source = models.TextField(_("from whom"))
    method = models.TextField(_("method"))
    timing = models.CharField(_("timing"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProgressStatus.choices,
        default=ProgressStatus.NOT_STARTED,
    )

    class Meta:
        verbose_name = _("evaluation plan row")
        verbose_name_plural = _("evaluation plan")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.question
