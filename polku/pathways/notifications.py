"""E-mail notifications of what a professional should know about: a new referral to answer,
a handover offered to them, being added to a client's team.

An e-mail leaves the register's protection, so it carries no client data: no name, no
identity code, no reason or text, nothing of the record but that something waits and a
link to Polku, where the access policy decides what the reader may see. The services call
the functions below inside their transaction; each queues its task when the transaction
commits, so a change that is rolled back notifies no one, and the sending runs in the
background worker, not in the request. The tasks take only the ids of the people to
notify, never a client's record.

Notifications are written in the service's default language (Finnish), as professionals'
accounts hold no language of their own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from polku.accounts.models import User
from polku.pathways.alerts import referral_answerers
from polku.pathways.models import Handover, Referral, TeamMember

logger = logging.getLogger("polku.jobs")


@dataclass(frozen=True)
class Mail:
    """One e-mail to one professional."""

    user_id: int
    subject: str
    body: str


def link(path: str) -> str:
    """An address in Polku as a reader of the e-mail opens it."""
    return settings.POLKU_BASE_URL.rstrip("/") + path


def send_each(mails: Iterable[Mail], *, job: str) -> int:
    """Send each e-mail on its own over one connection, to active professionals with an
    address; a failure is reported (by the user's id, never the address) and the rest are
    still sent. Returns how many were sent."""
    mails = list(mails)
    if not mails:
        return 0
    users = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .in_bulk({mail.user_id for mail in mails})
    )
    sent = 0
    with get_connection(fail_silently=False) as connection:
        for mail in mails:
            user = users.get(mail.user_id)
            if user is None:
                continue
            message = EmailMessage(
                mail.subject,
                mail.body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
                connection=connection,
            )
            try:
                sent += message.send()
            except Exception as error:
                logger.error(
                    "%(job)s could not e-mail user %(user)s: %(error)s",
                    {"job": job, "user": user.pk, "error": type(error).__name__},
                )
    return sent


def _written(user_ids: Iterable[int], subject: str, body: str) -> list[Mail]:
    return [Mail(user_id, subject, body) for user_id in sorted(set(user_ids))]


# What each notification says ---------------------------------------------------------------


@task()
def referral_waiting(
    *,
    referral_public_id: str,
    organisation_id: int,
    unit_id: int | None,
    user_id: int | None,
    sender_id: int,
) -> int:
    """A new referral: to the professional it names, else to the client-work staff of the
    unit, else of the organisation, that should answer it."""
    receivers = {user_id} if user_id is not None else referral_answerers(organisation_id, unit_id)
    path = reverse("pathways:referral", kwargs={"public_id": UUID(referral_public_id)})
    with override(settings.LANGUAGE_CODE):
        if user_id is not None:
            body = _("A new referral is waiting for your answer.")
        else:
            body = _("A new referral is waiting for an answer from your organisation.")
        mails = _written(
            receivers - {sender_id},
            _("Polku: a new referral"),
            _("%(what)s\n\nOpen it in Polku: %(url)s") % {"what": body, "url": link(path)},
        )
    return send_each(mails, job="pathways.notify_referral")


@task()
def handover_offered(*, to_user_id: int, from_user_id: int) -> int:
    """A handover: to the professional proposed as the new case manager."""
    proposer = User.objects.filter(pk=from_user_id).first()
    name = (proposer.get_full_name() or proposer.get_username()) if proposer else ""
    with override(settings.LANGUAGE_CODE):
        mails = _written(
            {to_user_id},
            _("Polku: you are asked to become a case manager"),
            _(
                "%(name)s proposes that you become the case manager of a client.\n\n"
                "Accept or decline on your home page in Polku: %(url)s"
            )
            % {"name": name, "url": link(reverse("home"))},
        )
    return send_each(mails, job="pathways.notify_handover")


@task()
def added_to_team(*, user_id: int) -> int:
    """Being added to a client's multi-professional team: to the new member."""
    with override(settings.LANGUAGE_CODE):
        mails = _written(
            {user_id},
            _("Polku: you were added to a client's team"),
            _(
                "You were added to a client's multi-professional team.\n\n"
                "The client is on your home page in Polku, as far as your organisation "
                "may see the client's data: %(url)s"
            )
            % {"url": link(reverse("home"))},
        )
    return send_each(mails, job="pathways.notify_team")


# Called by the services, inside their transaction ------------------------------------------


def referral_sent(referral: Referral) -> None:
    public_id, organisation_id = str(referral.public_id), referral.to_organisation_id
    unit_id, user_id, sender_id = referral.to_unit_id, referral.to_user_id, referral.from_user_id
    transaction.on_commit(
        lambda: referral_waiting.enqueue(
            referral_public_id=public_id,
            organisation_id=organisation_id,
            unit_id=unit_id,
            user_id=user_id,
            sender_id=sender_id,
        )
    )


def handover_proposed(handover: Handover) -> None:
    to_user_id, from_user_id = handover.to_user_id, handover.from_user_id
    transaction.on_commit(
        lambda: handover_offered.enqueue(to_user_id=to_user_id, from_user_id=from_user_id)
    )


def team_member_added(member: TeamMember, *, added_by: User) -> None:
    if member.user_id == added_by.pk:
        return
    user_id = member.user_id
    transaction.on_commit(lambda: added_to_team.enqueue(user_id=user_id))
