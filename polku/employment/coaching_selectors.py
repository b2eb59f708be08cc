"""Reads of job coaching beyond one record: the coaching page, the coach's caseload, the
follow-ups due on the worklist and the transition figures.

Each selector that shows client data asks the access policy and writes the access log
(``LIST`` for each client listed, ``VIEW`` for a page) in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from polku.audit.services import Access, record
from polku.core.panels import Panel
from polku.employment import access
from polku.employment.coaching_enums import (
    FOLLOW_UP_MONTHS,
    IN_WORK_KINDS,
    Occasion,
    TransitionKind,
)
from polku.employment.models import Coaching, CoachingContact, CoachingStage, Transition
from polku.employment.placement_selectors import with_current_employer
from polku.measures.schedules import add_months
from polku.pathways.models import Episode
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action, DataCategory, Purpose

EMPLOYMENT = DataCategory.EMPLOYMENT
# How many rows a worklist panel shows at most.
PANEL_LIMIT = 50


def _listed(actor: Actor, coachings: list[Coaching]) -> list[Coaching]:
    """Of ``coachings``, those whose client's details and employment data the actor may
    list, each client logged once as listed. A few queries per distinct register, whatever
    the number of coachings."""
    by_register: dict[str, dict[int, int | None]] = {}
    for coaching in coachings:
        by_register.setdefault(coaching.register, {})[coaching.client_id] = coaching.organisation_id
    allowed: dict[tuple[int, str], decisions.Decision] = {}
    for register, owners in by_register.items():
        decided = decisions.decide_many(
            actor, owners, action=Action.LIST, category=EMPLOYMENT, register=register
        )
        allowed.update({(client_id, register): d for client_id, d in decided.items() if d})
    basic = decisions.decide_many(
        actor,
        dict.fromkeys({coaching.client_id for coaching in coachings}),
        action=Action.LIST,
        category=DataCategory.BASIC,
    )
    shown = [
        coaching
        for coaching in coachings
        if (coaching.client_id, coaching.register) in allowed and basic[coaching.client_id]
    ]
    logged: dict[int, Access] = {}
    for coaching in shown:
        logged.setdefault(
            coaching.client_id,
            Access.granted(
                coaching.client.public_id,
                allowed[(coaching.client_id, coaching.register)],
                Action.LIST,
                [DataCategory.BASIC, EMPLOYMENT],
            ),
        )
    record(actor=actor, accesses=logged.values())
    return shown


# The coach's caseload -----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseloadRow:
    coaching: Coaching
    days_in_stage: int
    next_step_overdue: bool


def caseload(actor: Actor, on: date | None = None) -> list[CaseloadRow]:
    """The clients in open coaching whose job coach the actor is, with stage, days in
    stage, the current job's employer (``current_employer``), last contact and next
    step; the oldest next step first. A constant number of queries whatever the
    caseload."""
    on = on or timezone.localdate()
    if actor.user is None:
        return []
    coachings = list(
        with_current_employer(
            Coaching.objects.open().filter(coach=actor.user, client__merged_into__isnull=True),
            on,
        )
        .select_related("client", "episode__programme")
        .order_by("next_step_on", "client__last_name", "client__first_names", "pk")
    )
    return [
        CaseloadRow(coaching, coaching.days_in_stage(on), coaching.next_step_overdue(on))
        for coaching in _listed(actor, coachings)
    ]


# One coaching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    coaching: Coaching
    occasion: Occasion
    due_on: date

    def days_late(self, on: date | None = None) -> int:
        return max(0, ((on or timezone.localdate()) - self.due_on).days)


def follow_ups(coaching: Coaching, recorded: Iterable[str]) -> list[FollowUp]:
    """The follow-ups of an ended coaching not yet recorded, with their due dates."""
    if coaching.ended_on is None:
        return []
    done = set(recorded)
    return [
        FollowUp(coaching, occasion, add_months(coaching.ended_on, months))
        for occasion, months in FOLLOW_UP_MONTHS.items()
        if occasion not in done
    ]


@dataclass(frozen=True)
class CoachingPage:
    coaching: Coaching
    stages: list[CoachingStage]
    contacts: list[CoachingContact]
    transitions: list[Transition]
    follow_ups: list[FollowUp]
    may_change: bool
    today: date

    @property
    def days_in_stage(self) -> int:
        return self.coaching.days_in_stage(self.today)

    @property
    def follow_ups_due(self) -> list[FollowUp]:
        return [f for f in self.follow_ups if f.due_on <= self.today]


def get_coaching(
    actor: Actor, public_id: UUID | str, *, action: Action = Action.VIEW
) -> tuple[Coaching, decisions.Decision]:
    return access.access_coaching(actor, public_id, action=action)


def coaching_page(actor: Actor, coaching: Coaching, decision: decisions.Decision) -> CoachingPage:
    """Everything the coaching page shows of a coaching ``get_coaching`` opened to the
    actor (with its ``decision``), logged as viewed."""
    transitions = list(coaching.transitions.select_related("recorded_by"))
    page = CoachingPage(
        coaching=coaching,
        stages=list(coaching.stages.select_related("recorded_by")),
        contacts=list(coaching.contacts.select_related("recorded_by")[:50]),
        transitions=transitions,
        follow_ups=follow_ups(coaching, (t.occasion for t in transitions)),
        may_change=bool(access.coaching_decision(actor, coaching, Action.CHANGE)),
        today=timezone.localdate(),
    )
    record(
        actor=actor,
        accesses=[
            Access.granted(
                coaching.client.public_id, decision, Action.VIEW, [DataCategory.BASIC, EMPLOYMENT]
            )
        ],
    )
    return page


def open_coaching_of(episode: Episode) -> Coaching | None:
    """The open coaching of an episode that the caller has opened to the actor."""
    return Coaching.objects.open().filter(episode=episode).first()


# Panels: on the worklist and the episode page -----------------------------------------------


def follow_ups_panel(*, actor: Actor) -> Panel | None:
    """Transition follow-ups due (3 and 6 months after the end) in the coachings whose job
    coach the actor was, with how late each is; each client shown is logged as listed
    (for the purpose of the coaching pages, supporting employment)."""
    actor = actor.for_purpose(Purpose.EMPLOYMENT_SUPPORT)
    if actor.user is None:
        return None
    today = timezone.localdate()
    ended = list(
        Coaching.objects.filter(
            coach=actor.user,
            ended_on__isnull=False,
            ended_on__lte=add_months(today, -min(FOLLOW_UP_MONTHS.values())),
            client__merged_into__isnull=True,
        )
        .exclude(transitions__occasion=Occasion.MONTHS_6)
        .select_related("client")
        .prefetch_related("transitions")
        .order_by("ended_on", "pk")[:PANEL_LIMIT]
    )
    due = [
        follow_up
        for coaching in ended
        for follow_up in follow_ups(coaching, (t.occasion for t in coaching.transitions.all()))
        if follow_up.due_on <= today
    ]
    if not due:
        return None
    shown = {c.pk for c in _listed(actor, [f.coaching for f in due])}
    due = sorted((f for f in due if f.coaching.pk in shown), key=lambda f: f.due_on)
    return Panel("employment/coaching/panels/follow_ups.html", {"due": due, "today": today})


def episode_panel(*, actor: Actor, episode: Episode, **_: object) -> Panel | None:
    """On the episode page: its job coaching, or a link to start one for those who may.

    The panel shows what the coaching pages show, so it asks for the purpose they serve
    (supporting employment), not the episode page's: a reader is shown a coaching only
    when its page would open for them, and the log row names that purpose."""
    actor = actor.for_purpose(Purpose.EMPLOYMENT_SUPPORT)
    decision = decisions.decide(
        actor,
        episode.client,
        action=Action.VIEW,
        category=EMPLOYMENT,
        owner=episode.organisation,
        register=episode.register,
    )
    if not decision:
        return None
    coachings = list(Coaching.objects.filter(episode=episode).select_related("coach"))
    may_start = (
        episode.is_active
        and not any(c.is_active for c in coachings)
        and bool(
            decisions.decide(
                actor,
                episode.client,
                action=Action.CHANGE,
                category=EMPLOYMENT,
                owner=episode.organisation,
                register=episode.register,
            )
        )
    )
    if coachings:
        record(
            actor=actor,
            accesses=[
                Access.granted(episode.client.public_id, decision, Action.VIEW, [EMPLOYMENT])
            ],
        )
    return Panel(
        "employment/coaching/panels/episode.html",
        {"coachings": coachings, "may_start": may_start, "episode": episode},
    )


def episode_end_panel(*, actor: Actor, episode: Episode, **_: object) -> Panel | None:
    """On the confirmation of an episode's end: its open job coaching, which the episode's
    end leaves open (its end needs the client's transition), with the way to its page."""
    actor = actor.for_purpose(Purpose.EMPLOYMENT_SUPPORT)
    decision = decisions.decide(
        actor,
        episode.client,
        action=Action.VIEW,
        category=EMPLOYMENT,
        owner=episode.organisation,
        register=episode.register,
    )
    if not decision:
        return None
    coaching = Coaching.objects.open().filter(episode=episode).select_related("coach").first()
    if coaching is None:
        return None
    record(
        actor=actor,
        accesses=[Access.granted(episode.client.public_id, decision, Action.VIEW, [EMPLOYMENT])],
    )
    return Panel("employment/coaching/panels/episode_end.html", {"coaching": coaching})


# Transition figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class OccasionFigures:
    """Share in work at one occasion among the coachings with that occasion recorded.
    ``unknown`` (recorded as not known) are in ``recorded`` and so in the denominator;
    ``missing`` are the ended coachings whose occasion has fallen due, unrecorded."""

    occasion: Occasion
    recorded: int
    in_work: int
    unknown: int
    missing: int

    @property
    def share_in_work(self) -> float | None:
        return self.in_work / self.recorded if self.recorded else None


def transition_figures(
    coachings: QuerySet[Coaching], on: date | None = None
) -> dict[Occasion, OccasionFigures]:
    """Share in work (open-market work, subsidised work, self-employment) at exit, and 3
    and 6 months after, of ``coachings`` (already limited to what the caller may count).
    Two queries whatever the number of coachings."""
    on = on or timezone.localdate()
    ended: list[tuple[int, date]] = [
        (coaching.pk, coaching.ended_on)
        for coaching in coachings.filter(ended_on__isnull=False).only("pk", "ended_on")
        if coaching.ended_on is not None
    ]
    kinds: dict[tuple[int, str], str] = {
        (coaching_id, occasion): kind
        for coaching_id, occasion, kind in Transition.objects.filter(
            coaching_id__in=[pk for pk, _ended in ended]
        ).values_list("coaching_id", "occasion", "kind")
    }
    figures = {}
    for occasion in Occasion:
        months = FOLLOW_UP_MONTHS.get(occasion, 0)
        recorded = [kinds[(pk, occasion)] for pk, _ended in ended if (pk, occasion) in kinds]
        missing = sum(
            1
            for pk, ended_on in ended
            if (pk, occasion) not in kinds and add_months(ended_on, months) <= on
        )
        figures[occasion] = OccasionFigures(
            occasion=occasion,
            recorded=len(recorded),
            in_work=sum(1 for kind in recorded if kind in IN_WORK_KINDS),
            unknown=sum(1 for kind in recorded if kind == TransitionKind.UNKNOWN),
            missing=missing,
        )
    return figures
