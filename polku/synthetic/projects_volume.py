"""Funded projects at volume, for ``seed_synthetic``: programmes and projects in
proportion to the clients (one project per ``CLIENTS_PER_PROJECT``, at least one), each
administered by one of the seed's organisations that serve clients, with partners of the
same wellbeing services county, an area around it, a budget by year, staff and
participants; and ``bench_project``, the project of exactly ``BENCH_PARTICIPANTS``
participants the indicator benchmark computes.

Participants are drawn from the clients the project's organisations serve (an active
service relationship, which the enrolment rests on), each enrolled by the project's
worker in the owning organisation, with gender, age and municipality as on the entry day.
The ESF+ data follow believable shares: labour-market status, ISCED level, about one in
ten declining the sensitive items, most leavers' situation recorded upon leaving and many
six months later. Deterministic for a seed; bulk inserts in batches and a fixed number of
queries per project, so that the 1,000,000-client database is seeded in seconds. No
access-log rows: creating data is not an access to it.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from polku.accounts.enums import CLIENT_WORK_ROLES, Role
from polku.accounts.models import Membership, Organisation
from polku.clients.enums import Gender
from polku.clients.models import Client, search_key
from polku.core.models import Municipality
from polku.measures.schedules import add_months
from polku.policy.enums import ProjectRoleKind
from polku.policy.legal_bases import legal_bases_for, register_for
from polku.policy.models import ProjectRole, ServiceRelationship
from polku.projects.enums import (
    EducationLevel,
    FundingInstrument,
    LabourStatus,
    SensitiveAnswer,
)
from polku.projects.models import (
    BudgetYear,
    FundingProgramme,
    Participant,
    Project,
    SensitiveDetails,
)
from polku.synthetic.projects_demo import age_on
from polku.synthetic.volume import VolumeReport, username_for

CLIENTS_PER_PROJECT = 20_000
PROJECTS_PER_PROGRAMME = 6
PARTICIPANTS_PER_PROJECT = (150, 600)
BATCH = 5000
WORKERS_PER_ORGANISATION = 3

BENCH_PARTICIPANTS = 5000
BENCH_CODE = "BENCH-5000"
BENCH_PROGRAMME = "Vertailuohjelma (indikaattorien suorituskyky)"

# (programme theme, instrument, funder)
THEMES: tuple[tuple[str, FundingInstrument, str], ...] = (
    ("Työkykyohjelma", FundingInstrument.STATE_GRANT, "Sosiaali- ja terveysministeriö"),
    ("ESR+ työllisyys ja osallisuus", FundingInstrument.ESF_PLUS, "ELY-keskus (ESR+)"),
    ("Nuorten osallisuus", FundingInstrument.OTHER, "Sosiaali- ja terveysjärjestöjen avustus"),
)
PROJECT_NAMES = (
    "Työkyky yhdessä",
    "Askel työhön",
    "Osallisuudesta työhön",
    "Työkyky käyttöön",
    "Polku eteenpäin",
    "Yhteinen tuki",
    "Taidoista työhön",
    "Voimaa arkeen",
)

LABOUR_WEIGHTS: dict[str, int] = {
    LabourStatus.UNEMPLOYED: 34,
    LabourStatus.LONG_TERM_UNEMPLOYED: 30,
    LabourStatus.INACTIVE: 26,
    LabourStatus.EMPLOYED: 8,
    "": 2,  # not known
}
ISCED_WEIGHTS: dict[str, int] = {
    EducationLevel.ISCED_0: 1,
    EducationLevel.ISCED_1: 2,
    EducationLevel.ISCED_2: 27,
    EducationLevel.ISCED_3: 38,
    EducationLevel.ISCED_4: 3,
    EducationLevel.ISCED_5: 6,
    EducationLevel.ISCED_6: 12,
    EducationLevel.ISCED_7: 7,
    EducationLevel.ISCED_8: 1,
    "": 3,
}
NOT_ASKED_SHARE = 0.05  # no sensitive details recorded (yet)
DECLINED_ALL_SHARE = 0.10
DECLINED_ITEM_SHARE = 0.03
SENSITIVE_YES_SHARES = {
    "disability": 0.14,
    "third_country_national": 0.06,
    "foreign_background": 0.11,
    "minority": 0.02,
    "homeless": 0.05,
}
STAY_DAYS = (30, 540)
EXIT_RECORDED_SHARE = 0.8
EXIT_SHARES = {
    "exit_job_searching": 0.45,
    "exit_in_education": 0.14,
    "exit_qualification": 0.07,
    "exit_employed": 0.28,
}
FOLLOW_UP_RECORDED_SHARE = 0.7


@dataclass(frozen=True)
class Candidate:
    """A client a project's organisation serves: who may be enrolled, by whom, from when."""

    client_id: int
    organisation_id: int
    served_from: date


