"""Organisations, their units, professionals and memberships (DESIGN C1)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.validators import validate_business_id, validate_phone
from polku.core.models import EmploymentArea, Municipality, WellbeingCounty
from polku.core.names import NamedInLanguages
from polku.core.text import fold


class Organisation(NamedInLanguages):
    """A service provider, employer or other body whose professionals use Polku."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        blank=True,
        validators=[validate_business_id],
        help_text=_("Finnish business ID (Y-tunnus), e.g. 1234567-1."),
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT
    )
    wellbeing_county = models.ForeignKey(
        WellbeingCounty,
        verbose_name=_("wellbeing services county"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    employment_area = models.ForeignKey(
        EmploymentArea,
        verbose_name=_("employment area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_id"],
                condition=~Q(business_id=""),
                name="organisation_business_id_unique",
            ),
        ]


class Unit(NamedInLanguages):
    """A team, office or service point inside an organisation."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="units"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Where the unit works, if different from the organisation."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.localized_name} / {self.localized_name}"


SEARCH_NAME_LENGTH = 301


def name_key(last_name: str, first_name: str) -> str:
    """A professional's "last first" name folded for prefix search (``core.text.fold``)."""
    return fold(f"{last_name} {first_name}")[:SEARCH_NAME_LENGTH]


class User(AbstractUser):
    """A professional (or administrator) who signs in to Polku."""

    title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(
        _("work phone"),
        max_length=40,
        blank=True,
        validators=[validate_phone],
        help_text=_("Shown to colleagues on the teams you are on."),
    )
    # Kept by ``save()``; bulk inserts set it with ``name_key``.
    search_name = models.CharField(max_length=SEARCH_NAME_LENGTH, editable=False, default="")

    class Meta:
        verbose_name = _("professional")
        verbose_name_plural = _("professionals")
        ordering = ["last_name", "first_name"]
        indexes = [
            # Prefix search (``LIKE 'vir%'``): PostgreSQL uses a b-tree for it only with the
            # pattern operator class; other databases ignore the operator class.
            models.Index(
                fields=["search_name"],
                name="user_search_name",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = name_key(self.last_name, self.first_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def active_memberships(self) -> models.QuerySet[Membership]:
        return Membership.objects.active().filter(user=self)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: date | None = None) -> MembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__lte=on), Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        ).filter(organisation__is_active=True)


class Membership(models.Model):
    """A professional's role in an organisation (optionally a unit) for a period."""

    user = models.ForeignKey(
        User, verbose_name=_("professional"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_role_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="membership_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"

    def clean(self) -> None:
        if self.unit is not None and self.unit.organisation_id != self.organisation_id:
            raise ValidationError(
                {"unit": _("The unit must belong to the membership's organisation.")}
            )
