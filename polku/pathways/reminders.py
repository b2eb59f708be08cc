"""The daily reminder of plan tasks: each professional who owns tasks due tomorrow, due
today or overdue gets one e-mail that day saying how many, with a link to Polku.

The e-mail carries counts only — no client's name, no action's text — and at most one
goes to a person a day (``TaskReminder`` records it, the database refuses a second). The
tasks of an organisation's queue (no person named) are not e-mailed: they are on the
worklist of every client-work member of the organisation, and an e-mail to all of them
every day would be noise. Professionals who no longer do client work anywhere, or have no
address, are not reminded.

The job runs as the system actor ``pathways.remind_tasks`` through the professionals in
chunks (``core.daily``), each chunk in its own transaction with the same few queries
whatever its size; a chunk's e-mails are sent when it commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from polku.accounts.enums import CLIENT_WORK_ROLES
from polku.accounts.models import Membership, User
from polku.core import daily
from polku.pathways.models import PlanAction, TaskReminder
from polku.pathways.notifications import Mail, link, send_each
from polku.policy.actors import Actor

JOB = "pathways.remind_tasks"


@dataclass(frozen=True)
class ReminderReport:
    reminded: int
    skipped: int = 0


def remindable(on: date) -> QuerySet[User]:
    """Professionals who may be reminded: active, with an address, doing client work."""
    client_work = Membership.objects.active(on).filter(
        user=OuterRef("pk"), role__in=CLIENT_WORK_ROLES
    )
    return User.objects.filter(Exists(client_work), is_active=True).exclude(email="")


def message(reminder: TaskReminder) -> tuple[str, str]:
    """The subject and body of a reminder: counts and a link, nothing of any client."""
    counts = {
        "overdue": ngettext(
            "%(count)s task is overdue.", "%(count)s tasks are overdue.", reminder.overdue
        ),
        "due_today": ngettext(
            "%(count)s task is due today.", "%(count)s tasks are due today.", reminder.due_today
        ),
        "due_tomorrow": ngettext(
            "%(count)s task is due tomorrow.",
            "%(count)s tasks are due tomorrow.",
            reminder.due_tomorrow,
        ),
    }
    lines = [
        text % {"count": getattr(reminder, field)}
        for field, text in counts.items()
        if getattr(reminder, field)
    ]
    body = _(
        "Tasks from client plans are waiting for you:\n\n%(counts)s\n\n"
        "See them on your home page in Polku: %(url)s"
    ) % {"counts": "\n".join(lines), "url": link(reverse("home"))}
    return _("Polku: tasks waiting for you"), body


def _remind(first: int, last: int, *, today: date) -> int:
    """Record and (on commit) send the reminders of the professionals with keys ``first``
    to ``last``; returns how many were recorded."""
    tomorrow = today + timedelta(days=1)
    users = remindable(today).filter(pk__gte=first, pk__lte=last)
    counts = (
        PlanAction.objects.tasks()
        .open()
        .filter(owner_user__in=users, due_on__lte=tomorrow)
        .exclude(owner_user__in=TaskReminder.objects.filter(sent_on=today).values("user_id"))
        .values("owner_user_id")
        .annotate(
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            due_today=Count("pk", filter=Q(due_on=today)),
            due_tomorrow=Count("pk", filter=Q(due_on=tomorrow)),
        )
        .order_by("owner_user_id")
    )
    reminders = TaskReminder.objects.bulk_create(
        [
            TaskReminder(
                user_id=row["owner_user_id"],
                sent_on=today,
                overdue=row["overdue"],
                due_today=row["due_today"],
                due_tomorrow=row["due_tomorrow"],
            )
            for row in counts
        ]
    )
    with override(settings.LANGUAGE_CODE):
        mails = [Mail(reminder.user_id, *message(reminder)) for reminder in reminders]
    if mails:
        transaction.on_commit(lambda: send_each(mails, job=JOB))
    return len(reminders)


def remind_tasks(
    today: date | None = None,
    *,
    actor: Actor | None = None,
    chunk_size: int = daily.CLIENTS_PER_CHUNK,
) -> ReminderReport:
    """Remind every owner of tasks due tomorrow or earlier, once today, as the system
    actor ``actor`` (by default the job ``pathways.remind_tasks``). Run again the same day,
    it reminds only those not yet reminded."""
    actor = actor or Actor.system(JOB)
    today = today or timezone.localdate()
    run = daily.run_in_chunks(
        job=actor.job,
        chunks=daily.id_chunks(remindable(today), chunk_size),
        work=lambda first, last: _remind(first, last, today=today),
        public_id=str,
        record="professional",
    )
    return ReminderReport(reminded=sum(run.results), skipped=run.skipped)
