"""Choices of funded projects: funding, the ESF+ participant data, and the status of the
goals, actions, results and plans a project follows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingInstrument(models.TextChoices):
    ESF_PLUS = "esf_plus", _("European Social Fund Plus (ESF+)")
    STATE_GRANT = "state_grant", _("State grant")
    OTHER = "other", _("Other funding")


class LabourStatus(models.TextChoices):
    """Labour-market status at entry, as ESF+ counts it (Regulation (EU) 2021/1057,
    Annex I): the long-term unemployed are among the unemployed, and the employed include
    the self-employed."""

    UNEMPLOYED = "unemployed", _("Unemployed (less than 12 months)")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("Long-term unemployed (12 months or more)")
    INACTIVE = "inactive", _("Outside the labour force")
    EMPLOYED = "employed", _("Employed, including self-employed")


UNEMPLOYED_STATUSES = frozenset({LabourStatus.UNEMPLOYED, LabourStatus.LONG_TERM_UNEMPLOYED})


class EducationLevel(models.TextChoices):
    """The highest completed level of education, as ISCED 2011."""

    ISCED_0 = "0", _("ISCED 0: early childhood education or none")
    ISCED_1 = "1", _("ISCED 1: primary education")
    ISCED_2 = "2", _("ISCED 2: lower secondary (basic education)")
    ISCED_3 = "3", _("ISCED 3: upper secondary (general or vocational)")
    ISCED_4 = "4", _("ISCED 4: post-secondary non-tertiary")
    ISCED_5 = "5", _("ISCED 5: short-cycle tertiary")
    ISCED_6 = "6", _("ISCED 6: bachelor's or equivalent")
    ISCED_7 = "7", _("ISCED 7: master's or equivalent")
    ISCED_8 = "8", _("ISCED 8: doctoral or equivalent")


class SensitiveAnswer(models.TextChoices):
    """An answer to a sensitive question, which the client may decline to give."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    DECLINED = "declined", _("Declined to answer")


class ProgressStatus(models.TextChoices):
    """Where a goal's action or result, or a plan's row, stands."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    AT_RISK = "at_risk", _("Delayed or at risk")
    DONE = "done", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class EvidenceKind(models.TextChoices):
    NONE = "", _("No evidence yet")
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")
    LIVE_FIGURE = "live_figure", _("Live figure from Polku")
