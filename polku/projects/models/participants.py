"""Participants (osallistujat): a client enrolled in a funded project, with the ESF+
participant data at entry, upon leaving and six months after leaving.

Participant data is the project's own (category ``PROJECT``), owned by the organisation
that enrolled the client, and never disclosed by a consent or a referral. The details the
client may decline to give live in ``SensitiveDetails`` (category ``PROJECT_SENSITIVE``):
the administering organisation's project staff only, counted in aggregates only.
Decided by ``decisions.decide_on_participant`` / ``visible_participants``.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation, User
from polku.clients.enums import Gender
from polku.clients.models import Client
from polku.core.models import Municipality
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Register
from polku.projects.enums import EducationLevel, LabourStatus, SensitiveAnswer
from polku.projects.models.projects import Project


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def visible_to(self, actor: Actor) -> ParticipantQuerySet:
        return self.filter(decisions.visible_participants(actor), client__merged_into__isnull=True)


class Participant(models.Model):
    """One client's participation in one project. A client may take part in several
    projects, once in each. Unknown answers are blank (or null): the indicators count
    them as missing, never as "no"."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="participants"
    )
    client = models.ForeignKey(
        Client,
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="project_participations",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    register = models.CharField(
        _("register"), max_length=32, choices=Register.choices, default=Register.OTHER
    )
    entered_on = models.DateField(_("entry date"))
    left_on = models.DateField(_("leaving date"), null=True, blank=True)

    # At entry: what Polku knew is prefilled, and kept as it was on the entry date.
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices)
    age_at_entry = models.PositiveSmallIntegerField(_("age at entry"))
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality of residence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    labour_status = models.CharField(
        _("labour-market status"), max_length=32, choices=LabourStatus.choices, blank=True
    )
    education_level = models.CharField(
        _("highest education (ISCED 2011)"),
        max_length=1,
        choices=EducationLevel.choices,
        blank=True,
    )

    # Upon leaving (observed within four weeks after leaving); several may hold at once.
    exit_observed_on = models.DateField(
        _("situation on leaving observed on"), null=True, blank=True
    )
    exit_job_searching = models.BooleanField(_("engaged in job searching"), null=True, blank=True)
    exit_in_education = models.BooleanField(_("in education or training"), null=True, blank=True)
    exit_qualification = models.BooleanField(_("gained a qualification"), null=True, blank=True)
    exit_employed = models.BooleanField(
        _("in employment, including self-employment"), null=True, blank=True
    )

    # Six months after leaving.
    follow_up_observed_on = models.DateField(
        _("situation six months after leaving observed on"), null=True, blank=True
    )
    follow_up_employed = models.BooleanField(
        _("in employment, including self-employment"), null=True, blank=True
    )
    follow_up_improved = models.BooleanField(
        _("improved labour-market situation"), null=True, blank=True
    )

    enrolled_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["entered_on", "pk"]
        indexes = [models.Index(fields=["project", "entered_on"], name="participant_entry")]
        constraints = [
            models.UniqueConstraint(fields=["project", "client"], name="one_participation"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("entered_on")),
                name="participant_leaves_after_entry",
            ),
            models.CheckConstraint(
                condition=Q(exit_observed_on__isnull=True)
                | (Q(left_on__isnull=False) & Q(exit_observed_on__gte=models.F("left_on"))),
                name="participant_exit_observed_after_leaving",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_observed_on__isnull=True)
                | (Q(left_on__isnull=False) & Q(follow_up_observed_on__gt=models.F("left_on"))),
                name="participant_follow_up_after_leaving",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.client_id}"


class SensitiveDetails(models.Model):
    """The ESF+ items the client may decline to give, asked at entry. Blank: not asked."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="sensitive", primary_key=True
    )
    disability = models.CharField(
        _("person with disabilities"), max_length=8, choices=SensitiveAnswer.choices, blank=True
    )
    third_country_national = models.CharField(
        _("third-country national"), max_length=8, choices=SensitiveAnswer.choices, blank=True
    )
    foreign_background = models.CharField(
        _("foreign background"), max_length=8, choices=SensitiveAnswer.choices, blank=True
    )
    minority = models.CharField(
        _("minority (including marginalised communities such as the Roma)"),
        max_length=8,
        choices=SensitiveAnswer.choices,
        blank=True,
    )
    homeless = models.CharField(
        _("homeless or affected by housing exclusion"),
        max_length=8,
        choices=SensitiveAnswer.choices,
        blank=True,
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sensitive participant details")
        verbose_name_plural = _("sensitive participant details")

    def __str__(self) -> str:
        return str(self.participant_id)
