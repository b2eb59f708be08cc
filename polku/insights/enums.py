"""Choices of the insights app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BackgroundKind(models.TextChoices):
    """What a background figure counts in a municipality."""

    POPULATION = "population", _("Population at the end of the year")
    UNEMPLOYED = "unemployed", _("Unemployed jobseekers at the end of the month")
    LONG_TERM_UNEMPLOYED = (
        "long_term_unemployed",
        _("Long-term unemployed at the end of the month"),
    )

    @property
    def is_monthly(self) -> bool:
        return self != BackgroundKind.POPULATION


class BackgroundFileKind(models.TextChoices):
    """The layout of an imported file (``docs/background-figures.md``)."""

    POPULATION = "population", _("Population by year")
    JOBSEEKERS = "jobseekers", _("Jobseekers by month")
