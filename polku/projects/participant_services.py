"""Writes on project participants: enrolling a client, and recording the ESF+ details at
entry, the sensitive details, the situation upon leaving and six months after leaving.

Each act is checked by the policy (``decisions.may_enrol`` for enrolling,
``decisions.decide_on_participant`` for the rest, with ``sensitive`` for the details the
client may decline to give), validated in full before anything is written, and logged in
the access log in the same transaction. Refused acts raise ``Http404`` /
``PermissionDenied``, bad input ``ValidationError`` (a dict naming the fields); either way
nothing changes.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.audit.enums import AuditEvent
from polku.audit.services import Access, record
from polku.clients.models import Client
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import Action, DataCategory, Register
from polku.projects.enums import EducationLevel, LabourStatus, SensitiveAnswer
from polku.projects.models import Participant, Project, SensitiveDetails

PROJECT = DataCategory.PROJECT
PROJECT_SENSITIVE = DataCategory.PROJECT_SENSITIVE
# ESF+ counts a situation as "upon leaving" when it is observed within four weeks after
# leaving; a later observation is kept but not counted so (docs/indicators.md).
UPON_LEAVING_WINDOW = timedelta(weeks=4)
SENSITIVE_ITEMS = (
    "disability",
    "third_country_national",
    "foreign_background",
    "minority",
    "homeless",
)


def age_on(birth_date: date, day: date) -> int:
    """Age in full years on ``day``."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def counts_as_upon_leaving(left_on: date | None, observed_on: date | None) -> bool:
    """Whether an exit observation falls in the four weeks after leaving."""
    return (
        left_on is not None
        and observed_on is not None
        and left_on <= observed_on <= left_on + UPON_LEAVING_WINDOW
    )


def _day(value: date) -> str:
    return value.strftime("%-d.%-m.%Y")


def _log(
    actor: Actor,
    participant: Participant,
    decision: decisions.Decision,
    action: Action,
    event: AuditEvent,
    category: DataCategory = PROJECT,
) -> None:
    record(
        actor=actor,
        accesses=[
            Access.granted(participant.client.public_id, decision, action, [category], event=event)
        ],
    )


def _require_change(
    actor: Actor, participant: Participant, *, sensitive: bool = False
) -> decisions.Decision:
    """The participant's row locked and read afresh, then the policy's ``CHANGE``."""
    participant.refresh_from_db(from_queryset=Participant.objects.select_for_update(of=("self",)))
    return decisions.granted_or_refused(
        lambda asked: decisions.decide_on_participant(
            actor, participant, asked, sensitive=sensitive
        ),
        Action.CHANGE,
    )


def _entry_problems(
    project: Project,
    entered_on: date | None,
    labour_status: str,
    education_level: str,
    left_on: date | None = None,
) -> dict[str, str]:
    problems: dict[str, str] = {}
    today = timezone.localdate()
    if entered_on is None:
        problems["entered_on"] = _("Give the entry date.")
    elif entered_on < project.starts_on or entered_on > project.ends_on:
        problems["entered_on"] = _(
            "The entry date must be within the project's period (%(starts)s – %(ends)s)."
        ) % {"starts": _day(project.starts_on), "ends": _day(project.ends_on)}
    elif entered_on > today:
        problems["entered_on"] = _("The entry date cannot be in the future.")
    elif left_on is not None and entered_on > left_on:
        problems["entered_on"] = _(
            "The entry date cannot be after the leaving date (%(date)s)."
        ) % {"date": _day(left_on)}
    if labour_status and labour_status not in LabourStatus.values:
        problems["labour_status"] = _("Choose the labour-market status from the list.")
    if education_level and education_level not in EducationLevel.values:
        problems["education_level"] = _("Choose the level of education from the list.")
    return problems


