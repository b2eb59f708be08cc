"""Job coaching (työhönvalmennus): a coaching attached to an episode, its stages, the
coach's contacts with the client, and the transitions recorded at its end and after.

A coaching is client data of the category "employment", owned by the organisation of its
episode (the coach's organisation) and kept in the episode's register. It is read and
written only through ``coaching_selectors`` and ``coaching_services``.
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
from polku.employment.coaching_enums import ContactKind, Occasion, Stage, TransitionKind
from polku.pathways.models import Episode
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import DataCategory, Purpose, Register


class CoachingQuerySet(models.QuerySet["Coaching"]):
    def open(self) -> CoachingQuerySet:
        return self.filter(ended_on__isnull=True)

    def visible_to(
        self, actor: Actor, *, purpose: Purpose | None = None, on: date | None = None
    ) -> CoachingQuerySet:
        """Coachings whose employment data the actor may read: its owner's, in its register."""
        return self.filter(
            decisions.visible_records(actor, DataCategory.EMPLOYMENT, purpose=purpose, on=on),
            decisions.reached(actor, self.model),
            client__merged_into__isnull=True,
        )


class Coaching(models.Model):
    """Job coaching of one client in one episode, by one job coach.

    ``stage``, ``stage_started_on`` and ``last_contact_on`` repeat the latest
    ``CoachingStage`` and ``CoachingContact``: the services keep them in step, so that the
    coach's caseload is read in one query whatever its size.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="coachings"
    )
    episode = models.ForeignKey(
        Episode, verbose_name=_("episode"), on_delete=models.PROTECT, related_name="coachings"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    register = models.CharField(_("register"), max_length=32, choices=Register.choices)
    coach = models.ForeignKey(
        User, verbose_name=_("job coach"), on_delete=models.PROTECT, related_name="coachings"
    )
    started_on = models.DateField(_("start date"), default=timezone.localdate)
    stage = models.CharField(
        _("stage"), max_length=32, choices=Stage.choices, default=Stage.VOCATIONAL_PROFILE
    )
    stage_started_on = models.DateField(_("stage started on"), default=timezone.localdate)
    job_preferences = models.TextField(_("job preferences"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    supports_needed = models.TextField(_("supports needed"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step by"), null=True, blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    ended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CoachingQuerySet.as_manager()

    class Meta:
        verbose_name = _("job coaching")
        verbose_name_plural = _("job coachings")
        ordering = ["-started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(ended_on__isnull=True),
                name="one_open_coaching_per_episode",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="coaching_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["coach", "ended_on"], name="coaching_caseload")]

    def __str__(self) -> str:
        return f"{self.client} ({self.get_stage_display()})"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    def days_in_stage(self, on: date | None = None) -> int:
        return ((on or timezone.localdate()) - self.stage_started_on).days

    def next_step_overdue(self, on: date | None = None) -> bool:
        return self.next_step_on is not None and self.next_step_on < (on or timezone.localdate())


class CoachingStage(models.Model):
    """One stage of a coaching, from the day it started; the latest is the current one."""

    coaching = models.ForeignKey(Coaching, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices)
    started_on = models.DateField(_("start date"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coaching stage")
        verbose_name_plural = _("coaching stages")
        ordering = ["started_on", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.started_on}"


class CoachingContact(models.Model):
    """A contact between the coach and the client: when, how, and a short note. Kept here
    rather than in the pathways journal: it is the coach's light record that dates the
    last contact on the caseload, not a register entry of its own."""

    coaching = models.ForeignKey(Coaching, on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("kind of contact"), max_length=16, choices=ContactKind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coaching contact")
        verbose_name_plural = _("coaching contacts")
        ordering = ["-contacted_on", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.contacted_on}"


class Transition(models.Model):
    """Siirtymä: where the client was at the end of coaching, or at a follow-up."""

    coaching = models.ForeignKey(Coaching, on_delete=models.CASCADE, related_name="transitions")
    occasion = models.CharField(_("occasion"), max_length=16, choices=Occasion.choices)
    kind = models.CharField(_("transition"), max_length=32, choices=TransitionKind.choices)
    observed_on = models.DateField(_("observed on"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["observed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["coaching", "occasion"], name="one_transition_per_occasion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()}: {self.get_kind_display()}"
