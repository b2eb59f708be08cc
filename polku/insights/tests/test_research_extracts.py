"""Research extracts: pseudonyms, date handling, rare categories generalised, nothing
that names a person, refusals that leave no trace, and one log row per person."""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
import zipfile
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from polku.audit.models import AccessLogEntry
from polku.insights import research_services
from polku.insights.enums import StudyState
from polku.insights.models import ResearchExtract, Study
from polku.insights.pseudonyms import age_band, month_of, pseudonym, shift_days
from polku.insights.tests.fixtures_research import (
    ResearchWorld,
    actor,
    make_client,
    make_episode,
    make_research_world,
    make_score,
    make_study,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(programmes, make_organisation, make_professional) -> ResearchWorld:
    return make_research_world(make_organisation, make_professional)


def extract_of(world: ResearchWorld, study: Study, user=None):
    made = research_services.make_extract(actor=actor(user or world.analyst), study=study)
    with zipfile.ZipFile(io.BytesIO(made.content)) as archive:
        extract = archive.read("extract.csv")
        codebook = archive.read("codebook.csv")
    rows = list(csv.reader(io.StringIO(extract.decode())))
    return made, rows, extract, codebook


# --- pseudonyms and dates, as functions -----------------------------------------------------


def test_a_pseudonym_is_stable_in_a_study_and_unrelated_across_studies():
    person, other = uuid.UUID(int=1), uuid.UUID(int=2)
    key_a, key_b = b"a" * 32, b"b" * 32

    assert pseudonym(key_a, person) == pseudonym(key_a, person)
    assert len(pseudonym(key_a, person)) == 16
    int(pseudonym(key_a, person), 16)
    assert pseudonym(key_a, person) != pseudonym(key_b, person)
    assert pseudonym(key_a, person) != pseudonym(key_a, other)


def test_shifts_are_within_30_days_never_0_and_differ_between_persons():
    key = b"k" * 32
    shifts = [shift_days(key, uuid.UUID(int=n)) for n in range(200)]

    assert all(-30 <= shift <= 30 and shift != 0 for shift in shifts)
    assert len(set(shifts)) > 30
    assert shift_days(key, uuid.UUID(int=7)) == shift_days(key, uuid.UUID(int=7))


def test_month_and_age_band():
    assert month_of(date(2026, 3, 14)) == "2026-03"
    assert age_band(date(1985, 6, 15), date(2025, 6, 14)) == "35-39"
    assert age_band(date(1985, 6, 15), date(2025, 6, 15)) == "40-44"


# --- the extract ------------------------------------------------------------------------------


def test_the_same_person_keeps_the_pseudonym_within_a_study_not_across(world):
    client = make_client(1)
    make_episode(client, world.tampere, world.worker, started_on=date(2025, 3, 1))
    first = make_study(world)
    second = make_study(world, code="TTL/55/2026")

    _made, rows_1, _e, _c = extract_of(world, first)
    _made, rows_1_again, _e, _c = extract_of(world, first)
    _made, rows_2, _e, _c = extract_of(world, second)

    assert rows_1[0] == ["pseudonym", "episode_start", "episode_end"]
    assert rows_1[1][0] == rows_1_again[1][0] == pseudonym(first.pseudonym_key(), client.public_id)
    assert rows_2[1][0] == pseudonym(second.pseudonym_key(), client.public_id)
    assert rows_1[1][0] != rows_2[1][0]


def test_dates_are_shifted_alike_for_all_of_a_persons_dates(world):
    client = make_client(1)
    make_episode(
        client,
        world.tampere,
        world.worker,
        started_on=date(2025, 2, 1),
        ended_on=date(2025, 9, 30),
        end_reason="education",
        phases={"assessment": date(2025, 2, 1), "rehabilitation": date(2025, 4, 15)},
    )
    study = make_study(world, variables=["pseudonym", "episode_dates", "phases", "end_reason"])
    offset = shift_days(study.pseudonym_key(), client.public_id)

    _made, rows, _e, _c = extract_of(world, study)

    def moved(day: date) -> str:
        return (day + timedelta(days=offset)).isoformat()

    assert -30 <= offset <= 30
    assert offset != 0
    assert rows == [
        [
            "pseudonym",
            "episode_start",
            "episode_end",
            "end_reason",
            "phase_assessment_start",
            "phase_rehabilitation_start",
            "phase_education_start",
            "phase_employment_start",
            "phase_follow_up_start",
        ],
        [
            pseudonym(study.pseudonym_key(), client.public_id),
            moved(date(2025, 2, 1)),
            moved(date(2025, 9, 30)),
            "education",
            moved(date(2025, 2, 1)),
            moved(date(2025, 4, 15)),
            "",
            "",
            "",
        ],
    ]


def test_month_coarsening_and_nothing_after_the_data_range(world):
    client = make_client(1)
    make_episode(
        client,
        world.tampere,
        world.worker,
        started_on=date(2025, 11, 20),
        ended_on=date(2026, 2, 1),
        end_reason="education",
        phases={"assessment": date(2025, 11, 20), "rehabilitation": date(2026, 1, 10)},
    )
    study = make_study(
        world, variables=["episode_dates", "phases", "end_reason"], date_handling="month"
    )

    _made, rows, _e, codebook = extract_of(world, study)

    assert rows[1] == ["2025-11", "", "", "2025-11", "", "", "", ""]
    assert "Dates coarsened to the month." in codebook.decode()


def test_rare_categories_are_generalised(world):
    for number in range(5):
        make_episode(
            make_client(number, born=date(1980 + number, 1, 1)),
            world.tampere,
            world.worker,
            started_on=date(2025, 3, 1),
        )
    helsinki = make_client(
        5, born=date(1990, 5, 5), gender="male", municipality="091", language="sv"
    )
    make_episode(helsinki, world.tampere, world.worker, started_on=date(2025, 3, 1))
    make_episode(
        helsinki,
        world.tampere,
        world.worker,
        started_on=date(2025, 6, 1),
        ended_on=date(2025, 8, 31),
        end_reason="pension",
        programme="social-rehabilitation",
    )
    # Another organisation's episode and one before the data range are not in the extract.
    make_episode(make_client(6), world.espoo, world.worker, started_on=date(2025, 3, 1))
    make_episode(
        make_client(7),
        world.tampere,
        world.worker,
        started_on=date(2024, 1, 1),
        ended_on=date(2024, 12, 31),
        end_reason="moved",
    )
    study = make_study(
        world,
        variables=[
            "birth_year",
            "age_band",
            "gender",
            "municipality",
            "preferred_language",
            "programme",
            "end_reason",
        ],
    )

    made, rows, _e, codebook = extract_of(world, study)

    assert rows[0] == [
        "birth_year",
        "age_band",
        "gender",
        "municipality",
        "wellbeing_county",
        "preferred_language",
        "programme",
        "end_reason",
    ]
    multi = "multi-sector-joint-service"
    assert sorted(rows[1:]) == [
        ["1980", "45-49", "female", "837", "08", "fi", multi, ""],
        ["1981", "40-44", "female", "837", "08", "fi", multi, ""],
        ["1982", "40-44", "female", "837", "08", "fi", multi, ""],
        ["1983", "40-44", "female", "837", "08", "fi", multi, ""],
        ["1984", "40-44", "female", "837", "08", "fi", multi, ""],
        ["1990", "30-34", "withheld", "", "", "other", multi, ""],
        ["1990", "35-39", "withheld", "", "", "other", "social-rehabilitation", "pension"],
    ]
    assert (made.record.persons, made.record.rows) == (6, 7)
    text = codebook.decode()
    assert "Genders given as withheld: 1." in text
    assert "Languages given as other: 1." in text
    assert "Municipalities given as their county only: 1. Counties left empty: 1." in text


def test_a_person_under_non_disclosure_is_placed_in_no_municipality(world):
    clients = [make_client(number) for number in range(6)]
    protected = clients[0]
    protected.non_disclosure_organisation = world.tampere
    protected.non_disclosure_set_by = world.worker
    protected.non_disclosure_set_at = timezone.now()
    protected.save()
    for client in clients:
        make_episode(client, world.tampere, world.worker, started_on=date(2025, 3, 1))
    study = make_study(world, variables=["municipality"])

    _made, rows, _e, _codebook = extract_of(world, study)

    # Five in Tampere (837, Pirkanmaa 08); the sixth lives where no statistic places her.
    assert sorted(rows[1:]) == [["", ""]] + [["837", "08"]] * 5


def test_measurements_give_the_first_and_latest_total(world):
    client = make_client(1)
    episode = make_episode(client, world.tampere, world.worker, started_on=date(2025, 1, 10))
    make_score(episode, "kykyviisari", 4.0, date(2025, 1, 20), world.worker)
    make_score(episode, "kykyviisari", 5.5, date(2025, 4, 20), world.worker)
    make_score(episode, "kykyviisari", 6.0, date(2025, 8, 20), world.worker)
    make_score(episode, "kykyviisari", None, date(2025, 9, 20), world.worker)
    make_score(episode, "kykyviisari", 9.0, date(2026, 1, 20), world.worker)  # after the range
    study = make_study(world, variables=["measurements"], date_handling="month")

    _made, rows, _e, _c = extract_of(world, study)

    assert rows == [
        [
            "kykyviisari_first",
            "kykyviisari_first_date",
            "kykyviisari_latest",
            "kykyviisari_latest_date",
        ],
        ["4", "2025-01", "6", "2025-08"],
    ]


def test_no_name_identity_code_address_or_contact_in_the_file(world):
    client = make_client(1)
    make_episode(client, world.tampere, world.worker, started_on=date(2025, 3, 1))
    study = make_study(world, variables=[key for key, *_ in _all_variables()])

    made, _rows, extract, codebook = extract_of(world, study)

    for content in (made.content, extract, codebook):
        for secret in (
            client.last_name,
            client.identity_code,
            client.identity_code[:6],
            client.street_address,
            client.phone,
            client.email,
            str(client.public_id),
            client.first_names,
            client.birth_date.isoformat(),
        ):
            assert secret.encode() not in content, secret
    assert made.record.sha256 == hashlib.sha256(made.content).hexdigest()


def _all_variables():
    from polku.insights.research_variables import CATALOGUE

    return [(variable.key,) for variable in CATALOGUE]


def test_one_log_row_per_person_with_the_research_ground(world):
    first, second = make_client(1), make_client(2)
    make_episode(first, world.tampere, world.worker, started_on=date(2025, 1, 1))
    make_episode(
        first, world.tampere, world.worker, started_on=date(2025, 5, 1), register="social_welfare"
    )
    make_episode(second, world.tampere, world.worker, started_on=date(2025, 2, 1))
    make_episode(make_client(3), world.espoo, world.worker, started_on=date(2025, 2, 1))
    study = make_study(world, variables=["pseudonym", "gender", "measurements"])

    extract_of(world, study)

    rows = AccessLogEntry.objects.order_by("client_public_id")
    assert sorted(
        (
            row.client_public_id,
            row.action,
            row.purpose,
            row.basis,
            row.basis_public_id,
            row.owner_id,
            row.organisation_id,
            row.register,
            row.categories,
        )
        for row in rows
    ) == sorted(
        (
            client.public_id,
            "export",
            "research",
            "research_study",
            study.public_id,
            world.tampere.pk,
            world.tampere.pk,
            "employment_services",
            "basic,measurements,plan",
        )
        for client in (first, second)
    )


@pytest.mark.parametrize("who", ["worker", "other_analyst", "approver", "recorder"])
def test_the_extract_is_refused_to_others_and_nothing_is_left(world, who):
    make_episode(make_client(1), world.tampere, world.worker, started_on=date(2025, 1, 1))
    study = make_study(world)

    with pytest.raises(PermissionDenied):
        research_services.make_extract(actor=actor(getattr(world, who)), study=study)

    assert not ResearchExtract.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_the_extract_is_refused_for_a_draft_a_closed_or_an_expired_study(world):
    make_episode(make_client(1), world.tampere, world.worker, started_on=date(2025, 1, 1))
    draft = make_study(world, approve=False)
    expired = make_study(world, code="THL/2/2026", closes_on=date(2026, 1, 31))
    expired.closes_on = timezone.localdate() - timedelta(days=1)
    expired.save()
    closed = make_study(world, code="THL/3/2026")
    research_services.close_study(actor=actor(world.analyst), study=closed)

    for study in (draft, expired, closed):
        with pytest.raises(PermissionDenied):
            research_services.make_extract(actor=actor(world.analyst), study=study)

    assert Study.objects.get(pk=closed.pk).state == StudyState.CLOSED
    assert not ResearchExtract.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_the_recorder_never_approves(world):
    study = make_study(world, approve=False)

    with pytest.raises(PermissionDenied):
        research_services.approve_study(actor=actor(world.recorder), study=study)
    with pytest.raises(PermissionDenied):
        research_services.approve_study(actor=actor(world.analyst), study=study)

    assert Study.objects.get(pk=study.pk).state == StudyState.DRAFT
    approved = research_services.approve_study(actor=actor(world.approver), study=study)
    assert (approved.state, approved.approved_by) == (StudyState.APPROVED, world.approver)


def test_the_key_is_stored_encrypted(world):
    study = make_study(world)

    key = study.pseudonym_key()
    assert len(key) == 32
    assert key not in study.key_encrypted.encode()
    assert key.hex() not in study.key_encrypted
