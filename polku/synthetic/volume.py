"""Synthetic data at volume, deterministic for a given seed.

Everything is written with bulk inserts in batches. Every synthetic professional gets the
same password hash, computed once: hashing 20,000 passwords with Argon2 would take longer
than the rest of the run together.

Clients are generated and written in chunks of ``CLIENT_CHUNK`` (each chunk in its own
transaction, together with its service relationships, consents and pathways, see
``polku.synthetic.pathways``), so that memory stays bounded however many are asked for.
Names and addresses come from pools drawn from Faker once; the per-client choices use the
seeded ``random.Random`` (pathways their own, so that clients do not depend on them).
Bulk data writes no access-log rows: creating it is not an access to anyone's data.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from itertools import accumulate
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connection, reset_queries, transaction
from django.utils import timezone, translation
from faker import Faker

from polku.accounts.enums import CLIENT_WORK_ROLES, OrganisationKind, Role
from polku.accounts.models import Membership, Organisation, Unit, User, name_key
from polku.clients import identity_storage
from polku.clients.enums import Gender, Language
from polku.clients.identity_code import (
    FIRST_SYNTHETIC_INDIVIDUAL_NUMBER,
    synthetic_identity_code,
)
from polku.clients.models import Client, search_key
from polku.core.models import Municipality
from polku.measures.models import Administration
from polku.pathways.alerts import RefreshReport, refresh_alerts
from polku.policy.enums import (
    DISCLOSABLE_CATEGORIES,
    ConsentMethod,
    DataCategory,
    LegalBasis,
    Purpose,
    Register,
)
from polku.policy.models import Consent, ConsentCategory, ServiceRelationship
from polku.synthetic.demo import (
    AREA_KINDS,
    COUNTY_KINDS,
    FIRST_DEMO_INDIVIDUAL_NUMBER,
    legal_bases_for,
    register_for,
)
from polku.synthetic.pathways import (
    DEFAULT_PATHWAY_SHARE,
    PATHWAY_MODELS,
    FirstProfessional,
    PathwaySeeder,
)

SYNTHETIC_PASSWORD = "polku-synthetic-2026"  # noqa: S105 - synthetic accounts only
BATCH_SIZE = 5000
T = TypeVar("T")

# How common each kind of organisation is, and which roles its professionals hold.
# Employers host work trials but their staff answer through links, without accounts.
KIND_WEIGHTS: dict[OrganisationKind, int] = {
    OrganisationKind.EMPLOYMENT_SERVICES: 10,
    OrganisationKind.KELA: 4,
    OrganisationKind.SOCIAL_WELFARE: 14,
    OrganisationKind.HEALTH_CARE: 14,
    OrganisationKind.MUNICIPAL_EMPLOYMENT: 10,
    OrganisationKind.OHJAAMO: 4,
    OrganisationKind.NGO: 16,
    OrganisationKind.EDUCATION: 8,
    OrganisationKind.EMPLOYER: 16,
    OrganisationKind.OTHER: 4,
}
KIND_ROLES: dict[OrganisationKind, list[Role]] = {
    OrganisationKind.EMPLOYMENT_SERVICES: [
        Role.EMPLOYMENT_EXPERT,
        Role.WORK_ABILITY_COORDINATOR,
        Role.JOB_COACH,
        Role.PSYCHOLOGIST,
    ],
    OrganisationKind.KELA: [Role.KELA_ADVISOR],
    OrganisationKind.SOCIAL_WELFARE: [Role.SOCIAL_WORKER, Role.SOCIAL_COUNSELLOR],
    OrganisationKind.HEALTH_CARE: [
        Role.NURSE,
        Role.PHYSICIAN,
        Role.PSYCHOLOGIST,
        Role.WORK_ABILITY_COORDINATOR,
    ],
    OrganisationKind.MUNICIPAL_EMPLOYMENT: [
        Role.JOB_COACH,
        Role.SOCIAL_COUNSELLOR,
        Role.EMPLOYMENT_EXPERT,
    ],
    OrganisationKind.OHJAAMO: [Role.SOCIAL_COUNSELLOR, Role.JOB_COACH],
    OrganisationKind.NGO: [Role.NGO_WORKER, Role.JOB_COACH],
    OrganisationKind.EDUCATION: [Role.JOB_COACH, Role.SOCIAL_COUNSELLOR],
    OrganisationKind.EMPLOYER: [],
    OrganisationKind.OTHER: [Role.PSYCHOLOGIST, Role.WORK_ABILITY_COORDINATOR],
}
# One professional in this many holds a management or support role instead.
SUPPORT_ROLES = [Role.PROJECT_MANAGER, Role.ANALYST, Role.ADMINISTRATOR]
SUPPORT_ROLE_SHARE = 20
UNIT_NAMES: dict[str, dict[str, str]] = {
    "Asiakaspalvelu": {"sv": "Kundtjänst", "en": "Customer Service"},
    "Työkykypalvelut": {"sv": "Arbetsförmågetjänster", "en": "Work Ability Services"},
    "Aikuissosiaalityö": {"sv": "Socialt arbete för vuxna", "en": "Adult Social Work"},
    "Kuntoutus": {"sv": "Rehabilitering", "en": "Rehabilitation"},
    "Ohjaus": {"sv": "Vägledning", "en": "Guidance"},
    "Työhönvalmennus": {"sv": "Jobbcoachning", "en": "Job Coaching"},
    "Vastaanotto": {"sv": "Mottagning", "en": "Reception"},
    "Yritysyhteistyö": {"sv": "Företagssamarbete", "en": "Employer Partnerships"},
    "Nuorten palvelut": {"sv": "Tjänster för unga", "en": "Youth Services"},
    "Arviointi": {"sv": "Bedömning", "en": "Assessment"},
}

# Clients. Each chunk of CLIENT_CHUNK clients is generated, written and forgotten in its
# own transaction, so that a million clients never sit in memory at once.
CLIENT_CHUNK = 10_000
LOOKUP_BATCH = 500  # identity-code hashes per query when checking for codes already taken
NAME_POOL_SIZE = 2000
BIRTH_FIRST, BIRTH_LAST = date(1960, 1, 1), date(2005, 12, 31)
# Volume data numbers its codes 900-989, leaving 990-999 to the demo, so that the two can
# share a database: 90 codes per birth date, about 1.5 million in all.
SYNTHETIC_NUMBERS = FIRST_DEMO_INDIVIDUAL_NUMBER - FIRST_SYNTHETIC_INDIVIDUAL_NUMBER
IDENTITY_CODE_SHARE = 0.9
TWO_FIRST_NAMES_SHARE = 0.6
GENDER_STATED_SHARE = 0.9
ADDRESS_SHARE = 0.8
EMAIL_SHARE = 0.3
PLAIN_LANGUAGE_SHARE = 0.05
LANGUAGE_WEIGHTS: dict[Language, int] = {
    Language.FINNISH: 86,
    Language.SWEDISH: 5,
    Language.ENGLISH: 2,
    Language.RUSSIAN: 2,
    Language.ESTONIAN: 1,
    Language.ARABIC: 1,
    Language.UKRAINIAN: 1,
    Language.SOMALI: 1,
    Language.PERSIAN: 1,
}
# Service relationships: how many a client has, how long ago they started, how many ended.
RELATIONSHIP_COUNT_WEIGHTS = {1: 50, 2: 35, 3: 15}
RELATIONSHIP_DAYS = 3 * 365
ENDED_SHARE = 0.2
NEARBY_SHARE = 0.8  # a client's other organisations are mostly in the same wellbeing county
USUAL_LEGAL_BASIS_SHARE = 0.7
# How many clients an organisation of each kind serves, relative to the others; each
# organisation's size is this times a log-normal factor, so that some serve many clients.
CASELOAD_WEIGHTS: dict[OrganisationKind, float] = {
    OrganisationKind.EMPLOYMENT_SERVICES: 4,
    OrganisationKind.KELA: 2,
    OrganisationKind.SOCIAL_WELFARE: 3,
    OrganisationKind.HEALTH_CARE: 3,
    OrganisationKind.MUNICIPAL_EMPLOYMENT: 3,
    OrganisationKind.OHJAAMO: 1,
    OrganisationKind.NGO: 1,
    OrganisationKind.EDUCATION: 1,
    OrganisationKind.OTHER: 1,
}
SIZE_SIGMA = 0.75
# Consents: a share of clients has one, from a serving organisation to another one.
DEFAULT_CONSENT_SHARE = 0.3
EXPIRED_SHARE = 0.1
WITHDRAWN_SHARE = 0.1
UNTIL_FURTHER_NOTICE_SHARE = 0.5
ALL_PROVIDERS_SHARE = 0.1
BASIC_CATEGORY_SHARE = 0.9
OTHER_CATEGORIES = [c for c in DISCLOSABLE_CATEGORIES if c != DataCategory.BASIC]
PURPOSE_WEIGHTS: dict[Purpose, int] = {
    Purpose.SERVICE_COORDINATION: 70,
    Purpose.WORK_ABILITY_ASSESSMENT: 10,
    Purpose.REHABILITATION: 10,
    Purpose.EMPLOYMENT_SUPPORT: 10,
}
# A professional whose organisation serves at least this many clients is named at the end.
MIN_CASELOAD = 60
ASCII_LETTERS = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u", " ": "-"})


@dataclass
class VolumeReport:
    """What one run created and how long each part took."""

    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    notes: dict[str, str] = field(default_factory=dict)

    def timed(self, name: str, work: Callable[[], int]) -> None:
        started = time.perf_counter()
        self.counts[name] = work()
        self.seconds[name] = time.perf_counter() - started

    def add(self, name: str, count: int, seconds: float) -> None:
        self.counts[name] = self.counts.get(name, 0) + count
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def username_for(seed: int, number: int) -> str:
    """The user name of synthetic professional ``number`` (1-based) of ``seed``."""
    return f"synth{seed}-{number:06d}"


def roles_for(unit: Unit) -> list[Role]:
    return KIND_ROLES[OrganisationKind(unit.organisation.kind)]


def batches(items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def cumulative(weights: Sequence[float]) -> list[float]:
    return list(accumulate(weights))


@dataclass(eq=False)
class ServingOrganisation:
    """An organisation that serves clients: one with client-work professionals."""

    id: int
    name: str
    municipality_id: str
    county_id: str | None
    post_office: str
    register: Register
    legal_bases: list[LegalBasis]
    staff: list[tuple[int, int | None]]  # (user id, unit id) of its client-work professionals
    weight: float = 1.0


@dataclass(frozen=True)
class CaseloadExample:
    """A professional to sign in as to see clients, and how many their organisation serves."""

    username: str
    role: Role
    organisation: str
    clients: int


@dataclass
class PlannedClient:
    client: Client
    organisations: list[ServingOrganisation]
    relationships: list[ServiceRelationship] = field(default_factory=list)


class VolumeSeeder:
    """Creates one seed's organisations and professionals; later capabilities add more."""

    def __init__(self, *, seed: int) -> None:
        self.seed = seed
        self.random = random.Random(seed)
        self.faker = Faker("fi_FI")
        self.faker.seed_instance(seed)
        self.organisations_created: list[Organisation] = []
        self.units: list[Unit] = []
        self.memberships: list[Membership] = []
        self.today = timezone.localdate()
        self.caseload: Counter[int] = Counter()
        self.pathways: PathwaySeeder | None = None

    def already_seeded(self) -> bool:
        return User.objects.filter(username=username_for(self.seed, 1)).exists()

    @transaction.atomic
    def organisations(self, count: int) -> int:
        """Create organisations of every kind across mainland municipalities, with units."""
        municipalities = list(Municipality.objects.exclude(wellbeing_county=None).order_by("code"))
        kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        organisations = []
        for _ in range(count):
            kind = self.random.choices(kinds, weights)[0]
            municipality = self.random.choice(municipalities)
            names: dict[str, str] = {}
            if kind in {OrganisationKind.EMPLOYER, OrganisationKind.NGO}:
                name = self.faker.company()
            else:
                with translation.override("fi"):
                    name = f"{kind.label}, {municipality.name_fi}"
                for language, place in (("sv", municipality.name_sv), ("en", municipality.name_en)):
                    with translation.override(language):
                        names[language] = f"{kind.label}, {place}"
            organisations.append(
                Organisation(
                    name=name,
                    names=names,
                    kind=kind,
                    municipality=municipality,
                    wellbeing_county_id=(
                        municipality.wellbeing_county_id if kind in COUNTY_KINDS else None
                    ),
                    employment_area_id=(
                        municipality.employment_area_id if kind in AREA_KINDS else None
                    ),
                )
            )
        created = Organisation.objects.bulk_create(organisations, batch_size=BATCH_SIZE)
        self.organisations_created = created
        units = [
            Unit(organisation=organisation, name=unit_name, names=UNIT_NAMES[unit_name])
            for organisation in created
            for unit_name in self.random.sample(list(UNIT_NAMES), self.random.randint(1, 4))
        ]
        self.units = Unit.objects.bulk_create(units, batch_size=BATCH_SIZE)
        return len(created)

    @transaction.atomic
    def professionals(self, count: int) -> int:
        """Create professionals, each a member of one unit with a role fitting its kind."""
        staffed = [unit for unit in self.units if roles_for(unit)]
        password = make_password(SYNTHETIC_PASSWORD)
        users, memberships = [], []
        for number in range(1, count + 1):
            first_name, last_name = self.faker.first_name(), self.faker.last_name()
            username = username_for(self.seed, number)
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@synthetic.polku.invalid",
                password=password,
                search_name=name_key(last_name, first_name),
            )
            unit = self.random.choice(staffed)
            if number % SUPPORT_ROLE_SHARE == 0:
                role = self.random.choice(SUPPORT_ROLES)
            else:
                role = self.random.choice(roles_for(unit))
            users.append(user)
            memberships.append(
                Membership(user=user, organisation_id=unit.organisation_id, unit=unit, role=role)
            )
        for user_batch in batches(users):
            User.objects.bulk_create(user_batch)
        for membership_batch in batches(memberships):
            Membership.objects.bulk_create(membership_batch)
        self.memberships = memberships
        return len(users)

    # Clients, service relationships and consents -------------------------------------

    def clients(
        self,
        count: int,
        *,
        consent_share: float = DEFAULT_CONSENT_SHARE,
        pathway_share: float = DEFAULT_PATHWAY_SHARE,
        report: VolumeReport | None = None,
    ) -> int:
        """Create ``count`` clients, each served by 1-3 of this seed's organisations, and
        consents for about ``consent_share`` of them; with ``pathway_share`` above 0, an
        episode (with phases, case managers, a plan, journal entries) for about that share
        of the clients with an active relationship, and referrals for about one in ten.
        Call after ``professionals``: the relationships are recorded by the organisations'
        own professionals. Alerts are not computed here: call ``alerts`` at the end."""
        report = report if report is not None else VolumeReport(seed=self.seed)
        self._prepare_clients()
        if pathway_share > 0:
            self.pathways = PathwaySeeder(
                seed=self.seed,
                share=pathway_share,
                serving=self.serving,
                names={m.user_id: m.user.get_full_name() for m in self.memberships},
                first=self.first_professional(),
            )
        totals = Counter[str]()
        for start in range(0, count, CLIENT_CHUNK):
            size = min(CLIENT_CHUNK, count - start)
            with transaction.atomic():
                self._client_chunk(size, consent_share, report, totals)
                committing = time.perf_counter()
            report.add("commits", 1, time.perf_counter() - committing)
            reset_queries()  # under DEBUG, Django keeps every (huge) INSERT statement
        report.notes["clients"] = (
            f"{totals['identity codes']} with an identity code, encrypted in "
            f"{totals['encryption µs'] / 1e6:.1f} s"
        )
        report.notes["consents"] = f"covering {totals['consent categories']} data categories"
        if self.pathways is not None:
            report.notes.update(self.pathways.notes())
        return count

    def first_professional(self) -> FirstProfessional | None:
        """The seed's first professional, if in a client-work role: the benchmarks sign in
        as them and expect about ``FIRST_PROFESSIONAL_CASES`` active episodes to manage."""
        if not self.memberships or self.memberships[0].role not in CLIENT_WORK_ROLES:
            return None
        first = self.memberships[0]
        return FirstProfessional(user_id=first.user_id, organisation_id=first.organisation_id)

    def analyze(self) -> int:
        """Update the planner's statistics of the tables just filled (PostgreSQL), as after
        any bulk load: without them (autovacuum may be off, or not have run yet) the first
        queries on millions of new rows are planned as if the tables were empty. Returns how
        many tables were analysed."""
        if connection.vendor != "postgresql":
            return 0
        models = [Organisation, Unit, User, Membership, Client, ServiceRelationship, Consent]
        models += [ConsentCategory, *PATHWAY_MODELS, Administration]
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        return len(models)

    def alerts(self) -> RefreshReport:
        """Compute every alert once, after the bulk data: what the daily task would do."""
        return refresh_alerts()

    def _prepare_clients(self) -> None:
        """Pools of names and addresses, the serving organisations and their weights."""
        if not self.memberships:
            raise RuntimeError("Create the professionals before the clients.")
        faker = self.faker
        self.female_names = [faker.first_name_female() for _ in range(NAME_POOL_SIZE)]
        self.male_names = [faker.first_name_male() for _ in range(NAME_POOL_SIZE)]
        self.last_names = [faker.last_name() for _ in range(NAME_POOL_SIZE)]
        self.streets = [faker.street_address() for _ in range(NAME_POOL_SIZE)]
        self.postal_codes = [faker.postcode() for _ in range(NAME_POOL_SIZE)]
        self.languages = list(LANGUAGE_WEIGHTS)
        self.language_weights = cumulative(list(LANGUAGE_WEIGHTS.values()))
        self.purposes = list(PURPOSE_WEIGHTS)
        self.purpose_weights = cumulative(list(PURPOSE_WEIGHTS.values()))
        self.relationship_counts = list(RELATIONSHIP_COUNT_WEIGHTS)
        self.relationship_count_weights = cumulative(list(RELATIONSHIP_COUNT_WEIGHTS.values()))
        self.birth_dates = [
            BIRTH_FIRST + timedelta(days=day) for day in range((BIRTH_LAST - BIRTH_FIRST).days + 1)
        ]
        self.codes_per_day = [0] * len(self.birth_dates)
        self.codes_left = len(self.birth_dates) * SYNTHETIC_NUMBERS
        # Another seed (or the demo) may have used some of the same synthetic codes.
        self.codes_may_be_taken = Client.objects.filter(identity_code_hash__isnull=False).exists()
        self.days_back = [self.today - timedelta(days=days) for days in range(RELATIONSHIP_DAYS)]
        self.timezone = timezone.get_current_timezone()
        self.serving = self._serving_organisations()
        self.serving_weights = cumulative([o.weight for o in self.serving])
        nearby: defaultdict[str | None, list[ServingOrganisation]] = defaultdict(list)
        for organisation in self.serving:
            nearby[organisation.county_id].append(organisation)
        self.nearby = {
            county: (organisations, cumulative([o.weight for o in organisations]))
            for county, organisations in nearby.items()
        }

    def _serving_organisations(self) -> list[ServingOrganisation]:
        staff: defaultdict[int, list[tuple[int, int | None]]] = defaultdict(list)
        for membership in self.memberships:
            if membership.role in CLIENT_WORK_ROLES:
                staff[membership.organisation_id].append((membership.user_id, membership.unit_id))
        serving = []
        for organisation in self.organisations_created:
            if organisation.pk not in staff:
                continue
            kind = OrganisationKind(organisation.kind)
            municipality = organisation.municipality
            serving.append(
                ServingOrganisation(
                    id=organisation.pk,
                    name=organisation.name,
                    municipality_id=municipality.pk,
                    county_id=municipality.wellbeing_county_id,
                    post_office=municipality.name_fi,
                    register=register_for(kind),
                    legal_bases=legal_bases_for(kind),
                    staff=staff[organisation.pk],
                    weight=CASELOAD_WEIGHTS.get(kind, 1)
                    * self.random.lognormvariate(0, SIZE_SIGMA),
                )
            )
        # The seed's first professional works in one of the largest organisations, so that
        # a benchmark signed in as them sees a large caseload.
        first = next((o for o in serving if o.id == self.memberships[0].organisation_id), None)
        if first is not None:
            first.weight = max(o.weight for o in serving)
        return serving

    def _client_chunk(
        self, size: int, consent_share: float, report: VolumeReport, totals: Counter[str]
    ) -> None:
        started = time.perf_counter()
        planned = [self._plan_client(totals) for _ in range(size)]
        clients = [plan.client for plan in planned]
        if self.codes_may_be_taken:
            self._drop_taken_codes(clients)
        Client.objects.bulk_create(clients, batch_size=BATCH_SIZE)
        report.add("clients", size, time.perf_counter() - started)

        started = time.perf_counter()
        relationships = [
            relationship for plan in planned for relationship in self._relationships(plan)
        ]
        ServiceRelationship.objects.bulk_create(relationships, batch_size=BATCH_SIZE)
        report.add("service relationships", len(relationships), time.perf_counter() - started)

        started = time.perf_counter()
        consents, categories = [], []
        for plan in planned:
            if self.random.random() < consent_share:
                consent = self._consent(plan)
                if consent is not None:
                    consents.append(consent)
                    categories.extend(self._consent_categories(consent))
        Consent.objects.bulk_create(consents, batch_size=BATCH_SIZE)
        ConsentCategory.objects.bulk_create(categories, batch_size=BATCH_SIZE)
        totals["consent categories"] += len(categories)
        report.add("consents", len(consents), time.perf_counter() - started)

        if self.pathways is not None:
            self.pathways.chunk(planned, report)

    def _uuid(self) -> uuid.UUID:
        """A version-4 UUID from the seeded generator, so that public ids repeat too."""
        return uuid.UUID(int=self.random.getrandbits(128), version=4)

    def _birth(self, with_code: bool) -> tuple[date, int | None]:
        """A birth date and, if wanted, a synthetic individual number never used before
        with that date in this run (codes are unique; a day holds ``SYNTHETIC_NUMBERS``)."""
        day = self.random.randrange(len(self.birth_dates))
        if not with_code or self.codes_left == 0:
            return self.birth_dates[day], None
        while self.codes_per_day[day] == SYNTHETIC_NUMBERS:
            day = (day + 1) % len(self.birth_dates)
        used = self.codes_per_day[day]
        self.codes_per_day[day] += 1
        self.codes_left -= 1
        number = FIRST_SYNTHETIC_INDIVIDUAL_NUMBER + (self.seed + used) % SYNTHETIC_NUMBERS
        return self.birth_dates[day], number

    def _pick(
        self, choices: list[ServingOrganisation], weights: list[float]
    ) -> ServingOrganisation:
        return self.random.choices(choices, cum_weights=weights)[0]

    def _another(
        self, home: ServingOrganisation, exclude: list[ServingOrganisation]
    ) -> ServingOrganisation | None:
        """Another organisation, usually near ``home``, not one of ``exclude``."""
        nearby, nearby_weights = self.nearby[home.county_id]
        for _attempt in range(8):
            if self.random.random() < NEARBY_SHARE:
                candidate = self._pick(nearby, nearby_weights)
            else:
                candidate = self._pick(self.serving, self.serving_weights)
            if candidate not in exclude:
                return candidate
        return None

    def _plan_client(self, totals: Counter[str]) -> PlannedClient:
        r = self.random
        female = r.random() < 0.5
        names = self.female_names if female else self.male_names
        first_names = r.choice(names)
        if r.random() < TWO_FIRST_NAMES_SHARE:
            second = r.choice(names)
            if second != first_names:
                first_names = f"{first_names} {second}"
        last_name = r.choice(self.last_names)
        gender = Gender.NOT_STATED
        if r.random() < GENDER_STATED_SHARE:
            gender = Gender.FEMALE if female else Gender.MALE
        birth_date, number = self._birth(r.random() < IDENTITY_CODE_SHARE)

        home = self._pick(self.serving, self.serving_weights)
        organisations = [home]
        wanted = r.choices(self.relationship_counts, cum_weights=self.relationship_count_weights)
        for _ in range(wanted[0] - 1):
            other = self._another(home, organisations)
            if other is not None:
                organisations.append(other)

        language = r.choices(self.languages, cum_weights=self.language_weights)[0]
        languages = [language]
        if language != Language.FINNISH and r.random() < 0.5:
            languages.append(Language.FINNISH)
        street_address = postal_code = post_office = email = ""
        if r.random() < ADDRESS_SHARE:
            street_address = r.choice(self.streets)
            postal_code = r.choice(self.postal_codes)
            post_office = home.post_office
        if r.random() < EMAIL_SHARE:
            local = f"{first_names.split()[0]}.{last_name}".lower().translate(ASCII_LETTERS)
            email = f"{local}@example.invalid"

        client = Client(
            public_id=self._uuid(),
            first_names=first_names,
            last_name=last_name,
            birth_date=birth_date,
            gender=gender,
            municipality_id=home.municipality_id,
            languages=languages,
            preferred_language=language,
            plain_language=r.random() < PLAIN_LANGUAGE_SHARE,
            email=email,
            street_address=street_address,
            postal_code=postal_code,
            post_office=post_office,
            search_name=search_key(last_name, first_names),
        )
        if number is not None:
            code = synthetic_identity_code(birth_date, number)
            encrypting = time.perf_counter_ns()
            client.identity_code_encrypted = identity_storage.encrypt(code)
            totals["encryption µs"] += (time.perf_counter_ns() - encrypting) // 1000
            client.identity_code_hash = identity_storage.lookup_hash(code)
            totals["identity codes"] += 1
        return PlannedClient(client, organisations)

    def _drop_taken_codes(self, clients: list[Client]) -> None:
        """Leave without a code the clients whose code is already someone's in the database."""
        hashes = [client.identity_code_hash for client in clients if client.identity_code_hash]
        taken: set[str | None] = set()
        for batch in batches(hashes, LOOKUP_BATCH):
            taken.update(
                Client.objects.filter(identity_code_hash__in=batch).values_list(
                    "identity_code_hash", flat=True
                )
            )
        for client in clients:
            if client.identity_code_hash in taken:
                client.identity_code_encrypted, client.identity_code_hash = "", None

    def _relationships(self, plan: PlannedClient) -> list[ServiceRelationship]:
        r = self.random
        for organisation in plan.organisations:
            started_on = self.days_back[r.randrange(RELATIONSHIP_DAYS)]
            ended_on = None
            if r.random() < ENDED_SHARE:
                served = (self.today - started_on).days
                if served > 0:  # ended before today, so no longer active
                    ended_on = started_on + timedelta(days=r.randrange(served))
            legal_basis = organisation.legal_bases[0]
            if len(organisation.legal_bases) > 1 and r.random() >= USUAL_LEGAL_BASIS_SHARE:
                legal_basis = r.choice(organisation.legal_bases[1:])
            user_id, unit_id = r.choice(organisation.staff)
            plan.relationships.append(
                ServiceRelationship(
                    public_id=self._uuid(),
                    client=plan.client,
                    organisation_id=organisation.id,
                    unit_id=unit_id,
                    register=organisation.register,
                    legal_basis=legal_basis,
                    started_on=started_on,
                    ended_on=ended_on,
                    created_by_id=user_id,
                )
            )
            if ended_on is None:
                self.caseload[organisation.id] += 1
        return plan.relationships

    def _consent(self, plan: PlannedClient) -> Consent | None:
        """A consent from one of the client's serving organisations (an active relationship
        when there is one) to another organisation: mostly in force, some expired or
        withdrawn. It was given while the relationship was running."""
        r = self.random
        served_by = list(zip(plan.organisations, plan.relationships, strict=True))
        active = [pair for pair in served_by if pair[1].ended_on is None]
        discloser, relationship = r.choice(active or served_by)
        recipient = self._another(discloser, plan.organisations)
        if recipient is None:
            return None
        recorded_by, _unit = r.choice(discloser.staff)
        served = ((relationship.ended_on or self.today) - relationship.started_on).days
        valid_from = relationship.started_on + timedelta(days=r.randint(0, served))
        days_valid = (self.today - valid_from).days
        valid_until, withdrawn_at, withdrawn_by = None, None, None
        status = r.random()
        if status < EXPIRED_SHARE and days_valid > 0:
            valid_until = valid_from + timedelta(days=r.randrange(days_valid))
        elif status < EXPIRED_SHARE + WITHDRAWN_SHARE and days_valid > 0:
            withdrawn_on = valid_from + timedelta(days=r.randrange(days_valid))
            withdrawn_at = datetime.combine(
                withdrawn_on, clock(r.randint(8, 15), r.randrange(60)), tzinfo=self.timezone
            )
            withdrawn_by = recorded_by
        elif r.random() >= UNTIL_FURTHER_NOTICE_SHARE:
            valid_until = self.today + timedelta(days=r.randint(30, 730))
        return Consent(
            public_id=self._uuid(),
            client=plan.client,
            discloser_id=None if r.random() < ALL_PROVIDERS_SHARE else discloser.id,
            recipient_id=recipient.id,
            purpose=r.choices(self.purposes, cum_weights=self.purpose_weights)[0],
            valid_from=valid_from,
            valid_until=valid_until,
            method=r.choice(list(ConsentMethod)),
            recorded_by_id=recorded_by,
            recorded_by_organisation_id=discloser.id,
            withdrawn_at=withdrawn_at,
            withdrawn_by_id=withdrawn_by,
        )

    def _consent_categories(self, consent: Consent) -> list[ConsentCategory]:
        r = self.random
        count = r.randint(1, 4)
        if r.random() < BASIC_CATEGORY_SHARE:
            chosen = [DataCategory.BASIC, *r.sample(OTHER_CATEGORIES, count - 1)]
        else:
            chosen = r.sample(OTHER_CATEGORIES, count)
        return [ConsentCategory(consent=consent, category=category) for category in chosen]

    def caseload_example(self) -> CaseloadExample | None:
        """The first professional (by number) in a client-work role whose organisation
        serves at least ``MIN_CASELOAD`` clients, else the one whose serves the most."""
        candidates = [m for m in self.memberships if m.role in CLIENT_WORK_ROLES]
        if not candidates or not self.caseload:
            return None
        names = {organisation.id: organisation.name for organisation in self.serving}
        chosen = next(
            (m for m in candidates if self.caseload[m.organisation_id] >= MIN_CASELOAD),
            max(candidates, key=lambda m: self.caseload[m.organisation_id]),
        )
        return CaseloadExample(
            username=chosen.user.username,
            role=Role(chosen.role),
            organisation=names[chosen.organisation_id],
            clients=self.caseload[chosen.organisation_id],
        )
