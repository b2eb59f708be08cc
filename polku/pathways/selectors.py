"""Reads of pathway data: policy first, access log before returning.

Call from a view wrapped in ``transaction.atomic``; each function records what it showed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from polku.accounts.enums import CLIENT_WORK_ROLES
from polku.accounts.models import Membership, Organisation, User
from polku.audit.services import Access, record
from polku.clients.models import Client
from polku.clients.selectors import get_visible_client, record_page_view
from polku.core import languages, panels
from polku.core.corrections import within_correction_period
from polku.core.panels import Panel
from polku.core.text import fold
from polku.pathways import access, gas
from polku.pathways.enums import (
    AWAITING_ANSWER,
    GAS_LEVELS,
    OPEN_REFERRAL,
    HandoverState,
    Phase,
    ReferralStatus,
)
from polku.pathways.models import (
    Alert,
    CaseManagerAssignment,
    Episode,
    EpisodeReopening,
    Goal,
    Handover,
    JournalEntry,
    PhaseChange,
    Plan,
    PlanAction,
    PlanReview,
    Referral,
    TeamMember,
)
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.decisions import OwnerDecisions
from polku.policy.enums import REGISTER_CATEGORY, Action, DataCategory, Register
from polku.policy.models import ServiceRelationship

PLAN = DataCategory.PLAN
INCOMING_SHOWN = 25
# Tasks on a worklist: a person's own, and their organisation's queue, the soonest due
# first; and those done lately, for undoing a mistake.
OWN_TASKS_SHOWN = 100
QUEUE_SHOWN = 25
RECENTLY_DONE_DAYS = 7
RECENTLY_DONE_SHOWN = 20


def _access(
    client: Client, decision: decisions.Decision, action: Action, categories: Iterable[DataCategory]
) -> Access:
    return Access.granted(client.public_id, decision, action, categories)


# The client's pathway ---------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEvent:
    day: date
    at: datetime | None
    kind: str
    title: str
    detail: str
    organisation: str


@dataclass(frozen=True)
class GoalLevel:
    """One goal's row in a review: the level reached and its description."""

    goal: Goal
    level: int
    level_label: str
    description: str
    weight: int


@dataclass(frozen=True)
class ReviewSummary:
    """A plan review with each goal by its text, the level reached and the T-score."""

    review: PlanReview
    rows: list[GoalLevel]
    t_score: float | None


def review_summary(review: PlanReview) -> ReviewSummary:
    """The summary of a review whose ``attainments__goal`` are (pre)fetched."""
    labels = dict(GAS_LEVELS)
    attainments = sorted(review.attainments.all(), key=lambda a: (a.goal.position, a.goal.pk))
    rows = [
        GoalLevel(
            goal=a.goal,
            level=a.level,
            level_label=str(labels[a.level]),
            description=a.goal.level_texts()[a.level],
            weight=a.weight,
        )
        for a in attainments
    ]
    t_score = gas.review_t_score([row.level for row in rows], [row.weight for row in rows])
    return ReviewSummary(review, rows, t_score)


def reviews_of(plan: Plan) -> list[ReviewSummary]:
    """Every review of a plan that the caller has opened to the actor, oldest first."""
    return [
        review_summary(review)
        for review in plan.reviews.prefetch_related("attainments__goal").order_by(
            "reviewed_on", "pk"
        )
    ]


@dataclass
class EpisodeView:
    episode: Episode
    phase_label: str
    case_manager: CaseManagerAssignment | None
    open_handover: Handover | None
    team: list[TeamMember]
    plan: Plan | None
    may_change: bool
    phase_days: list[tuple[str, int]]
    current_phase: str | None = None
    # Team members of organisations the actor may not know to serve the client: counted.
    unnamed_members: int = 0
    # Ends undone as mistakes, oldest first: the history keeps both the end and the undoing.
    reopenings: list[EpisodeReopening] = field(default_factory=list)
    # Whether the actor may reopen the episode, ended by mistake, now.
    may_reopen: bool = False
    # The plan's actions: those of professionals and organisations, and the client's own.
    actions: list[PlanAction] = field(default_factory=list)
    client_actions: list[PlanAction] = field(default_factory=list)
    reviews: list[ReviewSummary] = field(default_factory=list)
    # What other capabilities add to the episode page (the "episode" slot); each panel
    # asks the policy and logs what it shows itself.
    panels: list[Panel] = field(default_factory=list)

    @property
    def latest_review(self) -> ReviewSummary | None:
        return self.reviews[-1] if self.reviews else None


