"""Demo employers: a few invented Tampere-region employers with contact people, and the
demo job coach's recent contacts with them, written through the employer services.

The names of the firms and of their people are invented. Business IDs are invented too:
each body below is given its check digit by the validator, so every ID is valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from polku.accounts.models import User
from polku.accounts.validators import business_id_check_digit
from polku.core.models import Industry, Municipality
from polku.employment import employer_services
from polku.employment.models import (
    ContactMode,
    ContactPurpose,
    Employer,
    EmployerContact,
    SizeBand,
)
from polku.policy.actors import Actor

DEMO_COACH = "tyohonvalmentaja"


@dataclass(frozen=True)
class DemoContactPerson:
    name: str
    title: str
    phone: str


@dataclass(frozen=True)
class DemoEmployer:
    name: str
    business_id_body: str
    industry: str  # TOL 2008 division
    size_band: SizeBand
    municipality: str
    address: str
    people: tuple[DemoContactPerson, ...]


@dataclass(frozen=True)
class DemoContact:
    employer: str
    days_ago: int
    mode: ContactMode
    purpose: ContactPurpose
    result: str
    next_step: str = ""
    next_step_in_days: int | None = None


DEMO_EMPLOYERS: list[DemoEmployer] = [
    DemoEmployer(
        "Ylöjärven Sahapuu Oy",
        "2907415",
        "16",
        SizeBand.SMALL,
        "980",
        "Sahatie 4, 33470 Ylöjärvi",
        (DemoContactPerson("Marko Heinälä", "Tuotantopäällikkö", "040 900 1101"),),
    ),
    DemoEmployer(
        "Hervannan Kotiruoka Oy",
        "2981306",
        "56",
        SizeBand.SMALL,
        "837",
        "Insinöörinkatu 90, 33720 Tampere",
        (DemoContactPerson("Sari Mäkilä", "Ravintolapäällikkö", "040 900 1102"),),
    ),
    DemoEmployer(
        "Pirkan Kiinteistöhuolto Oy",
        "2845172",
        "81",
        SizeBand.MEDIUM,
        "837",
        "Nekalantie 12, 33100 Tampere",
        (
            DemoContactPerson("Jari Laineranta", "Työnjohtaja", "040 900 1103"),
            DemoContactPerson("Anu Salokoski", "HR-asiantuntija", "040 900 1104"),
        ),
    ),
    DemoEmployer(
        "Nokian Kierrätyskeskus ry",
        "2763061",
        "47",
        SizeBand.SMALL,
        "536",
        "Kerhonkatu 7, 37100 Nokia",
        (DemoContactPerson("Riikka Nieminaho", "Toiminnanjohtaja", "040 900 1105"),),
    ),
    DemoEmployer(
        "Tampereen Varastologistiikka Oy",
        "3012847",
        "52",
        SizeBand.LARGE,
        "837",
        "Hatanpään valtatie 40, 33900 Tampere",
        (DemoContactPerson("Ville Koskelo", "Henkilöstöpäällikkö", "040 900 1106"),),
    ),
]

DEMO_CONTACTS: list[DemoContact] = [
    DemoContact(
        "Ylöjärven Sahapuu Oy",
        18,
        ContactMode.FACE_TO_FACE,
        ContactPurpose.JOB_DEVELOPMENT,
        "Kävimme läpi tuotannon tehtävät; pakkaamossa olisi osa-aikaista työtä.",
        "Ehdotan asiakasta pakkaamon tehtävään",
        3,
    ),
    DemoContact(
        "Hervannan Kotiruoka Oy",
        15,
        ContactMode.PHONE,
        ContactPurpose.JOB_DEVELOPMENT,
        "Keittiöön tarvitaan apulainen aamuvuoroihin.",
    ),
    DemoContact(
        "Pirkan Kiinteistöhuolto Oy",
        11,
        ContactMode.FACE_TO_FACE,
        ContactPurpose.WORK_TRIAL,
        "Sovittiin kuukauden työkokeilu ulkoalueiden hoitoon.",
        "Aloituspalaveri työnjohtajan kanssa",
        4,
    ),
    DemoContact(
        "Ylöjärven Sahapuu Oy",
        8,
        ContactMode.FACE_TO_FACE,
        ContactPurpose.PLACEMENT,
        "Työsopimus allekirjoitettu, 20 tuntia viikossa.",
    ),
    DemoContact(
        "Nokian Kierrätyskeskus ry",
        6,
        ContactMode.VIDEO,
        ContactPurpose.JOB_DEVELOPMENT,
        "Myymälään haetaan kahta työntekijää palkkatuella.",
    ),
    DemoContact(
        "Pirkan Kiinteistöhuolto Oy",
        4,
        ContactMode.FACE_TO_FACE,
        ContactPurpose.FOLLOW_ALONG,
        "Työkokeilu alkanut hyvin; työnjohtaja toivoo selkeää viikkosuunnitelmaa.",
        "Seurantakäynti",
        7,
    ),
    DemoContact(
        "Tampereen Varastologistiikka Oy",
        2,
        ContactMode.EMAIL,
        ContactPurpose.OTHER,
        "Lähetetty tietoa tuetusta työllistymisestä ja palkkatuesta.",
        "Soitto henkilöstöpäällikölle",
        5,
    ),
    DemoContact(
        "Hervannan Kotiruoka Oy",
        1,
        ContactMode.FACE_TO_FACE,
        ContactPurpose.JOB_DEVELOPMENT,
        "Tutustuimme keittiöön; aamuvuoron tehtävät sopisivat asiakkaalle.",
    ),
]


def business_id(body: str) -> str:
    check_digit = business_id_check_digit(body)
    if check_digit is None:
        raise ValueError(f"{body} has no valid check digit")
    return f"{body}-{check_digit}"


def seed_demo_employers(coach: User) -> int:
    """Create the demo employers and, once, the coach's contacts with them; return how
    many contacts were recorded now."""
    actor = Actor.for_user(coach)
    employers: dict[str, Employer] = {}
    for spec in DEMO_EMPLOYERS:
        employer = Employer.objects.filter(name=spec.name).first()
        if employer is None:
            employer = employer_services.create_employer(
                actor=actor,
                name=spec.name,
                business_id=business_id(spec.business_id_body),
                industry=Industry.objects.get(pk=spec.industry),
                size_band=spec.size_band,
                municipality=Municipality.objects.get(pk=spec.municipality),
                address=spec.address,
            )
            for person in spec.people:
                employer_services.add_contact_person(
                    employer,
                    actor=actor,
                    name=person.name,
                    title=person.title,
                    phone=person.phone,
                )
        employers[spec.name] = employer
    if EmployerContact.objects.filter(coach=coach).exists():
        return 0
    today = timezone.localdate()
    for contact in DEMO_CONTACTS:
        employer = employers[contact.employer]
        day = today - timedelta(days=contact.days_ago)
        employer_services.record_employer_contact(
            actor=actor,
            employer=employer,
            date=day,
            mode=contact.mode,
            purpose=contact.purpose,
            contact_person=employer.contact_people.order_by("pk").first(),
            result=contact.result,
            next_step=contact.next_step,
            next_step_date=day + timedelta(days=contact.next_step_in_days)
            if contact.next_step_in_days is not None
            else None,
        )
    return len(DEMO_CONTACTS)
