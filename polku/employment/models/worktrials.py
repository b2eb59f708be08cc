"""Work trials (työkokeilu): a client tries work at a host employer's workplace for a
period, with tasks and areas to observe; the host rates the areas through a single-use
feedback link, and the client rates them through the self-rating questionnaire.

A trial is client data of the category "employment", owned by its coaching's organisation
and kept in its register, like the coaching. Its feedback link and the host's feedback are
the trial's data (same owner and register). Read and written only through
``worktrial_selectors``/``worktrial_services`` and ``access.access_work_trial``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation, User
from polku.clients.models import Client
from polku.employment.models.coaching import Coaching
from polku.employment.models.employers import Employer, EmployerContactPerson
from polku.employment.worktrial_enums import (
    FEEDBACK_LINK_DAYS,
    LinkState,
    TrialPurpose,
    default_areas,
)
from polku.measures.models import Administration
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import DataCategory, Purpose, Register


class WorkTrialQuerySet(models.QuerySet["WorkTrial"]):
    def visible_to(
        self, actor: Actor, *, purpose: Purpose | None = None, on: date | None = None
    ) -> WorkTrialQuerySet:
        """Work trials whose employment data the actor may read: its owner's, in its
        register (a link holder: its link's client and owner, narrowed by the caller)."""
        return self.filter(
            decisions.visible_records(actor, DataCategory.EMPLOYMENT, purpose=purpose, on=on),
            decisions.reached(actor, self.model),
            client__merged_into__isnull=True,
        )


class WorkTrial(models.Model):
    """A work trial of one client at one host employer, within a job coaching."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="work_trials"
    )
    coaching = models.ForeignKey(
        Coaching,
        verbose_name=_("job coaching"),
        on_delete=models.PROTECT,
        related_name="work_trials",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    register = models.CharField(_("register"), max_length=32, choices=Register.choices)
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("host employer"),
        on_delete=models.PROTECT,
        related_name="work_trials",
    )
    workplace = models.CharField(
        _("workplace"),
        max_length=200,
        blank=True,
        help_text=_("The site or department where the trial takes place."),
    )
    contact_person = models.ForeignKey(
        EmployerContactPerson,
        verbose_name=_("host's contact person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    tasks = models.TextField(_("tasks"))
    purpose = models.CharField(_("purpose"), max_length=32, choices=TrialPurpose.choices)
    # [{"code": "punctuality", "label": ""}, …, {"code": "custom-1", "label": "Asiakaspalvelu"}]
    areas = models.JSONField(_("areas to observe"), default=default_areas)
    self_rating = models.ForeignKey(
        Administration,
        verbose_name=_("client's self-rating"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkTrialQuerySet.as_manager()

    class Meta:
        verbose_name = _("work trial")
        verbose_name_plural = _("work trials")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="work_trial_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer} {self.starts_on}–{self.ends_on}"

    @property
    def area_codes(self) -> list[str]:
        return [area["code"] for area in self.areas]


def link_expiry() -> datetime:
    return timezone.now() + timedelta(days=FEEDBACK_LINK_DAYS)


class FeedbackLink(models.Model):
    """A single-use, expiring link for the host's contact person to give feedback on the
    trial without an account. Only the SHA-256 of the token is stored; the token itself
    exists only in the link. One usable link per trial at a time: a new one withdraws the
    old."""

    trial = models.ForeignKey(
        WorkTrial, verbose_name=_("work trial"), on_delete=models.CASCADE, related_name="links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    contact_person = models.ForeignKey(
        EmployerContactPerson,
        verbose_name=_("sent to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires at"), default=link_expiry)
    submitted_at = models.DateTimeField(_("feedback sent at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback link")
        verbose_name_plural = _("feedback links")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trial"],
                condition=Q(submitted_at__isnull=True, withdrawn_at__isnull=True),
                name="one_open_feedback_link_per_trial",
            )
        ]

    def __str__(self) -> str:
        return f"feedback link for {self.trial_id}"

    def state(self, now: datetime | None = None) -> LinkState:
        """The link's own state (the consent it rests on is the policy's question)."""
        if self.withdrawn_at is not None:
            return LinkState.WITHDRAWN
        if self.submitted_at is not None:
            return LinkState.USED
        if self.expires_at <= (now or timezone.now()):
            return LinkState.EXPIRED
        return LinkState.USABLE


class EmployerFeedback(models.Model):
    """The host's ratings (1–5 for each area code) and comments, saved as a draft until
    submitted; given through one link."""

    link = models.OneToOneField(
        FeedbackLink,
        verbose_name=_("feedback link"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    ratings = models.JSONField(_("ratings"), default=dict)
    comments = models.JSONField(_("comments"), default=dict)
    overall = models.TextField(_("overall comment"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("employer feedback")
        verbose_name_plural = _("employer feedback")

    def __str__(self) -> str:
        return f"feedback on {self.link_id}"
