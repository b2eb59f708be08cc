"""The small, believable demo: three Pirkanmaa municipalities, every kind of organisation,
one professional of each role, and a dozen clients with their service relationships and
consents. Idempotent: running it again changes nothing.

The clients are written through the clients services, as professionals would write them,
so that the access log holds the rows real use would leave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.clients import identity_storage
from polku.clients.enums import Gender, Language
from polku.clients.identity_code import synthetic_identity_code
from polku.clients.models import Client
from polku.clients.services import (
    RelationshipTerms,
    end_relationship,
    record_consent,
    register_client,
    start_relationship_by_identity_code,
    withdraw_consent,
)
from polku.core.models import Municipality
from polku.pathways.models import Programme
from polku.policy.actors import Actor
from polku.policy.enums import (
    ConsentMethod,
    DataCategory,
    LegalBasis,
    Purpose,
    RelationshipEndReason,
    WithdrawalMethod,
)
from polku.policy.legal_bases import legal_bases_for, register_for
from polku.synthetic.employers import DEMO_COACH, seed_demo_employers
from polku.synthetic.fidelity import seed_demo_fidelity

DEMO_PASSWORD = "polku-demo-2026"  # noqa: S105 - printed for the demo, never used elsewhere

TAMPERE, NOKIA, YLOJARVI = "837", "536", "980"

# Kinds whose organisation belongs to a wellbeing services county or an employment area.
COUNTY_KINDS = {OrganisationKind.SOCIAL_WELFARE, OrganisationKind.HEALTH_CARE}
AREA_KINDS = {OrganisationKind.EMPLOYMENT_SERVICES, OrganisationKind.MUNICIPAL_EMPLOYMENT}

DEMO_ORGANISATIONS: list[tuple[str, OrganisationKind, str, list[str]]] = [
    (
        "Tampereen seudun työllisyysalue",
        OrganisationKind.EMPLOYMENT_SERVICES,
        TAMPERE,
        ["Työkykypalvelut", "Monialainen yhteispalvelu"],
    ),
    ("Kela, Pirkanmaan palvelupiste", OrganisationKind.KELA, TAMPERE, ["Kuntoutus"]),
    (
        "Pirkanmaan hyvinvointialue, sosiaalipalvelut",
        OrganisationKind.SOCIAL_WELFARE,
        TAMPERE,
        ["Työikäisten sosiaalityö", "Sosiaalinen kuntoutus"],
    ),
    (
        "Pirkanmaan hyvinvointialue, terveyspalvelut",
        OrganisationKind.HEALTH_CARE,
        NOKIA,
        ["Nokian terveysasema", "Työkykykoordinaatio"],
    ),
    (
        "Nokian kaupungin työllisyyspalvelut",
        OrganisationKind.MUNICIPAL_EMPLOYMENT,
        NOKIA,
        ["Kuntouttava työtoiminta"],
    ),
    ("Ohjaamo Tampere", OrganisationKind.OHJAAMO, TAMPERE, ["Ohjaus"]),
    ("Askel eteenpäin ry", OrganisationKind.NGO, TAMPERE, ["Työhönvalmennus"]),
    ("Pirkanmaan aikuiskoulutuskeskus", OrganisationKind.EDUCATION, TAMPERE, ["Opinto-ohjaus"]),
    ("Ylöjärven Puutyö Oy", OrganisationKind.EMPLOYER, YLOJARVI, ["Tuotanto"]),
    ("Kuntoutuskeskus Kaarna", OrganisationKind.OTHER, YLOJARVI, ["Arviointi"]),
]


# The Swedish and English names of the demo's organisations and units (and of the
# programmes shipped with Polku, for a database migrated before they had them).
DEMO_NAMES: dict[str, dict[str, str]] = {
    "Tampereen seudun työllisyysalue": {
        "sv": "Tammerforsregionens sysselsättningsområde",
        "en": "Tampere Region Employment Area",
    },
    "Työkykypalvelut": {"sv": "Arbetsförmågetjänster", "en": "Work Ability Services"},
    "Monialainen yhteispalvelu": {
        "sv": "Sektorsövergripande samservice",
        "en": "Multi-Sector Joint Service",
    },
    "Kela, Pirkanmaan palvelupiste": {
        "sv": "FPA, Birkalands serviceställe",
        "en": "Kela, Pirkanmaa Service Point",
    },
    "Kuntoutus": {"sv": "Rehabilitering", "en": "Rehabilitation"},
    "Pirkanmaan hyvinvointialue, sosiaalipalvelut": {
        "sv": "Birkalands välfärdsområde, socialtjänster",
        "en": "Wellbeing Services County of Pirkanmaa, Social Services",
    },
    "Työikäisten sosiaalityö": {
        "sv": "Socialt arbete för personer i arbetsför ålder",
        "en": "Social Work for Working-Age Adults",
    },
    "Sosiaalinen kuntoutus": {"sv": "Social rehabilitering", "en": "Social Rehabilitation"},
    "Pirkanmaan hyvinvointialue, terveyspalvelut": {
        "sv": "Birkalands välfärdsområde, hälsotjänster",
        "en": "Wellbeing Services County of Pirkanmaa, Health Services",
    },
    "Nokian terveysasema": {"sv": "Nokia hälsostation", "en": "Nokia Health Centre"},
    "Työkykykoordinaatio": {"sv": "Arbetsförmågekoordinering", "en": "Work Ability Coordination"},
    "Nokian kaupungin työllisyyspalvelut": {
        "sv": "Nokia stads sysselsättningstjänster",
        "en": "City of Nokia Employment Services",
    },
    "Kuntouttava työtoiminta": {
        "sv": "Arbetsverksamhet i rehabiliteringssyfte",
        "en": "Rehabilitative Work Activity",
    },
    "Ohjaamo Tampere": {"sv": "Ohjaamo Tammerfors", "en": "Ohjaamo Tampere"},
    "Ohjaus": {"sv": "Vägledning", "en": "Guidance"},
    "Askel eteenpäin ry": {"sv": "Steg framåt rf", "en": "Step Forward Association"},
    "Työhönvalmennus": {"sv": "Jobbcoachning", "en": "Job Coaching"},
    "Pirkanmaan aikuiskoulutuskeskus": {
        "sv": "Birkalands vuxenutbildningscenter",
        "en": "Pirkanmaa Adult Education Centre",
    },
    "Opinto-ohjaus": {"sv": "Studiehandledning", "en": "Study Guidance"},
    "Ylöjärven Puutyö Oy": {"sv": "Ylöjärvi Träarbete Ab", "en": "Ylöjärvi Woodwork Ltd"},
    "Tuotanto": {"sv": "Produktion", "en": "Production"},
    "Kuntoutuskeskus Kaarna": {
        "sv": "Rehabiliteringscentret Kaarna",
        "en": "Kaarna Rehabilitation Centre",
    },
    "Arviointi": {"sv": "Bedömning", "en": "Assessment"},
    "Monialainen työllistymisen edistäminen (TYP)": {
        "sv": "Sektorsövergripande främjande av sysselsättningen (TYP)",
        "en": "Multi-Sector Promotion of Employment (TYP)",
    },
    "Työhönvalmennus (IPS)": {"sv": "Jobbcoachning (IPS)", "en": "Job Coaching (IPS)"},
    "Työkykyhanke": {"sv": "Arbetsförmågeprojektet", "en": "Work Ability Project"},
}


@dataclass(frozen=True)
class DemoProfessional:
    username: str
    first_name: str
    last_name: str
    role: Role
    organisation: str
    unit: str


DEMO_PROFESSIONALS: list[DemoProfessional] = [
    DemoProfessional(
        "sosiaalityontekija",
        "Sanna",
        "Aaltomaa",
        Role.SOCIAL_WORKER,
        "Pirkanmaan hyvinvointialue, sosiaalipalvelut",
        "Työikäisten sosiaalityö",
    ),
    DemoProfessional(
        "sosiaaliohjaaja",
        "Pekka",
        "Lehtoranta",
        Role.SOCIAL_COUNSELLOR,
        "Pirkanmaan hyvinvointialue, sosiaalipalvelut",
        "Sosiaalinen kuntoutus",
    ),
    DemoProfessional(
        "tyohonvalmentaja",
        "Jussi",
        "Kivelä",
        Role.JOB_COACH,
        "Askel eteenpäin ry",
        "Työhönvalmennus",
    ),
    DemoProfessional(
        "tyokykykoordinaattori",
        "Maija",
        "Honkavuori",
        Role.WORK_ABILITY_COORDINATOR,
        "Pirkanmaan hyvinvointialue, terveyspalvelut",
        "Työkykykoordinaatio",
    ),
    DemoProfessional(
        "asiantuntija",
        "Antti",
        "Sarvela",
        Role.EMPLOYMENT_EXPERT,
        "Tampereen seudun työllisyysalue",
        "Monialainen yhteispalvelu",
    ),
    DemoProfessional(
        "kelaneuvoja",
        "Liisa",
        "Peltokangas",
        Role.KELA_ADVISOR,
        "Kela, Pirkanmaan palvelupiste",
        "Kuntoutus",
    ),
    DemoProfessional(
        "sairaanhoitaja",
        "Heidi",
        "Rantala",
        Role.NURSE,
        "Pirkanmaan hyvinvointialue, terveyspalvelut",
        "Nokian terveysasema",
    ),
    DemoProfessional(
        "laakari",
        "Olli",
        "Vuorenmaa",
        Role.PHYSICIAN,
        "Pirkanmaan hyvinvointialue, terveyspalvelut",
        "Nokian terveysasema",
    ),
    DemoProfessional(
        "psykologi", "Katja", "Niemelä", Role.PSYCHOLOGIST, "Kuntoutuskeskus Kaarna", "Arviointi"
    ),
    DemoProfessional(
        "jarjestotyontekija",
        "Tuomas",
        "Hirvikoski",
        Role.NGO_WORKER,
        "Askel eteenpäin ry",
        "Työhönvalmennus",
    ),
    DemoProfessional(
        "hankepaallikko",
        "Elina",
        "Mäkisalo",
        Role.PROJECT_MANAGER,
        "Tampereen seudun työllisyysalue",
        "Työkykypalvelut",
    ),
    DemoProfessional(
        "analyytikko",
        "Ville",
        "Karhunen",
        Role.ANALYST,
        "Tampereen seudun työllisyysalue",
        "Työkykypalvelut",
    ),
    DemoProfessional(
        "paakayttaja",
        "Riikka",
        "Salmivaara",
        Role.ADMINISTRATOR,
        "Tampereen seudun työllisyysalue",
        "Työkykypalvelut",
    ),
]


# Who registers clients in each demo organisation that serves clients. The other demo
# organisations (an employer, an education provider, ...) have no client-work professional.
SOCIAL_SERVICES = "Pirkanmaan hyvinvointialue, sosiaalipalvelut"
HEALTH_SERVICES = "Pirkanmaan hyvinvointialue, terveyspalvelut"
EMPLOYMENT_AREA = "Tampereen seudun työllisyysalue"
KELA = "Kela, Pirkanmaan palvelupiste"
NGO = "Askel eteenpäin ry"
REHABILITATION_CENTRE = "Kuntoutuskeskus Kaarna"
SERVING_PROFESSIONALS: dict[str, str] = {
    SOCIAL_SERVICES: "sosiaalityontekija",
    HEALTH_SERVICES: "tyokykykoordinaattori",
    EMPLOYMENT_AREA: "asiantuntija",
    KELA: "kelaneuvoja",
    NGO: "tyohonvalmentaja",
    REHABILITATION_CENTRE: "psykologi",
}
POST_OFFICES = {TAMPERE: "Tampere", NOKIA: "Nokia", YLOJARVI: "Ylöjärvi"}
# The demo's identity codes use individual numbers 990-999; volume data (seed_synthetic)
# uses 900-989, so that both can be loaded into one database without sharing a code.
FIRST_DEMO_INDIVIDUAL_NUMBER = 990


@dataclass(frozen=True)
class DemoRelationship:
    """A service relationship, dated relative to the day the demo is loaded."""

    organisation: str
    started_days_ago: int
    legal_basis: LegalBasis | None = None  # None: the usual one for the organisation's kind
    ended_days_ago: int | None = None


@dataclass(frozen=True)
class DemoConsent:
    """A consent recorded by ``recorded_by``, whose organisation discloses (or, with
    ``all_providers``, every organisation serving the client)."""

    recorded_by: str
    recipient: str
    categories: tuple[DataCategory, ...]
    valid_from_days_ago: int
    valid_for_days: int | None = None  # None: until further notice
    purpose: Purpose = Purpose.SERVICE_COORDINATION
    method: ConsentMethod = ConsentMethod.SIGNED_PAPER
    all_providers: bool = False
    withdrawn: bool = False


@dataclass(frozen=True)
class DemoClient:
    """An invented person; the identity code, if any, is built with an individual number
    reserved for test use (the demo's share of it, 990-999)."""

    first_names: str
    last_name: str
    birth_date: date
    individual_number: int | None
    municipality: str
    gender: Gender
    relationships: tuple[DemoRelationship, ...]
    consents: tuple[DemoConsent, ...] = ()
    preferred_language: Language = Language.FINNISH
    languages: tuple[Language, ...] = (Language.FINNISH,)
    street_address: str = ""
    postal_code: str = ""
    email: str = ""
    phone: str = ""

    @property
    def identity_code(self) -> str:
        if self.individual_number is None:
            return ""
        return synthetic_identity_code(self.birth_date, self.individual_number)


BASIC_PLAN = (DataCategory.BASIC, DataCategory.PLAN)

# The job coach of Askel eteenpäin ry serves three of these people, sees three more only
# through a valid consent, and not the two whose consent was withdrawn or has expired.
# The social worker's organisation serves nine.
DEMO_CLIENTS: list[DemoClient] = [
    DemoClient(
        "Aino Maria",
        "Lehtinen",
        date(1985, 3, 14),
        990,
        TAMPERE,
        Gender.FEMALE,
        (
            DemoRelationship(SOCIAL_SERVICES, 420),
            DemoRelationship(EMPLOYMENT_AREA, 200, LegalBasis.MULTI_SECTOR_ACT),
        ),
        (
            DemoConsent(
                "sosiaalityontekija",
                NGO,
                (*BASIC_PLAN, DataCategory.EMPLOYMENT),
                valid_from_days_ago=60,
                valid_for_days=365,
            ),
        ),
        street_address="Hämeenpuisto 21 B 14",
        postal_code="33210",
        email="aino.lehtinen@example.invalid",
        phone="040 000 0990",
    ),
    DemoClient(
        "Mikko Juhani",
        "Rantanen",
        date(1979, 11, 2),
        991,
        NOKIA,
        Gender.MALE,
        (
            DemoRelationship(SOCIAL_SERVICES, 800),
            DemoRelationship(HEALTH_SERVICES, 300, ended_days_ago=20),
            DemoRelationship(KELA, 150),
        ),
        (
            DemoConsent(
                "kelaneuvoja",
                REHABILITATION_CENTRE,
                (DataCategory.BASIC, DataCategory.MEASUREMENTS),
                valid_from_days_ago=90,
                valid_for_days=180,
                purpose=Purpose.WORK_ABILITY_ASSESSMENT,
                method=ConsentMethod.ELECTRONIC,
            ),
        ),
        street_address="Pirkkalaistie 7 A 3",
        postal_code="37100",
    ),
    DemoClient(
        "Johanna Kaarina",
        "Salo",
        date(1992, 6, 21),
        992,
        TAMPERE,
        Gender.FEMALE,
        (DemoRelationship(SOCIAL_SERVICES, 150), DemoRelationship(NGO, 90)),
        street_address="Sammonkatu 40 C 31",
        postal_code="33540",
        email="johanna.salo@example.invalid",
    ),
    DemoClient(
        "Ville Ilmari",
        "Heikkilä",
        date(1988, 1, 30),
        993,
        YLOJARVI,
        Gender.MALE,
        (DemoRelationship(SOCIAL_SERVICES, 600), DemoRelationship(HEALTH_SERVICES, 500)),
        (
            DemoConsent(
                "sosiaalityontekija",
                NGO,
                (DataCategory.BASIC,),
                valid_from_days_ago=120,
                method=ConsentMethod.IN_PERSON,
                withdrawn=True,
            ),
        ),
        street_address="Kuruntie 12",
        postal_code="33470",
    ),
    DemoClient(
        "Emma Louise",
        "Holmström",
        date(1996, 9, 9),
        994,
        TAMPERE,
        Gender.FEMALE,
        (DemoRelationship(SOCIAL_SERVICES, 60), DemoRelationship(EMPLOYMENT_AREA, 40)),
        (
            DemoConsent(
                "asiantuntija",
                NGO,
                (DataCategory.BASIC, DataCategory.EMPLOYMENT),
                valid_from_days_ago=30,
                valid_for_days=365,
                method=ConsentMethod.ELECTRONIC,
            ),
        ),
        preferred_language=Language.SWEDISH,
        languages=(Language.SWEDISH, Language.FINNISH, Language.ENGLISH),
        street_address="Pyynikintie 5 A 2",
        postal_code="33230",
        email="emma.holmstrom@example.invalid",
    ),
    DemoClient(
        "Oskari",
        "Mäkelä",
        date(2003, 5, 23),
        None,
        TAMPERE,
        Gender.MALE,
        (DemoRelationship(NGO, 75, LegalBasis.CLIENT_AGREEMENT),),
    ),
    DemoClient(
        "Tiina Marjatta",
        "Koskinen",
        date(1968, 4, 17),
        995,
        NOKIA,
        Gender.FEMALE,
        (
            DemoRelationship(HEALTH_SERVICES, 700),
            DemoRelationship(SOCIAL_SERVICES, 250),
            DemoRelationship(REHABILITATION_CENTRE, 100),
        ),
        (
            DemoConsent(
                "tyokykykoordinaattori",
                NGO,
                (DataCategory.BASIC, DataCategory.HEALTH),
                valid_from_days_ago=400,
                valid_for_days=365,
            ),
        ),
        street_address="Välimaankatu 9 B 18",
        postal_code="37150",
    ),
    DemoClient(
        "Jari Petteri",
        "Nieminen",
        date(1975, 12, 5),
        996,
        TAMPERE,
        Gender.MALE,
        (DemoRelationship(EMPLOYMENT_AREA, 380), DemoRelationship(SOCIAL_SERVICES, 120)),
        (
            DemoConsent(
                "sosiaalityontekija",
                NGO,
                (*BASIC_PLAN, DataCategory.SOCIAL_WELFARE),
                valid_from_days_ago=45,
                valid_for_days=540,
                all_providers=True,
            ),
        ),
        street_address="Insinöörinkatu 60 D 44",
        postal_code="33720",
    ),
    DemoClient(
        "Laura Annika",
        "Virtanen",
        date(2001, 2, 28),
        997,
        TAMPERE,
        Gender.FEMALE,
        (DemoRelationship(SOCIAL_SERVICES, 30),),
        email="laura.virtanen@example.invalid",
    ),
    DemoClient(
        "Pauliina",
        "Heinonen",
        date(1990, 7, 7),
        None,
        TAMPERE,
        Gender.NOT_STATED,
        (DemoRelationship(SOCIAL_SERVICES, 14),),
    ),
    DemoClient(
        "Kalle Antero",
        "Järvinen",
        date(1983, 8, 19),
        998,
        YLOJARVI,
        Gender.MALE,
        (DemoRelationship(KELA, 210), DemoRelationship(HEALTH_SERVICES, 90)),
        street_address="Mikkolantie 3",
        postal_code="33480",
    ),
    DemoClient(
        "Eveliina",
        "Hakala",
        date(1999, 10, 10),
        None,
        NOKIA,
        Gender.FEMALE,
        (DemoRelationship(NGO, 45, LegalBasis.CLIENT_AGREEMENT),),
    ),
]


@dataclass(frozen=True)
class DemoResult:
    professionals: list[DemoProfessional]
    clients: list[DemoClient]
    clients_created: int


def _placement(kind: OrganisationKind, municipality: Municipality) -> dict[str, object]:
    return {
        "municipality": municipality,
        "wellbeing_county_id": municipality.wellbeing_county_id if kind in COUNTY_KINDS else None,
        "employment_area_id": municipality.employment_area_id if kind in AREA_KINDS else None,
    }


def _name_in_languages(named: Organisation | Unit | Programme) -> None:
    """Give a demo organisation, unit or programme its Swedish and English names."""
    names = DEMO_NAMES.get(named.name)
    if names and named.names != names:
        named.names = names
        named.save(update_fields=["names"])


@transaction.atomic
def seed_demo() -> list[DemoProfessional]:
    """Create (or leave as they are) the demo organisations, professionals and clients."""
    return seed_demo_data().professionals


@transaction.atomic
def seed_demo_data() -> DemoResult:
    """``seed_demo``, telling also how many demo clients this run created."""
    municipalities = Municipality.objects.in_bulk([TAMPERE, NOKIA, YLOJARVI])
    units: dict[tuple[str, str], Unit] = {}
    for name, kind, code, unit_names in DEMO_ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, **_placement(kind, municipalities[code])}
        )
        _name_in_languages(organisation)
        for unit_name in unit_names:
            units[name, unit_name], _ = Unit.objects.get_or_create(
                organisation=organisation, name=unit_name
            )
            _name_in_languages(units[name, unit_name])
    for programme in Programme.objects.all():
        if not programme.names:
            _name_in_languages(programme)
    users: dict[str, User] = {}
    for person in DEMO_PROFESSIONALS:
        user = User.objects.filter(username=person.username).first()
        if user is None:
            is_admin = person.role == Role.ADMINISTRATOR
            user = User.objects.create_user(
                username=person.username,
                password=DEMO_PASSWORD,
                first_name=person.first_name,
                last_name=person.last_name,
                email=f"{person.username}@demo.polku.invalid",
                is_staff=is_admin,
                is_superuser=is_admin,
            )
        users[person.username] = user
        unit = units[person.organisation, person.unit]
        Membership.objects.get_or_create(
            user=user,
            organisation=unit.organisation,
            role=person.role,
            defaults={"unit": unit},
        )
    created = _DemoClients(users, units, municipalities).seed(DEMO_CLIENTS)
    seed_demo_employers(users[DEMO_COACH])
    seed_demo_fidelity(users[DEMO_COACH])
    return DemoResult(DEMO_PROFESSIONALS, DEMO_CLIENTS, clients_created=created)