@dataclass
class Pathway:
    client: Client
    decision: decisions.Decision
    episodes: list[EpisodeView]
    referrals: list[Referral]
    journal: list[JournalEntry]
    timeline: list[TimelineEvent]
    may_write_journal: bool
    # Other capabilities' parts of the page (measurements), asked through ``owners`` so
    # that what they show is in the page's one access-log row.
    panels: list[Panel] = field(default_factory=list)


def phase_durations(changes: list[PhaseChange], until: date) -> list[tuple[str, int]]:
    """Days spent in each phase, in order; the last phase lasts until ``until``."""
    spans: dict[str, int] = {}
    for current, following in zip(changes, [*changes[1:], None][: len(changes)], strict=True):
        end = following.started_on if following else until
        label = str(Phase(current.phase).label)
        spans[label] = spans.get(label, 0) + max((end - current.started_on).days, 0)
    return list(spans.items())


def _episode_views(episodes: list[Episode], owners: OwnerDecisions) -> list[EpisodeView]:
    views = []
    today = timezone.localdate()
    for episode in episodes:
        changes = list(episode.phase_changes.all())
        current = changes[-1] if changes else None
        managers = [a for a in episode.case_manager_assignments.all() if a.ended_at is None]
        handovers = [h for h in episode.handovers.all() if h.state == HandoverState.PROPOSED]
        plan = getattr(episode, "plan", None)
        may_change = owners.may_change(episode.organisation_id, PLAN, episode.register)
        views.append(
            EpisodeView(
                episode=episode,
                phase_label=current.get_phase_display() if current else "",
                case_manager=managers[0] if managers else None,
                open_handover=handovers[0] if handovers else None,
                team=[m for m in episode.team.all() if m.ended_on is None],
                plan=plan,
                reviews=[review_summary(review) for review in plan.reviews.all()] if plan else [],
                may_change=may_change and episode.is_active,
                phase_days=phase_durations(changes, episode.ended_on or today),
                current_phase=current.phase if current else None,
                reopenings=list(episode.reopenings.all()),
                may_reopen=may_change
                and not episode.is_active
                and within_correction_period(episode, today),
            )
        )
    return views


def _episodes_of(client: Client) -> QuerySet[Episode]:
    return (
        Episode.objects.filter(client=client)
        .select_related("programme", "organisation", "unit", "plan")
        .prefetch_related(
            Prefetch(
                "phase_changes", queryset=PhaseChange.objects.order_by("started_on", "recorded_at")
            ),
            Prefetch(
                "case_manager_assignments",
                queryset=CaseManagerAssignment.objects.select_related("user").order_by(
                    "started_at"
                ),
            ),
            Prefetch("team", queryset=TeamMember.objects.select_related("user", "organisation")),
            Prefetch("handovers", queryset=Handover.objects.select_related("to_user", "from_user")),
            Prefetch(
                "reopenings",
                queryset=EpisodeReopening.objects.select_related("ended_by", "corrected_by"),
            ),
            "plan__versions",
            "plan__goals",
            Prefetch(
                "plan__reviews",
                queryset=PlanReview.objects.prefetch_related("attainments__goal"),
            ),
        )
    )


# Same-day events without a time of their own: a start sorts first, an end last.
FIRST, TIMED, LAST = 0, 1, 2


