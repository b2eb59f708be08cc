"""The grounds of access to a client's data: service relationships, consents, referral
grounds and the roles of professionals in funded projects.

A professional sees a client's data only through an active service relationship of their
own organisation, or through a valid consent that covers their organisation, the purpose
and the data category (``polku.policy.decisions``). These models hold those facts; the
client itself lives in ``polku.clients`` and is referenced by name, so that the policy
imports no feature app.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation, Unit, User
from polku.core.corrections import EndCorrection
from polku.policy.enums import (
    CONSENT_PURPOSES,
    ConsentMethod,
    ConsentRenewalReason,
    ConsentStatus,
    DataCategory,
    LegalBasis,
    ProjectRoleKind,
    Purpose,
    Register,
    RelationshipEndReason,
    WithdrawalMethod,
)

if TYPE_CHECKING:
    from polku.policy.actors import Actor


class ServiceRelationshipQuerySet(models.QuerySet["ServiceRelationship"]):
    def active(self, on: date | None = None) -> ServiceRelationshipQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(started_on__lte=on), Q(ended_on__isnull=True) | Q(ended_on__gte=on))

    def not_ended(self, on: date | None = None) -> ServiceRelationshipQuerySet:
        """Active or starting later: the ones a new relationship must not duplicate."""
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))


class ServiceRelationship(models.Model):
    """Asiakkuus: the client is a client of this organisation, in one register."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="service_relationships",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    register = models.CharField(_("register"), max_length=32, choices=Register.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=32, choices=LegalBasis.choices)
    started_on = models.DateField(_("start date"), default=timezone.localdate)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("why the relationship ended"),
        max_length=32,
        choices=RelationshipEndReason.choices,
        blank=True,
    )
    # Who recorded the end and when: a correction is possible for a while after this.
    ended_by = models.ForeignKey(
        User,
        verbose_name=_("end recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    end_recorded_at = models.DateTimeField(_("end recorded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ServiceRelationshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("service relationship")
        verbose_name_plural = _("service relationships")
        ordering = ["-started_on"]
        indexes = [
            models.Index(fields=["organisation", "client"], name="relationship_org_client"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="relationship_period_valid",
            ),
            models.UniqueConstraint(
                fields=["client", "organisation", "register"],
                condition=Q(ended_on__isnull=True),
                name="one_open_relationship_per_register",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_register_display()})"

    def is_active(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.started_on <= on and (self.ended_on is None or self.ended_on >= on)


class RelationshipRestoration(EndCorrection):
    """A service relationship ended by mistake was restored: the end it undid, and why.

    The relationship itself is open again; this row keeps the end as it was recorded, so
    that the history shows both the end and its correction."""

    relationship = models.ForeignKey(
        ServiceRelationship, on_delete=models.PROTECT, related_name="restorations"
    )
    end_reason = models.CharField(
        _("end reason that was undone"),
        max_length=32,
        choices=RelationshipEndReason.choices,
        blank=True,
    )

    class Meta(EndCorrection.Meta):
        verbose_name = _("restored service relationship")
        verbose_name_plural = _("restored service relationships")


class ConsentQuerySet(models.QuerySet["Consent"]):
    def valid(self, on: date | None = None) -> ConsentQuerySet:
        """Consents in force on the day: within their period and not withdrawn."""
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__lte=on),
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
            withdrawn_at__isnull=True,
        )

    def covering(self, category: DataCategory) -> ConsentQuerySet:
        return self.filter(categories__category=category)

    def visible_to(self, actor: Actor, *, purpose: Purpose | None = None) -> ConsentQuerySet:
        """The consents ``access_consent`` would open for ``VIEW``: those that concern the
        actor, of clients whose basic details the actor may see."""
        from polku.policy.decisions import visible_consents  # decisions reads these models

        return self.filter(
            visible_consents(actor, purpose=purpose), client__merged_into__isnull=True
        )


class Consent(models.Model):
    """The client allows an organisation's data to be disclosed to a recipient."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    discloser = models.ForeignKey(
        Organisation,
        verbose_name=_("disclosing organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty to cover all of the client's current service providers."),
    )
    recipient = models.ForeignKey(
        Organisation,
        verbose_name=_("recipient organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(
        _("purpose"), max_length=32, choices=[(p.value, p.label) for p in CONSENT_PURPOSES]
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    method = models.CharField(_("how given"), max_length=16, choices=ConsentMethod.choices)
    evidence = models.CharField(
        _("signed form"),
        max_length=200,
        blank=True,
        help_text=_("Where the signed consent form is archived (document or archive number)."),
    )
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("recorded in organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User,
        verbose_name=_("withdrawal recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_method = models.CharField(
        _("how the client withdrew it"),
        max_length=16,
        choices=WithdrawalMethod.choices,
        blank=True,
    )
    # A withdrawal is never undone: a consent withdrawn by mistake, or given again, is
    # recorded again as a new consent that names the withdrawn one.
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("recorded again in place of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    replacement_reason = models.CharField(
        _("why it was recorded again"),
        max_length=32,
        choices=ConsentRenewalReason.choices,
        blank=True,
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-valid_from", "-recorded_at"]
        indexes = [models.Index(fields=["recipient", "client"], name="consent_recipient_client")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="consent_period_valid",
            ),
            models.CheckConstraint(
                condition=~Q(discloser=models.F("recipient")),
                name="consent_discloser_is_not_recipient",
            ),
        ]

    def __str__(self) -> str:
        discloser = self.discloser or _("all service providers")
        return f"{discloser} → {self.recipient}"

    def status(self, on: date | None = None) -> ConsentStatus:
        on = on or timezone.localdate()
        if self.withdrawn_at is not None:
            return ConsentStatus.WITHDRAWN
        if self.valid_from > on:
            return ConsentStatus.NOT_YET_VALID
        if self.valid_until is not None and self.valid_until < on:
            return ConsentStatus.EXPIRED
        return ConsentStatus.VALID

    def is_valid(self, on: date | None = None) -> bool:
        return self.status(on) == ConsentStatus.VALID

    def category_labels(self) -> list[str]:
        return [str(DataCategory(scope.category).label) for scope in self.categories.all()]


class ConsentCategory(models.Model):
    """One data category a consent covers."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)

    class Meta:
        verbose_name = _("consent data category")
        verbose_name_plural = _("consent data categories")
        constraints = [
            models.UniqueConstraint(fields=["consent", "category"], name="consent_category_unique"),
        ]

    def __str__(self) -> str:
        return self.get_category_display()


class ReferralGrantQuerySet(models.QuerySet["ReferralGrant"]):
    def open(self, on: date | None = None) -> ReferralGrantQuerySet:
        """Grants whose referral has not ended and none of whose consents has lapsed."""
        on = on or timezone.localdate()
        lapsed = ReferralGrant.consents.through.objects.filter(
            referralgrant_id=models.OuterRef("pk")
        ).exclude(consent__in=Consent.objects.valid(on))
        return self.filter(ended_at__isnull=True).exclude(models.Exists(lapsed))

    def sharing(self, category: DataCategory) -> ReferralGrantQuerySet:
        return self.filter(categories__contains=f",{category},")


class ReferralGrant(models.Model):
    """The ground a referral gives its receiver: to read what the referral shares (and the
    referral itself), for the referral's purpose, until the referral is declined, completed
    or withdrawn, or a consent it was sent on lapses. Written by the referral services;
    ``public_id`` is the referral's own, so that the log names the referral."""

    public_id = models.UUIDField(unique=True, editable=False)
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="referral_grants"
    )
    sender = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(
        _("purpose"), max_length=32, choices=[(p.value, p.label) for p in CONSENT_PURPOSES]
    )
    # The shared categories between commas (",basic,plan,"), so one LIKE finds a category
    # on every database.
    categories = models.CharField(max_length=200)
    consents = models.ManyToManyField(Consent, blank=True, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = ReferralGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral ground")
        verbose_name_plural = _("referral grounds")
        indexes = [models.Index(fields=["receiver", "client"], name="referral_grant_receiver")]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.receiver_id} ({self.categories})"

    @staticmethod
    def encode(categories: list[str] | set[str]) -> str:
        return "," + ",".join(sorted(set(categories))) + ","


