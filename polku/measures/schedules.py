"""Measurements due by each programme's schedule, and reminders about them.

``schedule_measurements`` runs daily as a background task: it creates a draft measurement
for every scheduled occasion that has come due (within a window, so that old episodes do
not flood anyone with past occasions) and reminds the case manager, and the client when
they answer themselves and have an e-mail address. It is idempotent, and goes through the
clients in chunks, each in its own transaction (``core.daily``): an episode whose
occasions cannot be computed (an end date of 9999-12-31 has no date six months later) is
reported and skipped, and every other client's measurements still come due.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from polku.accounts.models import Organisation
from polku.clients.models import Client
from polku.core import daily
from polku.core.panels import Panel
from polku.measures.enums import Channel, Occasion
from polku.measures.models import Administration, InstrumentVersion, Schedule
from polku.measures.services import LINK_DAYS, answer_url, issue_link, link_message
from polku.pathways.models import CaseManagerAssignment, Episode, Programme
from polku.policy import decisions
from polku.policy.actors import Actor

JOB = "measures.schedule_measurements"
LOOKBACK = timedelta(days=60)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def occasions(episode: Episode, schedule: Schedule, until: date) -> Iterator[tuple[str, date]]:
    """(occasion, due date) of a schedule for an episode, up to ``until``."""
    if schedule.occasion == Occasion.BASELINE:
        yield Occasion.BASELINE, episode.started_on
    elif schedule.occasion == Occasion.PERIODIC and schedule.months:
        end = min(until, episode.ended_on) if episode.ended_on else until
        step = 1
        while (due := add_months(episode.started_on, step * schedule.months)) <= end:
            yield Occasion.PERIODIC, due
            step += 1
    elif schedule.occasion == Occasion.EXIT and episode.ended_on:
        yield Occasion.EXIT, episode.ended_on
    elif schedule.occasion == Occasion.AFTER_EXIT and episode.ended_on:
        yield Occasion.AFTER_EXIT, add_months(episode.ended_on, schedule.months)


@dataclass(frozen=True)
class ScheduleReport:
    created: int
    reminders: int
    skipped: int = 0


def channel_for(instrument: InstrumentVersion) -> str:
    """How a due measurement is answered, by who answers the instrument."""
    respondent = instrument.definition.respondent
    return {
        "client": Channel.LINK,
        "professional": Channel.OBSERVER,
        "external": Channel.EXTERNAL,
    }.get(respondent, Channel.TOGETHER)


# Editing the schedules ----------------------------------------------------------------------

NEEDS_MONTHS = (Occasion.PERIODIC, Occasion.AFTER_EXIT)


@transaction.atomic
def add_schedule(
    *, actor: Actor, programme: Programme, instrument_code: str, occasion: str, months: int
) -> Schedule:
    """An administrator adds an instrument to a programme's schedule."""
    if not decisions.may_manage_configuration(actor):
        raise PermissionDenied(_("Only administrators can change measurement schedules."))
    latest = InstrumentVersion.latest_in_use().get(instrument_code)
    if latest is None:
        raise ValidationError(
            {"instrument_code": _("No instrument %(code)s is in use.") % {"code": instrument_code}}
        )
    if not latest.answerable:
        raise ValidationError(
            {
                "instrument_code": _(
                    "The wording of this instrument has not been entered yet, so it cannot be "
                    "scheduled."
                )
            }
        )
    if occasion not in Occasion.values or occasion == Occasion.AD_HOC:
        raise ValidationError({"occasion": _("Choose when the instrument is due.")})
    if occasion in NEEDS_MONTHS and months < 1:
        raise ValidationError({"months": _("Give the number of months, at least 1.")})
    if occasion not in NEEDS_MONTHS:
        months = 0
    schedule, created = Schedule.objects.get_or_create(
        programme=programme, instrument_code=instrument_code, occasion=occasion, months=months
    )
    if not created:
        raise ValidationError(_("The programme already has this measurement in its schedule."))
    return schedule


@transaction.atomic
def remove_schedule(*, actor: Actor, schedule: Schedule) -> None:
    """Measurements already due stay; no new ones are made for this row."""
    if not decisions.may_manage_configuration(actor):
        raise PermissionDenied(_("Only administrators can change measurement schedules."))
    schedule.delete()


