"""The home page for each kind of work: what the signed-in professional does in Polku.

Client work gets the worklist (``selectors.worklist``); a job coach also the way to their
job-coaching caseload (``employment``, linked by name only: this layer imports none of
it). Project managers and analysts see aggregates only, never an individual: their home
leads to the group results, the instruments and the measurement schedules.
Administrators manage configuration, never client content: their home says what needs
their attention (professionals without two-step sign-in, the state of the access log's
seals) and leads to administration. A person may see several of these, by the membership
they act for and whether they are an administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from polku.accounts.enums import Role
from polku.accounts.models import Organisation, Unit, User
from polku.audit.models import AccessLogEntry, AccessLogSeal
from polku.policy import decisions
from polku.policy.actors import Actor

CLIENT_WORK = "client_work"
JOB_COACHING = "job_coaching"
PROJECT_MANAGER = "project_manager"
ANALYST = "analyst"
ADMINISTRATOR = "administrator"


def home_sections(actor: Actor) -> list[str]:
    """The parts of the home page for the actor, in the order shown."""
    sections = []
    if actor.client_work_membership() is not None:
        sections.append(CLIENT_WORK)
        if actor.role == Role.JOB_COACH:
            sections.append(JOB_COACHING)
    if actor.membership is not None and actor.role == Role.PROJECT_MANAGER:
        sections.append(PROJECT_MANAGER)
    if actor.membership is not None and actor.role == Role.ANALYST:
        sections.append(ANALYST)
    if decisions.may_manage_configuration(actor):
        sections.append(ADMINISTRATOR)
    return sections


@dataclass(frozen=True)
class AdministrationOverview:
    organisations: int
    units: int
    professionals: int
    without_second_factor: int
    last_sealed_at: datetime | None
    unsealed_rows: int


def administration_overview() -> AdministrationOverview:
    """Counts for the administrator's home: configuration and the log's state, no client
    data (the access log is counted, not read)."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    active = User.objects.filter(is_active=True)
    last_seal = AccessLogSeal.objects.order_by("-last_sequence").first()
    unsealed = AccessLogEntry.objects.all()
    if last_seal is not None:
        unsealed = unsealed.filter(sequence__gt=last_seal.last_sequence)
    return AdministrationOverview(
        organisations=Organisation.objects.filter(is_active=True).count(),
        units=Unit.objects.filter(is_active=True, organisation__is_active=True).count(),
        professionals=active.count(),
        without_second_factor=active.exclude(Exists(confirmed)).count(),
        last_sealed_at=last_seal.sealed_at if last_seal else None,
        unsealed_rows=unsealed.count(),
    )
