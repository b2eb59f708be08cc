"""Writes on programmes, projects and their staff: one function per act.

A project's description, area, organisations, budget and staff are not client data, so
these acts write no access-log rows (as the employer register's and the fidelity
reviews'). Who may act is decided by the policy: ``decisions.may_manage_configuration``
(programmes and their coordinators), ``decisions.may_create_project`` and
``decisions.may_manage_project``. A refused act raises ``PermissionDenied``, bad input a
``ValidationError`` with translated messages (named by the form field they concern); either
way nothing is saved.

Staff are ``policy.ProjectRole`` rows: the ground of project work. A role is never
deleted once it has been in effect: it ends with a date (``valid_until``, the last day it
holds), so that who could read the project's data and when stays known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import Membership, Organisation
from polku.core.models import Municipality
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import ProjectRoleKind
from polku.policy.models import ProjectRole
from polku.projects.models import BudgetYear, FundingProgramme, Project

STAFF_KINDS = (ProjectRoleKind.MANAGER, ProjectRoleKind.WORKER)


# --- checks ----------------------------------------------------------------------------------


def _require_administrator(actor: Actor) -> None:
    if not decisions.may_manage_configuration(actor):
        raise PermissionDenied(_("Only administrators keep the programmes."))


def _require_manager(actor: Actor, project: Project) -> None:
    if not decisions.may_manage_project(actor, project):
        raise PermissionDenied(_("Only the project's managers change the project."))


def _check_period(starts_on: date, ends_on: date, programme: FundingProgramme) -> None:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The project cannot end before it starts.")})
    if starts_on < programme.starts_on or ends_on > programme.ends_on:
        raise ValidationError(
            {
                "ends_on" if starts_on >= programme.starts_on else "starts_on": _(
                    "The project's period must be inside the programme's period, %(start)s–%(end)s."
                )
                % {
                    "start": programme.starts_on.strftime("%d.%m.%Y"),
                    "end": programme.ends_on.strftime("%d.%m.%Y"),
                }
            }
        )


def _check_partners(organisation: Organisation, partners: Iterable[Organisation]) -> None:
    if any(partner.pk == organisation.pk for partner in partners):
        raise ValidationError(
            {"partners": _("The administering organisation cannot also be a partner.")}
        )


def _check_budget(starts_on: date, ends_on: date, budget: Mapping[int, Decimal | None]) -> None:
    errors = []
    for year, amount in sorted(budget.items()):
        if amount is None:
            continue
        if not starts_on.year <= year <= ends_on.year:
            errors.append(
                _("The budget year %(year)d is outside the project's period.") % {"year": year}
            )
        if amount < 0:
            errors.append(_("The budget of %(year)d cannot be negative.") % {"year": year})
    if errors:
        raise ValidationError({"budget": errors})


def _save_budget(project: Project, budget: Mapping[int, Decimal | None]) -> None:
    """Each year named gets its amount; a year named with None (a blank field) has none."""
    for year, amount in budget.items():
        if amount is None:
            BudgetYear.objects.filter(project=project, year=year).delete()
        else:
            BudgetYear.objects.update_or_create(
                project=project, year=year, defaults={"amount": amount}
            )


# --- programmes ----------------------------------------------------------------------------


@transaction.atomic
def create_programme(
    *, actor: Actor, name: str, starts_on: date, ends_on: date, description: str = ""
) -> FundingProgramme:
    """A programme (a national theme or measure package) that projects are funded from."""
    _require_administrator(actor)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The programme cannot end before it starts.")})
    programme = FundingProgramme(
        name=name.strip(), description=description.strip(), starts_on=starts_on, ends_on=ends_on
    )
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def add_coordinator(
    *,
    actor: Actor,
    programme: FundingProgramme,
    membership: Membership,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> ProjectRole:
    """Make the professional of an active ``membership`` a coordinator of ``programme``,
    for that membership's organisation: they read the figures of all its projects."""
    _require_administrator(actor)
    valid_from = valid_from or timezone.localdate()
    if not Membership.objects.active().filter(pk=membership.pk, user__is_active=True).exists():
        raise ValidationError(
            {"membership": _("Choose a professional with a membership valid today.")}
        )
    _check_role_period(valid_from, valid_until)
    overlapping = _overlapping(
        ProjectRole.objects.filter(
            kind=ProjectRoleKind.COORDINATOR,
            programme_key=programme.public_id,
            user_id=membership.user_id,
            organisation_id=membership.organisation_id,
        ),
        valid_from,
        valid_until,
    )
    if overlapping.exists():
        raise ValidationError(
            {"membership": _("This professional already coordinates the programme.")}
        )
    return ProjectRole.objects.create(
        user_id=membership.user_id,
        organisation_id=membership.organisation_id,
        kind=ProjectRoleKind.COORDINATOR,
        programme_key=programme.public_id,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=actor.person,
    )


