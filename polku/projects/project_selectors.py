"""Reads of programmes and projects: the projects an actor may read, a project's overview,
a programme's overview for its coordinators, and the home page's "Your projects".

These pages show the project's own description and counts of its participants, never a
participant: a count is not client data, so nothing here is written to the access log.
Projects and programmes are reached only through ``access_project`` and
``access_programme``, which answer ``Http404`` to an actor who may not read them (that a
project exists is not told) and ``PermissionDenied`` to a reader who may not manage it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from polku.accounts.models import Membership, Organisation, User
from polku.core.codesets.rural import GroupingNotLoaded, rural_municipality_codes
from polku.core.panels import Panel
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import ProjectRoleKind
from polku.policy.models import ProjectRole
from polku.projects.models import FundingProgramme, Participant, Project

# --- reaching a project or a programme -----------------------------------------------------


def access_project(actor: Actor, public_id: UUID | str, *, manage: bool = False) -> Project:
    """The project, when the actor may read it (and with ``manage``, manage it)."""
    project = (
        Project.objects.select_related("programme", "organisation")
        .filter(public_id=decisions.public_id_or_404(public_id))
        .first()
    )
    if project is None or not decisions.may_read_project(actor, project):
        raise Http404
    if manage and not decisions.may_manage_project(actor, project):
        raise PermissionDenied
    return project


def access_programme(actor: Actor, public_id: UUID | str) -> FundingProgramme:
    """The programme, for its coordinators and for administrators (who keep it)."""
    programme = FundingProgramme.objects.filter(
        public_id=decisions.public_id_or_404(public_id)
    ).first()
    if programme is None or not decisions.may_read_programme(actor, programme.public_id):
        raise Http404
    return programme


# --- the list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeGroup:
    programme: FundingProgramme
    projects: list[Project]
    coordinated: bool  # the actor coordinates the programme: its overview is open to them


def readable_projects(actor: Actor) -> list[ProgrammeGroup]:
    """The projects the actor may read, grouped by programme (by name), each programme
    telling whether the actor coordinates it."""
    projects = (
        Project.objects.readable_by(actor)
        .select_related("programme", "organisation")
        .order_by("programme__name", "programme__pk", "name", "pk")
    )
    coordinated = set(
        decisions.project_roles(actor)
        .filter(kind=ProjectRoleKind.COORDINATOR)
        .values_list("programme_key", flat=True)
    )
    groups: dict[int, list[Project]] = defaultdict(list)
    programmes: dict[int, FundingProgramme] = {}
    for project in projects:
        groups[project.programme_id].append(project)
        programmes[project.programme_id] = project.programme
    # A coordinator's programme without projects yet is listed too.
    for programme in FundingProgramme.objects.filter(public_id__in=coordinated):
        programmes.setdefault(programme.pk, programme)
        groups.setdefault(programme.pk, [])
    ordered = sorted(programmes.values(), key=lambda programme: (programme.name, programme.pk))
    return [
        ProgrammeGroup(programme, groups[programme.pk], programme.public_id in coordinated)
        for programme in ordered
    ]


# --- a project's overview ------------------------------------------------------------------


def elapsed_percent(starts_on: date, ends_on: date, today: date | None = None) -> int:
    """How much of a period has passed today, in whole percent (0 before, 100 after)."""
    today = today or timezone.localdate()
    if today <= starts_on:
        return 0
    if today >= ends_on:
        return 100
    return round(100 * (today - starts_on).days / (ends_on - starts_on).days)


@dataclass(frozen=True)
class ParticipantCounts:
    now: int  # entered, and not yet left (or leaving today or later)
    entered: int  # all who have entered
    left: int  # those who have left


def participant_counts(project: Project, today: date | None = None) -> ParticipantCounts:
    """Counts only: never a participant. A merged-away client record is not counted (the
    record it was merged into is)."""
    today = today or timezone.localdate()
    counts = Participant.objects.filter(
        project=project, client__merged_into__isnull=True, entered_on__lte=today
    ).aggregate(
        entered=Count("pk"),
        left=Count("pk", filter=Q(left_on__lt=today)),
        now=Count("pk", filter=Q(left_on__isnull=True) | Q(left_on__gte=today)),
    )
    return ParticipantCounts(now=counts["now"], entered=counts["entered"], left=counts["left"])


@dataclass(frozen=True)
class StaffMember:
    role: ProjectRole
    user: User
    active: bool  # in effect today
    ended: bool  # its last day has passed


@dataclass(frozen=True)
class StaffGroup:
    organisation: Organisation
    administers: bool
    members: list[StaffMember] = field(default_factory=list)


def project_staff(project: Project, *, include_ended: bool = False) -> list[StaffGroup]:
    """The project's managers and workers by organisation, the administering one first:
    today's and future roles, and with ``include_ended`` those that have ended."""
    today = timezone.localdate()
    roles = ProjectRole.objects.filter(project_key=project.public_id).select_related(
        "user", "organisation"
    )
    if not include_ended:
        roles = roles.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    organisations = [project.organisation, *project.partners.order_by("name")]
    groups = {
        organisation.pk: StaffGroup(organisation, organisation.pk == project.organisation_id)
        for organisation in organisations
    }
    for role in roles.order_by("kind", "user__last_name", "user__first_name", "pk"):
        group = groups.get(role.organisation_id)
        if group is None:  # a former partner's ended roles
            group = groups[role.organisation_id] = StaffGroup(role.organisation, False)
        ended = role.valid_until is not None and role.valid_until < today
        group.members.append(
            StaffMember(role, role.user, role.valid_from <= today and not ended, ended)
        )
    return list(groups.values())


