"""A small world for the research tests (all people synthetic).

Tampere's employment services ("Tampere") disclose; its analyst makes the extracts. Another
organisation ("Espoo") has an analyst of its own. Two administrators (one records, the
other approves), and a social worker of Tampere. Clients are made with ``make_client`` and
their episodes with ``make_episode``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from polku.accounts.enums import OrganisationKind, Role
from polku.accounts.models import Organisation, User
from polku.clients.identity_code import check_character
from polku.clients.models import Client
from polku.core.models import Municipality
from polku.insights import research_services
from polku.insights.models import Study
from polku.measures.enums import AdministrationStatus, Channel, Occasion
from polku.measures.models import Administration, InstrumentVersion
from polku.pathways.models import Episode, PhaseChange, Programme
from polku.policy.actors import Actor
from polku.policy.enums import Purpose, Register


@dataclass
class ResearchWorld:
    tampere: Organisation
    espoo: Organisation
    analyst: User
    other_analyst: User
    recorder: User
    approver: User
    worker: User


def make_research_world(
    make_organisation: Callable[..., Organisation], make_professional: Callable[..., User]
) -> ResearchWorld:
    tampere = make_organisation(
        "Tampereen kaupunki, työllisyyspalvelut", OrganisationKind.MUNICIPAL_EMPLOYMENT, "837"
    )
    espoo = make_organisation("Espoon työllisyysalue", OrganisationKind.MUNICIPAL_EMPLOYMENT, "049")
    return ResearchWorld(
        tampere=tampere,
        espoo=espoo,
        analyst=make_professional("analyst", Role.ANALYST, tampere, first_name="Aino"),
        other_analyst=make_professional("espoo-analyst", Role.ANALYST, espoo, first_name="Eero"),
        recorder=make_professional("recorder", Role.ADMINISTRATOR, tampere, is_staff=True),
        approver=make_professional("approver", Role.ADMINISTRATOR, espoo, is_staff=True),
        worker=make_professional("worker", Role.SOCIAL_WORKER, tampere, first_name="Ville"),
    )


def actor(user: User) -> Actor:
    return Actor.for_user(user, purpose=Purpose.RESEARCH)


def identity_code(born: date, individual: int) -> str:
    """A synthetic identity code (individual number 900–999)."""
    digits = f"{born:%d%m%y}{individual:03d}"
    return f"{born:%d%m%y}-{individual:03d}{check_character(digits)}"


def make_client(
    number: int,
    *,
    born: date = date(1985, 6, 15),
    gender: str = "female",
    municipality: str | None = "837",
    language: str = "fi",
) -> Client:
    client = Client(
        first_names="Testi",
        last_name=f"Tutkittava{number}",
        birth_date=born,
        gender=gender,
        municipality=Municipality.objects.get(pk=municipality) if municipality else None,
        preferred_language=language,
        phone=f"040 000 0{number:03d}",
        email=f"tutkittava{number}@example.invalid",
        street_address=f"Koekatu {number}",
        postal_code="33100",
        post_office="Tampere",
    )
    client.set_identity_code(identity_code(born, 900 + number))
    client.save()
    return client


def make_episode(
    client: Client,
    organisation: Organisation,
    created_by: User,
    *,
    started_on: date,
    ended_on: date | None = None,
    end_reason: str = "",
    programme: str = "multi-sector-joint-service",
    register: str = Register.EMPLOYMENT_SERVICES,
    phases: dict[str, date] | None = None,
) -> Episode:
    episode = Episode.objects.create(
        client=client,
        programme=Programme.objects.get(code=programme),
        organisation=organisation,
        register=register,
        started_on=started_on,
        ended_on=ended_on,
        end_reason=end_reason,
        created_by=created_by,
    )
    for phase, on in (phases or {}).items():
        PhaseChange.objects.create(
            episode=episode, phase=phase, started_on=on, recorded_by=created_by
        )
    return episode


def make_score(
    episode: Episode, code: str, total: float | None, answered_on: date, by: User
) -> None:
    instrument, _ = InstrumentVersion.objects.get_or_create(
        code=code, version="1", defaults={"definition_data": {}}
    )
    at = datetime.combine(answered_on, time(12), tzinfo=timezone.get_current_timezone())
    Administration.objects.create(
        client=episode.client,
        episode=episode,
        organisation=episode.organisation,
        register=episode.register,
        instrument=instrument,
        occasion=Occasion.PERIODIC,
        channel=Channel.TOGETHER,
        status=AdministrationStatus.COMPLETE,
        total=total,
        created_by=by,
        completed_at=at,
    )


def make_study(world: ResearchWorld, *, approve: bool = True, **fields: Any) -> Study:
    values: dict[str, Any] = {
        "organisation": world.tampere,
        "code": "THL/1234/2026",
        "title": "Monialaisen palvelun vaikuttavuus",
        "purpose": "Työllistymisen edistämisen vaikuttavuuden arviointi.",
        "approver": "THL:n tutkimuseettinen toimikunta",
        "decision_reference": "THL/1234/6.02.00/2026",
        "decision_date": date(2026, 1, 15),
        "data_from": date(2025, 1, 1),
        "data_until": date(2025, 12, 31),
        "variables": ["pseudonym", "episode_dates"],
        "date_handling": "shift",
    }
    values.update(fields)
    study = research_services.record_study(actor=actor(world.recorder), **values)
    if approve:
        study = research_services.approve_study(actor=actor(world.approver), study=study)
    return study
