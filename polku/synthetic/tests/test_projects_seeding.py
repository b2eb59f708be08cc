"""Funded projects in the demo and at volume: rows the services would have written (every
participant served by the organisation that owns the record and enrolled by the project's
staff there, with the entry snapshot taken from the client), deterministic volume data,
and the benchmark's project of exactly 5,000 participants."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from polku.accounts.models import Organisation, User
from polku.clients.models import Client
from polku.measures.schedules import add_months
from polku.policy import decisions
from polku.policy.actors import Actor
from polku.policy.enums import ProjectRoleKind
from polku.policy.models import ProjectRole, ServiceRelationship
from polku.projects.enums import EvidenceKind, ProgressStatus, SensitiveAnswer
from polku.projects.models import (
    BudgetYear,
    CommunicationItem,
    EvaluationQuestion,
    FundingProgramme,
    Goal,
    GoalAction,
    Participant,
    ProgressChange,
    Project,
    ResultMetric,
    SensitiveDetails,
)
from polku.synthetic.projects_demo import COORDINATOR, WORK_ABILITY_PROGRAMME, age_on
from polku.synthetic.projects_volume import (
    BENCH_CODE,
    BENCH_PARTICIPANTS,
    VolumeProjects,
    bench_project,
)
from polku.synthetic.volume import VolumeSeeder

pytestmark = pytest.mark.django_db

PROJECT_MODELS = (
    FundingProgramme,
    Project,
    BudgetYear,
    ProjectRole,
    Participant,
    SensitiveDetails,
    Goal,
    GoalAction,
    ResultMetric,
    ProgressChange,
    CommunicationItem,
    EvaluationQuestion,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in PROJECT_MODELS}


def actor(username: str) -> Actor:
    return Actor.for_user(User.objects.get(username=username))


def assert_enrolled_as_the_services_would(participants: list[Participant]) -> None:
    """Each participant: the owner is the project's administering organisation or a
    partner and serves the client; the enrolling professional is on the project's staff
    for the owner; the entry snapshot is the client's; the dates keep the constraints."""
    today = timezone.localdate()
    staff = set(
        ProjectRole.objects.filter(
            kind__in=[ProjectRoleKind.MANAGER, ProjectRoleKind.WORKER]
        ).values_list("project_key", "organisation_id", "user_id")
    )
    served = set(
        ServiceRelationship.objects.filter(ended_on__isnull=True).values_list(
            "client_id", "organisation_id"
        )
    )
    partners = {
        project.pk: {project.organisation_id, *(p.pk for p in project.partners.all())}
        for project in Project.objects.prefetch_related("partners")
    }
    for participant in participants:
        project, client = participant.project, participant.client
        assert participant.organisation_id in partners[project.pk]
        assert (client.pk, participant.organisation_id) in served
        assert (project.public_id, participant.organisation_id, participant.enrolled_by_id) in (
            staff
        )
        assert participant.gender == client.gender
        assert participant.municipality_id == client.municipality_id
        assert participant.age_at_entry == age_on(client.birth_date, participant.entered_on)
        assert project.starts_on <= participant.entered_on <= min(project.ends_on, today)
        if participant.left_on is not None:
            assert participant.entered_on <= participant.left_on <= today
        if participant.exit_observed_on is not None:
            assert participant.left_on is not None
            assert 0 <= (participant.exit_observed_on - participant.left_on).days < 28
        if participant.follow_up_observed_on is not None:
            assert participant.left_on is not None
            assert participant.follow_up_observed_on >= add_months(participant.left_on, 6)
            assert participant.follow_up_observed_on <= today
        participant.full_clean()


# The demo -----------------------------------------------------------------------------------