def _timeline(
    episodes: list[Episode], referrals: list[Referral], journal: list[JournalEntry]
) -> list[TimelineEvent]:
    """Everything that happened on the pathway, oldest first."""
    events: list[tuple[tuple[date, int, datetime | None], TimelineEvent]] = []

    def add(
        day: date,
        at: datetime | None,
        kind: str,
        title: str,
        organisation: str,
        detail: str = "",
        rank: int = TIMED,
    ) -> None:
        event = TimelineEvent(day, at, kind, title, detail, organisation)
        events.append(((day, rank, at), event))

    for episode in episodes:
        org = episode.organisation.localized_name
        add(
            episode.started_on,
            None,
            "episode",
            _("Episode started: %(programme)s") % {"programme": episode.programme.localized_name},
            org,
            rank=FIRST,
        )
        for change in episode.phase_changes.all():
            add(
                change.started_on,
                change.recorded_at,
                "phase",
                _("Phase: %(phase)s") % {"phase": change.get_phase_display()},
                org,
            )
        for assignment in episode.case_manager_assignments.all():
            add(
                timezone.localdate(assignment.started_at),
                assignment.started_at,
                "case_manager",
                _("Case manager: %(name)s") % {"name": assignment.user},
                org,
            )
        plan = getattr(episode, "plan", None)
        if plan is not None:
            for version in plan.versions.all():
                add(
                    timezone.localdate(version.saved_at),
                    version.saved_at,
                    "plan",
                    _("Plan version %(number)s") % {"number": version.number},
                    org,
                    version.change_note,
                )
            for review in plan.reviews.all():
                summary = review_summary(review)
                levels = ", ".join(f"{row.level:+d}" if row.level else "0" for row in summary.rows)
                detail = _("Goal attainment: %(levels)s") % {"levels": levels}
                if summary.t_score is not None:
                    detail = _("%(levels)s, T-score %(t_score)s") % {
                        "levels": detail,
                        "t_score": formats.number_format(summary.t_score, 1),
                    }
                add(
                    review.reviewed_on,
                    review.recorded_at,
                    "review",
                    _("Plan reviewed"),
                    org,
                    detail,
                )
        for reopening in episode.reopenings.all():
            add(
                reopening.ended_on,
                reopening.end_recorded_at,
                "episode_end",
                _("Episode ended: %(reason)s") % {"reason": reopening.get_end_reason_display()},
                org,
                _("Ended by mistake: reopened later."),
            )
            add(
                timezone.localdate(reopening.corrected_at),
                reopening.corrected_at,
                "episode",
                _("Episode reopened"),
                org,
                reopening.reason,
            )
        if episode.ended_on:
            add(
                episode.ended_on,
                None,
                "episode_end",
                _("Episode ended: %(reason)s") % {"reason": episode.get_end_reason_display()},
                org,
                rank=LAST,
            )
    answers = {
        ReferralStatus.ACCEPTED: _("Referral accepted by %(organisation)s"),
        ReferralStatus.DECLINED: _("Referral declined by %(organisation)s"),
    }
    for referral in referrals:
        receiver = referral.to_organisation.localized_name
        add(
            timezone.localdate(referral.sent_at),
            referral.sent_at,
            "referral",
            _("Referral to %(organisation)s") % {"organisation": receiver},
            referral.from_organisation.localized_name,
            referral.reason[:200],
        )
        if referral.answered_at and referral.status in answers:
            add(
                timezone.localdate(referral.answered_at),
                referral.answered_at,
                "referral_answer",
                answers[ReferralStatus(referral.status)] % {"organisation": receiver},
                receiver,
                ": ".join(
                    part
                    for part in (referral.get_decline_ground_display(), referral.decline_reason)
                    if part
                ),
            )
    for entry in journal:
        add(
            entry.occurred_on,
            entry.created_at,
            "journal",
            entry.get_entry_type_display(),
            entry.organisation.localized_name,
            entry.text[:200],
        )
    return [event for _key, event in sorted(events, key=lambda item: _sort_key(item[0]))]


def _sort_key(key: tuple[date, int, datetime | None]) -> tuple[date, int, float]:
    day, rank, at = key
    return day, rank, at.timestamp() if at else 0.0


@transaction.atomic
def client_pathway(actor: Actor, public_id: UUID | str) -> Pathway:
    """Everything on the client's pathway that the user may see, across organisations."""
    client, decision = get_visible_client(actor, public_id)
    owners = OwnerDecisions(actor, client)
    episodes = [
        e for e in _episodes_of(client) if owners.may_read(e.organisation_id, PLAN, e.register)
    ]
    # A referral is the sender's record: shown to those who may read the sender's plan,
    # and to its receiver while the referral's ground is open; reading the receiver's
    # plan does not open it.
    of_client = list(
        Referral.objects.filter(client=client).select_related(
            "episode", "from_organisation", "to_organisation", "from_user", "to_user"
        )
    )
    as_receiver = decisions.decide_as_receiver_many(
        actor, [r.public_id for r in of_client], Action.VIEW
    )
    referrals = [
        r
        for r in of_client
        if owners.may_read(r.from_organisation_id, PLAN, r.register) or as_receiver[r.public_id]
    ]
    journal = [
        entry
        for entry in JournalEntry.objects.filter(client=client).select_related(
            "organisation", "author"
        )
        if owners.may_read(
            entry.organisation_id, REGISTER_CATEGORY[Register(entry.register)], entry.register
        )
    ]
    pathway = Pathway(
        client=client,
        decision=decision,
        episodes=_episode_views(episodes, owners),
        referrals=referrals,
        journal=journal,
        timeline=_timeline(episodes, referrals, journal),
        may_write_journal=actor.organisation is not None
        and owners.may_change(actor.organisation.pk, PLAN),
    )
    pathway.panels = panels.panels("client_pathway", client=client, owners=owners)
    record_page_view(actor, client, decision, owners)
    return pathway


