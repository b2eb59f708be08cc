"""Goal → action → result tracking (as in a project plan's tables of goals, actions and
results/metrics): a project's goals, the actions under each goal, and the results under
each action with a target, evidence and status, and the history of every change."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.projects.enums import EvidenceKind, ProgressStatus
from polku.projects.models.projects import Project


class Goal(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("goal"))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="goal_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class GoalAction(models.Model):
    """An action (toimenpide) taken towards a goal."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("action"))
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProgressStatus.choices,
        default=ProgressStatus.NOT_STARTED,
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "number"], name="action_number_unique")
        ]

    def __str__(self) -> str:
        return self.text


class ResultMetric(models.Model):
    """A result or metric (tulos, mittari) of an action: what shows it was achieved, the
    target, and the evidence — a document, a link, or a live figure Polku computes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(GoalAction, on_delete=models.CASCADE, related_name="results")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("result or metric"))
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProgressStatus.choices,
        default=ProgressStatus.NOT_STARTED,
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField(_("unit"), max_length=40, blank=True)
    achieved_value = models.DecimalField(
        _("achieved value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    evidence_kind = models.CharField(
        _("evidence"), max_length=16, choices=EvidenceKind.choices, blank=True, default=""
    )
    evidence_link = models.URLField(_("link"), max_length=500, blank=True)
    evidence_name = models.CharField(_("document name"), max_length=200, blank=True)
    evidence_content_type = models.CharField(max_length=100, blank=True)
    evidence_document = models.BinaryField(null=True, blank=True, editable=False)
    live_figure = models.CharField(_("live figure"), max_length=64, blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "number"], name="result_number_unique")
        ]

    def __str__(self) -> str:
        return self.text


class ProgressChange(models.Model):
    """One change to an action or a result: what changed from what to what, by whom, when,
    with the note the person wrote."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(
        GoalAction, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    result = models.ForeignKey(
        ResultMetric, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    changes = models.JSONField(default=dict)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.changed_at}: {self.changes}"
