"""Alerts so that nobody falls between services.

``refresh_alerts`` computes, from the data alone, which alerts should be open today and
for whom; it opens the missing ones and clears those whose condition is gone. It runs as
a scheduled background task (``pathways.tasks``), never on page load, and is idempotent.

The daily run goes through the clients in chunks (``core.daily``), each chunk in its own
transaction with a handful of queries, whatever its size. An episode or referral whose
alerts cannot be computed (a review dated 9999-12-31 has no next review date) is reported
with its public id and skipped, and its client's open alerts are left as they were; every
other client still gets theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from polku.accounts.enums import CLIENT_WORK_ROLES
from polku.accounts.models import Membership
from polku.clients.models import Client
from polku.core import daily
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
from polku.policy.actors import Actor

JOB = "pathways.refresh_alerts"

# Who answers for an organisation (or one of its units), asked once per place and run.
Answerers = dict[tuple[int, int | None], set[int]]


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


def _active_episodes(first: int, last: int):  # type: ignore[no-untyped-def]
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
    episodes = Episode.objects.active().filter(client_id__gte=first, client_id__lte=last)
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


def _episode_alerts(episode: Any, today: date) -> Iterator[Wanted]:
    """The alerts an episode of ``_active_episodes`` (with its annotations) should have."""
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
        return
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


def referral_answerers(organisation_id: int, unit_id: int | None) -> set[int]:
    """Who answers a referral addressed to an organisation (or to one of its units) rather
    than to a named professional: the client-work staff there today."""
    members = Membership.objects.active().filter(
        organisation_id=organisation_id, role__in=CLIENT_WORK_ROLES
    )
    if unit_id is not None:
        members = members.filter(unit_id=unit_id)
    return set(members.values_list("user_id", flat=True))


def _referral_alerts(referral: Referral, answerers: Answerers) -> Iterator[Wanted]:
    if referral.to_user_id is not None:
        receivers = {referral.to_user_id}
    else:
        place = (referral.to_organisation_id, referral.to_unit_id)
        if place not in answerers:
            answerers[place] = referral_answerers(*place)
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
    skipped: int = 0


def _refresh_clients(
    first: int, last: int, *, today: date, job: str, answerers: Answerers
) -> RefreshReport:
    """Refresh the alerts of the clients with keys ``first`` to ``last``, in the caller's
    transaction; a record whose alerts cannot be computed is reported and skipped."""
    wanted: dict[tuple[str, int], Wanted] = {}
    failed_clients: set[int] = set()
    skipped = 0
    overdue = Referral.objects.filter(
        status__in=AWAITING_ANSWER,
        respond_by__lt=today,
        client_id__gte=first,
        client_id__lte=last,
    )
    sources: list[tuple[str, Any, Callable[[Any], Iterator[Wanted]]]] = [
        ("episode", _active_episodes(first, last), lambda e: _episode_alerts(e, today)),
        ("referral", overdue, lambda r: _referral_alerts(r, answerers)),
    ]
    for kind, records, alerts_of in sources:
        for record in records:
            try:
                found = list(alerts_of(record))
            except Exception as error:
                daily.report_skipped(job, kind, record.public_id, error)
                failed_clients.add(record.client_id)
                skipped += 1
                continue
            wanted.update((w.identity, w) for w in found)

    existing = {
        (alert.subject_key, alert.recipient_id): (alert.pk, alert.client_id)
        for alert in Alert.objects.open()
        .filter(client_id__gte=first, client_id__lte=last)
        .only("pk", "subject_key", "recipient_id", "client_id")
    }
    now = timezone.now()
    # What a failed record's client had open stays open until its alerts can be computed.
    stale = [
        pk
        for identity, (pk, client_id) in existing.items()
        if identity not in wanted and client_id not in failed_clients
    ]
    cleared = Alert.objects.filter(pk__in=stale).update(cleared_at=now)
    new = [w for identity, w in wanted.items() if identity not in existing]
    if new:
        # A subject that moved to another client (duplicates merged) hands its alert over.
        keys = {w.identity for w in new}
        moved = [
            alert.pk
            for alert in Alert.objects.open()
            .filter(subject_key__in={key for key, _recipient in keys})
            .only("pk", "subject_key", "recipient_id")
            if (alert.subject_key, alert.recipient_id) in keys
        ]
        cleared += Alert.objects.filter(pk__in=moved).update(cleared_at=now)
    Alert.objects.bulk_create(
        [
            Alert(
                kind=w.kind,
                subject_key=w.subject_key,
                recipient_id=w.recipient_id,
                client_id=w.client_id,
                episode_id=w.episode_id,
                referral_id=w.referral_id,
                due_on=w.due_on,
            )
            for w in new
        ],
        batch_size=5000,
    )
    return RefreshReport(opened=len(new), cleared=cleared, open=len(wanted), skipped=skipped)


def refresh_alerts(
    today: date | None = None,
    client_id: int | None = None,
    *,
    actor: Actor | None = None,
    chunk_size: int = daily.CLIENTS_PER_CHUNK,
) -> RefreshReport:
    """Open the alerts whose condition holds and clear those whose condition is gone:
    for every client (the daily run), or for one client after a change to its data.
    Runs as the system actor ``actor`` (by default the job ``pathways.refresh_alerts``)."""
    actor = actor or Actor.system(JOB)
    today = today or timezone.localdate()
    answerers: Answerers = {}
    chunks = (
        iter([[client_id]])
        if client_id is not None
        else daily.id_chunks(Client.objects.all(), chunk_size)
    )
    run = daily.run_in_chunks(
        job=actor.job,
        chunks=chunks,
        work=lambda first, last: _refresh_clients(
            first, last, today=today, job=actor.job, answerers=answerers
        ),
        public_id=_client_public_id,
    )
    return RefreshReport(
        opened=sum(r.opened for r in run.results),
        cleared=sum(r.cleared for r in run.results),
        open=sum(r.open for r in run.results),
        skipped=sum(r.skipped for r in run.results) + run.skipped,
    )


def _client_public_id(pk: int) -> str:
    return str(Client.objects.filter(pk=pk).values_list("public_id", flat=True).first() or pk)