@dataclass(frozen=True)
class BudgetRow:
    year: int
    amount: Decimal


@dataclass(frozen=True)
class ProjectOverview:
    project: Project
    elapsed_percent: int
    municipalities: list[str]
    rural_municipalities: int | None  # None: no urban–rural grouping loaded
    partners: list[Organisation]
    budget: list[BudgetRow]
    budget_total: Decimal
    staff: list[StaffGroup]
    counts: ParticipantCounts
    may_manage: bool
    role: ProjectRole | None


def project_overview(actor: Actor, project: Project) -> ProjectOverview:
    """Everything the project's page shows: funding, period and elapsed time, area,
    organisations, budget, staff and participant counts."""
    municipalities = list(project.municipalities.order_by("name_fi"))
    try:
        rural: int | None = len(
            rural_municipality_codes() & {municipality.code for municipality in municipalities}
        )
    except GroupingNotLoaded:
        rural = None
    budget = [BudgetRow(row.year, row.amount) for row in project.budget_years.order_by("year")]
    return ProjectOverview(
        project=project,
        elapsed_percent=elapsed_percent(project.starts_on, project.ends_on),
        municipalities=[municipality.name for municipality in municipalities],
        rural_municipalities=rural,
        partners=list(project.partners.order_by("name")),
        budget=budget,
        budget_total=sum((row.amount for row in budget), Decimal(0)),
        staff=project_staff(project),
        counts=participant_counts(project),
        may_manage=decisions.may_manage_project(actor, project),
        role=decisions.project_role(actor, project),
    )