def get_episode(
    actor: Actor, public_id: UUID | str, *, action: Action = Action.VIEW
) -> tuple[Episode, decisions.Decision]:
    return access.access_episode(actor, public_id, action=action)


def plan_of(episode: Episode, *, with_contents: bool = False) -> Plan | None:
    """The plan of an episode that ``get_episode`` has already opened to the actor."""
    plans = Plan.objects.filter(episode=episode)
    if with_contents:
        plans = plans.prefetch_related("goals", "actions")
    return plans.first()


def plan_action_of(episode: Episode, action_id: str | int) -> PlanAction | None:
    """An action of the plan of an episode that ``get_episode`` has already opened to the
    actor, by its id; None when the plan has no such action (any longer)."""
    try:
        pk = int(action_id)
    except (TypeError, ValueError):
        return None
    return PlanAction.objects.filter(plan__episode=episode, pk=pk).first()


def current_phase(episode: Episode) -> str | None:
    """The phase the episode (opened to the actor by ``get_episode``) is in now."""
    latest = episode.phase_changes.order_by("-started_on", "-recorded_at").first()
    return latest.phase if latest else None


@dataclass
class EndingEpisode:
    """What ending an episode changes besides the episode itself, for its confirmation."""

    case_manager: CaseManagerAssignment | None
    team: list[TeamMember]
    open_handover: Handover | None
    open_referrals: list[Referral]
    # Other capabilities' consequences (the measurements the schedule makes due at exit).
    panels: list[Panel] = field(default_factory=list)


def ending_episode(actor: Actor, episode: Episode) -> EndingEpisode:
    """What ``services.end_episode`` will change, for an episode that ``get_episode`` has
    opened to the actor for changing (other capabilities add theirs as panels)."""
    return EndingEpisode(
        case_manager=episode.case_manager_assignments.filter(ended_at__isnull=True)
        .select_related("user")
        .first(),
        team=list(
            episode.team.filter(ended_on__isnull=True).select_related("user", "organisation")
        ),
        open_handover=episode.handovers.filter(state=HandoverState.PROPOSED)
        .select_related("to_user")
        .first(),
        open_referrals=list(
            episode.referrals.filter(status__in=OPEN_REFERRAL).select_related("to_organisation")
        ),
        panels=panels.panels("episode_end", actor=actor, episode=episode),
    )


def _episodes_of_any() -> QuerySet[Episode]:
    return Episode.objects.select_related("client", "programme", "organisation", "unit")


def _actions_of(episodes: QuerySet[Episode]) -> QuerySet[PlanAction]:
    return PlanAction.objects.filter(plan__episode__in=episodes).select_related(
        "plan__episode__organisation", "owner_user", "owner_organisation", "goal"
    )


@transaction.atomic
def episode_view(actor: Actor, public_id: UUID | str) -> EpisodeView:
    episode, decision = get_episode(actor, public_id)
    owners = OwnerDecisions(actor, episode.client)
    view = _episode_views(list(_episodes_of(episode.client).filter(pk=episode.pk)), owners)[0]
    view.team, view.unnamed_members = _nameable_members(actor, episode, view.team)
    for action in _actions_of(Episode.objects.filter(pk=episode.pk)):
        (view.client_actions if action.owner_is_client else view.actions).append(action)
    record(actor=actor, accesses=[_access(episode.client, decision, Action.VIEW, [PLAN])])
    view.panels = panels.panels("episode", actor=actor, episode=episode)
    return view


@dataclass(frozen=True)
class Printout:
    """What the client's copy of the plan shows, read in full before it is drawn."""

    episode: Episode
    plan: Plan
    goals: list[Goal]
    # Each action with the number of the goal it serves (None for none).
    actions: list[tuple[PlanAction, int | None]]
    case_manager: CaseManagerAssignment | None
    language: str


@transaction.atomic
def client_actions(actor: Actor, client_public_id: UUID | str) -> list[PlanAction]:
    """The client's own actions (``owner_is_client``) in the plans of the client's running
    episodes that the actor may read, the soonest due first: for the client themselves
    (the portal) as for professionals. The look is logged, one row per ground."""
    client, decision = get_visible_client(actor, client_public_id)
    owners = OwnerDecisions(actor, client)
    running = Episode.objects.active().filter(client=client)
    actions = [
        action
        for action in _actions_of(running).filter(owner_is_client=True).order_by("due_on", "pk")
        if owners.may_read(action.plan.episode.organisation_id, PLAN, action.plan.episode.register)
    ]
    record_page_view(actor, client, decision, owners)
    return actions


