"""The access log: who read or changed which client's data, when, why and from where.

Rows are append-only (on PostgreSQL a trigger refuses UPDATE and DELETE) and
hash-chained: each row's hash covers its own content and the previous row's hash, so a
changed, removed or inserted row breaks the chain at that point. ``AccessLogHead`` holds
the newest hash; appending locks it, which orders concurrent writers.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation, User
from polku.policy.enums import Action, BasisKind, DataCategory, Purpose

GENESIS_HASH = "0" * 64


class AccessLogEntry(models.Model):
    """One access to one client's data. Never updated, never deleted."""

    # Assigned by ``audit.services.record`` under the head lock, so that the hash can cover it.
    sequence = models.BigIntegerField(_("number"), primary_key=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("professional"), on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("name"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    client_public_id = models.UUIDField(_("client"), db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    categories = models.CharField(_("data categories"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices, blank=True)
    basis = models.CharField(_("basis"), max_length=32, choices=BasisKind.choices, blank=True)
    basis_public_id = models.UUIDField(_("basis reference"), null=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    path = models.CharField(_("page"), max_length=500, blank=True)
    previous_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("access-log entry")
        verbose_name_plural = _("access-log entries")
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["client_public_id", "-sequence"], name="audit_client_recent")
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.actor_name} {self.action} {self.client_public_id}"

    def category_labels(self) -> list[str]:
        return [str(DataCategory(code).label) for code in self.categories.split(",") if code]


class AccessLogHead(models.Model):
    """The single row that holds the newest entry's hash; locked while appending."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single")]

    def __str__(self) -> str:
        return f"head #{self.last_sequence}"