def test_the_demo_has_a_programme_of_three_projects_in_different_areas_and_runs_twice(capsys):
    call_command("seed_demo")
    first = counts()

    call_command("seed_demo")

    assert counts() == first
    programme = FundingProgramme.objects.get(name=WORK_ABILITY_PROGRAMME)
    projects = list(programme.projects.prefetch_related("municipalities", "partners"))
    assert len(projects) == 3
    areas = [{m.code for m in project.municipalities.all()} for project in projects]
    assert len({min(area) for area in areas}) == 3  # each its own area
    assert len({project.organisation_id for project in projects}) == 3
    for project in Project.objects.all():
        project.full_clean()
        assert project.partners.exists()
        years = list(project.budget_years.values_list("year", flat=True))
        assert years == list(range(project.starts_on.year, project.ends_on.year + 1))
        assert project.participants.exists()
        managers = ProjectRole.objects.filter(
            project_key=project.public_id, kind=ProjectRoleKind.MANAGER
        )
        assert managers.count() == 1
        assert managers.get().organisation_id == project.organisation_id
    assert Project.objects.filter(instrument="esf_plus").count() == 1
    output = capsys.readouterr().out
    assert COORDINATOR in output
    assert "Funded projects: 4 created now, with 13 participants." in output


def test_demo_participants_are_enrolled_as_the_services_would_with_every_edge_case():
    call_command("seed_demo")

    participants = list(Participant.objects.select_related("project", "client"))
    assert_enrolled_as_the_services_would(participants)
    in_two = Participant.objects.values("client").annotate(n=Count("pk")).filter(n=2)
    assert [row["client"] for row in in_two] == [Client.objects.get(last_name="Heikkilä").pk]
    left = [p for p in participants if p.left_on is not None]
    assert [p for p in left if p.exit_observed_on is None]  # left, no exit data
    assert [p for p in left if p.follow_up_observed_on is not None]
    assert {p.gender for p in participants} == {"female", "male", "not_stated"}
    assert max(p.age_at_entry for p in participants) >= 55
    assert min(p.age_at_entry for p in participants) < 30
    declined = SensitiveDetails.objects.get(participant__client__last_name="Heinonen")
    assert {
        declined.disability,
        declined.third_country_national,
        declined.foreign_background,
        declined.minority,
        declined.homeless,
    } == {SensitiveAnswer.DECLINED}
    not_asked = Participant.objects.filter(sensitive__isnull=True)
    assert list(not_asked.values_list("client__last_name", flat=True)) == ["Hakala"]
    # A partner's participant: enrolled by Kela's worker, owned by Kela.
    kela_owned = Participant.objects.get(client__last_name="Järvinen")
    assert kela_owned.organisation.name.startswith("Kela")
    assert kela_owned.organisation_id != kela_owned.project.organisation_id


def test_demo_staff_and_the_coordinator_see_what_the_policy_lets_them():
    call_command("seed_demo")
    programme = FundingProgramme.objects.get(name=WORK_ABILITY_PROGRAMME)
    manager = actor("hankepaallikko")
    coordinator = actor(COORDINATOR)

    managed = Project.objects.filter(
        public_id__in=ProjectRole.objects.filter(
            user__username="hankepaallikko", kind=ProjectRoleKind.MANAGER
        ).values("project_key")
    )
    assert [p.name for p in Project.objects.readable_by(manager)] == [p.name for p in managed]
    assert decisions.may_manage_project(manager, managed.get())
    assert Project.objects.readable_by(coordinator).count() == 3
    assert decisions.may_coordinate(coordinator, programme.public_id)
    assert not Participant.objects.visible_to(coordinator).exists()
    # A partner's worker sees the project's participants, never their sensitive details.
    kela = actor("kelaneuvoja")
    assert Participant.objects.visible_to(kela).count() == 3
    assert not Participant.objects.filter(
        decisions.visible_participants(kela, sensitive=True)
    ).exists()


def test_demo_goals_actions_and_results_have_statuses_evidence_and_history():
    call_command("seed_demo")

    project = Project.objects.get(organisation__name="Tampereen seudun työllisyysalue")
    results = ResultMetric.objects.filter(action__goal__project=project)
    assert Goal.objects.filter(project=project).count() == 3
    assert GoalAction.objects.filter(goal__project=project).count() == 8
    assert {r.evidence_kind for r in results} == {
        EvidenceKind.NONE,
        EvidenceKind.LINK,
        EvidenceKind.DOCUMENT,
        EvidenceKind.LIVE_FIGURE,
    }
    assert {r.status for r in results} >= {
        ProgressStatus.DONE,
        ProgressStatus.IN_PROGRESS,
        ProgressStatus.AT_RISK,
    }
    document = results.get(evidence_kind=EvidenceKind.DOCUMENT)
    assert bytes(document.evidence_document or b"").startswith(project.name.encode())
    rows: list[ResultMetric | GoalAction] = [
        *results,
        *GoalAction.objects.filter(goal__project=project),
    ]
    for row in rows:
        row.full_clean()
        history = list(row.changes.order_by("changed_at", "pk"))
        if row.status == ProgressStatus.NOT_STARTED:
            assert not history
        else:
            assert history[-1].changes["status"]["new"] == row.status
            assert history[0].changes["status"]["old"] == ProgressStatus.NOT_STARTED
            for change in history:
                assert project.starts_on <= timezone.localdate(change.changed_at)
    assert CommunicationItem.objects.filter(project=project).count() == 5
    assert EvaluationQuestion.objects.filter(project=project).count() == 5


