"""The access log: who read or changed which client's data, when, why and from where.

Rows are appended without any shared lock: each takes the next number of a database
sequence inside the transaction of the read or write it records, so concurrent requests
never wait for each other. Numbers are therefore committed out of order, and a
rolled-back transaction leaves a gap. Rows are append-only (on PostgreSQL triggers refuse
UPDATE, DELETE and TRUNCATE, and the application's database role holds only INSERT and
SELECT) and are sealed afterwards by ``audit.sealing``: a keyed chain over the committed
rows in number order, so that a changed, removed or inserted row is found.

A row names its actor, organisation and owner by id *and* name, without foreign-key
constraints: the log outlives the people and organisations it names, and checking a
constraint on every append would lock the referenced rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation
from polku.audit.enums import AuditEvent
from polku.policy.actors import ActorKind
from polku.policy.enums import Action, BasisKind, DataCategory, Purpose, Register


class AccessLogEntry(models.Model):
    """One access to one client's data. Never updated, never deleted."""

    # On PostgreSQL a trigger assigns the number from ``audit_accesslog_sequence`` after
    # making sure the transaction has its id, which the sealing horizon relies on.
    sequence = models.BigAutoField(_("number"), primary_key=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor_kind = models.CharField(
        _("kind of actor"), max_length=16, choices=ActorKind.choices, default=ActorKind.PROFESSIONAL
    )
    # ``Actor.log_id``: a user id, the client's public id, a link's object, an API client's
    # or a system job's name.
    actor_id = models.CharField(_("actor"), max_length=200, blank=True)
    actor_name = models.CharField(_("name"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    client_public_id = models.UUIDField(_("client"), db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    # One of ``AuditEvent``'s values, written by services only. Not declared as choices,
    # so that a capability adding an event adds no migration of the log's table;
    # ``event_label`` names it.
    event = models.CharField(_("event"), max_length=32, blank=True)
    categories = models.CharField(_("data categories"), max_length=200)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    owner_name = models.CharField(_("owner"), max_length=200, blank=True)
    register = models.CharField(_("register"), max_length=32, choices=Register.choices, blank=True)
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices, blank=True)
    basis = models.CharField(_("basis"), max_length=32, choices=BasisKind.choices, blank=True)
    basis_public_id = models.UUIDField(_("basis reference"), null=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    path = models.CharField(_("page"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("access-log entry")
        verbose_name_plural = _("access-log entries")
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["client_public_id", "-sequence"], name="audit_client_recent"),
            # The client's log page filtered by a period.
            models.Index(fields=["client_public_id", "occurred_at"], name="audit_client_period"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.actor_name} {self.action} {self.client_public_id}"

    def event_label(self) -> str:
        """The event in words ("" for none; an unknown value as it is)."""
        if self.event in AuditEvent.values:
            return str(AuditEvent(self.event).label)
        return self.event

    def category_labels(self) -> list[str]:
        return [str(DataCategory(code).label) for code in self.categories.split(",") if code]


class AccessLogSeal(models.Model):
    """A keyed seal over the log rows numbered ``first_sequence``..``last_sequence``.

    ``row_macs`` holds a truncated HMAC of each row in the range, in number order (so that
    a verifier names the first changed row); ``gaps`` lists the numbers in the range that
    no committed row holds (rolled-back transactions). ``mac`` is the HMAC over all of it
    and the previous seal's ``mac``: the seals form one chain. ``key_id`` names the key.
    """

    number = models.BigAutoField(_("number"), primary_key=True)
    first_sequence = models.BigIntegerField(unique=True)
    last_sequence = models.BigIntegerField()
    row_count = models.PositiveIntegerField()
    gaps = models.JSONField(default=list)
    row_macs = models.BinaryField()
    previous_mac = models.CharField(max_length=64)
    mac = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(max_length=16)
    sealed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("access-log seal")
        verbose_name_plural = _("access-log seals")
        ordering = ["first_sequence"]

    def __str__(self) -> str:
        return f"seal {self.first_sequence}-{self.last_sequence}"


class SealingCheckpoint(models.Model):
    """What the sequence had handed out when the sealing task last looked, and the
    PostgreSQL snapshot then: once every transaction of that snapshot has ended, no row
    numbered up to ``last_sequence`` can still be committed, and the rows can be sealed.
    Working state of the task, not evidence: changing it can only delay sealing."""

    taken_at = models.DateTimeField()
    last_sequence = models.BigIntegerField()
    snapshot_xmax = models.BigIntegerField()

    def __str__(self) -> str:
        return f"checkpoint {self.last_sequence}"
