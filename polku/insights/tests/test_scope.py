"""What an insight figure counts (``scope``): the reader's clients within the area, of the
chosen age band on the period's last day, gender and language; episodes of the chosen kind
of organisation; a project's participants only to those who may read the project."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.clients.enums import Gender
from polku.clients.models import Client
from polku.insights.scope import (
    Area,
    AreaKind,
    Filters,
    PictureQuery,
    counted_clients,
    counted_episodes,
)
from polku.pathways.models import Episode, Programme
from polku.policy.actors import Actor
from polku.policy.enums import ProjectRoleKind, Register
from polku.policy.models import ProjectRole
from polku.projects.enums import FundingInstrument
from polku.projects.models import FundingProgramme, Participant, Project

pytestmark = pytest.mark.django_db

END = date(2026, 6, 30)
TAMPERE, NOKIA, HELSINKI = "837", "536", "091"
PIRKANMAA = "08"


@pytest.fixture
def people(codesets, make_organisation, make_professional):
    social = make_organisation("Sosiaalitoimi", OrganisationKind.SOCIAL_WELFARE)
    ngo = make_organisation("Järjestö", OrganisationKind.NGO)
    analyst = make_professional("aino", Role.ANALYST, make_organisation("Tilastot"))
    rows = [
        # name, municipality, birth date, gender, language, organisation
        ("Tampere-25", TAMPERE, date(2001, 6, 30), Gender.FEMALE, "fi", social),  # 25 on END
        ("Tampere-24", TAMPERE, date(2001, 7, 1), Gender.MALE, "fi", social),  # 24 on END
        ("Nokia-55", NOKIA, date(1971, 6, 30), Gender.FEMALE, "sv", ngo),  # 55
        ("Helsinki-54", HELSINKI, date(1971, 7, 1), Gender.OTHER, "fi", social),  # 54
    ]
    programme = Programme.objects.order_by("pk").first()
    assert programme is not None
    clients = {}
    for name, municipality, born, gender, language, organisation in rows:
        client = Client.objects.create(
            first_names="Testi",
            last_name=name,
            birth_date=born,
            gender=gender,
            preferred_language=language,
            municipality_id=municipality,
        )
        Episode.objects.create(
            client=client,
            programme=programme,
            organisation=organisation,
            register=Register.SOCIAL_WELFARE,
            started_on=END - timedelta(days=30),
            created_by=analyst,
        )
        clients[name] = client
    merged = Client.objects.create(
        first_names="Yhdistetty",
        last_name="Pois",
        birth_date=date(1980, 1, 1),
        municipality_id=TAMPERE,
        merged_into=clients["Tampere-25"],
    )
    return analyst, clients, merged


def names(actor: Actor, area: Area, **filters: str) -> set[str]:
    query = PictureQuery(area, END - timedelta(days=365), END, Filters(**filters))
    return set(counted_clients(actor, query).values_list("last_name", flat=True))


def test_areas_count_the_clients_living_in_them(people):
    analyst, _clients, _merged = people
    actor = Actor.for_user(analyst)

    assert names(actor, Area()) == {"Tampere-25", "Tampere-24", "Nokia-55", "Helsinki-54"}
    assert names(actor, Area(AreaKind.MUNICIPALITY, TAMPERE)) == {"Tampere-25", "Tampere-24"}
    assert names(actor, Area(AreaKind.WELLBEING_COUNTY, PIRKANMAA)) == {
        "Tampere-25",
        "Tampere-24",
        "Nokia-55",
    }


def test_age_bands_are_taken_on_the_periods_last_day(people):
    actor = Actor.for_user(people[0])

    assert names(actor, Area(), age_band="under_25") == {"Tampere-24"}
    assert names(actor, Area(), age_band="25_34") == {"Tampere-25"}
    assert names(actor, Area(), age_band="45_54") == {"Helsinki-54"}
    assert names(actor, Area(), age_band="55_plus") == {"Nokia-55"}


def test_gender_language_and_organisation_kind(people):
    actor = Actor.for_user(people[0])
    query = PictureQuery(Area(), END, END, Filters(organisation_kind=OrganisationKind.NGO))

    assert names(actor, Area(), gender=Gender.FEMALE) == {"Tampere-25", "Nokia-55"}
    assert names(actor, Area(), language="sv") == {"Nokia-55"}
    assert set(counted_episodes(actor, query).values_list("client__last_name", flat=True)) == {
        "Nokia-55"
    }


def test_a_client_worker_counts_only_the_clients_they_may_list(people, make_professional):
    _analyst, clients, _merged = people
    organisation = Episode.objects.get(client=clients["Nokia-55"]).organisation
    worker = make_professional("sanna", Role.NGO_WORKER, organisation)

    # No service relationship yet: the episode alone gives no ground.
    assert names(Actor.for_user(worker), Area()) == set()


def test_a_projects_participants_are_counted_for_those_who_may_read_it(
    people, make_professional, make_organisation
):
    analyst, clients, _merged = people
    organisation = make_organisation("Hanke", OrganisationKind.NGO)
    manager = make_professional("pm", Role.PROJECT_MANAGER, organisation)
    outsider = make_professional("out", Role.PROJECT_MANAGER, organisation)
    project = Project.objects.create(
        programme=FundingProgramme.objects.create(
            name="Työkykyohjelma", starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31)
        ),
        name="Polku töihin",
        funder="ELY",
        instrument=FundingInstrument.ESF_PLUS,
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
        organisation=organisation,
        created_by=manager,
    )
    ProjectRole.objects.create(
        user=manager,
        organisation=organisation,
        kind=ProjectRoleKind.MANAGER,
        project_key=project.public_id,
        valid_from=date(2025, 1, 1),
        created_by=manager,
    )
    Participant.objects.create(
        project=project,
        client=clients["Nokia-55"],
        organisation=organisation,
        entered_on=date(2026, 1, 1),
        gender=Gender.FEMALE,
        age_at_entry=54,
        enrolled_by=manager,
    )
    area = Area(AreaKind.PROJECT, str(project.public_id))

    assert names(Actor.for_user(manager), area) == {"Nokia-55"}
    assert names(Actor.for_user(analyst), area) == {"Nokia-55"}
    assert names(Actor.for_user(outsider), area) == set()


def test_a_client_under_non_disclosure_is_placed_in_no_area(people):
    analyst, clients, _merged = people
    protected = clients["Tampere-24"]
    protected.non_disclosure_organisation = analyst.memberships.get().organisation
    protected.non_disclosure_set_by = analyst
    protected.non_disclosure_set_at = timezone.now()
    protected.save()
    actor = Actor.for_user(analyst)

    assert names(actor, Area(AreaKind.MUNICIPALITY, TAMPERE)) == {"Tampere-25"}
    assert "Tampere-24" not in names(actor, Area(AreaKind.WELLBEING_COUNTY, PIRKANMAA))
    assert "Tampere-24" in names(actor, Area())