def schedule_measurements(
    today: date | None = None,
    *,
    actor: Actor | None = None,
    chunk_size: int = daily.CLIENTS_PER_CHUNK,
) -> ScheduleReport:
    """Create the measurements due today and send the reminders, as the system actor
    ``actor`` (by default the job ``measures.schedule_measurements``), a chunk of clients
    at a time: an episode whose occasions cannot be computed is reported and skipped."""
    actor = actor or Actor.system(JOB)
    today = today or timezone.localdate()
    by_programme: dict[int, list[Schedule]] = defaultdict(list)
    for schedule in Schedule.objects.all():
        by_programme[schedule.programme_id].append(schedule)
    # A template whose wording has not been entered cannot be answered: its occasions come
    # due once the wording is in (within the look-back window).
    latest = InstrumentVersion.latest_in_use(answerable_only=True)
    episodes = Episode.objects.filter(programme_id__in=by_programme).exclude(
        ended_on__lt=today - LOOKBACK - timedelta(days=366)
    )

    def work(first: int, last: int) -> _ChunkReport:
        chunk = list(episodes.filter(client_id__gte=first, client_id__lte=last).order_by("pk"))
        existing: set[tuple[int, str, str, date | None]] = set(
            Administration.objects.filter(episode__in=chunk).values_list(
                "episode_id", "instrument__code", "occasion", "due_on"
            )
        )
        created: list[Administration] = []
        skipped = 0
        for episode in chunk:
            try:
                due_now = [
                    (schedule.instrument_code, occasion, due)
                    for schedule in by_programme[episode.programme_id]
                    if schedule.instrument_code in latest
                    for occasion, due in occasions(episode, schedule, today)
                    if today - LOOKBACK <= due <= today
                ]
            except Exception as error:
                daily.report_skipped(actor.job, "episode", episode.public_id, error)
                skipped += 1
                continue
            for code, occasion, due in due_now:
                key = (episode.pk, code, occasion, due)
                if key in existing:
                    continue
                instrument = latest[code]
                created.append(
                    Administration(
                        client_id=episode.client_id,
                        episode=episode,
                        organisation_id=episode.organisation_id,
                        instrument=instrument,
                        occasion=occasion,
                        channel=channel_for(instrument),
                        due_on=due,
                        created_by_id=episode.created_by_id,
                    )
                )
                existing.add(key)
        Administration.objects.bulk_create(created, batch_size=2000)
        to_clients, managers = _reminders(created)
        if to_clients:
            transaction.on_commit(lambda: send_mass_mail(to_clients, fail_silently=True))
        return _ChunkReport(len(created), len(to_clients), managers, skipped)

    run = daily.run_in_chunks(
        job=actor.job,
        chunks=daily.id_chunks(Client.objects.all(), chunk_size),
        work=work,
        public_id=_client_public_id,
    )
    # One message per case manager for the whole run, counting what was committed.
    managers: dict[str, int] = defaultdict(int)
    for report in run.results:
        for email, count in report.managers.items():
            managers[email] += count
    to_managers = _manager_reminders(managers)
    if to_managers:
        transaction.on_commit(lambda: send_mass_mail(to_managers, fail_silently=True))
    return ScheduleReport(
        created=sum(r.created for r in run.results),
        reminders=sum(r.reminders for r in run.results) + len(to_managers),
        skipped=sum(r.skipped for r in run.results) + run.skipped,
    )


@dataclass(frozen=True)
class _ChunkReport:
    created: int
    reminders: int
    managers: dict[str, int]
    skipped: int


def _client_public_id(pk: int) -> str:
    return str(Client.objects.filter(pk=pk).values_list("public_id", flat=True).first() or pk)


Message = tuple[str, str, str, list[str]]


def _reminders(created: list[Administration]) -> tuple[list[Message], dict[str, int]]:
    """One message per answering client, and the count of due questionnaires per case
    manager's address (no client names in e-mail)."""
    messages: list[Message] = []
    managers: dict[str, int] = {}
    if not created:
        return messages, managers
    assignments: dict[int | None, CaseManagerAssignment] = {
        assignment.episode_id: assignment
        for assignment in CaseManagerAssignment.objects.filter(
            episode_id__in={a.episode_id for a in created}, ended_at__isnull=True
        ).select_related("user")
    }
    clients = Client.objects.in_bulk({a.client_id for a in created})
    organisations = Organisation.objects.in_bulk({a.organisation_id for a in created})
    for administration in created:
        assignment = assignments.get(administration.episode_id)
        if assignment and assignment.user.email:
            managers[assignment.user.email] = managers.get(assignment.user.email, 0) + 1
        client = clients[administration.client_id]
        if administration.channel == Channel.LINK and client.email and assignment:
            token = issue_link(administration, created_by=assignment.user)
            message = link_message(
                organisations[administration.organisation_id],
                answer_url(token),
                timezone.now() + timedelta(days=LINK_DAYS),
                client.preferred_language,
            )
            messages.append(
                (message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [client.email])
            )
    return messages, managers


def _manager_reminders(managers: dict[str, int]) -> list[Message]:
    return [
        (
            _("Polku: questionnaires due"),
            ngettext(
                "%(count)s questionnaire of your clients is due. "
                "See it on your home page in Polku.",
                "%(count)s questionnaires of your clients are due. "
                "See them on your home page in Polku.",
                count,
            )
            % {"count": count},
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
        for email, count in managers.items()
    ]


def exit_measurements_panel(*, episode: Episode, **_: object) -> Panel | None:
    """On the confirmation of an episode's end: the measurements the programme's schedule
    makes due at the end and after it (configuration only, no client data)."""
    latest = InstrumentVersion.latest_in_use()
    due = [
        (latest[schedule.instrument_code].title, schedule.occasion, schedule.months)
        for schedule in Schedule.objects.filter(
            programme_id=episode.programme_id, occasion__in=[Occasion.EXIT, Occasion.AFTER_EXIT]
        ).order_by("occasion", "months", "instrument_code")
        if schedule.instrument_code in latest
    ]
    if not due:
        return None
    return Panel("measures/includes/exit_measurements.html", {"due": due})
