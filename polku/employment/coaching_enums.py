"""Job-coaching vocabulary: stages and their allowed moves, contacts, transitions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Where the client is in supported employment (IPS): a vocational profile first, then
    the job search, then work with follow-along support; ended when the coaching ends."""

    VOCATIONAL_PROFILE = "vocational_profile", _("Vocational profile")
    JOB_SEARCH = "job_search", _("Job search")
    IN_WORK = "in_work", _("In work, follow-along support")
    ENDED = "ended", _("Ended")


# The moves ``change_stage`` makes. Only forward, except back from work to the job search
# when a job ends. A coaching reaches ``ENDED`` only through ``end_coaching``, which
# records the transition.
STAGE_TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.VOCATIONAL_PROFILE: frozenset({Stage.JOB_SEARCH, Stage.IN_WORK}),
    Stage.JOB_SEARCH: frozenset({Stage.IN_WORK}),
    Stage.IN_WORK: frozenset({Stage.JOB_SEARCH}),
    Stage.ENDED: frozenset(),
}


class ContactKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone call")
    MESSAGE = "message", _("Message")
    AT_WORKPLACE = "at_workplace", _("At the workplace")
    OTHER = "other", _("Other")


class TransitionKind(models.TextChoices):
    """Where the client went (siirtymä), at the end of coaching and at the follow-ups."""

    OPEN_MARKET_WORK = "open_market_work", _("Work in the open labour market")
    SUBSIDISED_WORK = "subsidised_work", _("Subsidised work")
    SELF_EMPLOYMENT = "self_employment", _("Self-employment")
    EDUCATION = "education", _("Education")
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    OTHER_SERVICES = "other_services", _("Other services")
    PENSION = "pension", _("Pension")
    UNEMPLOYED = "unemployed", _("Unemployed")
    UNKNOWN = "unknown", _("Not known")


# The transitions counted as work in the share-in-work figures.
IN_WORK_KINDS = frozenset(
    {
        TransitionKind.OPEN_MARKET_WORK,
        TransitionKind.SUBSIDISED_WORK,
        TransitionKind.SELF_EMPLOYMENT,
    }
)


class Occasion(models.TextChoices):
    EXIT = "exit", _("At exit")
    MONTHS_3 = "months_3", _("3 months after exit")
    MONTHS_6 = "months_6", _("6 months after exit")


# Months after the end of coaching at which each follow-up falls due.
FOLLOW_UP_MONTHS: dict[Occasion, int] = {Occasion.MONTHS_3: 3, Occasion.MONTHS_6: 6}