@transaction.atomic
def enrol(
    *,
    actor: Actor,
    project: Project,
    client: Client,
    entered_on: date,
    labour_status: LabourStatus | str = "",
    education_level: EducationLevel | str = "",
) -> Participant:
    """Enrol ``client`` in ``project`` from ``entered_on``, with the ESF+ details at entry.

    Gender, age at entry (from the date of birth on the entry date) and municipality of
    residence are taken from the client record as they are now, never typed; the
    municipality is left out for a client under a non-disclosure for personal safety,
    whom no figure by area may place. The entry date must be within the project's period
    and not in the future; a client takes part in a project once. Unknown labour-market
    status or education may be left blank and recorded later (``record_entry``).
    """
    decision = decisions.may_enrol(actor, project, client)
    if not decision:
        decisions.refuse(False)
    problems = _entry_problems(project, entered_on, labour_status, education_level)
    # Locks the client's row so that two enrolments of the same client wait in turn.
    Client.objects.select_for_update().filter(pk=client.pk).first()
    if Participant.objects.filter(project=project, client=client).exists():
        problems = {
            "__all__": _("The client already takes part in this project: see the participant page.")
        }
    if problems:
        raise ValidationError(problems)
    assert decision.owner_id is not None  # may_enrol names the enrolling organisation
    participant = Participant.objects.create(
        project=project,
        client=client,
        organisation_id=decision.owner_id,
        register=decision.register or Register.OTHER,
        entered_on=entered_on,
        gender=client.gender,
        age_at_entry=age_on(client.birth_date, entered_on),
        municipality_id=None if client.under_non_disclosure else client.municipality_id,
        labour_status=labour_status,
        education_level=education_level,
        enrolled_by=actor.person,
    )
    _log(actor, participant, decision, Action.CREATE, AuditEvent.PARTICIPANT_ENROLLED)
    return participant


@transaction.atomic
def record_entry(
    *,
    actor: Actor,
    participant: Participant,
    entered_on: date,
    labour_status: LabourStatus | str = "",
    education_level: EducationLevel | str = "",
) -> Participant:
    """Correct or complete the details at entry. A changed entry date recomputes the age at
    entry from the client's date of birth; gender and municipality stay as snapshotted."""
    decision = _require_change(actor, participant)
    problems = _entry_problems(
        participant.project, entered_on, labour_status, education_level, participant.left_on
    )
    if problems:
        raise ValidationError(problems)
    participant.entered_on = entered_on
    participant.age_at_entry = age_on(participant.client.birth_date, entered_on)
    participant.labour_status = labour_status
    participant.education_level = education_level
    participant.save(
        update_fields=[
            "entered_on",
            "age_at_entry",
            "labour_status",
            "education_level",
            "updated_at",
        ]
    )
    _log(actor, participant, decision, Action.CHANGE, AuditEvent.PARTICIPANT_ENTRY_CHANGED)
    return participant


@transaction.atomic
def record_sensitive(
    *,
    actor: Actor,
    participant: Participant,
    disability: SensitiveAnswer | str = "",
    third_country_national: SensitiveAnswer | str = "",
    foreign_background: SensitiveAnswer | str = "",
    minority: SensitiveAnswer | str = "",
    homeless: SensitiveAnswer | str = "",
) -> SensitiveDetails:
    """Record the details the client may decline to give: each yes, no, declined, or blank
    (not asked). Only the administering organisation's project staff may."""
    decision = _require_change(actor, participant, sensitive=True)
    answers = {
        "disability": disability,
        "third_country_national": third_country_national,
        "foreign_background": foreign_background,
        "minority": minority,
        "homeless": homeless,
    }
    problems = {
        item: _("Choose yes, no, declined to answer, or not asked.")
        for item, answer in answers.items()
        if answer and answer not in SensitiveAnswer.values
    }
    if problems:
        raise ValidationError(problems)
    details, _created = SensitiveDetails.objects.update_or_create(
        participant=participant, defaults={**answers, "recorded_by": actor.person}
    )
    _log(
        actor,
        participant,
        decision,
        Action.CHANGE,
        AuditEvent.SENSITIVE_DETAILS_RECORDED,
        PROJECT_SENSITIVE,
    )
    return details


