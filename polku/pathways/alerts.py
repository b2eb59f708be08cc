"""Alerts so that nobody falls between services.

``refresh_alerts`` computes, from the data alone, which alerts should be open today and
for whom; it opens the missing ones and clears those whose condition is gone. It runs as
a scheduled background task (``pathways.tasks``), never on page load, and is idempotent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from polku.accounts.enums import CLIENT_WORK_ROLES
from polku.accounts.models import Membership
from polku.pathways.enums import AWAITING_ANSWER, CONTACT_ENTRY_TYPES, AlertKind
from polku.pathways.models import (
    Alert,
    CaseManagerAssignment,
    Episode,
    JournalEntry,
    PhaseChange,
    PlanReview,
    PlanVersion,
    Referral,
)


@dataclass(frozen=True)
class Wanted:
    """An alert that should be open: what, about which object, for whom, due when."""

    kind: AlertKind
    subject_key: str
    recipient_id: int
    client_id: int
    episode_id: int | None = None
    referral_id: int | None = None
    due_on: date | None = None

    @property
    def identity(self) -> tuple[str, int]:
        return self.subject_key, self.recipient_id


def _active_episodes(client_id: int | None):  # type: ignore[no-untyped-def]
    latest_phase = PhaseChange.objects.filter(episode=OuterRef("pk")).order_by(
        "-started_on", "-recorded_at"
    )
    case_manager = CaseManagerAssignment.objects.filter(
        episode=OuterRef("pk"), ended_at__isnull=True
    )
    last_contact = (
        JournalEntry.objects.filter(
            client=OuterRef("client_id"),
            organisation=OuterRef("organisation_id"),
            entry_type__in=CONTACT_ENTRY_TYPES,
        )
        .values("client")
        .annotate(latest=Max("occurred_on"))
        .values("latest")
    )
    episodes = Episode.objects.active()
    if client_id is not None:
        episodes = episodes.filter(client_id=client_id)
    return episodes.select_related("programme", "plan").annotate(
        phase=Subquery(latest_phase.values("phase")[:1]),
        phase_started_on=Subquery(latest_phase.values("started_on")[:1]),
        case_manager_id=Subquery(case_manager.values("user_id")[:1]),
        last_contact_on=Subquery(last_contact[:1]),
        last_review_on=Subquery(
            PlanReview.objects.filter(plan__episode=OuterRef("pk"))
            .order_by("-reviewed_on")
            .values("reviewed_on")[:1]
        ),
        plan_saved_at=Subquery(
            PlanVersion.objects.filter(plan__episode=OuterRef("pk"))
            .order_by("number")
            .values("saved_at")[:1]
        ),
    )


def _episode_alerts(today: date, client_id: int | None) -> Iterator[Wanted]:
    for episode in _active_episodes(client_id).iterator(chunk_size=2000):
        programme = episode.programme
        manager = episode.case_manager_id
        base = {"client_id": episode.client_id, "episode_id": episode.pk}
        if manager is None:
            yield Wanted(
                AlertKind.NO_CASE_MANAGER,
                f"no_case_manager:{episode.pk}",
                episode.created_by_id,
                due_on=episode.started_on,
                **base,
            )
            continue
        if programme.assessment_days is not None and episode.phase == programme.phases[0]:
            due = episode.started_on + timedelta(days=programme.assessment_days)
            if due < today:
                yield Wanted(
                    AlertKind.ASSESSMENT_OVERDUE,
                    f"assessment:{episode.pk}",
                    manager,
                    due_on=due,
                    **base,
                )
        if programme.max_phase_days is not None and episode.phase_started_on is not None:
            due = episode.phase_started_on + timedelta(days=programme.max_phase_days)
            if due < today:
                yield Wanted(
                    AlertKind.PHASE_TOO_LONG,
                    f"phase:{episode.pk}:{episode.phase}",
                    manager,
                    due_on=due,
                    **base,
                )
        if programme.no_contact_days is not None:
            last = max(filter(None, [episode.last_contact_on, episode.started_on]))
            due = last + timedelta(days=programme.no_contact_days)
            if due < today:
                yield Wanted(
                    AlertKind.NO_CONTACT, f"no_contact:{episode.pk}", manager, due_on=due, **base
                )
        plan = getattr(episode, "plan", None)
        if plan is not None:
            dues = [plan.next_review_on] if plan.next_review_on else []
            if programme.plan_review_days is not None:
                last_review = episode.last_review_on or timezone.localdate(episode.plan_saved_at)
                dues.append(last_review + timedelta(days=programme.plan_review_days))
            due = min(dues) if dues else None
            if due is not None and due < today:
                yield Wanted(
                    AlertKind.PLAN_REVIEW_OVERDUE,
                    f"plan_review:{plan.pk}",
                    manager,
                    due_on=due,
                    **base,
                )


def _referral_alerts(today: date, client_id: int | None) -> Iterator[Wanted]:
    overdue = Referral.objects.filter(status__in=AWAITING_ANSWER, respond_by__lt=today)
    if client_id is not None:
        overdue = overdue.filter(client_id=client_id)
    # Who answers for an organisation (or one of its units): asked once per place.
    answerers: dict[tuple[int, int | None], set[int]] = {}
    for referral in overdue.iterator(chunk_size=2000):
        if referral.to_user_id is not None:
            receivers = {referral.to_user_id}
        else:
            place = (referral.to_organisation_id, referral.to_unit_id)
            if place not in answerers:
                members = Membership.objects.active().filter(
                    organisation_id=place[0], role__in=CLIENT_WORK_ROLES
                )
                if place[1] is not None:
                    members = members.filter(unit_id=place[1])
                answerers[place] = set(members.values_list("user_id", flat=True))
            receivers = answerers[place]
        # Both sides: the sender and whoever should answer.
        for recipient in sorted(receivers | {referral.from_user_id}):
            yield Wanted(
                AlertKind.REFERRAL_OVERDUE,
                f"referral:{referral.pk}",
                recipient,
                client_id=referral.client_id,
                referral_id=referral.pk,
                due_on=referral.respond_by,
            )


@dataclass(frozen=True)
class RefreshReport:
    opened: int
    cleared: int
    open: int


@transaction.atomic
def refresh_alerts(today: date | None = None, client_id: int | None = None) -> RefreshReport:
    """Open the alerts whose condition holds and clear those whose condition is gone:
    for every client (the daily run), or for one client after a change to its data."""
    today = today or timezone.localdate()
    wanted = {
        w.identity: w
        for w in (*_episode_alerts(today, client_id), *_referral_alerts(today, client_id))
    }
    open_alerts = Alert.objects.open()
    if client_id is not None:
        open_alerts = open_alerts.filter(client_id=client_id)
    existing = {
        (alert.subject_key, alert.recipient_id): alert.pk
        for alert in open_alerts.only("pk", "subject_key", "recipient_id")
    }
    stale = [pk for identity, pk in existing.items() if identity not in wanted]
    cleared = Alert.objects.filter(pk__in=stale).update(cleared_at=timezone.now())
    new = [
        Alert(
            kind=w.kind,
            subject_key=w.subject_key,
            recipient_id=w.recipient_id,
            client_id=w.client_id,
            episode_id=w.episode_id,
            referral_id=w.referral_id,
            due_on=w.due_on,
        )
        for identity, w in wanted.items()
        if identity not in existing
    ]
    Alert.objects.bulk_create(new, batch_size=5000)
    return RefreshReport(opened=len(new), cleared=cleared, open=len(wanted))
