"""The log of exported insight figures: who took which figures out of Polku, when, in
which format, for which area, period and filters. The figures are aggregates, not any
client's data, so they are not in the client access log; this log answers the auditor's
question "who exported what" for them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"


class ExportRecord(models.Model):
    """One export of insight figures. Never updated, never deleted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    made_by_name = models.CharField(_("exported by"), max_length=300)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    made_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # The page the figures came from ("picture", "equality") and the table, blank for all.
    view = models.CharField(_("view"), max_length=32)
    table = models.CharField(_("table"), max_length=64, blank=True)
    file_format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    area_kind = models.CharField(_("kind of area"), max_length=32)
    area_code = models.CharField(_("area"), max_length=64, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    filters = models.JSONField(_("filters"), default=dict)
    path = models.CharField(_("page"), max_length=500, blank=True)

    class Meta:
        ordering = ["-made_at", "-pk"]
        verbose_name = _("export of insight figures")
        verbose_name_plural = _("exports of insight figures")

    def __str__(self) -> str:
        return f"{self.made_by_name} {self.view}.{self.file_format} {self.made_at:%Y-%m-%d %H:%M}"
