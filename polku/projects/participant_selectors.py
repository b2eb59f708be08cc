"""Reads of project participants: the participant list of a project, one participant's
page, a client's participations, and what Polku already knows to prefill the entry, exit
and follow-up forms.

Every read asks the policy (``decisions.decide_on_participant`` and
``visible_participants``) and writes its access-log rows before returning. The prefill
reads employment data only through what the actor may read themselves (the employment
models' ``visible_to``), and logs each record it used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.audit.enums import AuditEvent
from polku.audit.services import Access, record
from polku.clients.models import Client
from polku.core.panels import Panel
from polku.employment.coaching_enums import IN_WORK_KINDS, Occasion, Stage, TransitionKind
from polku.employment.models import Coaching, Placement, Transition
from polku.employment.placement_enums import PlacementKind
from polku.measures.schedules import add_months
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import PROJECT_STAFF_KINDS, Action, DataCategory
from polku.projects.enums import UNEMPLOYED_STATUSES, LabourStatus
from polku.projects.models import Participant, Project, SensitiveDetails
from polku.projects.participant_services import (
    UPON_LEAVING_WINDOW,
    age_on,
    counts_as_upon_leaving,
)

BASIC, PROJECT = DataCategory.BASIC, DataCategory.PROJECT
PROJECT_SENSITIVE, EMPLOYMENT = DataCategory.PROJECT_SENSITIVE, DataCategory.EMPLOYMENT
# The longer-term results are observed six months after leaving.
FOLLOW_UP_MONTHS = 6


def _day(value: date) -> str:
    return value.strftime("%-d.%-m.%Y")


def follow_up_due_on(participant: Participant) -> date | None:
    """When the situation six months after leaving falls due; None before leaving."""
    if participant.left_on is None:
        return None
    return add_months(participant.left_on, FOLLOW_UP_MONTHS)


def _withhold_municipalities(actor: Actor, participants: Iterable[Participant]) -> None:
    """Blank, on these instances, the municipality snapshotted at entry of a client now
    under a non-disclosure for personal safety, unless the policy shows the actor where the
    client lives (``decisions.addresses_withheld``): the snapshot must not tell what the
    client record no longer does. One query at most."""
    participants = list(participants)
    withheld = decisions.addresses_withheld(actor, [p.client for p in participants])
    for participant in participants:
        if participant.client_id in withheld:
            participant.municipality = None


# Logging ---------------------------------------------------------------------------------


class _Decisions:
    """``decide_on_participant`` asked once per owner and register of one project's
    participants (the answer differs by nothing else for a professional), so that a list
    of any length costs the same few queries."""

    def __init__(self, actor: Actor, action: Action, *, sensitive: bool = False) -> None:
        self.actor, self.action, self.sensitive = actor, action, sensitive
        self._cache: dict[tuple[Any, ...], decisions.Decision] = {}

    def __call__(self, participant: Participant) -> decisions.Decision:
        key = (
            participant.project_id,
            participant.organisation_id,
            participant.register,
            participant.client_id if self.actor.client_id else None,
        )
        if key not in self._cache:
            self._cache[key] = decisions.decide_on_participant(
                self.actor, participant, self.action, sensitive=self.sensitive
            )
        return self._cache[key]


def _log_participants(
    actor: Actor,
    participants: Iterable[Participant],
    action: Action,
    *,
    categories: Iterable[DataCategory] = (BASIC, PROJECT),
    event: AuditEvent | str = "",
) -> list[Participant]:
    """Of ``participants``, those the policy lets the actor take ``action`` on, each client
    logged once (one access-log row per client)."""
    decide = _Decisions(actor, action)
    shown: list[Participant] = []
    logged: dict[int, Access] = {}
    for participant in participants:
        decision = decide(participant)
        if not decision:
            continue
        shown.append(participant)
        logged.setdefault(
            participant.client_id,
            Access.granted(participant.client.public_id, decision, action, categories, event=event),
        )
    record(actor=actor, accesses=logged.values())
    return shown


# The participant list ---------------------------------------------------------------------


class ListFilter(models.TextChoices):
    ALL = "all", gettext_lazy("All")
    ACTIVE = "active", gettext_lazy("In the project")
    LEFT = "left", gettext_lazy("Left")
    FOLLOW_UP_DUE = "follow_up_due", gettext_lazy("Follow-up due")


@dataclass(frozen=True)
class ParticipantRow:
    participant: Participant
    today: date

    @property
    def entry_missing(self) -> bool:
        return not self.participant.labour_status or not self.participant.education_level

    @property
    def exit_missing(self) -> bool:
        return self.participant.left_on is not None and self.participant.exit_observed_on is None

    @property
    def follow_up_due_on(self) -> date | None:
        return follow_up_due_on(self.participant)

    @property
    def follow_up_due(self) -> bool:
        due = self.follow_up_due_on
        return (
            due is not None and due <= self.today and self.participant.follow_up_observed_on is None
        )


def project_for_participants(actor: Actor, public_id: Any) -> Project:
    """The project whose participants the actor keeps (its manager or worker); ``Http404``
    to anyone else, whether or not the project exists or they may read its figures."""
    project = (
        Project.objects.select_related("organisation", "programme")
        .filter(public_id=decisions.public_id_or_404(public_id))
        .first()
    )
    if project is None or not decisions.may_keep_participants(actor, project):
        raise Http404
    return project


def participant_rows(
    actor: Actor,
    project: Project,
    *,
    show: ListFilter | str = ListFilter.ALL,
    action: Action = Action.LIST,
) -> list[ParticipantRow]:
    """The project's participants the actor may see, filtered by ``show``, in entry order;
    each client logged once as listed (``LIST``) or exported (``EXPORT``, with the event
    ``PARTICIPANT_EXPORTED``). The sensitive details are never read here."""
    today = timezone.localdate()
    rows = Participant.objects.visible_to(actor).filter(project=project)
    if show == ListFilter.ACTIVE:
        rows = rows.filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
    elif show in (ListFilter.LEFT, ListFilter.FOLLOW_UP_DUE):
        rows = rows.filter(left_on__isnull=False, left_on__lte=today)
    participants = list(
        rows.select_related("client", "municipality", "project__programme").order_by(
            "entered_on", "client__last_name", "pk"
        )
    )
    if show == ListFilter.FOLLOW_UP_DUE:
        participants = [p for p in participants if ParticipantRow(p, today).follow_up_due]
    event = AuditEvent.PARTICIPANT_EXPORTED if action == Action.EXPORT else ""
    shown = _log_participants(actor, participants, action, event=event)
    _withhold_municipalities(actor, shown)
    return [ParticipantRow(participant, today) for participant in shown]


# One participant ----------------------------------------------------------------------------


@dataclass
class ParticipantPage:
    participant: Participant
    may_change: bool
    # Whether the sensitive section is shown at all: to others nothing of it is, not even
    # whether answers exist. The answers: None when none are recorded (or not shown).
    may_see_sensitive: bool
    sensitive: SensitiveDetails | None
    today: date
    exit_prefill: Prefill | None = None
    follow_up_prefill: Prefill | None = None

    @property
    def exit_counts_upon_leaving(self) -> bool:
        p = self.participant
        return counts_as_upon_leaving(p.left_on, p.exit_observed_on)

    @property
    def follow_up_due_on(self) -> date | None:
        return follow_up_due_on(self.participant)


def participant_page(
    actor: Actor, participant: Participant, decision: decisions.Decision
) -> ParticipantPage:
    """What the participant page shows of a participant ``access_participant`` opened to
    the actor (with its ``decision``), logged: the details (``BASIC``, ``PROJECT``) and,
    for those the policy allows, the sensitive details (``PROJECT_SENSITIVE``) when there
    are any."""
    sensitive_decision = decisions.decide_on_participant(
        actor, participant, Action.VIEW, sensitive=True
    )
    sensitive = None
    if sensitive_decision:
        sensitive = SensitiveDetails.objects.filter(participant=participant).first()
    may_change = bool(decisions.decide_on_participant(actor, participant, Action.CHANGE))
    accesses = [
        Access.granted(participant.client.public_id, decision, Action.VIEW, [BASIC, PROJECT])
    ]
    if sensitive is not None:
        accesses.append(
            Access.granted(
                participant.client.public_id, sensitive_decision, Action.VIEW, [PROJECT_SENSITIVE]
            )
        )
    record(actor=actor, accesses=accesses)
    _withhold_municipalities(actor, [participant])
    page = ParticipantPage(
        participant=participant,
        may_change=may_change,
        may_see_sensitive=bool(sensitive_decision),
        sensitive=sensitive,
        today=timezone.localdate(),
    )
    if may_change and participant.left_on is not None:
        if participant.exit_observed_on is None:
            page.exit_prefill = exit_prefill(actor, participant)
        if participant.follow_up_observed_on is None:
            page.follow_up_prefill = follow_up_prefill(actor, participant)
    return page


# A client's participations ------------------------------------------------------------------


def participations_of(actor: Actor, client: Client) -> list[Participant]:
    """The client's participations in projects that the actor may see, each logged as
    listed."""
    participations = list(
        Participant.objects.visible_to(actor)
        .filter(client=client)
        .select_related("client", "project__organisation", "project__programme")
        .order_by("-entered_on", "pk")
    )
    return _log_participants(actor, participations, Action.LIST, categories=[PROJECT])


def participation_in(actor: Actor, project: Project, client: Client) -> Participant | None:
    """The client's participation in ``project``, if there is one the actor may see (only
    its existence: the caller links to it, whose page logs its own read)."""
    return Participant.objects.visible_to(actor).filter(project=project, client=client).first()


def enrolment_options(actor: Actor, client: Client) -> list[Project]:
    """The running projects in whose staff the actor is, which the policy lets them enrol
    ``client`` in (``decisions.may_enrol``) and in which the client does not yet take part."""
    today = timezone.localdate()
    keys = decisions.project_roles(actor).filter(kind__in=PROJECT_STAFF_KINDS).values("project_key")
    projects = (
        Project.objects.filter(public_id__in=keys, starts_on__lte=today)
        .exclude(participants__client=client)
        .select_related("programme")
        .order_by("name", "pk")
    )
    return [project for project in projects if decisions.may_enrol(actor, project, client)]


def client_panel(*, client: Client, owners: decisions.OwnerDecisions) -> Panel | None:
    """The client's participations in funded projects on the client's page, and where the
    reader may enrol the client; nothing for a reader with neither."""
    actor = owners.actor
    participations = participations_of(actor, client)
    options = enrolment_options(actor, client)
    if not participations and not options:
        return None
    return Panel(
        "projects/participants/_client_panel.html",
        {
            "client": client,
            "participations": participations,
            "options": options,
            "today": timezone.localdate(),
        },
    )


# Prefill -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prefilled:
    """A value Polku already knows, and where it came from (shown beside the field)."""

    value: Any
    source: str
    display: str = ""


@dataclass
class Prefill:
    values: dict[str, Prefilled] = field(default_factory=dict)

    def initial(self) -> dict[str, Any]:
        return {name: prefilled.value for name, prefilled in self.values.items()}

    def __bool__(self) -> bool:
        return bool(self.values)


class _EmploymentReads:
    """The client's employment records the actor may read themselves, each logged once
    when a prefilled value is taken from it."""

    def __init__(self, actor: Actor, client: Client) -> None:
        self.actor, self.client = actor, client
        self._used: dict[tuple[int, str], Access] = {}

    def coachings(self) -> list[Coaching]:
        return list(
            Coaching.objects.visible_to(self.actor)
            .filter(client=self.client)
            .prefetch_related("stages", "transitions")
            .select_related("organisation")
            .order_by("started_on", "pk")
        )

    def placements(self, on: date) -> list[Placement]:
        return list(
            Placement.objects.visible_to(self.actor)
            .filter(client=self.client)
            .held_on(on)
            .select_related("employer", "coaching__organisation")
            .order_by("-started_on", "pk")
        )

    def used(self, coaching: Coaching) -> None:
        key = (coaching.organisation_id, coaching.register)
        if key in self._used:
            return
        decision = decisions.decide(
            self.actor,
            self.client,
            action=Action.VIEW,
            category=EMPLOYMENT,
            owner=coaching.organisation,
            register=coaching.register,
        )
        if decision:
            self._used[key] = Access.granted(
                self.client.public_id, decision, Action.VIEW, [EMPLOYMENT]
            )

    def log(self) -> None:
        record(actor=self.actor, accesses=self._used.values())


def _stage_on(coaching: Coaching, on: date) -> str:
    stages = [s for s in coaching.stages.all() if s.started_on <= on]
    return stages[-1].stage if stages else coaching.stage


def entry_prefill(actor: Actor, project: Project, client: Client, on: date) -> Prefill:
    """What Polku knows of the client on the entry date ``on``: gender, age and
    municipality from the client record (snapshotted, never typed), and the labour-market
    status from job coaching the actor may read — a job held on that day: employed; an
    open coaching in the job search: unemployed (whether long-term is for the user to
    say). The caller has checked that the actor may enrol the client."""
    prefill = Prefill()
    from_record = _("from the client record")
    prefill.values["gender"] = Prefilled(client.gender, from_record, client.get_gender_display())
    prefill.values["age_at_entry"] = Prefilled(
        age_on(client.birth_date, on), from_record, str(age_on(client.birth_date, on))
    )
    if client.under_non_disclosure:
        prefill.values["municipality"] = Prefilled(
            None, _("not recorded: the client has a non-disclosure for personal safety"), "–"
        )
    elif client.municipality is not None:
        prefill.values["municipality"] = Prefilled(
            client.municipality_id, from_record, client.municipality.name
        )
    reads = _EmploymentReads(actor, client)
    jobs = [p for p in reads.placements(on) if p.kind == PlacementKind.JOB]
    if jobs:
        job = jobs[0]
        reads.used(job.coaching)
        prefill.values["labour_status"] = Prefilled(
            LabourStatus.EMPLOYED,
            _("from job coaching: a job at %(employer)s since %(date)s")
            % {"employer": job.employer.name, "date": _day(job.started_on)},
            str(LabourStatus.EMPLOYED.label),
        )
    else:
        for coaching in reversed(reads.coachings()):
            running = coaching.started_on <= on and (
                coaching.ended_on is None or coaching.ended_on >= on
            )
            if running and _stage_on(coaching, on) == Stage.JOB_SEARCH:
                reads.used(coaching)
                prefill.values["labour_status"] = Prefilled(
                    LabourStatus.UNEMPLOYED,
                    _("from job coaching: in the job search on %(date)s") % {"date": _day(on)},
                    str(LabourStatus.UNEMPLOYED.label),
                )
                break
    reads.log()
    return prefill


def _yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def _transition(
    coachings: list[Coaching], occasion: Occasion, earliest: date, latest: date, aim: date
) -> tuple[Coaching, Transition] | None:
    """The known transition of ``occasion`` observed between ``earliest`` and ``latest``,
    nearest to ``aim``."""
    found = [
        (coaching, transition)
        for coaching in coachings
        for transition in coaching.transitions.all()
        if transition.occasion == occasion
        and transition.kind != TransitionKind.UNKNOWN
        and earliest <= transition.observed_on <= latest
    ]
    if not found:
        return None
    return min(found, key=lambda pair: (abs((pair[1].observed_on - aim).days), pair[1].pk))


def exit_prefill(actor: Actor, participant: Participant) -> Prefill:
    """The situation upon leaving as job coaching knows it: the coaching's transition at
    exit observed within four weeks after leaving (work: employed; education: in
    education; unemployed: job searching), else a job or studies held on the leaving day."""
    prefill = Prefill()
    left_on = participant.left_on
    if left_on is None:
        return prefill
    client = participant.client
    reads = _EmploymentReads(actor, client)
    found = _transition(
        reads.coachings(), Occasion.EXIT, left_on, left_on + UPON_LEAVING_WINDOW, left_on
    )
    if found is not None:
        coaching, transition = found
        reads.used(coaching)
        source = _("from job coaching, transition at exit %(date)s (%(kind)s)") % {
            "date": _day(transition.observed_on),
            "kind": transition.get_kind_display(),
        }
        observed = transition.observed_on
        values = {
            "employed": transition.kind in IN_WORK_KINDS,
            "in_education": transition.kind == TransitionKind.EDUCATION,
            "job_searching": transition.kind == TransitionKind.UNEMPLOYED,
        }
    else:
        placements = reads.placements(left_on)
        if not placements:
            reads.log()
            return prefill
        placement = placements[0]
        reads.used(placement.coaching)
        is_job = placement.kind == PlacementKind.JOB
        source = (
            _("from job coaching: a job at %(employer)s since %(date)s")
            if is_job
            else _("from job coaching: studies at %(employer)s since %(date)s")
        ) % {"employer": placement.employer.name, "date": _day(placement.started_on)}
        observed = left_on
        values = {"employed": True} if is_job else {"in_education": True}
    prefill.values["observed_on"] = Prefilled(observed, source, _day(observed))
    for name, value in values.items():
        prefill.values[name] = Prefilled(value, source, _yes_no(value))
    reads.log()
    return prefill


def follow_up_prefill(actor: Actor, participant: Participant) -> Prefill:
    """The situation six months after leaving as job coaching knows it: the coaching's
    six-month transition observed after leaving (work: employed). Improved: employed six
    months after leaving while unemployed or outside the labour force at entry."""
    prefill = Prefill()
    left_on = participant.left_on
    if left_on is None:
        return prefill
    reads = _EmploymentReads(actor, participant.client)
    aim = add_months(left_on, FOLLOW_UP_MONTHS)
    found = _transition(
        reads.coachings(),
        Occasion.MONTHS_6,
        left_on + timedelta(days=1),
        aim + timedelta(days=92),
        aim,
    )
    if found is not None:
        coaching, transition = found
        reads.used(coaching)
        source = _("from job coaching, transition 6 months after exit %(date)s (%(kind)s)") % {
            "date": _day(transition.observed_on),
            "kind": transition.get_kind_display(),
        }
        employed = transition.kind in IN_WORK_KINDS
        prefill.values["observed_on"] = Prefilled(
            transition.observed_on, source, _day(transition.observed_on)
        )
        prefill.values["employed"] = Prefilled(employed, source, _yes_no(employed))
        entry_status = participant.labour_status
        if employed and (
            entry_status in UNEMPLOYED_STATUSES or entry_status == LabourStatus.INACTIVE
        ):
            prefill.values["improved"] = Prefilled(
                True,
                _("employed six months after leaving, %(status)s at entry")
                % {"status": participant.get_labour_status_display().lower()},
                _yes_no(True),
            )
    reads.log()
    return prefill