class ProjectRoleQuerySet(models.QuerySet["ProjectRole"]):
    def active(self, on: date | None = None) -> ProjectRoleQuerySet:
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )


class ProjectRole(models.Model):
    """A professional's part in a funded project (its manager or a worker, for one of the
    project's organisations) or in a programme (its coordinator): the ground of project
    work. Project staff read and keep the participant data of their project's
    participants — the sensitive details only when they work for the administering
    organisation — and a coordinator reads the figures of the programme's projects, never
    a participant. The project and programme are named by their public ids, so that the
    policy imports no feature app; ``polku.projects`` writes these rows.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User, verbose_name=_("professional"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("role"), max_length=16, choices=ProjectRoleKind.choices)
    project_key = models.UUIDField(null=True, blank=True, db_index=True)
    programme_key = models.UUIDField(null=True, blank=True, db_index=True)
    valid_from = models.DateField(_("from"), default=timezone.localdate)
    valid_until = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("project role")
        verbose_name_plural = _("project roles")
        indexes = [models.Index(fields=["user", "organisation"], name="project_role_user")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=ProjectRoleKind.COORDINATOR)
                    & Q(programme_key__isnull=False)
                    & Q(project_key__isnull=True)
                )
                | (
                    ~Q(kind=ProjectRoleKind.COORDINATOR)
                    & Q(project_key__isnull=False)
                    & Q(programme_key__isnull=True)
                ),
                name="project_role_names_project_or_programme",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="project_role_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.project_key or self.programme_key}"
