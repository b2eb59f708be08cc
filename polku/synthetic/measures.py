"""Synthetic measurements: a few believable ones for the demo, millions at volume.

Demo measurements go through the services (so they are logged as real use would be);
volume measurements are bulk inserts in chunks, scored with the same pure scoring
function as the application, deterministic for the seed, with no access-log rows.
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from polku.audit.services import Origin
from polku.measures import services
from polku.measures.enums import AdministrationStatus, Channel, Occasion
from polku.measures.models import Administration, InstrumentVersion
from polku.measures.scoring import score
from polku.pathways.models import CaseManagerAssignment, Episode

CHUNK = 10_000
# Share of episodes with Work Ability Score measurements, and of those with an ICF rating.
MEASURED_SHARE = 0.6
ICF_SHARE = 0.25
FOLLOW_UP_DAYS = 182


@transaction.atomic
def seed_demo_measurements() -> int:
    """Work Ability Scores over time and an ICF rating for the demo case manager's clients.

    Idempotent: a client who already has measurements is left alone.
    """
    services.load_shipped_instruments()
    was = services.latest_version("work-ability-score")
    icf = services.latest_version("icf-rating")
    created = 0
    assignments = (
        CaseManagerAssignment.objects.filter(ended_at__isnull=True)
        .select_related("episode__client", "episode__organisation", "user")
        .order_by("episode__started_on", "pk")
    )
    for number, assignment in enumerate(assignments[:8]):
        episode = assignment.episode
        if Administration.objects.filter(client=episode.client).exists():
            continue
        origin = Origin(user=assignment.user)
        # Start low and mostly improve, as work-ability services hope to see.
        values = [(3 + number % 3), (5 + number % 4), (6 + number % 5)][: 2 + number % 2]
        for index, value in enumerate(values):
            administration = services.start_administration(
                origin=origin,
                client=episode.client,
                organisation=episode.organisation,
                instrument=was,
                episode=episode,
                occasion=Occasion.BASELINE if index == 0 else Occasion.PERIODIC,
                channel=Channel.TOGETHER,
            )
            services.save_answers(
                origin=origin,
                administration=administration,
                answers={"was": min(value, 10)},
                submit=True,
            )
            moment = timezone.now() - timedelta(days=FOLLOW_UP_DAYS * (len(values) - 1 - index))
            Administration.objects.filter(pk=administration.pk).update(
                completed_at=moment, created_at=moment
            )
            created += 1
        if number % 2 == 0:
            administration = services.start_administration(
                origin=origin,
                client=episode.client,
                organisation=episode.organisation,
                instrument=icf,
                episode=episode,
                occasion=Occasion.BASELINE,
                channel=Channel.OBSERVER,
            )
            services.save_answers(
                origin=origin,
                administration=administration,
                answers={"b130": 2, "b152": 2, "d240": 3, "d720": 1, "d845": 2, "d850": 3},
                submit=True,
            )
            created += 1
        if number == 0:
            services.start_administration(
                origin=origin,
                client=episode.client,
                organisation=episode.organisation,
                instrument=was,
                episode=episode,
                occasion=Occasion.PERIODIC,
                channel=Channel.LINK,
                due_on=timezone.localdate(),
            )
            created += 1
    return created


class VolumeMeasurements:
    """Work Ability Score series (and some ICF ratings) for a share of the episodes."""

    def __init__(self, *, seed: int) -> None:
        self.random = random.Random(seed * 7919 + 13)

    def create(self, episodes: list[int] | None = None) -> tuple[int, float]:
        """Measure the given episodes (default: all without measurements); returns
        (administrations created, seconds)."""
        started = time.perf_counter()
        services.load_shipped_instruments()
        was = services.latest_version("work-ability-score")
        icf = services.latest_version("icf-rating")
        queryset = Episode.objects.filter(administrations__isnull=True)
        if episodes is not None:
            queryset = queryset.filter(pk__in=episodes)
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        total = 0
        for start in range(0, len(ids), CHUNK):
            total += self._chunk(ids[start : start + CHUNK], was, icf)
        return total, time.perf_counter() - started

    @transaction.atomic
    def _chunk(self, ids: list[int], was: InstrumentVersion, icf: InstrumentVersion) -> int:
        rows: list[Administration] = []
        episodes = Episode.objects.filter(pk__in=ids).only(
            "pk", "client_id", "organisation_id", "started_on", "ended_on", "created_by_id"
        )
        today = timezone.localdate()
        for episode in episodes:
            if self.random.random() >= MEASURED_SHARE:
                continue
            end = episode.ended_on or today
            value = self.random.choice([2, 3, 4, 4, 5, 5, 6, 6, 7, 8])
            day, occasion = episode.started_on, Occasion.BASELINE
            while day <= end:
                rows.append(self._row(episode, was, occasion, day, {"was": value}))
                value = max(0, min(10, value + round(self.random.gauss(0.6, 1.6))))
                day, occasion = day + timedelta(days=FOLLOW_UP_DAYS), Occasion.PERIODIC
            if self.random.random() < ICF_SHARE:
                answers = {
                    item.code: self.random.choice([0, 1, 1, 2, 2, 3, 4])
                    for item in icf.definition.items
                    if self.random.random() < 0.7
                }
                if answers:
                    rows.append(
                        self._row(episode, icf, Occasion.BASELINE, episode.started_on, answers)
                    )
        Administration.objects.bulk_create(rows, batch_size=5000)
        return len(rows)

    def _row(
        self,
        episode: Episode,
        instrument: InstrumentVersion,
        occasion: str,
        day: date,
        answers: dict[str, int],
    ) -> Administration:
        result = score(instrument.definition, answers)
        moment = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
            hours=10
        )
        return Administration(
            client_id=episode.client_id,
            episode_id=episode.pk,
            organisation_id=episode.organisation_id,
            instrument=instrument,
            occasion=occasion,
            channel=Channel.TOGETHER,
            status=AdministrationStatus.COMPLETE,
            answers=answers,
            total=result.total,
            subscale_scores=result.subscales,
            band=result.band or "",
            prorated=result.prorated,
            created_by_id=episode.created_by_id,
            created_at=moment,
            completed_at=moment,
        )
