"""Employers (shared master data) and the coaches' engagement log with them.

Employers are not client data: they are organisations a job coach works with, shared by
every organisation in Polku, so that two coaches do not keep two records of one firm. The
engagement log (``EmployerContact``) belongs to the coach's organisation: another
organisation's coaches never see whom this one has met or why.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation, User
from polku.accounts.validators import validate_business_id, validate_phone
from polku.core.models import Industry, Municipality
from polku.core.text import fold

EMPLOYER_SEARCH_NAME_LENGTH = 200


class SizeBand(models.TextChoices):
    """Employees at the employer, in Statistics Finland's usual bands."""

    MICRO = "1-9", _("1–9 employees")
    SMALL = "10-49", _("10–49 employees")
    MEDIUM = "50-249", _("50–249 employees")
    LARGE = "250+", _("250 or more employees")


class ContactMode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video call")
    EMAIL = "email", _("E-mail")


class ContactPurpose(models.TextChoices):
    JOB_DEVELOPMENT = "job_development", _("Job development")
    FOLLOW_ALONG = "follow_along", _("Follow-along support")
    PLACEMENT = "placement", _("Placement")
    WORK_TRIAL = "work_trial", _("Work trial")
    OTHER = "other", _("Other")


def employer_name_key(name: str) -> str:
    """An employer's name folded for prefix search (``core.text.fold``)."""
    return fold(name)[:EMPLOYER_SEARCH_NAME_LENGTH]


class Employer(models.Model):
    """An employer organisation (a firm, a public body, an association) that job coaches
    develop jobs with and place clients in."""

    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        blank=True,
        validators=[validate_business_id],
        help_text=_("Finnish business ID (Y-tunnus), e.g. 1234567-1."),
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    size_band = models.CharField(
        _("size"), max_length=8, choices=SizeBand.choices, blank=True, default=""
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    # An employer whose own people use Polku (an organisation of kind "employer") may be
    # linked to it, so that employer feedback forms and ratings can later name the same
    # employer. Optional: most employers never use Polku themselves.
    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation in Polku"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employer",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Kept by ``save()``.
    search_name = models.CharField(
        max_length=EMPLOYER_SEARCH_NAME_LENGTH, editable=False, default=""
    )

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_id"],
                condition=~Q(business_id=""),
                name="employer_business_id_unique",
                violation_error_message=_(
                    "An employer with this business ID is already registered."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["search_name"],
                name="employer_search_name",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = employer_name_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)


class EmployerContactPerson(models.Model):
    """Someone at an employer whom coaches deal with: a manager, a supervisor, HR."""

    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.CASCADE,
        related_name="contact_people",
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}" if self.title else self.name


class EmployerContact(models.Model):
    """One contact of a coach with an employer: the engagement log's row. Owned by the
    organisation the coach acted for."""

    date = models.DateField(_("date"))
    coach = models.ForeignKey(
        User, verbose_name=_("coach"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="contacts"
    )
    # Must belong to ``employer``; the service checks it (the database cannot across tables).
    contact_person = models.ForeignKey(
        EmployerContactPerson,
        verbose_name=_("contact person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    mode = models.CharField(_("mode"), max_length=16, choices=ContactMode.choices)
    purpose = models.CharField(_("purpose"), max_length=16, choices=ContactPurpose.choices)
    result = models.TextField(_("result"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    next_step_date = models.DateField(_("date of next step"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "coach", "date"], name="employer_contact_coach"),
            models.Index(fields=["employer", "organisation", "date"], name="employer_contact_log"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.employer}"
