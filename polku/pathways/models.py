"""Episodes, phases, case managers, care teams, referrals, plans, journal entries, alerts.

Every row here is client data owned by one organisation (``organisation`` or, for a
referral, the sender), read and written only through ``pathways.selectors`` and
``pathways.services``, which ask the access policy and write the access log.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Organisation, Unit, User
from polku.clients.models import Client
from polku.core.corrections import EndCorrection
from polku.core.names import NamedInLanguages
from polku.pathways import gas
from polku.pathways.enums import (
    GAS_BASELINE_LEVELS,
    GAS_DIFFICULTY,
    GAS_IMPORTANCE,
    GAS_LEVELS,
    AlertKind,
    DeclineGround,
    EndReason,
    EntryType,
    HandoverState,
    Phase,
    ReferralStatus,
    Urgency,
)
from polku.pathways.querysets import (
    EpisodeQuerySet,
    JournalEntryQuerySet,
    PlanActionQuerySet,
    ReferralQuerySet,
)
from polku.policy.enums import CONSENT_PURPOSES, DataCategory, Purpose, Register


def default_phases() -> list[str]:
    return [Phase.ASSESSMENT, Phase.REHABILITATION, Phase.EDUCATION, Phase.EMPLOYMENT]


class Programme(NamedInLanguages):
    """A service or programme whose episodes share phases and follow-up rules."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    phases = models.JSONField(_("phases in order"), default=default_phases)
    assessment_days = models.PositiveIntegerField(
        _("joint assessment finished within (days)"), null=True, blank=True, default=90
    )
    plan_review_days = models.PositiveIntegerField(
        _("plan reviewed at least every (days)"), null=True, blank=True, default=182
    )
    no_contact_days = models.PositiveIntegerField(
        _("alert after days without contact"), null=True, blank=True, default=60
    )
    max_phase_days = models.PositiveIntegerField(
        _("alert after days in one phase"), null=True, blank=True, default=365
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def phase_choices(self) -> list[tuple[str, str]]:
        return [(code, str(Phase(code).label)) for code in self.phases]

    def phase_after(self, phase: str | None) -> str | None:
        """The phase that follows ``phase`` in this programme: the first when there is
        none yet, the last one itself at the end, none for a phase not in the programme."""
        if not self.phases:
            return None
        if phase is None:
            return str(self.phases[0])
        if phase not in self.phases:
            return None
        return str(self.phases[min(self.phases.index(phase) + 1, len(self.phases) - 1)])


class Episode(models.Model):
    """Palvelujakso: one period of a client in a programme at an organisation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="episodes"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
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
    # The register the episode's plan, team and measurements are kept in: the register of
    # the service relationship it runs under. Decisions on its data key on it.
    register = models.CharField(_("register"), max_length=32, choices=Register.choices)
    started_on = models.DateField(_("start date"), default=timezone.localdate)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=32, choices=EndReason.choices, blank=True
    )
    # Who recorded the end and when: the episode may be reopened for a while after this.
    ended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_recorded_at = models.DateTimeField(_("end recorded at"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("episode")
        verbose_name_plural = _("episodes")
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="episode_end_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="episode_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} ({self.started_on:%d.%m.%Y})"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class EpisodeReopening(EndCorrection):
    """An episode ended by mistake was reopened: the end it undid, and why.

    The episode is open again and its end reason gone, so that nothing counts the mistaken
    end; this row keeps the end as it was recorded, for the history."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="reopenings")
    end_reason = models.CharField(
        _("end reason that was undone"), max_length=32, choices=EndReason.choices
    )

    class Meta(EndCorrection.Meta):
        verbose_name = _("reopened episode")
        verbose_name_plural = _("reopened episodes")


class PhaseChange(models.Model):
    """The episode entered ``phase`` on ``started_on``; the phase lasts until the next."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="phase_changes")
    phase = models.CharField(_("phase"), max_length=32, choices=Phase.choices)
    started_on = models.DateField(_("start date"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["started_on", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {self.started_on:%d.%m.%Y}"


class CaseManagerAssignment(models.Model):
    """Who is the episode's case manager, for which period. One active at a time."""

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="case_manager_assignments"
    )
    user = models.ForeignKey(
        User, verbose_name=_("case manager"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("case manager")
        verbose_name_plural = _("case managers")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(ended_at__isnull=True),
                name="one_active_case_manager_per_episode",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(ended_at__isnull=True), name="active_case_loads"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Handover(models.Model):
    """A proposal to pass the case-manager role; the current manager stays until accepted."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="handovers")
    from_user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(
        User, verbose_name=_("new case manager"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        max_length=16, choices=HandoverState.choices, default=HandoverState.PROPOSED
    )
    note = models.TextField(_("note"), blank=True)
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(state="proposed"),
                name="one_open_handover_per_episode",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_user} → {self.to_user}"


class TeamMember(models.Model):
    """A professional on the client's multi-professional team for an episode."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        User, verbose_name=_("professional"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    team_role = models.CharField(_("role on the team"), max_length=200)
    started_on = models.DateField(_("start date"), default=timezone.localdate)
    ended_on = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "user"],
                condition=Q(ended_on__isnull=True),
                name="one_current_team_membership_per_person",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="team_member_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.team_role})"


class Referral(models.Model):
    """Lähete: one organisation asks another to act for the client."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="referrals")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    from_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("sending organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("to organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_unit = models.ForeignKey(
        Unit,
        verbose_name=_("to unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_user = models.ForeignKey(
        User,
        verbose_name=_("to professional"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    purpose = models.CharField(
        _("purpose"),
        max_length=32,
        choices=[(p.value, p.label) for p in CONSENT_PURPOSES],
        default=Purpose.SERVICE_COORDINATION,
    )
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    shared_categories = models.JSONField(_("data shared with the referral"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    respond_by = models.DateField(_("answer due"))
    received_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_ground = models.CharField(
        _("ground for declining"), max_length=32, choices=DeclineGround.choices, blank=True
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["to_organisation", "status"], name="referral_queue")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="referral_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="referral_between_organisations",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_organisation} → {self.to_organisation}"

    def is_overdue(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            self.status in {ReferralStatus.SENT, ReferralStatus.RECEIVED} and self.respond_by < on
        )

    @property
    def register(self) -> str | None:
        """The register of the sender's records it shares: its episode's, if any."""
        return self.episode.register if self.episode is not None else None

    def shared_category_labels(self) -> list[str]:
        return [str(DataCategory(code).label) for code in self.shared_categories]


class Plan(models.Model):
    """Asiakassuunnitelma of one episode; every saved change is a numbered version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="plan")
    helping_factors = models.TextField(_("what helps the client"), blank=True)
    hindering_factors = models.TextField(_("what hinders the client"), blank=True)
    services = models.TextField(_("services agreed"), blank=True)
    working_methods = models.TextField(_("working methods agreed"), blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    client_agreed_on = models.DateField(_("the client agreed on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("client plan")
        verbose_name_plural = _("client plans")

    def __str__(self) -> str:
        return f"{self.episode}: v{self.version}"

    def current_goals(self) -> list[Goal]:
        """The goals in the plan now, in order (from the prefetched goals, if any); a
        reviewed goal taken out of the plan stays in its history only."""
        return [goal for goal in self.goals.all() if goal.ended_in_version is None]


class Goal(models.Model):
    """A goal in the client's own words, scaled with the client (Goal Attainment Scaling,
    ``pathways.gas``): the baseline, the five levels, and its importance and difficulty."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("goal in the client's own words"))
    baseline = models.TextField(_("the situation at the start"), blank=True)
    baseline_level = models.SmallIntegerField(
        _("starting level"), choices=GAS_BASELINE_LEVELS, default=gas.DEFAULT_BASELINE_LEVEL
    )
    level_minus_2 = models.TextField(_("−2 much less than expected"), blank=True)
    level_minus_1 = models.TextField(_("−1 somewhat less than expected"), blank=True)
    level_0 = models.TextField(_("0 expected level"), blank=True)
    level_plus_1 = models.TextField(_("+1 somewhat more than expected"), blank=True)
    level_plus_2 = models.TextField(_("+2 much more than expected"), blank=True)
    importance = models.PositiveSmallIntegerField(
        _("importance to the client"), choices=GAS_IMPORTANCE, null=True, blank=True
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=GAS_DIFFICULTY, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)
    # The plan version that took a reviewed goal out of the plan; its reviews keep it.
    ended_in_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(importance__isnull=True, difficulty__isnull=True)
                | Q(
                    importance__isnull=False,
                    difficulty__isnull=False,
                    importance__lte=3,
                    difficulty__lte=3,
                ),
                name="goal_weighted_by_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(baseline_level__gte=-2, baseline_level__lte=0),
                name="goal_baseline_level_range",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def weight(self) -> int:
        """importance × difficulty, or 1 when the goal is weighted by neither."""
        return gas.goal_weight(self.importance, self.difficulty)

    def level_texts(self) -> dict[int, str]:
        """The description of each level, −2…+2, as written with the client."""
        return dict(
            zip(
                gas.LEVELS,
                (
                    self.level_minus_2,
                    self.level_minus_1,
                    self.level_0,
                    self.level_plus_1,
                    self.level_plus_2,
                ),
                strict=True,
            )
        )


class PlanAction(models.Model):
    """A step agreed in the plan, with who does it and by when."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    text = models.TextField(_("action"))
    owner_user = models.ForeignKey(
        User,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_is_client = models.BooleanField(_("the client does this"), default=False)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text

    def days_late(self, on: date | None = None) -> int:
        """Days past its due date while not done; 0 when on time, done or undated."""
        on = on or timezone.localdate()
        if self.done_on is not None or self.due_on is None or self.due_on >= on:
            return 0
        return (on - self.due_on).days


class PlanVersion(models.Model):
    """An immutable snapshot of the plan as saved: the plan's full history."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    saved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class PlanReview(models.Model):
    """A review of the plan with each goal's attainment (Goal Attainment Scaling)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("review date"), default=timezone.localdate)
    requested_by_client = models.BooleanField(_("the client asked for the review"), default=False)
    note = models.TextField(_("summary"), blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    plan_version = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["reviewed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.reviewed_on:%d.%m.%Y}"


class GoalAttainment(models.Model):
    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="attainments")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="attainments")
    level = models.SmallIntegerField(_("attainment"), choices=GAS_LEVELS)
    # The goal's weight when it was reviewed, so that a later change of its importance or
    # difficulty leaves the review's T-score as it was.
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="attainment_once_per_review"),
            models.CheckConstraint(
                condition=Q(level__gte=-2, level__lte=2), name="attainment_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.level:+d}"


class JournalEntry(models.Model):
    """Kirjaus: belongs to exactly one organisation and one register."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="journal_entries")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="journal_entries"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    register = models.CharField(_("register"), max_length=32, choices=Register.choices)
    entry_type = models.CharField(_("type"), max_length=32, choices=EntryType.choices)
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("entry"))
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["client", "-occurred_on"], name="journal_client_recent")]

    def __str__(self) -> str:
        return f"{self.get_entry_type_display()} {self.occurred_on:%d.%m.%Y}"


class AlertQuerySet(models.QuerySet["Alert"]):
    def open(self) -> AlertQuerySet:
        return self.filter(cleared_at__isnull=True)


class Alert(models.Model):
    """A condition that needs someone's attention, until the condition is gone."""

    kind = models.CharField(_("alert"), max_length=32, choices=AlertKind.choices)
    # What the alert is about, as "<kind>:<object id>", unique among open alerts.
    subject_key = models.CharField(max_length=100)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="alerts")
    due_on = models.DateField(_("due"), null=True, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["due_on", "raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_key", "recipient"],
                condition=Q(cleared_at__isnull=True),
                name="one_open_alert_per_subject_and_recipient",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient"], condition=Q(cleared_at__isnull=True), name="open_alerts"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class TaskReminder(models.Model):
    """The day a professional was e-mailed about their plan tasks: one e-mail a day at
    most. The e-mail carried only these counts, never a client's name or an action's text."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField(_("sent on"))
    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    due_today = models.PositiveIntegerField(_("due today"), default=0)
    due_tomorrow = models.PositiveIntegerField(_("due tomorrow"), default=0)

    class Meta:
        verbose_name = _("task reminder")
        verbose_name_plural = _("task reminders")
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="one_task_reminder_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.sent_on:%d.%m.%Y}"
