"""A known participant set for the ESF+ indicators, every figure computed by hand in the
tests (``test_indicators.py``). The period of the tests is the calendar year 2026.

Programme "Työkyky käyttöön" has projects P (administered by organisation A, partner B)
and Q; project Z is in another programme. Municipalities: R = Alajärvi (005), U =
Tampere (837); no urban–rural grouping is loaded unless a test loads one.

Participants of P — gender, age at entry, labour status, ISCED level, municipality (R, U or
– not known), entered, left:

===  ======  ===  ======  =====  ===  ==========  ==========
no.  gender  age  status  ISCED  mun  entered     left
===  ======  ===  ======  =====  ===  ==========  ==========
W1   female  17   unemp.  2      R    2026-01-01  –
W2   female  29   LTU     3      U    2026-03-01  2026-09-30
M1   male    55   inact.  6      R    2026-04-01  2026-06-30
M2   male    40   empl.   –      –    2025-06-01  2026-05-15
O1   other   22   –       –      –    2026-05-01  2026-07-31
N1   n.s.    60   unemp.  4      R    2026-12-31  –
W3   female  35   unemp.  5      U    2025-01-10  2025-08-31
M3   male    45   LTU     1      U    2025-02-01  2025-12-20
W4   female  50   unemp.  3      U    2025-03-01  2026-03-10
M4   male    30   empl.   3      U    2027-01-05  –
===  ======  ===  ======  =====  ===  ==========  ==========

Upon leaving (observed on): W2 job searching and a qualification (2026-10-10); M1 no
exit data; M2 employed and a qualification (2026-05-20); O1 employed, observed late
(2026-09-15, day 46); W3 job searching (2025-09-05); W4 in education (2026-04-07, day 28).

Six months after leaving: W3 employed and improved (2026-03-05, day 186); M3 employed
and improved but observed too late (2026-09-30, day 284); the others not recorded.

Sensitive details: W1 disability yes, the rest no; W2 declined every item; M1
third-country national, foreign background and homeless yes, minority no, disability
not asked (blank); N1 minority yes, the rest no; the others have no details recorded.

W2's client also takes part in Q: entered 2026-10-01 at 30, employed, ISCED 3, U, no
sensitive details. Z has one participant (female, 40, unemployed) who entered 2026-02-01.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import count
from typing import Any

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Organisation, User
from polku.clients.enums import Gender
from polku.clients.models import Client
from polku.core.models import Municipality, MunicipalityGroup, UrbanRuralGroup
from polku.policy.enums import ProjectRoleKind
from polku.policy.models import ProjectRole
from polku.projects.enums import FundingInstrument, LabourStatus, SensitiveAnswer
from polku.projects.models import FundingProgramme, Participant, Project, SensitiveDetails

YEAR_2026 = (date(2026, 1, 1), date(2026, 12, 31))
RURAL, URBAN = "005", "837"
YES, NO, DECLINED = SensitiveAnswer.YES, SensitiveAnswer.NO, SensitiveAnswer.DECLINED
_birth_numbers = count(1)


@dataclass
class IndicatorWorld:
    org_a: Organisation
    org_b: Organisation
    manager: User
    programme: FundingProgramme
    project: Project
    other_project: Project
    elsewhere: Project
    participants: dict[str, Participant] = field(default_factory=dict)


def load_grouping(version: str, groups: dict[str, str]) -> None:
    """A version of the urban–rural grouping with the given municipalities' groups."""
    for code, group in groups.items():
        MunicipalityGroup.objects.create(
            municipality_id=code, classification_version=version, group=group
        )


def make_participant(
    project: Project,
    *,
    by: User,
    client: Client | None = None,
    gender: str,
    age: int,
    entered: date,
    status: str = "",
    isced: str = "",
    municipality: str | None = None,
    left: date | None = None,
    exit_on: date | None = None,
    follow_up_on: date | None = None,
    sensitive: dict[str, str] | None = None,
    **fields: Any,
) -> Participant:
    if client is None:
        number = next(_birth_numbers)
        client = Client.objects.create(
            first_names=f"Testi{number}",
            last_name="Osallistuja",
            birth_date=date(entered.year - age - 1, 6, 1 + number % 28),
            gender=gender,
        )
    participant = Participant.objects.create(
        project=project,
        client=client,
        organisation=project.organisation,
        entered_on=entered,
        left_on=left,
        gender=gender,
        age_at_entry=age,
        municipality=Municipality.objects.get(pk=municipality) if municipality else None,
        labour_status=status,
        education_level=isced,
        exit_observed_on=exit_on,
        follow_up_observed_on=follow_up_on,
        enrolled_by=by,
        **fields,
    )
    if sensitive is not None:
        SensitiveDetails.objects.create(participant=participant, recorded_by=by, **sensitive)
    return participant


def all_answers(answer: str) -> dict[str, str]:
    items = ("disability", "third_country_national", "foreign_background", "minority", "homeless")
    return dict.fromkeys(items, answer)


