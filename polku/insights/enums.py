"""Choices of the insights app: the states of a research study and how its dates are given."""

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
