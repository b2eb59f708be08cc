"""Instrument versions, measurement schedules, administrations and answer links.

An administration keeps the instrument version it was answered with forever: a later
version of the definition never changes how an earlier answer is shown or scored.
"""

from __future__ import annotations

import uuid
from functools import cached_property

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation, User
from polku.clients.models import Client
from polku.measures.definitions import Definition, parse_definition
from polku.measures.enums import AdministrationStatus, Channel, Delivery, Occasion, Respondent
from polku.measures.querysets import AdministrationQuerySet
from polku.pathways.models import Episode, Programme
from polku.policy.enums import Register


class InstrumentVersion(models.Model):
    """One version of an instrument's definition, as loaded, imported or edited."""

    code = models.SlugField(_("code"), max_length=64)
    version = models.CharField(_("version"), max_length=32)
    definition_data = models.JSONField()
    # Item wording entered from a licensed source for a template shipped without it:
    # {item code: {language: text}}.
    entered_texts = models.JSONField(default=dict, blank=True)
    source = models.CharField(_("source"), max_length=32, default="file")
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["code", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"

    @classmethod
    def latest_in_use(
        cls, *, scored_only: bool = False, answerable_only: bool = False
    ) -> dict[str, InstrumentVersion]:
        """The newest version in use of each instrument, by code, in one query; with
        ``scored_only``, only instruments whose answers give a total; with
        ``answerable_only``, only those with their wording (a template's entered)."""
        latest: dict[str, InstrumentVersion] = {}
        for version in cls.objects.filter(is_active=True).order_by("created_at"):
            latest[version.code] = version
        return {
            code: version
            for code, version in sorted(latest.items())
            if (not scored_only or version.definition.scoring.method != "none")
            and (not answerable_only or version.answerable)
        }

    @cached_property
    def definition(self) -> Definition:
        return parse_definition(self.definition_data)

    @property
    def title(self) -> str:
        from polku.measures.texts import localized

        return localized(self.definition.title)

    def item_text(self, code: str, *, plain: bool = False) -> dict[str, str]:
        item = self.definition.item(code)
        if plain and item.plain_text:
            return dict(item.plain_text)
        return dict(item.text) or dict(self.entered_texts.get(code, {}))

    @property
    def respondent_label(self) -> str:
        return str(Respondent(self.definition.respondent).label)

    @property
    def answerable(self) -> bool:
        """Every item has wording, shipped or entered."""
        return all(self.item_text(item.code) for item in self.definition.items)


class Schedule(models.Model):
    """Which instrument is due when in a programme's episodes."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="+"
    )
    instrument_code = models.SlugField(_("instrument"), max_length=64)
    occasion = models.CharField(_("when"), max_length=16, choices=Occasion.choices)
    months = models.PositiveSmallIntegerField(
        _("months"), default=0, help_text=_("Every N months (periodic) or N months after exit.")
    )

    class Meta:
        verbose_name = _("measurement schedule")
        verbose_name_plural = _("measurement schedules")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "instrument_code", "occasion", "months"],
                name="schedule_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_code} {self.get_occasion_display()}"


class Administration(models.Model):
    """One answering of one instrument by or about one client."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="administrations")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="administrations"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The owner's register the answers are kept in (its episode's, or the relationship's).
    register = models.CharField(_("register"), max_length=32, choices=Register.choices)
    instrument = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="administrations"
    )
    occasion = models.CharField(_("when"), max_length=16, choices=Occasion.choices)
    channel = models.CharField(_("how"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        max_length=16, choices=AdministrationStatus.choices, default=AdministrationStatus.DRAFT
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    total = models.FloatField(null=True, blank=True)
    subscale_scores = models.JSONField(default=dict, blank=True)
    band = models.CharField(max_length=32, blank=True)
    prorated = models.BooleanField(default=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    rated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["completed_at", "created_at"]
        indexes = [
            models.Index(fields=["client", "instrument"], name="administration_client"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="complete") | Q(completed_at__isnull=False),
                name="complete_administration_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.get_occasion_display()}"


class AnswerLink(models.Model):
    """A single-use, expiring link for the client to answer without signing in.

    Only the SHA-256 of the token is stored; the token itself exists only in the link.
    """

    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("answer link")
        verbose_name_plural = _("answer links")

    def __str__(self) -> str:
        return f"link for {self.administration_id}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class LinkDelivery(models.Model):
    """One sending of an answer link to the client's e-mail address or mobile number on
    file. The address itself is not kept here: it is the client's contact detail, which
    may change. The rows count the messages sent, for the limits on sending."""

    link = models.ForeignKey(AnswerLink, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("sent as"), max_length=8, choices=Delivery.choices)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer link message")
        verbose_name_plural = _("answer link messages")
        indexes = [models.Index(fields=["sent_by", "sent_at"], name="link_delivery_sender")]

    def __str__(self) -> str:
        return f"{self.channel} {self.sent_at:%Y-%m-%d %H:%M}"