def make_indicator_world(
    make_organisation: Callable[..., Organisation], make_professional: Callable[..., User]
) -> IndicatorWorld:
    org_a = make_organisation("Järvi-Pohjanmaan työllisyyspalvelut")
    org_b = make_organisation("Kuntoutussäätiö Polku ry", kind=OrganisationKind.OTHER)
    manager = make_professional("projektipaallikko", Role.PROJECT_MANAGER, org_a)
    programme = FundingProgramme.objects.create(
        name="Työkyky käyttöön", starts_on=date(2024, 1, 1), ends_on=date(2028, 12, 31)
    )
    other_programme = FundingProgramme.objects.create(
        name="Muu ohjelma", starts_on=date(2024, 1, 1), ends_on=date(2028, 12, 31)
    )

    def project(name: str, programme: FundingProgramme) -> Project:
        created = Project.objects.create(
            programme=programme,
            name=name,
            funder="Etelä-Pohjanmaan ELY-keskus",
            instrument=FundingInstrument.ESF_PLUS,
            starts_on=date(2025, 1, 1),
            ends_on=date(2027, 12, 31),
            organisation=org_a,
            created_by=manager,
        )
        return created

    world = IndicatorWorld(
        org_a=org_a,
        org_b=org_b,
        manager=manager,
        programme=programme,
        project=project("Polku työhön", programme),
        other_project=project("Kyky", programme),
        elsewhere=project("Muualla", other_programme),
    )
    world.project.partners.add(org_b)
    ProjectRole.objects.create(
        user=manager,
        organisation=org_a,
        kind=ProjectRoleKind.MANAGER,
        project_key=world.project.public_id,
        valid_from=date(2025, 1, 1),
        created_by=manager,
    )
    p, by = world.project, manager
    female, male = Gender.FEMALE, Gender.MALE
    add = world.participants.__setitem__
    unemployed, ltu = LabourStatus.UNEMPLOYED, LabourStatus.LONG_TERM_UNEMPLOYED
    inactive, employed = LabourStatus.INACTIVE, LabourStatus.EMPLOYED
    add(
        "W1",
        make_participant(
            p,
            by=by,
            gender=female,
            age=17,
            status=unemployed,
            isced="2",
            municipality=RURAL,
            entered=date(2026, 1, 1),
            sensitive={**all_answers(NO), "disability": YES},
        ),
    )
    add(
        "W2",
        make_participant(
            p,
            by=by,
            gender=female,
            age=29,
            status=ltu,
            isced="3",
            municipality=URBAN,
            entered=date(2026, 3, 1),
            left=date(2026, 9, 30),
            exit_on=date(2026, 10, 10),
            exit_job_searching=True,
            exit_in_education=False,
            exit_qualification=True,
            exit_employed=False,
            sensitive=all_answers(DECLINED),
        ),
    )
    add(
        "M1",
        make_participant(
            p,
            by=by,
            gender=male,
            age=55,
            status=inactive,
            isced="6",
            municipality=RURAL,
            entered=date(2026, 4, 1),
            left=date(2026, 6, 30),
            sensitive={
                "disability": "",
                "third_country_national": YES,
                "foreign_background": YES,
                "minority": NO,
                "homeless": YES,
            },
        ),
    )
    add(
        "M2",
        make_participant(
            p,
            by=by,
            gender=male,
            age=40,
            status=employed,
            entered=date(2025, 6, 1),
            left=date(2026, 5, 15),
            exit_on=date(2026, 5, 20),
            exit_employed=True,
            exit_qualification=True,
        ),
    )
    add(
        "O1",
        make_participant(
            p,
            by=by,
            gender=Gender.OTHER,
            age=22,
            entered=date(2026, 5, 1),
            left=date(2026, 7, 31),
            exit_on=date(2026, 9, 15),
            exit_employed=True,
        ),
    )
    add(
        "N1",
        make_participant(
            p,
            by=by,
            gender=Gender.NOT_STATED,
            age=60,
            status=unemployed,
            isced="4",
            municipality=RURAL,
            entered=date(2026, 12, 31),
            sensitive={**all_answers(NO), "minority": YES},
        ),
    )
    add(
        "W3",
        make_participant(
            p,
            by=by,
            gender=female,
            age=35,
            status=unemployed,
            isced="5",
            municipality=URBAN,
            entered=date(2025, 1, 10),
            left=date(2025, 8, 31),
            exit_on=date(2025, 9, 5),
            exit_job_searching=True,
            follow_up_on=date(2026, 3, 5),
            follow_up_employed=True,
            follow_up_improved=True,
        ),
    )
    add(
        "M3",
        make_participant(
            p,
            by=by,
            gender=male,
            age=45,
            status=ltu,
            isced="1",
            municipality=URBAN,
            entered=date(2025, 2, 1),
            left=date(2025, 12, 20),
            follow_up_on=date(2026, 9, 30),
            follow_up_employed=True,
            follow_up_improved=True,
        ),
    )
    add(
        "W4",
        make_participant(
            p,
            by=by,
            gender=female,
            age=50,
            status=unemployed,
            isced="3",
            municipality=URBAN,
            entered=date(2025, 3, 1),
            left=date(2026, 3, 10),
            exit_on=date(2026, 4, 7),
            exit_in_education=True,
        ),
    )
    add(
        "M4",
        make_participant(
            p,
            by=by,
            gender=male,
            age=30,
            status=employed,
            isced="3",
            municipality=URBAN,
            entered=date(2027, 1, 5),
        ),
    )
    add(
        "W2 in Q",
        make_participant(
            world.other_project,
            by=by,
            client=world.participants["W2"].client,
            gender=female,
            age=30,
            status=employed,
            isced="3",
            municipality=URBAN,
            entered=date(2026, 10, 1),
        ),
    )
    add(
        "Z",
        make_participant(
            world.elsewhere,
            by=by,
            gender=female,
            age=40,
            status=unemployed,
            entered=date(2026, 2, 1),
        ),
    )
    return world


__all__ = [
    "RURAL",
    "URBAN",
    "YEAR_2026",
    "IndicatorWorld",
    "UrbanRuralGroup",
    "load_grouping",
    "make_indicator_world",
    "make_participant",
]