@transaction.atomic
def plan_for_print(actor: Actor, public_id: UUID | str, *, language: str | None = None) -> Printout:
    """The episode's plan for the client, in ``language`` (else the client's preferred
    language, if Polku speaks it): its goals, actions and the case manager's contact
    details, all read here, so that drawing the PDF afterwards needs no database; the
    look is logged."""
    episode, decision = access.access_episode(actor, public_id)
    plan = (
        Plan.objects.filter(episode=episode)
        .prefetch_related(
            "goals",
            Prefetch(
                "actions",
                queryset=PlanAction.objects.select_related(
                    "goal", "owner_user", "owner_organisation"
                ).order_by("due_on", "pk"),
            ),
        )
        .first()
    )
    if plan is None:
        raise Http404
    case_manager = (
        CaseManagerAssignment.objects.filter(episode=episode, ended_at__isnull=True)
        .select_related("user", "organisation")
        .first()
    )
    record(actor=actor, accesses=[_access(episode.client, decision, Action.VIEW, [PLAN])])
    goals = plan.current_goals()
    numbers = {goal.pk: number for number, goal in enumerate(goals, start=1)}
    return Printout(
        episode=episode,
        plan=plan,
        goals=goals,
        actions=[(action, numbers.get(action.goal_id or 0)) for action in plan.actions.all()],
        case_manager=case_manager,
        language=languages.supported(language or episode.client.preferred_language),
    )


# The team ------------------------------------------------------------------------------------

TEAM_SEARCH_SHOWN = 20


def team_candidates(organisation_ids: Iterable[int]) -> QuerySet[Membership]:
    """Memberships through which a professional may join a client's team today: valid
    today (``Membership.active``), in a client-work role, of an active professional, in one
    of ``organisation_ids`` — those of ``decisions.known_serving_organisations``."""
    return Membership.objects.active().filter(
        organisation_id__in=list(organisation_ids),
        role__in=CLIENT_WORK_ROLES,
        user__is_active=True,
    )


@dataclass
class TeamPage:
    episode: Episode
    case_manager: CaseManagerAssignment | None
    members: list[TeamMember]
    former_members: list[TeamMember]
    may_change: bool
    # The organisations whose professionals may join: only for those who may change it.
    organisations: list[Organisation] = field(default_factory=list)
    # Members (present and past) of organisations the actor may not know to serve the
    # client: counted, not named.
    unnamed: int = 0

    def on_team(self, user_id: int) -> bool:
        return any(member.user_id == user_id for member in self.members)


@dataclass(frozen=True)
class Candidate:
    membership: Membership
    on_team: bool


@dataclass
class CandidateSearch:
    """The first matches of a search among the team's candidates, and whether there are
    more than are shown (then the page asks to refine the search)."""

    candidates: list[Candidate]
    more: bool


@transaction.atomic
def _nameable_members(
    actor: Actor, episode: Episode, members: Iterable[TeamMember]
) -> tuple[list[TeamMember], int]:
    """The members the actor may be told of, and how many others there are: a member's
    organisation is named only to those who may know that it serves the client (the
    episode's own organisation, and ``decisions.known_serving_organisations``)."""
    members = list(members)
    known = decisions.known_serving_organisations(actor, episode.client)
    named = {organisation.pk for organisation in known} | {episode.organisation_id}
    shown = [member for member in members if member.organisation_id in named]
    return shown, len(members) - len(shown)


def team_page(actor: Actor, public_id: UUID | str, *, searching: bool = False) -> TeamPage:
    """The episode's team with the members' work contact details, past members too.

    Those who may read the episode see the team; those who may also change it (while the
    episode is open) search for new members: a search by anyone else is refused (403)."""
    # Asked for a change first: most who open the page may make one, and its ground
    # (their organisation's relationship) is the ground of the look that is logged.
    try:
        episode, decision = get_episode(actor, public_id, action=Action.CHANGE)
    except PermissionDenied:
        episode, decision = get_episode(actor, public_id)
        may_change = False
    else:
        may_change = episode.is_active
    if searching and not may_change:
        decisions.refuse(
            True,
            _("Only the episode's organisation can change its team, while the episode is open."),
        )
    team, unnamed = _nameable_members(
        actor,
        episode,
        TeamMember.objects.filter(episode=episode)
        .select_related("user", "organisation")
        .order_by("started_on", "pk"),
    )
    manager = (
        CaseManagerAssignment.objects.filter(episode=episode, ended_at__isnull=True)
        .select_related("user")
        .first()
    )
    page = TeamPage(
        episode=episode,
        case_manager=manager,
        members=[member for member in team if member.ended_on is None],
        former_members=[member for member in team if member.ended_on is not None],
        may_change=may_change,
        unnamed=unnamed,
    )
    if may_change:
        page.organisations = decisions.known_serving_organisations(actor, episode.client)
    record(actor=actor, accesses=[_access(episode.client, decision, Action.VIEW, [PLAN])])
    return page


