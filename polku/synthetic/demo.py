"""The small, believable demo: three Pirkanmaa municipalities, every kind of organisation
and one professional of each role. Idempotent: running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.core.models import Municipality

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


def _placement(kind: OrganisationKind, municipality: Municipality) -> dict[str, object]:
    return {
        "municipality": municipality,
        "wellbeing_county_id": municipality.wellbeing_county_id if kind in COUNTY_KINDS else None,
        "employment_area_id": municipality.employment_area_id if kind in AREA_KINDS else None,
    }


@transaction.atomic
def seed_demo() -> list[DemoProfessional]:
    """Create (or leave as they are) the demo organisations and professionals."""
    municipalities = Municipality.objects.in_bulk([TAMPERE, NOKIA, YLOJARVI])
    units: dict[tuple[str, str], Unit] = {}
    for name, kind, code, unit_names in DEMO_ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, **_placement(kind, municipalities[code])}
        )
        for unit_name in unit_names:
            units[name, unit_name], _ = Unit.objects.get_or_create(
                organisation=organisation, name=unit_name
            )
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
        unit = units[person.organisation, person.unit]
        Membership.objects.get_or_create(
            user=user,
            organisation=unit.organisation,
            role=person.role,
            defaults={"unit": unit},
        )
    return DEMO_PROFESSIONALS
