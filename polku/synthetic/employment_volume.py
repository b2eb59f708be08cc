"""Supported employment at volume, for ``seed_synthetic``: employers with contact people,
job coaching of the episodes in the job-coaching programme, the coaches' contacts with
clients and employers, and the transitions of the coachings that ended.

It follows the pathways already seeded: a coaching runs inside its episode (from a day of
the episode to its end at the latest), its coach is a job coach of the episode's
organisation, and only organisations with job coaches coach. One job coach, of the
organisation with the most open coachings, is given exactly ``BENCH_CASELOAD`` of them:
the coach the caseload benchmark signs in as. Written with bulk inserts; no access-log rows,
as nothing is accessed.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from faker import Faker

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership, Organisation
from polku.accounts.validators import business_id_check_digit
from polku.core.models import Industry, Municipality, Occupation
from polku.employment.coaching_enums import (
    FOLLOW_UP_MONTHS,
    STAGE_TRANSITIONS,
    ContactKind,
    Occasion,
    Stage,
    TransitionKind,
)
from polku.employment.models import (
    Coaching,
    CoachingContact,
    CoachingStage,
    ContactMode,
    ContactPurpose,
    Employer,
    EmployerContact,
    EmployerContactPerson,
    EmployerFeedback,
    FeedbackLink,
    Placement,
    SizeBand,
    Transition,
    WorkTrial,
)
from polku.employment.models.employers import employer_name_key
from polku.employment.placement_enums import EndReason, PlacementKind, PlacementTerms
from polku.employment.worktrial_enums import DEFAULT_AREA_CODES, TrialPurpose, default_areas
from polku.measures.schedules import add_months
from polku.pathways.models import Episode
from polku.policy.enums import ConsentMethod, DataCategory, Purpose
from polku.policy.models import Consent, ConsentCategory

JOB_COACHING = "job-coaching"
COACHED_SHARE = 0.9  # of the programme's episodes in organisations with job coaches
BENCH_CASELOAD = 30
EMPLOYERS_PER_CLIENTS = 500  # one employer per this many clients, at least MIN_EMPLOYERS
MIN_EMPLOYERS = 50
EMPLOYER_CONTACT_WEEKS = 12
BATCH = 5000
# Business IDs of volume employers start here, clear of the demo's invented ones.
BUSINESS_ID_BASE = 3_100_000

OPEN_STAGE_WEIGHTS = {
    Stage.VOCATIONAL_PROFILE: 3,
    Stage.JOB_SEARCH: 4,
    Stage.IN_WORK: 3,
}
EXIT_WEIGHTS = {
    TransitionKind.OPEN_MARKET_WORK: 26,
    TransitionKind.SUBSIDISED_WORK: 14,
    TransitionKind.SELF_EMPLOYMENT: 2,
    TransitionKind.EDUCATION: 12,
    TransitionKind.REHABILITATION: 9,
    TransitionKind.OTHER_SERVICES: 12,
    TransitionKind.PENSION: 4,
    TransitionKind.UNEMPLOYED: 15,
    TransitionKind.UNKNOWN: 6,
}
FOLLOW_UP_RECORDED_SHARE = 0.8
# The exits that keep the job held when the coaching ends; with another exit it ended.
JOB_KEPT_AT_EXIT = {TransitionKind.OPEN_MARKET_WORK, TransitionKind.SUBSIDISED_WORK}
JOB_TERMS_WEIGHTS = {
    PlacementTerms.OPEN_MARKET: 7,
    PlacementTerms.PAY_SUBSIDY: 2,
    PlacementTerms.OTHER_SUPPORT: 1,
}
JOB_END_REASONS = (
    EndReason.FIXED_TERM_ENDED,
    EndReason.RESIGNED,
    EndReason.DISMISSED,
    EndReason.HEALTH,
    EndReason.OTHER,
)
# Work trials: a share of the coachings that reached the job search try a workplace first,
# at one of the employers that host trials (each with its organisation in Polku, the
# recipient of the client's consent); most hosts of a finished trial send their feedback.
TRIAL_SHARE = 0.35
TRIAL_HOSTS = 200
TRIAL_DAYS = 27
FEEDBACK_SHARE = 0.75
WORKPLACES = ("Varasto", "Keittiö", "Asiakaspalvelu", "Kiinteistöhuolto")
HOST_OVERALL = (
    "Luotettava ja oma-aloitteinen, tahti kasvoi kokeilun aikana.",
    "Tehtävät sujuivat, kun ohjeet annettiin kirjallisina.",
    "Hyvä työote; jaksaminen vaihteli iltapäivisin.",
)
HOURS_PER_WEEK = tuple(Decimal(hours) for hours in ("10", "15", "20", "25", "30", "37.5"))
NEXT_STEPS = (
    "Ammatillinen profiili valmiiksi",
    "Kaksi työhakemusta",
    "Tutustumiskäynti työpaikalla",
    "Kolmikantatapaaminen esihenkilön kanssa",
    "Työsopimuksen läpikäynti",
)
CONTACT_NOTES = (
    "Käytiin läpi avoimia paikkoja.",
    "Soitto työnantajasta, haastattelu sovittu.",
    "Työpaikkakäynti, tehtävät selkeytetty.",
    "Viesti: vuorolista ja kulkeminen.",
    "",
)


@dataclass
class EmploymentReport:
    counts: Counter[str] = field(default_factory=Counter)
    # Seconds of each step, under the name of the first thing it counts.
    seconds: dict[str, float] = field(default_factory=dict)
    bench_coach: str = ""
    bench_caseload: int = 0


def bench_coach() -> str:
    """The username of the coach the caseload benchmark signs in as: the job coach with the
    lowest id among those coaching in the organisation with the most open coachings (the
    one ``VolumeEmployment`` gives ``BENCH_CASELOAD`` of them); empty when none."""
    coachings = Coaching.objects.filter(ended_on__isnull=True)
    largest = (
        coachings.values("organisation").annotate(n=Count("pk")).order_by("-n", "organisation")
    ).first()
    if largest is None:
        return ""
    username = (
        coachings.filter(organisation=largest["organisation"])
        .order_by("coach_id")
        .values_list("coach__username", flat=True)
        .first()
    )
    return username or ""


class VolumeEmployment:
    def __init__(self, *, seed: int, clients: int) -> None:
        self.random = random.Random(f"employment-{seed}")
        self.faker = Faker("fi_FI")
        self.faker.seed_instance(seed * 31 + 7)
        self.seed = seed
        self.employer_count = max(MIN_EMPLOYERS, clients // EMPLOYERS_PER_CLIENTS)
        self.today = timezone.localdate()
        self.report = EmploymentReport()

    def create(self) -> EmploymentReport:
        with transaction.atomic():
            started = time.perf_counter()
            employers = self._employers()
            self.report.seconds["employers"] = time.perf_counter() - started
            started = time.perf_counter()
            coachings = self._coachings(self._coaches())
            self._bench_caseload(coachings)
            self._coaching_details(coachings, employers)
            self.report.seconds["coachings"] = time.perf_counter() - started
            started = time.perf_counter()
            self._work_trials(coachings, employers)
            self.report.seconds["work trials"] = time.perf_counter() - started
            started = time.perf_counter()
            self._employer_contacts(employers)
            self.report.seconds["employer contacts"] = time.perf_counter() - started
        return self.report

    # Employers -----------------------------------------------------------------------------

    def _employers(self) -> list[tuple[int, list[int]]]:
        """The employers and their contact people's ids, as (employer id, [person ids])."""
        r = self.random
        industries = list(
            Industry.objects.filter(parent__isnull=False).values_list("pk", flat=True)
        )
        municipalities = list(Municipality.objects.values_list("pk", flat=True))
        creators = list(
            Membership.objects.filter(role=Role.JOB_COACH)
            .values_list("organisation_id", flat=True)
            .distinct()
            .order_by("organisation_id")[:50]
        )
        if not creators or not municipalities:
            return []
        bodies = (
            f"{number:07d}"
            for number in range(BUSINESS_ID_BASE + self.seed * 100_000, 10_000_000)
            if business_id_check_digit(f"{number:07d}") is not None
        )
        rows = []
        for _index in range(self.employer_count):
            body = next(bodies)
            name = self.faker.company()
            rows.append(
                Employer(
                    name=name,
                    search_name=employer_name_key(name),
                    business_id=f"{body}-{business_id_check_digit(body)}",
                    industry_id=r.choice(industries) if industries else None,
                    size_band=r.choice(list(SizeBand)).value,
                    municipality_id=r.choice(municipalities),
                    created_by_organisation_id=r.choice(creators),
                )
            )
        employers = Employer.objects.bulk_create(rows, batch_size=BATCH)
        people = []
        for employer in employers:
            for _person in range(r.randint(1, 2)):
                people.append(
                    EmployerContactPerson(
                        employer=employer,
                        name=f"{self.faker.first_name()} {self.faker.last_name()}",
                        title=r.choice(("Esihenkilö", "HR-asiantuntija", "Toimitusjohtaja")),
                        phone=f"040 {r.randint(100, 999)} {r.randint(1000, 9999)}",
                    )
                )
        EmployerContactPerson.objects.bulk_create(people, batch_size=BATCH)
        self.report.counts["employers"] = len(employers)
        self.report.counts["employer contact people"] = len(people)
        by_employer: dict[int, list[int]] = defaultdict(list)
        for person in people:
            by_employer[person.employer_id].append(person.pk)
        return [(employer.pk, by_employer[employer.pk]) for employer in employers]

    # Coachings -----------------------------------------------------------------------------

    def _coaches(self) -> dict[int, list[int]]:
        """The job coaches of each organisation, by user id."""
        coaches: dict[int, list[int]] = defaultdict(list)
        for organisation_id, user_id in (
            Membership.objects.filter(role=Role.JOB_COACH, valid_until__isnull=True)
            .order_by("organisation_id", "user_id")
            .values_list("organisation_id", "user_id")
        ):
            coaches[organisation_id].append(user_id)
        return coaches

    def _coachings(self, coaches: dict[int, list[int]]) -> list[Coaching]:
        r = self.random
        episodes = (
            Episode.objects.filter(
                programme__code=JOB_COACHING,
                organisation_id__in=list(coaches),
                coachings__isnull=True,
            )
            .order_by("pk")
            .values_list("pk", "client_id", "organisation_id", "register", "started_on", "ended_on")
        )
        rows = []
        for episode_id, client_id, organisation_id, register, started_on, ended_on in episodes:
            if r.random() >= COACHED_SHARE:
                continue
            until = ended_on or self.today
            started = started_on + timedelta(days=r.randint(0, min(30, (until - started_on).days)))
            rows.append(
                Coaching(
                    public_id=self._uuid(),
                    client_id=client_id,
                    episode_id=episode_id,
                    organisation_id=organisation_id,
                    register=register,
                    coach_id=r.choice(coaches[organisation_id]),
                    started_on=started,
                    stage_started_on=started,
                    ended_on=ended_on,
                )
            )
        return rows

    def _bench_caseload(self, coachings: list[Coaching]) -> None:
        """Give one job coach of the organisation with the most open coachings exactly
        ``BENCH_CASELOAD`` open ones (or all there are), the rest to its other coaches."""
        open_by_organisation: dict[int, list[Coaching]] = defaultdict(list)
        for coaching in coachings:
            if coaching.ended_on is None:
                open_by_organisation[coaching.organisation_id].append(coaching)
        if not open_by_organisation:
            return
        _organisation, open_ones = max(
            open_by_organisation.items(), key=lambda item: (len(item[1]), -item[0])
        )
        coach_ids = sorted({coaching.coach_id for coaching in open_ones})
        bench = coach_ids[0]
        others = coach_ids[1:] or [bench]
        for index, coaching in enumerate(open_ones):
            if index < BENCH_CASELOAD:
                coaching.coach_id = bench
            elif coaching.coach_id == bench:
                coaching.coach_id = self.random.choice(others)
        username = Membership.objects.filter(user_id=bench).values_list("user__username", flat=True)
        self.report.bench_coach = username.first() or ""
        self.report.bench_caseload = sum(1 for c in open_ones if c.coach_id == bench)

    def _coaching_details(
        self, coachings: list[Coaching], employers: list[tuple[int, list[int]]]
    ) -> None:
        """Stages, contacts, placements and (for the ended) transitions, then the coachings
        themselves with their current stage, last contact and next step in step with those
        rows."""
        r = self.random
        stages, contacts, transitions, placements = [], [], [], []
        places = Places(self.random, employers)
        for coaching in coachings:
            until = coaching.ended_on or self.today
            story = self._stage_story(coaching.started_on, until, ended=coaching.ended_on)
            for stage, day in story:
                stages.append(
                    CoachingStage(
                        coaching=coaching,
                        stage=stage,
                        started_on=day,
                        recorded_by_id=coaching.coach_id,
                    )
                )
            coaching.stage, coaching.stage_started_on = story[-1]
            days = sorted(
                {self._day(coaching.started_on, until) for _contact in range(r.randint(0, 6))}
            )
            for day in days:
                contacts.append(
                    CoachingContact(
                        coaching=coaching,
                        contacted_on=day,
                        kind=r.choice(list(ContactKind)).value,
                        note=r.choice(CONTACT_NOTES),
                        recorded_by_id=coaching.coach_id,
                    )
                )
            coaching.last_contact_on = days[-1] if days else None
            exit_kind: str | None = None
            if coaching.ended_on is None:
                coaching.next_step = r.choice(NEXT_STEPS)
                coaching.next_step_on = self.today + timedelta(days=r.randint(-10, 30))
            else:
                coaching.ended_by_id = coaching.coach_id
                rows = self._transitions(coaching, coaching.ended_on)
                transitions += rows
                exit_kind = rows[0].kind
            placements += places.of(coaching, story, exit_kind)
        Coaching.objects.bulk_create(coachings, batch_size=BATCH)
        CoachingStage.objects.bulk_create(stages, batch_size=BATCH)
        CoachingContact.objects.bulk_create(contacts, batch_size=BATCH)
        Transition.objects.bulk_create(transitions, batch_size=BATCH)
        Placement.objects.bulk_create(placements, batch_size=BATCH)
        self.report.counts["placements"] = len(placements)
        self.report.counts["coachings"] = len(coachings)
        self.report.counts["coaching stages"] = len(stages)
        self.report.counts["coaching contacts"] = len(contacts)
        self.report.counts["transitions"] = len(transitions)

    def _stage_story(
        self, started_on: date, until: date, *, ended: date | None
    ) -> list[tuple[Stage, date]]:
        """The stages from the start: forward through the allowed moves, each on a later
        day than the one before; an ended coaching ends with ``ENDED`` on its end day."""
        r = self.random
        target = r.choices(list(OPEN_STAGE_WEIGHTS), weights=list(OPEN_STAGE_WEIGHTS.values()))[0]
        story = [(Stage.VOCATIONAL_PROFILE, started_on)]
        path = {
            Stage.VOCATIONAL_PROFILE: [],
            Stage.JOB_SEARCH: [Stage.JOB_SEARCH],
            Stage.IN_WORK: [Stage.JOB_SEARCH, Stage.IN_WORK],
        }[target]
        for stage in path:
            previous_stage, previous_day = story[-1]
            if previous_day >= until or stage not in STAGE_TRANSITIONS[previous_stage]:
                break
            story.append((stage, self._day(previous_day + timedelta(days=1), until)))
        if ended is not None:
            story.append((Stage.ENDED, ended))
        return story

    def _transitions(self, coaching: Coaching, ended_on: date) -> list[Transition]:
        r = self.random
        kinds, weights = list(EXIT_WEIGHTS), list(EXIT_WEIGHTS.values())
        exit_kind = r.choices(kinds, weights=weights)[0]
        rows = [
            Transition(
                coaching=coaching,
                occasion=Occasion.EXIT,
                kind=exit_kind,
                observed_on=ended_on,
                recorded_by_id=coaching.coach_id,
            )
        ]
        kind = exit_kind
        for occasion, months in FOLLOW_UP_MONTHS.items():
            due = add_months(ended_on, months)
            if due > self.today or r.random() >= FOLLOW_UP_RECORDED_SHARE:
                continue
            if r.random() < 0.3:  # most stay where they went
                kind = r.choices(kinds, weights=weights)[0]
            rows.append(
                Transition(
                    coaching=coaching,
                    occasion=occasion,
                    kind=kind,
                    observed_on=min(self.today, due + timedelta(days=r.randint(0, 14))),
                    recorded_by_id=coaching.coach_id,
                )
            )
        return rows

    # Work trials ---------------------------------------------------------------------------

    def _work_trials(
        self, coachings: list[Coaching], employers: list[tuple[int, list[int]]]
    ) -> None:
        """Trials of a share of the coachings that reached the job search, each with the
        client's consent to disclose employment data to the host (as the feedback link asks)
        and, once the trial is over, mostly the host's feedback sent through its link."""
        hosts = self._trial_hosts([e for e in employers if e[1]][:TRIAL_HOSTS])
        if not hosts:
            return
        r = self.random
        job_search = self._job_search_days(coachings)
        trials, consents = [], []
        for coaching in coachings:
            searching_from = job_search.get(coaching.pk)
            until = coaching.ended_on or self.today
            if searching_from is None or searching_from >= until or r.random() >= TRIAL_SHARE:
                continue
            employer_id, organisation_id, people = r.choice(hosts)
            starts_on = self._day(searching_from, min(until, searching_from + timedelta(days=20)))
            consents.append(
                Consent(
                    public_id=self._uuid(),
                    client_id=coaching.client_id,
                    discloser_id=coaching.organisation_id,
                    recipient_id=organisation_id,
                    purpose=Purpose.EMPLOYMENT_SUPPORT,
                    valid_from=max(coaching.started_on, starts_on - timedelta(days=3)),
                    method=ConsentMethod.IN_PERSON,
                    recorded_by_id=coaching.coach_id,
                    recorded_by_organisation_id=coaching.organisation_id,
                )
            )
            trials.append(
                WorkTrial(
                    public_id=self._uuid(),
                    client_id=coaching.client_id,
                    coaching=coaching,
                    organisation_id=coaching.organisation_id,
                    register=coaching.register,
                    employer_id=employer_id,
                    workplace=r.choice(
                        ("Varasto", "Keittiö", "Asiakaspalvelu", "Kiinteistöhuolto")
                    ),
                    contact_person_id=r.choice(people),
                    starts_on=starts_on,
                    ends_on=starts_on + timedelta(days=TRIAL_DAYS),
                    tasks="Työtehtäviin tutustuminen ohjatusti",
                    purpose=r.choice(list(TrialPurpose)).value,
                    areas=default_areas(),
                    created_by_id=coaching.coach_id,
                )
            )
        Consent.objects.bulk_create(consents, batch_size=BATCH)
        ConsentCategory.objects.bulk_create(
            [ConsentCategory(consent=c, category=DataCategory.EMPLOYMENT) for c in consents],
            batch_size=BATCH,
        )
        WorkTrial.objects.bulk_create(trials, batch_size=BATCH)
        links, feedback = [], []
        for trial in trials:
            if trial.ends_on >= self.today or r.random() >= FEEDBACK_SHARE:
                continue
            sent_on = trial.ends_on + timedelta(days=r.randint(0, 7))
            submitted_at = _at(min(sent_on, self.today))
            link = FeedbackLink(
                trial=trial,
                token_hash=f"{r.getrandbits(256):064x}",
                contact_person_id=trial.contact_person_id,
                expires_at=_at(trial.ends_on + timedelta(days=21)),
                submitted_at=submitted_at,
                created_by_id=trial.created_by_id,
            )
            links.append(link)
            feedback.append(
                EmployerFeedback(
                    link=link,
                    ratings={
                        code: r.choices((1, 2, 3, 4, 5), weights=(1, 2, 4, 5, 3))[0]
                        for code in DEFAULT_AREA_CODES
                    },
                    overall=r.choice(HOST_OVERALL),
                    language="fi",
                    submitted_at=submitted_at,
                )
            )
        FeedbackLink.objects.bulk_create(links, batch_size=BATCH)
        EmployerFeedback.objects.bulk_create(feedback, batch_size=BATCH)
        self.report.counts["work trials"] = len(trials)
        self.report.counts["consents to hosts"] = len(consents)
        self.report.counts["host feedback"] = len(feedback)

    def _trial_hosts(
        self, employers: list[tuple[int, list[int]]]
    ) -> list[tuple[int, int, list[int]]]:
        """The employers that host trials, each given its organisation in Polku (of kind
        employer, as ``worktrial_services`` creates it): (employer, organisation, people)."""
        chosen = list(
            Employer.objects.filter(pk__in=[e for e, _people in employers]).order_by("pk")
        )
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=employer.name,
                    kind=OrganisationKind.EMPLOYER,
                    business_id=employer.business_id,
                    municipality_id=employer.municipality_id,
                )
                for employer in chosen
            ],
            batch_size=BATCH,
        )
        for employer, organisation in zip(chosen, organisations, strict=True):
            employer.organisation = organisation
        Employer.objects.bulk_update(chosen, ["organisation"], batch_size=BATCH)
        people = dict(employers)
        return [(e.pk, e.organisation_id, people[e.pk]) for e in chosen if e.organisation_id]

    def _job_search_days(self, coachings: list[Coaching]) -> dict[int, date]:
        days: dict[int, date] = {}
        ids = [coaching.pk for coaching in coachings]
        for start in range(0, len(ids), BATCH):
            days.update(
                CoachingStage.objects.filter(
                    stage=Stage.JOB_SEARCH, coaching_id__in=ids[start : start + BATCH]
                ).values_list("coaching_id", "started_on")
            )
        return days

    # The engagement log --------------------------------------------------------------------

    def _employer_contacts(self, employers: list[tuple[int, list[int]]]) -> None:
        """For each coach with open coachings: 2-8 employer contacts a week over the last
        ``EMPLOYER_CONTACT_WEEKS`` weeks, mostly face to face, with employers of the region."""
        if not employers:
            return
        r = self.random
        active = dict(
            Coaching.objects.filter(ended_on__isnull=True)
            .values_list("coach_id", "organisation_id")
            .distinct()
        )
        rows = []
        start = self.today - timedelta(weeks=EMPLOYER_CONTACT_WEEKS)
        modes = list(ContactMode)
        purposes = list(ContactPurpose)
        for coach_id, organisation_id in sorted(active.items()):
            for week in range(EMPLOYER_CONTACT_WEEKS):
                monday = start + timedelta(weeks=week)
                for _contact in range(r.randint(2, 8)):
                    employer_id, people = r.choice(employers)
                    rows.append(
                        EmployerContact(
                            date=min(self.today, monday + timedelta(days=r.randint(0, 4))),
                            coach_id=coach_id,
                            organisation_id=organisation_id,
                            employer_id=employer_id,
                            contact_person_id=r.choice(people) if people else None,
                            mode=ContactMode.FACE_TO_FACE
                            if r.random() < 0.6
                            else r.choice(modes).value,
                            purpose=r.choice(purposes).value,
                            result="",
                        )
                    )
        EmployerContact.objects.bulk_create(rows, batch_size=BATCH)
        self.report.counts["employer contacts"] = len(rows)

    # Helpers -------------------------------------------------------------------------------

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.random.getrandbits(128), version=4)

    def _day(self, first: date, last: date) -> date:
        span = (last - first).days
        return first + timedelta(days=self.random.randint(0, span)) if span > 0 else first