def _name_matches(name: str) -> Q:
    """Every word of ``name`` begins a word of the professional's first or last name."""
    condition = Q()
    for term in fold(name).split():
        condition &= (
            Q(user__search_name__startswith=term)
            | Q(user__search_name__contains=f" {term}")
            | Q(user__search_name__contains=f"-{term}")
        )
    return condition


def search_team_candidates(
    page: TeamPage, *, name: str = "", organisation: Organisation | None = None, role: str = ""
) -> CandidateSearch:
    """Candidates for the team of ``page`` (from ``team_page``, which asked the policy)
    whose name, organisation and role match, in name order: the first
    ``TEAM_SEARCH_SHOWN``, in one query whatever their number."""
    allowed = [org.pk for org in page.organisations]
    if organisation is not None:
        allowed = [pk for pk in allowed if pk == organisation.pk]
    matches = team_candidates(allowed).filter(_name_matches(name))
    if role:
        matches = matches.filter(role=role)
    found = list(
        matches.select_related("user", "organisation", "unit").order_by(
            "user__search_name", "user_id", "organisation__name", "role"
        )[: TEAM_SEARCH_SHOWN + 1]
    )
    return CandidateSearch(
        candidates=[
            Candidate(membership, page.on_team(membership.user_id))
            for membership in found[:TEAM_SEARCH_SHOWN]
        ],
        more=len(found) > TEAM_SEARCH_SHOWN,
    )


# Referrals --------------------------------------------------------------------------------


def _referral_with_client() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        "client", "from_organisation", "to_organisation", "to_unit", "from_user", "to_user"
    )


@transaction.atomic
def referral_detail(
    actor: Actor, public_id: UUID | str
) -> tuple[Referral, decisions.Decision, bool]:
    """A referral for its sender or its receiver; returns (referral, decision, is_receiver).
    Opening it changes nothing: the receiver marks it received with a button."""
    referral, decision = access.access_referral(actor, public_id)
    record_referral_view(actor, referral, decision)
    return referral, decision, access.is_receiver(actor, referral)


def record_referral_view(actor: Actor, referral: Referral, decision: decisions.Decision) -> None:
    """Log that a page showed the referral and what it shares, on ``decision``."""
    categories = [DataCategory(c) for c in referral.shared_categories] or [DataCategory.BASIC]
    record(actor=actor, accesses=[_access(referral.client, decision, Action.VIEW, categories)])


# The worklist -------------------------------------------------------------------------------


@dataclass
class CaseRow:
    episode: Episode
    client: Client
    phase: str
    phase_started_on: date | None
    next_date: date | None


@dataclass
class TaskRow:
    """A task on a worklist. ``visible`` says whether the policy lets the reader see the
    client and the action's text; without it the row says only that a task of another
    organisation's plan is due. ``may_complete`` whether the reader may mark it done."""

    action: PlanAction
    episode: Episode
    visible: bool
    may_complete: bool
    days_late: int


@dataclass
class IncomingRow:
    """A referral waiting for an answer; ``visible`` while the referral's ground lets the
    receiver see the client and the reason, else the row says only that one waits."""

    referral: Referral
    visible: bool


@dataclass
class Worklist:
    my_cases: list[CaseRow]
    team_cases: list[CaseRow]
    alerts: list[Alert]
    incoming: list[IncomingRow]
    handovers: list[Handover]
    tasks: list[TaskRow] = field(default_factory=list)
    queue: list[TaskRow] = field(default_factory=list)
    recently_done: list[TaskRow] = field(default_factory=list)


