"""Subject-access export and anonymisation of one person across every app."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max
from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.audit.models import AccessLogEntry
from polku.audit.sealing import verify_access_log
from polku.clients import identity_storage
from polku.clients.identity_code import synthetic_identity_code
from polku.clients.models import Client
from polku.core import personal_data
from polku.core.models import Municipality, Occupation
from polku.employment.coaching_enums import ContactKind, Stage, TransitionKind
from polku.employment.coaching_enums import Occasion as TransitionOccasion
from polku.employment.models import (
    Coaching,
    CoachingContact,
    CoachingStage,
    Employer,
    EmployerContactPerson,
    EmployerFeedback,
    FeedbackLink,
    Placement,
    Transition,
    WorkTrial,
)
from polku.employment.placement_enums import EndReason as PlacementEndReason
from polku.employment.placement_enums import PlacementKind, PlacementTerms
from polku.employment.worktrial_enums import TrialPurpose
from polku.measures.enums import AdministrationStatus, Channel, Delivery, Occasion
from polku.measures.models import Administration, AnswerLink, LinkDelivery
from polku.measures.services import latest_version, load_shipped_instruments
from polku.pathways.enums import (
    AlertKind,
    EndReason,
    EntryType,
    Phase,
    ReferralStatus,
    Urgency,
)
from polku.pathways.models import (
    Alert,
    CaseManagerAssignment,
    Episode,
    EpisodeReopening,
    Goal,
    GoalAttainment,
    Handover,
    JournalEntry,
    PhaseChange,
    Plan,
    PlanAction,
    PlanReview,
    PlanVersion,
    Programme,
    Referral,
    TeamMember,
)
from polku.policy.enums import (
    ConsentMethod,
    DataCategory,
    LegalBasis,
    Purpose,
    Register,
)
from polku.policy.models import (
    Consent,
    ConsentCategory,
    ReferralGrant,
    RelationshipRestoration,
    ServiceRelationship,
)
from polku.projects.enums import FundingInstrument, LabourStatus, SensitiveAnswer
from polku.projects.models import FundingProgramme, Participant, Project, SensitiveDetails

pytestmark = pytest.mark.django_db

ENDED = date(2020, 6, 30)
NOBODYS_CODE = synthetic_identity_code(date(1984, 5, 17), 953)
# The same code with a wrong check character.
INVALID_CODE = NOBODYS_CODE[:-1] + ("A" if NOBODYS_CODE[-1] != "A" else "B")


@dataclass
class Person:
    client: Client
    code: str
    secrets: list[str]


def make_person(
    tag: str,
    number: int,
    *,
    org: Organisation,
    other: Organisation,
    worker: User,
    open_: bool,
) -> Person:
    """A person with a row in every declared model; every free text carries ``tag``."""
    code = synthetic_identity_code(date(1984, 5, 17), number)
    client = Client(
        first_names=f"{tag}first",
        last_name=f"{tag}last",
        birth_date=date(1984, 5, 17),
        municipality=Municipality.objects.get(pk="837"),
        phone=f"040 {number}",
        email=f"{tag}@example.invalid",
        street_address=f"{tag} street 1",
        postal_code="33100",
        post_office=f"{tag}town",
    )
    client.set_identity_code(code)
    client.save()
    ended = None if open_ else ENDED
    relationship = ServiceRelationship.objects.create(
        client=client,
        organisation=org,
        register=Register.EMPLOYMENT_SERVICES,
        legal_basis=LegalBasis.MULTI_SECTOR_ACT,
        started_on=date(2020, 1, 1),
        ended_on=ended,
        created_by=worker,
    )
    consent = Consent.objects.create(
        client=client,
        discloser=org,
        recipient=other,
        purpose=Purpose.SERVICE_COORDINATION,
        method=ConsentMethod.IN_PERSON,
        recorded_by=worker,
        recorded_by_organisation=org,
    )
    ConsentCategory.objects.create(consent=consent, category=DataCategory.PLAN)
    episode = Episode.objects.create(
        client=client,
        programme=Programme.objects.get(code="multi-sector-joint-service"),
        organisation=org,
        started_on=date(2020, 1, 1),
        ended_on=ended,
        end_reason="" if open_ else EndReason.OPEN_LABOUR_MARKET,
        created_by=worker,
    )
    RelationshipRestoration.objects.create(
        relationship=relationship,
        ended_on=date(2020, 1, 2),
        ended_by=worker,
        reason=f"{tag} relationship ended by mistake",
        corrected_by=worker,
    )
    EpisodeReopening.objects.create(
        episode=episode,
        ended_on=date(2020, 1, 2),
        ended_by=worker,
        reason=f"{tag} episode ended by mistake",
        corrected_by=worker,
    )
    PhaseChange.objects.create(
        episode=episode, phase=Phase.ASSESSMENT, started_on=date(2020, 1, 1), recorded_by=worker
    )
    CaseManagerAssignment.objects.create(
        episode=episode, user=worker, organisation=org, assigned_by=worker
    )
    Handover.objects.create(
        episode=episode, from_user=worker, to_user=worker, note=f"{tag} handover note"
    )
    TeamMember.objects.create(episode=episode, user=worker, organisation=org, team_role="coach")
    referral = Referral.objects.create(
        client=client,
        episode=episode,
        from_organisation=org,
        from_user=worker,
        to_organisation=other,
        reason=f"{tag} referral reason",
        urgency=Urgency.NORMAL,
        respond_by=date(2020, 2, 1),
        status=ReferralStatus.DECLINED,
        decline_reason=f"{tag} decline reason",
    )
    ReferralGrant.objects.create(
        public_id=referral.public_id,
        client=client,
        sender=org,
        receiver=other,
        purpose=referral.purpose,
        categories=ReferralGrant.encode(["basic"]),
        ended_at=referral.sent_at,
    )
    plan = Plan.objects.create(
        episode=episode,
        helping_factors=f"{tag} helps",
        hindering_factors=f"{tag} hinders",
        services=f"{tag} services",
        working_methods=f"{tag} methods",
        version=1,
    )
    goal = Goal.objects.create(
        plan=plan,
        text=f"{tag} goal",
        baseline=f"{tag} baseline",
        level_0=f"{tag} expected level",
        importance=2,
        difficulty=1,
    )
    PlanAction.objects.create(plan=plan, goal=goal, text=f"{tag} action")
    PlanVersion.objects.create(
        plan=plan,
        number=1,
        content={
            "helping_factors": f"{tag} helps",
            "goals": [
                {
                    "id": goal.pk,
                    "text": f"{tag} goal",
                    "weight": 2,
                    "baseline": f"{tag} baseline",
                    "levels": {"0": f"{tag} expected level", "+1": ""},
                }
            ],
            "actions": [{"text": f"{tag} action", "due_on": "2020-03-01"}],
        },
        saved_by=worker,
        change_note=f"{tag} change note",
    )
    review = PlanReview.objects.create(
        plan=plan,
        reviewed_on=date(2020, 3, 1),
        note=f"{tag} review",
        reviewed_by=worker,
        plan_version=1,
    )
    GoalAttainment.objects.create(review=review, goal=goal, level=1)
    JournalEntry.objects.create(
        client=client,
        episode=episode,
        organisation=org,
        register=Register.EMPLOYMENT_SERVICES,
        entry_type=EntryType.MEETING,
        occurred_on=date(2020, 2, 1),
        text=f"{tag} journal",
        author=worker,
    )
    Alert.objects.create(
        kind=AlertKind.NO_CONTACT,
        subject_key=f"no_contact:{episode.pk}",
        client=client,
        episode=episode,
        recipient=worker,
    )
    administration = Administration.objects.create(
        client=client,
        episode=episode,
        organisation=org,
        instrument=latest_version("work-ability-score"),
        occasion=Occasion.BASELINE,
        channel=Channel.TOGETHER,
        status=AdministrationStatus.COMPLETE,
        answers={"was": 7, "comment": f"{tag} answer"},
        total=7.0,
        created_by=worker,
        completed_at=timezone.now(),
    )
    link = AnswerLink.objects.create(
        administration=administration,
        token_hash=f"{number:064d}",
        expires_at=timezone.now() + timedelta(days=1),
        created_by=worker,
    )
    LinkDelivery.objects.create(link=link, channel=Delivery.SMS, sent_by=worker)
    coaching = Coaching.objects.create(
        client=client,
        episode=episode,
        organisation=org,
        register=Register.EMPLOYMENT_SERVICES,
        coach=worker,
        started_on=date(2020, 1, 1),
        stage=Stage.JOB_SEARCH if open_ else Stage.ENDED,
        job_preferences=f"{tag} preferences",
        strengths=f"{tag} strengths",
        supports_needed=f"{tag} supports",
        next_step=f"{tag} next step",
        ended_on=ended,
    )
    CoachingStage.objects.create(
        coaching=coaching,
        stage=Stage.VOCATIONAL_PROFILE,
        started_on=date(2020, 1, 1),
        recorded_by=worker,
    )
    CoachingContact.objects.create(
        coaching=coaching,
        kind=ContactKind.MEETING,
        note=f"{tag} contact note",
        recorded_by=worker,
    )
    Transition.objects.create(
        coaching=coaching,
        occasion=TransitionOccasion.EXIT,
        kind=TransitionKind.EDUCATION,
        observed_on=date(2020, 6, 1),
        recorded_by=worker,
    )
    employer, _created = Employer.objects.get_or_create(
        name="Henkilötietojen Testityönantaja Oy",
        defaults={
            "municipality": Municipality.objects.get(pk="837"),
            "created_by_organisation": org,
        },
    )
    Placement.objects.create(
        coaching=coaching,
        client=client,
        organisation=org,
        register=Register.EMPLOYMENT_SERVICES,
        kind=PlacementKind.JOB,
        employer=employer,
        occupation=Occupation.objects.get(pk="933"),
        job_title=f"{tag} job title",
        terms=PlacementTerms.PAY_SUBSIDY,
        hours_per_week=Decimal("30.0"),
        started_on=date(2020, 2, 1),
        ended_on=date(2020, 5, 1),
        end_reason=PlacementEndReason.FIXED_TERM_ENDED,
        supports_agreed=f"{tag} supports agreed",
        end_note=f"{tag} end note",
        recorded_by=worker,
    )
    host = Employer.objects.create(
        name=f"Isäntä {number}",
        municipality=Municipality.objects.get(pk="837"),
        created_by_organisation=org,
    )
    host_contact = EmployerContactPerson.objects.create(employer=host, name="Hanna Host")
    trial = WorkTrial.objects.create(
        client=client,
        coaching=coaching,
        organisation=org,
        register=Register.EMPLOYMENT_SERVICES,
        employer=host,
        workplace=f"{tag} workplace",
        contact_person=host_contact,
        starts_on=date(2020, 2, 1),
        ends_on=date(2020, 2, 28),
        tasks=f"{tag} trial tasks",
        purpose=TrialPurpose.TRYING_A_FIELD,
        created_by=worker,
    )
    feedback_link = FeedbackLink.objects.create(
        trial=trial,
        token_hash=f"{number + 500:064d}",
        contact_person=host_contact,
        created_by=worker,
    )
    EmployerFeedback.objects.create(
        link=feedback_link,
        ratings={"pace": 4},
        comments={"pace": f"{tag} host comment"},
        overall=f"{tag} host overall",
    )
    programme, _new = FundingProgramme.objects.get_or_create(
        name="Työkykyohjelma", starts_on=date(2019, 1, 1), ends_on=date(2027, 12, 31)
    )
    project = Project.objects.create(
        programme=programme,
        name=f"Hanke {number}",
        funder="STM",
        instrument=FundingInstrument.STATE_GRANT,
        starts_on=date(2019, 1, 1),
        ends_on=date(2022, 12, 31),
        organisation=org,
        created_by=worker,
    )
    participant = Participant.objects.create(
        project=project,
        client=client,
        organisation=org,
        entered_on=date(2019, 3, 1),
        left_on=date(2020, 3, 1),
        gender=client.gender,
        age_at_entry=34,
        labour_status=LabourStatus.LONG_TERM_UNEMPLOYED,
        exit_observed_on=date(2020, 3, 10),
        exit_job_searching=True,
        enrolled_by=worker,
    )
    SensitiveDetails.objects.create(
        participant=participant,
        disability=SensitiveAnswer.YES,
        homeless=SensitiveAnswer.DECLINED,
        recorded_by=worker,
    )
    secrets = [
        f"{tag}first",
        f"{tag}last",
        f"{tag}@example.invalid",
        f"{tag} street",
        f"{tag}town",
        f"040 {number}",
        f"{tag} handover",
        f"{tag} referral",
        f"{tag} decline",
        f"{tag} helps",
        f"{tag} hinders",
        f"{tag} services",
        f"{tag} methods",
        f"{tag} goal",
        f"{tag} baseline",
        f"{tag} expected level",
        f"{tag} action",
        f"{tag} change note",
        f"{tag} review",
        f"{tag} journal",
        f"{tag} answer",
        f"{tag} preferences",
        f"{tag} strengths",
        f"{tag} supports",
        f"{tag} next step",
        f"{tag} contact note",
        f"{tag} job title",
        f"{tag} supports agreed",
        f"{tag} end note",
        f"{tag} workplace",
        f"{tag} trial tasks",
        f"{tag} host comment",
        f"{tag} host overall",
        code,
        identity_storage.lookup_hash(code),
    ]
    return Person(client, code, secrets)


@dataclass
class People:
    ended: Person
    active: Person
    worker: User


@pytest.fixture
def people(setting: Any, make_organisation: Any) -> People:
    load_shipped_instruments()
    other = make_organisation("Kuntoutus B")
    kw = {"org": setting.org_a, "other": other, "worker": setting.worker}
    return People(
        ended=make_person("Eksporta", 951, open_=False, **kw),
        active=make_person("Aktiivi", 952, open_=True, **kw),
        worker=setting.worker,
    )


def every_declared_row() -> str:
    """Every value of every row of every declared model, as one text."""
    values = [
        list(declaration.model._default_manager.order_by("pk").values())
        for declaration in personal_data.declarations()
    ]
    return json.dumps(values, cls=DjangoJSONEncoder, ensure_ascii=False)


def export(**options: Any) -> dict[str, Any]:
    out = io.StringIO()
    call_command("export_person", stdout=out, **options)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


# Export ------------------------------------------------------------------------------------


def test_export_holds_every_apps_data_of_the_person_and_nothing_of_another(people: People):
    # Given two people with data in every app
    person = people.ended

    # When the first one's data is exported
    exported = export(client=str(person.client.public_id))

    # Then every declared model has the person's rows, and the other person is nowhere
    data = exported["data"]
    assert exported["client"] == str(person.client.public_id)
    empty = [label for label, part in data.items() if not part["rows"]]
    assert empty == []
    client_row = data["clients.client"]["rows"][0]
    assert client_row["first_names"] == "Eksportafirst"
    assert client_row["identity_code"] == person.code
    assert "identity_code_hash" not in client_row
    assert data["pathways.journalentry"]["rows"][0]["text"] == "Eksporta journal"
    assert data["pathways.journalentry"]["special_category_fields"] == ["text"]
    assert data["measures.administration"]["rows"][0]["answers"] == {
        "was": 7,
        "comment": "Eksporta answer",
    }
    assert "token_hash" not in data["measures.answerlink"]["rows"][0]
    assert "token_hash" not in data["employment.feedbacklink"]["rows"][0]
    assert data["pathways.goalattainment"]["rows"][0]["level"] == 1
    text = json.dumps(exported, ensure_ascii=False)
    for secret in people.active.secrets:
        assert secret not in text
    assert str(people.active.client.public_id) not in text


def test_export_is_logged_as_administration_by_a_system_job_and_exported_itself(people: People):
    # Given a person and the log so far
    person = people.ended
    before = AccessLogEntry.objects.aggregate(last=Max("sequence"))["last"] or 0

    # When the person's data is exported
    exported = export(client=str(person.client.public_id))

    # Then one export row names the client and the job, and the export holds it
    row = AccessLogEntry.objects.get(sequence__gt=before)
    assert (row.action, row.basis, row.role) == ("export", "system", "system")
    assert row.client_public_id == person.client.public_id
    assert (row.actor_kind, row.actor_id) == ("system", "export_person")
    assert row.organisation is None
    log_rows = exported["data"]["audit.accesslogentry"]["rows"]
    assert [r["action"] for r in log_rows][-1] == "export"
    assert "row_hash" not in log_rows[-1]
    assert verify_access_log().intact


def test_export_by_identity_code_read_from_stdin_to_a_private_file(people: People, tmp_path):
    # Given the identity code on the standard input and a file to write
    target = tmp_path / "export.json"

    # When exported
    call_command(
        "export_person",
        identity_code_from_stdin=True,
        output=str(target),
        stdin=io.StringIO(people.ended.code + "\n"),
    )

    # Then the file holds that person's export and only its owner may read it
    assert json.loads(target.read_text())["client"] == str(people.ended.client.public_id)
    assert target.stat().st_mode & 0o777 == 0o600


def test_export_includes_records_merged_into_the_person(people: People):
    # Given a duplicate record merged into the person
    duplicate = Client.objects.create(
        first_names="Dupli",
        last_name="Kaatti",
        birth_date=date(1984, 5, 17),
        merged_into=people.ended.client,
    )

    # When the person is exported by the merged-away record
    exported = export(client=str(duplicate.public_id))

    # Then both records are in it, the kept one first
    assert exported["records"] == [str(people.ended.client.public_id), str(duplicate.public_id)]
    names = [row["first_names"] for row in exported["data"]["clients.client"]["rows"]]
    assert sorted(names) == ["Dupli", "Eksportafirst"]


@pytest.mark.parametrize(
    ("options", "stdin", "message"),
    [
        ({"client": "not-a-uuid"}, "", "not-a-uuid is not a client's public id."),
        ({"client": "00000000-0000-0000-0000-000000000000"}, "", "No client was found."),
        ({"identity_code_from_stdin": True}, NOBODYS_CODE + "\n", "No client was found."),
        ({"identity_code_from_stdin": True}, INVALID_CODE + "\n", None),
    ],
)
def test_export_of_nobody_says_why_and_logs_nothing(people: People, options, stdin, message):
    # Given the log so far
    before = AccessLogEntry.objects.count()

    # When asked to export a person that cannot be found
    with pytest.raises(CommandError) as raised:
        call_command("export_person", stdin=io.StringIO(stdin), **options)

    # Then it says why, and nothing was logged
    if message:
        assert str(raised.value) == message
    assert AccessLogEntry.objects.count() == before


# Anonymisation -----------------------------------------------------------------------------


def test_anonymise_removes_every_personal_value_and_keeps_statistics(people: People):
    # Given a person whose relationship and episode have ended
    person = people.ended
    other_before = export_values_of(people.active)

    # When the person is anonymised
    out = io.StringIO()
    call_command(
        "anonymise_client", client=str(person.client.public_id), interactive=False, stdout=out
    )

    # Then no old name, contact detail, code or free text is left in any row
    text = every_declared_row()
    for secret in person.secrets:
        assert secret not in text
    client = Client.objects.get(pk=person.client.pk)
    assert (client.first_names, client.last_name, client.search_name) == ("***", "***", "*** ***")
    assert (client.identity_code_encrypted, client.identity_code_hash) == ("", None)
    assert (client.phone, client.email, client.street_address, client.post_office) == (
        "",
        "",
        "",
        "",
    )
    # ... and what statistics need is kept
    assert client.birth_date == date(1984, 1, 1)
    assert client.municipality_id == "837"
    administration = Administration.objects.get(client=client)
    assert (administration.answers, administration.total) == ({"was": 7}, 7.0)
    assert GoalAttainment.objects.get(goal__plan__episode__client=client).level == 1
    assert Goal.objects.get(plan__episode__client=client).weight == 2
    referral = Referral.objects.get(client=client)
    assert (referral.reason, referral.decline_reason) == ("***", "***")
    assert PlanVersion.objects.get(plan__episode__client=client).content == {
        "helping_factors": "",
        "goals": [
            {
                "id": Goal.objects.get(plan__episode__client=client).pk,
                "text": "***",
                "weight": 2,
                "baseline": "",
                "levels": {"0": "", "+1": ""},
            }
        ],
        "actions": [{"text": "***", "due_on": "2020-03-01"}],
    }
    # ... the other person is untouched, and the change is logged with the log intact
    assert export_values_of(people.active) == other_before
    row = AccessLogEntry.objects.order_by("-sequence").first()
    assert row is not None
    assert (row.action, row.basis, row.client_public_id) == (
        "change",
        "system",
        person.client.public_id,
    )
    assert (row.actor_kind, row.actor_id) == ("system", "anonymise_client")
    assert verify_access_log().intact
    assert "anonymised" in out.getvalue()


def export_values_of(person: Person) -> str:
    values = [
        list(declaration.rows([person.client]).order_by("pk").values())
        for declaration in personal_data.declarations()
    ]
    return json.dumps(values, cls=DjangoJSONEncoder)


def test_anonymise_is_refused_for_a_client_with_an_active_relationship(people: People):
    # Given a person still served, and every row as it is
    before, log_before = every_declared_row(), AccessLogEntry.objects.count()

    # When asked to anonymise them
    with pytest.raises(CommandError) as raised:
        call_command(
            "anonymise_client", client=str(people.active.client.public_id), interactive=False
        )

    # Then it says why, and nothing changed and nothing was logged
    assert str(raised.value) == (
        "The client's data is still needed and cannot be anonymised. "
        "The client still has a service relationship that has not ended. "
        "The client still has an open episode. "
        "The client still has job coaching in progress."
    )
    assert every_declared_row() == before
    assert AccessLogEntry.objects.count() == log_before


def test_anonymise_is_refused_while_an_episode_is_open_after_the_relationship_ended(
    people: People,
):
    # Given a person whose relationships ended but whose episode is still open
    client = people.active.client
    ServiceRelationship.objects.filter(client=client).update(ended_on=ENDED)
    before = every_declared_row()

    # When asked to anonymise them
    with pytest.raises(CommandError) as raised:
        call_command("anonymise_client", client=str(client.public_id), interactive=False)

    # Then the open episode (and its open job coaching) keeps the data
    assert str(raised.value) == (
        "The client's data is still needed and cannot be anonymised. "
        "The client still has an open episode. "
        "The client still has job coaching in progress."
    )
    assert every_declared_row() == before


def test_anonymise_asks_for_confirmation_and_changes_nothing_without_it(people, monkeypatch):
    # Given an operator who answers "no"
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    before = every_declared_row()

    # When asked to anonymise
    with pytest.raises(CommandError, match=r"^Nothing was changed\.$"):
        call_command("anonymise_client", client=str(people.ended.client.public_id))

    # Then nothing changed
    assert every_declared_row() == before
