"""Background figures of municipalities: population, unemployed jobseekers and long-term
unemployed, imported from open statistics, against which the insight pages give rates
per 1,000. Not client data: public statistics of areas."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.insights.enums import BackgroundFileKind, BackgroundKind


class BackgroundImport(models.Model):
    """One loaded file: who loaded it and when, which file it was, and what it did, so
    that every figure says where it came from."""

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Who, as shown: the person's name, or the job's for a file loaded from the command line.
    imported_by_name = models.CharField(_("imported by"), max_length=300)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    kind = models.CharField(_("kind of file"), max_length=20, choices=BackgroundFileKind.choices)
    rows = models.PositiveIntegerField(_("rows read"))
    added = models.PositiveIntegerField(_("figures added"))
    replaced = models.PositiveIntegerField(_("figures replaced"))
    source = models.CharField(_("source"), max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("import of background figures")
        verbose_name_plural = _("imports of background figures")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


class BackgroundFigure(models.Model):
    """One municipality's figure of one kind for one period: a year for the population at
    its end, a month for the jobseekers at its end."""

    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=BackgroundKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    value = models.PositiveIntegerField(_("value"))
    batch = models.ForeignKey(
        BackgroundImport,
        verbose_name=_("import"),
        on_delete=models.PROTECT,
        related_name="figures",
    )

    class Meta:
        ordering = ["kind", "-year", "-month", "municipality_id"]
        verbose_name = _("background figure")
        verbose_name_plural = _("background figures")
        # Two partial constraints rather than one: a yearly figure has no month, and NULLs
        # are distinct in a unique index.
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "year", "month"],
                condition=Q(month__isnull=False),
                name="one_monthly_background_figure",
            ),
            models.UniqueConstraint(
                fields=["municipality", "kind", "year"],
                condition=Q(month__isnull=True),
                name="one_yearly_background_figure",
            ),
            models.CheckConstraint(
                condition=(Q(kind=BackgroundKind.POPULATION) & Q(month__isnull=True))
                | (~Q(kind=BackgroundKind.POPULATION) & Q(month__gte=1) & Q(month__lte=12)),
                name="background_figure_period_fits_kind",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2999),
                name="background_figure_year_in_range",
            ),
        ]
        indexes = [models.Index(fields=["kind", "year", "month"], name="background_period")]

    def __str__(self) -> str:
        period = f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"
        return f"{self.municipality_id} {self.kind} {period}: {self.value}"