def _case_rows(episodes: QuerySet[Episode]) -> list[CaseRow]:
    latest = PhaseChange.objects.filter(episode=OuterRef("pk")).order_by(
        "-started_on", "-recorded_at"
    )
    rows = []
    for episode in (
        episodes.select_related("client", "programme", "plan")
        .annotate(
            current_phase=Subquery(latest.values("phase")[:1]),
            current_phase_started=Subquery(latest.values("started_on")[:1]),
        )
        .order_by("client__search_name")
    ):
        plan = getattr(episode, "plan", None)
        rows.append(
            CaseRow(
                episode=episode,
                client=episode.client,
                phase=str(Phase(episode.current_phase).label) if episode.current_phase else "",
                phase_started_on=episode.current_phase_started,
                next_date=plan.next_review_on if plan else None,
            )
        )
    return rows


def _tasks_of(
    user: User, organisation_id: int | None, today: date
) -> tuple[list[PlanAction], list[PlanAction], list[PlanAction]]:
    """The user's own open tasks, the organisation's queue (tasks of the organisation with
    no person named), and the tasks of either marked done lately."""
    tasks = (
        PlanAction.objects.tasks()
        .select_related(
            "plan__episode__client",
            "plan__episode__organisation",
            "plan__episode__programme",
            "owner_organisation",
        )
        .order_by("due_on", "pk")
    )
    mine = Q(owner_user=user)
    own = list(tasks.open().filter(mine)[:OWN_TASKS_SHOWN])
    if organisation_id is None:
        return own, [], []
    queue = Q(owner_user__isnull=True, owner_organisation_id=organisation_id)
    queued = list(tasks.open().filter(queue)[:QUEUE_SHOWN])
    done = list(
        tasks.filter(
            mine | queue, done_on__gte=today - timedelta(days=RECENTLY_DONE_DAYS)
        ).order_by("-done_on", "-pk")[:RECENTLY_DONE_SHOWN]
    )
    return own, queued, done


def _episode_decisions(
    actor: Actor, episodes: list[Episode], action: Action
) -> dict[int, decisions.Decision]:
    """Each episode's plan decided for ``action`` by the episode's own organisation and
    register, never by another of the client's; a few queries per owner and register."""
    by_owner: dict[tuple[int, str], list[Episode]] = {}
    for episode in episodes:
        by_owner.setdefault((episode.organisation_id, episode.register), []).append(episode)
    decided_for: dict[int, decisions.Decision] = {}
    for (owner_id, register), group in by_owner.items():
        decided = decisions.decide_many(
            actor,
            {e.client_id: owner_id for e in group},
            action=action,
            category=PLAN,
            register=register,
        )
        decided_for.update((e.pk, decided[e.client_id]) for e in group)
    return decided_for