class _DemoClients:
    """Registers the demo clients through the services, each as its professional would."""

    def __init__(
        self,
        users: dict[str, User],
        units: dict[tuple[str, str], Unit],
        municipalities: dict[str, Municipality],
    ) -> None:
        self.today = timezone.localdate()
        self.users = users
        self.municipalities = municipalities
        self.units = {
            person.username: units[person.organisation, person.unit]
            for person in DEMO_PROFESSIONALS
        }

    def seed(self, clients: list[DemoClient]) -> int:
        created = 0
        for spec in clients:
            if not self.exists(spec):
                self.create(spec)
                created += 1
        return created

    @staticmethod
    def exists(spec: DemoClient) -> bool:
        same_person = Client.objects.filter(
            first_names=spec.first_names, last_name=spec.last_name, birth_date=spec.birth_date
        )
        if spec.identity_code:
            same_code = Client.objects.filter(
                identity_code_hash=identity_storage.lookup_hash(spec.identity_code)
            )
            return same_code.exists() or same_person.exists()
        return same_person.exists()

    def actor(self, organisation: str) -> Actor:
        return Actor.for_user(self.users[SERVING_PROFESSIONALS[organisation]])

    def terms(self, relationship: DemoRelationship) -> RelationshipTerms:
        unit = self.units[SERVING_PROFESSIONALS[relationship.organisation]]
        kind = OrganisationKind(unit.organisation.kind)
        return RelationshipTerms(
            organisation=unit.organisation,
            register=register_for(kind),
            legal_basis=relationship.legal_basis or legal_bases_for(kind)[0],
            unit=unit,
            started_on=self.days_ago(relationship.started_days_ago),
        )

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def create(self, spec: DemoClient) -> Client:
        first, *others = spec.relationships
        if others and not spec.identity_code:
            raise ValueError(f"{spec.last_name}: without an identity code, one relationship only")
        registration = register_client(
            actor=self.actor(first.organisation),
            terms=self.terms(first),
            first_names=spec.first_names,
            last_name=spec.last_name,
            birth_date=spec.birth_date,
            identity_code=spec.identity_code,
            details={
                "gender": spec.gender,
                "municipality": self.municipalities[spec.municipality],
                "preferred_language": spec.preferred_language,
                "languages": list(spec.languages),
                "street_address": spec.street_address,
                "postal_code": spec.postal_code,
                "post_office": POST_OFFICES[spec.municipality] if spec.street_address else "",
                "email": spec.email,
                "phone": spec.phone,
            },
        )
        client = registration.client
        relationships = {first.organisation: registration.relationship}
        for other in others:
            relationships[other.organisation] = start_relationship_by_identity_code(
                actor=self.actor(other.organisation),
                identity_code=spec.identity_code,
                terms=self.terms(other),
            ).relationship
        for consent in spec.consents:
            self.consent(client, consent)
        for relationship in spec.relationships:
            if relationship.ended_days_ago is not None:
                end_relationship(
                    actor=self.actor(relationship.organisation),
                    relationship=relationships[relationship.organisation],
                    end_reason=RelationshipEndReason.SERVICE_COMPLETED,
                    ended_on=self.days_ago(relationship.ended_days_ago),
                )
        return client

    def consent(self, client: Client, spec: DemoConsent) -> None:
        actor = Actor.for_user(self.users[spec.recorded_by])
        own = self.units[spec.recorded_by].organisation
        recipient = Organisation.objects.get(name=spec.recipient)
        valid_from = self.days_ago(spec.valid_from_days_ago)
        consent = record_consent(
            actor=actor,
            client=client,
            discloser=None if spec.all_providers else own,
            recipient=recipient,
            purpose=spec.purpose,
            categories=spec.categories,
            method=spec.method,
            # Covering every provider, it rests on the client's signed form in the archive.
            evidence=f"ARK-{valid_from:%Y}-{client.pk:04d}" if spec.all_providers else "",
            valid_from=valid_from,
            valid_until=(
                None
                if spec.valid_for_days is None
                else valid_from + timedelta(days=spec.valid_for_days)
            ),
        )
        if spec.withdrawn:
            withdraw_consent(
                actor=actor, consent=consent, withdrawal_method=WithdrawalMethod.IN_PERSON
            )
