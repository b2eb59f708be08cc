"""Enrolling clients in projects and recording their ESF+ details: happy paths, each
refusal, bad input that changes nothing, and the access-log rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from polku.audit.enums import AuditEvent
from polku.audit.models import AccessLogEntry
from polku.clients.enums import Gender
from polku.clients.models import Client
from polku.policy.enums import Action, BasisKind, DataCategory
from polku.projects import participant_services as services
from polku.projects.enums import EducationLevel, LabourStatus, SensitiveAnswer
from polku.projects.models import Participant, SensitiveDetails
from polku.projects.tests.fixtures_participants import (  # noqa: F401 - fixtures
    ProjectWorld,
    enrolled_fixture,
    project_world_fixture,
)

pytestmark = pytest.mark.django_db


def _rows(client: Client, event: str) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(client_public_id=client.public_id, event=event))


def _snapshot(participant: Participant) -> dict[str, object]:
    return {
        field.attname: getattr(participant, field.attname)
        for field in Participant._meta.concrete_fields
        if field.attname != "updated_at"
    }


# Enrolling -----------------------------------------------------------------------------------


def test_enrol_takes_gender_age_and_municipality_from_the_client_record(
    pworld: ProjectWorld,
) -> None:
    participant = pworld.enrol(entered_on=date(2026, 6, 14))

    assert participant.gender == Gender.MALE
    assert participant.age_at_entry == 35  # born 15.6.1990: the birthday is the next day
    assert participant.municipality_id == "837"
    assert participant.organisation == pworld.org_a
    assert participant.register == "other"
    assert participant.enrolled_by == pworld.people["worker_a"]
    assert pworld.enrol(pworld.other_client, entered_on=date(2026, 6, 15)).age_at_entry == 41


def test_enrol_on_the_birthday_counts_the_new_year(pworld: ProjectWorld) -> None:
    assert pworld.enrol(entered_on=date(2026, 6, 15)).age_at_entry == 36


def test_enrol_is_logged_as_created_project_data(pworld: ProjectWorld) -> None:
    pworld.enrol()

    (row,) = _rows(pworld.client, AuditEvent.PARTICIPANT_ENROLLED)
    assert row.action == Action.CREATE
    assert row.categories == DataCategory.PROJECT
    assert row.basis == BasisKind.PROJECT_WORK
    assert row.owner == pworld.org_a
    assert row.purpose == "project_monitoring"


def test_enrol_leaves_out_the_municipality_under_a_non_disclosure(pworld: ProjectWorld) -> None:
    Client.objects.filter(pk=pworld.client.pk).update(
        non_disclosure_organisation=pworld.org_a,
        non_disclosure_set_by=pworld.people["worker_a"],
        non_disclosure_set_at=timezone.now(),
    )
    pworld.client.refresh_from_db()

    assert pworld.enrol().municipality_id is None


@pytest.mark.parametrize(
    ("entered_on", "message"),
    [
        (date(2024, 12, 31), "within the project's period"),
        (timezone.localdate() + timedelta(days=1), "cannot be in the future"),
    ],
)
def test_enrol_refuses_an_entry_date_outside_the_period_or_ahead(
    pworld: ProjectWorld, entered_on: date, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        pworld.enrol(entered_on=entered_on)

    assert message in refused.value.message_dict["entered_on"][0]
    assert not Participant.objects.exists()
    assert not _rows(pworld.client, AuditEvent.PARTICIPANT_ENROLLED)


def test_enrol_refuses_unknown_choices(pworld: ProjectWorld) -> None:
    with pytest.raises(ValidationError) as refused:
        pworld.enrol(labour_status="retired", education_level="9")

    assert set(refused.value.message_dict) == {"labour_status", "education_level"}
    assert not Participant.objects.exists()


def test_a_client_takes_part_in_a_project_once(enrolled: ProjectWorld) -> None:
    with pytest.raises(ValidationError) as refused:
        enrolled.enrol(entered_on=date(2026, 5, 1))

    assert "already takes part" in refused.value.messages[0]
    assert Participant.objects.count() == 1


def test_a_client_may_take_part_in_two_projects(enrolled: ProjectWorld) -> None:
    from polku.policy.enums import ProjectRoleKind
    from polku.policy.models import ProjectRole

    ProjectRole.objects.create(
        user=enrolled.people["worker_a"],
        organisation=enrolled.org_a,
        kind=ProjectRoleKind.WORKER,
        project_key=enrolled.other_project.public_id,
        created_by=enrolled.people["manager_a"],
        valid_from=date(2025, 1, 1),
    )
    services.enrol(
        actor=enrolled.actor(),
        project=enrolled.other_project,
        client=enrolled.client,
        entered_on=date(2026, 4, 1),
    )

    assert Participant.objects.filter(client=enrolled.client).count() == 2


@pytest.mark.parametrize(
    "who", ["manager_a", "manager_b", "worker_b", "coordinator", "other_project", "serving"]
)
def test_only_staff_serving_the_client_may_enrol(pworld: ProjectWorld, who: str) -> None:
    # The project manager does no client work, the partner serves nobody here, the
    # coordinator and the other project's worker are not its staff, and the serving
    # social worker has no role in the project.
    with pytest.raises(Http404):
        services.enrol(
            actor=pworld.actor(who),
            project=pworld.project,
            client=pworld.client,
            entered_on=date(2026, 3, 2),
        )

    assert not Participant.objects.exists()
    assert not AccessLogEntry.objects.filter(event=AuditEvent.PARTICIPANT_ENROLLED).exists()


# Entry details -------------------------------------------------------------------------------


def test_record_entry_recomputes_the_age_and_logs(enrolled: ProjectWorld) -> None:
    participant = enrolled.participant
    assert participant is not None

    services.record_entry(
        actor=enrolled.actor("manager_a"),
        participant=participant,
        entered_on=date(2026, 7, 1),
        labour_status=LabourStatus.INACTIVE,
        education_level=EducationLevel.ISCED_2,
    )

    participant.refresh_from_db()
    assert (participant.entered_on, participant.age_at_entry) == (date(2026, 7, 1), 36)
    assert participant.labour_status == LabourStatus.INACTIVE
    (row,) = _rows(enrolled.client, AuditEvent.PARTICIPANT_ENTRY_CHANGED)
    assert row.action == Action.CHANGE
    assert row.actor_id == str(enrolled.people["manager_a"].pk)


def test_bad_entry_changes_nothing(enrolled: ProjectWorld) -> None:
    participant = enrolled.participant
    assert participant is not None
    before = _snapshot(participant)

    with pytest.raises(ValidationError):
        services.record_entry(
            actor=enrolled.actor(),
            participant=participant,
            entered_on=date(2028, 1, 1),
            labour_status="nonsense",
        )

    participant.refresh_from_db()
    assert _snapshot(participant) == before
    assert not _rows(enrolled.client, AuditEvent.PARTICIPANT_ENTRY_CHANGED)


@pytest.mark.parametrize(
    ("who", "refusal"),
    [("coordinator", Http404), ("other_project", Http404), ("ended", Http404), ("admin", Http404)],
)
def test_outsiders_may_not_change_the_entry(
    enrolled: ProjectWorld, who: str, refusal: type[Exception]
) -> None:
    participant = enrolled.participant
    assert participant is not None

    with pytest.raises(refusal):
        services.record_entry(
            actor=enrolled.actor(who),
            participant=participant,
            entered_on=date(2026, 7, 1),
        )

    participant.refresh_from_db()
    assert participant.entered_on == date(2026, 3, 2)


# Sensitive details ---------------------------------------------------------------------------


def test_record_sensitive_keeps_each_answer_and_logs_the_sensitive_category(
    enrolled: ProjectWorld,
) -> None:
    participant = enrolled.participant
    assert participant is not None

    details = SensitiveDetails.objects.get(participant=participant)

    assert details.disability == SensitiveAnswer.YES
    assert details.third_country_national == SensitiveAnswer.NO
    assert details.foreign_background == SensitiveAnswer.DECLINED
    assert details.minority == ""
    assert details.homeless == ""
    (row,) = _rows(enrolled.client, AuditEvent.SENSITIVE_DETAILS_RECORDED)
    assert row.categories == DataCategory.PROJECT_SENSITIVE


@pytest.mark.parametrize("who", ["manager_b", "worker_b"])
def test_partners_may_not_record_sensitive_details(enrolled: ProjectWorld, who: str) -> None:
    participant = enrolled.participant
    assert participant is not None

    # A partner's staff may see the participant, but of the sensitive details not even
    # that they exist: as if there were none.
    with pytest.raises(Http404):
        services.record_sensitive(
            actor=enrolled.actor(who), participant=participant, minority="yes"
        )

    assert SensitiveDetails.objects.get(participant=participant).minority == ""


def test_bad_sensitive_answer_changes_nothing(enrolled: ProjectWorld) -> None:
    participant = enrolled.participant
    assert participant is not None

    with pytest.raises(ValidationError) as refused:
        services.record_sensitive(
            actor=enrolled.actor(), participant=participant, disability="no", homeless="maybe"
        )

    assert set(refused.value.message_dict) == {"homeless"}
    assert SensitiveDetails.objects.get(participant=participant).disability == "yes"


# Exit and follow-up --------------------------------------------------------------------------


def test_record_exit_with_the_situation_upon_leaving(enrolled: ProjectWorld) -> None:
    participant = enrolled.participant
    assert participant is not None

    services.record_exit(
        actor=enrolled.actor(),
        participant=participant,
        left_on=date(2026, 9, 30),
        observed_on=date(2026, 10, 14),
        job_searching=False,
        employed=True,
    )

    participant.refresh_from_db()
    assert participant.left_on == date(2026, 9, 30)
    assert (participant.exit_employed, participant.exit_job_searching) == (True, False)
    assert participant.exit_in_education is None
    assert services.counts_as_upon_leaving(participant.left_on, participant.exit_observed_on)
    (row,) = _rows(enrolled.client, AuditEvent.PARTICIPANT_EXIT_RECORDED)
    assert row.action == Action.CHANGE


def test_a_late_observation_is_kept_but_not_upon_leaving(enrolled: ProjectWorld) -> None:
    participant = enrolled.participant
    assert participant is not None

    services.record_exit(
        actor=enrolled.actor(),
        participant=participant,
        left_on=date(2026, 9, 30),
        observed_on=date(2026, 10, 29),
        employed=True,
    )

    assert participant.exit_observed_on == date(2026, 10, 29)
    assert not services.counts_as_upon_leaving(participant.left_on, participant.exit_observed_on)
    assert services.counts_as_upon_leaving(date(2026, 9, 30), date(2026, 10, 28))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"left_on": date(2026, 3, 1)}, "left_on"),
        ({"left_on": timezone.localdate() + timedelta(days=1)}, "left_on"),
        ({"left_on": date(2026, 9, 30), "observed_on": date(2026, 9, 29)}, "observed_on"),
        ({"left_on": date(2026, 9, 30), "employed": True}, "observed_on"),
    ],
)
def test_bad_exit_changes_nothing(enrolled: ProjectWorld, fields: dict, field: str) -> None:
    participant = enrolled.participant
    assert participant is not None
    before = _snapshot(participant)

    with pytest.raises(ValidationError) as refused:
        services.record_exit(actor=enrolled.actor(), participant=participant, **fields)

    assert field in refused.value.message_dict
    participant.refresh_from_db()
    assert _snapshot(participant) == before
    assert not _rows(enrolled.client, AuditEvent.PARTICIPANT_EXIT_RECORDED)


def test_follow_up_after_leaving(enrolled: ProjectWorld) -> None:
    participant = enrolled.participant
    assert participant is not None
    services.record_exit(actor=enrolled.actor(), participant=participant, left_on=date(2026, 4, 30))

    services.record_follow_up(
        actor=enrolled.actor("manager_b"),
        participant=participant,
        observed_on=date(2026, 10, 30),
        employed=True,
        improved=True,
    )

    participant.refresh_from_db()
    assert (participant.follow_up_employed, participant.follow_up_improved) == (True, True)
    (row,) = _rows(enrolled.client, AuditEvent.PARTICIPANT_FOLLOW_UP_RECORDED)
    assert row.organisation == enrolled.org_b
    # The leaving date may no longer move past the follow-up.
    with pytest.raises(ValidationError):
        services.record_exit(
            actor=enrolled.actor(), participant=participant, left_on=date(2026, 10, 30)
        )


def test_follow_up_needs_leaving_first_and_a_later_date(enrolled: ProjectWorld) -> None:
    participant = enrolled.participant
    assert participant is not None

    with pytest.raises(ValidationError):
        services.record_follow_up(
            actor=enrolled.actor(), participant=participant, observed_on=date(2026, 10, 1)
        )
    services.record_exit(actor=enrolled.actor(), participant=participant, left_on=date(2026, 4, 30))
    with pytest.raises(ValidationError) as refused:
        services.record_follow_up(
            actor=enrolled.actor(), participant=participant, observed_on=date(2026, 4, 30)
        )

    assert "observed_on" in refused.value.message_dict
    participant.refresh_from_db()
    assert participant.follow_up_observed_on is None


def test_the_access_log_names_project_data_in_plain_words() -> None:
    # The client's access-log page describes every row: the project categories too.
    from polku.audit.describe import DATA, describe

    row = AccessLogEntry(
        actor_kind="professional",
        actor_name="Ville Valmentaja",
        organisation_name="Työllisyyspalvelut A",
        role="job_coach",
        action=Action.VIEW,
        categories="basic,project,project_sensitive",
        basis=BasisKind.PROJECT_WORK,
    )

    assert set(DataCategory) <= set(DATA)
    assert "read basic details, project participant details and sensitive project " in (
        describe(row)
    )