@transaction.atomic
def worklist(actor: Actor) -> Worklist:
    """The professional's morning: own cases, tasks, alerts, incoming referrals, team cases.

    Each client listed is logged once, whatever list it appears on. A task or a referral
    whose client the policy does not let the reader see is listed without the client.
    """
    user = actor.person
    membership = actor.client_work_membership()
    today = timezone.localdate()
    mine = Episode.objects.active().filter(
        Exists(
            CaseManagerAssignment.objects.filter(
                episode=OuterRef("pk"), user=user, ended_at__isnull=True
            )
        )
    )
    team = (
        Episode.objects.active()
        .filter(
            Exists(
                TeamMember.objects.filter(episode=OuterRef("pk"), user=user, ended_on__isnull=True)
            )
        )
        .exclude(pk__in=mine.values("pk"))
    )
    my_cases, team_cases = _case_rows(mine), _case_rows(team)
    own_tasks, queued_tasks, done_tasks = _tasks_of(
        user, membership.organisation_id if membership else None, today
    )
    alerts = list(
        Alert.objects.open().filter(recipient=user).select_related("client", "episode", "referral")
    )
    # Referrals addressed to the user, to the user's unit, or to the organisation as a
    # whole; the oldest deadlines first, as many as a person can act on.
    incoming: list[Referral] = []
    if membership is not None:
        incoming = list(
            Referral.objects.select_related(
                "client", "from_organisation", "to_organisation", "to_unit", "from_user", "to_user"
            )
            .filter(
                to_organisation_id=membership.organisation_id,
                status__in=AWAITING_ANSWER,
                client__merged_into__isnull=True,
            )
            .filter(
                Q(to_user=user)
                | Q(to_user__isnull=True, to_unit_id=membership.unit_id)
                | Q(to_user__isnull=True, to_unit__isnull=True)
            )
            .order_by("respond_by")[:INCOMING_SHOWN]
        )
    # One query for all of them, kept for the log rows below. A referral whose ground has
    # ended (a consent it was sent on lapsed) still waits, but shows nothing of the client.
    as_receiver = decisions.decide_as_receiver_many(
        actor, [r.public_id for r in incoming], Action.VIEW
    )
    handovers = list(
        Handover.objects.filter(to_user=user, state=HandoverState.PROPOSED).select_related(
            "episode__client", "episode__organisation", "from_user"
        )
    )
    listed: dict[tuple[int, int | None], Access] = {}

    def allowed(episodes: list[Episode]) -> set[int]:
        """The episodes whose own owner's register the actor may list, logged once each."""
        decided = _episode_decisions(actor, episodes, Action.LIST)
        for episode in episodes:
            if decided[episode.pk]:
                listed.setdefault(
                    (episode.client_id, episode.organisation_id),
                    _access(episode.client, decided[episode.pk], Action.LIST, [PLAN]),
                )
        return {pk for pk, decision in decided.items() if decision}

    task_episodes = [a.plan.episode for a in [*own_tasks, *queued_tasks, *done_tasks]]
    shown = allowed(
        [r.episode for r in [*my_cases, *team_cases]]
        + [h.episode for h in handovers]
        + task_episodes
    )
    my_cases = [r for r in my_cases if r.episode.pk in shown]
    team_cases = [r for r in team_cases if r.episode.pk in shown]
    handovers = [h for h in handovers if h.episode.pk in shown]
    changeable = {
        pk
        for pk, decision in _episode_decisions(
            actor, [e for e in task_episodes if e.pk in shown], Action.CHANGE
        ).items()
        if decision
    }

    def task_rows(actions: list[PlanAction]) -> list[TaskRow]:
        return [
            TaskRow(
                action=a,
                episode=a.plan.episode,
                visible=a.plan.episode.pk in shown,
                may_complete=a.plan.episode.pk in changeable,
                days_late=a.days_late(today),
            )
            for a in actions
        ]

    for referral in incoming:
        if as_receiver[referral.public_id]:
            listed.setdefault(
                (referral.client_id, referral.from_organisation_id),
                _access(
                    referral.client,
                    as_receiver[referral.public_id],
                    Action.LIST,
                    [DataCategory(c) for c in referral.shared_categories] or [DataCategory.BASIC],
                ),
            )
    listed_clients = {client_id for client_id, _owner in listed}
    alert_clients = {a.client_id: a.client for a in alerts if a.client_id not in listed_clients}
    decided = decisions.decide_many(
        actor, dict.fromkeys(alert_clients), action=Action.LIST, category=DataCategory.BASIC
    )
    for client_id, client in alert_clients.items():
        if decided[client_id]:
            listed[client_id, None] = _access(
                client, decided[client_id], Action.LIST, [DataCategory.BASIC]
            )
    listed_clients = {client_id for client_id, _owner in listed}
    alerts = [a for a in alerts if a.client_id in listed_clients]
    record(actor=actor, accesses=listed.values())
    return Worklist(
        my_cases,
        team_cases,
        alerts,
        [IncomingRow(r, bool(as_receiver[r.public_id])) for r in incoming],
        handovers,
        tasks=task_rows(own_tasks),
        queue=task_rows(queued_tasks),
        recently_done=task_rows(done_tasks),
    )


# Ending a service relationship ----------------------------------------------------------------


def relationship_end_panel(*, actor: Actor, relationship: ServiceRelationship) -> Panel | None:
    """On the confirmation of ending a service relationship: the referrals between the
    organisation and others about the client that stay open, each with its own ground.
    Only referrals the actor may read are listed, and the listing is logged."""
    referrals = list(
        Referral.objects.visible_to(actor)
        .filter(client_id=relationship.client_id, status__in=OPEN_REFERRAL)
        .filter(
            Q(from_organisation_id=relationship.organisation_id)
            | Q(to_organisation_id=relationship.organisation_id)
        )
        .select_related("client", "episode", "from_organisation", "to_organisation")
    )
    if not referrals:
        return None
    listed: dict[tuple[object, ...], Access] = {}
    for referral in referrals:
        decision = access.referral_decision(actor, referral, Action.VIEW)
        key = (decision.basis, decision.basis_public_id, decision.owner_id, decision.register)
        listed.setdefault(key, _access(referral.client, decision, Action.LIST, [PLAN]))
    record(actor=actor, accesses=listed.values())
    organisation_id = relationship.organisation_id
    return Panel(
        "pathways/includes/relationship_end_referrals.html",
        {
            "sent": [r for r in referrals if r.from_organisation_id == organisation_id],
            "received": [r for r in referrals if r.to_organisation_id == organisation_id],
        },
    )
