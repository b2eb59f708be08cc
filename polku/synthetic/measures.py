"""Synthetic measurements: a few believable ones for the demo, millions at volume.

Demo measurements go through the services (so they are logged as real use would be);
volume measurements are bulk inserts in chunks, scored with the same pure scoring
function as the application, deterministic for the seed, with no access-log rows.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from faker import Faker

from polku.accounts.enums import OrganisationKind
from polku.accounts.models import Organisation, User
from polku.clients.models import Client
from polku.clients.services import RelationshipTerms, end_relationship, register_client
from polku.core.models import Municipality
from polku.measures import services
from polku.measures.enums import AdministrationStatus, Channel, Occasion
from polku.measures.models import Administration, InstrumentVersion, Schedule
from polku.measures.schedules import channel_for, occasions
from polku.measures.scoring import score
from polku.pathways.enums import EndReason
from polku.pathways.models import CaseManagerAssignment, Episode, Programme
from polku.pathways.services import end_episode, open_episode
from polku.policy.actors import Actor
from polku.policy.enums import RelationshipEndReason
from polku.policy.models import ServiceRelationship
from polku.synthetic.demo import (
    EMPLOYMENT_AREA,
    NOKIA,
    SERVING_PROFESSIONALS,
    TAMPERE,
    YLOJARVI,
    legal_bases_for,
    register_for,
)

CHUNK = 10_000
FOLLOW_UP_DAYS = 182
# Share of episodes measured, of those with a Kykyviisari result too, and of optional items
# left unanswered.
MEASURED_SHARE = 0.85
KYKYVIISARI = "kykyviisari-result"
KYKYVIISARI_SHARE = 0.3
OPTIONAL_SKIPPED = 0.2


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
        actor = Actor.for_user(assignment.user)
        # Start low and mostly improve, as work-ability services hope to see.
        values = [(3 + number % 3), (5 + number % 4), (6 + number % 5)][: 2 + number % 2]
        for index, value in enumerate(values):
            administration = services.start_administration(
                actor=actor,
                client=episode.client,
                organisation=episode.organisation,
                instrument=was,
                episode=episode,
                occasion=Occasion.BASELINE if index == 0 else Occasion.PERIODIC,
                channel=Channel.TOGETHER,
            )
            services.save_answers(
                actor=actor,
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
                actor=actor,
                client=episode.client,
                organisation=episode.organisation,
                instrument=icf,
                episode=episode,
                occasion=Occasion.BASELINE,
                channel=Channel.OBSERVER,
            )
            services.save_answers(
                actor=actor,
                administration=administration,
                answers={"b130": 2, "b152": 2, "d240": 3, "d720": 1, "d845": 2, "d850": 3},
                submit=True,
            )
            created += 1
        if number == 0:
            services.start_administration(
                actor=actor,
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


# A cohort of the employment area's clients, so that group results in the demo have
# groups of five and more to show (everything smaller is suppressed).
COHORT_SIZE = 36
COHORT_PROGRAMMES = ("multi-sector-joint-service", "multi-sector-joint-service", "job-coaching")


@transaction.atomic
def seed_demo_cohort() -> int:
    """Former clients of the employment area in two programmes, each with a Work Ability
    Score at the start and at exit, mostly improved; their episodes and service
    relationships have ended, so they stay off the worklists. Idempotent; returns clients
    created."""
    faker = Faker("fi_FI")
    faker.seed_instance(2026)
    rng = random.Random(2026)
    expert = User.objects.get(username=SERVING_PROFESSIONALS[EMPLOYMENT_AREA])
    actor = Actor.for_user(expert)
    area = Organisation.objects.get(name=EMPLOYMENT_AREA)
    municipalities = list(Municipality.objects.filter(code__in=(TAMPERE, NOKIA, YLOJARVI)))
    was = services.latest_version("work-ability-score")
    today = timezone.localdate()
    created = 0
    for number in range(COHORT_SIZE):
        first, last = faker.first_name(), faker.last_name()
        born = date(1965 + number % 35, 1 + number % 12, 1 + number % 28)
        if Client.objects.filter(first_names=first, last_name=last, birth_date=born).exists():
            continue
        started = today - timedelta(days=rng.randint(300, 420))
        ended = started + timedelta(days=rng.randint(180, 270))
        client = register_client(
            actor=actor,
            terms=RelationshipTerms(
                organisation=area,
                register=register_for(OrganisationKind.EMPLOYMENT_SERVICES),
                legal_basis=legal_bases_for(OrganisationKind.EMPLOYMENT_SERVICES)[0],
                started_on=started,
            ),
            first_names=first,
            last_name=last,
            birth_date=born,
            details={"municipality": municipalities[number % len(municipalities)]},
        ).client
        episode = open_episode(
            actor=actor,
            client=client,
            programme=Programme.objects.get(code=COHORT_PROGRAMMES[number % 3]),
            organisation=area,
            started_on=started,
            case_manager=expert,
        )
        value = rng.choice([2, 3, 4, 4, 5, 5, 6])
        for occasion, day in ((Occasion.BASELINE, started), (Occasion.EXIT, ended)):
            administration = services.start_administration(
                actor=actor,
                client=client,
                organisation=area,
                instrument=was,
                episode=episode,
                occasion=occasion,
                channel=Channel.TOGETHER,
            )
            services.save_answers(
                actor=actor, administration=administration, answers={"was": value}, submit=True
            )
            moment = timezone.make_aware(datetime.combine(day, datetime.min.time()))
            Administration.objects.filter(pk=administration.pk).update(
                created_at=moment, completed_at=moment
            )
            value = max(0, min(10, value + round(rng.gauss(1.2, 1.5))))
        end_episode(
            actor=actor,
            episode=episode,
            end_reason=rng.choice(list(EndReason)),
            ended_on=ended,
        )
        end_relationship(
            actor=actor,
            relationship=ServiceRelationship.objects.get(client=client, organisation=area),
            end_reason=RelationshipEndReason.SERVICE_COMPLETED,
            ended_on=ended,
        )
        created += 1
    return created


class VolumeMeasurements:
    """Measurements of a share of the episodes, as their programme's schedule asks.

    Each measured episode gets every scheduled instrument at the start, every N months,
    at exit and N months after exit (when those days have come), and some clients also a
    Kykyviisari result at the start and exit. Answers follow one latent level per
    client and instrument that mostly improves with noise, so that group change, effect
    sizes and reliable-change shares look like a real programme's.
    """

    def __init__(self, *, seed: int) -> None:
        self.random = random.Random(seed * 7919 + 13)
        self.answers = 0
        self.instruments: dict[str, InstrumentVersion] = {}
        self.schedules: dict[int, list[Schedule]] = defaultdict(list)

    def create(self, episodes: list[int] | None = None) -> tuple[int, float]:
        """Measure the given episodes (default: all without measurements); returns
        (administrations created, seconds). ``self.answers`` counts the item answers."""
        started = time.perf_counter()
        services.load_shipped_instruments()
        self.instruments = {
            code: services.latest_version(code)
            for code in {*Schedule.objects.values_list("instrument_code", flat=True), KYKYVIISARI}
        }
        for schedule in Schedule.objects.all():
            self.schedules[schedule.programme_id].append(schedule)
        queryset = Episode.objects.filter(administrations__isnull=True)
        if episodes is not None:
            queryset = queryset.filter(pk__in=episodes)
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        total = 0
        for start in range(0, len(ids), CHUNK):
            total += self._chunk(ids[start : start + CHUNK])
        return total, time.perf_counter() - started

    @transaction.atomic
    def _chunk(self, ids: list[int]) -> int:
        rows: list[Administration] = []
        episodes = Episode.objects.filter(pk__in=ids).only(
            "pk",
            "client_id",
            "programme_id",
            "organisation_id",
            "started_on",
            "ended_on",
            "created_by_id",
        )
        today = timezone.localdate()
        for episode in episodes:
            if self.random.random() >= MEASURED_SHARE:
                continue
            schedules = list(self.schedules[episode.programme_id])
            if self.random.random() < KYKYVIISARI_SHARE:
                schedules += [
                    Schedule(instrument_code=KYKYVIISARI, occasion=occasion)
                    for occasion in (Occasion.BASELINE, Occasion.EXIT)
                ]
            plan = [
                (schedule.instrument_code, occasion, day)
                for schedule in schedules
                for occasion, day in occasions(episode, schedule, today)
                if day <= today
            ]
            levels: dict[str, float] = {}
            for code, occasion, day in sorted(plan, key=lambda step: step[2]):
                instrument = self.instruments.get(code)
                if instrument is None:
                    continue
                if code not in levels:
                    levels[code] = self.random.uniform(0.15, 0.6)
                else:
                    levels[code] = min(1.0, max(0.0, levels[code] + self.random.gauss(0.07, 0.1)))
                answers = self._answers(instrument, levels[code])
                self.answers += len(answers)
                rows.append(self._row(episode, instrument, occasion, day, answers))
        Administration.objects.bulk_create(rows, batch_size=5000)
        return len(rows)

    def _answers(self, instrument: InstrumentVersion, level: float) -> dict[str, int]:
        """Answers at a latent level 0..1 (1 = best), item by item with noise."""
        definition = instrument.definition
        answers = {}
        for item in definition.items:
            if not item.required and self.random.random() < OPTIONAL_SKIPPED:
                continue
            scale = definition.scales[item.scale]
            share = min(1.0, max(0.0, level + self.random.gauss(0, 0.12)))
            if item.reverse == definition.higher_is_better:
                share = 1 - share
            value = round(scale.minimum + share * (scale.maximum - scale.minimum))
            if scale.options:
                value = min((o.value for o in scale.options), key=lambda v: abs(v - value))
            answers[item.code] = value
        return answers

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
            channel=channel_for(instrument),
            status=AdministrationStatus.COMPLETE,
            due_on=day,
            answers=answers,
            total=result.total,
            subscale_scores=result.subscales,
            band=result.band or "",
            prorated=result.prorated,
            created_by_id=episode.created_by_id,
            created_at=moment,
            completed_at=moment,
        )