def staff_candidates(project: Project) -> QuerySet[Membership]:
    """Whom a manager may add to the staff: the professionals with a membership valid
    today in the administering or a partner organisation."""
    organisation_ids = [project.organisation_id, *project.partners.values_list("pk", flat=True)]
    return (
        Membership.objects.active()
        .filter(organisation_id__in=organisation_ids, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name", "pk")
    )


def staff_role(project: Project, public_id: UUID | str) -> ProjectRole:
    """One of the project's staff roles, by its public id."""
    role = ProjectRole.objects.filter(
        public_id=decisions.public_id_or_404(public_id),
        project_key=project.public_id,
        kind__in=(ProjectRoleKind.MANAGER, ProjectRoleKind.WORKER),
    ).first()
    if role is None:
        raise Http404
    return role


def creatable_organisations(actor: Actor) -> QuerySet[Organisation]:
    """The organisations the actor may start a project for: every active one for an
    administrator, the one a project manager acts for."""
    active = Organisation.objects.filter(is_active=True).order_by("name")
    if decisions.may_manage_configuration(actor):
        return active
    membership = decisions.acting_membership(actor)
    if membership is None or not decisions.may_create_project(actor, membership.organisation):
        return active.none()
    return active.filter(pk=membership.organisation_id)


def open_programmes() -> QuerySet[FundingProgramme]:
    """The programmes a new project may belong to: those not yet ended."""
    return FundingProgramme.objects.filter(ends_on__gte=timezone.localdate()).order_by("name")


# --- a programme's overview ----------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeProjectRow:
    project: Project
    municipalities: list[str]
    participants_now: int
    entered_this_year: int


@dataclass(frozen=True)
class ProgrammeOverview:
    programme: FundingProgramme
    rows: list[ProgrammeProjectRow]
    coordinators: list[ProjectRole]
    may_coordinate: bool
    may_administer: bool
    participants_now: int
    entered_this_year: int


def programme_overview(actor: Actor, programme: FundingProgramme) -> ProgrammeOverview:
    """Every project of the programme with its period, area, administering organisation,
    participants now and entered this year — for its coordinators. An administrator, who
    keeps the programme but reads no figures, sees its projects and coordinators only."""
    today = timezone.localdate()
    coordinates = decisions.may_coordinate(actor, programme.public_id)
    projects = (
        Project.objects.filter(programme=programme)
        .select_related("organisation")
        .prefetch_related("municipalities")
        .order_by("name", "pk")
    )
    if coordinates:
        counted = Q(
            participants__client__merged_into__isnull=True,
            participants__entered_on__lte=today,
        )
        projects = projects.annotate(
            now=Count(
                "participants",
                filter=counted
                & (Q(participants__left_on__isnull=True) | Q(participants__left_on__gte=today)),
            ),
            this_year=Count(
                "participants",
                filter=counted & Q(participants__entered_on__year=today.year),
            ),
        )
    rows = [
        ProgrammeProjectRow(
            project=project,
            municipalities=sorted(m.name for m in project.municipalities.all()),
            participants_now=getattr(project, "now", 0),
            entered_this_year=getattr(project, "this_year", 0),
        )
        for project in projects
    ]
    coordinators = list(
        ProjectRole.objects.filter(
            kind=ProjectRoleKind.COORDINATOR, programme_key=programme.public_id
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    return ProgrammeOverview(
        programme=programme,
        rows=rows,
        coordinators=coordinators,
        may_coordinate=coordinates,
        may_administer=decisions.may_manage_configuration(actor),
        participants_now=sum(row.participants_now for row in rows),
        entered_this_year=sum(row.entered_this_year for row in rows),
    )


def visible_programmes(actor: Actor) -> QuerySet[FundingProgramme]:
    """The programmes whose page the actor may open: all for an administrator, the
    coordinated ones for a coordinator."""
    return FundingProgramme.objects.filter(decisions.readable_programmes(actor)).order_by(
        "name", "pk"
    )


def coordinator_candidates() -> QuerySet[Membership]:
    """Whom an administrator may make a programme's coordinator: anyone with a membership
    valid today."""
    return (
        Membership.objects.active()
        .filter(user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name", "pk")
    )


# --- the home page -------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeProject:
    project: Project
    kind: str  # the actor's role in it


def your_projects_panel(actor: Actor) -> Panel | None:
    """The home page's "Your projects": the projects the actor works in today (and the
    programmes they coordinate), with links; nothing for those without a project role."""
    roles = list(decisions.project_roles(actor))
    if not roles:
        return None
    kinds = {role.project_key: role.get_kind_display() for role in roles if role.project_key}
    projects = Project.objects.filter(public_id__in=list(kinds)).select_related("programme")
    programme_keys = [role.programme_key for role in roles if role.programme_key]
    return Panel(
        "projects/project_home_panel.html",
        {
            "projects": [
                HomeProject(project, kinds[project.public_id])
                for project in projects.order_by("name", "pk")
            ],
            "programmes": list(
                FundingProgramme.objects.filter(public_id__in=programme_keys).order_by("name")
            ),
        },
    )
