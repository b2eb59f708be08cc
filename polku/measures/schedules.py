"""Measurements due by each programme's schedule, and reminders about them.

``schedule_measurements`` runs daily as a background task: it creates a draft measurement
for every scheduled occasion that has come due (within a window, so that old episodes do
not flood anyone with past occasions) and reminds the case manager, and the client when
they answer themselves and have an e-mail address. It is idempotent.
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
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from polku.clients.models import Client
from polku.core import languages
from polku.measures.enums import Channel, Occasion
from polku.measures.models import Administration, InstrumentVersion, Schedule
from polku.measures.services import LINK_DAYS, issue_link
from polku.pathways.models import CaseManagerAssignment, Episode, Programme
from polku.policy import decisions
from polku.policy.actors import Actor

LOOKBACK = timedelta(days=60)
CHUNK = 2000


def _chunks(episodes: QuerySet[Episode], size: int) -> Iterator[list[Episode]]:
    """The episodes in lists of ``size``, by primary key, each list one query."""
    last = 0
    while chunk := list(episodes.filter(pk__gt=last)[:size]):
        yield chunk
        last = chunk[-1].pk


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
    if not InstrumentVersion.objects.filter(code=instrument_code, is_active=True).exists():
        raise ValidationError(
            {"instrument_code": _("No instrument %(code)s is in use.") % {"code": instrument_code}}
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


@transaction.atomic
def schedule_measurements(today: date | None = None) -> ScheduleReport:
    today = today or timezone.localdate()
    schedules = list(Schedule.objects.all())
    by_programme: dict[int, list[Schedule]] = defaultdict(list)
    for schedule in schedules:
        by_programme[schedule.programme_id].append(schedule)
    latest = InstrumentVersion.latest_in_use()
    episodes = Episode.objects.filter(programme_id__in=by_programme).exclude(
        ended_on__lt=today - LOOKBACK - timedelta(days=366)
    )
    created: list[Administration] = []
    for chunk in _chunks(episodes.order_by("pk"), CHUNK):
        existing: set[tuple[int, str, str, date | None]] = set(
            Administration.objects.filter(episode__in=chunk).values_list(
                "episode_id", "instrument__code", "occasion", "due_on"
            )
        )
        for episode in chunk:
            for schedule in by_programme[episode.programme_id]:
                instrument = latest.get(schedule.instrument_code)
                if instrument is None:
                    continue
                for occasion, due in occasions(episode, schedule, today):
                    key = (episode.pk, schedule.instrument_code, occasion, due)
                    if due < today - LOOKBACK or due > today or key in existing:
                        continue
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
    messages = _reminders(created)
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return ScheduleReport(created=len(created), reminders=len(messages))


def _reminders(created: list[Administration]) -> list[tuple[str, str, str, list[str]]]:
    """One message per case manager (no client names in e-mail), one per answering client."""
    messages: list[tuple[str, str, str, list[str]]] = []
    managers: dict[str, int] = {}
    assignments: dict[int | None, CaseManagerAssignment] = {
        assignment.episode_id: assignment
        for assignment in CaseManagerAssignment.objects.filter(
            episode_id__in={a.episode_id for a in created}, ended_at__isnull=True
        ).select_related("user")
    }
    clients = Client.objects.in_bulk({a.client_id for a in created})
    for administration in created:
        assignment = assignments.get(administration.episode_id)
        if assignment and assignment.user.email:
            managers[assignment.user.email] = managers.get(assignment.user.email, 0) + 1
        client = clients[administration.client_id]
        if administration.channel == Channel.LINK and client.email and assignment:
            token = issue_link(administration, created_by=assignment.user)
            language = languages.supported(client.preferred_language)
            with override(language):
                path = reverse("measures:public_answer", kwargs={"token": token})
                messages.append(
                    (
                        _("Polku: a questionnaire for you"),
                        _(
                            "Hello,\n\nplease answer a short questionnaire about how you are "
                            "doing. It takes a few minutes:\n\n%(url)s\n\n"
                            "The link works for %(days)s days."
                        )
                        % {"url": settings.POLKU_BASE_URL.rstrip("/") + path, "days": LINK_DAYS},
                        settings.DEFAULT_FROM_EMAIL,
                        [client.email],
                    )
                )
    for email, count in managers.items():
        messages.append(
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
        )
    return messages
