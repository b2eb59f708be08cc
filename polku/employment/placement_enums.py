"""Placement vocabulary: what kind of place, on what terms, and why it ended."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlacementKind(models.TextChoices):
    """A job with an employer, or studies at an educational institution (which IPS
    counts as "in education")."""

    JOB = "job", _("Job")
    EDUCATION = "education", _("Education")


class PlacementTerms(models.TextChoices):
    """On what terms a job is held: the open labour market, or subsidised."""

    OPEN_MARKET = "open_market", _("Open labour market")
    PAY_SUBSIDY = "pay_subsidy", _("Pay subsidy")
    OTHER_SUPPORT = "other_support", _("Other support")


class EndReason(models.TextChoices):
    FIXED_TERM_ENDED = "fixed_term_ended", _("Fixed term ended")
    RESIGNED = "resigned", _("Resigned")
    DISMISSED = "dismissed", _("Dismissed")
    HEALTH = "health", _("Health reasons")
    MOVED_TO_OTHER_JOB = "moved_to_other_job", _("Moved to another job")
    STUDIES_COMPLETED = "studies_completed", _("Studies completed")
    STUDIES_INTERRUPTED = "studies_interrupted", _("Studies interrupted")
    OTHER = "other", _("Other")


# Hours a week a job may be recorded with: more than none, at most this.
MAX_HOURS_PER_WEEK = 60
# How far ahead a placement may be recorded to start (an agreed job that begins soon).
MAX_DAYS_AHEAD = 60
# A job kept this many days counts as kept in the figures.
KEPT_DAYS = 90