def _at(day: date) -> datetime:
    return datetime.combine(day, dt_time(10), tzinfo=timezone.get_current_timezone())


class Places:
    """The placements a coaching's story implies: a job from the day it reached work (held
    while in work, kept or ended at its end as the exit says), studies from the end of a
    coaching whose exit was education."""

    def __init__(self, rng: random.Random, employers: list[tuple[int, list[int]]]) -> None:
        self.random = rng
        self.employers = [employer_id for employer_id, _people in employers]
        education = list(
            Employer.objects.filter(pk__in=self.employers)
            .filter(Q(industry__code="P") | Q(industry__parent__code="P"))
            .values_list("pk", flat=True)
        )
        self.schools = education or self.employers
        self.occupations = list(
            Occupation.objects.filter(parent__parent__isnull=False).values_list("pk", flat=True)
        )
        self.terms, self.term_weights = list(JOB_TERMS_WEIGHTS), list(JOB_TERMS_WEIGHTS.values())
        self.today = timezone.localdate()

    def of(
        self, coaching: Coaching, story: list[tuple[Stage, date]], exit_kind: str | None
    ) -> list[Placement]:
        if not self.employers or not self.occupations:
            return []
        r = self.random
        rows = []
        in_work = next((day for stage, day in story if stage == Stage.IN_WORK), None)
        if in_work is not None:
            job = self._placement(coaching, PlacementKind.JOB, r.choice(self.employers), in_work)
            job.occupation_id = r.choice(self.occupations)
            job.terms = (
                PlacementTerms.PAY_SUBSIDY
                if exit_kind == TransitionKind.SUBSIDISED_WORK
                else r.choices(self.terms, weights=self.term_weights)[0]
            )
            job.hours_per_week = r.choice(HOURS_PER_WEEK)
            job.supports_agreed = "Perehdytys työpaikalla ja sovittu yhteyshenkilö."
            if coaching.ended_on is not None and exit_kind not in JOB_KEPT_AT_EXIT:
                job.ended_on = coaching.ended_on
                job.end_reason = r.choice(JOB_END_REASONS)
            rows.append(job)
        if coaching.ended_on is not None and exit_kind == TransitionKind.EDUCATION:
            rows.append(
                self._placement(
                    coaching, PlacementKind.EDUCATION, r.choice(self.schools), coaching.ended_on
                )
            )
        return rows

    def _placement(
        self, coaching: Coaching, kind: PlacementKind, employer_id: int, started_on: date
    ) -> Placement:
        return Placement(
            public_id=uuid.UUID(int=self.random.getrandbits(128), version=4),
            coaching=coaching,
            client_id=coaching.client_id,
            organisation_id=coaching.organisation_id,
            register=coaching.register,
            kind=kind,
            employer_id=employer_id,
            started_on=started_on,
            recorded_by_id=coaching.coach_id,
        )
