"""Research studies approved for the secondary use of Polku's data, and the extracts given
out for them.

A study names the controller that discloses (``organisation``), the permit it rests on,
the period of the data and the variables of the catalogue (``insights.research_variables``).
Its pseudonym key is 32 random bytes stored encrypted with the identity-code keys
(``clients.identity_storage``); it never leaves the server and is shown to no one. Every
extract is recorded with the SHA-256 of the file given out, and every person in it on the
access log (``insights.research_services``).
"""

from __future__ import annotations

import base64
import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation, User
from polku.clients import identity_storage
from polku.insights.enums import DateHandling, StudyState


class Study(models.Model):
    """An approved (or not yet approved) study that may receive pseudonymised extracts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("study id"),
        max_length=60,
        unique=True,
        help_text=_("The id the permit gives the study, e.g. THL/1234/2026."),
    )
    title = models.CharField(_("title"), max_length=300)
    purpose = models.TextField(_("purpose of the study"))
    approver = models.CharField(
        _("approved by"),
        max_length=200,
        help_text=_("The ethics committee or the data permit authority that approved it."),
    )
    decision_reference = models.CharField(_("decision reference"), max_length=100)
    decision_date = models.DateField(_("decision date"))
    data_from = models.DateField(_("data from"))
    data_until = models.DateField(_("data until"))
    variables = models.JSONField(_("variables"), default=list)
    date_handling = models.CharField(
        _("dates"), max_length=8, choices=DateHandling.choices, default=DateHandling.SHIFT
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("disclosing organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closes_on = models.DateField(
        _("extracts may be made until"),
        null=True,
        blank=True,
        help_text=_("The last day of the permit; leave empty when it names none."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=StudyState.choices, default=StudyState.DRAFT
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The pseudonym key, Fernet-encrypted; read only through ``pseudonym_key``.
    key_encrypted = models.TextField(editable=False)

    class Meta:
        verbose_name = _("research study")
        verbose_name_plural = _("research studies")
        ordering = ["-recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(data_until__gte=F("data_from")), name="study_data_range_in_order"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("recorded_by")),
                name="study_not_approved_by_its_recorder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_draft(self) -> bool:
        return self.state == StudyState.DRAFT

    @property
    def is_approved(self) -> bool:
        return self.state == StudyState.APPROVED

    def set_pseudonym_key(self, key: bytes) -> None:
        self.key_encrypted = identity_storage.encrypt(base64.b64encode(key).decode())

    def pseudonym_key(self) -> bytes:
        """The study's 32-byte key; for ``insights.pseudonyms`` only."""
        return base64.b64decode(identity_storage.decrypt(self.key_encrypted))


class ResearchExtract(models.Model):
    """One file given out for a study: who made it, when, how many persons and rows it
    holds, and the SHA-256 of the file, by which the study's copy can be recognised."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="extracts")
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(_("made at"))
    persons = models.PositiveIntegerField(_("persons"))
    rows = models.PositiveIntegerField(_("rows"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)

    class Meta:
        verbose_name = _("research extract")
        verbose_name_plural = _("research extracts")
        ordering = ["-made_at", "pk"]

    def __str__(self) -> str:
        return f"{self.study.code} {self.made_at:%d.%m.%Y %H:%M}"