@dataclass
class Staff:
    """The seed's professionals by organisation: client work, and project managers."""

    workers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    managers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, memberships: Iterable[tuple[int, int, str]]) -> Staff:
        staff = cls()
        for organisation_id, user_id, role in memberships:
            if role in CLIENT_WORK_ROLES:
                staff.workers[organisation_id].append(user_id)
            elif role == Role.PROJECT_MANAGER:
                staff.managers[organisation_id].append(user_id)
        return staff


def seed_volume_projects(*, seed: int, clients: int, report: VolumeReport) -> None:
    """The seed's programmes and projects, and the benchmark's project when there are
    enough clients for it; counts and seconds go to ``report``."""
    started = time.perf_counter()
    volume = VolumeProjects(seed=seed, clients=clients)
    with transaction.atomic():
        volume.create()
    report.add("projects", volume.counts["projects"], time.perf_counter() - started)
    report.add("participants", volume.counts["participants"], 0.0)
    report.notes["projects"] = (
        f"in {volume.counts['programmes']} programmes, with "
        f"{volume.counts['project roles']} staff roles"
    )
    if clients >= BENCH_PARTICIPANTS:
        started = time.perf_counter()
        project = bench_project()
        report.add("benchmark project", 1, time.perf_counter() - started)
        report.notes["benchmark project"] = (
            f"{project.name} ({project.code}), {BENCH_PARTICIPANTS} participants"
        )
    _analyze()