# --- projects ------------------------------------------------------------------------------


@transaction.atomic
def create_project(
    *,
    actor: Actor,
    programme: FundingProgramme,
    organisation: Organisation,
    name: str,
    funder: str,
    instrument: str,
    starts_on: date,
    ends_on: date,
    code: str = "",
    description: str = "",
    partners: Iterable[Organisation] = (),
    municipalities: Iterable[Municipality] = (),
    budget: Mapping[int, Decimal | None] | None = None,
    manager: Membership | None = None,
) -> Project:
    """Start a project administered by ``organisation``. Its first manager is ``manager``
    (an active member of that organisation) when named, else the creator, who must then
    act for that organisation."""
    if not decisions.may_create_project(actor, organisation):
        raise PermissionDenied(
            _("Only administrators and the organisation's project managers start projects.")
        )
    partners = list(partners)
    budget = budget or {}
    if not organisation.is_active:
        raise ValidationError({"organisation": _("The organisation is no longer active.")})
    _check_period(starts_on, ends_on, programme)
    _check_partners(organisation, partners)
    _check_budget(starts_on, ends_on, budget)
    first_manager = manager or decisions.acting_membership(actor)
    if first_manager is None or not (
        first_manager.organisation_id == organisation.pk
        and Membership.objects.active().filter(pk=first_manager.pk, user__is_active=True).exists()
    ):
        raise ValidationError(
            {
                "manager": _(
                    "Name the project's first manager: a professional of the administering "
                    "organisation with a membership valid today."
                )
            }
        )
    project = Project(
        programme=programme,
        organisation=organisation,
        name=name.strip(),
        code=code.strip(),
        funder=funder.strip(),
        instrument=instrument,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
        created_by=actor.person,
    )
    project.full_clean()
    project.save()
    project.partners.set(partners)
    project.municipalities.set(list(municipalities))
    _save_budget(project, budget)
    ProjectRole.objects.create(
        user_id=first_manager.user_id,
        organisation_id=organisation.pk,
        kind=ProjectRoleKind.MANAGER,
        project_key=project.public_id,
        valid_from=timezone.localdate(),
        created_by=actor.person,
    )
    return project


@transaction.atomic
def update_project(
    *,
    actor: Actor,
    project: Project,
    name: str,
    funder: str,
    instrument: str,
    starts_on: date,
    ends_on: date,
    code: str = "",
    description: str = "",
    partners: Iterable[Organisation] = (),
    municipalities: Iterable[Municipality] = (),
    budget: Mapping[int, Decimal | None] | None = None,
) -> Project:
    """Change the project's description, period, area, partners and budget. A partner
    taken away loses its staff: their roles end (``_end_partner_staff``). The budget maps
    years to amounts; a year with None has no budget, a year not named keeps its own."""
    _require_manager(actor, project)
    locked = Project.objects.select_for_update().select_related("programme").get(pk=project.pk)
    partners = list(partners)
    budget = dict(budget or {})
    _check_period(starts_on, ends_on, locked.programme)
    _check_partners(locked.organisation, partners)
    kept = {row.year: row.amount for row in locked.budget_years.all() if row.year not in budget}
    _check_budget(starts_on, ends_on, {**kept, **budget})
    removed = set(locked.partners.values_list("pk", flat=True)) - {p.pk for p in partners}
    for field, value in {
        "name": name.strip(),
        "code": code.strip(),
        "funder": funder.strip(),
        "instrument": instrument,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "description": description.strip(),
    }.items():
        setattr(locked, field, value)
    locked.full_clean()
    locked.save()
    locked.partners.set(partners)
    locked.municipalities.set(list(municipalities))
    _save_budget(locked, budget)
    if removed:
        _end_partner_staff(locked, removed)
    return locked


