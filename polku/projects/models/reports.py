"""Reporting periods: closing a period freezes its funder report, so that the report of
a closed period is the same file, byte for byte, whatever is edited later."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import User
from polku.projects.models.projects import Project


class ReportingPeriod(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="periods")
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The frozen files: the funder's exact report and the public one with small cells hidden.
    report_pdf = models.BinaryField(null=True, editable=False)
    report_xlsx = models.BinaryField(null=True, editable=False)
    public_pdf = models.BinaryField(null=True, editable=False)
    public_xlsx = models.BinaryField(null=True, editable=False)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "starts_on", "ends_on"], name="one_period_per_dates"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True)
                | (
                    Q(closed_by__isnull=False)
                    & Q(report_pdf__isnull=False)
                    & Q(report_xlsx__isnull=False)
                    & Q(public_pdf__isnull=False)
                    & Q(public_xlsx__isnull=False)
                ),
                name="closed_period_is_frozen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None
