"""A known small world for the situational picture: a dozen invented clients in Tampere and
Nokia, the period January–June 2025 (its last day, 30.6.2025, is the snapshot day).

client  gender      born        episodes (organisation)                phases, case manager
T1      female      30.6.1990   A 1.3.2024– (social)                   assessment 1.3.2024,
                                                                       rehabilitation 1.2.2025; CM
                                B 1.5.2025– (NGO)                      assessment 1.5.2025
T2      female      1.7.1990    15.11.2024–10.2.2025 open labour mkt   assessment; CM
T3      female      1.1.1985    1.3.2025–                              employment 15.7.2025 (later)
T4      male        30.6.2000   e1 10.1.2025–20.5.2025 education
                                e2 1.6.2025– (NGO)                     assessment 1.6.2025; CM who
                                                                       left at noon on 30.6.2025
T5      male        1.1.1970    1.1.2024–31.12.2024 (before)
T6      male        1.1.1970    1.7.2025– (after)
T7      other       1.7.2000    1.2.2025–                              rehabilitation 1.2.2025; CM
T8      not stated  1.1.1960    30.6.2025–
N1      female      1.1.1970    1.6.2024–1.1.2025 pension
N2      male        1.1.1980    1.4.2025–                              assessment 1.4., employment
                                                                       30.6.2025; CM
N3      male        1.1.1975    5.5.2025–                              assessment 5.5.2025; CM
N4      female      1.1.1965    15.1.2025–30.6.2025 subsidised work    rehabilitation 15.1.; CM
                                                                       until 1.7.2025
merged  female      1.1.1990    1.2.2025– (merged into T1: not counted)

The social welfare organisation serves T1, T2, T3 and N1 (service relationships): its
social worker's figures count only them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Organisation, User
from polku.clients.enums import Gender
from polku.clients.models import Client
from polku.insights.scope import Area, Filters, PictureQuery
from polku.pathways.enums import EndReason, Phase
from polku.pathways.models import CaseManagerAssignment, Episode, PhaseChange, Programme
from polku.policy.enums import LegalBasis, Register
from polku.policy.models import ServiceRelationship

STARTS, ENDS = date(2025, 1, 1), date(2025, 6, 30)
TAMPERE, NOKIA, HELSINKI = "837", "536", "091"


def period(area: Area | None = None, **filters: str) -> PictureQuery:
    return PictureQuery(area or Area(), STARTS, ENDS, Filters(**filters))


def moment(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


@dataclass
class PictureWorld:
    analyst: User
    social_worker: User
    administrator: User
    social: Organisation
    ngo: Organisation
    programme: Programme
    clients: dict[str, Client] = field(default_factory=dict)
    episodes: dict[str, Episode] = field(default_factory=dict)

    def client(self, name: str, municipality: str, gender: str, born: date) -> Client:
        client = Client.objects.create(
            first_names="Testi",
            last_name=name,
            birth_date=born,
            gender=gender,
            municipality_id=municipality,
        )
        self.clients[name] = client
        return client

    def episode(
        self,
        key: str,
        client: Client,
        started_on: date,
        ended_on: date | None = None,
        end_reason: str = "",
        *,
        organisation: Organisation | None = None,
    ) -> Episode:
        episode = Episode.objects.create(
            client=client,
            programme=self.programme,
            organisation=organisation or self.social,
            register=Register.SOCIAL_WELFARE,
            started_on=started_on,
            ended_on=ended_on,
            end_reason=end_reason,
            created_by=self.analyst,
        )
        self.episodes[key] = episode
        return episode

    def phase(self, key: str, phase: str, started_on: date) -> None:
        PhaseChange.objects.create(
            episode=self.episodes[key], phase=phase, started_on=started_on, recorded_by=self.analyst
        )

    def case_manager(
        self, key: str, started_at: datetime, ended_at: datetime | None = None
    ) -> None:
        CaseManagerAssignment.objects.create(
            episode=self.episodes[key],
            user=self.social_worker,
            organisation=self.social,
            started_at=started_at,
            ended_at=ended_at,
            assigned_by=self.social_worker,
        )

    def serve(self, *names: str) -> None:
        for name in names:
            ServiceRelationship.objects.create(
                client=self.clients[name],
                organisation=self.social,
                register=Register.SOCIAL_WELFARE,
                legal_basis=LegalBasis.SOCIAL_WELFARE_ACT,
                started_on=date(2024, 1, 1),
                created_by=self.social_worker,
            )


def make_picture_world(make_organisation: Any, make_professional: Any) -> PictureWorld:
    social = make_organisation("Sosiaalitoimi", OrganisationKind.SOCIAL_WELFARE)
    ngo = make_organisation("Järjestö", OrganisationKind.NGO)
    programme = Programme.objects.order_by("pk").first()
    assert programme is not None
    world = PictureWorld(
        analyst=make_professional("aino", Role.ANALYST, make_organisation("Tilastot")),
        social_worker=make_professional("sanna", Role.SOCIAL_WORKER, social),
        administrator=make_professional("ylla", Role.ADMINISTRATOR, social),
        social=social,
        ngo=ngo,
        programme=programme,
    )
    female, male = Gender.FEMALE, Gender.MALE

    t1 = world.client("T1", TAMPERE, female, date(1990, 6, 30))
    world.episode("T1a", t1, date(2024, 3, 1))
    world.phase("T1a", Phase.ASSESSMENT, date(2024, 3, 1))
    world.phase("T1a", Phase.REHABILITATION, date(2025, 2, 1))
    world.case_manager("T1a", moment(2024, 3, 1))
    world.episode("T1b", t1, date(2025, 5, 1), organisation=ngo)
    world.phase("T1b", Phase.ASSESSMENT, date(2025, 5, 1))

    t2 = world.client("T2", TAMPERE, female, date(1990, 7, 1))
    world.episode("T2", t2, date(2024, 11, 15), date(2025, 2, 10), EndReason.OPEN_LABOUR_MARKET)
    world.phase("T2", Phase.ASSESSMENT, date(2024, 11, 15))
    world.case_manager("T2", moment(2024, 11, 15), moment(2025, 2, 10))

    t3 = world.client("T3", TAMPERE, female, date(1985, 1, 1))
    world.episode("T3", t3, date(2025, 3, 1))
    world.phase("T3", Phase.EMPLOYMENT, date(2025, 7, 15))  # after the last day

    t4 = world.client("T4", TAMPERE, male, date(2000, 6, 30))
    world.episode("T4e1", t4, date(2025, 1, 10), date(2025, 5, 20), EndReason.EDUCATION)
    world.episode("T4e2", t4, date(2025, 6, 1), organisation=ngo)
    world.phase("T4e2", Phase.ASSESSMENT, date(2025, 6, 1))
    # The case manager left at noon on the last day: none at its end.
    world.case_manager("T4e2", moment(2025, 6, 1), moment(2025, 6, 30, 12))

    t5 = world.client("T5", TAMPERE, male, date(1970, 1, 1))
    world.episode("T5", t5, date(2024, 1, 1), date(2024, 12, 31), EndReason.MOVED)
    world.episode("T6", world.client("T6", TAMPERE, male, date(1970, 1, 1)), date(2025, 7, 1))

    t7 = world.client("T7", TAMPERE, Gender.OTHER, date(2000, 7, 1))
    world.episode("T7", t7, date(2025, 2, 1))
    world.phase("T7", Phase.REHABILITATION, date(2025, 2, 1))
    world.case_manager("T7", moment(2025, 2, 1))

    t8 = world.client("T8", TAMPERE, Gender.NOT_STATED, date(1960, 1, 1))
    world.episode("T8", t8, date(2025, 6, 30))

    n1 = world.client("N1", NOKIA, female, date(1970, 1, 1))
    world.episode("N1", n1, date(2024, 6, 1), date(2025, 1, 1), EndReason.PENSION)

    n2 = world.client("N2", NOKIA, male, date(1980, 1, 1))
    world.episode("N2", n2, date(2025, 4, 1))
    world.phase("N2", Phase.ASSESSMENT, date(2025, 4, 1))
    world.phase("N2", Phase.EMPLOYMENT, date(2025, 6, 30))
    world.case_manager("N2", moment(2025, 4, 1))

    n3 = world.client("N3", NOKIA, male, date(1975, 1, 1))
    world.episode("N3", n3, date(2025, 5, 5))
    world.phase("N3", Phase.ASSESSMENT, date(2025, 5, 5))
    world.case_manager("N3", moment(2025, 5, 5))

    n4 = world.client("N4", NOKIA, female, date(1965, 1, 1))
    world.episode("N4", n4, date(2025, 1, 15), date(2025, 6, 30), EndReason.SUBSIDISED_WORK)
    world.phase("N4", Phase.REHABILITATION, date(2025, 1, 15))
    world.case_manager("N4", moment(2025, 1, 15), moment(2025, 7, 1))

    merged = Client.objects.create(
        first_names="Yhdistetty",
        last_name="Pois",
        birth_date=date(1990, 1, 1),
        gender=female,
        municipality_id=TAMPERE,
        merged_into=t1,
    )
    world.episode("merged", merged, date(2025, 2, 1))

    world.serve("T1", "T2", "T3", "N1")
    return world
