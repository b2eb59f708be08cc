from django.db import models
from django.utils.translation import gettext_lazy as _


class AdministrationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETE = "complete", _("Complete")
    CANCELLED = "cancelled", _("Cancelled")


class Occasion(models.TextChoices):
    """When in the pathway a measurement is taken."""

    BASELINE = "baseline", _("At the start")
    PERIODIC = "periodic", _("Periodic follow-up")
    EXIT = "exit", _("At exit")
    AFTER_EXIT = "after_exit", _("After exit")
    AD_HOC = "ad_hoc", _("Separate measurement")


class Channel(models.TextChoices):
    LINK = "link", _("Client answered through a link")
    TOGETHER = "together", _("Answered together with a professional")
    OBSERVER = "observer", _("Professional's rating")
    EXTERNAL = "external", _("Result recorded from another service")


class Respondent(models.TextChoices):
    """Who answers an instrument (``Definition.respondent``)."""

    CLIENT = "client", _("The client")
    PROFESSIONAL = "professional", _("A professional")
    EMPLOYER = "employer", _("The employer")
    EXTERNAL = "external", _("Another service")


class Delivery(models.TextChoices):
    """How an answer link was sent to the client's contact on file."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")