@transaction.atomic
def record_exit(
    *,
    actor: Actor,
    participant: Participant,
    left_on: date,
    observed_on: date | None = None,
    job_searching: bool | None = None,
    in_education: bool | None = None,
    qualification: bool | None = None,
    employed: bool | None = None,
) -> Participant:
    """Record when the client left the project and their situation upon leaving (several
    may hold at once; None: not known).

    The situation needs the date it was observed, on or after the leaving date and not in
    the future. An observation later than four weeks after leaving is kept, but it does
    not count as "upon leaving" in the indicators (``counts_as_upon_leaving``); the page
    says so. Without an observation date the situation is left unknown.
    """
    decision = _require_change(actor, participant)
    today = timezone.localdate()
    project = participant.project
    situation = {
        "exit_job_searching": job_searching,
        "exit_in_education": in_education,
        "exit_qualification": qualification,
        "exit_employed": employed,
    }
    problems: dict[str, str] = {}
    if left_on is None:
        problems["left_on"] = _("Give the leaving date.")
    elif left_on < participant.entered_on:
        problems["left_on"] = _("The leaving date cannot be before the entry date (%(date)s).") % {
            "date": _day(participant.entered_on)
        }
    elif left_on > today:
        problems["left_on"] = _("The leaving date cannot be in the future.")
    elif left_on > project.ends_on:
        problems["left_on"] = _("The leaving date cannot be after the project ends (%(date)s).") % {
            "date": _day(project.ends_on)
        }
    elif (
        participant.follow_up_observed_on is not None
        and participant.follow_up_observed_on <= left_on
    ):
        problems["left_on"] = _(
            "The situation six months after leaving was observed on %(date)s; the leaving "
            "date must be before it."
        ) % {"date": _day(participant.follow_up_observed_on)}
    if observed_on is None:
        if any(value is not None for value in situation.values()):
            problems["observed_on"] = _("Give the date on which the situation was observed.")
    elif observed_on > today:
        problems["observed_on"] = _("The observation date cannot be in the future.")
    elif left_on is not None and observed_on < left_on:
        problems["observed_on"] = _("The situation is observed on or after the leaving date.")
    if problems:
        raise ValidationError(problems)
    participant.left_on = left_on
    participant.exit_observed_on = observed_on
    for field, value in situation.items():
        setattr(participant, field, value)
    participant.save(update_fields=["left_on", "exit_observed_on", *situation, "updated_at"])
    _log(actor, participant, decision, Action.CHANGE, AuditEvent.PARTICIPANT_EXIT_RECORDED)
    return participant


@transaction.atomic
def record_follow_up(
    *,
    actor: Actor,
    participant: Participant,
    observed_on: date,
    employed: bool | None = None,
    improved: bool | None = None,
) -> Participant:
    """Record the situation about six months after leaving: in employment (including
    self-employment), and whether the labour-market situation improved. Observed after the
    leaving date and not in the future."""
    decision = _require_change(actor, participant)
    today = timezone.localdate()
    problems: dict[str, str] = {}
    if participant.left_on is None:
        raise ValidationError(
            _("Record the leaving date first: the follow-up is six months after leaving.")
        )
    if observed_on is None:
        problems["observed_on"] = _("Give the date on which the situation was observed.")
    elif observed_on <= participant.left_on:
        problems["observed_on"] = _(
            "The follow-up is observed after the leaving date (%(date)s)."
        ) % {"date": _day(participant.left_on)}
    elif observed_on > today:
        problems["observed_on"] = _("The observation date cannot be in the future.")
    if problems:
        raise ValidationError(problems)
    participant.follow_up_observed_on = observed_on
    participant.follow_up_employed = employed
    participant.follow_up_improved = improved
    participant.save(
        update_fields=[
            "follow_up_observed_on",
            "follow_up_employed",
            "follow_up_improved",
            "updated_at",
        ]
    )
    _log(actor, participant, decision, Action.CHANGE, AuditEvent.PARTICIPANT_FOLLOW_UP_RECORDED)
    return participant