class VolumeProjects:
    def __init__(self, *, seed: int, clients: int) -> None:
        self.seed = seed
        self.random = random.Random(f"projects-{seed}")
        self.project_count = max(1, clients // CLIENTS_PER_PROJECT)
        self.today = timezone.localdate()
        self.counts: dict[str, int] = defaultdict(int)

    def create(self) -> None:
        staff = Staff.of(
            Membership.objects.filter(
                user__username__startswith=username_for(self.seed, 1).rsplit("-", 1)[0] + "-",
                valid_until__isnull=True,
            )
            .order_by("organisation_id", "user_id")
            .values_list("organisation_id", "user_id", "role")
        )
        caseloads = _caseloads(list(staff.workers))
        if not caseloads:
            return
        organisations = {
            o["pk"]: o
            for o in Organisation.objects.filter(pk__in=list(caseloads)).values(
                "pk", "name", "municipality_id", "municipality__wellbeing_county_id"
            )
        }
        by_county: dict[str | None, list[int]] = defaultdict(list)
        for pk in sorted(organisations):
            by_county[organisations[pk]["municipality__wellbeing_county_id"]].append(pk)
        municipalities: dict[str | None, list[str]] = defaultdict(list)
        for code, county in Municipality.objects.order_by("code").values_list(
            "code", "wellbeing_county_id"
        ):
            municipalities[county].append(code)
        programmes = self._programmes()
        served = sorted(caseloads)
        weights = [caseloads[pk] for pk in served]
        r = self.random
        for number in range(1, self.project_count + 1):
            programme, (theme, instrument, funder) = programmes[(number - 1) % len(programmes)]
            administering = r.choices(served, weights=weights)[0]
            county = organisations[administering]["municipality__wellbeing_county_id"]
            nearby = [pk for pk in by_county[county] if pk != administering]
            partners = r.sample(nearby, min(len(nearby), r.randint(1, 3)))
            home = organisations[administering]["municipality_id"]
            around = [code for code in municipalities[county] if code != home]
            area = [home, *r.sample(around, min(len(around), r.randint(2, 6)))]
            starts_on = add_months(self.today.replace(day=1), -r.randint(6, 30))
            ends_on = add_months(starts_on, r.randint(24, 42)) - timedelta(days=1)
            project = Project.objects.create(
                public_id=self._uuid(),
                programme=programme,
                name=f"{r.choice(PROJECT_NAMES)} {self.seed}.{number}",
                code=f"S{self.seed}-{number:04d}",
                funder=funder,
                instrument=instrument,
                starts_on=starts_on,
                ends_on=ends_on,
                description=f"{theme}: synteettinen hanke",
                organisation_id=administering,
                created_by_id=self._manager(staff, administering),
            )
            project.partners.set(partners)
            project.municipalities.set(Municipality.objects.filter(code__in=area))
            _budget(project, Decimal(r.randrange(200_000, 2_000_000, 10_000)))
            workers = _staff_roles(project, [administering, *partners], staff, r)
            self.counts["project roles"] += len(workers) + 1
            candidates = _candidates(project, [administering, *partners], set(workers))
            wanted = r.randint(*PARTICIPANTS_PER_PROJECT)
            chosen = r.sample(candidates, min(wanted, len(candidates)))
            self.counts["participants"] += _enrol(project, chosen, workers, r, self.today)
            self.counts["projects"] += 1

    def _programmes(self) -> list[tuple[FundingProgramme, tuple[str, FundingInstrument, str]]]:
        count = -(-self.project_count // PROJECTS_PER_PROGRAMME)
        programmes = []
        for number in range(1, count + 1):
            theme = THEMES[(number - 1) % len(THEMES)]
            starts_on = date(self.today.year - 3, 1, 1)
            programmes.append(
                (
                    FundingProgramme.objects.create(
                        public_id=self._uuid(),
                        name=f"{theme[0]} {self.seed}.{number}",
                        starts_on=starts_on,
                        ends_on=date(self.today.year + 3, 12, 31),
                    ),
                    theme,
                )
            )
        self.counts["programmes"] = count
        return programmes

    def _manager(self, staff: Staff, organisation_id: int) -> int:
        return (staff.managers.get(organisation_id) or staff.workers[organisation_id])[0]

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.random.getrandbits(128), version=4)


def _caseloads(organisation_ids: list[int]) -> dict[int, int]:
    """Active service relationships by organisation, for those that have any."""
    counts: dict[int, int] = {}
    for start in range(0, len(organisation_ids), BATCH):
        counts.update(
            ServiceRelationship.objects.filter(
                organisation_id__in=organisation_ids[start : start + BATCH],
                ended_on__isnull=True,
            )
            .order_by()
            .values_list("organisation_id")
            .annotate(n=Count("pk"))
            .values_list("organisation_id", "n")
        )
    return {pk: n for pk, n in counts.items() if n}


def _budget(project: Project, total: Decimal) -> None:
    years = range(project.starts_on.year, project.ends_on.year + 1)
    share = (total / len(years)).quantize(Decimal("0.01"))
    BudgetYear.objects.bulk_create(BudgetYear(project=project, year=y, amount=share) for y in years)


def _staff_roles(
    project: Project, organisation_ids: Sequence[int], staff: Staff, r: random.Random
) -> dict[int, list[int]]:
    """The manager (of the administering organisation) and up to
    ``WORKERS_PER_ORGANISATION`` workers in each organisation with client-work staff.
    Returns the workers by organisation."""
    manager = project.created_by_id
    rows = [
        ProjectRole(
            user_id=manager,
            organisation_id=project.organisation_id,
            kind=ProjectRoleKind.MANAGER,
            project_key=project.public_id,
            valid_from=project.starts_on,
            created_by_id=manager,
        )
    ]
    workers: dict[int, list[int]] = {}
    for organisation_id in organisation_ids:
        people = staff.workers.get(organisation_id, [])
        if not people:
            continue
        chosen = sorted(r.sample(people, min(len(people), WORKERS_PER_ORGANISATION)))
        workers[organisation_id] = chosen
        rows += [
            ProjectRole(
                user_id=user_id,
                organisation_id=organisation_id,
                kind=ProjectRoleKind.WORKER,
                project_key=project.public_id,
                valid_from=project.starts_on,
                created_by_id=manager,
            )
            for user_id in chosen
            if user_id != manager or organisation_id != project.organisation_id
        ]
    ProjectRole.objects.bulk_create(rows, batch_size=BATCH)
    return workers


def _candidates(
    project: Project,
    organisation_ids: Sequence[int],
    staffed: set[int],
    exclude: set[int] | None = None,
) -> list[Candidate]:
    """The clients the organisations serve now (once each, by the first organisation in
    order), who could have entered during the project."""
    latest = min(project.ends_on, timezone.localdate())
    seen = set(exclude or ())
    candidates = []
    for client_id, organisation_id, started_on in (
        ServiceRelationship.objects.filter(
            organisation_id__in=[pk for pk in organisation_ids if pk in staffed],
            ended_on__isnull=True,
            started_on__lte=latest,
            client__merged_into__isnull=True,
        )
        .order_by("client_id", "organisation_id")
        .values_list("client_id", "organisation_id", "started_on")
    ):
        if client_id not in seen:
            seen.add(client_id)
            candidates.append(Candidate(client_id, organisation_id, started_on))
    return candidates


def _enrol(
    project: Project,
    chosen: Sequence[Candidate],
    workers: dict[int, list[int]],
    r: random.Random,
    today: date,
) -> int:
    """Participants for ``chosen`` with their entry, exit and follow-up data and sensitive
    details; returns how many."""
    labour, labour_weights = list(LABOUR_WEIGHTS), list(LABOUR_WEIGHTS.values())
    isced, isced_weights = list(ISCED_WEIGHTS), list(ISCED_WEIGHTS.values())
    latest = min(project.ends_on, today)
    total = 0
    for start in range(0, len(chosen), BATCH):
        batch = sorted(chosen[start : start + BATCH], key=lambda c: c.client_id)
        people = {
            pk: (birth_date, gender, municipality_id)
            for pk, birth_date, gender, municipality_id in Client.objects.filter(
                pk__in=[c.client_id for c in batch]
            ).values_list("pk", "birth_date", "gender", "municipality_id")
        }
        participants, details = [], []
        for candidate in batch:
            birth_date, gender, municipality_id = people[candidate.client_id]
            entered_on = _day(r, max(project.starts_on, candidate.served_from), latest)
            participant = Participant(
                public_id=uuid.UUID(int=r.getrandbits(128), version=4),
                project=project,
                client_id=candidate.client_id,
                organisation_id=candidate.organisation_id,
                entered_on=entered_on,
                gender=gender,
                age_at_entry=age_on(birth_date, entered_on),
                municipality_id=municipality_id,
                labour_status=r.choices(labour, weights=labour_weights)[0],
                education_level=r.choices(isced, weights=isced_weights)[0],
                enrolled_by_id=r.choice(workers[candidate.organisation_id]),
            )
            _leaving(participant, r, today, project.ends_on)
            participants.append(participant)
            if r.random() >= NOT_ASKED_SHARE:
                details.append(_sensitive(participant, r))
        Participant.objects.bulk_create(participants, batch_size=BATCH)
        SensitiveDetails.objects.bulk_create(details, batch_size=BATCH)
        total += len(participants)
    return total


def _leaving(participant: Participant, r: random.Random, today: date, ends_on: date) -> None:
    left_on: date | None = participant.entered_on + timedelta(days=r.randint(*STAY_DAYS))
    if left_on is not None and left_on > min(today, ends_on):
        left_on = ends_on if ends_on < today else None
    participant.left_on = left_on
    if left_on is None:
        return
    if r.random() < EXIT_RECORDED_SHARE:
        participant.exit_observed_on = min(today, left_on + timedelta(days=r.randint(0, 27)))
        for name, share in EXIT_SHARES.items():
            setattr(participant, name, r.random() < share)
    after = add_months(left_on, 6)
    if after <= today and r.random() < FOLLOW_UP_RECORDED_SHARE:
        participant.follow_up_observed_on = min(today, after + timedelta(days=r.randint(0, 14)))
        employed = r.random() < (0.75 if participant.exit_employed else 0.2)
        participant.follow_up_employed = employed
        participant.follow_up_improved = employed or r.random() < 0.3


def _sensitive(participant: Participant, r: random.Random) -> SensitiveDetails:
    row = SensitiveDetails(participant=participant, recorded_by_id=participant.enrolled_by_id)
    declined_all = r.random() < DECLINED_ALL_SHARE
    for name, share in SENSITIVE_YES_SHARES.items():
        if declined_all or r.random() < DECLINED_ITEM_SHARE:
            answer = SensitiveAnswer.DECLINED
        else:
            answer = SensitiveAnswer.YES if r.random() < share else SensitiveAnswer.NO
        setattr(row, name, answer)
    return row


def _day(r: random.Random, first: date, last: date) -> date:
    span = (last - first).days
    return first + timedelta(days=r.randint(0, span)) if span > 0 else first


def _analyze() -> None:
    if connection.vendor != "postgresql":
        return
    models = [FundingProgramme, Project, BudgetYear, ProjectRole, Participant, SensitiveDetails]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# The benchmark's project ------------------------------------------------------------------


@transaction.atomic
def bench_project() -> Project:
    """The project the indicator benchmark computes: exactly ``BENCH_PARTICIPANTS``
    participants, administered by the organisation serving the most clients (with the
    next largest as partners when it serves too few). Created when missing, topped up or
    trimmed to the exact number otherwise; the same project every time. With fewer
    clients in the database than it needs, it registers synthetic clients (no identity
    code) served by the administering organisation."""
    r = random.Random(BENCH_CODE)
    today = timezone.localdate()
    project = Project.objects.filter(code=BENCH_CODE).first()
    if project is None:
        project = _bench_project(r, today)
    existing = Participant.objects.filter(project=project)
    count = existing.count()
    if count > BENCH_PARTICIPANTS:
        extra = existing.order_by("-pk").values_list("pk", flat=True)[: count - BENCH_PARTICIPANTS]
        Participant.objects.filter(pk__in=list(extra)).delete()
    elif count < BENCH_PARTICIPANTS:
        _bench_participants(project, BENCH_PARTICIPANTS - count, r, today)
    return project


def _bench_organisations() -> list[tuple[int, int]]:
    """Organisations with client-work staff and active relationships, largest first:
    (organisation id, clients served)."""
    staffed = list(
        Membership.objects.filter(role__in=CLIENT_WORK_ROLES, valid_until__isnull=True)
        .order_by("organisation_id")
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    caseloads = _caseloads(staffed)
    return sorted(caseloads.items(), key=lambda item: (-item[1], item[0]))


def _bench_project(r: random.Random, today: date) -> Project:
    largest = _bench_organisations()
    if largest:
        administering = largest[0][0]
    else:  # no client served anywhere: the organisation of the first client-work member
        member = (
            Membership.objects.filter(role__in=CLIENT_WORK_ROLES).order_by("organisation_id")
        ).first()
        if member is None:
            raise RuntimeError("No organisation with client-work staff to run the project.")
        administering = member.organisation_id
    manager = (
        Membership.objects.filter(organisation_id=administering, valid_until__isnull=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .first()
    )
    if manager is None:
        raise RuntimeError("The benchmark project's organisation has no members.")
    starts_on = add_months(today.replace(day=1), -24)
    programme, _created = FundingProgramme.objects.get_or_create(
        name=BENCH_PROGRAMME,
        defaults={"starts_on": starts_on, "ends_on": add_months(starts_on, 60)},
    )
    project = Project.objects.create(
        programme=programme,
        name="Vertailuhanke",
        code=BENCH_CODE,
        funder="ELY-keskus (ESR+)",
        instrument=FundingInstrument.ESF_PLUS,
        starts_on=starts_on,
        ends_on=add_months(starts_on, 48) - timedelta(days=1),
        description="Indikaattorilaskennan suorituskykytesti: 5 000 osallistujaa.",
        organisation_id=administering,
        created_by_id=manager,
    )
    _budget(project, Decimal("3000000"))
    home = Municipality.objects.filter(pk=project.organisation.municipality_id).first()
    if home is not None:
        project.municipalities.set(
            Municipality.objects.filter(wellbeing_county_id=home.wellbeing_county_id)
            if home.wellbeing_county_id
            else [home]
        )
    ProjectRole.objects.create(
        user_id=manager,
        organisation_id=administering,
        kind=ProjectRoleKind.MANAGER,
        project_key=project.public_id,
        valid_from=starts_on,
        created_by_id=manager,
    )
    return project


def _bench_participants(project: Project, needed: int, r: random.Random, today: date) -> None:
    """Enrol ``needed`` more clients: those the project's organisations serve, adding the
    next largest organisations as partners until there are enough, and new clients when
    even all of them serve too few."""
    taken = set(Participant.objects.filter(project=project).values_list("client_id", flat=True))
    organisations = [project.organisation_id, *project.partners.values_list("pk", flat=True)]
    largest = [pk for pk, _n in _bench_organisations() if pk not in organisations]
    workers = _bench_workers(project, organisations)
    candidates = _candidates(project, organisations, set(workers), taken)
    while len(candidates) < needed and largest:
        partner = largest.pop(0)
        project.partners.add(partner)
        organisations.append(partner)
        workers.update(_bench_workers(project, [partner]))
        if partner in workers:
            taken |= {c.client_id for c in candidates}
            candidates += _candidates(project, [partner], set(workers), taken)
    if len(candidates) < needed:
        candidates += _bench_clients(project, needed - len(candidates), workers, r, today)
    chosen = sorted(r.sample(candidates, needed), key=lambda c: c.client_id)
    _enrol(project, chosen, workers, r, today)


def _bench_workers(project: Project, organisation_ids: Sequence[int]) -> dict[int, list[int]]:
    """A project worker (the first client-work member) in each organisation; their roles
    are created when missing."""
    workers: dict[int, list[int]] = {}
    for organisation_id in organisation_ids:
        user_id = (
            Membership.objects.filter(
                organisation_id=organisation_id,
                role__in=CLIENT_WORK_ROLES,
                valid_until__isnull=True,
            )
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .first()
        )
        if user_id is None:
            continue
        workers[organisation_id] = [user_id]
        ProjectRole.objects.get_or_create(
            user_id=user_id,
            organisation_id=organisation_id,
            kind=ProjectRoleKind.WORKER,
            project_key=project.public_id,
            defaults={"valid_from": project.starts_on, "created_by_id": project.created_by_id},
        )
    return workers


def _bench_clients(
    project: Project,
    count: int,
    workers: dict[int, list[int]],
    r: random.Random,
    today: date,
) -> list[Candidate]:
    """``count`` new synthetic clients (no identity code) served by the administering
    organisation from the project's start, registered as one of its relationships was."""
    organisation_id = project.organisation_id
    if organisation_id not in workers:
        raise RuntimeError("The benchmark project's organisation has no client-work staff.")
    organisation = Organisation.objects.get(pk=organisation_id)
    unit_id, register, legal_basis = (
        ServiceRelationship.objects.filter(organisation_id=organisation_id)
        .order_by("pk")
        .values_list("unit_id", "register", "legal_basis")
        .first()
    ) or (None, register_for(organisation.kind), legal_bases_for(organisation.kind)[0])
    first_names = ("Aada", "Eino", "Helmi", "Leevi", "Sofia", "Onni", "Aino", "Väinö")
    last_names = ("Vertanen", "Mittari", "Laskija", "Otoksela", "Testinen", "Kuormala")
    clients = []
    for number in range(count):
        female = number % 2 == 0
        first = first_names[number % len(first_names)]
        last = last_names[r.randrange(len(last_names))]
        clients.append(
            Client(
                public_id=uuid.UUID(int=r.getrandbits(128), version=4),
                first_names=first,
                last_name=last,
                birth_date=date(1960, 1, 1) + timedelta(days=r.randint(0, 16_800)),
                gender=Gender.FEMALE if female else Gender.MALE,
                municipality_id=organisation.municipality_id,
                search_name=search_key(last, first),
            )
        )
    clients = Client.objects.bulk_create(clients, batch_size=BATCH)
    ServiceRelationship.objects.bulk_create(
        [
            ServiceRelationship(
                public_id=uuid.UUID(int=r.getrandbits(128), version=4),
                client=client,
                organisation_id=organisation_id,
                unit_id=unit_id,
                register=register,
                legal_basis=legal_basis,
                started_on=project.starts_on,
                created_by_id=workers[organisation_id][0],
            )
            for client in clients
        ],
        batch_size=BATCH,
    )
    return [Candidate(client.pk, organisation_id, project.starts_on) for client in clients]
