"""Placements (työpaikat): a job with an employer, or studies at an educational
institution, that a client in job coaching starts and ends.

A placement is client data of the category "employment", owned by its coaching's
organisation and kept in its register; it is read and written only through
``placement_selectors`` and ``placement_services``.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation, User
from polku.clients.models import Client
from polku.core.models import Occupation
from polku.employment.models.coaching import Coaching
from polku.employment.models.employers import Employer
from polku.employment.placement_enums import EndReason, PlacementKind, PlacementTerms
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import DataCategory, Purpose, Register


class PlacementQuerySet(models.QuerySet["Placement"]):
    def jobs(self) -> PlacementQuerySet:
        return self.filter(kind=PlacementKind.JOB)

    def held_on(self, day: date) -> PlacementQuerySet:
        """The placements that had started on ``day`` and not ended before it."""
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )

    def visible_to(
        self, actor: Actor, *, purpose: Purpose | None = None, on: date | None = None
    ) -> PlacementQuerySet:
        """Placements whose employment data the actor may read: its owner's, in its register."""
        return self.filter(
            decisions.visible_records(actor, DataCategory.EMPLOYMENT, purpose=purpose, on=on),
            decisions.reached(actor, self.model),
            client__merged_into__isnull=True,
        )


class Placement(models.Model):
    """A job (or studies) of a client in job coaching: where, what, on which terms, for how
    many hours, from when to when, the supports agreed with the employer, and why it ended.

    ``client``, ``organisation`` and ``register`` repeat the coaching's, so that the policy
    decides on a placement as on its coaching.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coaching = models.ForeignKey(
        Coaching,
        verbose_name=_("job coaching"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="placements"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    register = models.CharField(_("register"), max_length=32, choices=Register.choices)
    kind = models.CharField(_("kind of placement"), max_length=16, choices=PlacementKind.choices)
    # For studies, the educational institution (kept in the employer register).
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="placements"
    )
    occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    terms = models.CharField(
        _("terms"), max_length=16, choices=PlacementTerms.choices, blank=True, default=""
    )
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    started_on = models.DateField(_("start date"), default=timezone.localdate)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    supports_agreed = models.TextField(_("supports agreed with the employer"), blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=32, choices=EndReason.choices, blank=True, default=""
    )
    end_note = models.CharField(_("note on the ending"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="placement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(end_reason=""))
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="placement_end_reason_iff_ended",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | (Q(hours_per_week__gt=0) & Q(hours_per_week__lte=60)),
                name="placement_hours_in_range",
            ),
            models.CheckConstraint(
                condition=(Q(kind=PlacementKind.EDUCATION) & Q(terms=""))
                | (
                    Q(kind=PlacementKind.JOB)
                    & Q(occupation__isnull=False)
                    & Q(hours_per_week__isnull=False)
                    & ~Q(terms="")
                ),
                name="placement_job_has_occupation_terms_hours",
            ),
        ]
        indexes = [
            models.Index(fields=["coaching", "kind", "started_on"], name="placement_coaching"),
        ]

    def __str__(self) -> str:
        return f"{self.employer} {self.started_on}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    @property
    def is_job(self) -> bool:
        return self.kind == PlacementKind.JOB
