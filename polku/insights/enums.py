"""Choices of the insights app: the kinds of background figures and their files, the
states of a research study and how an extract gives its dates."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StudyState(models.TextChoices):
    """A study is recorded as a draft, approved by an administrator (who checked the
    permit), and closed when it ends; only an approved study gets extracts."""

    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")


# The moves a study's state may make.
STUDY_TRANSITIONS = {
    StudyState.DRAFT: frozenset({StudyState.APPROVED, StudyState.CLOSED}),
    StudyState.APPROVED: frozenset({StudyState.CLOSED}),
    StudyState.CLOSED: frozenset(),
}


class DateHandling(models.TextChoices):
    """How the dates of an extract are given: shifted per person (intervals survive) or
    coarsened to the month."""

    SHIFT = "shift", _("Shifted per person by up to 30 days")
    MONTH = "month", _("Coarsened to the month")


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
