"""Programmes and the funded projects in them: funder and instrument, period, area,
administering and partner organisations, budget frame by year.

A project's staff are ``policy.ProjectRole`` rows (the ground of project work), written by
``project_services``; a programme's coordinators likewise.
"""

from __future__ import annotations

import uuid
from uuid import UUID

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation, User
from polku.core.models import Municipality
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.projects.enums import FundingInstrument


class FundingProgramme(models.Model):
    """A national theme or measure package (e.g. the Work Ability Programme, an ESF+
    specific objective) that funds projects."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="programme_period_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(models.QuerySet["Project"]):
    def readable_by(self, actor: Actor) -> ProjectQuerySet:
        """The projects the actor may read (staff, partners' staff, coordinators)."""
        return self.filter(decisions.readable_projects(actor))


class Project(models.Model):
    """A funded project: who funds it and how, when and where it runs, which organisation
    administers it and which take part."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        FundingProgramme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("funder's project code"),
        max_length=40,
        blank=True,
        help_text=_("The code the funder gave the project, e.g. in EURA 2021."),
    )
    funder = models.CharField(_("funder"), max_length=200)
    instrument = models.CharField(
        _("funding instrument"), max_length=16, choices=FundingInstrument.choices
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    description = models.TextField(_("description"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("administering organisation"),
        on_delete=models.PROTECT,
        related_name="administered_projects",
    )
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="partner_projects",
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("area"), blank=True, related_name="projects"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="project_period_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def programme_key(self) -> UUID:
        """The programme's public id, for the policy's coordinator roles."""
        return self.programme.public_id


class BudgetYear(models.Model):
    """The project's budget frame for one calendar year, in euros."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_years")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget (€)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("budget year")
        verbose_name_plural = _("budget years")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_budget_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"