def _end_partner_staff(project: Project, organisation_ids: set[int]) -> None:
    """The roles of a removed partner's staff end yesterday: they hold no more from the
    day of the removal. A role that had not yet been in effect before today is removed."""
    yesterday = timezone.localdate() - timedelta(days=1)
    roles = ProjectRole.objects.filter(
        project_key=project.public_id, organisation_id__in=organisation_ids
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=yesterday))
    roles.filter(valid_from__gt=yesterday).delete()
    roles.filter(valid_from__lte=yesterday).update(valid_until=yesterday)


# --- staff ---------------------------------------------------------------------------------


def _check_role_period(valid_from: date, valid_until: date | None) -> None:
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("A role cannot end before it starts.")})


def _overlapping(
    roles: QuerySet[ProjectRole], valid_from: date, valid_until: date | None
) -> QuerySet[ProjectRole]:
    """Of ``roles``, those whose period shares a day with ``valid_from``–``valid_until``."""
    overlapping = roles.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
    if valid_until is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_until)
    return overlapping


def project_organisation_ids(project: Project) -> set[int]:
    """The administering organisation and the partners: the organisations of its staff."""
    return {project.organisation_id, *project.partners.values_list("pk", flat=True)}


@transaction.atomic
def add_staff(
    *,
    actor: Actor,
    project: Project,
    membership: Membership,
    kind: str,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> ProjectRole:
    """Give the professional of an active ``membership`` of the administering or a
    partner organisation a role in the project (manager or worker), for that organisation,
    from ``valid_from`` (today) until ``valid_until`` (open)."""
    _require_manager(actor, project)
    valid_from = valid_from or timezone.localdate()
    if kind not in STAFF_KINDS:
        raise ValidationError({"kind": _("A project's staff are its managers and workers.")})
    if membership.organisation_id not in project_organisation_ids(project):
        raise ValidationError(
            {
                "membership": _(
                    "Staff come from the administering organisation or a partner organisation."
                )
            }
        )
    if not Membership.objects.active().filter(pk=membership.pk, user__is_active=True).exists():
        raise ValidationError(
            {"membership": _("Choose a professional with a membership valid today.")}
        )
    _check_role_period(valid_from, valid_until)
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("A new role cannot have ended already.")})
    if valid_from > project.ends_on:
        raise ValidationError({"valid_from": _("The role cannot start after the project ends.")})
    same_person = ProjectRole.objects.filter(
        project_key=project.public_id, user_id=membership.user_id
    )
    if _overlapping(same_person, valid_from, valid_until).exists():
        raise ValidationError(
            {"membership": _("This professional already has a role in the project then.")}
        )
    return ProjectRole.objects.create(
        user_id=membership.user_id,
        organisation_id=membership.organisation_id,
        kind=kind,
        project_key=project.public_id,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by=actor.person,
    )


@transaction.atomic
def end_staff_role(
    *, actor: Actor, project: Project, role: ProjectRole, valid_until: date
) -> ProjectRole:
    """End a staff role: ``valid_until`` is its last day. A role that has already ended
    stays as it is, and the project keeps at least one manager."""
    _require_manager(actor, project)
    locked = ProjectRole.objects.select_for_update().get(pk=role.pk)
    if locked.project_key != project.public_id or locked.kind not in STAFF_KINDS:
        raise ValidationError(_("The role is not one of this project's staff."))
    today = timezone.localdate()
    if locked.valid_until is not None and locked.valid_until < today:
        raise ValidationError(_("This role has already ended."))
    if valid_until < locked.valid_from:
        raise ValidationError({"valid_until": _("A role cannot end before it starts.")})
    if locked.kind == ProjectRoleKind.MANAGER:
        managers_after = (
            ProjectRole.objects.filter(project_key=project.public_id, kind=ProjectRoleKind.MANAGER)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=valid_until))
            .exclude(pk=locked.pk)
        )
        if not managers_after.exists():
            raise ValidationError(
                _("The project needs a manager: add another manager before ending this role.")
            )
    locked.valid_until = valid_until
    locked.save(update_fields=["valid_until"])
    return locked
