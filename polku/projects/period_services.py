"""Reporting periods: adding a period to a project and closing it, which freezes its
funder report (the exact one and the public one, as PDF and XLSX) byte for byte.

Only the project's managers act here (``decisions.may_manage_project``). Refused acts
raise ``Http404`` (an outsider) or ``PermissionDenied`` (a reader); bad input raises
``ValidationError``; either way nothing changes.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.policy import decisions
from polku.policy.actors import Actor
from polku.projects import report_exports
from polku.projects.models import Project, ReportingPeriod


def require_manager(actor: Actor, project: Project) -> None:
    """The project's managers act; its other readers are refused, and outsiders do not
    learn that the project exists."""
    if decisions.may_manage_project(actor, project):
        return
    if decisions.may_read_project(actor, project):
        raise PermissionDenied(_("Only the project's managers can do this."))
    raise Http404


def check_period(project: Project, starts_on: date, ends_on: date) -> None:
    """A period inside the project's own, in order, overlapping none of its other
    periods; else ``ValidationError`` naming the problem."""
    problems: dict[str, str] = {}
    if ends_on < starts_on:
        problems["ends_on"] = _("The end date must not be before the start date.")
    elif starts_on < project.starts_on or ends_on > project.ends_on:
        problems["starts_on"] = _(
            "The period must be within the project's period, %(start)s – %(end)s."
        ) % {
            "start": project.starts_on.strftime("%-d.%-m.%Y"),
            "end": project.ends_on.strftime("%-d.%-m.%Y"),
        }
    elif project.periods.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
        problems["starts_on"] = _("The period overlaps another reporting period of the project.")
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def add_period(
    *, actor: Actor, project: Project, starts_on: date, ends_on: date
) -> ReportingPeriod:
    require_manager(actor, project)
    # Two managers adding periods at once must not both pass the overlap check.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    check_period(project, starts_on, ends_on)
    return ReportingPeriod.objects.create(project=project, starts_on=starts_on, ends_on=ends_on)


def check_close(period: ReportingPeriod) -> None:
    if period.is_closed:
        raise ValidationError(_("The period has already been closed."))
    if period.ends_on >= timezone.localdate():
        raise ValidationError(
            _("A period can be closed once it has ended: the last day is %(day)s.")
            % {"day": period.ends_on.strftime("%-d.%-m.%Y")}
        )


@transaction.atomic
def close_period(*, actor: Actor, period: ReportingPeriod) -> ReportingPeriod:
    """Close the period: its reports are made now, from the data as it stands, and kept
    as they are; later edits to participants or goals change the open periods' reports,
    never this one's. The reports say when they were frozen and by whom."""
    require_manager(actor, period.project)
    period = ReportingPeriod.objects.select_for_update().select_related("project").get(pk=period.pk)
    check_close(period)
    assert actor.user is not None  # a manager is a professional
    closed_at = timezone.now()
    files = report_exports.frozen_files(
        period.project, period.starts_on, period.ends_on, frozen_at=closed_at, frozen_by=actor.user
    )
    period.report_pdf = files.report_pdf
    period.report_xlsx = files.report_xlsx
    period.public_pdf = files.public_pdf
    period.public_xlsx = files.public_xlsx
    period.closed_at = closed_at
    period.closed_by = actor.user
    period.save()
    return period