# Volume -------------------------------------------------------------------------------------


def test_volume_projects_enrol_clients_their_organisations_serve_in_believable_shares(capsys):
    call_command("seed_synthetic", seed=9, organisations=15, professionals=200, clients=2000)
    output = capsys.readouterr().out

    assert "projects: 1 in" in output
    assert not Project.objects.filter(code=BENCH_CODE).exists()  # fewer clients than it needs
    participants = list(Participant.objects.select_related("project", "client"))
    assert 150 <= len(participants) <= 600
    assert_enrolled_as_the_services_would(participants)
    details = list(SensitiveDetails.objects.all())
    declined_all = [d for d in details if d.disability == d.homeless == SensitiveAnswer.DECLINED]
    assert 0.03 <= len(declined_all) / len(participants) <= 0.2
    left = [p for p in participants if p.left_on is not None]
    with_exit = [p for p in left if p.exit_observed_on is not None]
    assert 0.65 <= len(with_exit) / len(left) <= 0.95
    assert any(p.follow_up_observed_on for p in left)
    assert {p.labour_status for p in participants} >= {
        "unemployed",
        "long_term_unemployed",
        "inactive",
        "employed",
    }


def test_the_same_seed_gives_the_same_projects(codesets):
    def run() -> list[tuple]:
        seeder = VolumeSeeder(seed=17)
        seeder.organisations(10)
        seeder.professionals(60)
        seeder.clients(400, consent_share=0, pathway_share=0)
        VolumeProjects(seed=17, clients=400).create()
        rows = list(
            Participant.objects.order_by("public_id").values_list(
                "public_id",
                "project__public_id",
                "project__name",
                "client__public_id",
                "organisation__name",
                "entered_on",
                "left_on",
                "labour_status",
                "education_level",
                "exit_employed",
                "follow_up_improved",
                "sensitive__disability",
                "enrolled_by__username",
            )
        )
        for model in (SensitiveDetails, Participant, BudgetYear, ProjectRole, Project):
            model.objects.all().delete()
        FundingProgramme.objects.all().delete()
        ServiceRelationship.objects.all().delete()
        Client.objects.all().delete()
        Organisation.objects.all().delete()
        User.objects.all().delete()
        return rows

    first, second = run(), run()

    assert first
    assert first == second


def test_bench_project_has_exactly_5000_participants_created_once(codesets):
    seeder = VolumeSeeder(seed=21)
    seeder.organisations(8)
    seeder.professionals(60)
    seeder.clients(600, consent_share=0, pathway_share=0)

    project = bench_project()

    assert project.participants.count() == BENCH_PARTICIPANTS
    assert project.municipalities.filter(pk=project.organisation.municipality_id).exists()
    clients = Client.objects.count()
    assert clients >= BENCH_PARTICIPANTS  # registered the clients it lacked
    assert_enrolled_as_the_services_would(
        list(Participant.objects.filter(project=project).select_related("project", "client"))
    )
    # Idempotent: the same project, nothing new.
    again = bench_project()
    assert again.pk == project.pk
    assert again.participants.count() == BENCH_PARTICIPANTS
    assert Client.objects.count() == clients
    # Topped up after a loss, back to exactly the number.
    Participant.objects.filter(
        pk__in=list(project.participants.values_list("pk", flat=True)[:10])
    ).delete()
    assert bench_project().participants.count() == BENCH_PARTICIPANTS
    assert Project.objects.filter(code=BENCH_CODE).count() == 1
